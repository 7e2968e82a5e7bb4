package dev.fedplane.scheduler.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fedplane.scheduler.AppSpec;
import dev.fedplane.scheduler.BurstPolicy;
import dev.fedplane.scheduler.ClusterInfo;
import dev.fedplane.scheduler.ClusterLimit;
import dev.fedplane.scheduler.ClusterSelector;
import dev.fedplane.scheduler.ClusterSnapshot;
import dev.fedplane.scheduler.ClusterState;
import dev.fedplane.scheduler.ClusterWeight;
import dev.fedplane.scheduler.DivisionMode;
import dev.fedplane.scheduler.LabelRequirement;
import dev.fedplane.scheduler.PlacementPolicy;
import dev.fedplane.scheduler.PlacementRequest;
import dev.fedplane.scheduler.ReplicaScheduling;
import dev.fedplane.scheduler.Resources;
import dev.fedplane.scheduler.SchedulingType;
import dev.fedplane.scheduler.SelectorOperator;
import dev.fedplane.scheduler.SpreadConstraint;
import dev.fedplane.scheduler.Taint;
import dev.fedplane.scheduler.TaintEffect;
import dev.fedplane.scheduler.TenantQuota;
import dev.fedplane.scheduler.TenantUsage;
import dev.fedplane.scheduler.Toleration;
import dev.fedplane.scheduler.TolerationOperator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads DESIGN's scenario format (a Jackson tree) into a {@link PlacementRequest}, validating as it
 * goes: the first problem is thrown as a {@link ScenarioException} naming the field path ({@code
 * clusters[1].allocatable.cpuMillis}, indexes from 0). Rules (DESIGN, "Precise rules", Validation):
 * required are {@code clusters} (may be empty), each cluster's {@code name} (unique), {@code state}
 * and {@code allocatable}, {@code app.name}, {@code app.replicas} and {@code
 * app.placement.replicaScheduling.type}; counts and quantities are non-negative integers ({@code
 * 5.0} is not one); {@code costPerCpuHour} a non-negative number; enum values exact. A missing
 * quantity is 0, a missing division STATIC_WEIGHTS, a taint without effect NoSchedule; null is the
 * same as absent; unknown fields are ignored. Additionally (this adapter's choices): a {@code
 * spread} entry needs {@code by}, a {@code matchExpressions} entry needs {@code key} and {@code
 * operator}, counts must fit in 32 bits, and the optional top-level {@code tenantAllowedClusters}
 * is a cluster selector.
 */
final class ScenarioReader {

    private ScenarioReader() {}

