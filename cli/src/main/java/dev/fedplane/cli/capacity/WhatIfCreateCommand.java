package dev.fedplane.cli.capacity;

import dev.fedplane.cli.ExitCodes;
import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.LocatedError;
import dev.fedplane.cli.ServerError;
import dev.fedplane.cli.UsageException;
import dev.fedplane.cli.apply.Manifest;
import dev.fedplane.cli.apply.ManifestReader;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.WhatIfAppsRequest;
import dev.fedplane.proto.v1.WhatIfResponse;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Would these new apps fit, and where would each replica go? Reads App documents as",
            "fedctl apply does (YAML or JSON, one or many); nothing is created. A quota the real",
            "create would exceed is shown in the QUOTA column."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl whatif create -f app.yaml",
            "  fedctl whatif create -f apps.yaml -o json"
        })
public final class WhatIfCreateCommand extends FedctlCommand {
    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "A YAML or JSON file of App documents; - for standard input; repeatable.")
    List<String> files;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "Tenant of App documents that name none (default: the context's).")
    String tenant;

    @Mixin OutputOptions output;

    @Override
    protected int run() throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        for (String f : files) {
            manifests.addAll(ManifestReader.read(f.equals("-") ? "<stdin>" : f, read(f)));
        }
        WhatIfAppsRequest.Builder r = WhatIfAppsRequest.newBuilder();
        for (Manifest m : manifests) {
            if (!m.kind().equals("App")) {
                throw new UsageException(
                        m.source() + ":" + m.line() + ": kind: whatif create takes App documents");
            }
            App a = (App) m.message();
            if (a.getTenant().isEmpty()) {
                a = a.toBuilder().setTenant(tenant(tenant)).build();
            }
            if (a.getName().isEmpty()) {
                throw new UsageException(m.source() + ":" + m.line() + ": name: missing");
            }
            r.addCreates(
                    App.newBuilder()
                            .setTenant(a.getTenant())
                            .setName(a.getName())
                            .setSpec(a.getSpec()));
        }
        WhatIfResponse resp;
        try {
            resp = connection().capacity().whatIfApps(r.build());
        } catch (StatusRuntimeException e) {
            // Field paths are creates[i].spec...: name the file and line of document i.
            throw new LocatedError(
                    ServerError.line(e, field -> locate(manifests, field)),
                    ExitCodes.of(e.getStatus().getCode()));
        }
        out().print(
                        output.format.structured()
                                ? Documents.render(resp, output.format)
                                : WhatIfViews.render(resp, false));
        return 0;
    }

    private static String locate(List<Manifest> manifests, String field) {
        if (field.startsWith("creates[")) {
            int close = field.indexOf(']');
            try {
                int i = Integer.parseInt(field.substring("creates[".length(), close));
                if (i >= 0 && i < manifests.size()) {
                    String rest = field.substring(close + 1);
                    return manifests.get(i).locate(rest.startsWith(".") ? rest.substring(1) : rest);
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
                // not a path of ours
            }
        }
        return null;
    }

    private String read(String f) throws IOException {
        if (f.equals("-")) {
            return new String(env().in().readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(env().resolve(f));
        } catch (NoSuchFileException e) {
            throw new UsageException(f + ": no such file");
        } catch (IOException e) {
            throw new UsageException(f + ": cannot read: " + e.getMessage());
        }
    }
}
