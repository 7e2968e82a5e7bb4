package dev.fedplane.cli.app;

import dev.fedplane.cli.connect.Connection;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.ListAppsRequest;
import dev.fedplane.proto.v1.ListAppsResponse;
import java.util.ArrayList;
import java.util.List;

final class AppLists {
    private AppLists() {}

    /** Every app of {@code tenant} ("" : of every tenant the caller may see), all pages. */
    static List<App> all(Connection c, String tenant) {
        List<App> all = new ArrayList<>();
        String page = "";
        do {
            ListAppsResponse r =
                    c.apps()
                            .listApps(
                                    ListAppsRequest.newBuilder()
                                            .setTenant(tenant)
                                            .setPageSize(1000)
                                            .setPageToken(page)
                                            .build());
            all.addAll(r.getAppsList());
            page = r.getNextPageToken();
        } while (!page.isEmpty());
        return all;
    }
}
