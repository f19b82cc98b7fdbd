package com.kpiledger.config;

import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jboss.logging.MDC;

/**
 * Puts the correlation id of the command being handled, or of the command that caused the event being projected,
 * into the log context: every log line a command causes, on any thread, carries it ({@code correlationId} in JSON
 * logs, {@code %X{correlationId}} in the text format).
 */
final class LogCorrelation<T extends Message<?>> implements MessageHandlerInterceptor<T> {

    static final String KEY = "correlationId";

    @Override
    public Object handle(UnitOfWork<? extends T> unitOfWork, InterceptorChain chain) throws Exception {
        Message<?> message = unitOfWork.getMessage();
        Object correlationId = message.getMetaData().getOrDefault(KEY, message.getIdentifier());
        Object previous = MDC.get(KEY);
        MDC.put(KEY, String.valueOf(correlationId));
        try {
            return chain.proceed();
        } finally {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        }
    }
}
