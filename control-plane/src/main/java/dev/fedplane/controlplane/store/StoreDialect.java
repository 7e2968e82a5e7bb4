package dev.fedplane.controlplane.store;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Which SQL store this instance runs on, for the few statements whose form differs: PostgreSQL (the
 * URL {@code datasources.default.url} is a {@code jdbc:postgresql:} one) or H2 (anything else, the
 * default file store included).
 */
@Singleton
public class StoreDialect {
    private final boolean postgres;

    public StoreDialect(@Value("${datasources.default.url:}") String url) {
        this.postgres = isPostgres(url);
    }

    public boolean postgres() {
        return postgres;
    }

    static boolean isPostgres(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }
}
