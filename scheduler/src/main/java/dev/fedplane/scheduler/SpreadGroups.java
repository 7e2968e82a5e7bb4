package dev.fedplane.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups of one spread constraint: participating clusters grouped by the value of the
 * constraint's label, ordered best first. A group's best cluster is its first in the app's {@link
 * ClusterOrder cluster order}; a group scores as its best cluster, and groups with equal scores go
 * by label value ascending.
 */
final class SpreadGroups {

    final String label;

    /** Label values, best group first. */
    final String[] values;

    /** The best cluster of each group (same order as values). */
    final int[] best;

    /** Group ordinal (index into values) of every cluster; -1 for non-participants. */
    final int[] groupOf;

    private SpreadGroups(String label, String[] values, int[] best, int[] groupOf) {
        this.label = label;
        this.values = values;
        this.best = best;
        this.groupOf = groupOf;
    }

    int count() {
        return values.length;
    }

    static SpreadGroups of(
            String label, ClusterSnapshot snapshot, boolean[] participant, ClusterOrder order) {
        String[] column = snapshot.labelColumn(label);
        double[] score = snapshot.score;
        int n = snapshot.size();
        int[] rawGroup = new int[n];
        Arrays.fill(rawGroup, -1);
        Map<String, Integer> ids = new HashMap<>();
        List<String> rawValues = new ArrayList<>();
        List<Integer> rawBest = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!participant[i] || column == null || column[i] == null) {
                continue;
            }
            Integer id = ids.get(column[i]);
            if (id == null) {
                id = rawValues.size();
                ids.put(column[i], id);
                rawValues.add(column[i]);
                rawBest.add(i);
            } else if (order.before(i, rawBest.get(id))) {
                rawBest.set(id, i);
            }
            rawGroup[i] = id;
        }
        int g = rawValues.size();
        Integer[] ranked = new Integer[g];
        for (int k = 0; k < g; k++) {
            ranked[k] = k;
        }
        Arrays.sort(
                ranked,
                (a, b) -> {
                    double sa = score[rawBest.get(a)];
                    double sb = score[rawBest.get(b)];
                    return sa != sb
                            ? Double.compare(sb, sa)
                            : rawValues.get(a).compareTo(rawValues.get(b));
                });
        String[] values = new String[g];
        int[] best = new int[g];
        int[] rank = new int[g];
        for (int k = 0; k < g; k++) {
            values[k] = rawValues.get(ranked[k]);
            best[k] = rawBest.get(ranked[k]);
            rank[ranked[k]] = k;
        }
        for (int i = 0; i < n; i++) {
            if (rawGroup[i] >= 0) {
                rawGroup[i] = rank[rawGroup[i]];
            }
        }
        return new SpreadGroups(label, values, best, rawGroup);
    }

    /** How many groups have at least one replica in {@code replicas}. */
    int covered(int[] replicas) {
        boolean[] seen = new boolean[values.length];
        int count = 0;
        for (int i = 0; i < groupOf.length; i++) {
            if (groupOf[i] >= 0 && replicas[i] > 0 && !seen[groupOf[i]]) {
                seen[groupOf[i]] = true;
                count++;
            }
        }
        return count;
    }

    /** Whether group {@code g} has a replica. */
    boolean hasReplica(int g, int[] replicas) {
        for (int i = 0; i < groupOf.length; i++) {
            if (groupOf[i] == g && replicas[i] > 0) {
                return true;
            }
        }
        return false;
    }

    /** Up to a few values, for messages. */
    String describeValues(int limit) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < values.length && k < limit; k++) {
            sb.append(k == 0 ? "" : ", ").append(values[k]);
        }
        if (values.length > limit) {
            sb.append(", and ").append(values.length - limit).append(" more");
        }
        return sb.toString();
    }
}
