package dev.fedplane.controlplane.rollout;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.PodTemplate;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which revision of an app each cluster runs: {@code revision} (the app's current one) everywhere
 * but on the clusters of {@code onFrom}, which run {@code fromRevision} with {@code fromTemplate}
 * (a rollout has not reached them, or was aborted); and the Deployment's RollingUpdate. Pure and
 * immutable.
 */
public record RevisionPlan(
        long revision,
        int maxSurge,
        int maxUnavailable,
        long fromRevision,
        PodTemplate fromTemplate,
        Set<String> onFrom) {

    public RevisionPlan {
        onFrom = onFrom == null ? Set.of() : Set.copyOf(onFrom);
    }

    /** Every cluster runs {@code revision}. */
    public static RevisionPlan steady(long revision, App.Spec spec) {
        App.Rollout r = spec.rollout();
        return new RevisionPlan(
                revision,
                r == null ? 0 : r.maxSurge(),
                r == null ? 0 : r.maxUnavailable(),
                0,
                null,
                Set.of());
    }

    /**
     * As rollout {@code r} says, for the clusters of {@code labels} (every cluster by name, with
     * its labels); {@code fromTemplate} is revision {@code r.fromRevision()}'s template.
     */
    public static RevisionPlan of(
            long revision,
            App.Spec spec,
            AppRollout r,
            PodTemplate fromTemplate,
            Map<String, Map<String, String>> labels) {
        if (r == null || !r.state().plans() || r.toRevision() != revision || fromTemplate == null) {
            return steady(revision, spec);
        }
        Set<String> old = new TreeSet<>();
        for (Map.Entry<String, Map<String, String>> e : labels.entrySet()) {
            int stage = RolloutStateMachine.stageOf(r.strategy().stages(), e.getValue());
            if (!RolloutStateMachine.onNewRevision(r, e.getKey(), stage)) {
                old.add(e.getKey());
            }
        }
        App.Rollout s = spec.rollout() == null ? r.strategy() : spec.rollout();
        return new RevisionPlan(
                revision, s.maxSurge(), s.maxUnavailable(), r.fromRevision(), fromTemplate, old);
    }

    public boolean runsFrom(String cluster) {
        return fromTemplate != null && onFrom.contains(cluster);
    }

    /** The revision {@code cluster} runs. */
    public long revisionOn(String cluster) {
        return runsFrom(cluster) ? fromRevision : revision;
    }
}
