package dev.fedplane.scheduler;

/**
 * Only clusters the app's {@code clusterAffinity} matches (names, matchLabels, matchExpressions
 * In/NotIn/Exists/DoesNotExist). Reason names the first failing part: {@code does not match
 * clusterAffinity (region In [east])}.
 */
final class AffinityFilter implements ClusterFilter {

    static final String NAME = "affinity";

    private final CompiledSelector affinity;

    AffinityFilter(CompiledSelector affinity) {
        this.affinity = affinity;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(Rejection[] rejections) {
        if (affinity.matchesAll()) {
            return;
        }
        for (int i = 0; i < rejections.length; i++) {
            if (rejections[i] == null && !affinity.matches(i)) {
                rejections[i] = new Rejection.AffinityMismatch(affinity.firstMismatch(i));
            }
        }
    }
}
