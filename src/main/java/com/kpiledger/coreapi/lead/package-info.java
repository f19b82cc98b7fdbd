/** Lead commands and events: capture, qualification, disqualification, deals and the customer they make. */
package com.kpiledger.coreapi.lead;
