package dev.fedplane.agent.apply;

import java.util.Map;

/** The labels and annotations the agent puts on what it manages. */
public final class ManagedLabels {

    public static final String MANAGED_BY = "fedplane.dev/managed-by";
    public static final String MANAGED_BY_VALUE = "fedplane";
    public static final String TENANT = "fedplane.dev/tenant";
    public static final String APP = "fedplane.dev/app";
    public static final String APP_GENERATION = "fedplane.dev/app-generation";

    /**
     * On a Deployment: the keys of the annotations its app's overrides put there (sorted, comma
     * separated), so that one an override no longer sets is noticed and removed.
     */
    public static final String OVERRIDE_ANNOTATIONS = "fedplane.dev/override-annotations";

    /** Annotation on a Deployment: the app revision its template is (absent: none). */
    public static final String REVISION = "fedplane.dev/revision";

    /** The label selector text of everything the agent manages. */
    public static final String SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

    private ManagedLabels() {}

    /** A key under the agent's own prefix ({@code fedplane.dev/} or a subdomain of it). */
    public static boolean isReserved(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String prefix = key.substring(0, slash);
        return prefix.equals("fedplane.dev") || prefix.endsWith(".fedplane.dev");
    }

    public static boolean isManaged(Map<String, String> labels) {
        return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY));
    }
}
