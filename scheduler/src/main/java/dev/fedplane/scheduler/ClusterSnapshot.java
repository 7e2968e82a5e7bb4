package dev.fedplane.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, pre-processed view of the member clusters, shared by every placement computed
 * against it: clusters sorted by name (the index of a cluster is its rank by name), labels laid out
 * by key (one array per label key), free capacity and the app-independent {@link CapacityScorer
 * score} per cluster. Build it once per cluster-state change and reuse it for every app (a resync
 * places many apps over one snapshot). Thread-safe: never mutated after build.
 */
public final class ClusterSnapshot {

    private static final Comparator<ClusterInfo> BY_NAME = Comparator.comparing(ClusterInfo::name);

    private final ClusterInfo[] clusters;
    final String[] names;
    final ClusterState[] states;
    final long[] freeCpu;
    final long[] freeMemory;
    final long[] freePods;
    final double[] score;

    /** 64-bit FNV-1a of each cluster's name, for the per-app tie keys of {@link ClusterOrder}. */
    final long[] nameHash;

    final boolean[] cloud;
    final boolean[] tainted;
    private final Map<String, String[]> labelColumns;

    /** Label key -> value -> indexes of the clusters with that label value, ascending. */
    private final Map<String, Map<String, int[]>> labelIndex;

    /** One canonical instance per distinct label value, so that columns compare by reference. */
    private final Map<String, String> canonicalValues;

    /**
     * Name look-up by open addressing: slot -> cluster index + 1 (0 empty), probed linearly from
     * the spread {@link String#hashCode} (cached in every String), with each cluster's hash code
     * kept beside it so that a probe touches no String but the match. Faster than a HashMap of
     * boxed indexes for the thousands of look-ups a {@code names} selector makes.
     */
    private final int[] nameSlots;

    private final int[] nameHashCodes;
    private final List<ClusterInfo> asList;

    private ClusterSnapshot(ClusterInfo[] sorted) {
        int n = sorted.length;
        this.clusters = sorted;
        this.names = new String[n];
        this.states = new ClusterState[n];
        this.freeCpu = new long[n];
        this.freeMemory = new long[n];
        this.freePods = new long[n];
        this.score = new double[n];
        this.nameHash = new long[n];
        this.cloud = new boolean[n];
        this.tainted = new boolean[n];
        this.labelColumns = new HashMap<>();
        this.canonicalValues = new HashMap<>();
        this.nameSlots = new int[Integer.highestOneBit(Math.max(1, n) * 2) << 1];
        this.nameHashCodes = new int[n];
        Map<String, Map<String, IntList>> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ClusterInfo c = sorted[i];
            if (indexOf(c.name()) >= 0) {
                throw new IllegalArgumentException("duplicate cluster name " + c.name());
            }
            names[i] = c.name();
            int code = c.name().hashCode();
            nameHashCodes[i] = code;
            int mask = nameSlots.length - 1;
            int slot = spread(code) & mask;
            while (nameSlots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            nameSlots[slot] = i + 1;
            states[i] = c.state();
            freeCpu[i] = c.allocatable().cpuMillis() - c.requested().cpuMillis();
            freeMemory[i] = c.allocatable().memoryMiB() - c.requested().memoryMiB();
            freePods[i] = c.allocatable().pods() - c.requested().pods();
            score[i] = CapacityScorer.score(c);
            nameHash[i] = ClusterOrder.fnv1a64(c.name());
            cloud[i] = c.isCloud();
            for (Taint t : c.taints()) {
                tainted[i] |= t.effect().filters();
            }
            for (Map.Entry<String, String> label : c.labels().entrySet()) {
                String value = canonicalValues.computeIfAbsent(label.getValue(), v -> v);
                labelColumns.computeIfAbsent(label.getKey(), k -> new String[n])[i] = value;
                index.computeIfAbsent(label.getKey(), k -> new HashMap<>())
                        .computeIfAbsent(value, v -> new IntList())
                        .add(i);
            }
        }
        this.labelIndex = new HashMap<>();
        for (Map.Entry<String, Map<String, IntList>> byKey : index.entrySet()) {
            Map<String, int[]> byValue = new HashMap<>();
            for (Map.Entry<String, IntList> e : byKey.getValue().entrySet()) {
                byValue.put(e.getKey(), e.getValue().toArray());
            }
            labelIndex.put(byKey.getKey(), byValue);
        }
        this.asList = List.of(sorted);
    }

    /**
     * A copy of {@code base} with the clusters at {@code indexes} replaced by {@code replacements}
     * (same name, state, labels, taints and tier): their free capacity and score are computed
     * again, the name, label and taint structures are shared.
     */
    private ClusterSnapshot(ClusterSnapshot base, int[] indexes, ClusterInfo[] replacements) {
        this.clusters = base.clusters.clone();
        this.names = base.names;
        this.states = base.states;
        this.freeCpu = base.freeCpu.clone();
        this.freeMemory = base.freeMemory.clone();
        this.freePods = base.freePods.clone();
        this.score = base.score.clone();
        this.nameHash = base.nameHash;
        this.cloud = base.cloud;
        this.tainted = base.tainted;
        this.labelColumns = base.labelColumns;
        this.labelIndex = base.labelIndex;
        this.canonicalValues = base.canonicalValues;
        this.nameSlots = base.nameSlots;
        this.nameHashCodes = base.nameHashCodes;
        for (int k = 0; k < indexes.length; k++) {
            int i = indexes[k];
            ClusterInfo c = replacements[k];
            clusters[i] = c;
            freeCpu[i] = c.allocatable().cpuMillis() - c.requested().cpuMillis();
            freeMemory[i] = c.allocatable().memoryMiB() - c.requested().memoryMiB();
            freePods[i] = c.allocatable().pods() - c.requested().pods();
            score[i] = CapacityScorer.score(c);
        }
        this.asList = java.util.Collections.unmodifiableList(Arrays.asList(clusters));
    }

