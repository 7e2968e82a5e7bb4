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
import dev.fedplane.proto.v1.ResourceLevel;
import dev.fedplane.proto.v1.TenantClusterUsage;
import dev.fedplane.proto.v1.TenantUsage;
import dev.fedplane.proto.v1.WaterLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "capacity",
        mixinStandardHelpOptions = true,
        description = {
            "Water levels: what is requested of what is allocatable, per cluster or per label group, with bars",
            "and a LEVEL (OK, WARN or CRITICAL: the worst resource by the control plane's thresholds,",
            "fedplane.capacity.warn-ratio and critical-ratio, printed on the first line).",
            "With --tenants, also every tenant's use against its quota; with --tenant, one tenant's usage",
            "against its quota and per-cluster caps, and where its replicas are."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl capacity",
            "  fedctl capacity --by idc",
            "  fedctl capacity --by region --tenants",
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

    @Option(
            names = "--tenants",
            description =
                    "Also every tenant's use against its quota (per-cluster figures in -o json|yaml).")
    boolean tenants;

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
                                        .setIncludeTenants(tenants)
                                        .setSelector(
                                                ClusterSelector.newBuilder()
                                                        .putAllMatchLabels(
                                                                labels == null ? Map.of() : labels))
                                        .build());
        out().print(
                        output.format.structured()
                                ? Documents.render(r, output.format)
                                : thresholds(r)
                                        + levels(r, by).render()
                                        + (tenants ? "\n" + tenantLevels(r).render() : ""));
        return 0;
    }

    static String thresholds(GetWaterLevelsResponse r) {
        return "thresholds: warn at "
                + percent(r.getThresholds().getWarnRatio())
                + ", critical at "
                + percent(r.getThresholds().getCriticalRatio())
                + "\n";
    }

    static String percent(double ratio) {
        return Math.round(ratio * 100) + "%";
    }

    /** The worst level, or "-" when the server sent none. */
    static String level(ResourceLevel.Level l) {
        return l == ResourceLevel.Level.LEVEL_UNSPECIFIED || l == ResourceLevel.Level.UNRECOGNIZED
                ? "-"
                : l.name();
    }

    static String worst(List<ResourceLevel> levels) {
        ResourceLevel.Level w = ResourceLevel.Level.LEVEL_UNSPECIFIED;
        for (ResourceLevel l : levels) {
            if (l.getLevel().getNumber() > w.getNumber()) {
                w = l.getLevel();
            }
        }
        return levels.isEmpty() ? "-" : level(w);
    }

    static Table tenantLevels(GetWaterLevelsResponse r) {
        Table t = new Table("TENANT", "CPU (USED/QUOTA)", "MEMORY", "REPLICAS", "LEVEL");
        for (TenantUsage u : r.getTenantsList()) {
            t.row(
                    u.getTenant(),
                    u.hasQuotaCpuMillis()
                            ? cell(
                                    u.getRequested().getCpuMillis(),
                                    u.getQuotaCpuMillis(),
                                    Units.cpu(u.getRequested().getCpuMillis()),
                                    Units.cpu(u.getQuotaCpuMillis()))
                            : Units.cpu(u.getRequested().getCpuMillis()) + " (no quota)",
                    u.hasQuotaMemoryMib()
                            ? cell(
                                    u.getRequested().getMemoryMib(),
                                    u.getQuotaMemoryMib(),
                                    Units.memory(u.getRequested().getMemoryMib()),
                                    Units.memory(u.getQuotaMemoryMib()))
                            : Units.memory(u.getRequested().getMemoryMib()) + " (no quota)",
                    u.hasQuotaReplicas()
                            ? cell(
                                    u.getReplicas(),
                                    u.getQuotaReplicas(),
                                    String.valueOf(u.getReplicas()),
                                    String.valueOf(u.getQuotaReplicas()))
                            : u.getReplicas() + " (no quota)",
                    worst(u.getLevelsList()));
        }
        return t;
    }

    static String cell(long used, long total, String usedText, String totalText) {
        return Units.bar(used, total, BAR) + " " + usedText + "/" + totalText;
    }

    static Table levels(GetWaterLevelsResponse r, GetWaterLevelsRequest.GroupBy by) {
        String key =
                by == GetWaterLevelsRequest.GroupBy.GROUP_BY_UNSPECIFIED ? "CLUSTER" : by.name();
        Table t =
                new Table(
                        key,
                        "CLUSTERS",
                        "READY",
                        "CPU (REQUESTED/ALLOCATABLE)",
                        "MEMORY",
                        "PODS",
                        "LEVEL");
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
                        String.valueOf(l.getAllocatable().getPods())),
                level(l.getLevel()));
    }

    static String levelOf(List<ResourceLevel> levels, String resource) {
        return levels.stream()
                .filter(l -> l.getResource().equals(resource))
                .findFirst()
                .map(l -> level(l.getLevel()))
                .orElse("-");
    }

    /** A per-cluster cap as "cpu 2, memory 4Gi, replicas 8"; "-" when none. */
    static String cap(TenantClusterUsage x) {
        List<String> parts = new ArrayList<>();
        if (x.hasQuotaCpuMillis()) {
            parts.add("cpu " + Units.cpu(x.getQuotaCpuMillis()));
        }
        if (x.hasQuotaMemoryMib()) {
            parts.add("memory " + Units.memory(x.getQuotaMemoryMib()));
        }
        if (x.hasQuotaReplicas()) {
            parts.add("replicas " + x.getQuotaReplicas());
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    static String usage(TenantUsage u) {
        Table q = new Table("RESOURCE", "USED", "QUOTA", "USE", "LEVEL");
        q.row(
                "cpu",
                Units.cpu(u.getRequested().getCpuMillis()),
                u.hasQuotaCpuMillis() ? Units.cpu(u.getQuotaCpuMillis()) : "none",
                u.hasQuotaCpuMillis()
                        ? Units.bar(u.getRequested().getCpuMillis(), u.getQuotaCpuMillis(), BAR)
                        : "",
                levelOf(u.getLevelsList(), "cpu"));
        q.row(
                "memory",
                Units.memory(u.getRequested().getMemoryMib()),
                u.hasQuotaMemoryMib() ? Units.memory(u.getQuotaMemoryMib()) : "none",
                u.hasQuotaMemoryMib()
                        ? Units.bar(u.getRequested().getMemoryMib(), u.getQuotaMemoryMib(), BAR)
                        : "",
                levelOf(u.getLevelsList(), "memory"));
        q.row(
                "replicas",
                u.getReplicas(),
                u.hasQuotaReplicas() ? String.valueOf(u.getQuotaReplicas()) : "none",
                u.hasQuotaReplicas() ? Units.bar(u.getReplicas(), u.getQuotaReplicas(), BAR) : "",
                levelOf(u.getLevelsList(), "replicas"));
        Table c = new Table("CLUSTER", "REPLICAS", "CPU", "MEMORY", "CAP", "LEVEL");
        u.getClustersList()
                .forEach(
                        x ->
                                c.row(
                                        x.getCluster(),
                                        x.getReplicas(),
                                        Units.cpu(x.getRequested().getCpuMillis()),
                                        Units.memory(x.getRequested().getMemoryMib()),
                                        cap(x),
                                        worst(x.getLevelsList())));
        return "tenant "
                + u.getTenant()
                + "\n"
                + q.render()
                + "\n"
                + (c.size() == 0 ? "no replicas placed\n" : c.render());
    }
}
