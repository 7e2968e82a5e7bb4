package dev.fedplane.controlplane.tenant;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fedplane.controlplane.auth.KnownTenants;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.store.ResourceVersions;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps tenants to and from their rows. Callers own the transaction. */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class TenantStore implements KnownTenants {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final TenantRepository repository;

    public TenantStore(TenantRepository repository) {
        this.repository = repository;
    }

    public Optional<Tenant> find(String name) {
        return repository.findById(name).map(TenantStore::toDomain);
    }

    public Optional<Tenant> lock(String name) {
        return repository.lockByName(name).map(TenantStore::toDomain);
    }

    @Override
    public boolean exists(String name) {
        return repository.existsById(name);
    }

    public Tenant insert(Tenant t) {
        return withVersion(t, repository.save(toRow(t)));
    }

    /**
     * Writes {@code t} if the stored row is still at {@code t.resourceVersion()}; else
     * OptimisticLockException.
     */
    public Tenant update(Tenant t) {
        return withVersion(t, repository.update(toRow(t)));
    }

    /**
     * {@code t} as written: the row's new version, without parsing back what was just serialised.
     */
    private static Tenant withVersion(Tenant t, TenantRow saved) {
        return new Tenant(
                t.name(),
                t.displayName(),
                t.labels(),
                t.quota(),
                t.allowedClusters(),
                t.network(),
                ResourceVersions.toApi(saved.resourceVersion()),
                t.createdAt(),
                t.updatedAt());
    }

    public void delete(String name) {
        repository.deleteById(name);
    }

    public List<Tenant> page(String after, int limit) {
        return repository.page(after, limit).stream().map(TenantStore::toDomain).toList();
    }

    static TenantRow toRow(Tenant t) {
        return new TenantRow(
                t.name(),
                t.displayName(),
                Json.write(t.labels()),
                Json.write(t.quota()),
                Json.write(t.allowedClusters()),
                Json.write(t.network()),
                ResourceVersions.toRow(t.resourceVersion()),
                t.createdAt(),
                t.updatedAt());
    }

    static Tenant toDomain(TenantRow r) {
        return new Tenant(
                r.name(),
                r.displayName(),
                Json.read(r.labels(), LABELS),
                Json.read(r.quota(), Tenant.Quota.class),
                Json.read(r.allowedClusters(), ClusterSelector.class),
                Json.read(r.network(), Tenant.NetworkRules.class),
                ResourceVersions.toApi(r.resourceVersion()),
                r.createdAt(),
                r.updatedAt());
    }
}
