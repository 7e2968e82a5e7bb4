package dev.fedplane.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PageTokenTest {
    @Test
    @DisplayName("a token decodes to the key it was made from")
    void roundTrip() {
        assertThat(PageToken.decode(PageToken.encode("tenant-a/web"), "page_token"))
                .isEqualTo("tenant-a/web");
    }

    @Test
    @DisplayName("an empty token is the first page")
    void emptyIsFirstPage() {
        assertThat(PageToken.decode("", "page_token")).isEmpty();
    }

    @Test
    @DisplayName("a token not made by the server is INVALID_ARGUMENT on the field")
    void foreignTokenRefused() {
        String foreign = java.util.Base64.getUrlEncoder().encodeToString("other:x".getBytes());
        assertThatThrownBy(() -> PageToken.decode(foreign, "page_token"))
                .isInstanceOfSatisfying(
                        FedplaneException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                            assertThat(e.violations())
                                    .extracting(FedplaneException.FieldViolation::field)
                                    .containsExactly("page_token");
                        });
    }

    @Test
    @DisplayName("page size 0 is the default and above the maximum is refused")
    void pageSizes() {
        assertThat(PageToken.pageSize(0, "page_size")).isEqualTo(PageToken.DEFAULT_PAGE_SIZE);
        assertThat(PageToken.pageSize(PageToken.MAX_PAGE_SIZE, "page_size"))
                .isEqualTo(PageToken.MAX_PAGE_SIZE);
        assertThatThrownBy(() -> PageToken.pageSize(PageToken.MAX_PAGE_SIZE + 1, "page_size"))
                .isInstanceOf(FedplaneException.class)
                .hasMessageContaining("page_size");
    }
}
