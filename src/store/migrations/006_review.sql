-- ctip schema, version 6: the review queue (contracts.md "One review
-- queue", docs/review.md): candidate matches of every kind
-- (duplicate_person from record linkage, registry_hit from the registry
-- cross-checks), the two records by type and id, the evidence, and every
-- reviewer's decision. A confirmed item is the link between its records.

CREATE TABLE review_item (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    -- the two records, in a canonical order (a_type:a_uuid < b_type:b_uuid)
    a_type TEXT NOT NULL,
    a_uuid TEXT NOT NULL,
    a_agency_id INTEGER REFERENCES agency(id),
    b_type TEXT NOT NULL,
    b_uuid TEXT NOT NULL,
    b_agency_id INTEGER REFERENCES agency(id),
    probability REAL,
    weight REAL,
    evidence TEXT, -- the linkage explanation "field:level:weight;..."
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
    confirms INTEGER NOT NULL DEFAULT 0, -- active decisions of distinct reviewers
    rejects INTEGER NOT NULL DEFAULT 0,
    decided_by TEXT, -- who made the status what it is, and when
    decided_at TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, a_type, a_uuid, b_type, b_uuid)
);
CREATE INDEX review_item_status ON review_item(kind, status);
CREATE INDEX review_item_a ON review_item(a_type, a_uuid);
CREATE INDEX review_item_b ON review_item(b_type, b_uuid);

-- Every decision, never updated or deleted: a reviewer's newer decision or
-- undo supersedes their earlier one (src/review/review.c says how the
-- status follows from them).
CREATE TABLE review_decision (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES review_item(id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('confirm', 'reject', 'undo')),
    reviewer TEXT NOT NULL,
    agency TEXT,
    at TEXT NOT NULL,
    reason TEXT,
    status_after TEXT NOT NULL
);
CREATE INDEX review_decision_item ON review_decision(item_id, id);
CREATE TRIGGER review_decision_no_update BEFORE UPDATE ON review_decision
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
