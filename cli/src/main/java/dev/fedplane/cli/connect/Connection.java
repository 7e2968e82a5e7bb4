package dev.fedplane.cli.connect;

import dev.fedplane.cli.FedctlEnvironment;
import dev.fedplane.cli.UsageException;
import dev.fedplane.proto.v1.AppRevisionServiceGrpc;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AuditServiceGrpc;
import dev.fedplane.proto.v1.CapacityServiceGrpc;
import dev.fedplane.proto.v1.ClusterServiceGrpc;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The resolved connection settings (flags, then environment, then the config file's context, then
 * defaults) and, once asked for, one channel to the control plane. Not thread-safe; one per fedctl
 * run, closed at its end.
 */
public final class Connection implements AutoCloseable {
    public static final String DEFAULT_SERVER = "127.0.0.1:9090";

    private final String server;
    private final String token;
    private final String tenant;
    private final boolean plaintext;
    private final Path tlsCaFile;
    private final long timeoutSeconds;
    private ManagedChannel channel;

    private Connection(
            String server,
            String token,
            String tenant,
            boolean plaintext,
            Path tlsCaFile,
            long timeoutSeconds) {
        this.server = server;
        this.token = token;
        this.tenant = tenant;
        this.plaintext = plaintext;
        this.tlsCaFile = tlsCaFile;
        this.timeoutSeconds = timeoutSeconds;
    }

    public static Path configFile(ConnectionOptions o, FedctlEnvironment env) {
        if (o.config != null) {
            return env.workingDir().resolve(o.config);
        }
        String fromEnv = env.env("FEDCTL_CONFIG");
        return fromEnv != null
                ? env.workingDir().resolve(fromEnv)
                : env.home().resolve(".fedplane").resolve("config");
    }

    /** Reads the config file (when it exists) and layers flags and environment over its context. */
    public static Connection resolve(ConnectionOptions o, FedctlEnvironment env) {
        FedctlConfig config = FedctlConfig.load(configFile(o, env));
        String contextName = o.context != null ? o.context : env.env("FEDCTL_CONTEXT");
        ContextEntry ctx;
        if (contextName != null) {
            ctx = config.contexts().get(contextName);
            if (ctx == null) {
                throw new UsageException(
                        "no context \""
                                + contextName
                                + "\" in "
                                + configFile(o, env)
                                + " (fedctl config set-context "
                                + contextName
                                + " --server HOST:PORT)");
            }
        } else {
            ctx =
                    config.currentContext() == null
                            ? ContextEntry.EMPTY
                            : config.contexts()
                                    .getOrDefault(config.currentContext(), ContextEntry.EMPTY);
        }
        String server = first(o.server, env.env("FEDCTL_SERVER"), ctx.server(), DEFAULT_SERVER);
        String token;
        if (o.token != null) {
            token = o.token;
        } else if (o.tokenFile != null) {
            token = readToken(env.workingDir().resolve(o.tokenFile));
        } else if (env.env("FEDCTL_TOKEN") != null) {
            token = env.env("FEDCTL_TOKEN");
        } else if (ctx.token() != null) {
            token = ctx.token();
        } else if (ctx.tokenFile() != null) {
            token = readToken(env.workingDir().resolve(ctx.tokenFile()));
        } else {
            token = null;
        }
        boolean plaintext =
                o.plaintext != null ? o.plaintext : ctx.plaintext() == null || ctx.plaintext();
        Path ca = o.tlsCaFile != null ? env.workingDir().resolve(o.tlsCaFile) : ctx.tlsCaFile();
        if (o.requestTimeoutSeconds <= 0) {
            throw new UsageException(
                    "--request-timeout must be positive, got " + o.requestTimeoutSeconds);
        }
        return new Connection(server, token, ctx.tenant(), plaintext, ca, o.requestTimeoutSeconds);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UsageException(
                    "cannot read token file "
                            + file
                            + ": "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    public String server() {
        return server;
    }

    public boolean plaintext() {
        return plaintext;
    }

    public Path tlsCaFile() {
        return tlsCaFile;
    }

    /** The context's default tenant, or null. */
    public String defaultTenant() {
        return tenant;
    }

    private ManagedChannel channel() {
        if (channel == null) {
            ChannelCredentials creds;
            if (plaintext) {
                creds = InsecureChannelCredentials.create();
            } else if (tlsCaFile != null) {
                try {
                    creds =
                            TlsChannelCredentials.newBuilder()
                                    .trustManager(tlsCaFile.toFile())
                                    .build();
                } catch (IOException e) {
                    throw new UsageException(
                            "cannot read --tls-ca-file " + tlsCaFile + ": " + e.getMessage());
                }
            } else {
                creds = TlsChannelCredentials.create();
            }
            channel = Grpc.newChannelBuilder(server, creds).build();
        }
        return channel;
    }

    private <S extends AbstractStub<S>> S authorized(S stub) {
        S s = stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
        if (token == null) {
            return s;
        }
        Metadata md = new Metadata();
        md.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + token);
        return s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    public AppServiceGrpc.AppServiceBlockingStub apps() {
        return authorized(AppServiceGrpc.newBlockingStub(channel()));
    }

    public ClusterServiceGrpc.ClusterServiceBlockingStub clusters() {
        return authorized(ClusterServiceGrpc.newBlockingStub(channel()));
    }

    public TenantServiceGrpc.TenantServiceBlockingStub tenants() {
        return authorized(TenantServiceGrpc.newBlockingStub(channel()));
    }

    public TokenServiceGrpc.TokenServiceBlockingStub tokens() {
        return authorized(TokenServiceGrpc.newBlockingStub(channel()));
    }

    public CapacityServiceGrpc.CapacityServiceBlockingStub capacity() {
        return authorized(CapacityServiceGrpc.newBlockingStub(channel()));
    }

    public AppRevisionServiceGrpc.AppRevisionServiceBlockingStub revisions() {
        return authorized(AppRevisionServiceGrpc.newBlockingStub(channel()));
    }

    public dev.fedplane.proto.v1.RolloutServiceGrpc.RolloutServiceBlockingStub rollouts() {
        return authorized(dev.fedplane.proto.v1.RolloutServiceGrpc.newBlockingStub(channel()));
    }

    public AuditServiceGrpc.AuditServiceBlockingStub audit() {
        return authorized(AuditServiceGrpc.newBlockingStub(channel()));
    }

    public dev.fedplane.proto.v1.BurstPlanServiceGrpc.BurstPlanServiceBlockingStub burst() {
        return authorized(dev.fedplane.proto.v1.BurstPlanServiceGrpc.newBlockingStub(channel()));
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
