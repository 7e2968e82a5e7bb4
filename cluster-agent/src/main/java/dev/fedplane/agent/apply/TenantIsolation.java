package dev.fedplane.agent.apply;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ResourceQuota and NetworkPolicies the agent keeps in a tenant's namespace, built from a
 * {@link NamespaceSpec}, and the comparisons that tell whether an object in the cluster still has
 * every field the agent sets. Pure functions; no I/O.
 *
 * <p>Policies (all in namespace {@code <tenant>}, labelled managed-by and tenant):
 *
 * <ul>
 *   <li>{@value #ISOLATION}: always. Selects every pod; Ingress only from pods of namespaces
 *       labelled {@code fedplane.dev/tenant=<tenant>} and from pods of the same namespace (so a
 *       pre-existing, unlabelled namespace the agent uses as it is still lets its own pods talk).
 *   <li>{@value #EGRESS}: only when the tenant has an egress list. Selects every pod; Egress only
 *       to each rule's CIDR (and port/protocol), DNS (UDP and TCP 53) to pods of any namespace, the
 *       tenant's own namespaces (and this namespace), and each agreed EGRESS cross-tenant target.
 *   <li>{@code fedplane-allow-<peer>-<app>-<port>} per agreed INGRESS cross-tenant rule: selects
 *       the app's pods; Ingress from pods of namespaces labelled with the peer tenant on TCP port.
 * </ul>
 */
public final class TenantIsolation {

    public static final String QUOTA = "fedplane-quota";
    public static final String ISOLATION = "fedplane-isolation";
    public static final String EGRESS = "fedplane-egress";
    public static final String ALLOW_PREFIX = "fedplane-allow-";
    public static final int DNS_PORT = 53;
    static final int MAX_NAME = 63;

    private TenantIsolation() {}

    public static Map<String, String> labels(String tenant) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE);
        labels.put(ManagedLabels.TENANT, tenant);
        return labels;
    }

    // ------------------------------------------------------------------ ResourceQuota

    /**
     * The tenant's ResourceQuota; empty when the spec sets no quota. Only fields above 0 become
     * limits.
     */
    public static Optional<ResourceQuota> resourceQuota(NamespaceSpec spec) {
        NamespaceSpec.QuotaSpec q = spec.quota();
        if (!q.isSet()) {
            return Optional.empty();
        }
        Map<String, Quantity> hard = new LinkedHashMap<>();
        if (q.cpuMillis() > 0) {
            hard.put("requests.cpu", new Quantity(q.cpuMillis() + "m"));
            hard.put("limits.cpu", new Quantity(q.cpuMillis() + "m"));
        }
        if (q.memoryMib() > 0) {
            hard.put("requests.memory", new Quantity(q.memoryMib() + "Mi"));
            hard.put("limits.memory", new Quantity(q.memoryMib() + "Mi"));
        }
        if (q.pods() > 0) {
            hard.put("pods", new Quantity(Long.toString(q.pods())));
        }
        return Optional.of(
                new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName(QUOTA)
                        .withNamespace(spec.tenant())
                        .withLabels(labels(spec.tenant()))
                        .endMetadata()
                        .withNewSpec()
                        .withHard(hard)
                        .endSpec()
                        .build());
    }

    /**
     * Whether {@code existing} has the agent's labels and the same hard limits (compared as
     * numbers).
     */
    public static boolean matches(ResourceQuota existing, ResourceQuota wanted) {
        return hasLabels(existing.getMetadata().getLabels(), wanted.getMetadata().getLabels())
                && existing.getSpec() != null
                && numeric(existing.getSpec().getHard()).equals(numeric(wanted.getSpec().getHard()))
                && existing.getSpec().getScopeSelector() == null
                && (existing.getSpec().getScopes() == null
                        || existing.getSpec().getScopes().isEmpty());
    }

    private static Map<String, BigDecimal> numeric(Map<String, Quantity> q) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (q != null) {
            q.forEach((k, v) -> out.put(k, v.getNumericalAmount().stripTrailingZeros()));
        }
        return out;
    }

    // ------------------------------------------------------------------ NetworkPolicies

    /** Every NetworkPolicy the tenant's namespace should hold, in a stable order, names unique. */
    public static List<NetworkPolicy> networkPolicies(NamespaceSpec spec) {
        String tenant = spec.tenant();
        List<NetworkPolicy> out = new ArrayList<>();
        out.add(
                policy(
                        tenant,
                        ISOLATION,
                        everyPod(),
                        "Ingress",
                        List.of(
                                new NetworkPolicyIngressRuleBuilder()
                                        .withFrom(tenantNamespaces(tenant), sameNamespace())
                                        .build()),
                        List.of()));
        if (!spec.network().egress().isEmpty()) {
            out.add(policy(tenant, EGRESS, everyPod(), "Egress", List.of(), egressRules(spec)));
        }
        Map<String, NetworkPolicy> allows = new LinkedHashMap<>();
        for (NamespaceSpec.CrossTenantRule rule : spec.network().crossTenant()) {
            if (rule.direction() != NamespaceSpec.CrossTenantRule.Direction.INGRESS) {
                continue;
            }
            String name = allowPolicyName(rule.peerTenant(), rule.app(), rule.port());
            allows.putIfAbsent(
                    name,
                    policy(
                            tenant,
                            name,
                            appPods(rule.app()),
                            "Ingress",
                            List.of(
                                    new NetworkPolicyIngressRuleBuilder()
                                            .withFrom(
                                                    new NetworkPolicyPeerBuilder()
                                                            .withNamespaceSelector(
                                                                    tenantSelector(
                                                                            rule.peerTenant()))
                                                            .build())
                                            .withPorts(tcp(rule.port()))
                                            .build()),
                            List.of()));
        }
        out.addAll(allows.values());
        return out;
    }

    private static List<NetworkPolicyEgressRule> egressRules(NamespaceSpec spec) {
        List<NetworkPolicyEgressRule> rules = new ArrayList<>();
        for (NamespaceSpec.EgressRule e : spec.network().egress()) {
            NetworkPolicyEgressRuleBuilder rule =
                    new NetworkPolicyEgressRuleBuilder()
                            .withTo(
                                    new NetworkPolicyPeerBuilder()
                                            .withNewIpBlock()
                                            .withCidr(e.cidr())
                                            .endIpBlock()
                                            .build());
            String protocol =
                    e.protocol() == null || e.protocol().isEmpty()
                            ? null
                            : e.protocol().toUpperCase(java.util.Locale.ROOT);
            if (e.port() > 0) {
                rule.withPorts(
                        new NetworkPolicyPortBuilder()
                                .withProtocol(protocol == null ? "TCP" : protocol)
                                .withPort(new IntOrString(e.port()))
                                .build());
            } else if (protocol != null) {
                rule.withPorts(new NetworkPolicyPortBuilder().withProtocol(protocol).build());
            }
            rules.add(rule.build());
        }
        rules.add(
                new NetworkPolicyEgressRuleBuilder()
                        .withTo(
                                new NetworkPolicyPeerBuilder()
                                        .withNamespaceSelector(new LabelSelector())
                                        .build())
                        .withPorts(port("UDP", DNS_PORT), port("TCP", DNS_PORT))
                        .build());
        rules.add(
                new NetworkPolicyEgressRuleBuilder()
                        .withTo(tenantNamespaces(spec.tenant()), sameNamespace())
                        .build());
        for (NamespaceSpec.CrossTenantRule c : spec.network().crossTenant()) {
            if (c.direction() != NamespaceSpec.CrossTenantRule.Direction.EGRESS) {
                continue;
            }
            rules.add(
                    new NetworkPolicyEgressRuleBuilder()
                            .withTo(
                                    new NetworkPolicyPeerBuilder()
                                            .withNamespaceSelector(tenantSelector(c.peerTenant()))
                                            .withPodSelector(appSelector(c.app()))
                                            .build())
                            .withPorts(tcp(c.port()))
                            .build());
        }
        return rules.stream().distinct().toList();
    }

    private static NetworkPolicy policy(
            String tenant,
            String name,
            LabelSelector podSelector,
            String type,
            List<NetworkPolicyIngressRule> ingress,
            List<NetworkPolicyEgressRule> egress) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(tenant)
                .withLabels(labels(tenant))
                .endMetadata()
                .withNewSpec()
                .withPodSelector(podSelector)
                .withPolicyTypes(type)
                .withIngress(ingress)
                .withEgress(egress)
                .endSpec()
                .build();
    }

    /**
     * {@code fedplane-allow-<peer>-<app>-<port>}; when longer than 63 characters, its first 52 and
     * a dash and the first 10 hex digits of the SHA-256 of the whole name.
     */
    public static String allowPolicyName(String peerTenant, String app, int port) {
        String name = ALLOW_PREFIX + peerTenant + "-" + app + "-" + port;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = sha256(name).substring(0, 10);
        String head = name.substring(0, MAX_NAME - 11);
        while (head.endsWith("-") || head.endsWith(".")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "-" + hash;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LabelSelector everyPod() {
        return new LabelSelector();
    }

    private static LabelSelector tenantSelector(String tenant) {
        return new LabelSelectorBuilder()
                .withMatchLabels(Map.of(ManagedLabels.TENANT, tenant))
                .build();
    }

    private static LabelSelector appSelector(String app) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of(ManagedLabels.APP, app)).build();
    }

    private static LabelSelector appPods(String app) {
        return appSelector(app);
    }

    private static NetworkPolicyPeer tenantNamespaces(String tenant) {
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(tenantSelector(tenant)).build();
    }

    private static NetworkPolicyPeer sameNamespace() {
        return new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelector()).build();
    }

    /** TCP on {@code port}; every TCP port when 0. */
    private static NetworkPolicyPort tcp(int port) {
        return port > 0
                ? port("TCP", port)
                : new NetworkPolicyPortBuilder().withProtocol("TCP").build();
    }

    private static NetworkPolicyPort port(String protocol, int port) {
        return new NetworkPolicyPortBuilder()
                .withProtocol(protocol)
                .withPort(new IntOrString(port))
                .build();
    }

    // ------------------------------------------------------------------ comparison

    /**
     * Whether {@code existing} carries the agent's labels and a spec equal to the wanted one once
     * both are put in canonical form (API-server defaults such as protocol TCP and an empty pod
     * selector spelled {@code {}} or absent do not count as differences).
     */
    public static boolean matches(NetworkPolicy existing, NetworkPolicy wanted) {
        return hasLabels(existing.getMetadata().getLabels(), wanted.getMetadata().getLabels())
                && canonical(existing.getSpec()).equals(canonical(wanted.getSpec()));
    }

    private static boolean hasLabels(Map<String, String> have, Map<String, String> want) {
        return have != null && have.entrySet().containsAll(want.entrySet());
    }

    /** A canonical text of a policy spec: selectors sorted, protocols defaulted, lists in order. */
    static String canonical(NetworkPolicySpec spec) {
        if (spec == null) {
            return "null";
        }
        List<String> types =
                spec.getPolicyTypes() == null
                        ? List.of()
                        : spec.getPolicyTypes().stream().sorted().toList();
        String ingress =
                spec.getIngress() == null
                        ? "[]"
                        : spec.getIngress().stream()
                                .map(
                                        r ->
                                                "from"
                                                        + peers(r.getFrom())
                                                        + " ports"
                                                        + ports(r.getPorts()))
                                .toList()
                                .toString();
        String egress =
                spec.getEgress() == null
                        ? "[]"
                        : spec.getEgress().stream()
                                .map(r -> "to" + peers(r.getTo()) + " ports" + ports(r.getPorts()))
                                .toList()
                                .toString();
        return "pods="
                + selector(spec.getPodSelector(), true)
                + " types="
                + types
                + " ingress="
                + ingress
                + " egress="
                + egress;
    }

    private static String peers(List<NetworkPolicyPeer> peers) {
        return peers == null
                ? "[]"
                : peers.stream()
                        .map(
                                p ->
                                        "{ns="
                                                + selector(p.getNamespaceSelector(), false)
                                                + " pods="
                                                + selector(p.getPodSelector(), false)
                                                + " ip="
                                                + ipBlock(p.getIpBlock())
                                                + "}")
                        .toList()
                        .toString();
    }

    private static String ipBlock(IPBlock block) {
        if (block == null) {
            return "null";
        }
        return block.getCidr()
                + (block.getExcept() == null
                                ? List.of()
                                : block.getExcept().stream().sorted().toList())
                        .toString();
    }

    private static String ports(List<NetworkPolicyPort> ports) {
        return ports == null
                ? "[]"
                : ports.stream()
                        .map(
                                p ->
                                        (p.getProtocol() == null ? "TCP" : p.getProtocol())
                                                + "/"
                                                + (p.getPort() == null
                                                        ? "*"
                                                        : p.getPort().getIntVal() != null
                                                                ? p.getPort().getIntVal().toString()
                                                                : p.getPort().getStrVal())
                                                + (p.getEndPort() == null
                                                        ? ""
                                                        : "-" + p.getEndPort()))
                        .toList()
                        .toString();
    }

    /**
     * {@code null} stays distinct from {@code {}} except where absent means "all" ({@code
     * absentIsEmpty}).
     */
    private static String selector(LabelSelector s, boolean absentIsEmpty) {
        if (s == null) {
            return absentIsEmpty ? "{}" : "null";
        }
        Map<String, String> labels =
                s.getMatchLabels() == null ? Map.of() : new TreeMap<>(s.getMatchLabels());
        List<String> expressions =
                s.getMatchExpressions() == null
                        ? List.of()
                        : s.getMatchExpressions().stream()
                                .map(TenantIsolation::expression)
                                .sorted()
                                .toList();
        return expressions.isEmpty() && labels.isEmpty() ? "{}" : "{" + labels + expressions + "}";
    }

    private static String expression(LabelSelectorRequirement r) {
        List<String> values =
                r.getValues() == null ? List.of() : r.getValues().stream().sorted().toList();
        return r.getKey() + " " + r.getOperator() + " " + values;
    }
}
