package dev.fedplane.scheduler;

/**
 * Why a filter rejected a cluster: structured, with {@link #reason()} in words a person can read.
 * {@link #filter()} names the filter (the constants in the filter classes).
 */
public sealed interface Rejection {

    String filter();

    String reason();

    /** The cluster is not READY. */
    record NotReady(ClusterState state) implements Rejection {
        private static final NotReady[] BY_STATE = new NotReady[ClusterState.values().length];

        static {
            for (ClusterState s : ClusterState.values()) {
                BY_STATE[s.ordinal()] = new NotReady(s);
            }
        }

        static NotReady of(ClusterState state) {
            return BY_STATE[state.ordinal()];
        }

        public String filter() {
            return StateFilter.NAME;
        }

        public String reason() {
            return "state " + state;
        }
    }

    /** The cluster does not match the tenant's allowed-cluster selector. */
    record NotAllowedForTenant() implements Rejection {
        static final NotAllowedForTenant INSTANCE = new NotAllowedForTenant();

        public String filter() {
            return TenantFilter.NAME;
        }

        public String reason() {
            return "not allowed for tenant";
        }
    }

    /**
     * The cluster does not match the app's clusterAffinity; {@code requirement} is the first part
     * that failed.
     */
    record AffinityMismatch(String requirement) implements Rejection {
        public String filter() {
            return AffinityFilter.NAME;
        }

        public String reason() {
            return "does not match clusterAffinity (" + requirement + ")";
        }
    }

    /** The cluster has a NoSchedule/NoExecute taint no toleration of the app tolerates. */
    record UntoleratedTaint(Taint taint) implements Rejection {
        public String filter() {
            return TaintFilter.NAME;
        }

        public String reason() {
            return "untolerated taint " + taint;
        }
    }

    /** The cluster lacks the label a spread constraint groups by. */
    record MissingSpreadLabel(String label) implements Rejection {
        public String filter() {
            return SpreadLabelFilter.NAME;
        }

        public String reason() {
            return "missing spread label " + label;
        }
    }

    /**
     * Fewer than {@code replicasNeeded} replicas fit ({@code fits} do); {@code resource} ("cpu",
     * "memory" or "pods") is the one that binds, with the per-replica request and what is free.
     */
    record InsufficientResource(
            String resource, long requestedPerReplica, long free, long fits, int replicasNeeded)
            implements Rejection {
        public String filter() {
            return FitFilter.NAME;
        }

        public String reason() {
            String detail =
                    switch (resource) {
                        case "cpu" ->
                                "requested "
                                        + requestedPerReplica
                                        + "m per replica, free "
                                        + free
                                        + "m";
                        case "memory" ->
                                "requested "
                                        + requestedPerReplica
                                        + "Mi per replica, free "
                                        + free
                                        + "Mi";
                        default -> "free " + free;
                    };
            if (replicasNeeded <= 1) {
                return "insufficient " + resource + ": " + detail;
            }
            return "insufficient "
                    + resource
                    + " for "
                    + replicasNeeded
                    + " replicas (fits "
                    + fits
                    + "): "
                    + detail;
        }
    }
}
