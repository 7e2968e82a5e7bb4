package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.audit.AuditLog;
import dev.fedplane.controlplane.auth.Access;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.PageToken;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.events.Changed;
import dev.fedplane.controlplane.tenant.LockedUsage;
import dev.fedplane.controlplane.tenant.Tenant;
import dev.fedplane.controlplane.tenant.TenantDemand;
import dev.fedplane.controlplane.tenant.TenantStore;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * App use cases. Each public method is one transaction. Every write takes its tenant's admission
 * lock (the tenant's usage row) and checks the quota against what the tenant's other apps use in
 * the same transaction, so concurrent writes of one tenant cannot jointly overshoot it: updates,
 * scales and deletes take it first; a create inserts its row first and takes it last, with the
 * addition of its use, in one statement. Work that needs no lock (validation, the duplicate check)
 * happens before it. A write called through the API writes its own audit row in its transaction
 * ({@link AuditLog#recordWithWrite}). Thread-safe.
 */
@Singleton
public class AppService {
    private final AppStore store;
    private final AppRevisions revisions;
    private final TenantStore tenants;
    private final Clock clock;
    private final ApplicationEventPublisher<Changed> changes;
    private final TemplateChanges templateChanges;
    private final AuditLog audit;

    public AppService(
            AppStore store,
            AppRevisions revisions,
            TenantStore tenants,
            Clock clock,
            ApplicationEventPublisher<Changed> changes,
            TemplateChanges templateChanges,
            AuditLog audit) {
        this.audit = audit;
        this.store = store;
        this.revisions = revisions;
        this.templateChanges = templateChanges;
        this.tenants = tenants;
        this.clock = clock;
        this.changes = changes;
    }

    public record Page(List<App> apps, String nextPageToken) {}

    @Transactional
    public App create(Principal caller, String tenant, String name, App.Spec spec) {
        Violations v = new Violations();
        AppValidator.validateNames(tenant, name, "app", v);
        v.throwIfAny();
        Access.requireWrite(caller, tenant);
        AppValidator.validateSpec(spec, "app.spec", v);
        v.throwIfAny();
        if (store.exists(tenant, name)) {
            throw FedplaneException.alreadyExists("app", tenant + "/" + name);
        }
        if (!tenants.exists(tenant)) {
            throw FedplaneException.notFound("tenant", tenant);
        }
        long now = clock.millis();
        App.Status pending = AppStore.pending(now);
        // The row first, the tenant's lock last: the lock is held only for the use update, the
        // quota check and the commit. Admission is one statement: the tenant's use is raised and
        // read back with its quota (UPDATE ... RETURNING); a refusal rolls the row, the revision
        // and the raise back together.
        AppStore.Stored inserted =
                store.insertRow(new App(tenant, name, 1, spec, pending, 1, now, now));
        App created = inserted.app();
        revisions.recordFirst(inserted.id(), spec, now, caller.tokenId());
        changes.publishEvent(
                Changed.app(
                        tenant,
                        name)); // delivered after commit; in HA also fed in this transaction
        // The audit row before the lock: the lock is held for the use update and the commit only
        // (a refusal rolls the row back with the rest and is audited apart).
        audit.recordWithWrite();
        LockedUsage raised =
                store.addNewUseReturning(tenant, spec)
                        .orElseThrow(() -> FedplaneException.notFound("tenant", tenant));
        admit(
                tenant,
                quotaOf(tenant, raised),
                minus(raised.usage(), AppStore.demandOf(tenant, spec)),
                null,
                spec);
        return created;
    }

    /** {@code all - part}, field by field. */
    private static TenantDemand minus(TenantDemand all, TenantDemand part) {
        return new TenantDemand(
                all.tenant(),
                all.replicas() - part.replicas(),
                all.cpuMillis() - part.cpuMillis(),
                all.memoryMiB() - part.memoryMiB());
    }

    @Transactional(readOnly = true)
    public App get(Principal caller, String tenant, String name) {
        return load(caller, tenant, name, false).app();
    }

    /**
     * {@link #get} with the row id and the reconciler's stored placement (JSON, null before the
     * first).
     */
    @Transactional(readOnly = true)
    public AppStore.Stored getStored(Principal caller, String tenant, String name) {
        authorize(caller, tenant, name, false);
        return store.findWithPlacement(tenant, name)
                .orElseThrow(() -> FedplaneException.notFound("app", tenant + "/" + name));
    }

    /** One tenant's apps, or every app the caller may see when {@code tenant} is empty. */
    @Transactional(readOnly = true)
    public Page list(Principal caller, String tenant, int pageSize, String pageToken) {
        int size = PageToken.pageSize(pageSize, "page_size");
        String after = PageToken.decode(pageToken, "page_token");
        String scope = tenant;
        if (scope.isEmpty() && !caller.isPlatformAdmin()) {
            scope = caller.tenant();
        }
        List<App> rows;
        if (scope.isEmpty()) {
            int slash = after.indexOf('/');
            rows =
                    new ArrayList<>(
                            slash < 0
                                    ? store.pageAll("", "", size + 1)
                                    : store.pageAll(
                                            after.substring(0, slash),
                                            after.substring(slash + 1),
                                            size + 1));
        } else {
            Violations v = new Violations();
            v.requireDns1123Label("tenant", scope);
            v.throwIfAny();
            Access.requireRead(caller, scope);
            int slash = after.indexOf('/');
            rows =
                    new ArrayList<>(
                            store.pageOfTenant(
                                    scope,
                                    slash < 0 ? after : after.substring(slash + 1),
                                    size + 1));
        }
        String next = "";
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            App last = rows.get(size - 1);
            next = PageToken.encode(last.tenant() + "/" + last.name());
        }
        return new Page(rows, next);
    }

    /**
     * Replaces the spec and raises the generation; a non-zero resource version is a precondition.
     */
    @Transactional
    public App update(
            Principal caller, String tenant, String name, long resourceVersion, App.Spec spec) {
        Violations v = new Violations();
        AppValidator.validateNames(tenant, name, "app", v);
        v.throwIfAny();
        Access.requireWrite(caller, tenant);
        AppValidator.validateSpec(spec, "app.spec", v);
        v.throwIfAny();
        return write(caller, tenant, name, resourceVersion, spec);
    }

    @Transactional
    public App scale(
            Principal caller, String tenant, String name, long resourceVersion, int replicas) {
        Violations v = new Violations();
        v.requireDns1123Label("tenant", tenant);
        v.requireDns1123Label("name", name);
        v.throwIfAny();
        Access.requireWrite(caller, tenant);
        AppValidator.validateReplicas(replicas, "replicas", v);
        v.throwIfAny();
        // The new spec from the app as read under the tenant's lock: a scale without precondition
        // keeps whatever a concurrent write changed besides the replicas.
        return write(
                caller,
                tenant,
                name,
                resourceVersion,
                current -> current.withReplicas(replicas),
                false);
    }

    @Transactional
    public void delete(Principal caller, String tenant, String name, long resourceVersion) {
        authorize(caller, tenant, name, true);
        store.lockUsage(tenant);
        AppStore.Stored current = loadForWrite(tenant, name);
        checkVersion(current.app(), resourceVersion);
        store.delete(current.id(), current.app());
        revisions.deleteAll(current.id());
        templateChanges.deleted(current.id());
        changes.publishEvent(Changed.app(tenant, name));
        audit.recordWithWrite();
    }

    /** The tenant's quota from its copy on the usage row (the tenant row for an old row). */
    private Tenant.Quota quotaOf(String tenant, LockedUsage usage) {
        return usage.quota() == null
                ? tenants.find(tenant).map(Tenant::quota).orElse(Tenant.Quota.UNLIMITED)
                : dev.fedplane.controlplane.store.Json.read(usage.quota(), Tenant.Quota.class);
    }

    /** What a rollback made: the app as written and its new revision. */
    public record RolledBack(App app, long revision) {}

    /**
     * A new revision with revision {@code toRevision}'s template (0: the one before the current
     * one), the rest of the spec as it is; rolled out by the app's strategy, or to every cluster at
     * once when {@code immediate}. The caller checked nothing; this does (as {@link #update}).
     */
    @Transactional
    public RolledBack rollback(
            Principal caller,
            String tenant,
            String name,
            long toRevision,
            boolean immediate,
            long resourceVersion) {
        Violations v = new Violations();
        v.requireDns1123Label("tenant", tenant);
        v.requireDns1123Label("name", name);
        v.requireNonNegative("to_revision", toRevision);
        v.requireNonNegative("resource_version", resourceVersion);
        v.throwIfAny();
        Access.requireWrite(caller, tenant);
        AppStore.Stored current = load(caller, tenant, name, true);
        long currentRevision = revisions.latest(current.id()).map(AppRevision::revision).orElse(0L);
        long target = toRevision == 0 ? currentRevision - 1 : toRevision;
        AppRevision to =
                revisions
                        .find(current.id(), target)
                        .orElseThrow(
                                () ->
                                        FedplaneException.notFound(
                                                "revision",
                                                target
                                                        + " of app "
                                                        + tenant
                                                        + "/"
                                                        + name
                                                        + " (the newest "
                                                        + revisions.historyLimit()
                                                        + " are kept)"));
        // The template is put on the app as read under the tenant's lock (its replicas and the
        // rest as they are then).
        App written =
                write(
                        caller,
                        tenant,
                        name,
                        resourceVersion,
                        locked -> {
                            App.Spec spec = locked.withTemplate(to.template());
                            if (PodTemplate.of(spec).equals(PodTemplate.of(locked))) {
                                throw FedplaneException.failedPrecondition(
                                        "revision "
                                                + target
                                                + " has the template the app has now (revision "
                                                + currentRevision
                                                + "): nothing to roll back");
                            }
                            return spec;
                        },
                        immediate);
        return new RolledBack(
                written, revisions.latest(current.id()).map(AppRevision::revision).orElse(0L));
    }

    private App write(
            Principal caller, String tenant, String name, long resourceVersion, App.Spec spec) {
        return write(caller, tenant, name, resourceVersion, current -> spec, false);
    }

    /**
     * Writes {@code change} applied to the app's spec as read under the tenant's admission lock,
     * with the app's row locked (the read before the lock, if any, decides nothing).
     */
    private App write(
            Principal caller,
            String tenant,
            String name,
            long resourceVersion,
            java.util.function.UnaryOperator<App.Spec> change,
            boolean immediate) {
        // The tenant's admission lock first (its use and its quota copy in one read): writes of
        // one tenant are ordered before they read the app.
        LockedUsage locked =
                store.lockUsageWithQuota(tenant)
                        .orElseThrow(() -> FedplaneException.notFound("app", tenant + "/" + name));
        Tenant.Quota quota = quotaOf(tenant, locked);
        authorize(caller, tenant, name, true);
        AppStore.Stored current = loadForWrite(tenant, name);
        checkVersion(current.app(), resourceVersion);
        App a = current.app();
        App.Spec spec = change.apply(a.spec());
        admit(tenant, quota, locked.usage(), a.spec(), spec);
        App updated =
                store.update(
                        current.id(),
                        a.spec(),
                        new App(
                                tenant,
                                name,
                                a.generation() + 1,
                                spec,
                                a.status(),
                                a.resourceVersion(),
                                a.createdAt(),
                                clock.millis()));
        long before = revisions.latest(current.id()).map(AppRevision::revision).orElse(0L);
        long after =
                revisions.record(
                        current.id(),
                        updated.generation(),
                        spec,
                        updated.updatedAt(),
                        caller.tokenId(),
                        templateChanges.pinnedRevision(current.id(), before, spec));
        if (after != before) {
            templateChanges.changed(
                    current.id(),
                    updated,
                    before,
                    after,
                    immediate,
                    caller.tokenId(),
                    updated.updatedAt());
        }
        changes.publishEvent(Changed.app(tenant, name));
        audit.recordWithWrite();
        return updated;
    }

    /**
     * RESOURCE_EXHAUSTED when the tenant's other apps plus {@code after} go past any quota field.
     * {@code before} is the app's current spec (null for a new app); the caller holds the tenant's
     * lock.
     */
    private void admit(
            String tenant, Tenant.Quota q, TenantDemand all, App.Spec before, App.Spec after) {
        if (q.cpuMillis() == null && q.memoryMiB() == null && q.replicas() == null) {
            return;
        }
        TenantDemand mine = AppStore.demandOf(tenant, before);
        TenantDemand wanted = AppStore.demandOf(tenant, after);
        List<String> over = new ArrayList<>();
        check(over, "replicas", all.replicas() - mine.replicas(), wanted.replicas(), q.replicas());
        check(
                over,
                "cpu_millis",
                all.cpuMillis() - mine.cpuMillis(),
                wanted.cpuMillis(),
                q.cpuMillis());
        check(
                over,
                "memory_mib",
                all.memoryMiB() - mine.memoryMiB(),
                wanted.memoryMiB(),
                q.memoryMiB());
        if (!over.isEmpty()) {
            throw FedplaneException.quotaExceeded(
                    "this write would exceed the quota of tenant "
                            + tenant
                            + ": "
                            + String.join("; ", over));
        }
    }

    private static void check(
            List<String> over, String what, long used, long requested, Long limit) {
        if (limit != null && used + requested > limit) {
            over.add(what + ": used " + used + " + requested " + requested + " > limit " + limit);
        }
    }

    private AppStore.Stored load(Principal caller, String tenant, String name, boolean forWrite) {
        authorize(caller, tenant, name, forWrite);
        return store.find(tenant, name)
                .orElseThrow(() -> FedplaneException.notFound("app", tenant + "/" + name));
    }

    /** The app with its row locked; the caller holds the tenant's lock and has authorized. */
    private AppStore.Stored loadForWrite(String tenant, String name) {
        return store.findForWrite(tenant, name)
                .orElseThrow(() -> FedplaneException.notFound("app", tenant + "/" + name));
    }

    private static void authorize(Principal caller, String tenant, String name, boolean forWrite) {
        Violations v = new Violations();
        v.requireDns1123Label("tenant", tenant);
        v.requireDns1123Label("name", name);
        v.throwIfAny();
        if (forWrite) {
            Access.requireWrite(caller, tenant);
        } else {
            Access.requireRead(caller, tenant);
        }
    }

    private static void checkVersion(App current, long given) {
        if (given != 0 && given != current.resourceVersion()) {
            throw FedplaneException.staleVersion(
                    "app",
                    current.tenant() + "/" + current.name(),
                    given,
                    current.resourceVersion());
        }
    }
}
