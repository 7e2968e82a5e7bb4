package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.auth.Access;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Violations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.List;

/** Reads an app's revisions and what changed between two of them. */
@Singleton
public class AppRevisionService {
    private final AppStore apps;
    private final AppRevisions revisions;

    public AppRevisionService(AppStore apps, AppRevisions revisions) {
        this.apps = apps;
        this.revisions = revisions;
    }

    /** The kept revisions, newest (current) first. */
    public record History(List<AppRevision> revisions) {
        public long current() {
            return revisions.isEmpty() ? 0 : revisions.get(0).revision();
        }
    }

    public record Diff(long from, long to, List<TemplateDiff.Change> changes) {}

    @Transactional(readOnly = true)
    public History list(Principal caller, String tenant, String name) {
        return new History(revisions.list(load(caller, tenant, name)));
    }

    /** A revision and the app's current revision number. */
    public record Found(AppRevision revision, long current) {
        public boolean isCurrent() {
            return revision.revision() == current;
        }
    }

    /** One revision; 0 is the current one. */
    @Transactional(readOnly = true)
    public Found get(Principal caller, String tenant, String name, long revision) {
        Violations v = new Violations();
        requireRevision(v, "revision", revision, true);
        v.throwIfAny();
        long id = load(caller, tenant, name);
        AppRevision current = find(id, tenant, name, 0);
        return new Found(
                revision == 0 ? current : find(id, tenant, name, revision), current.revision());
    }

    /** What changed from {@code from} to {@code to} (0: the current revision). */
    @Transactional(readOnly = true)
    public Diff diff(Principal caller, String tenant, String name, long from, long to) {
        Violations v = new Violations();
        requireRevision(v, "from_revision", from, false);
        requireRevision(v, "to_revision", to, true);
        v.throwIfAny();
        long id = load(caller, tenant, name);
        AppRevision a = find(id, tenant, name, from);
        AppRevision b = find(id, tenant, name, to);
        return new Diff(
                a.revision(), b.revision(), TemplateDiff.between(a.template(), b.template()));
    }

    private long load(Principal caller, String tenant, String name) {
        Violations v = new Violations();
        v.requireDns1123Label("tenant", tenant);
        v.requireDns1123Label("name", name);
        v.throwIfAny();
        Access.requireRead(caller, tenant);
        return apps.find(tenant, name)
                .orElseThrow(() -> FedplaneException.notFound("app", tenant + "/" + name))
                .id();
    }

    private AppRevision find(long appId, String tenant, String name, long revision) {
        if (revision == 0) {
            return revisions
                    .latest(appId)
                    .orElseThrow(
                            () ->
                                    FedplaneException.notFound(
                                            "revision", "current of app " + tenant + "/" + name));
        }
        return revisions
                .find(appId, revision)
                .orElseThrow(
                        () ->
                                FedplaneException.notFound(
                                        "revision",
                                        revision
                                                + " of app "
                                                + tenant
                                                + "/"
                                                + name
                                                + " (the newest "
                                                + revisions.historyLimit()
                                                + " are kept)"));
    }

    private static void requireRevision(
            Violations v, String field, long revision, boolean zeroAllowed) {
        if (revision < 0 || (!zeroAllowed && revision == 0)) {
            v.add(
                    field,
                    zeroAllowed
                            ? "must be a revision number, or 0 for the current one"
                            : "must be a revision number (1 or more)");
        }
    }
}
