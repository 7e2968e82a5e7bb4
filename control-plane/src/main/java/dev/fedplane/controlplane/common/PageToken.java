package dev.fedplane.controlplane.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset paging: a token is the last key of the previous page, base64url-encoded with a
 * prefix, so a page never skips or repeats rows inserted between calls.
 */
public final class PageToken {
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    private static final String PREFIX = "fp1:";

    private PageToken() {}

    /** The page size to use; INVALID_ARGUMENT for a negative or too large one. */
    public static int pageSize(int requested, String field) {
        if (requested < 0) {
            throw FedplaneException.invalid(field, "must not be negative, got " + requested);
        }
        if (requested > MAX_PAGE_SIZE) {
            throw FedplaneException.invalid(
                    field, "must be at most " + MAX_PAGE_SIZE + ", got " + requested);
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
    }

    public static String encode(String lastKey) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The key after which the page starts; "" for the first page. */
    public static String decode(String token, String field) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(PREFIX)) {
                return s.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw FedplaneException.invalid(field, "is not a page token this server issued");
    }
}
