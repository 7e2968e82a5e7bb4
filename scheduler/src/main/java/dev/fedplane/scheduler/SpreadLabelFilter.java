package dev.fedplane.scheduler;

import java.util.List;

/**
 * A cluster without the label of a spread constraint is infeasible. Reason: {@code missing spread
 * label idc}.
 */
final class SpreadLabelFilter implements ClusterFilter {

    static final String NAME = "spreadLabel";

    private final ClusterSnapshot snapshot;
    private final List<SpreadConstraint> spread;

    SpreadLabelFilter(ClusterSnapshot snapshot, List<SpreadConstraint> spread) {
        this.snapshot = snapshot;
        this.spread = spread;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(Rejection[] rejections) {
        for (SpreadConstraint s : spread) {
            String[] column = snapshot.labelColumn(s.by());
            Rejection missing = new Rejection.MissingSpreadLabel(s.by());
            for (int i = 0; i < rejections.length; i++) {
                if (rejections[i] == null && (column == null || column[i] == null)) {
                    rejections[i] = missing;
                }
            }
        }
    }
}
