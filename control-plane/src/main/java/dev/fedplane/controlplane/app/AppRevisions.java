package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.store.Json;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * The numbered revisions of every app's pod template. Callers own the transaction: a revision is
 * written in the transaction of the app write that made it, so that a failed write leaves none.
 */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class AppRevisions {
    private final AppRevisionRepository repository;
    private final int historyLimit;

    public AppRevisions(
            AppRevisionRepository repository,
            @Value("${fedplane.revisions.history-limit:10}") int historyLimit) {
        if (historyLimit < 1) {
            throw new IllegalArgumentException(
                    "fedplane.revisions.history-limit must be at least 1, not " + historyLimit);
        }
        this.repository = repository;
        this.historyLimit = historyLimit;
    }

    /**
     * Records {@code spec} as the app's newest revision when its template differs from the newest
     * one's (or the app has none yet), and drops revisions beyond the history limit. Returns the
     * app's current revision number.
     */
    public long record(long appId, long generation, App.Spec spec, long now, String by) {
        return record(appId, generation, spec, now, by, 0);
    }

    /** As above; revision {@code keep} (0: none) stays whatever the history limit says. */
    public long record(long appId, long generation, App.Spec spec, long now, String by, long keep) {
        Optional<AppRevisionRow> latest = repository.latest(appId);
        if (latest.isPresent() && toDomain(latest.get()).template().equals(PodTemplate.of(spec))) {
            return latest.get().revision();
        }
        long next = latest.map(r -> r.revision() + 1).orElse(1L);
        repository.insert(appId, next, generation, Json.write(spec), now, by);
        repository.deleteOlderThanExcept(appId, next - historyLimit + 1, keep);
        return next;
    }

    /** Records revision 1 of an app just inserted (it has none to compare with or drop). */
    public long recordFirst(long appId, App.Spec spec, long now, String by) {
        repository.insert(appId, 1, 1, Json.write(spec), now, by);
        return 1;
    }

    /** Newest first. */
    public List<AppRevision> list(long appId) {
        return repository.list(appId).stream().map(AppRevisions::toDomain).toList();
    }

    public Optional<AppRevision> find(long appId, long revision) {
        return repository.find(appId, revision).map(AppRevisions::toDomain);
    }

    public Optional<AppRevision> latest(long appId) {
        return repository.latest(appId).map(AppRevisions::toDomain);
    }

    /** The newest revision number of every app with a row id in [fromId, toId]. */
    public java.util.Map<Long, Long> latestNumbersBetween(long fromId, long toId) {
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (AppRevisionRow r : repository.latestBetween(fromId, toId)) {
            m.put(r.appId(), r.revision());
        }
        return m;
    }

    public void deleteAll(long appId) {
        repository.deleteAll(appId);
    }

    public int historyLimit() {
        return historyLimit;
    }

    private static AppRevision toDomain(AppRevisionRow r) {
        return new AppRevision(
                r.revision(),
                r.generation(),
                Json.read(r.spec(), App.Spec.class),
                r.createdAt(),
                r.createdBy());
    }
}
