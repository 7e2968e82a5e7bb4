package dev.fedplane.controlplane.app;

import dev.fedplane.controlplane.common.Violations;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    private static final String ENV_NAME_RULE =
            "must be a C identifier-like name (letters, digits, '_', '-', '.')";
    private static final Pattern IMAGE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._/:@-]*");

    /** At most this many overrides per app. */
    static final int MAX_OVERRIDES = 32;

    /** Kubernetes' bound on an object's annotations, per override. */
    static final long MAX_ANNOTATION_BYTES = 256 * 1024;

    /** Label and annotation key prefixes an override may not use (and their subdomains). */
    static final List<String> RESERVED_PREFIXES =
            List.of("fedplane.dev", "kubernetes.io", "k8s.io");

    private static final Pattern REGISTRY =
            Pattern.compile(
                    "[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?");
    private static final Pattern PATH_COMPONENT =
            Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");
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
        validateEnv(s.env(), f + ".env", v);
        validatePolicy(s.placement(), f + ".placement", v);
        validateOverrides(s, f + ".overrides", v);
        if (s.rollout() != null) {
            validateRollout(s.rollout(), f + ".rollout", v);
        }
    }

    /**
     * Env vars at field {@code f}: each name well-formed and given once. Returns the valid names.
     */
    private static Set<String> validateEnv(List<App.EnvVar> env, String f, Violations v) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < env.size(); i++) {
            App.EnvVar e = env.get(i);
            String ef = f + "[" + i + "].name";
            if (e.name() == null || !ENV_NAME.matcher(e.name()).matches()) {
                v.add(ef, ENV_NAME_RULE);
            } else if (!names.add(e.name())) {
                v.add(ef, "repeats " + e.name());
            }
        }
        return names;
    }

    /**
     * The overrides of {@code s} (docs/overrides.md): named uniquely, each selecting clusters, with
     * well-formed registry/prefix, env names, requests no higher than the spec's own (admission and
     * placement charge those), Kubernetes-valid labels and annotations outside the reserved
     * prefixes and a non-negative floor.
     */
    static void validateOverrides(App.Spec s, String f, Violations v) {
        List<App.ClusterOverride> list = s.overrides();
        if (list.size() > MAX_OVERRIDES) {
            v.add(f, "must hold at most " + MAX_OVERRIDES + " overrides, got " + list.size());
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            App.ClusterOverride o = list.get(i);
            String of = f + "[" + i + "]";
            if (!Violations.isDns1123Label(o.name())) {
                v.requireDns1123Label(of + ".name", o.name());
            } else if (!names.add(o.name())) {
                v.add(of + ".name", "repeats override " + o.name());
            }
            if (o.selector().isEmpty()) {
                v.add(
                        of + ".selector",
                        "must select clusters: give names, match_labels or match_expressions");
            } else {
                o.selector().validate(of + ".selector", v);
            }
            if (!o.imageRegistry().isEmpty()) {
                if (!isRegistry(o.imageRegistry())) {
                    v.add(
                            of + ".image_registry",
                            "must be a registry host such as harbor.example or"
                                    + " registry.local:5000 (a '.' or ':' in it, or localhost), got \""
                                    + Violations.abbreviate(o.imageRegistry())
                                    + "\"");
                } else {
                    checkRewritten(
                            Overrides.withRegistry(s.image(), o.imageRegistry()),
                            of + ".image_registry",
                            v);
                }
            }
            if (!o.imagePrefix().isEmpty()) {
                if (!o.imageRegistry().isEmpty()) {
                    v.add(of + ".image_prefix", "must be empty when image_registry is set");
                } else if (!isPrefix(o.imagePrefix())) {
                    v.add(
                            of + ".image_prefix",
                            "must be a registry host followed by lower-case path components,"
                                    + " e.g. mirror.example/cache, got \""
                                    + Violations.abbreviate(o.imagePrefix())
                                    + "\"");
                } else {
                    checkRewritten(
                            Overrides.withPrefix(s.image(), o.imagePrefix()),
                            of + ".image_prefix",
                            v);
                }
            }
            Set<String> set = validateEnv(o.env(), of + ".env", v);
            Set<String> removed = new HashSet<>();
            for (int j = 0; j < o.removeEnv().size(); j++) {
                String name = o.removeEnv().get(j);
                String rf = of + ".remove_env[" + j + "]";
                if (name == null || !ENV_NAME.matcher(name).matches()) {
                    v.add(rf, ENV_NAME_RULE);
                } else if (set.contains(name)) {
                    v.add(rf, "is also set in env of the same override: " + name);
                } else if (!removed.add(name)) {
                    v.add(rf, "repeats " + name);
                }
            }
            checkRequest(
                    of + ".resources.cpu_millis", o.cpuMillis(), s.cpuMillis(), "cpu_millis", v);
            checkRequest(
                    of + ".resources.memory_mib", o.memoryMiB(), s.memoryMiB(), "memory_mib", v);
            v.checkLabels(of + ".labels", o.labels());
            checkReserved(of + ".labels", o.labels(), v);
            long size = 0;
            for (Map.Entry<String, String> e : o.annotations().entrySet()) {
                if (!Violations.isLabelKey(e.getKey())) {
                    v.add(
                            of + ".annotations[" + Violations.abbreviate(e.getKey()) + "]",
                            "is not a valid annotation key");
                }
                size += e.getKey().length() + e.getValue().length();
            }
            if (size > MAX_ANNOTATION_BYTES) {
                v.add(
                        of + ".annotations",
                        "must total at most " + MAX_ANNOTATION_BYTES + " characters, got " + size);
            }
            checkReserved(of + ".annotations", o.annotations(), v);
            if (o.replicasFloor() < 0) {
                v.add(of + ".replicas_floor", "must not be negative, got " + o.replicasFloor());
            } else if (o.replicasFloor() > MAX_REPLICAS) {
                v.add(
                        of + ".replicas_floor",
                        "must be at most " + MAX_REPLICAS + ", got " + o.replicasFloor());
            }
        }
    }

    private static void checkRequest(
            String field, long value, long spec, String name, Violations v) {
        if (value < 0) {
            v.add(field, "must not be negative, got " + value);
        } else if (value > spec) {
            v.add(
                    field,
                    "must not exceed spec.resources."
                            + name
                            + " ("
                            + spec
                            + "), got "
                            + value
                            + ": quota admission and placement charge the spec's request in every"
                            + " cluster, so raise the spec's request and lower it where less is"
                            + " needed");
        }
    }

    private static void checkReserved(String field, Map<String, String> keys, Violations v) {
        for (String k : keys.keySet()) {
            int slash = k.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String prefix = k.substring(0, slash);
            for (String reserved : RESERVED_PREFIXES) {
                if (prefix.equals(reserved) || prefix.endsWith("." + reserved)) {
                    v.add(
                            field + "[" + Violations.abbreviate(k) + "]",
                            "uses the reserved prefix "
                                    + reserved
                                    + "/ (Fedplane's and Kubernetes' own keys)");
                    break;
                }
            }
        }
    }

    private static void checkRewritten(String image, String field, Violations v) {
        if (image.length() > 512 || !IMAGE.matcher(image).matches()) {
            v.add(
                    field,
                    "makes the image \""
                            + Violations.abbreviate(image)
                            + "\", which is not a valid image reference of at most 512 characters");
        }
    }

    static boolean isRegistry(String s) {
        return s.length() <= 253 && REGISTRY.matcher(s).matches() && Overrides.isRegistryHost(s);
    }

    static boolean isPrefix(String s) {
        if (s.length() > 255) {
            return false;
        }
        String[] parts = s.split("/", -1);
        if (!isRegistry(parts[0])) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            if (!PATH_COMPONENT.matcher(parts[i]).matches()) {
                return false;
            }
        }
        return true;
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
