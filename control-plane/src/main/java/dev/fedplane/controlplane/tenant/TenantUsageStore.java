package dev.fedplane.controlplane.tenant;

import dev.fedplane.controlplane.store.Json;
import dev.fedplane.controlplane.store.StoreDialect;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The {@code tenant_usage} rows: what each tenant's apps ask for in all, kept equal to the sum over
 * its apps by every app write, and the tenant's admission lock. Callers own the transaction.
 */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class TenantUsageStore {
    private static final String SET =
            "tenant_usage SET replicas = replicas + ?, cpu_millis = cpu_millis + ?, "
                    + "memory_mib = memory_mib + ? WHERE tenant = ?";
    private static final String COLUMNS = "tenant, replicas, cpu_millis, memory_mib, quota";
    private static final String ADD_RETURNING_POSTGRES = "UPDATE " + SET + " RETURNING " + COLUMNS;
    private static final String ADD_RETURNING_H2 =
            "SELECT " + COLUMNS + " FROM FINAL TABLE (UPDATE " + SET + ")";

    private final TenantUsageRepository usage;
    private final TransactionOperations<Connection> tx;
    private final String addReturning;

    public TenantUsageStore(
            TenantUsageRepository usage,
            TransactionOperations<Connection> tx,
            StoreDialect dialect) {
        this.usage = usage;
        this.tx = tx;
        this.addReturning = dialect.postgres() ? ADD_RETURNING_POSTGRES : ADD_RETURNING_H2;
    }

    /** Starts a new tenant's use at zero, with its quota copy. */
    public void create(String tenant, Tenant.Quota quota) {
        usage.save(new TenantUsageRow(tenant, 0, 0, 0));
        setQuota(tenant, quota);
    }

    public void delete(String tenant) {
        usage.deleteById(tenant);
    }

    /**
     * Takes the tenant's admission lock (see {@link TenantUsageRepository#lock}); empty when the
     * tenant does not exist.
     */
    public Optional<TenantDemand> lock(String tenant) {
        return usage.lock(tenant).map(TenantUsageStore::toDomain);
    }

    /**
     * Locks the tenant's usage row and returns it with the tenant's quota (its copy on that row).
     */
    public Optional<LockedUsage> lockWithQuota(String tenant) {
        return usage.lockWithQuota(tenant);
    }

    /**
     * Writes the copy of the tenant's quota on its usage row (with every tenant write that sets the
     * quota).
     */
    public void setQuota(String tenant, Tenant.Quota quota) {
        usage.setQuota(tenant, Json.write(quota));
    }

    /** What the tenant's apps ask for in all. */
    public TenantDemand of(String tenant) {
        return usage.findById(tenant)
                .map(TenantUsageStore::toDomain)
                .orElse(TenantDemand.none(tenant));
    }

    /** Adds {@code after - before} to the tenant's use; the tenant's row must exist. */
    public void add(String tenant, TenantDemand before, TenantDemand after) {
        if (usage.add(
                        tenant,
                        after.replicas() - before.replicas(),
                        after.cpuMillis() - before.cpuMillis(),
                        after.memoryMiB() - before.memoryMiB())
                != 1) {
            throw new IllegalStateException("tenant " + tenant + " has no usage row");
        }
    }

    /**
     * Admission and use in one round trip: adds {@code after - before} to the tenant's use and
     * returns the row as it now is, with the tenant's quota copy; empty when the tenant has no
     * usage row. The update takes the row's lock (the tenant's admission lock) until the
     * transaction ends, so the totals returned include every committed write of the tenant and no
     * concurrent one; a caller that finds them over the quota throws, and the rollback takes the
     * addition back. Runs in the caller's transaction.
     */
    public Optional<LockedUsage> addReturning(
            String tenant, TenantDemand before, TenantDemand after) {
        Connection c =
                (Connection)
                        tx.findTransactionStatus()
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        "tenant use is added inside a transaction"))
                                .getConnection();
        try (PreparedStatement s = c.prepareStatement(addReturning)) {
            s.setLong(1, Math.subtractExact(after.replicas(), before.replicas()));
            s.setLong(2, Math.subtractExact(after.cpuMillis(), before.cpuMillis()));
            s.setLong(3, Math.subtractExact(after.memoryMiB(), before.memoryMiB()));
            s.setString(4, tenant);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new LockedUsage(
                                r.getString(1),
                                r.getLong(2),
                                r.getLong(3),
                                r.getLong(4),
                                r.getString(5)));
            }
        } catch (SQLException e) {
            throw new io.micronaut.data.exceptions.DataAccessException(
                    "adding to the use of tenant " + tenant + ": " + e.getMessage(), e);
        }
    }

    static TenantDemand toDomain(TenantUsageRow r) {
        return new TenantDemand(r.tenant(), r.replicas(), r.cpuMillis(), r.memoryMib());
    }
}
