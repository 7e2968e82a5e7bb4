package dev.fedplane.controlplane.grpc;

import com.google.protobuf.Message;
import dev.fedplane.controlplane.audit.AuditLog;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.auth.TokenService;
import dev.fedplane.controlplane.common.FedplaneException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one interceptor of the platform API ({@code fedplane.v1.*} except the agent service, which
 * authenticates clusters itself). In order, outermost first:
 *
 * <ol>
 *   <li>audit: every write (anything but Get/List/Explain) leaves an audit record with its final
 *       status, also when it was refused before reaching the service; a write whose service writes
 *       the row in its own transaction ({@link AuditLog#recordWithWrite}, while the call is {@link
 *       AuditLog#during served}) and answers OK is only logged here;
 *   <li>authentication: {@code authorization: Bearer <secret>} becomes a {@link Principal} in the
 *       gRPC {@link Context} ({@link Callers#current()}), or the call ends UNAUTHENTICATED;
 *   <li>error mapping: whatever the service throws becomes a gRPC status via {@link StatusMapping}.
 * </ol>
 *
 * Health and reflection pass untouched. Thread-safe; per-call state lives in the call wrappers.
 */
@Singleton
public class PlatformCallInterceptor implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformCallInterceptor.class);
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "fedplane.v1.";
    private static final String AGENT_SERVICE = "fedplane.v1.AgentService/";

    private final TokenService tokens;
    private final AuditLog audit;

    public PlatformCallInterceptor(TokenService tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!method.startsWith(PREFIX) || method.startsWith(AGENT_SERVICE)) {
            return next.startCall(call, headers);
        }
        GuardedCall<Q, R> guarded =
                isWrite(method) ? new AuditedCall<>(call, method) : new GuardedCall<>(call);
        Principal principal;
        try {
            principal = authenticate(headers);
        } catch (RuntimeException e) {
            guarded.fail(e, method);
            return new ServerCall.Listener<>() {};
        }
        guarded.principal = principal;
        Context context = Context.current().withValue(Callers.PRINCIPAL, principal);
        ServerCall.Listener<Q> listener;
        try {
            listener = Contexts.interceptCall(context, guarded, headers, next);
        } catch (RuntimeException e) {
            guarded.fail(e, method);
            return new ServerCall.Listener<>() {};
        }
        return new MappingListener<>(listener, guarded, method);
    }

    private Principal authenticate(Metadata headers) {
        String value = headers.get(AUTHORIZATION);
        if (value == null || value.isBlank()) {
            throw FedplaneException.unauthenticated(
                    "missing bearer token: send metadata 'authorization: Bearer <token>'");
        }
        String v = value.strip();
        if (v.length() < 8 || !v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw FedplaneException.unauthenticated(
                    "the authorization metadata must be 'Bearer <token>'");
        }
        return tokens.authenticate(v.substring(7).strip());
    }

    /**
     * Whether a call may change something (and so is audited): every method but the reads ({@code
     * Get*}, {@code List*}, {@code Explain*}) and the simulations that change nothing ({@code
     * WhatIf*}, {@code DryRun*}).
     */
    static boolean isWrite(String method) {
        String rpc = method.substring(method.indexOf('/') + 1);
        for (String read : READ_PREFIXES) {
            if (rpc.startsWith(read)) {
                return false;
            }
        }
        return true;
    }

    private static final List<String> READ_PREFIXES =
            List.of("Get", "List", "Explain", "WhatIf", "DryRun");

    /** Closes at most once; remembers the caller. */
    private static class GuardedCall<Q, R>
            extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        volatile Principal principal;
        private boolean closed;

        GuardedCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        void onRequest(Q message) {}

        /** Runs the service's part of the call (where a unary call's service method runs). */
        void serve(Runnable service) {
            service.run();
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (closed) {
                return;
            }
            closed = true;
            super.close(status, trailers);
        }

        void fail(Throwable t, String method) {
            StatusRuntimeException sre = StatusMapping.toStatus(t, method);
            Metadata trailers = sre.getTrailers() == null ? new Metadata() : sre.getTrailers();
            close(sre.getStatus(), trailers);
        }
    }

    private final class AuditedCall<Q, R> extends GuardedCall<Q, R> implements AuditLog.Subject {
        private final String method;
        private final AuditLog.InFlight inFlight = new AuditLog.InFlight(this);
        private volatile Message request;

        AuditedCall(ServerCall<Q, R> delegate, String method) {
            super(delegate);
            this.method = method;
        }

        @Override
        void onRequest(Q message) {
            if (message instanceof Message m) {
                request = m;
            }
        }

        @Override
        void serve(Runnable service) {
            AuditLog.during(inFlight, service);
        }

        @Override
        public String actor() {
            Principal p = principal;
            return p == null ? "anonymous" : p.tokenId();
        }

        @Override
        public String actorRole() {
            Principal p = principal;
            return p == null ? "" : p.role().wireName();
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String tenant() {
            return AuditTargets.of(method, request).tenant();
        }

        @Override
        public String target() {
            return AuditTargets.of(method, request).description();
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            try {
                AuditTargets.Target target = AuditTargets.of(method, request);
                String message = status.isOk() ? "" : status.getDescription();
                if (status.isOk() && inFlight.recordedWithWrite()) {
                    // The row was written, and committed, in the write's own transaction.
                    audit.log(
                            actor(),
                            actorRole(),
                            method,
                            target.description(),
                            status.getCode().name(),
                            message);
                } else {
                    audit.record(
                            actor(),
                            actorRole(),
                            method,
                            target.tenant(),
                            target.description(),
                            status.getCode().name(),
                            message);
                }
            } catch (RuntimeException e) {
                // The write already settled; an audit failure must not change its answer, but is
                // loud.
                LOG.error(
                        "could not record the audit event of {} ({})", method, status.getCode(), e);
            }
            super.close(status, trailers);
        }
    }

    private static final class MappingListener<Q, R>
            extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final GuardedCall<Q, R> call;
        private final String method;

        MappingListener(ServerCall.Listener<Q> delegate, GuardedCall<Q, R> call, String method) {
            super(delegate);
            this.call = call;
            this.method = method;
        }

        @Override
        public void onMessage(Q message) {
            call.onRequest(message);
            try {
                super.onMessage(message);
            } catch (RuntimeException e) {
                call.fail(e, method);
            }
        }

        @Override
        public void onHalfClose() {
            try {
                call.serve(super::onHalfClose);
            } catch (RuntimeException e) {
                call.fail(e, method);
            }
        }

        @Override
        public void onReady() {
            try {
                super.onReady();
            } catch (RuntimeException e) {
                call.fail(e, method);
            }
        }
    }
}
