package dev.fedplane.controlplane.observability;

import dev.fedplane.controlplane.capacity.CapacityMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Prometheus metrics at {@code /metrics}, where scrapers look by convention: gRPC calls per method
 * and status ({@code grpc_server_*}), store timings ({@code fedplane_store_*}, Hikari pool), JVM,
 * and water levels ({@code fedplane_water_level_*}, recomputed from the store before each scrape).
 */
@Controller("/metrics")
public class PrometheusController {
    private final PrometheusMeterRegistry registry;
    private final CapacityMetrics capacity;

    public PrometheusController(PrometheusMeterRegistry registry, CapacityMetrics capacity) {
        this.registry = registry;
        this.capacity = capacity;
    }

    @Get
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public String scrape() {
        capacity.refresh();
        return registry.scrape();
    }
}
