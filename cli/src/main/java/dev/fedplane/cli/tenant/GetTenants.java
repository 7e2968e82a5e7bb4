package dev.fedplane.cli.tenant;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputFormat;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.WatchOptions;
import dev.fedplane.proto.v1.GetTenantRequest;
import dev.fedplane.proto.v1.ListTenantsRequest;
import dev.fedplane.proto.v1.ListTenantsResponse;
import dev.fedplane.proto.v1.Tenant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "tenants",
        aliases = {"tenant"},
        mixinStandardHelpOptions = true,
        description = "List tenants with their quotas, or show one.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl get tenants", "  fedctl get tenant shop -o yaml"})
public final class GetTenants extends FedctlCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "One tenant; all when left out.")
    String name;

    @Mixin OutputOptions output;

    @Mixin WatchOptions watch;

    @Override
    protected int run() {
        watch.run(
                out(),
                () -> {
                    List<Tenant> tenants =
                            name != null
                                    ? List.of(
                                            connection()
                                                    .tenants()
                                                    .getTenant(
                                                            GetTenantRequest.newBuilder()
                                                                    .setName(name)
                                                                    .build()))
                                    : all();
                    return switch (output.format) {
                        case JSON, YAML ->
                                name != null
                                        ? Documents.render(tenants.get(0), output.format)
                                        : Documents.render(
                                                ListTenantsResponse.newBuilder()
                                                        .addAllTenants(tenants),
                                                output.format);
                        case TABLE, WIDE ->
                                TenantViews.table(
                                                tenants,
                                                output.format == OutputFormat.WIDE,
                                                env().clock())
                                        .render();
                    };
                });
        return 0;
    }

    private List<Tenant> all() {
        List<Tenant> all = new ArrayList<>();
        String page = "";
        do {
            ListTenantsResponse r =
                    connection()
                            .tenants()
                            .listTenants(
                                    ListTenantsRequest.newBuilder()
                                            .setPageSize(1000)
                                            .setPageToken(page)
                                            .build());
            all.addAll(r.getTenantsList());
            page = r.getNextPageToken();
        } while (!page.isEmpty());
        return all;
    }
}
