/** Thin REST resources: parse and validate, send a command or a query through Axon's gateways, map the answer. */
package com.kpiledger.web;
