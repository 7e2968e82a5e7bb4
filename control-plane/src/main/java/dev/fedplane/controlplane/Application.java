package dev.fedplane.controlplane;

import io.micronaut.runtime.Micronaut;

/** Starts the Fedplane control plane: gRPC platform and agent API, HTTP health and metrics. */
public final class Application {
    private Application() {}

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).defaultEnvironments("default").start();
    }
}
