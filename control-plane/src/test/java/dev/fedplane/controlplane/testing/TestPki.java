package dev.fedplane.controlplane.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test with BouncyCastle: a CA ({@link #newCa}) that issues server
 * certificates (serverAuth, DNS and IP subject alternative names) and client certificates
 * (clientAuth), each with an EC P-256 key; {@link Issued#writeTo} writes PEM files (key as PKCS#8).
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private TestPki() {}

    /** A certificate and its key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /**
         * Writes {@code <dir>/<name>.crt} and {@code <dir>/<name>.key}, each replaced atomically.
         */
        public void writeTo(Path dir, String name) {
            writeAtomically(dir.resolve(name + ".key"), pem(key));
            writeAtomically(dir.resolve(name + ".crt"), pem(certificate));
        }

        public Path certFile(Path dir, String name) {
            return dir.resolve(name + ".crt");
        }
    }

    /** A certificate authority. */
    public static final class Ca {
        private final Issued self;

        private Ca(Issued self) {
            this.self = self;
        }

        public X509Certificate certificate() {
            return self.certificate();
        }

        /** Writes the CA certificate to {@code file} (PEM). */
        public Path writeCertificate(Path file) {
            writeAtomically(file, pem(self.certificate()));
            return file;
        }

        /**
         * A server certificate for these DNS names and IP addresses (an entry of digits and dots is
         * an IP).
         */
        public Issued server(String... names) {
            return issue("fedplane-control-plane", names, KeyPurposeId.id_kp_serverAuth);
        }

        /** A client certificate with this common name. */
        public Issued client(String commonName) {
            return issue(commonName, new String[0], KeyPurposeId.id_kp_clientAuth);
        }

        private Issued issue(String cn, String[] names, KeyPurposeId purpose) {
            try {
                KeyPair pair = keyPair();
                Instant now = Instant.now();
                JcaX509v3CertificateBuilder b =
                        new JcaX509v3CertificateBuilder(
                                new X500Name("CN=" + rfc4514(self.certificate())),
                                BigInteger.valueOf(SERIALS.incrementAndGet()),
                                Date.from(now.minus(1, ChronoUnit.HOURS)),
                                Date.from(now.plus(1, ChronoUnit.DAYS)),
                                new X500Name("CN=" + cn),
                                pair.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(
                        Extension.keyUsage,
                        true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                if (names.length > 0) {
                    List<GeneralName> san = new ArrayList<>();
                    for (String n : names) {
                        san.add(
                                n.matches("[0-9.]+")
                                        ? new GeneralName(GeneralName.iPAddress, n)
                                        : new GeneralName(GeneralName.dNSName, n));
                    }
                    b.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(san.toArray(GeneralName[]::new)));
                }
                return new Issued(sign(b, self.key()), pair.getPrivate());
            } catch (IOException
                    | GeneralSecurityException
                    | org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A new self-signed CA with this common name. */
    public static Ca newCa(String commonName) {
        try {
            KeyPair pair = keyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder b =
                    new JcaX509v3CertificateBuilder(
                            name,
                            BigInteger.valueOf(SERIALS.incrementAndGet()),
                            Date.from(now.minus(1, ChronoUnit.HOURS)),
                            Date.from(now.plus(2, ChronoUnit.DAYS)),
                            name,
                            pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Ca(new Issued(sign(b, pair.getPrivate()), pair.getPrivate()));
        } catch (IOException
                | GeneralSecurityException
                | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rfc4514(X509Certificate c) {
        return c.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        X509CertificateHolder holder =
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            // PKCS#8 for keys ("BEGIN PRIVATE KEY"), what Netty reads.
            p.writeObject(
                    o instanceof PrivateKey k
                            ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
                            : o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Path tmp =
                    Files.createTempFile(
                            file.toAbsolutePath().getParent(),
                            file.getFileName().toString(),
                            ".tmp");
            Files.writeString(tmp, text);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