    static PlacementRequest read(JsonNode root) throws ScenarioException {
        requireObject(root, "");
        JsonNode clustersNode = required(root, "clusters", "");
        requireArray(clustersNode, "clusters");
        List<ClusterInfo> clusters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < clustersNode.size(); i++) {
            String path = "clusters[" + i + "]";
            ClusterInfo c = cluster(clustersNode.get(i), path);
            if (!names.add(c.name())) {
                throw new ScenarioException(
                        path + ".name", "duplicate cluster name \"" + c.name() + "\"");
            }
            clusters.add(c);
        }
        AppSpec app = app(required(root, "app", ""), "app");
        Map<String, Integer> current = null;
        JsonNode currentNode = optional(root, "currentPlacement");
        if (currentNode != null) {
            requireObject(currentNode, "currentPlacement");
            current = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = currentNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    continue;
                }
                current.put(e.getKey(), count(e.getValue(), "currentPlacement." + e.getKey()));
            }
        }
        TenantUsage usage = TenantUsage.NONE;
        JsonNode usageNode = optional(root, "tenantUsage");
        if (usageNode != null) {
            requireObject(usageNode, "tenantUsage");
            usage =
                    new TenantUsage(
                            quantityOr(usageNode, "cpuMillis", "tenantUsage", 0),
                            quantityOr(usageNode, "memoryMiB", "tenantUsage", 0),
                            quantityOr(usageNode, "replicas", "tenantUsage", 0));
        }
        TenantQuota quota = null;
        JsonNode quotaNode = optional(root, "tenantQuota");
        if (quotaNode != null) {
            requireObject(quotaNode, "tenantQuota");
            quota =
                    new TenantQuota(
                            optionalQuantity(quotaNode, "cpuMillis", "tenantQuota"),
                            optionalQuantity(quotaNode, "memoryMiB", "tenantQuota"),
                            optionalQuantity(quotaNode, "replicas", "tenantQuota"));
        }
        ClusterSelector allowed = null;
        JsonNode allowedNode = optional(root, "tenantAllowedClusters");
        if (allowedNode != null) {
            allowed = selector(allowedNode, "tenantAllowedClusters");
        }
        return new PlacementRequest(
                app, ClusterSnapshot.of(clusters), current, usage, quota, allowed);
    }

    private static ClusterInfo cluster(JsonNode node, String path) throws ScenarioException {
        requireObject(node, path);
        String name = string(required(node, "name", path), path + ".name");
        if (name.isEmpty()) {
            throw new ScenarioException(path + ".name", "must not be empty");
        }
        ClusterState state =
                enumValue(required(node, "state", path), path + ".state", ClusterState.class);
        Map<String, String> labels = stringMap(optional(node, "labels"), path + ".labels");
        List<Taint> taints = new ArrayList<>();
        JsonNode taintsNode = optional(node, "taints");
        if (taintsNode != null) {
            requireArray(taintsNode, path + ".taints");
            for (int t = 0; t < taintsNode.size(); t++) {
                String tp = path + ".taints[" + t + "]";
                JsonNode tn = taintsNode.get(t);
                requireObject(tn, tp);
                taints.add(
                        new Taint(
                                optionalString(tn, "key", tp),
                                optionalString(tn, "value", tp),
                                optionalEnum(tn, "effect", tp, TaintEffect.class)));
            }
        }
        Resources allocatable =
                resources(required(node, "allocatable", path), path + ".allocatable", true);
        JsonNode requestedNode = optional(node, "requested");
        Resources requested =
                requestedNode == null
                        ? Resources.NONE
                        : resources(requestedNode, path + ".requested", true);
        double cost = 0;
        JsonNode costNode = optional(node, "costPerCpuHour");
        if (costNode != null) {
            if (!costNode.isNumber()
                    || costNode.asDouble() < 0
                    || !Double.isFinite(costNode.asDouble())) {
                throw new ScenarioException(
                        path + ".costPerCpuHour", "must be a non-negative number" + got(costNode));
            }
            cost = costNode.asDouble();
        }
        return new ClusterInfo(name, state, labels, taints, allocatable, requested, cost);
    }

    private static Resources resources(JsonNode node, String path, boolean withPods)
            throws ScenarioException {
        requireObject(node, path);
        return new Resources(
                quantityOr(node, "cpuMillis", path, 0),
                quantityOr(node, "memoryMiB", path, 0),
                withPods ? quantityOr(node, "pods", path, 0) : 0);
    }

    private static AppSpec app(JsonNode node, String path) throws ScenarioException {
        requireObject(node, path);
        String tenant = optionalString(node, "tenant", path);
        String name = string(required(node, "name", path), path + ".name");
        int replicas = count(required(node, "replicas", path), path + ".replicas");
        JsonNode resourcesNode = optional(node, "resources");
        Resources resources =
                resourcesNode == null
                        ? Resources.NONE
                        : resources(resourcesNode, path + ".resources", false);
        JsonNode placementNode = required(node, "placement", path);
        return new AppSpec(
                tenant, name, replicas, resources, placement(placementNode, path + ".placement"));
    }

    private static PlacementPolicy placement(JsonNode node, String path) throws ScenarioException {
        requireObject(node, path);
        JsonNode affinityNode = optional(node, "clusterAffinity");
        ClusterSelector affinity =
                affinityNode == null ? null : selector(affinityNode, path + ".clusterAffinity");
        List<Toleration> tolerations = new ArrayList<>();
        JsonNode tolNode = optional(node, "tolerations");
        if (tolNode != null) {
            requireArray(tolNode, path + ".tolerations");
            for (int t = 0; t < tolNode.size(); t++) {
                String tp = path + ".tolerations[" + t + "]";
                JsonNode tn = tolNode.get(t);
                requireObject(tn, tp);
                tolerations.add(
                        new Toleration(
                                optionalString(tn, "key", tp),
                                optionalEnum(tn, "operator", tp, TolerationOperator.class),
                                optionalString(tn, "value", tp),
                                optionalEnum(tn, "effect", tp, TaintEffect.class)));
            }
        }
        String rsPath = path + ".replicaScheduling";
        JsonNode rsNode = required(node, "replicaScheduling", path);
        requireObject(rsNode, rsPath);
        SchedulingType type =
                enumValue(required(rsNode, "type", rsPath), rsPath + ".type", SchedulingType.class);
        DivisionMode division = optionalEnum(rsNode, "division", rsPath, DivisionMode.class);
        List<ClusterWeight> weights = new ArrayList<>();
        JsonNode weightsNode = optional(rsNode, "weights");
        if (weightsNode != null) {
            requireArray(weightsNode, rsPath + ".weights");
            for (int k = 0; k < weightsNode.size(); k++) {
                String wp = rsPath + ".weights[" + k + "]";
                JsonNode wn = weightsNode.get(k);
                requireObject(wn, wp);
                JsonNode sel = optional(wn, "clusters");
                JsonNode weightNode = optional(wn, "weight");
                weights.add(
                        ClusterWeight.of(
                                sel == null ? ClusterSelector.ALL : selector(sel, wp + ".clusters"),
                                weightNode == null ? 0 : count(weightNode, wp + ".weight")));
            }
        }
        List<ClusterLimit> limits = new ArrayList<>();
        JsonNode limitsNode = optional(node, "clusterLimits");
        if (limitsNode != null) {
            requireArray(limitsNode, path + ".clusterLimits");
            for (int k = 0; k < limitsNode.size(); k++) {
                String lp = path + ".clusterLimits[" + k + "]";
                JsonNode ln = limitsNode.get(k);
                requireObject(ln, lp);
                JsonNode sel = optional(ln, "clusters");
                limits.add(
                        ClusterLimit.of(
                                sel == null ? ClusterSelector.ALL : selector(sel, lp + ".clusters"),
                                optionalCount(ln, "minReplicas", lp),
                                optionalCount(ln, "maxReplicas", lp)));
            }
        }
        List<SpreadConstraint> spread = new ArrayList<>();
        JsonNode spreadNode = optional(node, "spread");
        if (spreadNode != null) {
            requireArray(spreadNode, path + ".spread");
            for (int k = 0; k < spreadNode.size(); k++) {
                String sp = path + ".spread[" + k + "]";
                JsonNode sn = spreadNode.get(k);
                requireObject(sn, sp);
                String by = string(required(sn, "by", sp), sp + ".by");
                if (by.isEmpty()) {
                    throw new ScenarioException(sp + ".by", "must not be empty");
                }
                Integer min = optionalCount(sn, "minGroups", sp);
                spread.add(
                        SpreadConstraint.of(
                                by, min == null ? 0 : min, optionalCount(sn, "maxGroups", sp)));
            }
        }
        BurstPolicy burst = null;
        JsonNode burstNode = optional(node, "burst");
        if (burstNode != null) {
            String bp = path + ".burst";
            requireObject(burstNode, bp);
            JsonNode allow = optional(burstNode, "allowCloud");
            if (allow != null && !allow.isBoolean()) {
                throw new ScenarioException(
                        bp + ".allowCloud", "must be true or false" + got(allow));
            }
            burst =
                    BurstPolicy.of(
                            allow != null && allow.booleanValue(),
                            optionalCount(burstNode, "maxCloudReplicas", bp));
        }
        return new PlacementPolicy(
                affinity,
                tolerations,
                new ReplicaScheduling(type, division, weights),
                limits,
                spread,
                burst);
    }

    private static ClusterSelector selector(JsonNode node, String path) throws ScenarioException {
        requireObject(node, path);
        List<String> names = null;
        JsonNode namesNode = optional(node, "names");
        if (namesNode != null) {
            names = stringList(namesNode, path + ".names");
        }
        JsonNode labelsNode = optional(node, "matchLabels");
        Map<String, String> labels = stringMap(labelsNode, path + ".matchLabels");
        List<LabelRequirement> expressions = new ArrayList<>();
        JsonNode exprNode = optional(node, "matchExpressions");
        if (exprNode != null) {
            requireArray(exprNode, path + ".matchExpressions");
            for (int k = 0; k < exprNode.size(); k++) {
                String ep = path + ".matchExpressions[" + k + "]";
                JsonNode en = exprNode.get(k);
                requireObject(en, ep);
                String key = string(required(en, "key", ep), ep + ".key");
                SelectorOperator op =
                        enumValue(
                                required(en, "operator", ep),
                                ep + ".operator",
                                SelectorOperator.class);
                JsonNode values = optional(en, "values");
                expressions.add(
                        new LabelRequirement(
                                key,
                                op,
                                values == null ? List.of() : stringList(values, ep + ".values")));
            }
        }
        return new ClusterSelector(names, labels, expressions);
    }

    // ------------------------------------------------------------------ primitives

    /** The field's value, or null when absent or JSON null. */
    private static JsonNode optional(JsonNode object, String field) {
        JsonNode v = object.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static JsonNode required(JsonNode object, String field, String path)
            throws ScenarioException {
        JsonNode v = optional(object, field);
        if (v == null) {
            throw new ScenarioException(path.isEmpty() ? field : path + "." + field, "is required");
        }
        return v;
    }

    private static void requireObject(JsonNode node, String path) throws ScenarioException {
        if (node == null || !node.isObject()) {
            throw new ScenarioException(path, "must be an object" + got(node));
        }
    }

    private static void requireArray(JsonNode node, String path) throws ScenarioException {
        if (!node.isArray()) {
            throw new ScenarioException(path, "must be an array" + got(node));
        }
    }

    private static String string(JsonNode node, String path) throws ScenarioException {
        if (!node.isTextual()) {
            throw new ScenarioException(path, "must be a string" + got(node));
        }
        return node.textValue();
    }

    private static String optionalString(JsonNode object, String field, String path)
            throws ScenarioException {
        JsonNode v = optional(object, field);
        return v == null ? null : string(v, path + "." + field);
    }

    private static List<String> stringList(JsonNode node, String path) throws ScenarioException {
        requireArray(node, path);
        List<String> list = new ArrayList<>();
        for (int k = 0; k < node.size(); k++) {
            list.add(string(node.get(k), path + "[" + k + "]"));
        }
        return list;
    }

    private static Map<String, String> stringMap(JsonNode node, String path)
            throws ScenarioException {
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null) {
            return map;
        }
        requireObject(node, path);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                map.put(e.getKey(), string(e.getValue(), path + "." + e.getKey()));
            }
        }
        return map;
    }

    private static long quantity(JsonNode node, String path) throws ScenarioException {
        if (!node.isIntegralNumber()) {
            throw new ScenarioException(path, "must be a non-negative integer" + got(node));
        }
        if (!node.canConvertToLong()) {
            throw new ScenarioException(path, "is out of range" + got(node));
        }
        long v = node.longValue();
        if (v < 0) {
            throw new ScenarioException(path, "must be a non-negative integer" + got(node));
        }
        return v;
    }

    private static long quantityOr(JsonNode object, String field, String path, long fallback)
            throws ScenarioException {
        JsonNode v = optional(object, field);
        return v == null ? fallback : quantity(v, path + "." + field);
    }

    private static Long optionalQuantity(JsonNode object, String field, String path)
            throws ScenarioException {
        JsonNode v = optional(object, field);
        return v == null ? null : quantity(v, path + "." + field);
    }

    private static int count(JsonNode node, String path) throws ScenarioException {
        long v = quantity(node, path);
        if (v > Integer.MAX_VALUE) {
            throw new ScenarioException(path, "must be at most " + Integer.MAX_VALUE + got(node));
        }
        return (int) v;
    }

    private static Integer optionalCount(JsonNode object, String field, String path)
            throws ScenarioException {
        JsonNode v = optional(object, field);
        return v == null ? null : count(v, path + "." + field);
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String path, Class<E> type)
            throws ScenarioException {
        if (node.isTextual()) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(node.textValue())) {
                    return e;
                }
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name());
        }
        throw new ScenarioException(path, "must be one of " + allowed + got(node));
    }

    private static <E extends Enum<E>> E optionalEnum(
            JsonNode object, String field, String path, Class<E> type) throws ScenarioException {
        JsonNode v = optional(object, field);
        return v == null ? null : enumValue(v, path + "." + field, type);
    }

    private static String got(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "";
        }
        String text = node.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return " (got " + text + ")";
    }
}
