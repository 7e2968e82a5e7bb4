package dev.fedplane.loadtest;

import dev.fedplane.loadtest.FaultHistory.AgentMessage;
import dev.fedplane.loadtest.FaultHistory.AgentReplicas;
import dev.fedplane.loadtest.FaultHistory.ApiCall;
import dev.fedplane.loadtest.FaultHistory.FinalAgent;
import dev.fedplane.loadtest.FaultHistory.FinalApp;
import dev.fedplane.loadtest.FaultHistory.StatusSample;
import dev.fedplane.loadtest.FaultHistory.StoreEpoch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a {@link FaultHistory} after the run. The properties, each with its own name in the
 * violations:
 *
 * <ul>
 *   <li>{@link Property#LOST_WRITE}: every acknowledged write is readable afterwards. Each app is
 *       written by one client at a time, so its writes are ordered; the final read must show the
 *       last acknowledged write, or a later one whose outcome the client could not know
 *       (UNAVAILABLE, DEADLINE_EXCEEDED, ...: it may have landed).
 *   <li>{@link Property#STORE_EPOCH_DECREASED}: the store's leader epoch, and the epoch on each
 *       app's status row, only grow between samples.
 *   <li>{@link Property#AGENT_EPOCH_DECREASED}: the epochs of the messages each agent applied only
 *       grow.
 *   <li>{@link Property#DEPOSED_WRITE}: no status row is stamped by an epoch after the store
 *       recorded a higher one (its {@code updated_at} is taken after the fencing check, inside the
 *       transaction, so a legal write is always stamped before the higher epoch's record).
 *   <li>{@link Property#NOT_CONVERGED}: at the end, every agent runs exactly what the final
 *       placement of every app gives its cluster, and nothing else.
 *   <li>{@link Property#EXCESS_REPLICAS}: no agent runs more replicas of an app than the app's
 *       current placement gives its cluster for longer than one resync interval.
 *   <li>{@link Property#INTERNAL_ANSWER}: no request is answered {@code INTERNAL}.
 * </ul>
 */
final class HistoryChecker {

    enum Property {
        LOST_WRITE,
        STORE_EPOCH_DECREASED,
        AGENT_EPOCH_DECREASED,
        DEPOSED_WRITE,
        NOT_CONVERGED,
        EXCESS_REPLICAS,
        INTERNAL_ANSWER
    }

    record Violation(Property property, String detail) {}

    /** Write operations whose effect the final read must show. */
    static final Set<String> WRITES = Set.of("CreateApp", "ScaleApp");

    private static final int MAX_PER_PROPERTY = 20;

    private HistoryChecker() {}

    /** Every violation found (at most 20 listed per property; {@link #counts} has the totals). */
    static List<Violation> check(FaultHistory h, long resyncMillis) {
        List<Violation> out = new ArrayList<>();
        lostWrites(h, out);
        storeEpochs(h, out);
        agentEpochs(h, out);
        deposedWrites(h, out);
        convergence(h, out);
        excessReplicas(h, resyncMillis, out);
        internal(h, out);
        return out;
    }

    /** Violations per property, every property present (0 when none). */
    static Map<Property, Integer> counts(List<Violation> violations) {
        Map<Property, Integer> m = new LinkedHashMap<>();
        for (Property p : Property.values()) {
            m.put(p, 0);
        }
        for (Violation v : violations) {
            m.merge(v.property(), 1, Integer::sum);
        }
        return m;
    }

    /** The violations with at most 20 of each property, for reports. */
    static List<Violation> sample(List<Violation> violations) {
        Map<Property, Integer> seen = new HashMap<>();
        List<Violation> out = new ArrayList<>();
        for (Violation v : violations) {
            if (seen.merge(v.property(), 1, Integer::sum) <= MAX_PER_PROPERTY) {
                out.add(v);
            }
        }
        return out;
    }

    private static void lostWrites(FaultHistory h, List<Violation> out) {
        Map<String, List<ApiCall>> byApp = new HashMap<>();
        synchronized (h.calls) {
            for (ApiCall c : h.calls) {
                if (WRITES.contains(c.op())) {
                    byApp.computeIfAbsent(c.app(), k -> new ArrayList<>()).add(c);
                }
            }
        }
        Map<String, FinalApp> finals = new HashMap<>();
        synchronized (h.finalApps) {
            h.finalApps.forEach(f -> finals.put(f.app(), f));
        }
        for (Map.Entry<String, List<ApiCall>> e : byApp.entrySet()) {
            List<ApiCall> writes = e.getValue();
            writes.sort(Comparator.comparingLong(ApiCall::startMs));
            int lastAcked = -1;
            for (int i = 0; i < writes.size(); i++) {
                if (writes.get(i).ok()) {
                    lastAcked = i;
                }
            }
            if (lastAcked < 0) {
                continue;
            }
            Set<Integer> allowed = new TreeSet<>();
            allowed.add(writes.get(lastAcked).replicas());
            for (int i = lastAcked + 1; i < writes.size(); i++) {
                if (writes.get(i).indeterminate()) {
                    allowed.add(writes.get(i).replicas());
                }
            }
            FinalApp f = finals.get(e.getKey());
            ApiCall acked = writes.get(lastAcked);
            if (f == null || !f.exists()) {
                out.add(
                        new Violation(
                                Property.LOST_WRITE,
                                e.getKey()
                                        + ": "
                                        + acked.op()
                                        + " to "
                                        + acked.replicas()
                                        + " was acknowledged at "
                                        + acked.endMs()
                                        + " but the app is not found at the end"));
            } else if (!allowed.contains(f.replicas())) {
                out.add(
                        new Violation(
                                Property.LOST_WRITE,
                                e.getKey()
                                        + ": the last acknowledged write ("
                                        + acked.op()
                                        + " at "
                                        + acked.endMs()
                                        + ") set "
                                        + acked.replicas()
                                        + " replicas; the final read shows "
                                        + f.replicas()
                                        + " (allowed "
                                        + allowed
                                        + ")"));
            }
        }
    }

    private static void storeEpochs(FaultHistory h, List<Violation> out) {
        List<StoreEpoch> epochs;
        synchronized (h.storeEpochs) {
            epochs = new ArrayList<>(h.storeEpochs);
        }
        epochs.sort(Comparator.comparingLong(StoreEpoch::atMs));
        for (int i = 1; i < epochs.size(); i++) {
            if (epochs.get(i).epoch() < epochs.get(i - 1).epoch()) {
                out.add(
                        new Violation(
                                Property.STORE_EPOCH_DECREASED,
                                "leader_epoch went from "
                                        + epochs.get(i - 1).epoch()
                                        + " to "
                                        + epochs.get(i).epoch()
                                        + " at "
                                        + epochs.get(i).atMs()));
            }
        }
        for (Map.Entry<String, List<StatusSample>> e : statusesByApp(h).entrySet()) {
            List<StatusSample> s = e.getValue();
            for (int i = 1; i < s.size(); i++) {
                if (s.get(i).epoch() < s.get(i - 1).epoch()) {
                    out.add(
                            new Violation(
                                    Property.STORE_EPOCH_DECREASED,
                                    e.getKey()
                                            + ": its status row went from epoch "
                                            + s.get(i - 1).epoch()
                                            + " to "
                                            + s.get(i).epoch()
                                            + " at "
                                            + s.get(i).atMs()));
                }
            }
        }
    }

    private static Map<String, List<StatusSample>> statusesByApp(FaultHistory h) {
        Map<String, List<StatusSample>> m = new HashMap<>();
        synchronized (h.statuses) {
            for (StatusSample s : h.statuses) {
                m.computeIfAbsent(s.app(), k -> new ArrayList<>()).add(s);
            }
        }
        m.values().forEach(l -> l.sort(Comparator.comparingLong(StatusSample::atMs)));
        return m;
    }

    private static void agentEpochs(FaultHistory h, List<Violation> out) {
        Map<String, Long> highest = new HashMap<>();
        synchronized (h.messages) {
            for (AgentMessage m : h.messages) {
                if (!m.applied()) {
                    continue;
                }
                Long before = highest.get(m.agent());
                if (before != null && m.epoch() < before) {
                    out.add(
                            new Violation(
                                    Property.AGENT_EPOCH_DECREASED,
                                    m.agent()
                                            + " applied generation "
                                            + m.generation()
                                            + " of epoch "
                                            + m.epoch()
                                            + " at "
                                            + m.atMs()
                                            + " after applying epoch "
                                            + before));
                } else {
                    highest.put(m.agent(), m.epoch());
                }
            }
        }
    }

    private static void deposedWrites(FaultHistory h, List<Violation> out) {
        // Every (epoch, recorded at) the store showed: a status row of a lower epoch stamped
        // after such a record was written by a deposed leader.
        List<StoreEpoch> raises = new ArrayList<>();
        synchronized (h.storeEpochs) {
            Set<Long> seen = new HashSet<>();
            for (StoreEpoch s : h.storeEpochs) {
                if (seen.add(s.epoch()) && s.epoch() > 0) {
                    raises.add(s);
                }
            }
        }
        synchronized (h.statuses) {
            for (StatusSample s : h.statuses) {
                for (StoreEpoch r : raises) {
                    if (r.epoch() > s.epoch() && r.updatedAtMs() < s.updatedAtMs()) {
                        out.add(
                                new Violation(
                                        Property.DEPOSED_WRITE,
                                        s.app()
                                                + ": status row written at "
                                                + s.updatedAtMs()
                                                + " by epoch "
                                                + s.epoch()
                                                + ", after epoch "
                                                + r.epoch()
                                                + " was recorded at "
                                                + r.updatedAtMs()));
                        break;
                    }
                }
            }
        }
    }

    private static void convergence(FaultHistory h, List<Violation> out) {
        Map<String, FinalApp> apps = new HashMap<>();
        synchronized (h.finalApps) {
            h.finalApps.forEach(f -> apps.put(f.app(), f));
        }
        synchronized (h.finalAgents) {
            for (FinalAgent a : h.finalAgents) {
                Set<String> keys = new TreeSet<>(a.applied().keySet());
                apps.values().stream()
                        .filter(f -> f.exists() && f.desired().getOrDefault(a.agent(), 0) > 0)
                        .forEach(f -> keys.add(f.app()));
                for (String app : keys) {
                    FinalApp f = apps.get(app);
                    int want =
                            f == null || !f.exists() ? 0 : f.desired().getOrDefault(a.agent(), 0);
                    int has = a.applied().getOrDefault(app, 0);
                    if (want != has) {
                        out.add(
                                new Violation(
                                        Property.NOT_CONVERGED,
                                        a.agent()
                                                + " runs "
                                                + has
                                                + " of "
                                                + app
                                                + "; its final placement gives it "
                                                + want));
                    }
                }
            }
        }
    }

    private static void excessReplicas(FaultHistory h, long resyncMillis, List<Violation> out) {
        // The placement versions of each app: shares from the time they were written.
        Map<String, List<StatusSample>> versions = new HashMap<>();
        for (Map.Entry<String, List<StatusSample>> e : statusesByApp(h).entrySet()) {
            List<StatusSample> v = new ArrayList<>();
            for (StatusSample s : e.getValue()) {
                if (v.isEmpty() || !v.get(v.size() - 1).shares().equals(s.shares())) {
                    v.add(s);
                }
            }
            versions.put(e.getKey(), v);
        }
        Map<String, List<AgentReplicas>> series = new HashMap<>();
        long end = 0;
        synchronized (h.replicas) {
            for (AgentReplicas r : h.replicas) {
                series.computeIfAbsent(r.agent() + "\n" + r.app(), k -> new ArrayList<>()).add(r);
                end = Math.max(end, r.atMs());
            }
        }
        synchronized (h.statuses) {
            for (StatusSample s : h.statuses) {
                end = Math.max(end, s.atMs());
            }
        }
        for (List<AgentReplicas> s : series.values()) {
            s.sort(Comparator.comparingLong(AgentReplicas::atMs));
            String agent = s.get(0).agent();
            String app = s.get(0).app();
            List<StatusSample> v = versions.getOrDefault(app, List.of());
            TreeSet<Long> times = new TreeSet<>();
            s.forEach(r -> times.add(r.atMs()));
            v.forEach(x -> times.add(x.updatedAtMs()));
            times.add(end);
            long excessSince = -1;
            int worstHeld = 0;
            int worstShare = 0;
            for (long t : times) {
                int held = valueAt(s, t);
                Integer share = shareAt(v, agent, t);
                boolean excess = share != null && held > share;
                if (excess && excessSince < 0) {
                    excessSince = t;
                    worstHeld = held;
                    worstShare = share;
                }
                if ((!excess || t == end) && excessSince >= 0) {
                    if (t - excessSince > resyncMillis) {
                        out.add(
                                new Violation(
                                        Property.EXCESS_REPLICAS,
                                        agent
                                                + " ran "
                                                + worstHeld
                                                + " of "
                                                + app
                                                + " (placement gave it "
                                                + worstShare
                                                + ") from "
                                                + excessSince
                                                + " for "
                                                + (t - excessSince)
                                                + " ms, more than one resync interval ("
                                                + resyncMillis
                                                + " ms)"));
                    }
                    excessSince = -1;
                }
            }
        }
    }

    private static int valueAt(List<AgentReplicas> s, long t) {
        int v = 0;
        for (AgentReplicas r : s) {
            if (r.atMs() > t) {
                break;
            }
            v = r.replicas();
        }
        return v;
    }

    /** The cluster's share in the placement current at {@code t}; null before the first one. */
    private static Integer shareAt(List<StatusSample> v, String agent, long t) {
        Integer share = null;
        for (StatusSample x : v) {
            if (x.updatedAtMs() > t) {
                break;
            }
            share = x.shares().getOrDefault(agent, 0);
        }
        return share;
    }

    private static void internal(FaultHistory h, List<Violation> out) {
        synchronized (h.calls) {
            for (ApiCall c : h.calls) {
                if ("INTERNAL".equals(c.code())) {
                    out.add(
                            new Violation(
                                    Property.INTERNAL_ANSWER,
                                    c.op()
                                            + " "
                                            + c.app()
                                            + " on "
                                            + c.target()
                                            + " at "
                                            + c.endMs()
                                            + ": "
                                            + c.detail()));
                }
            }
        }
    }
}
