/**
 * Many commands at once (a CRM's bulk sync, the demo data): sent through the command gateway in chunks that commit
 * together, with each command's own outcome. Depends on coreapi, Axon's gateway and JTA only.
 */
package com.kpiledger.ingest;