    /**
     * A copy of this snapshot in which some clusters' capacity changed (what is allocatable, what
     * is requested, the cost): the same as {@link #with} and {@link #of} with those clusters
     * replaced, but made in O(clusters) array copies, sharing the names, labels and their indexes
     * instead of building them again. This is how one snapshot serves many apps whose placements
     * each see the others' replicas (the control plane's reconciler takes each app's own replicas
     * off the shared snapshot this way). A changed cluster that is new, or whose state, labels,
     * taints or tier differ, makes a full rebuild ({@link #with}).
     */
    public ClusterSnapshot withCapacity(Collection<ClusterInfo> changed) {
        if (changed.isEmpty()) {
            return this;
        }
        int[] indexes = new int[changed.size()];
        ClusterInfo[] replacements = new ClusterInfo[changed.size()];
        int k = 0;
        for (ClusterInfo c : changed) {
            int i = indexOf(c.name());
            if (i < 0 || !sameButCapacity(clusters[i], c)) {
                return with(changed);
            }
            indexes[k] = i;
            replacements[k] = c;
            k++;
        }
        return new ClusterSnapshot(this, indexes, replacements);
    }

    private static boolean sameButCapacity(ClusterInfo a, ClusterInfo b) {
        return a == b
                || (a.state() == b.state()
                        && a.labels().equals(b.labels())
                        && a.taints().equals(b.taints()));
    }

    /** Builds a snapshot; the input may be in any order. Duplicate names are rejected. */
    public static ClusterSnapshot of(Collection<ClusterInfo> clusters) {
        ClusterInfo[] array = clusters.toArray(new ClusterInfo[0]);
        boolean sorted = true;
        for (int i = 1; i < array.length && sorted; i++) {
            sorted = array[i - 1].name().compareTo(array[i].name()) < 0;
        }
        if (!sorted) {
            Arrays.sort(array, BY_NAME);
        }
        return new ClusterSnapshot(array);
    }

    public static ClusterSnapshot of(ClusterInfo... clusters) {
        return of(Arrays.asList(clusters));
    }

    public int size() {
        return clusters.length;
    }

    /** The clusters, sorted by name. */
    public List<ClusterInfo> clusters() {
        return asList;
    }

    public ClusterInfo cluster(int index) {
        return clusters[index];
    }

    /**
     * As {@link #indexOf(String)}, trying {@code hint} first: a caller that looks up names in
     * snapshot (name) order, as a placement lists its clusters, passes the previous index + 1 and
     * skips the hash probe's scattered reads while the names follow each other.
     */
    int indexOf(String name, int hint) {
        if (hint >= 0 && hint < names.length && nameHashCodes[hint] == name.hashCode()) {
            String at = names[hint];
            if (at == name || at.equals(name)) {
                return hint;
            }
        }
        return indexOf(name);
    }

    /** The index (rank by name) of the cluster, or -1 when there is no such cluster. */
    public int indexOf(String name) {
        int code = name.hashCode();
        int mask = nameSlots.length - 1;
        for (int slot = spread(code) & mask; ; slot = (slot + 1) & mask) {
            int v = nameSlots[slot];
            if (v == 0) {
                return -1;
            }
            int i = v - 1;
            if (nameHashCodes[i] == code && (names[i] == name || names[i].equals(name))) {
                return i;
            }
        }
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B9;
    }

    /**
     * The values of one label, by cluster index (null where the cluster lacks it); null when no
     * cluster has it.
     */
    String[] labelColumn(String key) {
        return labelColumns.get(key);
    }

    /**
     * The snapshot's instance of a label value (columns hold these), or null when no cluster has
     * the value.
     */
    String canonicalValue(String value) {
        return canonicalValues.get(value);
    }

    /**
     * Indexes (ascending) of the clusters whose label {@code key} is {@code value}; empty when
     * none.
     */
    int[] clustersWithLabel(String key, String value) {
        Map<String, int[]> byValue = labelIndex.get(key);
        int[] found = byValue == null ? null : byValue.get(value);
        return found == null ? EMPTY : found;
    }

    private static final int[] EMPTY = new int[0];

    /** A growable int array (construction only). */
    private static final class IntList {
        private int[] values = new int[8];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** A copy of the snapshot with some clusters replaced or added (by name). */
    public ClusterSnapshot with(Collection<ClusterInfo> changed) {
        Map<String, ClusterInfo> byName = new HashMap<>();
        for (ClusterInfo c : clusters) {
            byName.put(c.name(), c);
        }
        for (ClusterInfo c : changed) {
            byName.put(c.name(), c);
        }
        return of(new ArrayList<>(byName.values()));
    }
}
