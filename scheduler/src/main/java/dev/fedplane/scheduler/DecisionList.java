package dev.fedplane.scheduler;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The per-cluster explanations of one placement, as an immutable list that builds each {@link
 * ClusterDecision} when it is read, from the arrays the pipeline computed. A resync reads only the
 * placements of most apps, so it does not pay for thousands of decision objects per app. The arrays
 * are owned by this list once the pipeline hands them over (never written again), so the list is
 * safe to share between threads. Equality is element-wise, as for any list.
 */
final class DecisionList extends AbstractList<ClusterDecision> implements RandomAccess {

    private final String[] names;
    private final Rejection[] rejection;
    private final int[] weight;
    private final long[] fit;
    private final double[] score;
    private final int[] replicas;
    private final String[] notes; // may be null
    private final int[]
            belowMin; // min per cluster when a "below minReplicas" note applies, else null
    private final boolean[] participant;
    private final String[]
            idleNotes; // why a participant got 0: [0] IDC or untiered, [1] cloud under burst
    private final boolean[] cloud;

    DecisionList(
            String[] names,
            Rejection[] rejection,
            int[] weight,
            long[] fit,
            double[] score,
            int[] replicas,
            String[] notes,
            int[] belowMin,
            boolean[] participant,
            String[] idleNotes,
            boolean[] cloud) {
        this.names = names;
        this.rejection = rejection;
        this.weight = weight;
        this.fit = fit;
        this.score = score;
        this.replicas = replicas;
        this.notes = notes;
        this.belowMin = belowMin;
        this.participant = participant;
        this.idleNotes = idleNotes;
        this.cloud = cloud;
    }

    @Override
    public ClusterDecision get(int i) {
        String note = notes == null ? null : notes[i];
        if (note == null && belowMin != null && belowMin[i] > 0) {
            note = "below minReplicas " + belowMin[i];
        }
        if (note == null && replicas[i] == 0 && participant[i]) {
            note = idleNotes[cloud[i] ? 1 : 0];
        }
        return new ClusterDecision(
                names[i], rejection[i], weight[i], fit[i], score[i], replicas[i], note);
    }

    @Override
    public int size() {
        return names.length;
    }
}
