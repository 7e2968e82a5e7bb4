package dev.fedplane.controlplane.tls;

import dev.fedplane.controlplane.common.DaemonThreads;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import io.micronaut.context.exceptions.ConfigurationException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC listener's TLS material, kept current. grpc-java's {@link AdvancedTlsX509KeyManager}
 * (server certificate and key) and {@link AdvancedTlsX509TrustManager} (client CA, with client
 * authentication) hold it and swap it atomically; this class loads the PEM files into them at start
 * (unusable files fail the start) and then, every {@link TlsConfiguration#reloadInterval()} on one
 * daemon thread, reads the files again and loads them when their content changed (a renewed
 * certificate, a Kubernetes Secret whose mounted files were swapped). New handshakes use the new
 * material; open connections keep theirs. Changed files that do not load, or whose key is not the
 * certificate's (say a key written after its certificate), are logged and retried at the next check
 * while the previous material stays. (grpc-java's own file polling is not used: it checks at most
 * once a minute.)
 */
@Singleton
public class ReloadingTls {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingTls.class);

    private final TlsConfiguration config;
    private ScheduledExecutorService executor;
    private SslContext sslContext;
    private AdvancedTlsX509KeyManager keyManager;
    private AdvancedTlsX509TrustManager trustManager;
    private byte[] loadedIdentity;
    private byte[] loadedTrust;

    public ReloadingTls(TlsConfiguration config) {
        this.config = config;
    }

    /** The server SSL context (JDK provider, ALPN h2); built once, on first use. Needs TLS on. */
    public synchronized SslContext serverContext() {
        if (sslContext != null) {
            return sslContext;
        }
        if (!config.enabled()) {
            throw new IllegalStateException("TLS is off: fedplane.tls.cert-file is not set");
        }
        try {
            keyManager = new AdvancedTlsX509KeyManager();
            loadIdentity(digest(config.certFile(), config.keyFile()));
            SslContextBuilder builder =
                    GrpcSslContexts.configure(
                            SslContextBuilder.forServer(keyManager), SslProvider.JDK);
            if (config.clientAuth() != TlsConfiguration.ClientAuth.NONE) {
                trustManager =
                        AdvancedTlsX509TrustManager.newBuilder()
                                .setVerification(
                                        AdvancedTlsX509TrustManager.Verification
                                                .CERTIFICATE_ONLY_VERIFICATION)
                                .build();
                loadTrust(digest(config.clientCaFile().orElseThrow()));
                builder.trustManager(trustManager)
                        .clientAuth(
                                config.clientAuth() == TlsConfiguration.ClientAuth.ALL
                                        ? ClientAuth.REQUIRE
                                        : ClientAuth.OPTIONAL);
            }
            sslContext = builder.build();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigurationException(
                    "TLS material of the gRPC listener is unusable (fedplane.tls.cert-file "
                            + config.certFile()
                            + ", key-file "
                            + config.keyFile()
                            + config.clientCaFile().map(f -> ", client-ca-file " + f).orElse("")
                            + "): "
                            + e.getMessage(),
                    e);
        }
        executor = DaemonThreads.single("fedplane-tls-reload");
        long period = config.reloadInterval().toMillis();
        executor.scheduleWithFixedDelay(
                this::reloadIfChanged, period, period, TimeUnit.MILLISECONDS);
        return sslContext;
    }

    private void loadIdentity(byte[] digest) throws IOException, GeneralSecurityException {
        X509Certificate[] chain;
        PrivateKey key;
        try (InputStream certs = Files.newInputStream(config.certFile());
                InputStream keyIn = Files.newInputStream(config.keyFile())) {
            chain = CertificateUtils.getX509Certificates(certs);
            key = CertificateUtils.getPrivateKey(keyIn);
        }
        if (chain.length == 0) {
            throw new GeneralSecurityException("no certificate in " + config.certFile());
        }
        requireMatching(key, chain[0]);
        keyManager.updateIdentityCredentials(key, chain);
        loadedIdentity = digest;
    }

    /**
     * Refuses a key that is not the certificate's: while a renewal rewrites the two files one after
     * the other, a check can see the new certificate with the old key, and serving that pair would
     * fail every handshake until the next check.
     */
    static void requireMatching(PrivateKey key, X509Certificate certificate)
            throws GeneralSecurityException {
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    case "Ed25519", "EdDSA" -> "Ed25519";
                    case "Ed448" -> "Ed448";
                    default ->
                            throw new GeneralSecurityException(
                                    "unsupported private key algorithm " + key.getAlgorithm());
                };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException(
                    "the private key does not belong to the certificate "
                            + certificate.getSubjectX500Principal());
        }
    }

    private void loadTrust(byte[] digest) throws IOException, GeneralSecurityException {
        trustManager.updateTrustCredentials(config.clientCaFile().orElseThrow().toFile());
        loadedTrust = digest;
    }

    /** One check (reload thread): loads whichever files changed since they were last loaded. */
    synchronized void reloadIfChanged() {
        try {
            byte[] identity = digest(config.certFile(), config.keyFile());
            if (!Arrays.equals(identity, loadedIdentity)) {
                loadIdentity(identity);
                LOG.info("TLS: loaded the changed server certificate {}", config.certFile());
            }
            if (trustManager != null) {
                byte[] trust = digest(config.clientCaFile().orElseThrow());
                if (!Arrays.equals(trust, loadedTrust)) {
                    loadTrust(trust);
                    LOG.info(
                            "TLS: loaded the changed client CA {}",
                            config.clientCaFile().orElseThrow());
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn(
                    "TLS: changed files not loaded, the previous certificate stays in use (retried in {}): {}",
                    config.reloadInterval(),
                    e.toString());
        }
    }

    private static byte[] digest(Path... files) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : List.of(files)) {
                sha.update(Files.readAllBytes(f));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
