package dev.fedplane.controlplane.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.testing.TestPki;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class ReloadingTlsTest {

    @Test
    void aCertificateWithItsOwnKeyIsAccepted() {
        TestPki.Issued server = TestPki.newCa("test CA").server("localhost");
        assertThatCode(() -> ReloadingTls.requireMatching(server.key(), server.certificate()))
                .doesNotThrowAnyException();
    }

    @Test
    void aCertificateWithAnotherKeyIsRefused() {
        TestPki.Ca ca = TestPki.newCa("test CA");
        TestPki.Issued old = ca.server("localhost");
        TestPki.Issued renewed = ca.server("localhost");
        assertThatThrownBy(() -> ReloadingTls.requireMatching(old.key(), renewed.certificate()))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("does not belong to the certificate");
    }
}
