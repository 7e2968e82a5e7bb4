package dev.fedplane.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditLogTest {

    @Test
    void plainTextIsKeptAsItIs() {
        assertThat(AuditLog.clean("app/shop/web: scaled to 3", 1024))
                .isEqualTo("app/shop/web: scaled to 3");
    }

    @Test
    void controlCharactersAreWrittenAsEscapes() {
        assertThat(AuditLog.clean("a\u0000b\nc\td\u007f", 1024))
                .isEqualTo("a\\u0000b\\u000ac\\u0009d\\u007f");
    }

    @Test
    void longTextIsCutFirst() {
        assertThat(AuditLog.clean("x".repeat(2000), 1024)).hasSize(1024);
    }
}
