-- ctip schema, version 5: the child registries (issue 7, docs/registries.md):
-- missing-child reports, placements in alternative care and care
-- institutions, one table with a kind column (the field tables of
-- src/registry/record.c say which columns each kind uses), the state of the
-- cross-checks, and the institutions flagged for the coordinator.
--
-- Lists of codes are ';'-joined text, other_names a JSON array, dates in
-- their partial ISO form, as in case_ and person (001_init.sql).

CREATE TABLE reg_record (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('missing', 'placement', 'institution')),
    agency_id INTEGER NOT NULL REFERENCES agency(id),
    source_id TEXT,
    import_key TEXT,
    content_hash BLOB NOT NULL,
    -- the child (missing, placement)
    person_key TEXT,
    given_name TEXT,
    family_name TEXT,
    other_names TEXT,
    sex TEXT,
    date_of_birth TEXT,
    age INTEGER CHECK (age IS NULL OR age BETWEEN 0 AND 17),
    citizenship TEXT,
    -- missing
    date_last_seen TEXT,
    place_last_seen TEXT,
    country_last_seen TEXT,
    circumstances TEXT,
    circumstances_note TEXT,
    reporter TEXT,
    reporter_relation TEXT,
    date_reported TEXT,
    status TEXT,
    date_closed TEXT,
    placement_id INTEGER REFERENCES reg_record(id),
    -- placement
    institution_id INTEGER REFERENCES reg_record(id),
    placement_type TEXT,
    carer TEXT,
    admission_date TEXT,
    exit_date TEXT,
    exit_reason TEXT,
    -- institution
    name TEXT,
    institution_type TEXT,
    licence TEXT,
    licence_status TEXT,
    capacity INTEGER,
    country TEXT,
    location TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, agency_id, source_id),
    UNIQUE (kind, agency_id, import_key)
);
CREATE INDEX reg_record_kind ON reg_record(kind, agency_id);
CREATE INDEX reg_record_institution ON reg_record(institution_id) WHERE institution_id IS NOT NULL;

-- What the cross-checks have seen: a record (a registry record or a victim,
-- record_type 'person') whose linkage fields hash differently is checked
-- again (src/registry/xcheck.c).
CREATE TABLE reg_check (
    record_type TEXT NOT NULL,
    record_uuid TEXT NOT NULL,
    hash BLOB NOT NULL,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (record_type, record_uuid)
) WITHOUT ROWID;

-- Institutions flagged for the coordinator (the orphanage-trafficking
-- pattern); rules and thresholds in src/registry/flags.c.
CREATE TABLE reg_flag (
    id INTEGER PRIMARY KEY,
    institution_id INTEGER NOT NULL REFERENCES reg_record(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    value INTEGER NOT NULL,
    threshold INTEGER NOT NULL,
    active INTEGER NOT NULL,
    raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (institution_id, rule)
);
