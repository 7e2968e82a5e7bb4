package dev.fedplane.loadtest;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The options every load command shares: where the control plane is and the platform-admin token.
 */
final class ControlPlaneOptions {
    @CommandLine.Option(
            names = "--target",
            defaultValue = "127.0.0.1:9090",
            description = "host:port of the gRPC API")
    String target;

    @CommandLine.Option(
            names = "--token",
            description = "platform-admin bearer token (or --token-file)")
    String token;

    @CommandLine.Option(
            names = "--token-file",
            description = "file holding the platform-admin token")
    Path tokenFile;

    String secret() throws IOException {
        return token != null ? token : Files.readString(tokenFile).strip();
    }

    ManagedChannel channel() {
        int colon = target.lastIndexOf(':');
        return NettyChannelBuilder.forAddress(
                        target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))
                .usePlaintext()
                .build();
    }

    /** {@code stub} sending {@code authorization: Bearer <secret>}. */
    static <S extends AbstractStub<S>> S withBearer(S stub, String secret) {
        Metadata md = new Metadata();
        md.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + secret);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
}
