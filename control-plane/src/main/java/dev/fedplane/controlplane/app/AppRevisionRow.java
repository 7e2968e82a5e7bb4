package dev.fedplane.controlplane.app;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A row of {@code app_revisions}; its key is ({@code app_id}, {@code revision}), and every access
 * goes through the queries of {@link AppRevisionRepository}.
 */
@MappedEntity("app_revisions")
public record AppRevisionRow(
        @Id long appId,
        long revision,
        long generation,
        String spec,
        long createdAt,
        String createdBy) {}
