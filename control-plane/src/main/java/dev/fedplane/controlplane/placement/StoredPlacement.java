package dev.fedplane.controlplane.placement;

import java.util.Map;

/**
 * The reconciler's last decision for an app, kept with the app: the shares per cluster, the hash of
 * the placement policy they were computed under (a different policy means a fresh placement, DESIGN
 * "Stability"), the app generation, and the explanation {@code ExplainApp} returns.
 */
public record StoredPlacement(
        String policyHash, long generation, Map<String, Integer> shares, Explanation explanation) {
    public StoredPlacement {
        shares = shares == null ? Map.of() : Map.copyOf(shares);
    }

    /** The stored JSON form; null for null or empty (no placement yet). */
    public static StoredPlacement fromJson(String json) {
        return json == null || json.isEmpty()
                ? null
                : dev.fedplane.controlplane.store.Json.read(json, StoredPlacement.class);
    }
}
