package dev.fedplane.controlplane.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TokenRepository extends CrudRepository<TokenRow, String> {

    Optional<TokenRow> findBySecretHash(String secretHash);

    long countByKind(String kind);

    @Query(
            "SELECT * FROM tokens WHERE id > :after AND (:tenant = '' OR tenant = :tenant) "
                    + "AND (revoked = FALSE OR :includeRevoked = TRUE) ORDER BY id LIMIT :limit")
    List<TokenRow> page(String tenant, boolean includeRevoked, String after, int limit);

    @Query("UPDATE tokens SET revoked = TRUE WHERE id = :id")
    long revoke(String id);

    /** Counts one use of a bootstrap token if it has one left; 1 when it did. */
    @Query(
            "UPDATE tokens SET uses = uses + 1 WHERE id = :id AND uses < max_uses AND revoked = FALSE")
    long consumeUse(String id);

    @Query("UPDATE tokens SET secret_hash = :secretHash, revoked = FALSE WHERE id = :id")
    long resetSecret(String id, String secretHash);
}
