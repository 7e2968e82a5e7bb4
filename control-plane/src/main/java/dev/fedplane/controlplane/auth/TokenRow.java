package dev.fedplane.controlplane.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** The {@code tokens} table: the SHA-256 of the secret, never the secret. */
@MappedEntity("tokens")
public record TokenRow(
        @Id String id,
        String secretHash,
        String kind,
        @Nullable String role,
        @Nullable String tenant,
        String description,
        long createdAt,
        long expiresAt,
        int maxUses,
        int uses,
        boolean revoked,
        String createdBy) {}
