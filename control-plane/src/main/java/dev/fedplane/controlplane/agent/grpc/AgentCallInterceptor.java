package dev.fedplane.controlplane.agent.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * Puts the bearer secret of an {@code AgentService} call (a bootstrap token or a cluster
 * credential) into the gRPC context; the service decides what it is worth.
 */
@Singleton
public class AgentCallInterceptor implements ServerInterceptor {
    static final Context.Key<String> BEARER = Context.key("fedplane-agent-bearer");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String AGENT_SERVICE = "fedplane.v1.AgentService/";

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!call.getMethodDescriptor().getFullMethodName().startsWith(AGENT_SERVICE)) {
            return next.startCall(call, headers);
        }
        String value = headers.get(AUTHORIZATION);
        String bearer = "";
        if (value != null) {
            String v = value.strip();
            if (v.length() > 7 && v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                bearer = v.substring(7).strip();
            }
        }
        return Contexts.interceptCall(
                Context.current().withValue(BEARER, bearer), call, headers, next);
    }
}
