-- ctip schema, version 8: the National Referral Mechanism (src/nrm,
-- docs/nrm.md). Never edit a released migration, add the next one.
--
-- A person's stage stays in person.nrm_stage (contracts.md); only the
-- workflow changes it (src/store/sqlite_nrm.c), and case updates keep the
-- stored value (sqlite_sql.c, SQ_PERSON_UPDATE). Everything here belongs to
-- one person and dies with it. Each row records who (actor, agency) and when
-- (at, RFC 3339 UTC); `date` columns are the effective dates people give
-- (ISO 8601, maybe partial). Codes are those of data/codes and
-- data/indicators; free text is personal data (CT_PD_FREE_TEXT).

-- The person's current NRM situation beside the stage.
CREATE TABLE nrm_person (
    person_id INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    cooperation TEXT NOT NULL DEFAULT 'unknown'
        CHECK (cooperation IN ('unknown', 'cooperating', 'not_cooperating')),
    rrp_start TEXT,          -- recovery and reflection period (CoE Convention art. 13)
    rrp_end TEXT,
    rrp_days INTEGER,
    non_punishment INTEGER NOT NULL DEFAULT 0,
    np_offence TEXT,
    np_reason TEXT,
    np_at TEXT,
    np_actor TEXT,
    np_agency TEXT,
    updated_at TEXT NOT NULL
);

-- One row per workflow action: who, when, why (never updated).
CREATE TABLE nrm_transition (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    at TEXT NOT NULL, actor TEXT NOT NULL, agency TEXT, updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    action TEXT NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    date TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX nrm_transition_person ON nrm_transition(person_id, id);

-- Indicator checklists filled in for a person (items present, ';'-joined).
CREATE TABLE nrm_screening (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    at TEXT NOT NULL, actor TEXT NOT NULL, agency TEXT, updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    checklist TEXT NOT NULL,
    list TEXT NOT NULL,
    items TEXT,
    note TEXT
);
CREATE INDEX nrm_screening_person ON nrm_screening(person_id, id);

-- Referrals to services, with the date of each status reached.
CREATE TABLE nrm_referral (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    at TEXT NOT NULL, actor TEXT NOT NULL, agency TEXT, updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    service TEXT NOT NULL,
    provider TEXT,
    status TEXT NOT NULL,
    offered_on TEXT,
    accepted_on TEXT,
    declined_on TEXT,
    provided_on TEXT,
    ended_on TEXT,
    note TEXT
);
CREATE INDEX nrm_referral_person ON nrm_referral(person_id, id);
CREATE INDEX nrm_referral_status ON nrm_referral(status, service);

-- Consent to share: what (purpose), to whom (an agency or a role), given
-- when, withdrawn when.
CREATE TABLE nrm_consent (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    at TEXT NOT NULL, actor TEXT NOT NULL, agency TEXT, updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    purpose TEXT NOT NULL,
    recipient_type TEXT NOT NULL CHECK (recipient_type IN ('agency', 'role')),
    recipient TEXT NOT NULL,
    given_on TEXT NOT NULL,
    withdrawn_on TEXT,
    withdrawn_at TEXT,
    note TEXT
);
CREATE INDEX nrm_consent_person ON nrm_consent(person_id, id);

-- Child protection steps: guardian appointment, best-interests assessment.
CREATE TABLE nrm_child_measure (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    at TEXT NOT NULL, actor TEXT NOT NULL, agency TEXT, updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    kind TEXT NOT NULL CHECK (kind IN ('guardian', 'best_interests')),
    date TEXT,
    note TEXT
);
CREATE INDEX nrm_child_measure_person ON nrm_child_measure(person_id, id);

-- Counselling and case notes: visible only to the agency that wrote them.
CREATE TABLE nrm_note (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    at TEXT NOT NULL, actor TEXT NOT NULL, agency TEXT, updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    text TEXT NOT NULL
);
CREATE INDEX nrm_note_person ON nrm_note(person_id, agency, id);
