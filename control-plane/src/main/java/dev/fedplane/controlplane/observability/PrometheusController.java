package dev.fedplane.controlplane.observability;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Prometheus metrics at {@code /metrics}, where scrapers look by convention: gRPC calls per method
 * and status ({@code grpc_server_*}), store timings ({@code fedplane_store_*}, Hikari pool), JVM.
 */
@Controller("/metrics")
public class PrometheusController {
    private final PrometheusMeterRegistry registry;

    public PrometheusController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public String scrape() {
        return registry.scrape();
    }
}
