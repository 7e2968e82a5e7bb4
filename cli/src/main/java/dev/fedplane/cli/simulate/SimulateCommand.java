package dev.fedplane.cli.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.cli.ExitCodes;
import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.LocatedError;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Table;
import dev.fedplane.scheduler.simulate.SimulateMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the scheduler library's {@code simulate} adapter in this process (no server): the same
 * scenario JSON as {@code fedplane-simulate.jar}, the same validation (the field path named), the
 * same placement JSON with {@code -o json}, and a table of every cluster's verdict by default.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Place one app over a described fleet with the scheduler library, locally: no server needed.",
            "The scenario format is the scheduler's (scheduler/README.md, DESIGN \"Scheduling semantics\")."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl simulate -f scheduler/examples/design-example.json",
            "  fedctl simulate -f scenario.json -o json",
            "  cat scenario.json | fedctl simulate -f -"
        })
public final class SimulateCommand extends FedctlCommand {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "Scenario JSON; - for standard input.")
    String file;

    @Mixin OutputOptions output;

    @Override
    protected int run() throws IOException {
        String path = file.equals("-") ? "-" : env().resolve(file).toString();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            status = SimulateMain.run(new String[] {path}, env().in(), o, e);
        }
        if (status != SimulateMain.OK) {
            String message = stderr.toString(StandardCharsets.UTF_8).strip().replace('\n', ' ');
            throw new LocatedError(
                    "error: " + (file.equals("-") ? "" : file + ": ") + message,
                    status == SimulateMain.INVALID ? ExitCodes.USAGE : ExitCodes.ERROR);
        }
        String json = stdout.toString(StandardCharsets.UTF_8);
        switch (output.format) {
            case JSON -> out().print(json);
            case YAML -> out().print(Documents.jsonToYaml(json));
            default -> out().print(table(MAPPER.readTree(json)));
        }
        return 0;
    }

    /** The placement JSON as a summary line and a table of every cluster's verdict. */
    static String table(JsonNode placement) {
        List<String> placed = new ArrayList<>();
        int total = 0;
        for (JsonNode p : placement.path("placements")) {
            placed.add(p.path("cluster").asText() + "=" + p.path("replicas").asInt());
            total += p.path("replicas").asInt();
        }
        StringBuilder b = new StringBuilder().append(total).append(" placed");
        if (!placed.isEmpty()) {
            b.append(" (").append(String.join(",", placed)).append(')');
        }
        b.append(", ").append(placement.path("unschedulable").asInt()).append(" unschedulable");
        if (placement.hasNonNull("unschedulableReason")) {
            b.append(": ").append(placement.path("unschedulableReason").asText());
        }
        b.append('\n');
        Table t =
                new Table(
                        "CLUSTER",
                        "FEASIBLE",
                        "REASON",
                        "WEIGHT",
                        "FIT",
                        "SCORE",
                        "REPLICAS",
                        "NOTE");
        for (JsonNode c : placement.path("clusters")) {
            t.row(
                    c.path("cluster").asText(),
                    c.path("feasible").asBoolean() ? "yes" : "no",
                    c.path("reason").asText(""),
                    c.path("weight").asText(),
                    c.path("fit").asText(),
                    c.path("score").asText(),
                    c.path("replicas").asText(),
                    c.path("note").asText(""));
        }
        return b.append(t.render()).toString();
    }
}
