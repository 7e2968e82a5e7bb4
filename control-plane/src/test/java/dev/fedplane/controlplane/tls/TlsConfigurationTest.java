package dev.fedplane.controlplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TlsConfigurationTest {
    @TempDir static Path dir;

    record Case(
            String name,
            String cert,
            String key,
            String ca,
            String clientAuth,
            String reload,
            String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> refused() {
        return Stream.of(
                new Case(
                        "a key without a certificate",
                        "",
                        "server.key",
                        "",
                        "none",
                        "30s",
                        "cert-file is missing"),
                new Case(
                        "a certificate without a key",
                        "server.crt",
                        "",
                        "",
                        "none",
                        "30s",
                        "key-file is missing"),
                new Case("client-auth without TLS", "", "", "ca.crt", "agents", "30s", "need TLS"),
                new Case(
                        "client-auth agents without a client CA",
                        "server.crt",
                        "server.key",
                        "",
                        "agents",
                        "30s",
                        "fedplane.tls.client-auth agents needs fedplane.tls.client-ca-file"),
                new Case(
                        "a client CA with client-auth none",
                        "server.crt",
                        "server.key",
                        "ca.crt",
                        "none",
                        "30s",
                        "client-auth is none"),
                new Case(
                        "an unknown client-auth",
                        "server.crt",
                        "server.key",
                        "ca.crt",
                        "some",
                        "30s",
                        "must be none, agents or all"),
                new Case(
                        "a certificate file that does not exist",
                        "missing.crt",
                        "server.key",
                        "",
                        "none",
                        "30s",
                        "fedplane.tls.cert-file: cannot read"),
                new Case(
                        "a zero reload interval",
                        "server.crt",
                        "server.key",
                        "",
                        "none",
                        "0s",
                        "reload-interval must be positive"));
    }

    private static String file(String name) throws IOException {
        if (name.isEmpty()) {
            return "";
        }
        Path p = dir.resolve(name);
        if (!name.startsWith("missing") && !Files.exists(p)) {
            Files.writeString(p, "x");
        }
        return p.toString();
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("refused")
    void halfGivenSettingsAreRefused(Case c) throws IOException {
        String cert = file(c.cert());
        String key = file(c.key());
        String ca = file(c.ca());
        assertThatThrownBy(
                        () ->
                                new TlsConfiguration(
                                        cert,
                                        key,
                                        ca,
                                        c.clientAuth(),
                                        Duration.parse("PT" + c.reload().toUpperCase())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(c.error());
    }

    @Test
    @DisplayName("without files the listener is plaintext")
    void plaintextByDefault() {
        TlsConfiguration c = new TlsConfiguration("", "", "", "none", Duration.ofSeconds(30));
        assertThat(c.enabled()).isFalse();
        assertThat(c.clientAuth()).isEqualTo(TlsConfiguration.ClientAuth.NONE);
    }

    @Test
    @DisplayName("client-auth is read without regard to case and keeps its CA")
    void clientAuthParsed() throws IOException {
        TlsConfiguration c =
                new TlsConfiguration(
                        file("server.crt"),
                        file("server.key"),
                        file("ca.crt"),
                        "Agents",
                        Duration.ofSeconds(1));
        assertThat(c.enabled()).isTrue();
        assertThat(c.clientAuth()).isEqualTo(TlsConfiguration.ClientAuth.AGENTS);
        assertThat(c.clientCaFile()).contains(dir.resolve("ca.crt"));
    }
}
