package dev.fedplane.controlplane.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.ha.grpc.GrpcControlPlaneService;
import dev.fedplane.proto.v1.ControlPlaneRole;
import dev.fedplane.proto.v1.ControlPlaneStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HaLeadershipTest {

    @Test
    @DisplayName(
            "an election value carries the instance id and its agent address, and anything else is not ours")
    void electionValue() {
        LeaderInfo.Instance i = new LeaderInfo.Instance("cp-1", "10.0.0.7:9090");
        assertThat(LeaderInfo.Instance.decode(i.encode())).contains(i);
        assertThat(LeaderInfo.Instance.decode("no-separator")).isEmpty();
        assertThat(LeaderInfo.Instance.decode("\n10.0.0.7:9090")).isEmpty();
        assertThat(LeaderInfo.Instance.decode(null)).isEmpty();
        assertThat(i.withEpoch(42)).isEqualTo(new LeaderInfo("cp-1", "10.0.0.7:9090", 42));
    }

    @ParameterizedTest(name = "latch node {0} has sequence {1}")
    @CsvSource({
        "/fedplane/leader/_c_0b5e-latch-0000000000, 0",
        "/fedplane/leader/_c_0b5e-latch-0000000041, 41",
        "_c_x-latch-2147483647, 2147483647",
        "/fedplane/leader/other-node, -1",
        "/fedplane/leader/_c_x-latch-, -1",
    })
    @DisplayName("ZooKeeper epochs come from the latch node's sequence")
    void latchSequence(String node, long sequence) {
        assertThat(ZookeeperLeadership.sequence(node)).isEqualTo(sequence);
    }

    @Test
    @DisplayName(
            "listeners start in registration order on election and stop in reverse order on revocation")
    void listenerOrder() {
        InMemoryLeadership l = new InMemoryLeadership("cp-1", "127.0.0.1:9090");
        List<String> told = new ArrayList<>();
        for (String name : List.of("reconciler", "sessions", "health")) {
            l.addListener(
                    new Leadership.Listener() {
                        @Override
                        public void onElected(long epoch) {
                            told.add("start " + name + " " + epoch);
                        }

                        @Override
                        public void onRevoked() {
                            told.add("stop " + name);
                        }
                    });
        }
        l.elect(7);
        l.revoke();
        l.revoke();
        assertThat(told)
                .containsExactly(
                        "start reconciler 7",
                        "start sessions 7",
                        "start health 7",
                        "stop health",
                        "stop sessions",
                        "stop reconciler");
        assertThat(l.isLeader()).isFalse();
        assertThat(l.epoch()).isZero();
    }

    @Test
    @DisplayName(
            "the status call reports a leader as itself and a follower with the leader it follows")
    void statusCall() {
        InMemoryLeadership l = new InMemoryLeadership("cp-2", "10.0.0.2:9090");
        l.elect(12);
        ControlPlaneStatus leading = GrpcControlPlaneService.toGrpc(l);
        assertThat(leading.getRole()).isEqualTo(ControlPlaneRole.CONTROL_PLANE_ROLE_LEADER);
        assertThat(leading.getEpoch()).isEqualTo(12);
        assertThat(leading.getLeader().getId()).isEqualTo("cp-2");
        assertThat(leading.getHaMode()).isEqualTo("in-memory");

        l.follow(new LeaderInfo("cp-3", "10.0.0.3:9090", 13));
        ControlPlaneStatus following = GrpcControlPlaneService.toGrpc(l);
        assertThat(following.getRole()).isEqualTo(ControlPlaneRole.CONTROL_PLANE_ROLE_FOLLOWER);
        assertThat(following.getEpoch()).isZero();
        assertThat(following.getLeader().getAddress()).isEqualTo("10.0.0.3:9090");
        assertThat(following.getLeader().getEpoch()).isEqualTo(13);

        l.follow(null);
        assertThat(GrpcControlPlaneService.toGrpc(l).hasLeader()).isFalse();
    }

    @Test
    @DisplayName(
            "configuration: the advertise address defaults to the gRPC port, etcd endpoints get a scheme, HA instances get unique ids")
    void configuration() {
        HaConfiguration c =
                new HaConfiguration(
                        "etcd",
                        "standalone",
                        "",
                        9191,
                        Duration.ofSeconds(5),
                        "10.0.0.1:2379, http://10.0.0.2:2379",
                        "fedplane/leader",
                        "zk:2181",
                        "/fedplane/leader");
        assertThat(c.self().address()).isEqualTo("127.0.0.1:9191");
        assertThat(c.self().id()).isNotEqualTo("standalone");
        assertThat(c.etcdEndpoints())
                .containsExactly("http://10.0.0.1:2379", "http://10.0.0.2:2379");
        HaConfiguration named =
                new HaConfiguration(
                        "zookeeper",
                        "cp-a",
                        "cp-a.internal:9090",
                        9090,
                        Duration.ofSeconds(5),
                        "",
                        "e",
                        "zk:2181",
                        "/p");
        assertThat(named.self()).isEqualTo(new LeaderInfo.Instance("cp-a", "cp-a.internal:9090"));
        assertThatThrownBy(
                        () ->
                                new HaConfiguration(
                                        "etcd",
                                        "x",
                                        "",
                                        1,
                                        Duration.ofMillis(500),
                                        "",
                                        "e",
                                        "z",
                                        "/p"))
                .hasMessageContaining("lease-ttl");
    }
}
