package dev.fedplane.controlplane.tls.grpc;

import dev.fedplane.controlplane.tls.ReloadingTls;
import dev.fedplane.controlplane.tls.TlsConfiguration;
import io.grpc.ServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts TLS on the gRPC listener when {@code fedplane.tls.cert-file} is set: the Netty server
 * builder micronaut-grpc makes gets the {@link ReloadingTls} context before the server is built.
 * Without it the listener stays plaintext (the local default, bound to loopback).
 */
@Singleton
public class GrpcServerTls implements BeanCreatedEventListener<ServerBuilder<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServerTls.class);

    private final TlsConfiguration config;
    private final ReloadingTls tls;

    public GrpcServerTls(TlsConfiguration config, ReloadingTls tls) {
        this.config = config;
        this.tls = tls;
    }

    @Override
    public ServerBuilder<?> onCreated(BeanCreatedEvent<ServerBuilder<?>> event) {
        ServerBuilder<?> builder = event.getBean();
        if (!config.enabled()) {
            LOG.info(
                    "gRPC listener is plaintext (set FEDPLANE_TLS_CERT_FILE and FEDPLANE_TLS_KEY_FILE for TLS)");
            return builder;
        }
        if (!(builder instanceof NettyServerBuilder netty)) {
            throw new ConfigurationException(
                    "TLS needs the Netty gRPC server, found " + builder.getClass().getName());
        }
        netty.sslContext(tls.serverContext());
        LOG.info(
                "gRPC listener uses TLS with {} (client certificates: {}; files checked every {})",
                config.certFile(),
                config.clientAuth().name().toLowerCase(java.util.Locale.ROOT),
                config.reloadInterval());
        return builder;
    }
}
