-- ctip schema, version 2: what `ctip serve` needs (issue 3). Users and
-- their API tokens, login sessions, the sharing of cases between agencies
-- and in-app notifications. Never edit a released migration.
--
-- Secrets are never stored: passwords as Argon2id strings (libsodium
-- crypto_pwhash_str), session ids, CSRF tokens and API tokens as their
-- BLAKE2b-256 hash, so a copy of the database opens no session.

CREATE TABLE user_ (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,        -- code list user_roles
    agency_id INTEGER NOT NULL REFERENCES agency(id),
    password_hash TEXT,        -- Argon2id; NULL: no password login (tokens only)
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX user_agency ON user_(agency_id);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES user_(id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,
    label TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Times in seconds since the epoch: compared on every request.
CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    csrf_hash BLOB NOT NULL,
    user_id INTEGER NOT NULL REFERENCES user_(id) ON DELETE CASCADE,
    created INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    expires INTEGER NOT NULL
);
CREATE INDEX session_expires ON session(expires);

-- A case shared by its owner agency with another agency: who, when, why.
-- Deleting the case deletes its shares; unsharing deletes the row (the
-- audit trail keeps the history).
CREATE TABLE case_share (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES case_(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agency(id),
    shared_by TEXT NOT NULL,   -- user name
    shared_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (case_id, agency_id)
);
CREATE INDEX case_share_agency ON case_share(agency_id, case_id);

-- In-app notifications (src/notify): a kind with parameters, rendered in
-- the reader's language; parameters never hold personal data.
CREATE TABLE notification (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES user_(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    record_type TEXT,
    record_id TEXT,
    params TEXT,               -- JSON object of strings
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notification_user ON notification(user_id, id);

-- Case lists filter on these.
CREATE INDEX case_agency ON case_(agency_id, id);
CREATE INDEX case_status ON case_(status, id);
CREATE INDEX audit_record ON audit(record_id) WHERE record_id IS NOT NULL;
