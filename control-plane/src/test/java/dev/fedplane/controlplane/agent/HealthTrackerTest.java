package dev.fedplane.controlplane.agent;

import static dev.fedplane.controlplane.testing.DomainFixtures.aCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.cluster.Cluster;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {
    private static final long NOT_READY_AFTER = 30_000;
    private static final long LOST_AFTER = 40_000;

    private static Cluster.Health next(Cluster.Health h, long silentFor) {
        return HealthTracker.next(h, silentFor, NOT_READY_AFTER, LOST_AFTER);
    }

    @Test
    @DisplayName(
            "READY turns NOT_READY after the missed heartbeats and LOST after the grace period")
    void transitions() {
        assertThat(next(Cluster.Health.READY, 10_000)).isEqualTo(Cluster.Health.READY);
        assertThat(next(Cluster.Health.READY, 30_000)).isEqualTo(Cluster.Health.READY);
        assertThat(next(Cluster.Health.READY, 30_001)).isEqualTo(Cluster.Health.NOT_READY);
        assertThat(next(Cluster.Health.READY, 40_001)).isEqualTo(Cluster.Health.LOST);
        assertThat(next(Cluster.Health.NOT_READY, 35_000)).isEqualTo(Cluster.Health.NOT_READY);
        assertThat(next(Cluster.Health.NOT_READY, 40_001)).isEqualTo(Cluster.Health.LOST);
    }

    @Test
    @DisplayName("LOST and PENDING clusters stay as they are however long they are silent")
    void terminalStates() {
        assertThat(next(Cluster.Health.LOST, 1_000_000)).isEqualTo(Cluster.Health.LOST);
        assertThat(next(Cluster.Health.PENDING, 1_000_000)).isEqualTo(Cluster.Health.PENDING);
    }

    @Test
    @DisplayName(
            "the live view loads what the store holds without overwriting a heartbeat that came first")
    void liveClustersLoad() {
        LiveClusters live = new LiveClusters();
        LiveClusters.Entry early = live.getOrAdd("a");
        synchronized (early) {
            early.health = Cluster.Health.READY;
            early.lastHeartbeat = 5000;
        }

        live.load(
                List.of(
                        aCluster("a").withHealth(Cluster.Health.LOST).build(),
                        aCluster("b").withHealth(Cluster.Health.NOT_READY).build()));

        assertThat(live.size()).isEqualTo(2);
        assertThat(live.get("a").health()).isEqualTo(Cluster.Health.READY);
        assertThat(live.get("a").lastHeartbeat()).isEqualTo(5000);
        assertThat(live.get("b").health()).isEqualTo(Cluster.Health.NOT_READY);
    }

    @Test
    @DisplayName("refreshing from the store takes its health but keeps the later heartbeat")
    void refresh() {
        LiveClusters live = new LiveClusters();
        LiveClusters.Entry e = live.getOrAdd("a");
        synchronized (e) {
            e.health = Cluster.Health.READY;
            e.lastHeartbeat = 9000;
        }

        LiveClusters.refresh(e, aCluster("a").withHealth(Cluster.Health.LOST).build());

        assertThat(e.health()).isEqualTo(Cluster.Health.LOST);
        assertThat(e.lastHeartbeat()).isEqualTo(9000);
        live.remove("a");
        assertThat(live.get("a")).isNull();
    }
}
