package com.kpiledger.coreapi.history;

import java.util.List;

public record EventHistoryView(String kind, String id, List<RecordedEventView> events) {
}
