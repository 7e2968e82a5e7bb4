package dev.fedplane.controlplane.ha;

import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Measures leader failover, not a CI test (skipped unless {@code -Dfedplane.ha.measure=true}):
 * three instances on one PostgreSQL database and one etcd / ZooKeeper, lease TTL 5 s (or {@code
 * -Dfedplane.ha.measure.ttl}), {@code -Dfedplane.ha.measure.kills} (20) crashes of the leader (cut
 * off the election store and closed without resigning, as a killed process). For each: from the
 * crash to (a) another instance leading, and (b) the agent, following redirects, holding the change
 * that was written through a follower just before the crash: the new leader serves agents and
 * reconciles. Appends a summary to {@code control-plane/target/ha-failover.txt}.
 *
 * <pre>
 * ./mvnw -o -B -pl control-plane verify -Dit.test=HaFailoverMeasureIT -Dfedplane.ha.measure=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dtest=none</pre>
 */
@EnabledIfSystemProperty(named = "fedplane.ha.measure", matches = "true")
class HaFailoverMeasureIT {

    @ParameterizedTest(name = "failover on {0}")
    @ValueSource(strings = {"etcd", "zookeeper"})
    @DisplayName("leader failover time over repeated crashes of the leader")
    void measure(String mode) throws Exception {
        Duration ttl =
                Duration.parse(
                        "PT" + System.getProperty("fedplane.ha.measure.ttl", "5s").toUpperCase());
        int kills = Integer.getInteger("fedplane.ha.measure.kills", 20);
        ElectionBackend backend =
                mode.equals("etcd") ? ElectionBackend.etcd() : ElectionBackend.zookeeper();
        List<Long> elected = new ArrayList<>();
        List<Long> served = new ArrayList<>();
        try (HaCluster cluster =
                new HaCluster(
                        backend,
                        ttl,
                        Map.of(
                                "fedplane.agent.heartbeat-interval", "1s",
                                "fedplane.health.lost-after", "120s",
                                // long: the change written on a follower reaches the agent only
                                // through the new leader's start
                                "fedplane.reconciler.resync-interval", "600s",
                                "fedplane.agent.retry-after-failure", "200ms",
                                "datasources.default.maximum-pool-size", 4,
                                "datasources.default.minimum-idle", 1))) {
            cluster.ensureAlive(3);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.leaders().size() == 1);
            HaCluster.Node leader = cluster.leaders().get(0);
            var admin = HaSuite.admin(TenantServiceGrpc.newBlockingStub(leader.channel()));
            admin.createTenant(
                    CreateTenantRequest.newBuilder()
                            .setTenant(aTenant("shop", 100000, 102400, 100))
                            .build());
            String bootstrap =
                    HaSuite.admin(TokenServiceGrpc.newBlockingStub(leader.channel()))
                            .createToken(
                                    CreateTokenRequest.newBuilder()
                                            .setKind(TokenKind.BOOTSTRAP)
                                            .setMaxUses(1)
                                            .setTtlSeconds(3600)
                                            .build())
                            .getSecret();
            ProtocolAgent registered = new ProtocolAgent(leader.channel(), "idc-measure");
            registered.register(
                    bootstrap, Map.of("region", "east"), ProtocolAgent.capacity(8000, 32768, 110));
            try (FollowingAgent agent = new FollowingAgent(registered)) {
                agent.connect(() -> addresses(cluster), Duration.ofSeconds(30));
                var app = anApp("shop", "web", 2);
                app.getSpecBuilder()
                        .getPlacementBuilder()
                        .setClusterAffinity(ClusterSelector.newBuilder().addNames(agent.cluster));
                HaSuite.admin(AppServiceGrpc.newBlockingStub(leader.channel()))
                        .createApp(CreateAppRequest.newBuilder().setApp(app).build());
                agent.current()
                        .applyUntil(
                                () -> agent.current().replicasOf("shop/web") == 2,
                                Duration.ofSeconds(30));

                for (int k = 1; k <= kills; k++) {
                    cluster.ensureAlive(3);
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> cluster.leaders().size() == 1);
                    HaCluster.Node old = cluster.leaders().get(0);
                    if (!agent.connected() || agent.current().closedWith != null) {
                        agent.connect(() -> addresses(cluster), Duration.ofSeconds(30));
                    }
                    int replicas = 2 + k % 3;
                    HaCluster.Node follower = cluster.followers().get(0);
                    HaSuite.admin(AppServiceGrpc.newBlockingStub(follower.channel()))
                            .scaleApp(
                                    ScaleAppRequest.newBuilder()
                                            .setTenant("shop")
                                            .setName("web")
                                            .setReplicas(replicas)
                                            .build());

                    long t0 = System.nanoTime();
                    cluster.crash(old);
                    long[] electedAt = {0};
                    Thread watch =
                            new Thread(
                                    () -> {
                                        while (electedAt[0] == 0
                                                && !Thread.currentThread().isInterrupted()) {
                                            if (cluster.leaders().stream()
                                                    .anyMatch(n -> n != old)) {
                                                electedAt[0] = System.nanoTime();
                                            }
                                            Thread.onSpinWait();
                                        }
                                    });
                    watch.setDaemon(true);
                    watch.start();
                    agent.applyUntil(
                            () -> addresses(cluster),
                            () -> agent.current().replicasOf("shop/web") == replicas,
                            Duration.ofSeconds(60));
                    long servedAt = System.nanoTime();
                    watch.join(60_000);
                    elected.add((electedAt[0] - t0) / 1_000_000);
                    served.add((servedAt - t0) / 1_000_000);
                    System.out.printf(
                            "%s kill %d: leader after %d ms, agent served the change after %d ms%n",
                            mode, k, elected.get(k - 1), served.get(k - 1));
                }
            }
        }
        String summary =
                String.format(
                        "%s, lease TTL %s, %d kills: new leader median %d ms, max %d ms; "
                                + "agent served and reconciled median %d ms, max %d ms%n",
                        mode,
                        ttl,
                        kills,
                        median(elected),
                        Collections.max(elected),
                        median(served),
                        Collections.max(served));
        System.out.print(summary);
        Path out = Path.of("target", "ha-failover.txt");
        try {
            Files.writeString(out, summary, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the console has it
        }
    }

    private static List<String> addresses(HaCluster cluster) {
        return cluster.alive().stream().map(HaCluster.Node::address).toList();
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
