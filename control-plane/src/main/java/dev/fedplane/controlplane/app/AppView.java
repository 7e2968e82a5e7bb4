package dev.fedplane.controlplane.app;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/**
 * An app row joined with its {@code app_status} row (status and placement null before the first
 * placement).
 */
@Introspected
public record AppView(
        long id,
        String tenant,
        String name,
        long generation,
        String spec,
        long resourceVersion,
        long createdAt,
        long updatedAt,
        @Nullable String status,
        @Nullable String placement) {}
