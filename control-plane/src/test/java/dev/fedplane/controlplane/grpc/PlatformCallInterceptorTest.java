package dev.fedplane.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformCallInterceptorTest {

    @Test
    void readsAndSimulationsAreNotAuditedAsWrites() {
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.AppService/GetApp")).isFalse();
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.AppService/ListApps")).isFalse();
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.AppService/ExplainApp")).isFalse();
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.CapacityService/WhatIfApps"))
                .isFalse();
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.BurstPlanService/DryRunBurstPlan"))
                .isFalse();
    }

    @Test
    void everythingElseIsAWrite() {
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.AppService/ScaleApp")).isTrue();
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.AppService/CreateApp")).isTrue();
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.BurstPlanService/CancelBurstPlan"))
                .isTrue();
        assertThat(PlatformCallInterceptor.isWrite("fedplane.v1.ClusterService/DrainCluster"))
                .isTrue();
    }
}
