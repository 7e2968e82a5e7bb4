package dev.fedplane.cli.connect;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Table;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Named contexts (server, token, tenant, TLS) in ~/.fedplane/config.",
        subcommands = {
            ConfigCommand.SetContext.class,
            ConfigCommand.UseContext.class,
            ConfigCommand.GetContexts.class,
            ConfigCommand.CurrentContext.class,
            ConfigCommand.DeleteContext.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl config set-context local --server 127.0.0.1:9090 --token-file fedplane-data/admin.token --use",
            "  fedctl config set-context prod --server cp.example:443 --no-plaintext --tls-ca-file ca.pem --token-file prod.token",
            "  fedctl config use-context prod",
            "  fedctl config get-contexts"
        })
public final class ConfigCommand {

    static Path file(FedctlCommand c) {
        return Connection.configFile(c.connectionOptionsForConfig(), c.environment());
    }

    @Command(
            name = "set-context",
            mixinStandardHelpOptions = true,
            description = {
                "Create or change a context: the global --server, --token, --token-file, --[no-]plaintext and",
                "--tls-ca-file given here are stored in it (a token file by its absolute path)."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  fedctl config set-context local --server 127.0.0.1:9090 --token-file fedplane-data/admin.token --use",
                "  fedctl config set-context shop --server 127.0.0.1:9090 --token \"$SHOP_TOKEN\" --tenant shop"
            })
    public static final class SetContext extends FedctlCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = {"-t", "--tenant"},
                paramLabel = "TENANT",
                description = "Default tenant of app commands in this context.")
        String tenant;

        @Option(names = "--use", description = "Also make it the current context.")
        boolean use;

        @Override
        protected int run() {
            ConnectionOptions o = connectionOptions();
            if (o.token != null && o.tokenFile != null) {
                throw new UsageException("give --token or --token-file, not both");
            }
            Path tokenFile =
                    o.tokenFile == null
                            ? null
                            : env().workingDir().resolve(o.tokenFile).toAbsolutePath().normalize();
            Path ca =
                    o.tlsCaFile == null
                            ? null
                            : env().workingDir().resolve(o.tlsCaFile).toAbsolutePath().normalize();
            Path f = file(this);
            FedctlConfig config =
                    FedctlConfig.load(f)
                            .withContext(
                                    name,
                                    new ContextEntry(
                                            o.server, o.token, tokenFile, tenant, o.plaintext, ca));
            if (use || config.currentContext() == null) {
                config = config.withCurrentContext(name);
            }
            config.save(f);
            out().println(
                            "context "
                                    + name
                                    + " set in "
                                    + f
                                    + (name.equals(config.currentContext()) ? " (current)" : ""));
            return 0;
        }
    }

    @Command(
            name = "use-context",
            mixinStandardHelpOptions = true,
            description = "Make a context the current one.",
            footerHeading = "%nExamples:%n",
            footer = {"  fedctl config use-context prod"})
    public static final class UseContext extends FedctlCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run() {
            Path f = file(this);
            FedctlConfig config = FedctlConfig.load(f);
            if (!config.contexts().containsKey(name)) {
                throw new UsageException(
                        "no context \""
                                + name
                                + "\" in "
                                + f
                                + " (known: "
                                + (config.contexts().isEmpty()
                                        ? "none"
                                        : String.join(", ", config.contexts().keySet()))
                                + ")");
            }
            config.withCurrentContext(name).save(f);
            out().println("current context: " + name);
            return 0;
        }
    }

    @Command(
            name = "get-contexts",
            mixinStandardHelpOptions = true,
            description = "List the contexts (tokens not shown).",
            footerHeading = "%nExamples:%n",
            footer = {"  fedctl config get-contexts"})
    public static final class GetContexts extends FedctlCommand {
        @Override
        protected int run() {
            FedctlConfig config = FedctlConfig.load(file(this));
            Table t = new Table("CURRENT", "NAME", "SERVER", "TENANT", "AUTH", "TLS");
            config.contexts()
                    .forEach(
                            (n, c) ->
                                    t.row(
                                            n.equals(config.currentContext()) ? "*" : "",
                                            n,
                                            c.server() == null
                                                    ? Connection.DEFAULT_SERVER
                                                    : c.server(),
                                            c.tenant(),
                                            c.token() != null
                                                    ? "token"
                                                    : c.tokenFile() != null
                                                            ? "file " + c.tokenFile()
                                                            : "none",
                                            c.plaintext() == null || c.plaintext()
                                                    ? "plaintext"
                                                    : "tls"));
            out().print(t.render());
            return 0;
        }
    }

    @Command(
            name = "current-context",
            mixinStandardHelpOptions = true,
            description = "Print the current context's name.",
            footerHeading = "%nExamples:%n",
            footer = {"  fedctl config current-context"})
    public static final class CurrentContext extends FedctlCommand {
        @Override
        protected int run() {
            FedctlConfig config = FedctlConfig.load(file(this));
            if (config.currentContext() == null) {
                throw new UsageException(
                        "no current context in "
                                + file(this)
                                + " (fedctl config use-context NAME)");
            }
            out().println(config.currentContext());
            return 0;
        }
    }

    @Command(
            name = "delete-context",
            mixinStandardHelpOptions = true,
            description = "Remove a context.",
            footerHeading = "%nExamples:%n",
            footer = {"  fedctl config delete-context old-lab"})
    public static final class DeleteContext extends FedctlCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run() {
            Path f = file(this);
            FedctlConfig config = FedctlConfig.load(f);
            if (!config.contexts().containsKey(name)) {
                throw new UsageException("no context \"" + name + "\" in " + f);
            }
            config.withoutContext(name).save(f);
            out().println("context " + name + " deleted");
            return 0;
        }
    }
}
