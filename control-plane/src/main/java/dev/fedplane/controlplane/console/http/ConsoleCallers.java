package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.audit.AuditLog;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.auth.TokenService;
import dev.fedplane.controlplane.common.FedplaneException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and audit of {@code /api/v1}, as the gRPC platform API does them: the caller is
 * the API token in {@code Authorization: Bearer <token>} (no cookie, no query parameter, so no
 * cross-site request carries credentials), and every write leaves an audit record under the
 * equivalent gRPC method's name with its final code, also when refused before reaching the service.
 * The token is never logged. Thread-safe.
 */
@Singleton
public class ConsoleCallers {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCallers.class);

    private final TokenService tokens;
    private final AuditLog audit;

    public ConsoleCallers(TokenService tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /** The authenticated caller; UNAUTHENTICATED naming what is wrong with the header. */
    public Principal caller(HttpRequest<?> request) {
        String value = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (value == null || value.isBlank()) {
            throw FedplaneException.unauthenticated(
                    "missing bearer token: send the header 'Authorization: Bearer <token>'");
        }
        String v = value.strip();
        if (v.length() < 8 || !v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw FedplaneException.unauthenticated(
                    "the Authorization header must be 'Bearer <token>'");
        }
        return tokens.authenticate(v.substring(7).strip());
    }

    /**
     * Runs a write as the request's caller and records it in the audit log: {@code method} is the
     * gRPC full method name of the same write (e.g. {@code fedplane.v1.AppService/ScaleApp}),
     * {@code target} what it is about ({@code app/shop/web}). Rethrows what the write threw.
     */
    public <T> T write(
            HttpRequest<?> request,
            String method,
            String tenant,
            String target,
            Function<Principal, T> action) {
        Principal p = null;
        try {
            p = caller(request);
            T result = action.apply(p);
            record(p, method, tenant, target, "OK", "");
            return result;
        } catch (FedplaneException e) {
            record(p, method, tenant, target, e.code().name(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            record(p, method, tenant, target, "INTERNAL", "internal error");
            throw e;
        }
    }

    private void record(
            Principal p,
            String method,
            String tenant,
            String target,
            String result,
            String message) {
        try {
            audit.record(
                    p == null ? "anonymous" : p.tokenId(),
                    p == null ? "" : p.role().wireName(),
                    method,
                    tenant,
                    target,
                    result,
                    message);
        } catch (RuntimeException e) {
            // The write already settled; an audit failure must not change its answer, but is loud.
            LOG.error("could not record the audit event of {} ({})", method, result, e);
        }
    }
}
