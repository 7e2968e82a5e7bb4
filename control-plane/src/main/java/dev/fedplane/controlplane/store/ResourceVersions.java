package dev.fedplane.controlplane.store;

/**
 * The API's {@code resource_version} and the row's {@code @Version} column. Micronaut Data starts a
 * row's version at 0 and raises it by one in the same UPDATE that checks it (an atomic
 * compare-and-set); the API counts from 1 so that 0 can mean "no precondition". This is the one
 * place that knows the offset.
 */
public final class ResourceVersions {
    private ResourceVersions() {}

    public static long toRow(long apiVersion) {
        return Math.max(0, apiVersion - 1);
    }

    public static long toApi(long rowVersion) {
        return rowVersion + 1;
    }
}
