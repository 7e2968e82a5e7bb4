package dev.fedplane.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The placement pipeline, assembled in one place. The order, for every app:
 *
 * <ol>
 *   <li><b>Fit</b> of every cluster ({@link FitFilter#fits}), reported for all clusters.
 *   <li><b>Filters</b>, in this order; a rejected cluster carries the first rejection: {@link
 *       StateFilter state} → {@link TenantFilter tenant's allowed clusters} → {@link AffinityFilter
 *       clusterAffinity} → {@link TaintFilter taints vs tolerations} → {@link SpreadLabelFilter
 *       spread labels} → {@link FitFilter fit} (at least one replica; DUPLICATED: all of them).
 *   <li><b>Score</b>: app-independent, precomputed in the {@link ClusterSnapshot} by {@link
 *       CapacityScorer}. With the app's tie key it makes the {@link ClusterOrder cluster order}
 *       (higher score, then smaller tie key, then name), which ranks clusters and breaks every tie
 *       below; removals use its reverse.
 *   <li><b>Limits</b> ({@link ClusterLimitResolver}): cap and min per cluster.
 *   <li><b>Weights</b> ({@link PolicyWeigher}) by mode.
 *   <li><b>Participants</b>: feasible clusters with weight above 0 and cap above 0 (DUPLICATED:
 *       feasible clusters).
 *   <li><b>Spread maxGroups</b> (every mode): participants outside the best-scored groups drop out.
 *   <li>By mode. DUPLICATED: tenant quota (fewer copies, best-scored clusters first), spread
 *       minGroups check, every participant runs all replicas. DIVIDED / AGGREGATED: <b>tenant
 *       quota</b> (fewer replicas) → <b>spread minGroups</b> feasibility (DIVIDED) → <b>fresh
 *       division</b> ({@link BoundedProportionalDivider}; AGGREGATED first takes the fewest
 *       clusters by cap; with <b>burst</b> the IDC tier first and the cloud tier only for the
 *       overflow, up to maxCloudReplicas) → <b>spread minGroups</b> redo (DIVIDED: the best cluster
 *       of each missing group gets a minimum of one) → <b>stability</b> with a current placement
 *       ({@link StabilityAdjuster}, per tier, toward the fresh division as target).
 *   <li><b>Explain</b>: per-cluster decisions, placements, unschedulable count and reason.
 * </ol>
 *
 * <p>Stateless and thread-safe: all working state lives in one {@link Work} per call.
 */
final class SchedulingPipeline {

    /** How many clusters an unschedulable reason names before "and N more". */
    private static final int REASON_CLUSTERS = 8;

    Placement place(PlacementRequest request) {
        Work w = new Work(request);
        AppSpec app = request.app();
        ClusterSnapshot snapshot = request.clusters();
        PlacementPolicy policy = app.placement();
        SchedulingType type = policy.replicaScheduling().type();

        // 1. Fit.
        w.fit = FitFilter.fits(snapshot, app.resources());

        // 2. Filters, in order.
        List<ClusterFilter> filters = new ArrayList<>(6);
        filters.add(new StateFilter(snapshot));
        if (request.tenantAllowedClusters() != null) {
            filters.add(
                    new TenantFilter(
                            CompiledSelector.compile(request.tenantAllowedClusters(), snapshot)));
        }
        filters.add(
                new AffinityFilter(CompiledSelector.compile(policy.clusterAffinity(), snapshot)));
        filters.add(new TaintFilter(snapshot, policy.tolerations()));
        if (!policy.spread().isEmpty()) {
            filters.add(new SpreadLabelFilter(snapshot, policy.spread()));
        }
        filters.add(
                new FitFilter(
                        snapshot,
                        app.resources(),
                        w.fit,
                        type == SchedulingType.DUPLICATED ? Math.max(1, w.replicas) : 1));
        for (ClusterFilter filter : filters) {
            filter.filter(w.rejection);
        }

        // 3. Score: snapshot.score. 4. Limits. 5. Weights.
        w.limits =
                new ClusterLimitResolver(
                        type == SchedulingType.DUPLICATED ? List.of() : policy.clusterLimits(),
                        snapshot,
                        w.fit,
                        w.rejection);
        w.cap = w.limits.cap;
        w.min = type == SchedulingType.DIVIDED ? w.limits.min : null;
        w.weight = PolicyWeigher.weights(policy.replicaScheduling(), snapshot, w.fit, w.cap);

        // 6. Participants.
        for (int i = 0; i < w.n; i++) {
            if (w.rejection[i] != null) {
                continue;
            }
            if (type == SchedulingType.DUPLICATED) {
                w.participant[i] = true;
            } else if (w.weight[i] == 0) {
                w.note(i, "weight 0: takes no part in the division");
            } else if (w.cap[i] == 0) {
                w.note(i, "capped by maxReplicas 0");
            } else {
                w.participant[i] = true;
            }
        }

        // 7. Spread maxGroups.
        for (SpreadConstraint s : policy.spread()) {
            if (s.maxGroups() != null) {
                limitGroups(w, s);
            }
        }

        // 8. By mode.
        if (type == SchedulingType.DUPLICATED) {
            duplicate(w);
        } else {
            divide(w, type);
        }

        // 9. Explain.
        return explain(w);
    }

    private static void limitGroups(Work w, SpreadConstraint s) {
        SpreadGroups groups = SpreadGroups.of(s.by(), w.snapshot, w.participant, w.order);
        if (groups.count() <= s.maxGroups()) {
            return;
        }
        for (int i = 0; i < w.n; i++) {
            if (groups.groupOf[i] >= s.maxGroups()) {
                w.participant[i] = false;
                w.note(
                        i,
                        "group "
                                + s.by()
                                + "="
                                + w.snapshot.labelColumn(s.by())[i]
                                + " is not among the best "
                                + s.maxGroups()
                                + " (spread maxGroups)");
            }
        }
    }

    // ---------------------------------------------------------------- DUPLICATED

    private static void duplicate(Work w) {
        w.result = new int[w.n];
        int replicas = w.replicas;
        if (replicas == 0) {
            return;
        }
        // Tenant quota: as many full copies as the quota allows, best-scored clusters first.
        TenantQuotaLimiter.Allowance allowance =
                TenantQuotaLimiter.allowance(
                        w.request.tenantQuota(),
                        w.request.tenantUsage(),
                        w.request.app().resources());
        long copies = allowance.replicas() / replicas;
        int feasible = 0;
        for (int i = 0; i < w.n; i++) {
            feasible += w.participant[i] ? 1 : 0;
        }
        if (copies < feasible) {
            Integer[] order = participantsBestFirst(w);
            for (int k = (int) copies; k < order.length; k++) {
                w.participant[order[k]] = false;
                w.note(
                        order[k],
                        ClusterDecision.QUOTA_WITHHELD_NOTE
                                + copies
                                + " cop"
                                + (copies == 1 ? "y" : "ies")
                                + " ("
                                + allowance.describe()
                                + ")");
            }
        }
        // Spread minGroups: the clusters that run it must cover min(minGroups, replicas) groups.
        for (SpreadConstraint s : w.request.app().placement().spread()) {
            SpreadGroups groups = SpreadGroups.of(s.by(), w.snapshot, w.participant, w.order);
            int required = Math.min(s.minGroups(), replicas);
            if (groups.count() < required) {
                w.fail(spreadShortfall(s, groups, required));
                return;
            }
        }
        for (int i = 0; i < w.n; i++) {
            if (w.participant[i]) {
                w.result[i] = replicas;
            }
        }
        if (feasible == 0) {
            w.unschedulable(
                    replicas,
                    "no cluster fits all "
                            + replicas
                            + " replicas: "
                            + clusterConstraints(w, false));
        } else if (copies == 0) {
            w.unschedulable(
                    replicas,
                    "the tenant quota does not allow one copy of "
                            + replicas
                            + " replicas ("
                            + allowance.describe()
                            + ")");
        }
    }

    private static Integer[] participantsBestFirst(Work w) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < w.n; i++) {
            if (w.participant[i]) {
                list.add(i);
            }
        }
        Integer[] order = list.toArray(new Integer[0]);
        Arrays.sort(order, w.order::compare);
        return order;
    }

    // ---------------------------------------------------------------- DIVIDED and AGGREGATED

    private static void divide(Work w, SchedulingType type) {
        PlacementPolicy policy = w.request.app().placement();
        int units = w.replicas;

        // Tenant quota.
        TenantQuotaLimiter.Allowance allowance =
                TenantQuotaLimiter.allowance(
                        w.request.tenantQuota(),
                        w.request.tenantUsage(),
                        w.request.app().resources());
        if (allowance.replicas() < units) {
            int cut = units - (int) allowance.replicas();
            units = (int) allowance.replicas();
            w.unschedulable(
                    cut,
                    cut
                            + " replica"
                            + (cut == 1 ? "" : "s")
                            + " exceed the tenant quota ("
                            + allowance.describe()
                            + ")");
        }

        // Spread minGroups (DIVIDED): enough groups must exist.
        List<SpreadGroups> minGroups = new ArrayList<>();
        if (type == SchedulingType.DIVIDED) {
            for (SpreadConstraint s : policy.spread()) {
                if (s.minGroups() == 0) {
                    continue;
                }
                SpreadGroups groups = SpreadGroups.of(s.by(), w.snapshot, w.participant, w.order);
                int required = Math.min(s.minGroups(), units);
                if (groups.count() < required) {
                    w.fail(spreadShortfall(s, groups, required));
                    return;
                }
                minGroups.add(groups);
            }
        }

        // Fresh division (the target).
        boolean[] forced = null;
        Division target = freshDivision(w, type, units, null);
        w.division = target;

        // Spread minGroups redo: the best cluster of each missing group (best groups first) gets a
        // minimum of one.
        if (!minGroups.isEmpty()) {
            for (int round = 0; round <= minGroups.size(); round++) {
                boolean changed = false;
                for (int e = 0; e < minGroups.size(); e++) {
                    SpreadGroups groups = minGroups.get(e);
                    int required =
                            Math.min(constraintFor(policy, groups.label, e).minGroups(), units);
                    int missing = required - groups.covered(target.replicas);
                    for (int g = 0; g < groups.count() && missing > 0; g++) {
                        if (!groups.hasReplica(g, target.replicas)) {
                            if (forced == null) {
                                forced = new boolean[w.n];
                            }
                            int best = groups.best[g];
                            if (!forced[best]) {
                                forced[best] = true;
                                changed = true;
                            }
                            missing--;
                        }
                    }
                }
                if (!changed) {
                    break;
                }
                target = freshDivision(w, type, units, forced);
                w.division = target;
            }
            for (int e = 0; e < minGroups.size(); e++) {
                SpreadGroups groups = minGroups.get(e);
                SpreadConstraint s = constraintFor(policy, groups.label, e);
                int required = Math.min(s.minGroups(), units);
                int covered = groups.covered(target.replicas);
                if (covered < required) {
                    w.fail(
                            "spread by "
                                    + s.by()
                                    + " needs a replica in "
                                    + required
                                    + " groups, but only "
                                    + covered
                                    + " could get one ("
                                    + target.reasonSuffix(w)
                                    + ")");
                    return;
                }
            }
        }

        // Stability: from the current placement toward the target, per tier.
        w.result =
                w.request.currentPlacement() != null
                        ? stabilize(w, target.replicas)
                        : target.replicas;

        int leftover = units - target.placed;
        if (leftover > 0) {
            w.unschedulable(
                    leftover,
                    leftover
                            + " replica"
                            + (leftover == 1 ? "" : "s")
                            + " fit nowhere: "
                            + target.reasonSuffix(w));
        }
    }

    /**
     * The spread constraint with a minGroups that produced the e-th entry of the minGroups list.
     */
    private static SpreadConstraint constraintFor(PlacementPolicy policy, String label, int e) {
        int k = 0;
        for (SpreadConstraint s : policy.spread()) {
            if (s.minGroups() == 0) {
                continue;
            }
            if (k++ == e) {
                return s;
            }
        }
        throw new IllegalStateException("no spread constraint by " + label);
    }

    private static String spreadShortfall(SpreadConstraint s, SpreadGroups groups, int required) {
        return "spread by "
                + s.by()
                + " needs a replica in "
                + required
                + " groups, but only "
                + groups.count()
                + (groups.count() == 1 ? " group is" : " groups are")
                + " available"
                + (groups.count() == 0 ? "" : " (" + groups.describeValues(REASON_CLUSTERS) + ")")
                + (s.maxGroups() != null && s.maxGroups() < required
                        ? " and maxGroups is " + s.maxGroups()
                        : "");
    }

    /** The result of a fresh division: replicas per cluster and how the tiers went. */
    private static final class Division {
        final int[] replicas;
        int placed;
        boolean burst;
        int overflow;
        int cloudAllowance;
        boolean cloudClusters;

        Division(int n) {
            replicas = new int[n];
        }

        /** What held the replicas back, in words. */
        String reasonSuffix(Work w) {
            BurstPolicy burst = w.request.app().placement().burst();
            String clusters = clusterConstraints(w, this.burst && cloudAllowance < overflow);
            if (!this.burst || !cloudClusters || overflow == 0) {
                return clusters;
            }
            if (!burst.allowCloud()) {
                return clusters + "; cloud clusters are not allowed (burst.allowCloud is false)";
            }
            if (cloudAllowance < overflow) {
                return clusters
                        + "; cloud is limited to maxCloudReplicas "
                        + burst.maxCloudReplicas();
            }
            return clusters;
        }
    }

    private static Division freshDivision(
            Work w, SchedulingType type, int units, boolean[] forced) {
        Division d = new Division(w.n);
        BurstPolicy burst = w.request.app().placement().burst();
        if (burst == null) {
            d.placed = divideTier(w, type, units, forced, -1, d.replicas);
            return d;
        }
        d.burst = true;
        int idc = divideTier(w, type, units, forced, 0, d.replicas);
        d.overflow = units - idc;
        d.cloudAllowance = burst.cloudAllowance(d.overflow);
        int cloud = divideTier(w, type, d.cloudAllowance, forced, 1, d.replicas);
        for (int i = 0; i < w.n; i++) {
            if (w.participant[i] && w.snapshot.cloud[i]) {
                d.cloudClusters = true;
                break;
            }
        }
        d.placed = idc + cloud;
        return d;
    }

    /**
     * The participants of a tier (-1: all; 0: IDC; 1: cloud), ascending (name order). Computed once
     * per tier and placement: participants no longer change once the division starts.
     */
    private static int[] tier(Work w, int tier) {
        int slot = tier + 1;
        if (w.tiers[slot] != null) {
            return w.tiers[slot];
        }
        boolean[] cloud = w.snapshot.cloud;
        int m = 0;
        for (int i = 0; i < w.n; i++) {
            if (w.participant[i] && (tier < 0 || cloud[i] == (tier == 1))) {
                m++;
            }
        }
        int[] idx = new int[m];
        m = 0;
        for (int i = 0; i < w.n; i++) {
            if (w.participant[i] && (tier < 0 || cloud[i] == (tier == 1))) {
                idx[m++] = i;
            }
        }
        w.tiers[slot] = idx;
        return idx;
    }

    private static int divideTier(
            Work w, SchedulingType type, int units, boolean[] forced, int tier, int[] out) {
        if (units <= 0) {
            return 0;
        }
        int[] idx = tier(w, tier);
        if (type == SchedulingType.AGGREGATED) {
            idx = takeFewest(w, idx, units);
        }
        int[] lo = w.min;
        if (forced != null) {
            lo = lo == null ? new int[w.n] : lo.clone();
            for (int i = 0; i < w.n; i++) {
                if (forced[i]) {
                    lo[i] = Math.max(1, lo[i]);
                }
            }
        }
        return BoundedProportionalDivider.divide(
                units, idx.length, idx, w.weight, lo, w.cap, out, w.order, w.scratch);
    }

    /**
     * AGGREGATED: clusters in order of larger cap, then cluster order, until their caps cover the
     * units; returned in name (index) order.
     */
    private static int[] takeFewest(Work w, int[] idx, int units) {
        Integer[] byCap = new Integer[idx.length];
        for (int k = 0; k < idx.length; k++) {
            byCap[k] = idx[k];
        }
        int[] cap = w.cap;
        Arrays.sort(
                byCap,
                (a, b) ->
                        cap[a] != cap[b] ? Integer.compare(cap[b], cap[a]) : w.order.compare(a, b));
        long covered = 0;
        int taken = 0;
        int[] picked = new int[idx.length];
        for (int k = 0; k < byCap.length && covered < units; k++) {
            int i = byCap[k];
            picked[taken++] = i;
            covered += cap[i];
        }
        int[] result = Arrays.copyOf(picked, taken);
        Arrays.sort(result);
        return result;
    }

    /** Stability: each participant keeps min(current, cap); then per tier toward the target. */
    private static int[] stabilize(Work w, int[] target) {
        int[] held = new int[w.n];
        int hint = 0;
        for (Map.Entry<String, Integer> e : w.request.currentPlacement().entrySet()) {
            int i = w.snapshot.indexOf(e.getKey(), hint);
            if (i >= 0) {
                hint = i + 1;
            }
            if (i >= 0 && w.participant[i] && e.getValue() != null) {
                held[i] = Math.max(0, Math.min(e.getValue(), w.cap[i]));
            }
        }
        boolean burst = w.request.app().placement().burst() != null;
        for (int tier : burst ? new int[] {0, 1} : new int[] {-1}) {
            int[] idx = tier(w, tier);
            StabilityAdjuster.converge(idx.length, idx, held, target, w.weight, w.order, w.scratch);
        }
        return held;
    }

    // ---------------------------------------------------------------- Explain

    /**
     * What holds each cluster back, in name order, for an unschedulable reason: full participants
     * ("is at maxReplicas 5", "is full (fits 3)"), feasible non-participants (weight 0, maxGroups)
     * and rejected clusters ("is NOT_READY", or the rejection reason).
     */
    private static String clusterConstraints(Work w, boolean skipCloudParticipants) {
        StringBuilder sb = new StringBuilder();
        int listed = 0;
        int more = 0;
        for (int i = 0; i < w.n; i++) {
            String text = constraintOf(w, i, skipCloudParticipants);
            if (text == null) {
                continue;
            }
            if (listed < REASON_CLUSTERS) {
                sb.append(listed == 0 ? "" : ", ").append(text);
                listed++;
            } else {
                more++;
            }
        }
        if (listed == 0) {
            sb.append("no cluster is available");
        }
        if (more > 0) {
            sb.append(", and ").append(more).append(" more");
        }
        return sb.toString();
    }

    private static String constraintOf(Work w, int i, boolean skipCloudParticipants) {
        String name = w.snapshot.names[i];
        Rejection r = w.rejection[i];
        if (r != null) {
            return r instanceof Rejection.NotReady nr
                    ? name + " is " + nr.state()
                    : name + ": " + r.reason();
        }
        if (!w.participant[i]) {
            return w.notes != null && w.notes[i] != null ? name + ": " + w.notes[i] : null;
        }
        if (skipCloudParticipants && w.snapshot.cloud[i]) {
            return null;
        }
        if (w.limits.cappedByMax(i, w.fit[i])) {
            return name + " is at maxReplicas " + w.limits.max[i];
        }
        if (w.cap[i] == w.fit[i]) {
            return name + " is full (fits " + w.fit[i] + ")";
        }
        return null;
    }

    private static Placement explain(Work w) {
        if (w.result == null) {
            w.result = new int[w.n];
        }
        int holders = 0;
        int placed = 0;
        boolean divided =
                w.request.app().placement().replicaScheduling().type() == SchedulingType.DIVIDED;
        int[] belowMin = null;
        for (int i = 0; i < w.n; i++) {
            int replicas = w.result[i];
            placed += replicas;
            if (replicas > 0) {
                holders++;
            }
            if (divided && !w.failed && w.participant[i] && w.min != null && replicas < w.min[i]) {
                if (belowMin == null) {
                    belowMin = new int[w.n];
                }
                belowMin[i] = w.min[i];
            }
        }
        int unschedulable = w.replicas - placed;
        if (w.request.app().placement().replicaScheduling().type() == SchedulingType.DUPLICATED) {
            // Every cluster that runs it runs all replicas: unschedulable is all or nothing.
            unschedulable = placed > 0 || w.replicas == 0 ? 0 : w.replicas;
        }
        String reason = null;
        if (unschedulable > 0) {
            reason =
                    w.reasons.isEmpty()
                            ? unschedulable + " replicas could not be placed"
                            : String.join("; ", w.reasons);
        }
        DecisionList decisions =
                new DecisionList(
                        w.snapshot.names,
                        w.rejection,
                        w.weight,
                        w.fit,
                        w.snapshot.score,
                        w.result,
                        w.notes,
                        belowMin,
                        w.participant,
                        idleNotes(w, placed, holders),
                        w.snapshot.cloud);
        return new Placement(
                PlacementList.of(w.snapshot.names, w.result, holders),
                unschedulable,
                reason,
                decisions);
    }

    /**
     * Why a participant (feasible, weight and cap above 0) got no replica: {@code [0]} for an IDC
     * or untiered cluster, {@code [1]} for a cloud cluster under burst. Two strings per placement,
     * shared by every such cluster.
     */
    private static String[] idleNotes(Work w, int placed, int holders) {
        if (w.failed) {
            String why = "not placed: " + w.reasons.get(0);
            return new String[] {why, why};
        }
        PlacementPolicy policy = w.request.app().placement();
        String general;
        if (w.replicas == 0) {
            general = "not needed: the app has 0 replicas";
        } else if (placed == 0) {
            general =
                    "not placed: "
                            + (w.reasons.isEmpty()
                                    ? "no replica could be placed"
                                    : w.reasons.get(0));
        } else if (policy.replicaScheduling().type() == SchedulingType.AGGREGATED) {
            general =
                    "not needed: AGGREGATED packs "
                            + replicasText(placed)
                            + " into "
                            + clustersText(holders);
        } else {
            general =
                    "not needed: "
                            + replicasText(placed)
                            + " went to "
                            + holders
                            + " better-ordered cluster"
                            + (holders == 1 ? "" : "s")
                            + (w.request.currentPlacement() != null
                                    ? " (kept where they run)"
                                    : "");
        }
        String cloud = general;
        Division d = w.division;
        BurstPolicy burst = policy.burst();
        if (burst != null
                && d != null
                && policy.replicaScheduling().type() != SchedulingType.DUPLICATED) {
            if (d.overflow == 0) {
                cloud =
                        "not needed: IDC clusters hold every replica (cloud takes only the overflow)";
            } else if (!burst.allowCloud()) {
                cloud =
                        "not used: "
                                + replicasText(d.overflow)
                                + " overflow IDC, but burst.allowCloud is false";
            } else if (d.cloudAllowance == 0) {
                cloud = "not used: burst.maxCloudReplicas is 0";
            }
        }
        return new String[] {general, cloud};
    }

    private static String replicasText(int count) {
        return count + " replica" + (count == 1 ? "" : "s");
    }

    private static String clustersText(int count) {
        return count + " cluster" + (count == 1 ? "" : "s");
    }

    /** Working state of one placement. */
    static final class Work {
        final PlacementRequest request;
        final ClusterSnapshot snapshot;
        final int n;
        final int replicas;
        final ClusterOrder order;
        final Rejection[] rejection;
        final boolean[] participant;

        /**
         * Replicas per cluster: the division's (or stability's) array once it ran; zeros until
         * then.
         */
        int[] result;

        /** The participants of each tier (all, IDC, cloud), computed once: see {@link #tier}. */
        final int[][] tiers = new int[3][];

        final DivisionScratch scratch = new DivisionScratch();
        long[] fit;
        int[] weight;
        int[] cap;
        int[] min;
        ClusterLimitResolver limits;
        String[] notes;

        /** The last fresh division of DIVIDED / AGGREGATED (null for DUPLICATED or before it). */
        Division division;

        final List<String> reasons = new ArrayList<>(2);
        boolean failed;

        Work(PlacementRequest request) {
            this.request = request;
            this.snapshot = request.clusters();
            this.n = snapshot.size();
            this.replicas = request.app().replicas();
            this.order = ClusterOrder.of(snapshot, request.app());
            this.rejection = new Rejection[n];
            this.participant = new boolean[n];
        }

        void note(int i, String text) {
            if (notes == null) {
                notes = new String[n];
            }
            notes[i] = text;
        }

        void unschedulable(int count, String reason) {
            if (count > 0) {
                reasons.add(reason);
            }
        }

        /** Nothing is placed; every replica is unschedulable for this reason. */
        void fail(String reason) {
            failed = true;
            result = new int[n];
            reasons.clear();
            reasons.add(reason);
        }
    }
}
