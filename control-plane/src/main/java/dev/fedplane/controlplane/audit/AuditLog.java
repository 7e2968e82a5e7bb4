package dev.fedplane.controlplane.audit;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.auth.Role;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.PageToken;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: a table row and a log line per write, recorded after the write settled, in a
 * transaction of its own (a failed write leaves its audit row but nothing else). Thread-safe.
 */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger("fedplane.audit");
    private static final int MAX_MESSAGE = 1024;

    private final AuditRepository repository;
    private final Clock clock;

    public AuditLog(AuditRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public record Page(List<AuditEvent> events, String nextPageToken) {}

    @Transactional
    public void record(
            String actor,
            String actorRole,
            String method,
            String tenant,
            String target,
            String result,
            String message) {
        String msg = clean(message == null ? "" : message, MAX_MESSAGE);
        target = target == null ? null : clean(target, MAX_MESSAGE);
        tenant = tenant == null ? null : clean(tenant, MAX_MESSAGE);
        long at = clock.millis();
        repository.save(
                new AuditRow(null, at, actor, actorRole, method, tenant, target, result, msg));
        LOG.info(
                "audit actor={} role={} method={} target={} result={}{}",
                actor,
                actorRole,
                method,
                target,
                result,
                msg.isEmpty() ? "" : " message=\"" + msg + "\"");
    }

    /**
     * {@code s} cut to {@code max} characters, with control characters (NUL, which PostgreSQL text
     * refuses, and line breaks, which would forge log lines) written as {@code \\uXXXX}: request
     * text is the caller's and may hold anything.
     */
    static String clean(String s, int max) {
        String cut = s.length() > max ? s.substring(0, max) : s;
        StringBuilder b = null;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b == null) {
                    b = new StringBuilder(cut.length() + 8).append(cut, 0, i);
                }
                b.append(String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? cut : b.toString();
    }

    @Transactional(readOnly = true)
    public Page list(Principal caller, String tenant, int pageSize, String pageToken) {
        int size = PageToken.pageSize(pageSize, "page_size");
        String after = PageToken.decode(pageToken, "page_token");
        long before;
        try {
            before = after.isEmpty() ? Long.MAX_VALUE : Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw FedplaneException.invalid("page_token", "is not a page token this server issued");
        }
        String filter = tenant;
        if (!caller.isPlatformAdmin()) {
            if (caller.role() != Role.TENANT_ADMIN) {
                throw FedplaneException.permissionDenied(
                        "the tenant-viewer role may not read the audit log");
            }
            if (!filter.isEmpty() && !filter.equals(caller.tenant())) {
                throw FedplaneException.permissionDenied(
                        "token " + caller.tokenId() + " may not read tenant " + filter);
            }
            filter = caller.tenant();
        }
        List<AuditEvent> events =
                new ArrayList<>(
                        repository.page(filter, before, size + 1).stream()
                                .map(
                                        r ->
                                                new AuditEvent(
                                                        r.id(),
                                                        r.at(),
                                                        r.actor(),
                                                        r.actorRole(),
                                                        r.method(),
                                                        r.tenant(),
                                                        r.target(),
                                                        r.result(),
                                                        r.message()))
                                .toList());
        String next = "";
        if (events.size() > size) {
            events = events.subList(0, size);
            next = PageToken.encode(Long.toString(events.get(size - 1).id()));
        }
        return new Page(events, next);
    }
}
