package dev.fedplane.cli.token;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputFormat;
import dev.fedplane.cli.output.WatchOptions;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.CreateTokenResponse;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.TokenKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create an API token (a role, and a tenant for tenant roles) or a bootstrap token that lets",
            "a new cluster's agent register. The secret is shown once: the server keeps only its hash."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl token create --bootstrap --ttl 2h --print-agent-command --cluster-name idc-gz-1 \\",
            "      --label region=south --label idc=gz --label tier=idc",
            "  fedctl token create --role tenant-viewer --tenant shop -o json"
        })
public final class CreateToken extends FedctlCommand {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@,+-]+");

    @Option(
            names = "--bootstrap",
            description = "A bootstrap token for agent registration (default: an API token).")
    boolean bootstrap;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            description = "API tokens: platform-admin, tenant-admin or tenant-viewer.")
    String role;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "API tokens of a tenant role: the tenant.")
    String tenant;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            description =
                    "Lifetime, e.g. 2h (default: never for API tokens, 24h for bootstrap tokens).")
    String ttl;

    @Option(
            names = "--max-uses",
            paramLabel = "N",
            description = "Bootstrap tokens: how many registrations (default 1).")
    int maxUses;

    @Option(
            names = "--print-agent-command",
            description =
                    "Bootstrap tokens: print only the command that registers a new cluster with this token.")
    boolean printAgentCommand;

    @Option(
            names = "--cluster-name",
            paramLabel = "NAME",
            description = "With --print-agent-command: the new cluster's name.")
    String clusterName;

    @Option(
            names = "--label",
            paramLabel = "K=V",
            description = "With --print-agent-command: a cluster label; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
            names = "--agent-jar",
            paramLabel = "PATH",
            defaultValue = "cluster-agent/target/fedplane-agent.jar",
            description = "With --print-agent-command: the agent jar (default: ${DEFAULT-VALUE}).")
    String agentJar;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "json or yaml: print the whole answer, secret included.")
    OutputFormat format;

    @Override
    protected int run() {
        CreateTokenRequest.Builder r =
                CreateTokenRequest.newBuilder()
                        .setKind(bootstrap ? TokenKind.BOOTSTRAP : TokenKind.API);
        if (bootstrap) {
            if (role != null || tenant != null) {
                throw new UsageException(
                        "--role and --tenant are for API tokens, not with --bootstrap");
            }
            r.setMaxUses(maxUses);
        } else {
            if (printAgentCommand) {
                throw new UsageException("--print-agent-command needs --bootstrap");
            }
            if (role == null) {
                throw new UsageException(
                        "--role is required for an API token (platform-admin, tenant-admin, tenant-viewer)");
            }
            r.setRole(role(role));
            if (tenant != null) {
                r.setTenant(tenant);
            }
        }
        if (!printAgentCommand && (clusterName != null || !labels.isEmpty())) {
            throw new UsageException("--cluster-name and --label go with --print-agent-command");
        }
        if (description != null) {
            r.setDescription(description);
        }
        if (ttl != null) {
            r.setTtlSeconds(WatchOptions.parseDuration("--ttl", ttl).toSeconds());
        }
        CreateTokenResponse created = connection().tokens().createToken(r.build());
        if (printAgentCommand) {
            out().println(agentCommand(created.getSecret()));
        } else if (format != null && format.structured()) {
            out().print(Documents.render(created, format));
        } else {
            out().println(
                            "token/"
                                    + created.getToken().getId()
                                    + " created ("
                                    + TokenViews.kind(created.getToken().getKind())
                                    + (bootstrap
                                            ? ", " + created.getToken().getMaxUses() + " use(s)"
                                            : ", " + TokenViews.role(created.getToken().getRole()))
                                    + ", expires "
                                    + TokenViews.expires(created.getToken())
                                    + ")");
            out().println("secret: " + created.getSecret());
            out().println("(shown once: the server keeps only its hash)");
        }
        return 0;
    }

    private static Role role(String s) {
        return switch (s) {
            case "platform-admin" -> Role.PLATFORM_ADMIN;
            case "tenant-admin" -> Role.TENANT_ADMIN;
            case "tenant-viewer" -> Role.TENANT_VIEWER;
            default ->
                    throw new UsageException(
                            "--role: \""
                                    + s
                                    + "\" is not one of platform-admin, tenant-admin, tenant-viewer");
        };
    }

    /**
     * The agent's command line (its flags as in cluster-agent/README.md), each argument
     * shell-quoted.
     */
    String agentCommand(String secret) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "java",
                                "-jar",
                                agentJar,
                                "--control-plane",
                                connection().server(),
                                "--cluster-name",
                                clusterName == null ? "CLUSTER_NAME" : clusterName,
                                "--bootstrap-token",
                                secret));
        labels.forEach(
                (k, v) -> {
                    args.add("--label");
                    args.add(k + "=" + v);
                });
        if (!connection().plaintext()) {
            args.add("--no-plaintext");
            if (connection().tlsCaFile() != null) {
                args.add("--tls-ca-file");
                args.add(connection().tlsCaFile().toString());
            }
        }
        List<String> quoted = new ArrayList<>();
        for (String a : args) {
            quoted.add(SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
