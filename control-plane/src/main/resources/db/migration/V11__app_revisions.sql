-- Fedplane store, schema 11: numbered revisions of each app's pod template (image, requests,
-- ports, env). Written in the transaction of the app write that changed the template; the newest
-- few are kept. `spec` is the app's whole spec (JSON) at that revision; only its template part
-- defines the revision. Rows go with their app.
CREATE TABLE app_revisions (
    app_id      BIGINT       NOT NULL,
    revision    BIGINT       NOT NULL,
    generation  BIGINT       NOT NULL,
    spec        TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(256) NOT NULL,
    PRIMARY KEY (app_id, revision)
);
-- Existing apps start at revision 1 with the spec they have.
INSERT INTO app_revisions (app_id, revision, generation, spec, created_at, created_by)
    SELECT id, 1, generation, spec, updated_at, 'system' FROM apps;
