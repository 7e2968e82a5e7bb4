package dev.fedplane.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.loadtest.FaultHistory.AgentMessage;
import dev.fedplane.loadtest.FaultHistory.AgentReplicas;
import dev.fedplane.loadtest.FaultHistory.ApiCall;
import dev.fedplane.loadtest.FaultHistory.FinalAgent;
import dev.fedplane.loadtest.FaultHistory.FinalApp;
import dev.fedplane.loadtest.FaultHistory.StatusSample;
import dev.fedplane.loadtest.FaultHistory.StoreEpoch;
import dev.fedplane.loadtest.HistoryChecker.Property;
import dev.fedplane.loadtest.HistoryChecker.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-made histories: a clean one passes, and each property, broken on its own, is
 * reported under its own name (so the checker provably can fail).
 */
class HistoryCheckerTest {
    private static final long RESYNC = 10_000;
    private static final String A = "faults/a";
    private static final String B = "faults/b";

    /**
     * Two clusters, app a created with 2, scaled to 3 (acknowledged), then to 1 with an unknown
     * outcome; placements by epoch 5, then a new leader at epoch 7 re-stamps it; app b at 1.
     */
    private static FaultHistory clean() {
        FaultHistory h = new FaultHistory();
        h.calls.add(new ApiCall(1000, 1010, "CreateApp", "cp-1", A, 2, "OK", ""));
        h.calls.add(new ApiCall(1000, 1010, "CreateApp", "cp-1", B, 1, "OK", ""));
        h.calls.add(new ApiCall(2000, 2010, "ScaleApp", "cp-1", A, 3, "OK", ""));
        h.calls.add(new ApiCall(3000, 8000, "ScaleApp", "cp-1", A, 1, "UNAVAILABLE", "down"));
        h.calls.add(new ApiCall(3100, 3110, "ScaleApp", "cp-2", B, 9, "INVALID_ARGUMENT", "no"));
        h.calls.add(
                new ApiCall(3200, 3210, "hostile:GetApp", "cp-2", "x/y", 0, "NOT_FOUND", "none"));
        h.storeEpochs.add(new StoreEpoch(1000, 5, "cp-1", 900));
        h.storeEpochs.add(new StoreEpoch(5000, 7, "cp-2", 4800));
        h.statuses.add(new StatusSample(1500, A, 5, 1400, Map.of("c1", 2)));
        h.statuses.add(new StatusSample(1500, B, 5, 1400, Map.of("c2", 1)));
        h.statuses.add(new StatusSample(2500, A, 5, 2100, Map.of("c1", 2, "c2", 1)));
        h.statuses.add(new StatusSample(5500, A, 7, 5200, Map.of("c1", 2, "c2", 1)));
        h.messages.add(new AgentMessage(1450, "c1", 5, 1, true, true));
        h.messages.add(new AgentMessage(1450, "c2", 5, 1, true, true));
        h.messages.add(new AgentMessage(2150, "c2", 5, 2, false, true));
        h.messages.add(new AgentMessage(5300, "c1", 7, 2, true, true));
        h.messages.add(new AgentMessage(5400, "c1", 5, 3, false, false)); // refused: fine
        h.replicas.add(new AgentReplicas(1450, "c1", A, 2));
        h.replicas.add(new AgentReplicas(1450, "c2", B, 1));
        h.replicas.add(new AgentReplicas(2150, "c2", A, 1));
        // A short excess (less than one resync interval) is allowed.
        h.replicas.add(new AgentReplicas(6000, "c1", A, 3));
        h.replicas.add(new AgentReplicas(7000, "c1", A, 2));
        h.replicas.add(new AgentReplicas(20_000, "c2", B, 1));
        h.finalApps.add(new FinalApp(A, true, 3, Map.of("c1", 2, "c2", 1)));
        h.finalApps.add(new FinalApp(B, true, 1, Map.of("c2", 1)));
        h.finalAgents.add(new FinalAgent("c1", Map.of(A, 2)));
        h.finalAgents.add(new FinalAgent("c2", Map.of(A, 1, B, 1)));
        return h;
    }

    private static List<Violation> check(FaultHistory h) {
        return HistoryChecker.check(h, RESYNC);
    }

    private static void assertOnly(List<Violation> v, Property p) {
        assertThat(v).as(v.toString()).isNotEmpty();
        assertThat(v).as(v.toString()).allMatch(x -> x.property() == p);
    }

