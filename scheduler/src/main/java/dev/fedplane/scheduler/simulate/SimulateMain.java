package dev.fedplane.scheduler.simulate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.scheduler.Placement;
import dev.fedplane.scheduler.PlacementRequest;
import dev.fedplane.scheduler.Scheduler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The {@code simulate} command: {@code java -jar fedplane-simulate.jar [scenario.json]} reads one
 * scenario (the file, or standard input without an argument or with {@code -}) and prints the
 * placement JSON on standard output.
 *
 * <p>Exit status: 0 with the placement on standard output; 2 when the scenario is malformed or
 * cannot be read (a message naming the field path on standard error, nothing on standard output); 1
 * on an unexpected internal error.
 */
public final class SimulateMain {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SimulateMain() {}

    public static void main(String[] args) {
        int status = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** The command's logic on given streams (what the tests call). Never writes partial output. */
    public static int run(
            String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        if (args.length > 1
                || (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")))) {
            stderr.println(
                    "usage: java -jar fedplane-simulate.jar [scenario.json]   (no file or '-': standard input)");
            return args.length > 1 ? INVALID : OK;
        }
        String source = args.length == 0 || args[0].equals("-") ? "standard input" : args[0];
        try {
            byte[] bytes =
                    source.equals("standard input")
                            ? stdin.readAllBytes()
                            : Files.readAllBytes(Path.of(args[0]));
            String output = simulate(new String(bytes, StandardCharsets.UTF_8));
            stdout.print(output);
            stdout.flush();
            return OK;
        } catch (ScenarioException e) {
            stderr.println("invalid scenario: " + e.getMessage());
            return INVALID;
        } catch (NoSuchFileException e) {
            stderr.println("cannot read scenario: no such file " + e.getFile());
            return INVALID;
        } catch (IOException e) {
            stderr.println("cannot read scenario from " + source + ": " + e.getMessage());
            return INVALID;
        } catch (RuntimeException e) {
            stderr.println("internal error: " + e);
            return FAILED;
        }
    }

    /** Scenario JSON in, placement JSON out. */
    static String simulate(String scenarioJson) throws ScenarioException {
        JsonNode root;
        try {
            root = MAPPER.readTree(scenarioJson);
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null
                            ? ""
                            : " at line "
                                    + e.getLocation().getLineNr()
                                    + ", column "
                                    + e.getLocation().getColumnNr();
            throw new ScenarioException(
                    "", "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new ScenarioException("", "empty input: expected a scenario object");
        }
        PlacementRequest request = ScenarioReader.read(root);
        Placement placement = new Scheduler().place(request);
        return PlacementWriter.write(placement);
    }
}
