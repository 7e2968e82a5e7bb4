package dev.fedplane.controlplane.audit;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.auth.Role;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.PageToken;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: a table row and a log line per write. A write called through the API (the
 * interceptor runs it {@link #during} an {@link InFlight}) that calls {@link #recordWithWrite} in
 * its transaction gets its row in that transaction: it commits with the write or not at all, and
 * costs no commit of its own. Every other outcome (a refusal, a failure, a write that does not call
 * it) is recorded after the call settled, in a transaction of its own: a failed write leaves its
 * audit row and nothing else. Thread-safe.
 */
@Singleton
@dev.fedplane.controlplane.store.StoreTimed
public class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger("fedplane.audit");
    private static final int MAX_MESSAGE = 1024;
    private static final ThreadLocal<InFlight> IN_FLIGHT = new ThreadLocal<>();

    private final AuditRepository repository;
    private final Clock clock;

    public AuditLog(AuditRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public record Page(List<AuditEvent> events, String nextPageToken) {}

    /** What the audit row of an API write in progress says: who, which method, which target. */
    public interface Subject {
        String actor();

        String actorRole();

        String method();

        /** The target's tenant (null for none). */
        String tenant();

        String target();
    }

    /**
     * One API write in progress; {@link #recordedWithWrite} turns true when its service wrote the
     * row (result OK) inside its transaction. A write that answers OK committed that transaction,
     * so its row is in; any other answer is recorded apart (a rolled-back transaction took its row
     * with it).
     */
    public static final class InFlight {
        private final Subject subject;
        private volatile boolean recordedWithWrite;

        public InFlight(Subject subject) {
            this.subject = subject;
        }

        public boolean recordedWithWrite() {
            return recordedWithWrite;
        }
    }

    /** Runs {@code call} (the service part of an API write) with {@code write} in progress. */
    public static void during(InFlight write, Runnable call) {
        InFlight outer = IN_FLIGHT.get();
        IN_FLIGHT.set(write);
        try {
            call.run();
        } finally {
            if (outer == null) {
                IN_FLIGHT.remove();
            } else {
                IN_FLIGHT.set(outer);
            }
        }
    }

    /**
     * Writes the audit row (result OK) of the API write in progress on this thread in the caller's
     * transaction; nothing when the caller was not reached through the API. A write method calls it
     * last, on every path that commits.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void recordWithWrite() {
        InFlight write = IN_FLIGHT.get();
        if (write == null) {
            return;
        }
        Subject s = write.subject;
        save(s.actor(), s.actorRole(), s.method(), s.tenant(), s.target(), "OK", "");
        write.recordedWithWrite = true;
    }

    /** The audit record of a settled call, its row in a transaction of its own. */
    @Transactional
    public void record(
            String actor,
            String actorRole,
            String method,
            String tenant,
            String target,
            String result,
            String message) {
        save(actor, actorRole, method, tenant, target, result, message);
        log(actor, actorRole, method, target, result, message);
    }

    /** The audit log line of a settled call (whose row is already written). */
    public void log(
            String actor,
            String actorRole,
            String method,
            String target,
            String result,
            String message) {
        String msg = clean(message == null ? "" : message, MAX_MESSAGE);
        target = target == null ? null : clean(target, MAX_MESSAGE);
        LOG.info(
                "audit actor={} role={} method={} target={} result={}{}",
                actor,
                actorRole,
                method,
                target,
                result,
                msg.isEmpty() ? "" : " message=\"" + msg + "\"");
    }

    private void save(
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
        repository.save(
                new AuditRow(
                        null,
                        clock.millis(),
                        actor,
                        actorRole,
                        method,
                        tenant,
                        target,
                        result,
                        msg));
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
