package dev.fedplane.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@link ClusterSelector} resolved against one {@link ClusterSnapshot}: label keys become the
 * snapshot's per-key value arrays, selector values become the snapshot's canonical value instances
 * (so a match is a reference compare; a value no cluster has can never match), and names become
 * cluster indexes (a membership array only when {@link #matches} needs one). When the selector has
 * an indexable part (names, a matchLabels entry, an {@code In} expression) {@link #matching()}
 * visits only the clusters that part selects, through the snapshot's label index. Cost of a names
 * selector: one hash look-up per name and a sort of the found indexes; nothing per cluster of the
 * fleet. Built per placement; not shared (not thread-safe).
 */
final class CompiledSelector {

    private final ClusterSnapshot snapshot;
    private final boolean all;
    private final boolean hasNames;
    private int[] foundNames; // in the selector's order, repeats kept; computed on first use
    private int[] namedIndexes; // ascending, distinct; computed on first use
    private boolean[] named; // membership, built on first matches(); only with names
    private String namesText; // for reasons; built on first mismatch
    private final Part[] parts;
    private final ClusterSelector selector;
    private int[] candidates; // computed on first matching(); null: every cluster is a candidate
    private boolean candidatesResolved;

    /**
     * One requirement; {@code source} is a LabelRequirement or a matchLabels entry, for {@link
     * #text()}.
     */
    private record Part(String[] column, SelectorOperator op, String[] values, Object source) {

        String text() {
            if (source instanceof Map.Entry<?, ?> e) {
                return e.getKey() + "=" + e.getValue();
            }
            return source.toString();
        }

        boolean matches(int i) {
            String v = column == null ? null : column[i];
            return switch (op) {
                case In -> v != null && contains(values, v);
                case NotIn -> v == null || !contains(values, v);
                case Exists -> v != null;
                case DoesNotExist -> v == null;
            };
        }

        /**
         * Values are canonical instances (or null for values no cluster has): compare references.
         */
        private static boolean contains(String[] values, String v) {
            for (String x : values) {
                if (x == v) {
                    return true;
                }
            }
            return false;
        }
    }

    private CompiledSelector(ClusterSelector selector, ClusterSnapshot snapshot, Part[] parts) {
        this.selector = selector;
        this.snapshot = snapshot;
        this.hasNames = selector.names() != null;
        this.parts = parts;
        this.all = !hasNames && parts.length == 0;
    }

    static CompiledSelector compile(ClusterSelector selector, ClusterSnapshot snapshot) {
        if (selector.isEmpty()) {
            return new CompiledSelector(selector, snapshot, NO_PARTS);
        }
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
            parts.add(
                    new Part(
                            snapshot.labelColumn(e.getKey()),
                            SelectorOperator.In,
                            new String[] {snapshot.canonicalValue(e.getValue())},
                            e));
        }
        for (LabelRequirement r : selector.matchExpressions()) {
            String[] values = new String[r.values().size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = snapshot.canonicalValue(r.values().get(k));
            }
            parts.add(new Part(snapshot.labelColumn(r.key()), r.operator(), values, r));
        }
        return new CompiledSelector(selector, snapshot, parts.toArray(NO_PARTS));
    }

    private static final Part[] NO_PARTS = new Part[0];

    /**
     * The indexes of the named clusters present in the snapshot, in the selector's order (repeats
     * kept).
     */
    private int[] foundNames() {
        if (foundNames == null) {
            List<String> names = selector.names();
            int[] found = new int[names.size()];
            int count = 0;
            for (int k = 0, size = names.size(); k < size; k++) {
                int i = snapshot.indexOf(names.get(k));
                if (i >= 0) {
                    found[count++] = i;
                }
            }
            foundNames = count == found.length ? found : Arrays.copyOf(found, count);
        }
        return foundNames;
    }

    /** The indexes of the named clusters present in the snapshot, ascending and distinct. */
    private int[] namedIndexes() {
        if (namedIndexes == null) {
            int[] found = foundNames().clone();
            Arrays.sort(found);
            int distinct = 0;
            for (int k = 0; k < found.length; k++) {
                if (distinct == 0 || found[k] != found[distinct - 1]) {
                    found[distinct++] = found[k];
                }
            }
            namedIndexes = distinct == found.length ? found : Arrays.copyOf(found, distinct);
        }
        return namedIndexes;
    }

    /**
     * Every cluster the selector matches, in no particular order and possibly more than once: for
     * callers that fold the matches with max or min (weights, limits), which so skip the sort a
     * {@code names} selector would need for {@link #matching()}.
     */
    int[] matchingAnyOrder() {
        if (hasNames && parts.length == 0) {
            return foundNames();
        }
        return matching();
    }

    /**
     * The smallest candidate set an indexable part gives (ascending), or null when none is
     * indexable.
     */
    private int[] resolveCandidates() {
        int[] best = null;
        if (hasNames) {
            best = namedIndexes();
        }
        for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
            best = smaller(best, snapshot.clustersWithLabel(e.getKey(), e.getValue()));
        }
        for (LabelRequirement r : selector.matchExpressions()) {
            if (r.operator() == SelectorOperator.In) {
                best = smaller(best, union(snapshot, r));
            }
        }
        return best;
    }

    private static int[] smaller(int[] a, int[] b) {
        return a == null || b.length < a.length ? b : a;
    }

    private static int[] union(ClusterSnapshot snapshot, LabelRequirement r) {
        if (r.values().size() == 1) {
            return snapshot.clustersWithLabel(r.key(), r.values().get(0));
        }
        int total = 0;
        List<int[]> lists = new ArrayList<>();
        for (String v : new java.util.TreeSet<>(r.values())) {
            int[] l = snapshot.clustersWithLabel(r.key(), v);
            lists.add(l);
            total += l.length;
        }
        int[] all = new int[total];
        int at = 0;
        for (int[] l : lists) {
            System.arraycopy(l, 0, all, at, l.length);
            at += l.length;
        }
        Arrays.sort(all);
        return all;
    }

    boolean matchesAll() {
        return all;
    }

    boolean matches(int i) {
        if (all) {
            return true;
        }
        if (hasNames && !named()[i]) {
            return false;
        }
        return matchesParts(i);
    }

    private boolean[] named() {
        if (named == null) {
            named = new boolean[snapshot.size()];
            for (int i : namedIndexes()) {
                named[i] = true;
            }
        }
        return named;
    }

    /** Whether the label parts (not the names) match cluster {@code i}. */
    private boolean matchesParts(int i) {
        for (Part p : parts) {
            if (!p.matches(i)) {
                return false;
            }
        }
        return true;
    }

    /** Indexes (ascending) of every cluster the selector matches. */
    int[] matching() {
        if (!candidatesResolved) {
            candidates = resolveCandidates();
            candidatesResolved = true;
        }
        if (candidates != null && exactCandidates()) {
            return candidates; // the index gives exactly the matches (shared: callers only read it)
        }
        if (candidates == null) {
            int n = snapshot.size();
            int[] out = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (matches(i)) {
                    out[count++] = i;
                }
            }
            return count == n ? out : Arrays.copyOf(out, count);
        }
        boolean fromNames = hasNames && candidates == namedIndexes;
        int[] out = new int[candidates.length];
        int count = 0;
        for (int i : candidates) {
            if (fromNames ? matchesParts(i) : matches(i)) {
                out[count++] = i;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * Whether the selector is a single indexable part, so its candidates are exactly its matches.
     */
    private boolean exactCandidates() {
        if (hasNames) {
            return parts.length == 0;
        }
        return parts.length == 1 && parts[0].op() == SelectorOperator.In;
    }

    /** The first part of the selector the cluster fails, in words, or null when it matches. */
    String firstMismatch(int i) {
        if (hasNames && !named()[i]) {
            if (namesText == null) {
                namesText = "names [" + String.join(", ", selector.names()) + "]";
            }
            return namesText;
        }
        for (Part p : parts) {
            if (!p.matches(i)) {
                return p.text();
            }
        }
        return null;
    }
}
