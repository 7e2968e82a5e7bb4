package dev.fedplane.cli.tenant;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputFormat;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantQuota;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "tenant",
        mixinStandardHelpOptions = true,
        description = "Create a tenant with a federation-wide quota.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl create tenant shop --cpu 8 --memory 16Gi --replicas 20",
            "  fedctl create tenant ml --cpu 64 --label team=ml --allowed-cluster-label tier=idc",
            "  (per-cluster caps and network rules: fedctl apply -f tenant.yaml)"
        })
public final class CreateTenant extends FedctlCommand {
    @Parameters(paramLabel = "NAME", description = "DNS-1123 label.")
    String name;

    @Option(names = "--display-name", paramLabel = "TEXT")
    String displayName;

    @Option(
            names = "--cpu",
            paramLabel = "QUANTITY",
            description = "CPU quota, e.g. 8 or 8000m (default: no limit).")
    String cpu;

    @Option(
            names = "--memory",
            paramLabel = "QUANTITY",
            description = "Memory quota, e.g. 16Gi (default: no limit).")
    String memory;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            description = "Replica quota (default: no limit).")
    Long replicas;

    @Option(
            names = "--label",
            paramLabel = "K=V",
            description = "Label copied onto the tenant's namespaces; repeatable.")
    Map<String, String> labels;

    @Option(
            names = "--allowed-cluster",
            paramLabel = "NAME",
            split = ",",
            description =
                    "Clusters the tenant may use, by name; repeatable (default: every cluster).")
    List<String> allowedClusters;

    @Option(
            names = "--allowed-cluster-label",
            paramLabel = "K=V",
            description = "Clusters the tenant may use, by label; repeatable.")
    Map<String, String> allowedLabels;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "json or yaml: print the created tenant.")
    OutputFormat format;

    @Override
    protected int run() {
        TenantQuota.Builder q = TenantQuota.newBuilder();
        if (cpu != null) {
            q.setCpuMillis(Units.parseCpu("--cpu", cpu));
        }
        if (memory != null) {
            q.setMemoryMib(Units.parseMemory("--memory", memory));
        }
        if (replicas != null) {
            q.setReplicas(replicas);
        }
        Tenant.Builder t = Tenant.newBuilder().setName(name).setQuota(q);
        if (displayName != null) {
            t.setDisplayName(displayName);
        }
        if (labels != null) {
            t.putAllLabels(labels);
        }
        if (allowedClusters != null || allowedLabels != null) {
            ClusterSelector.Builder s = ClusterSelector.newBuilder();
            if (allowedClusters != null) {
                s.addAllNames(allowedClusters);
            }
            if (allowedLabels != null) {
                s.putAllMatchLabels(allowedLabels);
            }
            t.setAllowedClusters(s);
        }
        Tenant created =
                connection()
                        .tenants()
                        .createTenant(CreateTenantRequest.newBuilder().setTenant(t).build());
        if (format != null && format.structured()) {
            out().print(Documents.render(created, format));
        } else {
            out().println("tenant/" + created.getName() + " created");
        }
        return 0;
    }
}
