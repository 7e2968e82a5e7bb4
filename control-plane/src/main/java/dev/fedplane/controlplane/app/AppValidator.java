package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.common.Violations;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates an app spec; paths are those of the protobuf request ({@code app.spec.replicas}). */
public final class AppValidator {
    static final int MAX_REPLICAS = 100_000;

    /**
     * Per-replica requests above any machine (a million cores, about a pebibyte): with at most
     * {@link #MAX_REPLICAS} replicas an app's total, and a tenant's sum of such totals, stays far
     * inside a 64-bit column instead of overflowing in the store (which answered INTERNAL).
     */
    static final long MAX_CPU_MILLIS = 1_000_000_000L;

    static final long MAX_MEMORY_MIB = 1_000_000_000L;
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final Pattern IMAGE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._/:@-]*");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final Set<String> EFFECTS =
            Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private AppValidator() {}

    public static void validateNames(String tenant, String name, String f, Violations v) {
        v.requireDns1123Label(f + ".tenant", tenant);
        v.requireDns1123Label(f + ".name", name);
    }

    public static void validateSpec(App.Spec s, String f, Violations v) {
        if (s.image() == null || s.image().isEmpty()) {
            v.add(f + ".image", "is required");
        } else if (s.image().length() > 512 || !IMAGE.matcher(s.image()).matches()) {
            v.add(f + ".image", "is not a valid image reference");
        }
        validateReplicas(s.replicas(), f + ".replicas", v);
        v.requireNonNegative(f + ".resources.cpu_millis", s.cpuMillis());
        v.requireNonNegative(f + ".resources.memory_mib", s.memoryMiB());
        if (s.cpuMillis() > MAX_CPU_MILLIS) {
            v.add(
                    f + ".resources.cpu_millis",
                    "must be at most " + MAX_CPU_MILLIS + ", got " + s.cpuMillis());
        }
        if (s.memoryMiB() > MAX_MEMORY_MIB) {
            v.add(
                    f + ".resources.memory_mib",
                    "must be at most " + MAX_MEMORY_MIB + ", got " + s.memoryMiB());
        }
        Set<Integer> ports = new HashSet<>();
        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < s.ports().size(); i++) {
            App.Port p = s.ports().get(i);
            String pf = f + ".ports[" + i + "]";
            if (p.containerPort() < 1 || p.containerPort() > 65535) {
                v.add(pf + ".container_port", "must be 1..65535, got " + p.containerPort());
            } else if (!ports.add(p.containerPort())) {
                v.add(pf + ".container_port", "repeats port " + p.containerPort());
            }
            if (!p.name().isEmpty()
                    && (p.name().length() > 15 || !Violations.isDns1123Label(p.name()))) {
                v.add(pf + ".name", "must be a DNS-1123 label of at most 15 characters");
            } else if (!p.name().isEmpty() && !portNames.add(p.name())) {
                v.add(pf + ".name", "repeats name " + p.name());
            }
            if (!PROTOCOLS.contains(p.protocol())) {
                v.add(pf + ".protocol", "must be TCP, UDP or SCTP, got \"" + p.protocol() + "\"");
            }
        }
        Set<String> envNames = new HashSet<>();
        for (int i = 0; i < s.env().size(); i++) {
            App.EnvVar e = s.env().get(i);
            String ef = f + ".env[" + i + "].name";
            if (e.name() == null || !ENV_NAME.matcher(e.name()).matches()) {
                v.add(ef, "must be a C identifier-like name (letters, digits, '_', '-', '.')");
            } else if (!envNames.add(e.name())) {
                v.add(ef, "repeats " + e.name());
            }
        }
        validatePolicy(s.placement(), f + ".placement", v);
        if (s.rollout() != null) {
            validateRollout(s.rollout(), f + ".rollout", v);
        }
    }

    static final int MAX_STAGES = 20;
    static final long MAX_SOAK_SECONDS = 7 * 24 * 3600;
    static final long MAX_DEADLINE_SECONDS = 7 * 24 * 3600;

    /** A rollout strategy: stages named and ordered sensibly, every number in its range. */
    static void validateRollout(App.Rollout r, String f, Violations v) {
        if (r.stages().size() > MAX_STAGES) {
            v.add(f + ".stages", "at most " + MAX_STAGES + " stages, got " + r.stages().size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < r.stages().size(); i++) {
            App.Stage st = r.stages().get(i);
            String sf = f + ".stages[" + i + "]";
            if (st.name() == null || !Violations.isDns1123Label(st.name())) {
                v.add(sf + ".name", "must be a DNS-1123 label");
            } else if (!names.add(st.name())) {
                v.add(sf + ".name", "repeats stage " + st.name());
            }
            v.checkLabels(sf + ".cluster_selector", st.clusterSelector());
            if (st.clusterSelector().isEmpty() && i < r.stages().size() - 1) {
                v.add(
                        sf + ".cluster_selector",
                        "only the last stage may be empty (it takes every remaining cluster)");
            }
            if (st.maxUnavailableClusters() < 0) {
                v.add(
                        sf + ".max_unavailable_clusters",
                        "must not be negative, got " + st.maxUnavailableClusters());
            }
            if (st.soakSeconds() < 0 || st.soakSeconds() > MAX_SOAK_SECONDS) {
                v.add(
                        sf + ".soak_seconds",
                        "must be 0.." + MAX_SOAK_SECONDS + ", got " + st.soakSeconds());
            }
        }
        if (r.maxSurge() < 0) {
            v.add(f + ".max_surge", "must not be negative, got " + r.maxSurge());
        }
        if (r.maxUnavailable() < 0) {
            v.add(f + ".max_unavailable", "must not be negative, got " + r.maxUnavailable());
        }
        if (r.progressDeadlineSeconds() < 0 || r.progressDeadlineSeconds() > MAX_DEADLINE_SECONDS) {
            v.add(
                    f + ".progress_deadline_seconds",
                    "must be 0.." + MAX_DEADLINE_SECONDS + ", got " + r.progressDeadlineSeconds());
        }
        if (r.minReadyPercent() < 0 || r.minReadyPercent() > 100) {
            v.add(f + ".min_ready_percent", "must be 0..100, got " + r.minReadyPercent());
        }
    }

    public static void validateReplicas(int replicas, String field, Violations v) {
        if (replicas < 0) {
            v.add(field, "must not be negative, got " + replicas);
        } else if (replicas > MAX_REPLICAS) {
            v.add(field, "must be at most " + MAX_REPLICAS + ", got " + replicas);
        }
    }

    private static void validatePolicy(App.Policy p, String f, Violations v) {
        p.clusterAffinity().validate(f + ".cluster_affinity", v);
        for (int i = 0; i < p.tolerations().size(); i++) {
            App.Toleration t = p.tolerations().get(i);
            String tf = f + ".tolerations[" + i + "]";
            if (!"Equal".equals(t.operator()) && !"Exists".equals(t.operator())) {
                v.add(tf + ".operator", "must be Equal or Exists, got \"" + t.operator() + "\"");
            }
            if ("Exists".equals(t.operator()) && !t.value().isEmpty()) {
                v.add(tf + ".value", "must be empty with operator Exists");
            }
            if (t.key().isEmpty() && !"Exists".equals(t.operator())) {
                v.add(tf + ".key", "may be empty only with operator Exists");
            } else if (!t.key().isEmpty() && !Violations.isLabelKey(t.key())) {
                v.add(tf + ".key", "is not a valid taint key");
            }
            if (!t.effect().isEmpty() && !EFFECTS.contains(t.effect())) {
                v.add(
                        tf + ".effect",
                        "must be NoSchedule, PreferNoSchedule, NoExecute or empty, got \""
                                + t.effect()
                                + "\"");
            }
        }
        String rf = f + ".replica_scheduling";
        if (p.type() == null) {
            v.add(rf + ".type", "must be DUPLICATED, DIVIDED or AGGREGATED");
        }
        if (p.division() == null) {
            v.add(rf + ".division", "must be STATIC_WEIGHTS or DYNAMIC");
        }
        for (int i = 0; i < p.weights().size(); i++) {
            App.Weight w = p.weights().get(i);
            w.clusters().validate(rf + ".weights[" + i + "].clusters", v);
            v.requireNonNegative(rf + ".weights[" + i + "].weight", w.weight());
        }
        for (int i = 0; i < p.clusterLimits().size(); i++) {
            App.Limit l = p.clusterLimits().get(i);
            String lf = f + ".cluster_limits[" + i + "]";
            l.clusters().validate(lf + ".clusters", v);
            v.requireNonNegative(lf + ".min_replicas", l.minReplicas());
            if (l.maxReplicas() != null) {
                v.requireNonNegative(lf + ".max_replicas", l.maxReplicas());
            }
        }
        for (int i = 0; i < p.spread().size(); i++) {
            App.Spread s = p.spread().get(i);
            String sf = f + ".spread[" + i + "]";
            if (!Violations.isLabelKey(s.by())) {
                v.add(sf + ".by", "must be a cluster label key, e.g. region or idc");
            }
            v.requireNonNegative(sf + ".min_groups", s.minGroups());
            v.requireNonNegative(sf + ".max_groups", s.maxGroups());
        }
        if (p.burst() != null && p.burst().maxCloudReplicas() != null) {
            v.requireNonNegative(f + ".burst.max_cloud_replicas", p.burst().maxCloudReplicas());
        }
    }
}
