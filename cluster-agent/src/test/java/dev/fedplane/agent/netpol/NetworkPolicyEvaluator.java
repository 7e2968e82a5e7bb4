package dev.fedplane.agent.netpol;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Decides whether traffic is allowed under a set of {@code networking.k8s.io/v1} NetworkPolicies,
 * with Kubernetes semantics:
 *
 * <ul>
 *   <li>A pod is isolated for a direction iff some policy in its namespace selects it ({@code
 *       podSelector}) and lists that direction in {@code policyTypes} (absent {@code policyTypes}:
 *       Ingress always, Egress when the policy has egress rules). A pod that is not isolated allows
 *       everything in that direction.
 *   <li>An isolated pod allows a connection iff some rule of some such policy matches both the peer
 *       and the port. A rule with no peers matches every peer; with no ports, every port and
 *       protocol. A peer is an {@code ipBlock} (cidr minus {@code except}), or pods chosen by
 *       {@code namespaceSelector} and/or {@code podSelector} (both set: pods matching the pod
 *       selector in namespaces matching the namespace selector; only a pod selector: pods of the
 *       policy's own namespace; only a namespace selector: every pod of those namespaces).
 *   <li>A port entry matches when the protocol is equal (absent: TCP) and the port is absent (every
 *       port), equal, or in {@code port..endPort}.
 *   <li>A connection from a pod to a pod needs both the source's egress and the destination's
 *       ingress to allow it; to an address outside the cluster only the source's egress counts.
 * </ul>
 *
 * Choices where Kubernetes leaves it to the network plugin: an {@code ipBlock} is matched against
 * pod addresses too (when the pod has one). Named ports are not supported (they throw). Immutable;
 * thread-safe.
 */
public final class NetworkPolicyEvaluator {

    /** A traffic endpoint: a pod of the cluster, or an address outside it. */
    public sealed interface Endpoint permits Pod, External {}

    /**
     * @param ip may be null (then no {@code ipBlock} matches it)
     */
    public record Pod(String namespace, String name, Map<String, String> labels, String ip)
            implements Endpoint {
        public Pod {
            labels = Map.copyOf(labels);
        }
    }

    public record External(String ip) implements Endpoint {}

    /** The decision and, for a person reading a failed test, why. */
    public record Verdict(boolean allowed, String reason) {}

    public enum Direction {
        INGRESS,
        EGRESS
    }

    private final List<NetworkPolicy> policies;
    private final Map<String, Map<String, String>> namespaceLabels;

    /**
     * @param namespaceLabels every namespace's labels (a pod's namespace missing here counts as
     *     having no labels)
     */
    public NetworkPolicyEvaluator(
            Collection<NetworkPolicy> policies, Map<String, Map<String, String>> namespaceLabels) {
        this.policies = List.copyOf(policies);
        this.namespaceLabels = Map.copyOf(namespaceLabels);
    }

    /**
     * Whether {@code source} may open a connection to {@code destination} on {@code port}/{@code
     * protocol}.
     */
    public Verdict evaluate(Pod source, Endpoint destination, int port, String protocol) {
        Verdict egress = check(Direction.EGRESS, source, destination, port, protocol);
        if (!egress.allowed() || !(destination instanceof Pod destinationPod)) {
            return egress;
        }
        Verdict ingress = check(Direction.INGRESS, destinationPod, source, port, protocol);
        return ingress.allowed()
                ? new Verdict(true, egress.reason() + "; " + ingress.reason())
                : ingress;
    }

    public boolean allows(Pod source, Endpoint destination, int port, String protocol) {
        return evaluate(source, destination, port, protocol).allowed();
    }

    /**
     * One direction at {@code subject}: for EGRESS, may {@code subject} send to {@code peer}; for
     * INGRESS, may {@code subject} receive from {@code peer}.
     */
    public Verdict check(
            Direction direction, Pod subject, Endpoint peer, int port, String protocol) {
        List<NetworkPolicy> isolating = new ArrayList<>();
        for (NetworkPolicy p : policies) {
            if (p.getMetadata().getNamespace().equals(subject.namespace())
                    && selects(p.getSpec().getPodSelector(), subject.labels())
                    && hasType(p, direction)) {
                isolating.add(p);
            }
        }
        String at =
                direction.name().toLowerCase(java.util.Locale.ROOT)
                        + " at "
                        + subject.namespace()
                        + "/"
                        + subject.name();
        if (isolating.isEmpty()) {
            return new Verdict(true, at + ": not isolated");
        }
        for (NetworkPolicy p : isolating) {
            String namespace = p.getMetadata().getNamespace();
            if (direction == Direction.INGRESS) {
                var rules =
                        p.getSpec().getIngress() == null
                                ? List
                                        .<io.fabric8.kubernetes.api.model.networking.v1
                                                        .NetworkPolicyIngressRule>
                                                of()
                                : p.getSpec().getIngress();
                for (int i = 0; i < rules.size(); i++) {
                    if (peersMatch(rules.get(i).getFrom(), namespace, peer)
                            && portsMatch(rules.get(i).getPorts(), port, protocol)) {
                        return new Verdict(
                                true,
                                at
                                        + ": allowed by "
                                        + p.getMetadata().getName()
                                        + " ingress rule "
                                        + i);
                    }
                }
            } else {
                var rules =
                        p.getSpec().getEgress() == null
                                ? List
                                        .<io.fabric8.kubernetes.api.model.networking.v1
                                                        .NetworkPolicyEgressRule>
                                                of()
                                : p.getSpec().getEgress();
                for (int i = 0; i < rules.size(); i++) {
                    if (peersMatch(rules.get(i).getTo(), namespace, peer)
                            && portsMatch(rules.get(i).getPorts(), port, protocol)) {
                        return new Verdict(
                                true,
                                at
                                        + ": allowed by "
                                        + p.getMetadata().getName()
                                        + " egress rule "
                                        + i);
                    }
                }
            }
        }
        return new Verdict(
                false,
                at
                        + ": isolated by "
                        + isolating.stream().map(p -> p.getMetadata().getName()).toList()
                        + " and no rule matches "
                        + describe(peer)
                        + " on "
                        + protocol
                        + "/"
                        + port);
    }

    private static String describe(Endpoint e) {
        return e instanceof Pod p
                ? "pod " + p.namespace() + "/" + p.name()
                : "address " + ((External) e).ip();
    }

    static boolean hasType(NetworkPolicy p, Direction direction) {
        List<String> types = p.getSpec().getPolicyTypes();
        if (types == null || types.isEmpty()) {
            return direction == Direction.INGRESS
                    || (p.getSpec().getEgress() != null && !p.getSpec().getEgress().isEmpty());
        }
        return types.contains(direction == Direction.INGRESS ? "Ingress" : "Egress");
    }

    private boolean peersMatch(
            List<NetworkPolicyPeer> peers, String policyNamespace, Endpoint endpoint) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(peer -> peerMatches(peer, policyNamespace, endpoint));
    }

    private boolean peerMatches(NetworkPolicyPeer peer, String policyNamespace, Endpoint endpoint) {
        if (peer.getIpBlock() != null) {
            String ip = endpoint instanceof Pod p ? p.ip() : ((External) endpoint).ip();
            return ip != null && inBlock(ip, peer.getIpBlock());
        }
        if (!(endpoint instanceof Pod pod)) {
            return false;
        }
        if (peer.getNamespaceSelector() == null && peer.getPodSelector() == null) {
            return false; // an empty peer is invalid in Kubernetes; match nothing
        }
        boolean namespaceOk =
                peer.getNamespaceSelector() == null
                        ? pod.namespace().equals(policyNamespace)
                        : selects(
                                peer.getNamespaceSelector(),
                                namespaceLabels.getOrDefault(pod.namespace(), Map.of()));
        boolean podOk =
                peer.getPodSelector() == null || selects(peer.getPodSelector(), pod.labels());
        return namespaceOk && podOk;
    }

    static boolean portsMatch(List<NetworkPolicyPort> ports, int port, String protocol) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            String wantProtocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!wantProtocol.equalsIgnoreCase(protocol)) {
                continue;
            }
            if (p.getPort() == null) {
                return true;
            }
            if (p.getPort().getIntVal() == null) {
                throw new UnsupportedOperationException(
                        "named port " + p.getPort().getStrVal() + " is not supported");
            }
            int from = p.getPort().getIntVal();
            int to = p.getEndPort() == null ? from : p.getEndPort();
            if (port >= from && port <= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kubernetes label selector semantics; an empty selector selects everything, a null one
     * nothing.
     */
    public static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(have.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = have.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok =
                        switch (r.getOperator()) {
                            case "In" -> value != null && values.contains(value);
                            case "NotIn" -> value == null || !values.contains(value);
                            case "Exists" -> have.containsKey(r.getKey());
                            case "DoesNotExist" -> !have.containsKey(r.getKey());
                            default ->
                                    throw new IllegalArgumentException(
                                            "unknown selector operator " + r.getOperator());
                        };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean inBlock(String ip, IPBlock block) {
        if (!inCidr(ip, block.getCidr())) {
            return false;
        }
        return block.getExcept() == null
                || block.getExcept().stream().noneMatch(except -> inCidr(ip, except));
    }

    /**
     * Whether the literal address {@code ip} is inside {@code cidr} (IPv4 or IPv6; families never
     * mix).
     */
    public static boolean inCidr(String ip, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        byte[] address = bytes(ip);
        byte[] network = bytes(cidr.substring(0, slash));
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (address.length != network.length || prefix < 0 || prefix > address.length * 8) {
            return false;
        }
        int bits = address.length * 8;
        BigInteger mask =
                prefix == 0
                        ? BigInteger.ZERO
                        : BigInteger.ONE
                                .shiftLeft(bits)
                                .subtract(BigInteger.ONE)
                                .xor(
                                        BigInteger.ONE
                                                .shiftLeft(bits - prefix)
                                                .subtract(BigInteger.ONE));
        return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    private static byte[] bytes(String literal) {
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }
}
