-- Fedplane store, schema 2: cluster agents, placements and per-cluster desired state.

-- Agent-facing status of a cluster. These columns are written by agents and health tracking and
-- do not raise the cluster's resource_version (which guards what people write).
ALTER TABLE clusters ADD COLUMN credential_hash VARCHAR(64);
ALTER TABLE clusters ADD COLUMN managed_cpu_millis BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clusters ADD COLUMN managed_memory_mib BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clusters ADD COLUMN managed_pods BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clusters ADD COLUMN ready_since BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX clusters_credential ON clusters (credential_hash);

-- The reconciler's decision for an app: JSON {policyHash, generation, shares, explanation}.
-- Written by the reconciler without raising the app's resource_version.
ALTER TABLE apps ADD COLUMN placement TEXT;

-- What each cluster's agent must apply, numbered by a per-cluster generation.
CREATE TABLE cluster_desired_state (
    cluster           VARCHAR(63) NOT NULL PRIMARY KEY,
    generation        BIGINT      NOT NULL,
    state             TEXT        NOT NULL,
    acked_generation  BIGINT      NOT NULL,
    updated_at        BIGINT      NOT NULL
);

-- The highest leader epoch: every leader-only write checks it (fencing); standalone raises it
-- once per start.
CREATE TABLE leader_epoch (
    id          INTEGER      NOT NULL PRIMARY KEY,
    epoch       BIGINT       NOT NULL,
    leader_id   VARCHAR(128) NOT NULL,
    updated_at  BIGINT       NOT NULL
);
INSERT INTO leader_epoch (id, epoch, leader_id, updated_at) VALUES (1, 0, '', 0);
