package com.kpiledger.config;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class LogCorrelationTest {

    @Test
    void theCommandsCorrelationIdIsInTheLogContextWhileItIsHandledOnly() throws Exception {
        CommandMessage<String> command = new GenericCommandMessage<>("payload")
                .andMetaData(MetaData.with("correlationId", "corr-42"));
        AtomicReference<Object> seen = new AtomicReference<>();

        DefaultUnitOfWork<CommandMessage<String>> unitOfWork = DefaultUnitOfWork.startAndGet(command);
        new LogCorrelation<CommandMessage<String>>().handle(unitOfWork, () -> {
            seen.set(MDC.get("correlationId"));
            return null;
        });
        unitOfWork.commit();

        assertThat(seen.get()).isEqualTo("corr-42");
        assertThat(MDC.get("correlationId")).isNull();
    }
}
