package dev.fedplane.controlplane.tenant;

import dev.fedplane.controlplane.auth.Access;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.PageToken;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.events.Changed;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Tenant use cases. Each public method is one transaction: on any failure nothing it wrote stays.
 * Thread-safe; concurrency between writers is settled by the store (optimistic versions, row
 * locks).
 */
@Singleton
public class TenantService {
    private final TenantStore store;
    private final TenantUsageStore usage;
    private final TenantApps apps;
    private final Clock clock;
    private final ApplicationEventPublisher<Changed> changes;

    public TenantService(
            TenantStore store,
            TenantUsageStore usage,
            TenantApps apps,
            Clock clock,
            ApplicationEventPublisher<Changed> changes) {
        this.store = store;
        this.usage = usage;
        this.apps = apps;
        this.clock = clock;
        this.changes = changes;
    }

    public record Page(List<Tenant> tenants, String nextPageToken) {}

    @Transactional
    public Tenant create(Principal caller, Tenant t) {
        Access.requirePlatformAdmin(caller);
        Violations v = new Violations();
        TenantValidator.validate(t, "tenant", v);
        v.throwIfAny();
        requirePeersExist(t, "tenant.network");
        if (store.exists(t.name())) {
            throw FedplaneException.alreadyExists("tenant", t.name());
        }
        long now = clock.millis();
        Tenant created =
                store.insert(
                        new Tenant(
                                t.name(),
                                t.displayName(),
                                t.labels(),
                                t.quota(),
                                t.allowedClusters(),
                                t.network(),
                                1,
                                now,
                                now));
        usage.create(t.name(), t.quota());
        return created;
    }

    @Transactional(readOnly = true)
    public Tenant get(Principal caller, String name) {
        requireName(name, "name");
        Access.requireRead(caller, name);
        return store.find(name).orElseThrow(() -> FedplaneException.notFound("tenant", name));
    }

    /** Every tenant for platform-admins; a tenant role sees only its own. */
    @Transactional(readOnly = true)
    public Page list(Principal caller, int pageSize, String pageToken) {
        int size = PageToken.pageSize(pageSize, "page_size");
        String after = PageToken.decode(pageToken, "page_token");
        if (!caller.isPlatformAdmin()) {
            List<Tenant> own =
                    after.isEmpty()
                            ? store.find(caller.tenant()).map(List::of).orElse(List.of())
                            : List.of();
            return new Page(own, "");
        }
        List<Tenant> rows = new ArrayList<>(store.page(after, size + 1));
        String next = "";
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            next = PageToken.encode(rows.get(size - 1).name());
        }
        return new Page(rows, next);
    }

    /** Replaces everything but the name. A non-zero resource version is a precondition. */
    @Transactional
    public Tenant update(Principal caller, Tenant t) {
        Access.requirePlatformAdmin(caller);
        Violations v = new Violations();
        TenantValidator.validate(t, "tenant", v);
        v.throwIfAny();
        usage.lock(t.name()); // the admission lock first: quota changes serialise with app writes
        Tenant current =
                store.lock(t.name())
                        .orElseThrow(() -> FedplaneException.notFound("tenant", t.name()));
        checkVersion(current, t.resourceVersion());
        requirePeersExist(t, "tenant.network");
        requireQuotaCoversUsage(t);
        Tenant updated =
                store.update(
                        new Tenant(
                                t.name(),
                                t.displayName(),
                                t.labels(),
                                t.quota(),
                                t.allowedClusters(),
                                t.network(),
                                current.resourceVersion(),
                                current.createdAt(),
                                clock.millis()));
        usage.setQuota(t.name(), t.quota());
        changes.publishEvent(Changed.tenant(t.name()));
        return updated;
    }

    @Transactional
    public void delete(Principal caller, String name, long resourceVersion) {
        Access.requirePlatformAdmin(caller);
        requireName(name, "name");
        usage.lock(name); // the admission lock first: no app can be created while the tenant goes
        Tenant current =
                store.lock(name).orElseThrow(() -> FedplaneException.notFound("tenant", name));
        checkVersion(current, resourceVersion);
        long count = apps.countOfTenant(name);
        if (count > 0) {
            throw FedplaneException.failedPrecondition(
                    "tenant " + name + " still has " + count + " app(s); delete them first");
        }
        usage.delete(name);
        store.delete(name);
    }

    /**
     * Replaces a tenant's network rules: its egress allow-list and its side of cross-tenant allows.
     * Open to the tenant's own admins (and platform-admins) so that each side of a cross-tenant
     * allow is given by that tenant's admin; a non-zero resource version is a precondition.
     */
    @Transactional
    public Tenant updateNetworkRules(
            Principal caller, String name, Tenant.NetworkRules rules, long resourceVersion) {
        requireName(name, "tenant");
        Access.requireWrite(caller, name);
        Tenant current =
                store.lock(name).orElseThrow(() -> FedplaneException.notFound("tenant", name));
        checkVersion(current, resourceVersion);
        Tenant next =
                new Tenant(
                        current.name(),
                        current.displayName(),
                        current.labels(),
                        current.quota(),
                        current.allowedClusters(),
                        rules,
                        current.resourceVersion(),
                        current.createdAt(),
                        clock.millis());
        Violations v = new Violations();
        TenantValidator.validateNetwork(next, "network", v);
        v.throwIfAny();
        requirePeersExist(next, "network");
        Tenant updated = store.update(next);
        changes.publishEvent(Changed.tenant(name));
        return updated;
    }

    private void requireQuotaCoversUsage(Tenant t) {
        TenantDemand used = usage.of(t.name());
        Tenant.Quota q = t.quota();
        List<String> over = new ArrayList<>();
        if (q.cpuMillis() != null && used.cpuMillis() > q.cpuMillis()) {
            over.add("cpu_millis " + q.cpuMillis() + " < used " + used.cpuMillis());
        }
        if (q.memoryMiB() != null && used.memoryMiB() > q.memoryMiB()) {
            over.add("memory_mib " + q.memoryMiB() + " < used " + used.memoryMiB());
        }
        if (q.replicas() != null && used.replicas() > q.replicas()) {
            over.add("replicas " + q.replicas() + " < used " + used.replicas());
        }
        if (!over.isEmpty()) {
            throw FedplaneException.failedPrecondition(
                    "the new quota of tenant "
                            + t.name()
                            + " is below what its apps already use: "
                            + String.join(", ", over)
                            + "; scale the apps down first");
        }
    }

    /** NOT_FOUND naming the field when a cross-tenant rule names a tenant that does not exist. */
    private void requirePeersExist(Tenant t, String networkField) {
        List<Tenant.CrossTenantRule> rules = t.network().crossTenant();
        for (int i = 0; i < rules.size(); i++) {
            String peer = rules.get(i).peerTenant();
            if (!store.exists(peer)) {
                throw FedplaneException.notFound(
                        "tenant",
                        peer + " (" + networkField + ".cross_tenant[" + i + "].peer_tenant)");
            }
        }
    }

    static void checkVersion(Tenant current, long given) {
        if (given != 0 && given != current.resourceVersion()) {
            throw FedplaneException.staleVersion(
                    "tenant", current.name(), given, current.resourceVersion());
        }
    }

    private static void requireName(String name, String field) {
        Violations v = new Violations();
        v.requireDns1123Label(field, name);
        v.throwIfAny();
    }
}
