/** Campaign commands and events: launch, spend, corrections, end. */
package com.kpiledger.coreapi.campaign;
