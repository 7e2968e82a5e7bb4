package dev.fedplane.controlplane.api;

import static dev.fedplane.controlplane.testing.Fixtures.aCluster;
import static dev.fedplane.controlplane.testing.Fixtures.aTenant;
import static dev.fedplane.controlplane.testing.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateClusterRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The console's fleet page at 1,000 clusters: one request answers every cluster, compressed on the
 * wire; and a what-if losing an IDC of 50 clusters under 100 placed apps answers the touched
 * clusters only. Also reports (never asserts) the sizes and median times of those requests, for
 * {@code console/README.md}.
 */
class ConsoleFleetScaleIT {
    private static final int CLUSTERS = 1000;
    private ControlPlaneHarness cp;

    @BeforeEach
    void start() {
        cp =
                ControlPlaneHarness.start(
                        ControlPlaneHarness.Store.H2,
                        Map.of("fedplane.console.sample-interval", "0s"));
        Stubs admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
        for (int i = 0; i < CLUSTERS; i++) {
            String region = "r" + (i % 4);
            admin.clusters()
                    .createCluster(
                            CreateClusterRequest.newBuilder()
                                    .setCluster(
                                            aCluster(String.format("c-%04d", i))
                                                    .putLabels("region", region)
                                                    .putLabels("idc", region + "-idc" + (i % 10)))
                                    .build());
        }
    }

    @Test
    @DisplayName(
            "a what-if losing an IDC of 50 of 1,000 clusters answers with the touched clusters only, each before and after")
    void whatIfAtAThousand() throws Exception {
        Stubs admin = Stubs.of(cp.channel(), ControlPlaneHarness.ADMIN_TOKEN);
        admin.tenants()
                .createTenant(CreateTenantRequest.newBuilder().setTenant(aTenant("shop")).build());
        int apps = 100;
        for (int i = 0; i < apps; i++) {
            admin.apps()
                    .createApp(
                            CreateAppRequest.newBuilder()
                                    .setApp(anApp("shop", String.format("app-%03d", i), 20))
                                    .build());
        }
        await().atMost(Duration.ofMinutes(3))
                .until(
                        () -> {
                            App last =
                                    admin.apps()
                                            .getApp(
                                                    GetAppRequest.newBuilder()
                                                            .setTenant("shop")
                                                            .setName(
                                                                    String.format(
                                                                            "app-%03d", apps - 1))
                                                            .build());
                            return last.getStatus().getObservedGeneration() == last.getGeneration();
                        });
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + cp.httpPort()
                                                + "/api/v1/capacity/what-if/cluster-loss"))
                        .header("Authorization", "Bearer " + ControlPlaneHarness.ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"idc\":\"r0-idc0\"}"))
                        .build();
        List<Long> micros = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            last = http.send(request, HttpResponse.BodyHandlers.ofString());
            micros.add((System.nanoTime() - t0) / 1000);
        }
        assertThat(last.statusCode()).as(last.body()).isEqualTo(200);
        JsonNode answer = new ObjectMapper().readTree(last.body());
        assertThat(answer.get("lostClusters")).hasSize(50);
        JsonNode levels = answer.get("clusters");
        assertThat(levels.size()).isGreaterThanOrEqualTo(50).isLessThan(CLUSTERS);
        int lost = 0;
        for (JsonNode l : levels) {
            lost += l.get("lost").asBoolean() ? 1 : 0;
        }
        assertThat(lost).isEqualTo(50);
        List<Long> warm = new ArrayList<>(micros.subList(3, micros.size()));
        Collections.sort(warm);
        System.out.printf(
                "console what-if at %d clusters, %d apps, losing 50: %d bytes JSON, %d clusters"
                        + " touched, %d apps moved, median %.1f ms over %d warm requests (max %.1f ms)%n",
                CLUSTERS,
                apps,
                last.body().length(),
                levels.size(),
                answer.get("apps").size(),
                warm.get(warm.size() / 2) / 1000.0,
                warm.size(),
                warm.get(warm.size() - 1) / 1000.0);
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    @Test
    @DisplayName("1,000 clusters come in one gzip-compressed answer of the fleet call")
    void fleetOfAThousand() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:" + cp.httpPort() + "/api/v1/clusters"))
                        .header("Authorization", "Bearer " + ControlPlaneHarness.ADMIN_TOKEN)
                        .header("Accept-Encoding", "gzip")
                        .build();
        List<Long> micros = new ArrayList<>();
        byte[] body = null;
        HttpResponse<byte[]> last = null;
        for (int i = 0; i < 25; i++) {
            long t0 = System.nanoTime();
            last = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            micros.add((System.nanoTime() - t0) / 1000);
            body = last.body();
        }
        assertThat(last.statusCode()).isEqualTo(200);
        assertThat(last.headers().firstValue("Content-Encoding")).contains("gzip");
        byte[] json = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
        JsonNode clusters = new ObjectMapper().readTree(json).get("clusters");
        assertThat(clusters).hasSize(CLUSTERS);
        assertThat(clusters.get(CLUSTERS - 1).get("name").asText()).isEqualTo("c-0999");
        List<Long> warm = new ArrayList<>(micros.subList(5, micros.size()));
        Collections.sort(warm);
        System.out.printf(
                "console fleet at %d clusters: %d bytes JSON, %d bytes gzip on the wire,"
                        + " median %.1f ms over %d warm requests (max %.1f ms)%n",
                CLUSTERS,
                json.length,
                body.length,
                warm.get(warm.size() / 2) / 1000.0,
                warm.size(),
                warm.get(warm.size() - 1) / 1000.0);
    }
}
