package com.kpiledger.coreapi.admin;

import java.math.BigDecimal;

/**
 * A read model's processor: {@code state} RUNNING, REBUILDING, ERROR or STOPPED; the store position it has applied,
 * the head of the store and the lag between them, in events and in seconds (the age of the oldest event not yet
 * applied, 0 when none is waiting); while rebuilding, the progress in percent and an estimate of the
 * seconds left (null until it can be estimated).
 */
public record ProjectionView(String name, String state, long position, long head, long lag, BigDecimal lagSeconds,
                             int segments,
                             BigDecimal progressPercent, Long secondsLeft, String error) {
}
