package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.common.ClusterSelector;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An application of a tenant: its spec (what the user asked for) and status (what happened).
 * Immutable.
 */
public record App(
        String tenant,
        String name,
        long generation,
        Spec spec,
        Status status,
        long resourceVersion,
        long createdAt,
        long updatedAt) {

    public App {
        status = status == null ? Status.NONE : status;
    }

    public record Spec(
            String image,
            int replicas,
            long cpuMillis,
            long memoryMiB,
            List<Port> ports,
            List<EnvVar> env,
            Policy placement,
            List<ClusterOverride> overrides,
            Rollout rollout) {
        public Spec {
            ports = ports == null ? List.of() : List.copyOf(ports);
            env = env == null ? List.of() : List.copyOf(env);
            placement = placement == null ? Policy.DEFAULT : placement;
            overrides = overrides == null ? List.of() : List.copyOf(overrides);
        }

        /**
         * A spec without overrides or a rollout strategy (every cluster gets a new template at
         * once).
         */
        public Spec(
                String image,
                int replicas,
                long cpuMillis,
                long memoryMiB,
                List<Port> ports,
                List<EnvVar> env,
                Policy placement) {
            this(image, replicas, cpuMillis, memoryMiB, ports, env, placement, List.of(), null);
        }

        public Spec withReplicas(int n) {
            return new Spec(
                    image, n, cpuMillis, memoryMiB, ports, env, placement, overrides, rollout);
        }

        public Spec withPlacement(Policy p) {
            return new Spec(
                    image, replicas, cpuMillis, memoryMiB, ports, env, p, overrides, rollout);
        }

        /** This spec with {@code t}'s image, requests, ports and env. */
        public Spec withTemplate(PodTemplate t) {
            return new Spec(
                    t.image(),
                    replicas,
                    t.cpuMillis(),
                    t.memoryMiB(),
                    t.ports(),
                    t.env(),
                    placement,
                    overrides,
                    rollout);
        }

        /** True when a template change goes out in stages. */
        public boolean staged() {
            return rollout != null && !rollout.stages().isEmpty();
        }
    }

    public enum Gate {
        AUTO,
        MANUAL
    }

    public enum OnFailure {
        PAUSE,
        ROLLBACK
    }

    /**
     * One batch of a staged rollout: the clusters whose labels match {@code clusterSelector}
     * (empty: every remaining cluster), at most {@code maxUnavailableClusters} rolling at a time
     * (0: all), passing after {@code soakSeconds} updated and ready, and then an approval when
     * MANUAL.
     */
    public record Stage(
            String name,
            java.util.Map<String, String> clusterSelector,
            int maxUnavailableClusters,
            long soakSeconds,
            Gate gate) {
        public Stage {
            clusterSelector =
                    clusterSelector == null
                            ? java.util.Map.of()
                            : java.util.Collections.unmodifiableMap(
                                    new java.util.TreeMap<>(clusterSelector));
            gate = gate == null ? Gate.AUTO : gate;
        }

        public boolean matches(java.util.Map<String, String> labels) {
            for (java.util.Map.Entry<String, String> e : clusterSelector.entrySet()) {
                if (labels == null || !e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One per-cluster override (docs/overrides.md): empty strings, empty lists and maps and zero
     * numbers change nothing. {@code cpuMillis}/{@code memoryMiB} 0 keep the spec's request.
     */
    public record ClusterOverride(
            String name,
            ClusterSelector selector,
            String imageRegistry,
            String imagePrefix,
            List<EnvVar> env,
            List<String> removeEnv,
            long cpuMillis,
            long memoryMiB,
            Map<String, String> labels,
            Map<String, String> annotations,
            int replicasFloor) {
        public ClusterOverride {
            name = name == null ? "" : name;
            selector = selector == null ? ClusterSelector.ALL : selector;
            imageRegistry = imageRegistry == null ? "" : imageRegistry;
            imagePrefix = imagePrefix == null ? "" : imagePrefix;
            env = env == null ? List.of() : List.copyOf(env);
            removeEnv = removeEnv == null ? List.of() : List.copyOf(removeEnv);
            labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
            annotations =
                    annotations == null
                            ? Map.of()
                            : Collections.unmodifiableMap(new TreeMap<>(annotations));
        }
    }

    /**
     * How a new revision reaches the clusters: stages in order, the Deployment's RollingUpdate
     * ({@code maxSurge}, {@code maxUnavailable}; both 0: Kubernetes' defaults), what a failed stage
     * does, the per-cluster deadline (seconds; 0: {@link #DEFAULT_DEADLINE_SECONDS}) and the ready
     * floor of a finished cluster (percent; 0: none).
     */
    public record Rollout(
            List<Stage> stages,
            int maxSurge,
            int maxUnavailable,
            OnFailure onFailure,
            long progressDeadlineSeconds,
            int minReadyPercent) {
        public static final long DEFAULT_DEADLINE_SECONDS = 600;

        public Rollout {
            stages = stages == null ? List.of() : List.copyOf(stages);
            onFailure = onFailure == null ? OnFailure.PAUSE : onFailure;
        }

        public long deadlineMillis() {
            return (progressDeadlineSeconds <= 0
                            ? DEFAULT_DEADLINE_SECONDS
                            : progressDeadlineSeconds)
                    * 1000;
        }
    }

    public record Port(String name, int containerPort, String protocol) {}

    public record EnvVar(String name, String value) {}

    public enum Type {
        DUPLICATED,
        DIVIDED,
        AGGREGATED
    }

    public enum Division {
        STATIC_WEIGHTS,
        DYNAMIC
    }

    /** The placement policy, with DESIGN's scenario-format semantics. */
    public record Policy(
            ClusterSelector clusterAffinity,
            List<Toleration> tolerations,
            Type type,
            Division division,
            List<Weight> weights,
            List<Limit> clusterLimits,
            List<Spread> spread,
            Burst burst,
            boolean failback) {
        public static final Policy DEFAULT =
                new Policy(
                        ClusterSelector.ALL,
                        List.of(),
                        Type.DIVIDED,
                        Division.STATIC_WEIGHTS,
                        List.of(),
                        List.of(),
                        List.of(),
                        null,
                        false);

        public Policy {
            clusterAffinity = clusterAffinity == null ? ClusterSelector.ALL : clusterAffinity;
            tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
            weights = weights == null ? List.of() : List.copyOf(weights);
            clusterLimits = clusterLimits == null ? List.of() : List.copyOf(clusterLimits);
            spread = spread == null ? List.of() : List.copyOf(spread);
        }
    }

    public record Toleration(String key, String operator, String value, String effect) {}

    public record Weight(ClusterSelector clusters, int weight) {}

    /** {@code maxReplicas} null: no maximum. */
    public record Limit(ClusterSelector clusters, int minReplicas, Integer maxReplicas) {}

    /** {@code maxGroups} 0: no maximum. */
    public record Spread(String by, int minGroups, int maxGroups) {}

    /** {@code maxCloudReplicas} null: no limit. */
    public record Burst(boolean allowCloud, Integer maxCloudReplicas) {}

    public record ClusterReplicas(String cluster, int desired, int ready) {}

    public record Condition(
            String type, String status, String reason, String message, long lastTransition) {}

    public record Status(
            long observedGeneration,
            List<ClusterReplicas> clusters,
            List<Condition> conditions,
            int unschedulable,
            String unschedulableReason) {
        public static final Status NONE = new Status(0, List.of(), List.of(), 0, "");

        public Status {
            clusters = clusters == null ? List.of() : List.copyOf(clusters);
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
            unschedulableReason = unschedulableReason == null ? "" : unschedulableReason;
        }
    }
}
