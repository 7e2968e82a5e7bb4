package dev.fedplane.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.loadtest.FaultSchedule.Kind;
import dev.fedplane.loadtest.FaultSchedule.Step;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    @Test
    @DisplayName("the same seed gives the same schedule; another seed another one")
    void seeded() {
        assertThat(FaultSchedule.longProfile(7, 100)).isEqualTo(FaultSchedule.longProfile(7, 100));
        assertThat(FaultSchedule.longProfile(7, 100))
                .isNotEqualTo(FaultSchedule.longProfile(8, 100));
        assertThat(FaultSchedule.shortProfile(3)).isEqualTo(FaultSchedule.shortProfile(3));
    }

    @Test
    @DisplayName("the short profile is one leader kill, one leader pause and one etcd member loss")
    void shortProfile() {
        assertThat(FaultSchedule.shortProfile(1).stream().map(Step::kind))
                .containsExactly(Kind.KILL_LEADER, Kind.PAUSE_LEADER, Kind.ETCD_MEMBER_LOSS);
    }

    @Test
    @DisplayName("100 faults of the long profile cover every kind, bounded in time")
    void longProfileCoversEveryKind() {
        List<Step> steps = FaultSchedule.longProfile(1, 100);
        assertThat(steps).hasSize(100);
        EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        steps.forEach(s -> kinds.add(s.kind()));
        assertThat(kinds).containsExactlyInAnyOrder(Kind.values());
        assertThat(steps).allMatch(s -> s.holdMillis() <= 12_000 && s.gapMillis() <= 4_000);
        assertThat(steps)
                .filteredOn(s -> s.kind() == Kind.AGENT_STORM)
                .allMatch(s -> s.target() >= 20 && s.target() <= 100);
    }

    @Test
    @DisplayName("placement shares are read from the stored placement JSON, zero shares dropped")
    void sharesFromPlacementJson() throws Exception {
        assertThat(
                        FaultSuite.shares(
                                "{\"policyHash\":\"x\",\"generation\":3,\"shares\":{\"c1\":2,\"c2\":0},\"explanation\":{}}"))
                .containsExactlyEntriesOf(java.util.Map.of("c1", 2));
        assertThat(FaultSuite.shares(null)).isEmpty();
    }
}
