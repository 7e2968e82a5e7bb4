package dev.fedplane.scheduler;

import java.util.List;

/**
 * Clusters with a {@code NoSchedule} or {@code NoExecute} taint that no toleration of the app
 * tolerates are rejected ({@code PreferNoSchedule} never filters). Reason names the first such
 * taint: {@code untolerated taint dedicated=t2:NoSchedule}.
 */
final class TaintFilter implements ClusterFilter {

    static final String NAME = "taints";

    private final ClusterSnapshot snapshot;
    private final List<Toleration> tolerations;

    TaintFilter(ClusterSnapshot snapshot, List<Toleration> tolerations) {
        this.snapshot = snapshot;
        this.tolerations = tolerations;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(Rejection[] rejections) {
        boolean[] tainted = snapshot.tainted;
        for (int i = 0; i < rejections.length; i++) {
            if (tainted[i] && rejections[i] == null) {
                Taint t = firstUntolerated(snapshot.cluster(i).taints());
                if (t != null) {
                    rejections[i] = new Rejection.UntoleratedTaint(t);
                }
            }
        }
    }

    private Taint firstUntolerated(List<Taint> taints) {
        for (Taint t : taints) {
            if (t.effect().filters() && !tolerated(t)) {
                return t;
            }
        }
        return null;
    }

    private boolean tolerated(Taint t) {
        for (Toleration tol : tolerations) {
            if (tol.tolerates(t)) {
                return true;
            }
        }
        return false;
    }
}
