package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.store.ResourceVersions;
import dev.fedplane.controlplane.tenant.LockedUsage;
import dev.fedplane.controlplane.tenant.TenantApps;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.tenant.TenantUsageStore;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/** Maps apps to and from their rows. Callers own the transaction. */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class AppStore implements TenantApps {
    private final AppRepository repository;
    private final AppStatusRepository statuses;
    private final AppPlacementRepository placements;
    private final TenantUsageStore usage;

    public AppStore(
            AppRepository repository,
            AppStatusRepository statuses,
            AppPlacementRepository placements,
            TenantUsageStore usage) {
        this.placements = placements;
        this.repository = repository;
        this.statuses = statuses;
        this.usage = usage;
    }

    public record Stored(long id, App app, String placementJson) {}

    /** The app and its row id; its placement is not read ({@code placementJson} null). */
    public Optional<Stored> find(String tenant, String name) {
        return repository
                .findView(tenant, name)
                .map(r -> new Stored(r.id(), toDomain(r), r.placement()));
    }

    /**
     * The app and its row id, its row locked until the transaction ends (see {@link
     * AppRepository#lockView}); its status read apart, its placement not read.
     */
    public Optional<Stored> findForWrite(String tenant, String name) {
        return repository
                .lockView(tenant, name)
                .map(
                        r -> {
                            String status =
                                    statuses.findById(r.id())
                                            .map(AppStatusRow::status)
                                            .orElse(null);
                            return new Stored(
                                    r.id(),
                                    toDomain(
                                            new AppView(
                                                    r.id(),
                                                    r.tenant(),
                                                    r.name(),
                                                    r.generation(),
                                                    r.spec(),
                                                    r.resourceVersion(),
                                                    r.createdAt(),
                                                    r.updatedAt(),
                                                    status,
                                                    null)),
                                    null);
                        });
    }

    /** The app, its row id and its stored placement. */
    public Optional<Stored> findWithPlacement(String tenant, String name) {
        return repository
                .findViewWithPlacement(tenant, name)
                .map(r -> new Stored(r.id(), toDomain(r), r.placement()));
    }

    @Override
    public long countOfTenant(String tenant) {
        return repository.countByTenant(tenant);
    }

    public boolean exists(String tenant, String name) {
        return repository.existsByTenantAndName(tenant, name);
    }

    /**
     * Inserts the app's row only; the caller adds its use ({@link #addNewUseReturning}) in the same
     * transaction. Its status until the leader places it is {@link #pending}.
     */
    public Stored insertRow(App a) {
        AppRow saved = repository.save(toRow(null, a));
        return new Stored(saved.id(), withVersion(a, saved), null);
    }

    /**
     * Adds a new app's use to its tenant's and returns the tenant's use after it, with the quota
     * copy, in one round trip (see {@link TenantUsageStore#addReturning}); empty when the tenant
     * does not exist. The caller checks the quota and throws to take the addition back.
     */
    public Optional<LockedUsage> addNewUseReturning(String tenant, App.Spec spec) {
        return usage.addReturning(tenant, demandOf(tenant, null), demandOf(tenant, spec));
    }

    /**
     * Writes {@code a} if the row is still at {@code a.resourceVersion()} (else
     * OptimisticLockException) and moves its tenant's use from {@code before} to the new spec.
     */
    public App update(long id, App.Spec before, App a) {
        long expected = ResourceVersions.toRow(a.resourceVersion());
        if (repository.updateSpec(
                        id,
                        a.generation(),
                        a.spec().replicas(),
                        a.spec().cpuMillis(),
                        a.spec().memoryMiB(),
                        Json.write(a.spec()),
                        a.updatedAt(),
                        expected)
                != 1) {
            throw new io.micronaut.data.exceptions.OptimisticLockException(
                    "app " + a.tenant() + "/" + a.name() + " changed");
        }
        addUsage(a.tenant(), before, a.spec());
        return new App(
                a.tenant(),
                a.name(),
                a.generation(),
                a.spec(),
                a.status(),
                a.resourceVersion() + 1,
                a.createdAt(),
                a.updatedAt());
    }

    /** Deletes the app and takes its use off its tenant's. */
    public void delete(long id, App a) {
        repository.deleteById(id);
        addUsage(a.tenant(), a.spec(), null);
    }

    /**
     * Takes the tenant's admission lock (see {@link TenantUsageStore#lock}) and returns what the
     * tenant's apps use; empty when the tenant does not exist.
     */
    public Optional<TenantDemand> lockUsage(String tenant) {
        return usage.lock(tenant);
    }

    /**
     * Locks the tenant's usage row and returns it with the tenant's quota (its copy on that row).
     */
    public Optional<LockedUsage> lockUsageWithQuota(String tenant) {
        return usage.lockWithQuota(tenant);
    }

    /** What the tenant's apps ask for in all. */
    public TenantDemand usageOf(String tenant) {
        return usage.of(tenant);
    }

    /** The same, summed over the apps' rows: for consistency checks. */
    public TenantDemand summedUsageOf(String tenant) {
        return repository
                .sumUsageOf(tenant)
                .map(r -> new TenantDemand(tenant, r.replicas(), r.cpuMillis(), r.memoryMib()))
                .orElse(TenantDemand.none(tenant));
    }

    /** Replicas and replicas x requests of one spec; zero for null. */
    public static TenantDemand demandOf(String tenant, App.Spec s) {
        if (s == null) {
            return TenantDemand.none(tenant);
        }
        long r = s.replicas();
        return new TenantDemand(
                tenant,
                r,
                Math.multiplyExact(r, s.cpuMillis()),
                Math.multiplyExact(r, s.memoryMiB()));
    }

    private void addUsage(String tenant, App.Spec before, App.Spec after) {
        usage.add(tenant, demandOf(tenant, before), demandOf(tenant, after));
    }

    public List<App> pageOfTenant(String tenant, String after, int limit) {
        return repository.pageOfTenant(tenant, after, limit).stream()
                .map(AppStore::toDomain)
                .toList();
    }

    public List<App> pageAll(String afterTenant, String afterName, int limit) {
        return repository.pageAll(afterTenant, afterName, limit).stream()
                .map(AppStore::toDomain)
                .toList();
    }

    /**
     * {@code a} as written: the row's new version, without parsing back what was just serialised.
     */
    private static App withVersion(App a, AppRow saved) {
        return new App(
                a.tenant(),
                a.name(),
                a.generation(),
                a.spec(),
                a.status(),
                ResourceVersions.toApi(saved.resourceVersion()),
                a.createdAt(),
                a.updatedAt());
    }

    /**
     * Every app with its row id (its placement not read), {@code limit} at a time after {@code
     * afterId}.
     */
    public List<Stored> pageById(long afterId, int limit) {
        return repository.pageById(afterId, limit).stream()
                .map(r -> new Stored(r.id(), toDomain(r), r.placement()))
                .toList();
    }

    /** As {@link #pageById}, with each app's stored placement. */
    public List<Stored> pageByIdWithPlacement(long afterId, int limit) {
        return repository.pageByIdWithPlacement(afterId, limit).stream()
                .map(r -> new Stored(r.id(), toDomain(r), r.placement()))
                .toList();
    }

    /**
     * The leader's placement (JSON) and status of app {@code id}, written by epoch {@code epoch};
     * the caller has checked the epoch in this transaction. A row written by a higher epoch is left
     * alone. Safe against a concurrent first write of the same row (the fence does not serialise
     * fenced writers): update, else insert if absent, else (inserted meanwhile) update again.
     */
    public void writePlacement(
            long id, String placementJson, App.Status status, long epoch, long at) {
        writeStatus(id, status, epoch, at);
        if (placements.updatePlacement(id, placementJson, epoch, at) == 0
                && placements.insertIfAbsent(id, placementJson, epoch, at) == 0) {
            placements.updatePlacement(id, placementJson, epoch, at);
        }
    }

    /** The leader's status of app {@code id} (its placement stays); as {@link #writePlacement}. */
    public void writeStatus(long id, App.Status status, long epoch, long at) {
        String json = Json.write(status);
        if (statuses.updateStatus(id, json, epoch, at) == 0
                && statuses.insertIfAbsent(id, json, epoch, at) == 0) {
            statuses.updateStatus(id, json, epoch, at);
        }
    }

    /** Removes the status rows of deleted apps (the leader's housekeeping); how many. */
    public long deleteOrphanStatuses() {
        return statuses.deleteOrphans() + placements.deleteOrphans();
    }

    /** An app's status until the leader first places it. */
    public static App.Status pending(long createdAt) {
        return new App.Status(
                0,
                List.of(),
                List.of(
                        new App.Condition(
                                "Scheduled",
                                "False",
                                "Pending",
                                "waiting for the reconciler to place generation 1",
                                createdAt)),
                0,
                "");
    }

    static AppRow toRow(Long id, App a) {
        return new AppRow(
                id,
                a.tenant(),
                a.name(),
                a.generation(),
                a.spec().replicas(),
                a.spec().cpuMillis(),
                a.spec().memoryMiB(),
                Json.write(a.spec()),
                ResourceVersions.toRow(a.resourceVersion()),
                a.createdAt(),
                a.updatedAt());
    }

    static App toDomain(AppView r) {
        return new App(
                r.tenant(),
                r.name(),
                r.generation(),
                Json.read(r.spec(), App.Spec.class),
                r.status() == null
                        ? pending(r.createdAt())
                        : Json.read(r.status(), App.Status.class),
                ResourceVersions.toApi(r.resourceVersion()),
                r.createdAt(),
                r.updatedAt());
    }
}
