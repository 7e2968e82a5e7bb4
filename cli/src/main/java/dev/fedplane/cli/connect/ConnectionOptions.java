package dev.fedplane.cli.connect;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the control plane is and who calls it: given on the command line (before or after the
 * subcommand), else from the environment ({@code FEDCTL_SERVER}, {@code FEDCTL_TOKEN}, {@code
 * FEDCTL_CONTEXT}, {@code FEDCTL_CONFIG}), else from the current context of the config file. The
 * TLS flags are the agent's ({@code --[no-]plaintext}, {@code --tls-ca-file}).
 */
public final class ConnectionOptions {
    @Option(
            names = "--server",
            scope = ScopeType.INHERIT,
            paramLabel = "HOST:PORT",
            description =
                    "gRPC address of the control plane (default: the context's, else 127.0.0.1:9090).")
    public String server;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            paramLabel = "SECRET",
            description = "Bearer token (default: FEDCTL_TOKEN, else the context's).")
    public String token;

    @Option(
            names = "--token-file",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "File holding the bearer token, e.g. fedplane-data/admin.token.")
    public Path tokenFile;

    @Option(
            names = "--context",
            scope = ScopeType.INHERIT,
            paramLabel = "NAME",
            description = "Context of the config file to use instead of its current one.")
    public String context;

    @Option(
            names = "--config",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "Config file (default: FEDCTL_CONFIG, else ~/.fedplane/config).")
    public Path config;

    @Option(
            names = "--plaintext",
            negatable = true,
            scope = ScopeType.INHERIT,
            description = "Plaintext gRPC (the default); --no-plaintext uses TLS.")
    public Boolean plaintext;

    @Option(
            names = "--tls-ca-file",
            scope = ScopeType.INHERIT,
            paramLabel = "PEM",
            description = "PEM CA certificates to trust for TLS (default: the JDK's).")
    public Path tlsCaFile;

    @Option(
            names = "--request-timeout",
            scope = ScopeType.INHERIT,
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "Deadline of each call in seconds (default: ${DEFAULT-VALUE}).")
    public long requestTimeoutSeconds;
}
