-- Fedplane store, schema 5: what the leader decides about an app (its placement and status) moves
-- out of the app row into app_status. Only the leader writes it, each write fenced by its epoch (the
-- row keeps the epoch that wrote it; a lower one changes nothing), so user writes of the app row
-- (guarded by resource_version) and status writes never touch the same row. An app without a row
-- here has not been placed yet. Rows of deleted apps are removed by the leader.
CREATE TABLE app_status (
    app_id      BIGINT  NOT NULL PRIMARY KEY,
    placement   TEXT,
    status      TEXT    NOT NULL,
    epoch       BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
INSERT INTO app_status (app_id, placement, status, epoch, updated_at)
    SELECT id, placement, status, 0, updated_at FROM apps;
ALTER TABLE apps DROP COLUMN placement;
ALTER TABLE apps DROP COLUMN status;
