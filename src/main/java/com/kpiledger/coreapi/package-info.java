/**
 * The message contract of KPI Ledger: commands, events, queries and views. Records only, no framework beyond Axon's
 * routing annotations. Event classes and their fields are published: change them only with a revision and an upcaster.
 */
package com.kpiledger.coreapi;
