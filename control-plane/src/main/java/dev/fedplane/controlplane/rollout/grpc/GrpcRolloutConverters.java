package dev.fedplane.controlplane.rollout.grpc;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.rollout.AppRollout;
import dev.fedplane.controlplane.rollout.RolloutService;
import dev.fedplane.proto.v1.RolloutClusterStatus;
import dev.fedplane.proto.v1.RolloutStage;
import dev.fedplane.proto.v1.RolloutStageStatus;
import dev.fedplane.proto.v1.RolloutState;
import dev.fedplane.proto.v1.RolloutStatus;
import dev.fedplane.proto.v1.RolloutStrategy;

/**
 * Rollout strategies and statuses between the contract and the domain. Unspecified enums take their
 * defaults (gate AUTO, on_failure PAUSE).
 */
public final class GrpcRolloutConverters {
    private GrpcRolloutConverters() {}

    public static App.Rollout toCore(RolloutStrategy s) {
        return new App.Rollout(
                s.getStagesList().stream()
                        .map(
                                st ->
                                        new App.Stage(
                                                st.getName(),
                                                st.getClusterSelectorMap(),
                                                st.getMaxUnavailableClusters(),
                                                st.getSoakSeconds(),
                                                st.getGate() == RolloutStage.Gate.MANUAL
                                                        ? App.Gate.MANUAL
                                                        : App.Gate.AUTO))
                        .toList(),
                s.getMaxSurge(),
                s.getMaxUnavailable(),
                s.getOnFailure() == RolloutStrategy.OnFailure.ROLLBACK
                        ? App.OnFailure.ROLLBACK
                        : App.OnFailure.PAUSE,
                s.getProgressDeadlineSeconds(),
                s.getMinReadyPercent());
    }

    public static RolloutStrategy toGrpc(App.Rollout r) {
        RolloutStrategy.Builder b =
                RolloutStrategy.newBuilder()
                        .setMaxSurge(r.maxSurge())
                        .setMaxUnavailable(r.maxUnavailable())
                        .setOnFailure(
                                r.onFailure() == App.OnFailure.ROLLBACK
                                        ? RolloutStrategy.OnFailure.ROLLBACK
                                        : RolloutStrategy.OnFailure.PAUSE)
                        .setProgressDeadlineSeconds(r.progressDeadlineSeconds())
                        .setMinReadyPercent(r.minReadyPercent());
        for (App.Stage st : r.stages()) {
            b.addStages(
                    RolloutStage.newBuilder()
                            .setName(st.name())
                            .putAllClusterSelector(st.clusterSelector())
                            .setMaxUnavailableClusters(st.maxUnavailableClusters())
                            .setSoakSeconds(st.soakSeconds())
                            .setGate(
                                    st.gate() == App.Gate.MANUAL
                                            ? RolloutStage.Gate.MANUAL
                                            : RolloutStage.Gate.AUTO));
        }
        return b.build();
    }

    public static RolloutStatus toGrpc(RolloutService.View v) {
        AppRollout r = v.rollout();
        RolloutStatus.Builder b =
                RolloutStatus.newBuilder()
                        .setRolloutId(r.id())
                        .setFromRevision(r.fromRevision())
                        .setToRevision(r.toRevision())
                        .setState(RolloutState.valueOf(r.state().name()))
                        .setCurrentStage(r.progress().stage())
                        .setMessage(r.message())
                        .setCreateTimeUnixMillis(r.createdAt())
                        .setUpdateTimeUnixMillis(r.updatedAt())
                        .setCreatedBy(r.createdBy())
                        .setStrategy(toGrpc(r.strategy()));
        for (RolloutService.StageStatus s : v.stages()) {
            RolloutStageStatus.Builder sb =
                    RolloutStageStatus.newBuilder()
                            .setName(s.name())
                            .setState(s.state())
                            .setReadySinceUnixMillis(s.readySince());
            for (RolloutService.ClusterStatus c : s.clusters()) {
                sb.addClusters(
                        RolloutClusterStatus.newBuilder()
                                .setCluster(c.cluster())
                                .setRevision(c.revision())
                                .setReportedRevision(c.reportedRevision())
                                .setDesired(c.desired())
                                .setUpdated(c.updated())
                                .setReady(c.ready())
                                .setAvailable(c.available())
                                .setState(c.state())
                                .setMessage(c.message()));
            }
            b.addStages(sb);
        }
        return b.build();
    }
}
