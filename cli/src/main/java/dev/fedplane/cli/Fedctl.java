package dev.fedplane.cli;

import dev.fedplane.cli.app.ExplainCommand;
import dev.fedplane.cli.app.RolloutCommand;
import dev.fedplane.cli.app.ScaleCommand;
import dev.fedplane.cli.apply.ApplyCommand;
import dev.fedplane.cli.audit.AuditCommand;
import dev.fedplane.cli.burst.BurstCommand;
import dev.fedplane.cli.capacity.CapacityCommand;
import dev.fedplane.cli.capacity.WhatIfCommand;
import dev.fedplane.cli.cluster.CordonCommand;
import dev.fedplane.cli.cluster.DrainCommand;
import dev.fedplane.cli.cluster.UncordonCommand;
import dev.fedplane.cli.connect.ConfigCommand;
import dev.fedplane.cli.connect.Connection;
import dev.fedplane.cli.connect.ConnectionOptions;
import dev.fedplane.cli.simulate.SimulateCommand;
import dev.fedplane.cli.token.TokenCommand;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fedctl}: the command line for operators and planners. Every command talks to the control
 * plane through the {@code fedplane.v1} gRPC API only (except {@code simulate}, which runs the
 * scheduler library locally, and {@code config}/{@code completion}, which talk to nobody).
 *
 * <p>{@link #run} is the whole program on given streams: tests call it in-process. One run opens at
 * most one channel and closes it before returning.
 */
@Command(
        name = "fedctl",
        mixinStandardHelpOptions = true,
        versionProvider = Fedctl.Version.class,
        description =
                "Fedplane's command line: clusters, tenants, apps, placement explanations, water levels.",
        subcommands = {
            GetCommand.class,
            DescribeCommand.class,
            CreateCommand.class,
            ApplyCommand.class,
            ScaleCommand.class,
            DeleteCommand.class,
            CordonCommand.class,
            UncordonCommand.class,
            DrainCommand.class,
            ExplainCommand.class,
            RolloutCommand.class,
            SimulateCommand.class,
            CapacityCommand.class,
            WhatIfCommand.class,
            AuditCommand.class,
            TokenCommand.class,
            ConfigCommand.class,
            CompletionCommand.class,
            BurstCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl config set-context local --server 127.0.0.1:9090 --token-file fedplane-data/admin.token",
            "  fedctl get clusters -o wide",
            "  fedctl apply -f app.yaml",
            "  fedctl explain app web --tenant shop",
            "",
            "Exit status: 0 ok, 1 server or other error, 2 usage (flags, files, INVALID_ARGUMENT),",
            "3 not found, 4 denied (UNAUTHENTICATED, PERMISSION_DENIED), 5 conflict (ALREADY_EXISTS,",
            "ABORTED), 6 refused (RESOURCE_EXHAUSTED, FAILED_PRECONDITION)."
        })
public final class Fedctl implements Callable<Integer> {

    @Mixin ConnectionOptions connectionOptions;

    @Spec CommandSpec spec;

    private final FedctlEnvironment env;
    private Connection connection;

    Fedctl(FedctlEnvironment env) {
        this.env = env;
    }

    public static void main(String[] args) {
        FedctlEnvironment env = FedctlEnvironment.system();
        int status = run(env, args);
        env.out().flush();
        env.err().flush();
        System.exit(status);
    }

    /** Runs one fedctl command line; answers its exit status (see {@link ExitCodes}). */
    public static int run(FedctlEnvironment env, String... args) {
        Fedctl root = new Fedctl(env);
        CommandLine cl = commandLine(root);
        try {
            return cl.execute(args);
        } finally {
            if (root.connection != null) {
                root.connection.close();
            }
            env.out().flush();
            env.err().flush();
        }
    }

    /**
     * The command tree with fedctl's streams, error lines and exit statuses (also used for
     * completion).
     */
    static CommandLine commandLine(Fedctl root) {
        CommandLine cl = new CommandLine(root);
        cl.setOut(root.env.out());
        cl.setErr(root.env.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(
                (ex, args) -> {
                    String help = ex.getCommandLine().getCommandSpec().qualifiedName() + " --help";
                    ex.getCommandLine()
                            .getErr()
                            .println(
                                    "error: "
                                            + ex.getMessage().strip().replace('\n', ' ')
                                            + " (see '"
                                            + help
                                            + "')");
                    return ExitCodes.USAGE;
                });
        cl.setExecutionExceptionHandler(
                (ex, cmd, parseResult) -> {
                    PrintWriter err = cmd.getErr();
                    if (ex instanceof LocatedError le) {
                        err.println(le.line());
                        return le.exitCode();
                    }
                    if (ex instanceof StatusRuntimeException sre) {
                        String line = ServerError.line(sre);
                        if (sre.getStatus().getCode() == Status.Code.UNAVAILABLE
                                && root.connection != null) {
                            line +=
                                    " (is the control plane running at "
                                            + root.connection.server()
                                            + "?)";
                        }
                        err.println(line);
                        return ExitCodes.of(sre.getStatus().getCode());
                    }
                    if (ex instanceof UsageException) {
                        err.println("error: " + ex.getMessage());
                        return ExitCodes.USAGE;
                    }
                    err.println(
                            "error: "
                                    + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
                    return ExitCodes.ERROR;
                });
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        return ExitCodes.USAGE;
    }

    FedctlEnvironment env() {
        return env;
    }

    /** The run's connection, resolved on first use. */
    Connection connection() {
        if (connection == null) {
            connection = Connection.resolve(connectionOptions, env);
        }
        return connection;
    }

    ConnectionOptions connectionOptions() {
        return connectionOptions;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Fedctl.class.getPackage().getImplementationVersion();
            return new String[] {
                "fedctl " + (v == null ? "development build" : v) + " (fedplane.v1 API)"
            };
        }
    }
}
