package dev.fedplane.cli.burst;

import dev.fedplane.cli.FedctlEnvironment;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.apply.Manifest;
import dev.fedplane.cli.apply.ManifestReader;
import dev.fedplane.proto.v1.CreateBurstPlanRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * Reads a burst plan file: one YAML or JSON document, a {@code CreateBurstPlanRequest} in the
 * proto3 JSON mapping ({@code name} and {@code spec}), with an optional {@code kind: BurstPlan}.
 * Window times may be RFC 3339 or relative ({@code now+10m}). A malformed file fails with its line
 * and field before anything is sent.
 */
final class BurstFiles {
    private BurstFiles() {}

    static Manifest read(FedctlEnvironment env, String f) {
        String text;
        try {
            text =
                    f.equals("-")
                            ? new String(env.in().readAllBytes(), StandardCharsets.UTF_8)
                            : Files.readString(env.resolve(f));
        } catch (NoSuchFileException e) {
            throw new UsageException(f + ": no such file");
        } catch (IOException e) {
            throw new UsageException(f + ": cannot read: " + e.getMessage());
        }
        return ManifestReader.readAs(
                f.equals("-") ? "<stdin>" : f,
                text,
                CreateBurstPlanRequest.newBuilder(),
                "BurstPlan",
                env.clock().millis());
    }
}
