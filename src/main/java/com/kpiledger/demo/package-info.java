/**
 * A seeded, deterministic CRM history sent as the service's own commands: for demo data at startup
 * ({@code kpi-ledger.demo-data}) and for the benchmark. Depends on coreapi and Axon's gateways only.
 */
package com.kpiledger.demo;
