/** The read side: one package per read model or query, each answering with coreapi views. */
package com.kpiledger.query;
