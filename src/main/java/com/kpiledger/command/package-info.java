/**
 * The write side: the Campaign and Lead aggregates. They decide, then apply events; sourcing handlers only assign.
 * No Quarkus, Jakarta or Panache here (checked by ArchitectureTest), and no clock: every time comes from the command.
 */
package com.kpiledger.command;
