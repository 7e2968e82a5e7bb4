package dev.fedplane.controlplane.tenant;

import dev.fedplane.controlplane.common.Violations;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a tenant's fields; paths are those of the protobuf request ({@code
 * tenant.quota.cpu_millis}).
 */
final class TenantValidator {
    private static final Pattern IPV4 =
            Pattern.compile(
                    "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    private TenantValidator() {}

    static void validate(Tenant t, String f, Violations v) {
        v.requireDns1123Label(f + ".name", t.name());
        if (t.displayName().length() > 256) {
            v.add(f + ".display_name", "must be at most 256 characters");
        }
        v.checkLabels(f + ".labels", t.labels());
        validateQuota(t.quota(), f + ".quota", v);
        t.allowedClusters().validate(f + ".allowed_clusters", v);
        validateNetwork(t, f + ".network", v);
    }

    private static void validateQuota(Tenant.Quota q, String f, Violations v) {
        nonNegative(v, f + ".cpu_millis", q.cpuMillis());
        nonNegative(v, f + ".memory_mib", q.memoryMiB());
        nonNegative(v, f + ".replicas", q.replicas());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < q.perCluster().size(); i++) {
            Tenant.ClusterQuota c = q.perCluster().get(i);
            String p = f + ".per_cluster[" + i + "]";
            v.requireDns1123Label(p + ".cluster", c.cluster());
            if (c.cluster() != null && !seen.add(c.cluster())) {
                v.add(p + ".cluster", "names cluster " + c.cluster() + " a second time");
            }
            nonNegative(v, p + ".cpu_millis", c.cpuMillis());
            nonNegative(v, p + ".memory_mib", c.memoryMiB());
            nonNegative(v, p + ".replicas", c.replicas());
        }
    }

    /** The network rules of tenant {@code t}, fields named under {@code f}. */
    public static void validateNetwork(Tenant t, String f, Violations v) {
        List<Tenant.EgressRule> egress = t.network().egress();
        for (int i = 0; i < egress.size(); i++) {
            Tenant.EgressRule r = egress.get(i);
            String p = f + ".egress[" + i + "]";
            String problem = cidrProblem(r.cidr());
            if (problem != null) {
                v.add(p + ".cidr", problem);
            }
            if (r.port() < 0 || r.port() > 65535) {
                v.add(p + ".port", "must be 1..65535, or 0 for every port; got " + r.port());
            }
            if (!PROTOCOLS.contains(r.protocol())) {
                v.add(p + ".protocol", "must be TCP, UDP or SCTP; got \"" + r.protocol() + "\"");
            }
        }
        List<Tenant.CrossTenantRule> cross = t.network().crossTenant();
        for (int i = 0; i < cross.size(); i++) {
            Tenant.CrossTenantRule r = cross.get(i);
            String p = f + ".cross_tenant[" + i + "]";
            if (r.direction() == null) {
                v.add(p + ".direction", "must be EGRESS or INGRESS");
            }
            v.requireDns1123Label(p + ".peer_tenant", r.peerTenant());
            if (t.name() != null && t.name().equals(r.peerTenant())) {
                v.add(
                        p + ".peer_tenant",
                        "must name another tenant; a tenant's own traffic is always allowed");
            }
            v.requireDns1123Label(p + ".app", r.app());
            if (r.port() < 1 || r.port() > 65535) {
                v.add(p + ".port", "must be 1..65535; got " + r.port());
            }
        }
    }

    /** Why {@code cidr} is not a canonical IPv4 or IPv6 CIDR, or null when it is one. */
    static String cidrProblem(String cidr) {
        if (cidr == null || cidr.isEmpty()) {
            return "is required";
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return "must be a CIDR such as 10.0.32.0/24, got \"" + cidr + "\"";
        }
        String addr = cidr.substring(0, slash);
        String len = cidr.substring(slash + 1);
        byte[] bytes;
        if (IPV4.matcher(addr).matches()) {
            bytes = ipv4(addr);
        } else if (addr.contains(":") && IPV6_CHARS.matcher(addr).matches()) {
            try {
                bytes = InetAddress.getByName(addr).getAddress(); // a literal: no name lookup
            } catch (UnknownHostException e) {
                return "is not a valid IPv6 address: \"" + addr + "\"";
            }
        } else {
            return "must be a CIDR such as 10.0.32.0/24, got \"" + cidr + "\"";
        }
        int prefix;
        try {
            prefix = Integer.parseInt(len);
        } catch (NumberFormatException e) {
            return "has no valid prefix length: \"" + len + "\"";
        }
        int bits = bytes.length * 8;
        if (prefix < 0 || prefix > bits) {
            return "prefix length must be 0.." + bits + ", got " + prefix;
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                return "has host bits set beyond /" + prefix + ": \"" + cidr + "\"";
            }
        }
        return null;
    }

    private static byte[] ipv4(String addr) {
        String[] parts = addr.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    private static void nonNegative(Violations v, String field, Long value) {
        if (value != null && value < 0) {
            v.add(field, "must not be negative, got " + value);
        }
    }
}
