-- Fedplane store, schema 8: an app's placement (the reconciler's decision with its explanation, a
-- verdict per cluster: about 100 KB of JSON at 1,000 clusters) moves out of app_status into its own
-- table, so that reading apps with their status (every API read, every reconciler pass) no longer
-- reads the placement with the row. Written only by the leader, fenced by its epoch like app_status
-- (the row keeps the epoch that wrote it; a lower one changes nothing); read once per election and
-- by ExplainApp.
CREATE TABLE app_placement (
    app_id      BIGINT  NOT NULL PRIMARY KEY,
    placement   TEXT    NOT NULL,
    epoch       BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
INSERT INTO app_placement (app_id, placement, epoch, updated_at)
    SELECT app_id, placement, epoch, updated_at FROM app_status WHERE placement IS NOT NULL;
ALTER TABLE app_status DROP COLUMN placement;
