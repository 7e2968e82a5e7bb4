package dev.fedplane.controlplane.app;

/**
 * Told by {@link AppService}, inside the writing transaction, about template changes and deletes,
 * so that rollouts start, stop and keep their revisions with the write that caused them (the
 * rollout feature implements it; this package does not depend on it).
 */
public interface TemplateChanges {

    /**
     * Before a write of app {@code appId} with {@code spec} records a revision: a revision that
     * must survive the history limit (the stable one a rollout starts or goes on from), or 0.
     */
    long pinnedRevision(long appId, long currentRevision, App.Spec spec);

    /**
     * After the write recorded {@code toRevision} (a template change from {@code fromRevision}):
     * {@code immediate} sends it to every cluster at once whatever the strategy says.
     */
    void changed(
            long appId,
            App app,
            long fromRevision,
            long toRevision,
            boolean immediate,
            String by,
            long now);

    /** The app is being deleted. */
    void deleted(long appId);
}
