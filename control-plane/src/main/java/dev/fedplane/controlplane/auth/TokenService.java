package dev.fedplane.controlplane.auth;

import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.PageToken;
import dev.fedplane.controlplane.common.Violations;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates, lists, revokes and checks tokens. Platform-admins manage every token; tenant-admins
 * manage API tokens with a tenant role of their own tenant. Thread-safe.
 *
 * <p>API tokens that authenticated are kept for {@code fedplane.token-cache-ttl} (5 s; 0 turns the
 * cache off), at most {@value #MAX_CACHED} of them, keyed by the secret's hash, so a busy client
 * costs no store read per call. Expiry is still checked on every call. A revocation served by this
 * instance drops the token from the cache at once (and again after its commit); one served by
 * another instance of an HA deployment is honoured here within the TTL. Unknown, revoked and
 * bootstrap secrets are never cached.
 */
@Singleton
public class TokenService {
    static final Duration DEFAULT_BOOTSTRAP_TTL = Duration.ofHours(24);
    static final int MAX_DESCRIPTION = 512;
    static final int MAX_CACHED = 10_000;

    private final TokenRepository tokens;
    private final KnownTenants tenants;
    private final Clock clock;
    private final long cacheTtlMillis;
    private final ApplicationEventPublisher<Revoked> revocations;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public TokenService(
            TokenRepository tokens,
            KnownTenants tenants,
            Clock clock,
            @Value("${fedplane.token-cache-ttl:5s}") Duration cacheTtl,
            ApplicationEventPublisher<Revoked> revocations) {
        this.tokens = tokens;
        this.tenants = tenants;
        this.clock = clock;
        this.cacheTtlMillis = cacheTtl.toMillis();
        this.revocations = revocations;
    }

    /** A token that authenticated, as read at {@code readAt}. */
    private record Cached(Token token, long readAt) {}

    /** A token was revoked (delivered after the revoking transaction commits). */
    public record Revoked(String id) {}

    /**
     * What a caller asks for; {@code ttlSeconds} 0 is "never" for API tokens, 24 h for bootstrap
     * ones.
     */
    public record CreateRequest(
            Token.Kind kind,
            Role role,
            String tenant,
            String description,
            long ttlSeconds,
            int maxUses) {}

    public record Created(Token token, String secret) {}

    public record Page(List<Token> tokens, String nextPageToken) {}

    @Transactional
    public Created create(Principal caller, CreateRequest r) {
        Violations v = new Violations();
        if (r.kind() == null) {
            v.add("kind", "must be API or BOOTSTRAP");
        }
        v.requireNonNegative("ttl_seconds", r.ttlSeconds());
        v.requireNonNegative("max_uses", r.maxUses());
        if (r.description().length() > MAX_DESCRIPTION) {
            v.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (r.kind() == Token.Kind.API) {
            if (r.role() == null) {
                v.add("role", "must be PLATFORM_ADMIN, TENANT_ADMIN or TENANT_VIEWER");
            } else if (r.role().isTenantRole()) {
                v.requireDns1123Label("tenant", r.tenant());
            } else if (!r.tenant().isEmpty()) {
                v.add("tenant", "must be empty for the platform-admin role");
            }
            if (r.maxUses() != 0) {
                v.add("max_uses", "applies to bootstrap tokens only");
            }
        } else if (r.kind() == Token.Kind.BOOTSTRAP) {
            if (r.role() != null) {
                v.add("role", "must be empty for a bootstrap token");
            }
            if (!r.tenant().isEmpty()) {
                v.add("tenant", "must be empty for a bootstrap token");
            }
        }
        v.throwIfAny();

        if (r.kind() == Token.Kind.BOOTSTRAP || r.role() == Role.PLATFORM_ADMIN) {
            Access.requirePlatformAdmin(caller);
        } else {
            Access.requireWrite(caller, r.tenant());
            if (!caller.isPlatformAdmin() && caller.role() != Role.TENANT_ADMIN) {
                throw FedplaneException.permissionDenied("only admins create tokens");
            }
            if (!tenants.exists(r.tenant())) {
                throw FedplaneException.notFound("tenant", r.tenant() + " (tenant)");
            }
        }

        long now = clock.millis();
        long ttl = r.ttlSeconds();
        if (r.kind() == Token.Kind.BOOTSTRAP && ttl == 0) {
            ttl = DEFAULT_BOOTSTRAP_TTL.toSeconds();
        }
        long expiresAt = ttl == 0 ? 0 : now + Math.multiplyExact(ttl, 1000L);
        int maxUses = r.kind() == Token.Kind.BOOTSTRAP ? Math.max(1, r.maxUses()) : 0;
        String id = Secrets.newId(r.kind() == Token.Kind.BOOTSTRAP ? "boot-" : "tok-");
        String secret = Secrets.newSecret(id);
        Token t =
                new Token(
                        id,
                        r.kind(),
                        r.role(),
                        r.role() != null && r.role().isTenantRole() ? r.tenant() : null,
                        r.description(),
                        now,
                        expiresAt,
                        maxUses,
                        0,
                        false,
                        caller.tokenId());
        tokens.save(toRow(t, Secrets.hash(secret)));
        return new Created(t, secret);
    }

    @Transactional(readOnly = true)
    public Page list(
            Principal caller,
            String tenant,
            boolean includeRevoked,
            int pageSize,
            String pageToken) {
        int size = PageToken.pageSize(pageSize, "page_size");
        String after = PageToken.decode(pageToken, "page_token");
        String filter = tenant;
        if (!caller.isPlatformAdmin()) {
            if (caller.role() != Role.TENANT_ADMIN) {
                throw FedplaneException.permissionDenied(
                        "the tenant-viewer role may not list tokens");
            }
            if (!filter.isEmpty() && !filter.equals(caller.tenant())) {
                throw FedplaneException.permissionDenied(
                        "token " + caller.tokenId() + " may not read tenant " + filter);
            }
            filter = caller.tenant();
        }
        List<Token> rows =
                new ArrayList<>(
                        tokens.page(filter, includeRevoked, after, size + 1).stream()
                                .map(TokenService::toDomain)
                                .toList());
        String next = "";
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            next = PageToken.encode(rows.get(size - 1).id());
        }
        return new Page(rows, next);
    }

    @Transactional
    public Token revoke(Principal caller, String id) {
        if (id == null || id.isEmpty()) {
            throw FedplaneException.invalid("id", "is required");
        }
        TokenRow row =
                tokens.findById(id).orElseThrow(() -> FedplaneException.notFound("token", id));
        Token t = toDomain(row);
        if (!caller.isPlatformAdmin()) {
            if (t.tenant() == null
                    || caller.role() != Role.TENANT_ADMIN
                    || !t.tenant().equals(caller.tenant())) {
                throw FedplaneException.permissionDenied(
                        "token " + caller.tokenId() + " may not revoke token " + id);
            }
        }
        tokens.revoke(id);
        forget(id);
        revocations.publishEvent(new Revoked(id));
        return new Token(
                t.id(),
                t.kind(),
                t.role(),
                t.tenant(),
                t.description(),
                t.createdAt(),
                t.expiresAt(),
                t.maxUses(),
                t.uses(),
                true,
                t.createdBy());
    }

    /**
     * The caller behind an API bearer secret; UNAUTHENTICATED when unknown, revoked, expired or not
     * an API token. Reads the store unless the token authenticated within the cache's TTL (see the
     * class).
     */
    public Principal authenticate(String secret) {
        String hash = Secrets.hash(secret);
        long now = clock.millis();
        Cached hit = cache.get(hash);
        Token t;
        if (hit != null && now - hit.readAt() < cacheTtlMillis && now >= hit.readAt()) {
            t = hit.token();
        } else {
            Optional<TokenRow> row = tokens.findBySecretHash(hash);
            if (row.isEmpty()) {
                cache.remove(hash);
                throw FedplaneException.unauthenticated("unknown bearer token");
            }
            t = toDomain(row.get());
            if (t.revoked() || t.kind() != Token.Kind.API || cacheTtlMillis <= 0) {
                cache.remove(hash);
            } else {
                remember(hash, new Cached(t, now));
            }
        }
        if (t.revoked()) {
            throw FedplaneException.unauthenticated("token " + t.id() + " is revoked");
        }
        if (t.expiredAt(now)) {
            throw FedplaneException.unauthenticated("token " + t.id() + " has expired");
        }
        if (t.kind() != Token.Kind.API) {
            throw FedplaneException.unauthenticated(
                    "token " + t.id() + " is a bootstrap token; it only registers clusters");
        }
        return new Principal(t.id(), t.role(), t.tenant());
    }

    private void remember(String hash, Cached c) {
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(e -> c.readAt() - e.readAt() >= cacheTtlMillis);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(hash, c);
    }

    /** Drops token {@code id} from the cache. */
    void forget(String id) {
        cache.values().removeIf(e -> e.token().id().equals(id));
    }

    /** After a revocation committed: a call that read the token meanwhile may have cached it. */
    @TransactionalEventListener
    public void onRevoked(Revoked r) {
        forget(r.id());
    }

    /**
     * Spends one use of a bootstrap token for a cluster registration; UNAUTHENTICATED when the
     * secret is unknown, not a bootstrap token, revoked, expired or used up. Joins the caller's
     * transaction, so a registration that fails later gives the use back.
     */
    @Transactional
    public Token spendBootstrapToken(String secret) {
        TokenRow row =
                tokens.findBySecretHash(Secrets.hash(secret))
                        .orElseThrow(
                                () ->
                                        FedplaneException.unauthenticated(
                                                "unknown bootstrap token or cluster credential"));
        Token t = toDomain(row);
        if (t.kind() != Token.Kind.BOOTSTRAP) {
            throw FedplaneException.unauthenticated(
                    "token " + t.id() + " is an API token; registration takes a bootstrap token");
        }
        if (t.revoked()) {
            throw FedplaneException.unauthenticated("bootstrap token " + t.id() + " is revoked");
        }
        if (t.expiredAt(clock.millis())) {
            throw FedplaneException.unauthenticated("bootstrap token " + t.id() + " has expired");
        }
        if (tokens.consumeUse(t.id()) != 1) {
            throw FedplaneException.unauthenticated(
                    "bootstrap token " + t.id() + " is used up (" + t.maxUses() + " use(s))");
        }
        return t;
    }

    /**
     * Makes sure an operator-given platform-admin secret works: creates its token, or resets it
     * when the operator changed the secret. Used at start-up.
     */
    @Transactional
    public void ensureAdminSecret(String id, String secret) {
        String hash = Secrets.hash(secret);
        Optional<TokenRow> existing = tokens.findById(id);
        if (existing.isEmpty()) {
            tokens.save(
                    toRow(
                            new Token(
                                    id,
                                    Token.Kind.API,
                                    Role.PLATFORM_ADMIN,
                                    null,
                                    "platform-admin token from FEDPLANE_ADMIN_TOKEN",
                                    clock.millis(),
                                    0,
                                    0,
                                    0,
                                    false,
                                    "system"),
                            hash));
        } else if (!existing.get().secretHash().equals(hash) || existing.get().revoked()) {
            tokens.resetSecret(id, hash);
            forget(id);
            revocations.publishEvent(new Revoked(id));
        }
    }

    /**
     * Creates the first platform-admin token when the store has no API token and hands it to {@code
     * keep} before the transaction commits, so a token is only stored once its secret is kept
     * somewhere.
     */
    @Transactional
    public Optional<Created> createFirstAdminToken(java.util.function.Consumer<Created> keep) {
        if (tokens.countByKind(Token.Kind.API.name()) > 0) {
            return Optional
                    .empty(); // bootstrap tokens (e.g. the demo's) do not count: they cannot call
            // the API
        }
        Created created =
                create(
                        Principal.SYSTEM,
                        new CreateRequest(
                                Token.Kind.API,
                                Role.PLATFORM_ADMIN,
                                "",
                                "first platform-admin token, created on first start",
                                0,
                                0));
        keep.accept(created);
        return Optional.of(created);
    }

    static TokenRow toRow(Token t, String hash) {
        return new TokenRow(
                t.id(),
                hash,
                t.kind().name(),
                t.role() == null ? null : t.role().name(),
                t.tenant(),
                t.description(),
                t.createdAt(),
                t.expiresAt(),
                t.maxUses(),
                t.uses(),
                t.revoked(),
                t.createdBy());
    }

    static Token toDomain(TokenRow r) {
        return new Token(
                r.id(),
                Token.Kind.valueOf(r.kind()),
                r.role() == null ? null : Role.valueOf(r.role()),
                r.tenant(),
                r.description(),
                r.createdAt(),
                r.expiresAt(),
                r.maxUses(),
                r.uses(),
                r.revoked(),
                r.createdBy());
    }
}
