package dev.fedplane.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a fault run saw, as plain records the {@link HistoryChecker} judges afterwards: every API
 * call with its answer, every message each agent received (its epoch and generation, and whether it
 * applied it), every change of an agent's replicas of an app, samples of the store's leader epoch
 * and of each app's placement row, the faults with their times, and the final reads. Times are
 * wall-clock milliseconds (the control plane stamps its store rows with the same clock). The lists
 * are synchronized; the run appends from many threads.
 */
final class FaultHistory {

    /** One API call: {@code code} is {@code OK} or the gRPC status code's name. */
    record ApiCall(
            long startMs,
            long endMs,
            String op,
            String target,
            String app,
            int replicas,
            String code,
            String detail) {
        boolean ok() {
            return "OK".equals(code);
        }

        /** A write whose outcome the client cannot know (it may have landed). */
        boolean indeterminate() {
            return !ok()
                    && ("UNAVAILABLE".equals(code)
                            || "DEADLINE_EXCEEDED".equals(code)
                            || "CANCELLED".equals(code)
                            || "UNKNOWN".equals(code)
                            || "INTERNAL".equals(code)
                            || "ABORTED".equals(code));
        }
    }

    /** A control message an agent received, and whether it applied it (false: refused as stale). */
    record AgentMessage(
            long atMs, String agent, long epoch, long generation, boolean full, boolean applied) {}

    /** An agent now runs {@code replicas} of {@code app} (0: none). */
    record AgentReplicas(long atMs, String agent, String app, int replicas) {}

    /** The store's {@code leader_epoch} row as sampled at {@code atMs}. */
    record StoreEpoch(long atMs, long epoch, String leaderId, long updatedAtMs) {}

    /**
     * An app's {@code app_placement} row as sampled at {@code atMs} (recorded when it changed): the
     * epoch that wrote it, when, and the replicas per cluster of its placement.
     */
    record StatusSample(
            long atMs, String app, long epoch, long updatedAtMs, Map<String, Integer> shares) {}

    /**
     * One injected fault: injected at {@code injectMs}, healed (process restarted, member back,
     * connections allowed) at {@code healMs}, recovered (a leader, every agent on it, writes
     * answering, every acknowledged write acknowledged by the agents) at {@code recoveredMs}, -1
     * when it did not within the bound.
     */
    record Fault(
            int index, String kind, String detail, long injectMs, long healMs, long recoveredMs) {}

    /** An app as read back at the end: its replicas and the desired replicas per cluster. */
    record FinalApp(String app, boolean exists, int replicas, Map<String, Integer> desired) {}

    /** What an agent runs at the end, app -> replicas. */
    record FinalAgent(String agent, Map<String, Integer> applied) {}

    final List<ApiCall> calls = Collections.synchronizedList(new ArrayList<>());
    final List<AgentMessage> messages = Collections.synchronizedList(new ArrayList<>());
    final List<AgentReplicas> replicas = Collections.synchronizedList(new ArrayList<>());
    final List<StoreEpoch> storeEpochs = Collections.synchronizedList(new ArrayList<>());
    final List<StatusSample> statuses = Collections.synchronizedList(new ArrayList<>());
    final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    final List<FinalApp> finalApps = Collections.synchronizedList(new ArrayList<>());
    final List<FinalAgent> finalAgents = Collections.synchronizedList(new ArrayList<>());
}