    @Test
    @DisplayName("a clean history has no violation")
    void cleanPasses() {
        assertThat(check(clean())).isEmpty();
        assertThat(HistoryChecker.counts(check(clean())).values()).containsOnly(0);
    }

    @Test
    @DisplayName("the final read may show a later write whose outcome was unknown")
    void indeterminateWriteMayHaveLanded() {
        FaultHistory h = clean();
        h.finalApps.set(0, new FinalApp(A, true, 1, Map.of("c1", 2, "c2", 1)));
        assertThat(check(h)).isEmpty();
    }

    @Test
    @DisplayName("an acknowledged write that the final read does not show is a lost write")
    void lostWrite() {
        FaultHistory h = clean();
        h.finalApps.set(0, new FinalApp(A, true, 2, Map.of("c1", 2, "c2", 1)));
        assertOnly(check(h), Property.LOST_WRITE);
    }

    @Test
    @DisplayName("an acknowledged create whose app is gone at the end is a lost write")
    void lostCreate() {
        FaultHistory h = clean();
        h.finalApps.set(1, new FinalApp(B, false, 0, Map.of()));
        h.finalAgents.set(1, new FinalAgent("c2", Map.of(A, 1)));
        assertOnly(check(h), Property.LOST_WRITE);
    }

    @Test
    @DisplayName("the store's leader epoch going down is reported")
    void storeEpochDecreases() {
        FaultHistory h = clean();
        h.storeEpochs.add(new StoreEpoch(6000, 6, "cp-3", 5900));
        assertOnly(check(h), Property.STORE_EPOCH_DECREASED);
    }

    @Test
    @DisplayName("an app's status row going back to a lower epoch is reported")
    void statusEpochDecreases() {
        FaultHistory h = clean();
        // Stamped before epoch 7 was recorded (so not a deposed write), but seen after epoch 7.
        h.statuses.add(new StatusSample(6000, A, 5, 4000, Map.of("c1", 2, "c2", 1)));
        assertOnly(check(h), Property.STORE_EPOCH_DECREASED);
    }

    @Test
    @DisplayName("an agent applying a lower epoch after a higher one is reported")
    void agentEpochDecreases() {
        FaultHistory h = clean();
        h.messages.add(new AgentMessage(5600, "c1", 5, 4, false, true));
        assertOnly(check(h), Property.AGENT_EPOCH_DECREASED);
    }

    @Test
    @DisplayName(
            "a status row stamped by an old epoch after a newer one was recorded is a deposed write")
    void deposedWrite() {
        FaultHistory h = clean();
        h.statuses.add(new StatusSample(6000, B, 5, 5900, Map.of("c2", 1)));
        assertOnly(check(h), Property.DEPOSED_WRITE);
    }

    @Test
    @DisplayName("an agent that does not run its final placement has not converged")
    void notConverged() {
        FaultHistory h = clean();
        h.finalAgents.set(1, new FinalAgent("c2", Map.of(B, 1)));
        assertOnly(check(h), Property.NOT_CONVERGED);
    }

    @Test
    @DisplayName("an agent running an app it is not given has not converged")
    void strayWorkload() {
        FaultHistory h = clean();
        h.finalAgents.set(0, new FinalAgent("c1", Map.of(A, 2, B, 4)));
        assertOnly(check(h), Property.NOT_CONVERGED);
    }

    @Test
    @DisplayName(
            "more replicas than the placement gives for longer than one resync interval is reported")
    void excessReplicas() {
        FaultHistory h = clean();
        h.replicas.add(new AgentReplicas(8000, "c2", A, 3)); // placement gives c2 one
        h.replicas.add(new AgentReplicas(19_000, "c2", A, 1)); // 11 s later
        assertOnly(check(h), Property.EXCESS_REPLICAS);
    }

    @Test
    @DisplayName("an excess still running at the end of the history counts up to its end")
    void excessUntilTheEnd() {
        FaultHistory h = clean();
        h.replicas.add(new AgentReplicas(8000, "c1", A, 5)); // gives c1 two, until 20 s
        List<Violation> v = check(h);
        assertThat(v).anyMatch(x -> x.property() == Property.EXCESS_REPLICAS);
    }

    @Test
    @DisplayName("an INTERNAL answer to any request is reported")
    void internalAnswer() {
        FaultHistory h = clean();
        h.calls.add(
                new ApiCall(4000, 4001, "hostile:BadStream", "cp-1", "x", 0, "INTERNAL", "boom"));
        assertOnly(check(h), Property.INTERNAL_ANSWER);
    }
}
