-- ctip schema, version 1. Applied by src/store/sqlite_open.c inside one
-- transaction; never edit a released migration, add the next one.
--
-- Lists of codes are stored as ';'-joined text (codes never contain ';').
-- Every record has a stable UUID, created/updated timestamps (RFC 3339 UTC)
-- and the agency that created it; `version` counts changes (ETag).

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE agency (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    type TEXT,
    country TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by_agency INTEGER REFERENCES agency(id),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE case_ (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    agency_id INTEGER NOT NULL REFERENCES agency(id),
    source_id TEXT,
    import_key TEXT,
    content_hash BLOB NOT NULL,
    acts TEXT,
    means TEXT,
    purposes TEXT,
    main_purpose TEXT,
    labour_sector TEXT,
    country_origin TEXT,
    countries_transit TEXT,
    country_exploitation TEXT,
    date_recruitment TEXT,
    date_exploitation_start TEXT,
    date_exploitation_end TEXT,
    date_identification TEXT,
    recruiter_relation TEXT,
    means_of_control TEXT,
    technology TEXT,
    other_crimes TEXT,
    status TEXT NOT NULL,
    year INTEGER NOT NULL, -- of identification, else of registration (contracts.md)
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (agency_id, source_id),
    UNIQUE (agency_id, import_key)
);
CREATE INDEX case_year ON case_(year);

CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    case_id INTEGER NOT NULL REFERENCES case_(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agency(id),
    ord INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('victim', 'suspect')),
    person_key TEXT,
    given_name TEXT,
    family_name TEXT,
    other_names TEXT,
    sex TEXT,
    date_of_birth TEXT,
    age INTEGER CHECK (age IS NULL OR age BETWEEN 0 AND 120),
    age_uncertain INTEGER NOT NULL DEFAULT 0,
    citizenship TEXT,
    languages TEXT,
    vulnerabilities TEXT,
    nrm_stage TEXT,
    suspect_role TEXT,
    phone TEXT,
    email TEXT,
    address TEXT,
    identifiers TEXT, -- JSON array of {type, value, country}
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX person_case ON person(case_id, ord);
CREATE INDEX person_key ON person(person_key) WHERE person_key IS NOT NULL;

CREATE TABLE proceeding (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    kind TEXT NOT NULL,
    date TEXT,
    authority TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX proceeding_person ON proceeding(person_id);

-- Append-only, hash-chained: hash = BLAKE2b-256(prev_hash || entry), see
-- src/store/audit.c. Triggers refuse updates and deletes.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    agency TEXT,
    action TEXT NOT NULL,
    record_type TEXT,
    record_id TEXT,
    fields TEXT,
    reason TEXT,
    request_id TEXT,
    detail TEXT,
    hash BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
