package dev.fedplane.controlplane.ha;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * HA settings (environment variable, then property): {@code FEDPLANE_HA} ({@code fedplane.ha}),
 * {@code FEDPLANE_INSTANCE_ID} ({@code fedplane.instance-id}), {@code FEDPLANE_ADVERTISE_ADDRESS}
 * ({@code fedplane.advertise-address}, default {@code 127.0.0.1:<grpc port>}), {@code
 * FEDPLANE_LEASE_TTL} ({@code fedplane.lease-ttl}, default 5s), {@code FEDPLANE_ETCD_ENDPOINTS}
 * ({@code fedplane.etcd.endpoints}, comma-separated URLs) and {@code FEDPLANE_ZK_CONNECT} ({@code
 * fedplane.zk.connect}). In etcd and ZooKeeper mode an instance id left at its standalone default
 * becomes {@code <hostname>-<random>} so that instances never share one.
 */
@Singleton
public class HaConfiguration {
    private final String mode;
    private final String instanceId;
    private final String advertiseAddress;
    private final Duration leaseTtl;
    private final List<String> etcdEndpoints;
    private final String etcdElection;
    private final String zkConnect;
    private final String zkPath;

    public HaConfiguration(
            @Value("${fedplane.ha:standalone}") String mode,
            @Value("${fedplane.instance-id:standalone}") String instanceId,
            @Value("${fedplane.advertise-address:}") String advertiseAddress,
            @Value("${grpc.server.port:9090}") int grpcPort,
            @Value("${fedplane.lease-ttl:5s}") Duration leaseTtl,
            @Value("${fedplane.etcd.endpoints:http://127.0.0.1:2379}") String etcdEndpoints,
            @Value("${fedplane.etcd.election:fedplane/leader}") String etcdElection,
            @Value("${fedplane.zk.connect:127.0.0.1:2181}") String zkConnect,
            @Value("${fedplane.zk.path:/fedplane/leader}") String zkPath) {
        this.mode = mode;
        this.instanceId =
                !"standalone".equals(mode) && "standalone".equals(instanceId)
                        ? generatedId()
                        : instanceId;
        this.advertiseAddress =
                advertiseAddress == null || advertiseAddress.isBlank()
                        ? "127.0.0.1:" + grpcPort
                        : advertiseAddress.strip();
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(
                    "fedplane.lease-ttl must be at least 1s, was " + leaseTtl);
        }
        this.leaseTtl = leaseTtl;
        this.etcdEndpoints =
                Arrays.stream(etcdEndpoints.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .map(s -> s.contains("://") ? s : "http://" + s)
                        .toList();
        this.etcdElection = etcdElection;
        this.zkConnect = zkConnect;
        this.zkPath = zkPath;
    }

    private static String generatedId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "fedplane";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String mode() {
        return mode;
    }

    public LeaderInfo.Instance self() {
        return new LeaderInfo.Instance(instanceId, advertiseAddress);
    }

    public Duration leaseTtl() {
        return leaseTtl;
    }

    public List<String> etcdEndpoints() {
        return etcdEndpoints;
    }

    public String etcdElection() {
        return etcdElection;
    }

    public String zkConnect() {
        return zkConnect;
    }

    public String zkPath() {
        return zkPath;
    }
}
