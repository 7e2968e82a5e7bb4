package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.capacity.CapacityService;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;

/**
 * Tenants for the console, each with its quota use in total and per cluster ({@link
 * CapacityService#tenantUsage}); a tenant role sees only its own tenant. Pages of at most 100
 * tenants, their usage computed in the same request.
 */
@Controller("/api/v1/tenants")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleTenantController {
    static final int DEFAULT_PAGE = 50;

    private final ConsoleCallers callers;
    private final TenantService tenants;
    private final CapacityService capacity;

    public ConsoleTenantController(
            ConsoleCallers callers, TenantService tenants, CapacityService capacity) {
        this.callers = callers;
        this.tenants = tenants;
        this.capacity = capacity;
    }

    @Get
    public ConsoleJson.TenantList list(
            HttpRequest<?> request,
            @Nullable @QueryValue Integer pageSize,
            @Nullable @QueryValue String pageToken) {
        Principal caller = callers.caller(request);
        int size = pageSize == null || pageSize == 0 ? DEFAULT_PAGE : pageSize;
        if (size > 100) {
            throw dev.fedplane.controlplane.common.FedplaneException.invalid(
                    "pageSize", "must be at most 100, got " + size);
        }
        TenantService.Page page = tenants.list(caller, size, pageToken == null ? "" : pageToken);
        List<ConsoleJson.TenantJson> out =
                page.tenants().stream().map(t -> json(caller, t)).toList();
        return new ConsoleJson.TenantList(out, page.nextPageToken());
    }

    @Get("/{name}")
    public ConsoleJson.TenantJson get(HttpRequest<?> request, @PathVariable String name) {
        Principal caller = callers.caller(request);
        return json(caller, tenants.get(caller, name));
    }

    private ConsoleJson.TenantJson json(Principal caller, Tenant t) {
        return new ConsoleJson.TenantJson(
                t.name(), t.displayName(), capacity.tenantUsage(caller, t.name()));
    }
}
