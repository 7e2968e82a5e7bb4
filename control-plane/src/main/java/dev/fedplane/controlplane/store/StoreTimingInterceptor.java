package dev.fedplane.controlplane.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.aop.InterceptorBean;
import io.micronaut.aop.MethodInterceptor;
import io.micronaut.aop.MethodInvocationContext;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records {@link StoreTimed} methods' latency, tagged with the operation and its outcome.
 * Thread-safe.
 */
@Singleton
@InterceptorBean(StoreTimed.class)
public class StoreTimingInterceptor implements MethodInterceptor<Object, Object> {
    private final MeterRegistry registry;
    private final Map<String, Timer> ok = new ConcurrentHashMap<>();
    private final Map<String, Timer> failed = new ConcurrentHashMap<>();

    public StoreTimingInterceptor(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Object intercept(MethodInvocationContext<Object, Object> context) {
        String op = context.getDeclaringType().getSimpleName() + "." + context.getMethodName();
        long start = System.nanoTime();
        boolean success = false;
        try {
            Object result = context.proceed();
            success = true;
            return result;
        } finally {
            long elapsed = System.nanoTime() - start;
            String outcome = success ? "ok" : "error";
            (success ? ok : failed)
                    .computeIfAbsent(
                            op,
                            o ->
                                    Timer.builder("fedplane.store")
                                            .description("Store operations of the control plane")
                                            .tag("op", o)
                                            .tag("outcome", outcome)
                                            .publishPercentileHistogram()
                                            .register(registry))
                    .record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
