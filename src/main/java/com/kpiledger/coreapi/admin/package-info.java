/** Operations on the service itself: read-model status and rebuilds. */
package com.kpiledger.coreapi.admin;
