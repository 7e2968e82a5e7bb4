package dev.fedplane.controlplane.tls;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * TLS of the gRPC listener (environment variable, then property): {@code FEDPLANE_TLS_CERT_FILE}
 * ({@code fedplane.tls.cert-file}) and {@code FEDPLANE_TLS_KEY_FILE} ({@code
 * fedplane.tls.key-file}): the server's PEM certificate chain and PKCS#8 PEM key; TLS is on when
 * they are set, plaintext otherwise. {@code FEDPLANE_TLS_CLIENT_AUTH} ({@code
 * fedplane.tls.client-auth}): {@code none} (default), {@code agents} (the handshake asks for a
 * client certificate and {@code fedplane.v1.AgentService} refuses calls without one signed by the
 * client CA; the platform API still takes clients without one) or {@code all} (the handshake
 * refuses every client without one). {@code FEDPLANE_TLS_CLIENT_CA_FILE} ({@code
 * fedplane.tls.client-ca-file}): PEM CA certificates that sign client certificates, needed unless
 * client-auth is {@code none}. {@code FEDPLANE_TLS_RELOAD_INTERVAL} ({@code
 * fedplane.tls.reload-interval}, default 30s): how often the files are checked for a change (a
 * renewed certificate, a rotated Kubernetes Secret); a change is served to new connections.
 *
 * <p>A half-given configuration (a key without a certificate, client-auth without a CA, a file that
 * does not exist) stops the start with a message naming the property.
 */
@Singleton
public class TlsConfiguration {
    /** Who must present a client certificate. */
    public enum ClientAuth {
        NONE,
        AGENTS,
        ALL
    }

    private final Path certFile;
    private final Path keyFile;
    private final Path clientCaFile;
    private final ClientAuth clientAuth;
    private final Duration reloadInterval;

    public TlsConfiguration(
            @Value("${fedplane.tls.cert-file:}") String certFile,
            @Value("${fedplane.tls.key-file:}") String keyFile,
            @Value("${fedplane.tls.client-ca-file:}") String clientCaFile,
            @Value("${fedplane.tls.client-auth:none}") String clientAuth,
            @Value("${fedplane.tls.reload-interval:30s}") Duration reloadInterval) {
        this.certFile = path(certFile);
        this.keyFile = path(keyFile);
        this.clientCaFile = path(clientCaFile);
        this.clientAuth = parseClientAuth(clientAuth);
        if ((this.certFile == null) != (this.keyFile == null)) {
            throw new ConfigurationException(
                    "fedplane.tls.cert-file and fedplane.tls.key-file go together: "
                            + (this.certFile == null ? "cert-file" : "key-file")
                            + " is missing");
        }
        if (this.certFile == null
                && (this.clientAuth != ClientAuth.NONE || this.clientCaFile != null)) {
            throw new ConfigurationException(
                    "fedplane.tls.client-auth and fedplane.tls.client-ca-file need TLS: "
                            + "set fedplane.tls.cert-file and fedplane.tls.key-file");
        }
        if (this.clientAuth != ClientAuth.NONE && this.clientCaFile == null) {
            throw new ConfigurationException(
                    "fedplane.tls.client-auth "
                            + clientAuth.strip()
                            + " needs fedplane.tls.client-ca-file (the CA that signs client certificates)");
        }
        if (this.clientAuth == ClientAuth.NONE && this.clientCaFile != null) {
            throw new ConfigurationException(
                    "fedplane.tls.client-ca-file is set but fedplane.tls.client-auth is none: "
                            + "set client-auth to agents or all");
        }
        requireReadable("fedplane.tls.cert-file", this.certFile);
        requireReadable("fedplane.tls.key-file", this.keyFile);
        requireReadable("fedplane.tls.client-ca-file", this.clientCaFile);
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new ConfigurationException(
                    "fedplane.tls.reload-interval must be positive, was " + reloadInterval);
        }
        this.reloadInterval = reloadInterval;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.strip());
    }

    private static ClientAuth parseClientAuth(String value) {
        try {
            return ClientAuth.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(
                    "fedplane.tls.client-auth must be none, agents or all, was " + value);
        }
    }

    private static void requireReadable(String property, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new ConfigurationException(property + ": cannot read " + file);
        }
    }

    /** Whether the gRPC listener uses TLS. */
    public boolean enabled() {
        return certFile != null;
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    public Optional<Path> clientCaFile() {
        return Optional.ofNullable(clientCaFile);
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    public Duration reloadInterval() {
        return reloadInterval;
    }
}
