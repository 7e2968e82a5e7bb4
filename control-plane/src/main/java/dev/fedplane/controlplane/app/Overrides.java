package dev.fedplane.controlplane.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Resolves an app's {@link App.ClusterOverride}s for one cluster (docs/overrides.md): the overrides
 * whose selector matches the cluster apply in list order; a later one wins per field (env per
 * variable name, labels and annotations per key, image rewrites each applied to the previous
 * result); empty or zero fields change nothing. Pure; thread-safe.
 */
public final class Overrides {
    private Overrides() {}

    /**
     * What one cluster runs of an app: the spec's image, per-replica requests and env with the
     * matching overrides applied, the labels and annotations they add, the replicas floor there (0:
     * none) and the names of the overrides applied, in order. Immutable.
     */
    public record Effective(
            String image,
            long cpuMillis,
            long memoryMiB,
            List<App.EnvVar> env,
            SortedMap<String, String> labels,
            SortedMap<String, String> annotations,
            int replicasFloor,
            List<String> appliedOverrides) {
        public Effective {
            env = env == null ? List.of() : List.copyOf(env);
            labels =
                    Collections.unmodifiableSortedMap(
                            new TreeMap<>(labels == null ? Map.of() : labels));
            annotations =
                    Collections.unmodifiableSortedMap(
                            new TreeMap<>(annotations == null ? Map.of() : annotations));
            appliedOverrides = appliedOverrides == null ? List.of() : List.copyOf(appliedOverrides);
        }
    }

    /** {@code spec} as cluster {@code cluster} with labels {@code clusterLabels} runs it. */
    public static Effective resolve(
            App.Spec spec, String cluster, Map<String, String> clusterLabels) {
        return resolve(
                spec.image(),
                spec.cpuMillis(),
                spec.memoryMiB(),
                spec.env(),
                spec.overrides(),
                cluster,
                clusterLabels);
    }

    /**
     * The template {@code image}, requests and {@code baseEnv} with {@code overrides} applied for
     * one cluster: the renderer passes the template the cluster's workload runs (which need not be
     * the spec's own, e.g. an older revision while a rollout is under way).
     */
    public static Effective resolve(
            String baseImage,
            long baseCpuMillis,
            long baseMemoryMiB,
            List<App.EnvVar> baseEnv,
            List<App.ClusterOverride> overrides,
            String cluster,
            Map<String, String> clusterLabels) {
        String image = baseImage;
        long cpu = baseCpuMillis;
        long memory = baseMemoryMiB;
        LinkedHashMap<String, String> env = new LinkedHashMap<>();
        for (App.EnvVar e : baseEnv) {
            env.put(e.name(), e.value());
        }
        TreeMap<String, String> labels = new TreeMap<>();
        TreeMap<String, String> annotations = new TreeMap<>();
        int floor = 0;
        List<String> applied = new ArrayList<>();
        for (App.ClusterOverride o : overrides) {
            if (!o.selector().matches(cluster, clusterLabels)) {
                continue;
            }
            applied.add(o.name());
            if (!o.imageRegistry().isEmpty()) {
                image = withRegistry(image, o.imageRegistry());
            }
            if (!o.imagePrefix().isEmpty()) {
                image = withPrefix(image, o.imagePrefix());
            }
            for (String name : o.removeEnv()) {
                env.remove(name);
            }
            for (App.EnvVar e : o.env()) {
                env.put(e.name(), e.value());
            }
            if (o.cpuMillis() > 0) {
                cpu = o.cpuMillis();
            }
            if (o.memoryMiB() > 0) {
                memory = o.memoryMiB();
            }
            labels.putAll(o.labels());
            annotations.putAll(o.annotations());
            if (o.replicasFloor() > 0) {
                floor = o.replicasFloor();
            }
        }
        List<App.EnvVar> envList = new ArrayList<>(env.size());
        env.forEach((k, v) -> envList.add(new App.EnvVar(k, v)));
        return new Effective(image, cpu, memory, envList, labels, annotations, floor, applied);
    }

    /** True when some override sets a replicas floor. */
    public static boolean hasFloors(App.Spec spec) {
        for (App.ClusterOverride o : spec.overrides()) {
            if (o.replicasFloor() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The replicas floor of one cluster: the last matching override's that sets one; 0: none. */
    public static int floor(App.Spec spec, String cluster, Map<String, String> clusterLabels) {
        int floor = 0;
        for (App.ClusterOverride o : spec.overrides()) {
            if (o.replicasFloor() > 0 && o.selector().matches(cluster, clusterLabels)) {
                floor = o.replicasFloor();
            }
        }
        return floor;
    }

    /**
     * {@code image} with its registry host replaced by {@code registry}. An image without a
     * registry host (its first path component has no '.' or ':' and is not "localhost", as Docker
     * reads it) gets one in front; a one-component name ("nginx:1.25") is Docker Hub's {@code
     * library/} repository, so it becomes {@code registry/library/nginx:1.25}.
     */
    public static String withRegistry(String image, String registry) {
        int slash = image.indexOf('/');
        if (slash > 0 && isRegistryHost(image.substring(0, slash))) {
            return registry + image.substring(slash);
        }
        if (slash < 0) {
            return registry + "/library/" + image;
        }
        return registry + "/" + image;
    }

    /**
     * {@code image} with everything before its last path component replaced by {@code prefix}:
     * {@code registry.example/team/web:1.4} with {@code mirror.example/cache} is {@code
     * mirror.example/cache/web:1.4} (a tag or digest never holds a '/').
     */
    public static String withPrefix(String image, String prefix) {
        int last = image.lastIndexOf('/');
        return prefix + "/" + (last < 0 ? image : image.substring(last + 1));
    }

    /** Docker's rule for the first component of an image name: a host, not a path. */
    public static boolean isRegistryHost(String component) {
        return component.indexOf('.') >= 0
                || component.indexOf(':') >= 0
                || component.equals("localhost");
    }
}
