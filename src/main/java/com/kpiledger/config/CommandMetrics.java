package com.kpiledger.config;

import com.kpiledger.coreapi.shared.CommandOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Counts every command by type and what became of it: {@code applied}, {@code unchanged} (an identical retry), or
 * {@code rejected} with the reason's type. Meter {@code kpi_ledger_commands_total}.
 */
final class CommandMetrics implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final MeterRegistry registry;

    CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        String command = unitOfWork.getMessage().getPayloadType().getSimpleName();
        try {
            Object result = chain.proceed();
            String outcome = result == CommandOutcome.UNCHANGED ? "unchanged" : "applied";
            count(command, outcome, "none");
            return result;
        } catch (Exception e) {
            count(command, "rejected", e.getClass().getSimpleName());
            throw e;
        }
    }

    private void count(String command, String outcome, String reason) {
        Counter.builder("kpi_ledger.commands")
                .description("Commands handled, by type and outcome")
                .tag("command", command)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
