/** Wiring: Axon inside Quarkus, transactions, serialization, retries, health checks. */
package com.kpiledger.config;
