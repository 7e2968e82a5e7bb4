package dev.fedplane.agent.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/** Lets tests of other packages read a Deployment as the watcher does. */
public final class WorkloadStatusWatcherAccess {
    private WorkloadStatusWatcherAccess() {}

    public static WorkloadStatus toStatus(Deployment d) {
        return WorkloadStatusWatcher.toStatus(d);
    }
}
