package dev.fedplane.cli.cluster;

import dev.fedplane.cli.connect.Connection;
import dev.fedplane.proto.v1.Cluster;
import dev.fedplane.proto.v1.ClusterSelector;
import dev.fedplane.proto.v1.ListClustersRequest;
import dev.fedplane.proto.v1.ListClustersResponse;
import java.util.ArrayList;
import java.util.List;

/** Every cluster matching a selector, all pages. */
final class ClusterLists {
    private ClusterLists() {}

    static List<Cluster> all(Connection c, ClusterSelector selector) {
        List<Cluster> all = new ArrayList<>();
        String page = "";
        do {
            ListClustersResponse r =
                    c.clusters()
                            .listClusters(
                                    ListClustersRequest.newBuilder()
                                            .setPageSize(1000)
                                            .setPageToken(page)
                                            .setSelector(selector)
                                            .build());
            all.addAll(r.getClustersList());
            page = r.getNextPageToken();
        } while (!page.isEmpty());
        return all;
    }
}
