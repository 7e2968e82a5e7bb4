package dev.fedplane.cli.apply;

import dev.fedplane.cli.ExitCodes;
import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.LocatedError;
import dev.fedplane.cli.ServerError;
import dev.fedplane.cli.UsageException;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.GetTenantRequest;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.UpdateAppRequest;
import dev.fedplane.proto.v1.UpdateTenantRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Creates or updates apps and tenants from files. Every document of every file is read and checked
 * first; nothing is sent when one is malformed. Then the documents are applied in order, each with
 * one create or update call, or none when the server already holds it ({@link Canonical}); the
 * first failing call stops the run (the ones before it stay applied and were printed). A document's
 * non-zero {@code resourceVersion} is sent as the precondition of its update.
 */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Create or update apps and tenants from YAML or JSON files (one or many documents each).",
            "Documents are App or Tenant messages in the proto3 JSON mapping, optionally with kind: App|Tenant;",
            "what fedctl get -o yaml prints applies as it is."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl apply -f app.yaml",
            "  fedctl apply -f tenants.json -f apps.yaml",
            "  fedctl get app shop/web -o yaml > web.yaml && $EDITOR web.yaml && fedctl apply -f web.yaml",
            "",
            "app.yaml:",
            "  kind: App",
            "  tenant: shop",
            "  name: web",
            "  spec:",
            "    image: registry.example/web:1.0",
            "    replicas: 4",
            "    resources: {cpuMillis: 500, memoryMib: 512}",
            "    placement: {replicaScheduling: {type: DIVIDED}}"
        })
public final class ApplyCommand extends FedctlCommand {
    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "A YAML or JSON file; - for standard input; repeatable.")
    List<String> files;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "Tenant of App documents that name none (default: the context's).")
    String tenant;

    @Override
    protected int run() throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        for (String f : files) {
            manifests.addAll(ManifestReader.read(f.equals("-") ? "<stdin>" : f, read(f)));
        }
        for (Manifest m : manifests) {
            try {
                out().println(m.kind().equals("App") ? applyApp(m) : applyTenant(m));
                out().flush();
            } catch (StatusRuntimeException e) {
                throw new LocatedError(
                        ServerError.line(e, m::locate), ExitCodes.of(e.getStatus().getCode()));
            }
        }
        return 0;
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

    private String applyApp(Manifest m) {
        App a = (App) m.message();
        if (a.getTenant().isEmpty()) {
            String t = tenant != null ? tenant : connection().defaultTenant();
            if (t == null) {
                throw new UsageException(
                        m.source()
                                + ":"
                                + m.line()
                                + ": tenant: missing (set it in the file, or give --tenant)");
            }
            a = a.toBuilder().setTenant(t).build();
        } else if (tenant != null && !tenant.equals(a.getTenant())) {
            throw new UsageException(
                    m.source()
                            + ":"
                            + m.line()
                            + ": tenant: the file says "
                            + a.getTenant()
                            + ", --tenant says "
                            + tenant);
        }
        if (a.getName().isEmpty()) {
            throw new UsageException(m.source() + ":" + m.line() + ": name: missing");
        }
        String ref = "app/" + a.getTenant() + "/" + a.getName();
        App current;
        try {
            current =
                    connection()
                            .apps()
                            .getApp(
                                    GetAppRequest.newBuilder()
                                            .setTenant(a.getTenant())
                                            .setName(a.getName())
                                            .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            connection()
                    .apps()
                    .createApp(
                            CreateAppRequest.newBuilder()
                                    .setApp(
                                            App.newBuilder()
                                                    .setTenant(a.getTenant())
                                                    .setName(a.getName())
                                                    .setSpec(a.getSpec()))
                                    .build());
            return ref + " created";
        }
        if (Canonical.same(current.getSpec(), a.getSpec())) {
            return ref + " unchanged";
        }
        connection()
                .apps()
                .updateApp(
                        UpdateAppRequest.newBuilder()
                                .setApp(
                                        App.newBuilder()
                                                .setTenant(a.getTenant())
                                                .setName(a.getName())
                                                .setSpec(a.getSpec())
                                                .setResourceVersion(a.getResourceVersion()))
                                .build());
        return ref + " configured";
    }

    private String applyTenant(Manifest m) {
        Tenant t = (Tenant) m.message();
        if (t.getName().isEmpty()) {
            throw new UsageException(m.source() + ":" + m.line() + ": name: missing");
        }
        Tenant desired =
                Tenant.newBuilder()
                        .setName(t.getName())
                        .setDisplayName(t.getDisplayName())
                        .putAllLabels(t.getLabelsMap())
                        .setQuota(t.getQuota())
                        .setNetwork(t.getNetwork())
                        .setResourceVersion(t.getResourceVersion())
                        .build();
        if (t.hasAllowedClusters()) {
            desired = desired.toBuilder().setAllowedClusters(t.getAllowedClusters()).build();
        }
        String ref = "tenant/" + t.getName();
        Tenant current;
        try {
            current =
                    connection()
                            .tenants()
                            .getTenant(GetTenantRequest.newBuilder().setName(t.getName()).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            connection()
                    .tenants()
                    .createTenant(
                            CreateTenantRequest.newBuilder()
                                    .setTenant(desired.toBuilder().setResourceVersion(0))
                                    .build());
            return ref + " created";
        }
        Tenant comparable =
                current.toBuilder()
                        .clearCreateTimeUnixMillis()
                        .clearUpdateTimeUnixMillis()
                        .setResourceVersion(desired.getResourceVersion())
                        .build();
        if (Canonical.same(comparable, desired)) {
            return ref + " unchanged";
        }
        connection()
                .tenants()
                .updateTenant(UpdateTenantRequest.newBuilder().setTenant(desired).build());
        return ref + " configured";
    }
}
