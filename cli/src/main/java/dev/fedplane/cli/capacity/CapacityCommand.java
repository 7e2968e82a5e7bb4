package dev.fedplane.cli.capacity;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.Table;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.GetTenantUsageRequest;
import dev.fedplane.proto.v1.GetWaterLevelsRequest;
import dev.fedplane.proto.v1.GetWaterLevelsResponse;
import dev.fedplane.proto.v1.TenantUsage;
import dev.fedplane.proto.v1.WaterLevel;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "capacity",
        mixinStandardHelpOptions = true,
        description = {
            "Water levels: what is requested of what is allocatable, per cluster or per label group, with bars.",
            "With --tenant, a tenant's usage against its quota and where its replicas are."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl capacity",
            "  fedctl capacity --by region",
            "  fedctl capacity --by idc -l tier=idc -o json",
            "  fedctl capacity --tenant shop"
        })
public final class CapacityCommand extends FedctlCommand {
    static final int BAR = 20;

    @Option(
            names = "--by",
            paramLabel = "GROUP",
            defaultValue = "cluster",
            description = "cluster (default), idc, region, tier, provider or zone.")
    GetWaterLevelsRequest.GroupBy by;

    @Option(
            names = {"-l", "--selector"},
            paramLabel = "K=V",
            split = ",",
            description = "Only clusters with these labels.")
    Map<String, String> labels;

    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "Show this tenant's usage against its quota.")
    String tenant;

    @Mixin OutputOptions output;

    @Override
    protected int run() {
        if (tenant != null) {
            TenantUsage u =
                    connection()
                            .capacity()
                            .getTenantUsage(
                                    GetTenantUsageRequest.newBuilder().setTenant(tenant).build());
            out().print(output.format.structured() ? Documents.render(u, output.format) : usage(u));
            return 0;
        }
        GetWaterLevelsResponse r =
                connection()
                        .capacity()
                        .getWaterLevels(
                                GetWaterLevelsRequest.newBuilder()
                                        .setGroupBy(by)
                                        .setSelector(
                                                ClusterSelector.newBuilder()
                                                        .putAllMatchLabels(
                                                                labels == null ? Map.of() : labels))
                                        .build());
        out().print(
                        output.format.structured()
                                ? Documents.render(r, output.format)
                                : levels(r, by).render());
        return 0;
    }

    static String cell(long used, long total, String usedText, String totalText) {
        return Units.bar(used, total, BAR) + " " + usedText + "/" + totalText;
    }

    static Table levels(GetWaterLevelsResponse r, GetWaterLevelsRequest.GroupBy by) {
        String key =
                by == GetWaterLevelsRequest.GroupBy.GROUP_BY_UNSPECIFIED ? "CLUSTER" : by.name();
        Table t =
                new Table(
                        key, "CLUSTERS", "READY", "CPU (REQUESTED/ALLOCATABLE)", "MEMORY", "PODS");
        for (WaterLevel l : r.getLevelsList()) {
            row(t, l.getKey().isEmpty() ? "(none)" : l.getKey(), l);
        }
        if (r.hasTotal()) {
            row(t, "TOTAL", r.getTotal());
        }
        return t;
    }

    private static void row(Table t, String key, WaterLevel l) {
        t.row(
                key,
                l.getClusterCount(),
                l.getReadyCount(),
                cell(
                        l.getRequested().getCpuMillis(),
                        l.getAllocatable().getCpuMillis(),
                        Units.cpu(l.getRequested().getCpuMillis()),
                        Units.cpu(l.getAllocatable().getCpuMillis())),
                cell(
                        l.getRequested().getMemoryMib(),
                        l.getAllocatable().getMemoryMib(),
                        Units.memory(l.getRequested().getMemoryMib()),
                        Units.memory(l.getAllocatable().getMemoryMib())),
                cell(
                        l.getRequested().getPods(),
                        l.getAllocatable().getPods(),
                        String.valueOf(l.getRequested().getPods()),
                        String.valueOf(l.getAllocatable().getPods())));
    }

    static String usage(TenantUsage u) {
        Table q = new Table("RESOURCE", "USED", "QUOTA", "LEVEL");
        q.row(
                "cpu",
                Units.cpu(u.getRequested().getCpuMillis()),
                u.hasQuotaCpuMillis() ? Units.cpu(u.getQuotaCpuMillis()) : "none",
                u.hasQuotaCpuMillis()
                        ? Units.bar(u.getRequested().getCpuMillis(), u.getQuotaCpuMillis(), BAR)
                        : "");
        q.row(
                "memory",
                Units.memory(u.getRequested().getMemoryMib()),
                u.hasQuotaMemoryMib() ? Units.memory(u.getQuotaMemoryMib()) : "none",
                u.hasQuotaMemoryMib()
                        ? Units.bar(u.getRequested().getMemoryMib(), u.getQuotaMemoryMib(), BAR)
                        : "");
        q.row(
                "replicas",
                u.getReplicas(),
                u.hasQuotaReplicas() ? String.valueOf(u.getQuotaReplicas()) : "none",
                u.hasQuotaReplicas() ? Units.bar(u.getReplicas(), u.getQuotaReplicas(), BAR) : "");
        Table c = new Table("CLUSTER", "REPLICAS", "CPU", "MEMORY");
        u.getClustersList()
                .forEach(
                        x ->
                                c.row(
                                        x.getCluster(),
                                        x.getReplicas(),
                                        Units.cpu(x.getRequested().getCpuMillis()),
                                        Units.memory(x.getRequested().getMemoryMib())));
        return "tenant "
                + u.getTenant()
                + "\n"
                + q.render()
                + "\n"
                + (c.size() == 0 ? "no replicas placed\n" : c.render());
    }
}
