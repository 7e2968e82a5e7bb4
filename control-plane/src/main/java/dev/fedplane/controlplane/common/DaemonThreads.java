package dev.fedplane.controlplane.common;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Single daemon threads for the control plane's own background work (they never keep the JVM
 * alive).
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** One daemon thread named {@code name} that also runs delayed and periodic tasks. */
    public static ScheduledExecutorService single(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
