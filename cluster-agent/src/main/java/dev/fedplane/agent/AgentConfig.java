package dev.fedplane.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an {@link Agent} needs besides its Kubernetes client. Immutable; build one with {@link
 * #builder(String, List)}.
 *
 * @param clusterName this cluster's name (a DNS-1123 label)
 * @param controlPlaneAddresses {@code host:port} of every control-plane replica; tried in turn
 * @param bootstrapToken the bootstrap token for the first registration; empty when none
 * @param labels the cluster's labels, sent at registration
 * @param taints the cluster's taints, sent at registration
 * @param credentialFile where the cluster credential is kept; {@code null} keeps it in the Secret
 *     {@value dev.fedplane.agent.credential.SecretCredentialStore#SECRET_NAME} in {@code
 *     credentialNamespace}
 * @param credentialNamespace namespace of the credential Secret
 * @param costPerCpuHour sent at registration
 * @param statusInterval the least time between two change-triggered status reports (debounce)
 * @param heartbeatInterval heartbeat period; {@code null} takes the control plane's {@code
 *     heartbeat_interval_seconds} (10 s when it sends 0)
 * @param initialBackoff first reconnect delay cap; doubles per failed attempt
 * @param maxBackoff cap of the reconnect delay
 * @param resyncInterval how often, while connected, the last desired state is applied again to
 *     correct drift (a deleted or edited managed object); {@code null} or zero turns it off
 * @param plaintext {@code true} for plaintext gRPC, {@code false} for TLS
 * @param trustCertificates PEM file of CA certificates for TLS; {@code null} uses the JDK's
 * @param clientCertificate PEM certificate chain presented to the control plane for mutual TLS;
 *     {@code null} presents none
 * @param clientKey PKCS#8 PEM key of {@code clientCertificate}
 * @param agentVersion reported in Register and Hello
 */
public record AgentConfig(
        String clusterName,
        List<String> controlPlaneAddresses,
        String bootstrapToken,
        Map<String, String> labels,
        List<TaintSpec> taints,
        Path credentialFile,
        String credentialNamespace,
        double costPerCpuHour,
        Duration statusInterval,
        Duration heartbeatInterval,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration resyncInterval,
        boolean plaintext,
        Path trustCertificates,
        Path clientCertificate,
        Path clientKey,
        String agentVersion) {

    public static final String DEFAULT_NAMESPACE = "fedplane-system";
    public static final String DEFAULT_AGENT_VERSION = "0.1.0";

    public AgentConfig {
        Objects.requireNonNull(clusterName, "clusterName");
        if (clusterName.isBlank()) {
            throw new IllegalArgumentException("clusterName must not be blank");
        }
        controlPlaneAddresses = List.copyOf(controlPlaneAddresses);
        if (controlPlaneAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one control-plane address is needed");
        }
        bootstrapToken = bootstrapToken == null ? "" : bootstrapToken;
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
        credentialNamespace = credentialNamespace == null ? DEFAULT_NAMESPACE : credentialNamespace;
        Objects.requireNonNull(statusInterval, "statusInterval");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        agentVersion = agentVersion == null ? DEFAULT_AGENT_VERSION : agentVersion;
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new IllegalArgumentException(
                    "a client certificate and its key go together (--tls-cert-file, --tls-key-file)");
        }
        if (clientCertificate != null && plaintext) {
            throw new IllegalArgumentException("a client certificate needs TLS (--no-plaintext)");
        }
    }

    public static Builder builder(String clusterName, List<String> controlPlaneAddresses) {
        return new Builder(clusterName, controlPlaneAddresses);
    }

    /** A taint as given on the command line: {@code key=value:Effect}. */
    public record TaintSpec(String key, String value, String effect) {

        /**
         * Parses {@code key=value:Effect}, {@code key:Effect}, {@code key=value} or {@code key}.
         */
        public static TaintSpec parse(String text) {
            String effect = "NoSchedule";
            String rest = text;
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                effect = text.substring(colon + 1);
                rest = text.substring(0, colon);
            }
            int eq = rest.indexOf('=');
            String key = eq >= 0 ? rest.substring(0, eq) : rest;
            String value = eq >= 0 ? rest.substring(eq + 1) : "";
            if (key.isBlank()) {
                throw new IllegalArgumentException("taint without a key: " + text);
            }
            if (!List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
                throw new IllegalArgumentException(
                        "taint effect must be NoSchedule, PreferNoSchedule or NoExecute: " + text);
            }
            return new TaintSpec(key, value, effect);
        }
    }

    /**
     * Defaults: 500 ms status debounce, heartbeat from the control plane, backoff 250 ms to 30 s,
     * drift resync every minute, plaintext, credential in the Secret of {@value
     * #DEFAULT_NAMESPACE}.
     */
    public static final class Builder {
        private final String clusterName;
        private final List<String> addresses;
        private String bootstrapToken = "";
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<TaintSpec> taints = new ArrayList<>();
        private Path credentialFile;
        private String credentialNamespace = DEFAULT_NAMESPACE;
        private double costPerCpuHour;
        private Duration statusInterval = Duration.ofMillis(500);
        private Duration heartbeatInterval;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration resyncInterval = Duration.ofMinutes(1);
        private boolean plaintext = true;
        private Path trustCertificates;
        private Path clientCertificate;
        private Path clientKey;
        private String agentVersion = DEFAULT_AGENT_VERSION;

        private Builder(String clusterName, List<String> addresses) {
            this.clusterName = clusterName;
            this.addresses = List.copyOf(addresses);
        }

        public Builder bootstrapToken(String token) {
            this.bootstrapToken = token;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> all) {
            labels.putAll(all);
            return this;
        }

        public Builder taint(TaintSpec taint) {
            taints.add(taint);
            return this;
        }

        public Builder credentialFile(Path file) {
            this.credentialFile = file;
            return this;
        }

        public Builder credentialNamespace(String namespace) {
            this.credentialNamespace = namespace;
            return this;
        }

        public Builder costPerCpuHour(double cost) {
            this.costPerCpuHour = cost;
            return this;
        }

        public Builder statusInterval(Duration interval) {
            this.statusInterval = interval;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder resyncInterval(Duration interval) {
            this.resyncInterval = interval;
            return this;
        }

        public Builder plaintext(boolean on) {
            this.plaintext = on;
            return this;
        }

        public Builder trustCertificates(Path pem) {
            this.trustCertificates = pem;
            return this;
        }

        public Builder clientCertificate(Path certificate, Path key) {
            this.clientCertificate = certificate;
            this.clientKey = key;
            return this;
        }

        public Builder agentVersion(String version) {
            this.agentVersion = version;
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(
                    clusterName,
                    addresses,
                    bootstrapToken,
                    labels,
                    taints,
                    credentialFile,
                    credentialNamespace,
                    costPerCpuHour,
                    statusInterval,
                    heartbeatInterval,
                    initialBackoff,
                    maxBackoff,
                    resyncInterval,
                    plaintext,
                    trustCertificates,
                    clientCertificate,
                    clientKey,
                    agentVersion);
        }
    }
}
