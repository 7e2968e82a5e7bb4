package dev.fedplane.scheduler;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The clusters of one placement that got at least one replica, in name order, as an immutable list
 * that makes each {@link ClusterReplicas} when it is read, from the pipeline's arrays (the
 * snapshot's names and the replicas per cluster). A placement over thousands of clusters so
 * allocates one index array instead of a growing list of records. The arrays are never written once
 * handed over, so the list is safe to share between threads. Equality is element-wise.
 */
final class PlacementList extends AbstractList<ClusterReplicas> implements RandomAccess {

    private final String[] names;
    private final int[] replicas;
    private final int[] holders; // indexes of the clusters with replicas, ascending

    private PlacementList(String[] names, int[] replicas, int[] holders) {
        this.names = names;
        this.replicas = replicas;
        this.holders = holders;
    }

    /** The clusters with {@code replicas[i] > 0}; {@code count} is how many there are. */
    static PlacementList of(String[] names, int[] replicas, int count) {
        int[] holders = new int[count];
        int k = 0;
        for (int i = 0; i < replicas.length && k < count; i++) {
            if (replicas[i] > 0) {
                holders[k++] = i;
            }
        }
        return new PlacementList(names, replicas, holders);
    }

    @Override
    public ClusterReplicas get(int index) {
        int i = holders[index];
        return new ClusterReplicas(names[i], replicas[i]);
    }

    @Override
    public int size() {
        return holders.length;
    }
}
