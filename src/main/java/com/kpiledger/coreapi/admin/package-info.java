/** Operations on the service itself: read-model status, rebuilds and dead letters. */
package com.kpiledger.coreapi.admin;
