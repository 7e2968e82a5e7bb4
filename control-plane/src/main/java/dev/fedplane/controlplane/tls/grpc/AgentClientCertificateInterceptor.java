package dev.fedplane.controlplane.tls.grpc;

import dev.fedplane.controlplane.tls.TlsConfiguration;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.inject.Singleton;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Mutual TLS for agents ({@code fedplane.tls.client-auth = agents}): a call to {@code
 * fedplane.v1.AgentService} on a connection whose client presented no certificate signed by {@code
 * fedplane.tls.client-ca-file} is closed with {@code UNAUTHENTICATED} before any service code runs.
 * (An untrusted certificate never gets this far: the handshake refuses it.) With {@code none} or
 * {@code all} it lets every call through; {@code all} is enforced by the handshake.
 */
@Singleton
public class AgentClientCertificateInterceptor implements ServerInterceptor {
    private static final String AGENT_SERVICE = "fedplane.v1.AgentService/";

    private final boolean enforce;

    public AgentClientCertificateInterceptor(TlsConfiguration config) {
        this.enforce =
                config.enabled() && config.clientAuth() == TlsConfiguration.ClientAuth.AGENTS;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!enforce
                || !call.getMethodDescriptor().getFullMethodName().startsWith(AGENT_SERVICE)
                || hasVerifiedClientCertificate(
                        call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))) {
            return next.startCall(call, headers);
        }
        call.close(
                Status.UNAUTHENTICATED.withDescription(
                        "AgentService needs a client certificate signed by the control plane's client CA (mutual TLS)"),
                new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private static boolean hasVerifiedClientCertificate(SSLSession session) {
        if (session == null) {
            return false;
        }
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
