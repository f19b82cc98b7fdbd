package com.kpiledger.coreapi.history;

/**
 * The global position of the newest event in the whole store, or -1 when the store is empty. A batch of commands
 * answers it as the position to read its writes from, and the demo loader asks it to load only into an empty store.
 */
public record FindStoreHeadQuery() {
}
