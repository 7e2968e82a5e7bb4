package dev.fedplane.controlplane.grpc;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.common.FedplaneException;
import io.grpc.Context;

/** The caller of the current gRPC call, as {@link PlatformCallInterceptor} authenticated it. */
public final class Callers {
    static final Context.Key<Principal> PRINCIPAL = Context.key("fedplane-principal");

    private Callers() {}

    public static Principal current() {
        Principal p = PRINCIPAL.get();
        if (p == null) {
            throw FedplaneException.unauthenticated("missing bearer token");
        }
        return p;
    }
}
