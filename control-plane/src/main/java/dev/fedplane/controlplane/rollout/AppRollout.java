package dev.fedplane.controlplane.rollout;

import dev.fedplane.controlplane.app.App;

/**
 * One staged rollout of an app from revision {@code fromRevision} (the stable one every cluster
 * ran) to {@code toRevision}, by the {@code strategy} the app had when it started. Immutable.
 */
public record AppRollout(
        long id,
        long appId,
        String tenant,
        String app,
        long fromRevision,
        long toRevision,
        State state,
        App.Rollout strategy,
        RolloutProgress progress,
        String message,
        String createdBy,
        long resourceVersion,
        long createdAt,
        long updatedAt) {

    public enum State {
        PROGRESSING,
        WAITING_APPROVAL,
        PAUSED,
        COMPLETED,
        ABORTED,
        ROLLED_BACK,
        SUPERSEDED;

        /** The runner moves it along (or waits for a user). */
        public boolean active() {
            return this == PROGRESSING || this == WAITING_APPROVAL || this == PAUSED;
        }

        /** It decides which revision each cluster runs (otherwise the app's current one). */
        public boolean plans() {
            return active() || this == ABORTED;
        }
    }

    public AppRollout {
        message = message == null ? "" : message;
        progress = progress == null ? RolloutProgress.START : progress;
    }

    public AppRollout with(State s, RolloutProgress p, String why, long now) {
        return new AppRollout(
                id,
                appId,
                tenant,
                app,
                fromRevision,
                toRevision,
                s,
                strategy,
                p,
                why,
                createdBy,
                resourceVersion,
                createdAt,
                now);
    }
}
