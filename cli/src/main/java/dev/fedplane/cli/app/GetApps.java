package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputFormat;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.WatchOptions;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.ListAppsResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "apps",
        aliases = {"app"},
        mixinStandardHelpOptions = true,
        description = "List apps with their ready replicas and clusters, or show one.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl get apps                      # the context's tenant, or every tenant you may see",
            "  fedctl get apps --all-tenants -o wide",
            "  fedctl get app shop/web -o json",
            "  fedctl get app web --tenant shop -w"
        })
public final class GetApps extends FedctlCommand {
    @Parameters(
            arity = "0..1",
            paramLabel = "NAME",
            description = "One app (NAME or TENANT/NAME); all when left out.")
    String name;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "The tenant (default: the context's).")
    String tenant;

    @Option(
            names = {"-A", "--all-tenants"},
            description = "Apps of every tenant you may see.")
    boolean allTenants;

    @Mixin OutputOptions output;

    @Mixin WatchOptions watch;

    @Override
    protected int run() {
        String[] one = name == null ? null : tenantAndName(name, tenant);
        String listTenant =
                allTenants
                        ? ""
                        : tenant != null
                                ? tenant
                                : connection().defaultTenant() != null
                                        ? connection().defaultTenant()
                                        : "";
        watch.run(
                out(),
                () -> {
                    List<App> apps =
                            one != null
                                    ? List.of(
                                            connection()
                                                    .apps()
                                                    .getApp(
                                                            GetAppRequest.newBuilder()
                                                                    .setTenant(one[0])
                                                                    .setName(one[1])
                                                                    .build()))
                                    : AppLists.all(connection(), listTenant);
                    return switch (output.format) {
                        case JSON, YAML ->
                                one != null
                                        ? Documents.render(apps.get(0), output.format)
                                        : Documents.render(
                                                ListAppsResponse.newBuilder().addAllApps(apps),
                                                output.format);
                        case TABLE, WIDE ->
                                AppViews.table(
                                                apps,
                                                output.format == OutputFormat.WIDE,
                                                env().clock())
                                        .render();
                    };
                });
        return 0;
    }
}
