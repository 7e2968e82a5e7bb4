package dev.fedplane.controlplane.grpc;

import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Ecosystem services beside the platform API: server reflection, so any gRPC tool can browse and
 * call the API. (The standard {@code grpc.health.v1.Health} service comes from micronaut-grpc.)
 */
@Factory
public class GrpcServerExtras {
    @Singleton
    @Named("grpc-reflection-v1")
    BindableService reflection() {
        return ProtoReflectionServiceV1.newInstance();
    }

    /** The older v1alpha protocol, still the one many tools ask first. */
    @Singleton
    @Named("grpc-reflection-v1alpha")
    @SuppressWarnings("deprecation")
    BindableService reflectionV1Alpha() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }
}
