package dev.fedplane.cli.capacity;

import dev.fedplane.cli.output.Table;
import dev.fedplane.proto.v1.WhatIfAppOutcome;
import dev.fedplane.proto.v1.WhatIfResponse;
import dev.fedplane.proto.v1.WhatIfShare;
import dev.fedplane.proto.v1.WhatIfSummary;
import java.util.Locale;

/**
 * The table form of a what-if answer: a verdict line, one row per app, then each app's clusters.
 */
final class WhatIfViews {
    private WhatIfViews() {}

    static String render(WhatIfResponse r, boolean loss) {
        StringBuilder sb = new StringBuilder();
        WhatIfSummary s = r.getSummary();
        if (loss) {
            sb.append("lost: ")
                    .append(String.join(", ", r.getLostClustersList()))
                    .append(" (")
                    .append(s.getLostReplicas())
                    .append(" replica(s) on them)\n");
        }
        sb.append(s.getFits() ? "fits: yes" : "fits: NO")
                .append("; idc ")
                .append(s.getIdcReplicas())
                .append(", cloud ")
                .append(s.getCloudReplicas())
                .append(", cloud cost/h ")
                .append(money(s.getCloudCostPerHour()))
                .append(" (now ")
                .append(money(s.getCloudCostPerHourBefore()))
                .append("), unschedulable ")
                .append(s.getUnschedulable())
                .append(", replicas to start ")
                .append(s.getStartedReplicas())
                .append("\n");
        if (r.getAppsCount() == 0) {
            sb.append("no app is affected\n");
            return sb.toString();
        }
        sb.append("\n");
        Table apps =
                loss
                        ? new Table(
                                "APP",
                                "REPLICAS",
                                "LOST",
                                "IDC",
                                "CLOUD",
                                "COST/H",
                                "UNSCHEDULABLE",
                                "FITS")
                        : new Table(
                                "APP",
                                "REPLICAS",
                                "IDC",
                                "CLOUD",
                                "COST/H",
                                "UNSCHEDULABLE",
                                "FITS",
                                "QUOTA");
        for (WhatIfAppOutcome o : r.getAppsList()) {
            String ref = o.getTenant() + "/" + o.getName();
            String replicas =
                    o.getNewApp()
                            ? "new " + o.getReplicas()
                            : o.getReplicasBefore() == o.getReplicas()
                                    ? String.valueOf(o.getReplicas())
                                    : o.getReplicasBefore() + " -> " + o.getReplicas();
            String fits = o.getFits() ? "yes" : "no";
            if (loss) {
                apps.row(
                        ref,
                        replicas,
                        o.getLostReplicas(),
                        o.getIdcReplicas(),
                        o.getCloudReplicas(),
                        money(o.getCloudCostPerHour()),
                        o.getUnschedulable(),
                        fits);
            } else {
                apps.row(
                        ref,
                        replicas,
                        o.getIdcReplicas(),
                        o.getCloudReplicas(),
                        money(o.getCloudCostPerHour()),
                        o.getUnschedulable(),
                        fits,
                        o.getQuotaExceeded().isEmpty() ? "ok" : "exceeded");
            }
        }
        sb.append(apps.render());
        for (WhatIfAppOutcome o : r.getAppsList()) {
            sb.append("\n").append(o.getTenant()).append("/").append(o.getName()).append("\n");
            Table t = new Table("CLUSTER", "TIER", "BEFORE", "AFTER", "CHANGE");
            for (WhatIfShare sh : o.getSharesList()) {
                int d = sh.getAfter() - sh.getBefore();
                t.row(
                        sh.getCluster(),
                        sh.getTier(),
                        sh.getBefore(),
                        sh.getAfter(),
                        d == 0 ? "" : (d > 0 ? "+" + d : String.valueOf(d)));
            }
            if (t.size() > 0) {
                sb.append(t.render());
            }
            if (o.getUnschedulable() > 0) {
                sb.append("unschedulable: ")
                        .append(o.getUnschedulable())
                        .append(": ")
                        .append(o.getUnschedulableReason())
                        .append("\n");
            }
            if (!o.getQuotaExceeded().isEmpty()) {
                sb.append("quota: ").append(o.getQuotaExceeded()).append("\n");
            }
        }
        return sb.toString();
    }

    static String money(double perHour) {
        return String.format(Locale.ROOT, "%.3f", perHour);
    }
}
