-- ctip schema, version 9: record linkage in the database (docs/linkage.md,
-- "Database"): what `ctip link dedupe DB` has linked, the engine's stable
-- clusters and their history, and every change of a person key made by a
-- confirmed duplicate_person review item (with its undo).

-- One row per victim record the linkage has seen: the hash of the values it
-- compared (a record whose hash differs is linked again, as new) and its
-- stable cluster (connected components of the pairs at or above the
-- linkage threshold; a merge keeps the smaller, older id).
CREATE TABLE link_state (
    person_uuid TEXT PRIMARY KEY,
    hash BLOB NOT NULL,
    cluster INTEGER NOT NULL,
    linked_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX link_state_cluster ON link_state(cluster);

-- The history of the clusters: each merge (`cluster` absorbed `other`
-- through a pair with the record `person_uuid`). Append-only.
CREATE TABLE link_event (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('merge')),
    cluster INTEGER NOT NULL,
    other INTEGER NOT NULL,
    person_uuid TEXT
);
CREATE TRIGGER link_event_no_update BEFORE UPDATE ON link_event
BEGIN SELECT RAISE(ABORT, 'the cluster history is append-only'); END;
CREATE TRIGGER link_event_no_delete BEFORE DELETE ON link_event
BEGIN SELECT RAISE(ABORT, 'the cluster history is append-only'); END;

-- Provenance of person keys set by linkage: one row per person whose key a
-- confirmation changed ('link') or whose key its undo restored ('undo'):
-- the review item, who, when, the key before and after. Append-only.
CREATE TABLE person_key_change (
    id INTEGER PRIMARY KEY,
    person_uuid TEXT NOT NULL,
    review_item TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('link', 'undo')),
    key_before TEXT,
    key_after TEXT,
    by_user TEXT NOT NULL,
    agency TEXT,
    at TEXT NOT NULL
);
CREATE INDEX person_key_change_item ON person_key_change(review_item, id);
CREATE INDEX person_key_change_person ON person_key_change(person_uuid, id);
CREATE TRIGGER person_key_change_no_update BEFORE UPDATE ON person_key_change
BEGIN SELECT RAISE(ABORT, 'person key changes are append-only'); END;
CREATE TRIGGER person_key_change_no_delete BEFORE DELETE ON person_key_change
BEGIN SELECT RAISE(ABORT, 'person key changes are append-only'); END;
