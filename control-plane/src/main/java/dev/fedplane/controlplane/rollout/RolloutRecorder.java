package dev.fedplane.controlplane.rollout;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.TemplateChanges;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Starts and ends rollouts with the app writes that change the template, in their transaction. A
 * template change supersedes the app's rollout in flight (or aborted); with a staged strategy (and
 * not {@code immediate}) it starts a new one from the stable revision: the in-flight rollout's old
 * revision (clusters it had not reached run that one), or else the revision before the change. That
 * stable revision is kept in the history while the rollout needs it.
 */
@Singleton
public class RolloutRecorder implements TemplateChanges {
    private final RolloutStore store;

    public RolloutRecorder(RolloutStore store) {
        this.store = store;
    }

    @Override
    public long pinnedRevision(long appId, long currentRevision, App.Spec spec) {
        Optional<AppRollout> latest = store.latest(appId);
        if (latest.isPresent() && latest.get().state().plans()) {
            return latest.get().fromRevision();
        }
        return spec.staged() ? currentRevision : 0;
    }

    @Override
    public void changed(
            long appId,
            App app,
            long fromRevision,
            long toRevision,
            boolean immediate,
            String by,
            long now) {
        long stable = fromRevision;
        Optional<AppRollout> latest = store.latest(appId);
        if (latest.isPresent() && latest.get().state().plans()) {
            AppRollout old = latest.get();
            stable = old.fromRevision();
            store.update(
                    old.with(
                            AppRollout.State.SUPERSEDED,
                            old.progress(),
                            "revision " + toRevision + " replaced it",
                            now));
        }
        if (!app.spec().staged() || immediate || stable == 0) {
            return;
        }
        store.insert(
                new AppRollout(
                        0,
                        appId,
                        app.tenant(),
                        app.name(),
                        stable,
                        toRevision,
                        AppRollout.State.PROGRESSING,
                        app.spec().rollout(),
                        RolloutProgress.START,
                        "stage " + app.spec().rollout().stages().get(0).name(),
                        by,
                        1,
                        now,
                        now));
    }

    @Override
    public void deleted(long appId) {
        store.deleteOfApp(appId);
    }
}
