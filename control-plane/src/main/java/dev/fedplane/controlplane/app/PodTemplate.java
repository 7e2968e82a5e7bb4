package dev.fedplane.controlplane.app;

import java.util.List;

/**
 * What every replica of an app runs: image, per-replica requests, ports and env. A change of it
 * makes a new {@link AppRevision}; replicas and placement are not part of it. Immutable.
 */
public record PodTemplate(
        String image, long cpuMillis, long memoryMiB, List<App.Port> ports, List<App.EnvVar> env) {

    public PodTemplate {
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? List.of() : List.copyOf(env);
    }

    public static PodTemplate of(App.Spec spec) {
        return new PodTemplate(
                spec.image(), spec.cpuMillis(), spec.memoryMiB(), spec.ports(), spec.env());
    }
}
