package dev.fedplane.controlplane.ha;

import org.junit.jupiter.api.DisplayName;

/** The HA suite on ZooKeeper (Curator's in-JVM TestingServer). */
@DisplayName("HA on ZooKeeper")
class HaZookeeperIT extends HaSuite {

    @Override
    ElectionBackend backend() {
        return ElectionBackend.zookeeper();
    }

    @Override
    void pause(HaCluster.Node n) {
        // The instance stops noticing, and the server stops hearing from it: its session expires.
        n.bean(ZookeeperLeadership.class).freezeForTest();
        n.proxy.cut();
    }

    @Override
    void resume(HaCluster.Node n) {
        n.proxy.restore();
        n.bean(ZookeeperLeadership.class).thawForTest();
    }
}
