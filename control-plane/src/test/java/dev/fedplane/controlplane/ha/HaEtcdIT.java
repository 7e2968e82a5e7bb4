package dev.fedplane.controlplane.ha;

import org.junit.jupiter.api.DisplayName;

/** The HA suite on a real etcd (the Debian package's binary as a child process). */
@DisplayName("HA on etcd")
class HaEtcdIT extends HaSuite {

    @Override
    ElectionBackend backend() {
        return ElectionBackend.etcd();
    }

    @Override
    void pause(HaCluster.Node n) {
        // No more keep-alives and no local deadline: etcd lets the lease run out and elects
        // another.
        n.bean(EtcdLeadership.class).freezeForTest();
    }

    @Override
    void resume(HaCluster.Node n) {
        n.bean(EtcdLeadership.class).thawForTest();
    }
}
