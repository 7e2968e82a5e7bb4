package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.store.ResourceVersions;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/** Maps apps to and from their rows. Callers own the transaction. */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class AppStore {
    private final AppRepository repository;

    public AppStore(AppRepository repository) {
        this.repository = repository;
    }

    public record Stored(long id, App app) {
    }

    public Optional<Stored> find(String tenant, String name) {
        return repository.findByTenantAndName(tenant, name).map(r -> new Stored(r.id(), toDomain(r)));
    }

    public boolean exists(String tenant, String name) {
        return repository.existsByTenantAndName(tenant, name);
    }

    public App insert(App a) {
        return toDomain(repository.save(toRow(null, a)));
    }

    /** Writes {@code a} if the row is still at {@code a.resourceVersion()}; else OptimisticLockException. */
    public App update(long id, App a) {
        return toDomain(repository.update(toRow(id, a)));
    }

    public void delete(long id) {
        repository.deleteById(id);
    }

    public TenantUsageRow usageOf(String tenant, String exclude) {
        return repository.usageOf(tenant, exclude);
    }

    public List<App> pageOfTenant(String tenant, String after, int limit) {
        return repository.pageOfTenant(tenant, after, limit).stream().map(AppStore::toDomain).toList();
    }

    public List<App> pageAll(String afterTenant, String afterName, int limit) {
        return repository.pageAll(afterTenant, afterName, limit).stream().map(AppStore::toDomain).toList();
    }

    static AppRow toRow(Long id, App a) {
        return new AppRow(id, a.tenant(), a.name(), a.generation(), a.spec().replicas(), a.spec().cpuMillis(),
                a.spec().memoryMiB(), Json.write(a.spec()), Json.write(a.status()), ResourceVersions.toRow(a.resourceVersion()), a.createdAt(),
                a.updatedAt());
    }

    static App toDomain(AppRow r) {
        return new App(r.tenant(), r.name(), r.generation(), Json.read(r.spec(), App.Spec.class),
                Json.read(r.status(), App.Status.class), ResourceVersions.toApi(r.resourceVersion()), r.createdAt(), r.updatedAt());
    }
}
