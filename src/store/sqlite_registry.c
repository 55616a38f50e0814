/*
 * sqlite_registry.c - the child registries (store_registry.h) in SQLite:
 * table reg_record (one row per record, any kind), reg_check, reg_flag
 * (migration 005).
 *
 * Columns map to the fields of src/registry/record.c through REG_COLUMNS;
 * a column the record's kind does not use is written as NULL. The SQL text
 * and the binding code expand the same list, so a column cannot be bound in
 * the wrong place. The references (a report's placement, a placement's
 * institution) are row ids in the table and ids (UUIDs) outside.
 */
#include "sqlite_int.h"

#include "core/alloc.h"
#include "core/codes.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

#define REG_COLUMNS(X)                                                                             \
    X(source_id, "source_id")                                                                      \
    X(person_key, "person_key")                                                                    \
    X(given_name, "given_name")                                                                    \
    X(family_name, "family_name")                                                                  \
    X(other_names, "other_names")                                                                  \
    X(sex, "sex")                                                                                  \
    X(date_of_birth, "date_of_birth")                                                              \
    X(age, "age")                                                                                  \
    X(citizenship, "citizenship")                                                                  \
    X(date_last_seen, "date_last_seen")                                                            \
    X(place_last_seen, "place_last_seen")                                                          \
    X(country_last_seen, "country_last_seen")                                                      \
    X(circumstances, "circumstances")                                                              \
    X(circumstances_note, "circumstances_note")                                                    \
    X(reporter, "reporter")                                                                        \
    X(reporter_relation, "reporter_relation")                                                      \
    X(date_reported, "date_reported")                                                              \
    X(status, "status")                                                                            \
    X(date_closed, "date_closed")                                                                  \
    X(placement_type, "placement_type")                                                            \
    X(carer, "carer")                                                                              \
    X(admission_date, "admission_date")                                                            \
    X(exit_date, "exit_date")                                                                      \
    X(exit_reason, "exit_reason")                                                                  \
    X(name, "name")                                                                                \
    X(institution_type, "type")                                                                    \
    X(licence, "licence")                                                                          \
    X(licence_status, "licence_status")                                                            \
    X(capacity, "capacity")                                                                        \
    X(country, "country")                                                                          \
    X(location, "location")

#define NAME(col, path)  #col ", "
#define RNAME(col, path) "r." #col ", "
#define PARAM(col, path) "?, "
#define SET(col, path)   #col " = ?, "
#define PATH(col, path)  path,
#define ONE(col, path)   +1

static const char *const col_paths[] = {REG_COLUMNS(PATH)};
enum { NCOLS = 0 REG_COLUMNS(ONE) };

enum {
    R_INSERT,
    R_UPDATE,
    R_FIND_UUID,
    R_FIND_SOURCE,
    R_FIND_KEY,
    R_GET,
    R_EACH,
    R_REF_UUID,
    R_REF_SOURCE,
    R_LINK_REG,
    R_LINK_VICTIMS,
    R_CHECK_GET,
    R_CHECK_SET,
    R_INST_COUNTS,
    R_FLAG_GET,
    R_FLAG_INSERT,
    R_FLAG_UPDATE,
    R_FLAG_EACH,
    R_COUNTS,
    R_VICTIM_ROWS,
    R__N
};

#define SELECT_RECORD                                                                              \
    "SELECT r.uuid, r.kind, a.name, r.version, r.created_at, r.updated_at, p.uuid, i.uuid, "       \
    "" REG_COLUMNS(RNAME) "r.id FROM reg_record r JOIN agency a ON a.id = r.agency_id "            \
                          "LEFT JOIN reg_record p ON p.id = r.placement_id "                       \
                          "LEFT JOIN reg_record i ON i.id = r.institution_id "
enum { SEL_FIRST_COL = 8 }; /* REG_COLUMNS start here in SELECT_RECORD */

#define FIND_COLS                                                                                  \
    "SELECT id, uuid, kind, agency_id, version, content_hash, created_at FROM reg_record "

/* A victim is linked to a registry record by a confirmed registry_hit; the
 * review queue stores a pair in "type:id" order, so a report comes before
 * its victim ("missing" < "person") and a victim before its placement
 * ("person" < "placement"). A partial date d lies on or before a partial
 * date e when d <= e || '~' ('~' sorts after digits and '-'). */
#define LINKED(other_type, self_side, other_side, date_col)                                        \
    "EXISTS (SELECT 1 FROM review_item ri JOIN reg_record r ON r.uuid = ri." other_side            \
    "_uuid WHERE ri.kind = 'registry_hit' AND ri.status = 'confirmed' AND ri." self_side           \
    "_type = 'person' AND ri." self_side "_uuid = p.uuid AND ri." other_side                       \
    "_type = '" other_type "' AND (c.date_identification IS NULL OR r." date_col                   \
    " IS NULL OR r." date_col " <= c.date_identification || '~'))"

#define VICTIM_ROWS                                                                                \
    "SELECT p.uuid, a.name, p.date_of_birth, p.age, p.age_uncertain, p.age_band, "                 \
    "c.date_recruitment, c.date_identification, c.year, " LINKED(                                  \
        "missing", "b", "a",                                                                       \
        "date_last_seen") ", " LINKED("placement", "a", "b",                                       \
                                      "admission_date") " FROM person p JOIN case_ c ON c.id = "   \
                                                        "p.case_id JOIN agency a ON a.id = "       \
                                                        "p.agency_id "                             \
                                                        "WHERE p.role = 'victim' AND (?1 IS NULL " \
                                                        "OR a.name = ?1) ORDER BY p.id"

static const char *const sql[R__N] = {
    [R_INSERT] = "INSERT INTO reg_record(uuid, kind, agency_id, import_key, content_hash, "
                 "" REG_COLUMNS(NAME) "placement_id, institution_id, created_at, updated_at) "
                                      "VALUES (?, ?, ?, ?, ?, " REG_COLUMNS(PARAM) "?, ?, ?, ?)",
    /* same parameters as R_INSERT, then the row id */
    [R_UPDATE] = "UPDATE reg_record SET uuid = ?1, kind = ?2, agency_id = ?3, "
                 "import_key = coalesce(?4, import_key), content_hash = ?5, " REG_COLUMNS(
                     SET) "placement_id = ?, institution_id = ?, created_at = created_at, "
                          "updated_at = ?, version = version + 1 WHERE id = ?",
    [R_FIND_UUID] = FIND_COLS "WHERE uuid = ?",
    [R_FIND_SOURCE] = FIND_COLS "WHERE kind = ? AND agency_id = ? AND source_id = ?",
    [R_FIND_KEY] = FIND_COLS "WHERE kind = ? AND agency_id = ? AND import_key = ?",
    [R_GET] = SELECT_RECORD "WHERE r.uuid = ?",
    [R_EACH] = SELECT_RECORD "WHERE (?1 IS NULL OR r.kind = ?1) AND (?2 IS NULL OR a.name = ?2) "
                             "AND (?3 IS NULL OR (r.kind = 'missing' AND r.status = ?3) OR "
                             "(r.kind = 'placement' AND coalesce(r.exit_reason, 'active') = ?3)) "
                             "AND (?4 IS NULL OR r.uuid > ?4) AND (?6 IS NULL OR i.uuid = ?6) "
                             /* a partial date: its last day on or after ?7, its first on or
                              * before ?8 */
                             "AND (?7 IS NULL OR coalesce(r.date_last_seen, r.admission_date) || "
                             "substr('-12-31', length(coalesce(r.date_last_seen, "
                             "r.admission_date)) - 3) >= ?7) "
                             "AND (?8 IS NULL OR coalesce(r.date_last_seen, r.admission_date) || "
                             "substr('-01-01', length(coalesce(r.date_last_seen, "
                             "r.admission_date)) - 3) <= ?8) ORDER BY r.uuid LIMIT ?5",
    [R_REF_UUID] = "SELECT id FROM reg_record WHERE uuid = ? AND kind = ?",
    [R_REF_SOURCE] = "SELECT id FROM reg_record WHERE kind = ? AND agency_id = ? AND source_id = ?",
    [R_LINK_REG] = "SELECT r.kind, r.uuid, a.name, r.given_name, r.family_name, r.sex, "
                   "r.date_of_birth, r.age, coalesce(r.date_last_seen, r.admission_date), "
                   "r.citizenship, r.exit_reason, r.exit_date, r.status, k.hash FROM reg_record r "
                   "JOIN agency a ON a.id = r.agency_id LEFT JOIN reg_check k ON "
                   "k.record_type = r.kind AND k.record_uuid = r.uuid "
                   "WHERE r.kind IN ('missing', 'placement') ORDER BY r.id",
    [R_LINK_VICTIMS] = "SELECT 'person', p.uuid, a.name, p.given_name, p.family_name, p.sex, "
                       "p.date_of_birth, p.age, c.date_identification, p.citizenship, NULL, NULL, "
                       "NULL, k.hash FROM person p JOIN case_ c ON c.id = p.case_id "
                       "JOIN agency a ON a.id = p.agency_id LEFT JOIN reg_check k ON "
                       "k.record_type = 'person' AND k.record_uuid = p.uuid "
                       "WHERE p.role = 'victim' ORDER BY p.id",
    [R_CHECK_GET] = "SELECT hash FROM reg_check WHERE record_type = ? AND record_uuid = ?",
    [R_CHECK_SET] = "INSERT INTO reg_check(record_type, record_uuid, hash, checked_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(record_type, record_uuid) DO UPDATE SET "
                    "hash = excluded.hash, checked_at = excluded.checked_at",
    /* ?1 since (or NULL), ?2 ";code;code;" of the exit reasons that count as absconding */
    [R_INST_COUNTS] =
        "SELECT i.uuid, a.name, "
        "(SELECT count(*) FROM reg_record p WHERE p.kind = 'placement' AND "
        "p.institution_id = i.id AND p.exit_reason IS NOT NULL AND "
        "instr(?2, ';' || p.exit_reason || ';') > 0 AND (?1 IS NULL OR p.exit_date >= ?1)), "
        "(SELECT count(DISTINCT CASE WHEN ri.a_type = 'person' THEN ri.a_uuid ELSE ri.b_uuid "
        "END) FROM reg_record p JOIN review_item ri ON ((ri.a_type = 'person' AND "
        "ri.b_type = 'placement' AND ri.b_uuid = p.uuid) OR (ri.b_type = 'person' AND "
        "ri.a_type = 'placement' AND ri.a_uuid = p.uuid)) WHERE p.kind = 'placement' AND "
        "p.institution_id = i.id AND ri.kind = 'registry_hit' AND ri.status = 'confirmed') "
        "FROM reg_record i JOIN agency a ON a.id = i.agency_id WHERE i.kind = 'institution' "
        "ORDER BY i.id",
    [R_FLAG_GET] = "SELECT f.id, f.active FROM reg_flag f JOIN reg_record i ON i.id = "
                   "f.institution_id WHERE i.uuid = ? AND f.rule = ?",
    [R_FLAG_INSERT] = "INSERT INTO reg_flag(institution_id, rule, value, threshold, active, "
                      "raised_at, updated_at) SELECT id, ?2, ?3, ?4, ?5, ?6, ?6 FROM reg_record "
                      "WHERE uuid = ?1 AND kind = 'institution'",
    [R_FLAG_UPDATE] = "UPDATE reg_flag SET value = ?2, threshold = ?3, active = ?4, "
                      "raised_at = CASE WHEN ?4 AND NOT active THEN ?5 ELSE raised_at END, "
                      "updated_at = ?5 WHERE id = ?1",
    [R_FLAG_EACH] = "SELECT i.uuid, a.name, f.rule, f.value, f.threshold, f.active, f.raised_at, "
                    "f.updated_at FROM reg_flag f JOIN reg_record i ON i.id = f.institution_id "
                    "JOIN agency a ON a.id = i.agency_id WHERE (?1 = 0 OR f.active = 1) "
                    "ORDER BY i.uuid, f.rule",
    [R_COUNTS] = "SELECT 'missing_status', r.status, count(*) FROM reg_record r JOIN agency a ON "
                 "a.id = r.agency_id WHERE r.kind = 'missing' AND (?1 IS NULL OR a.name = ?1) "
                 "GROUP BY r.status UNION ALL "
                 "SELECT 'missing_circumstances', r.circumstances, count(*) FROM reg_record r "
                 "JOIN agency a ON a.id = r.agency_id WHERE r.kind = 'missing' AND "
                 "(?1 IS NULL OR a.name = ?1) GROUP BY r.circumstances UNION ALL "
                 "SELECT 'placement_exit', coalesce(r.exit_reason, 'active'), count(*) FROM "
                 "reg_record r JOIN agency a ON a.id = r.agency_id WHERE r.kind = 'placement' "
                 "AND (?1 IS NULL OR a.name = ?1) GROUP BY coalesce(r.exit_reason, 'active') "
                 "UNION ALL SELECT 'placement_type', r.placement_type, count(*) FROM reg_record "
                 "r JOIN agency a ON a.id = r.agency_id WHERE r.kind = 'placement' AND "
                 "(?1 IS NULL OR a.name = ?1) GROUP BY r.placement_type",
    [R_VICTIM_ROWS] = VICTIM_ROWS,
};

/* ---- the statement cache ------------------------------------------------ */

struct sq_cache {
    size_t n;
    sqlite3_stmt *stmt[];
};

sqlite3_stmt *sq_cached(sq_store *s, struct sq_cache **cache, const char *const *text, size_t n,
                        size_t which, ct_err *err)
{
    if (!*cache) {
        *cache = ct_calloc(1, sizeof(struct sq_cache) + n * sizeof(sqlite3_stmt *));
        if (!*cache) {
            ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
            return NULL;
        }
        (*cache)->n = n;
    }
    sqlite3_stmt *st = (*cache)->stmt[which];
    if (!st) {
        if (sqlite3_prepare_v3(s->db, text[which], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL)) {
            sq_error(s, _("preparing a statement"), err);
            return NULL;
        }
        (*cache)->stmt[which] = st;
        return st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

void sq_cache_free(struct sq_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        sqlite3_finalize(c->stmt[i]);
    ct_free(c);
}

static sqlite3_stmt *stmt(sq_store *s, int which, ct_err *err)
{
    return sq_cached(s, &s->reg_cache, sql, R__N, (size_t)which, err);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* ---- put ------------------------------------------------------------------ */

typedef struct existing {
    sqlite3_int64 rowid, agency_id;
    int version;
    char kind[16];
    unsigned char hash[CT_REG_HASH_BYTES];
    char uuid[CT_UUID_TEXT];
    char created_at[32];
} existing;

/* 1 found (ex filled), 0 not found, or an error. */
static int find_by(sq_store *s, int which, const char *kind, sqlite3_int64 agency, const char *key,
                   existing *ex, ct_err *err)
{
    sqlite3_stmt *st = stmt(s, which, err);
    if (!st)
        return CT_EDB;
    if (which == R_FIND_UUID) {
        sq_bind_text(st, 1, key);
    } else {
        sq_bind_text(st, 1, kind);
        sqlite3_bind_int64(st, 2, agency);
        sq_bind_text(st, 3, key);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ex->rowid = sqlite3_column_int64(st, 0);
        snprintf(ex->uuid, sizeof(ex->uuid), "%s", col_text(st, 1));
        snprintf(ex->kind, sizeof(ex->kind), "%s", col_text(st, 2));
        ex->agency_id = sqlite3_column_int64(st, 3);
        ex->version = sqlite3_column_int(st, 4);
        memset(ex->hash, 0, sizeof(ex->hash));
        if (sqlite3_column_bytes(st, 5) == CT_REG_HASH_BYTES)
            memcpy(ex->hash, sqlite3_column_blob(st, 5), CT_REG_HASH_BYTES);
        snprintf(ex->created_at, sizeof(ex->created_at), "%s", col_text(st, 6));
        sqlite3_reset(st);
        return 1;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("looking up a registry record"), err);
}

static int find_existing(sq_store *s, const ct_reg_record *r, sqlite3_int64 agency,
                         const char *import_key, existing *ex, ct_err *err)
{
    const char *kind = ct_reg_kind_name(r->kind);
    int found = 0;
    if (r->id)
        found = find_by(s, R_FIND_UUID, kind, agency, r->id, ex, err);
    if (found == 0 && r->source_id)
        found = find_by(s, R_FIND_SOURCE, kind, agency, r->source_id, ex, err);
    if (found == 0 && import_key)
        found = find_by(s, R_FIND_KEY, kind, agency, import_key, ex, err);
    if (found == 1 && strcmp(ex->kind, kind) != 0)
        return ct_err_set_field(err, CT_ECONFLICT, "id", _("the id belongs to a '%s' record"),
                                ex->kind);
    return found;
}

/* The row id of the record `ref` names (id, else source_id among the
 * agency's records of that kind), or 0 for none. */
static int resolve_ref(sq_store *s, const char *ref, const char *kind, sqlite3_int64 agency,
                       const char *field, sqlite3_int64 *row, ct_err *err)
{
    *row = 0;
    if (!ref)
        return 0;
    int uuid = ct_uuid_valid(ref, strlen(ref));
    sqlite3_stmt *st = stmt(s, uuid ? R_REF_UUID : R_REF_SOURCE, err);
    if (!st)
        return CT_EDB;
    if (uuid) {
        sq_bind_text(st, 1, ref);
        sq_bind_text(st, 2, kind);
    } else {
        sq_bind_text(st, 1, kind);
        sqlite3_bind_int64(st, 2, agency);
        sq_bind_text(st, 3, ref);
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *row = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return sq_error(s, _("looking up a registry record"), err);
    /* ids and references are not personal data; still, name only the field */
    return ct_err_set_field(err, CT_ENOTFOUND, field, _("%s: no such '%s' record"), field, kind);
}

/* Binds what R_INSERT and R_UPDATE share: parameters 1..5, the columns,
 * the references, then timestamps. Returns the next parameter index. */
static int bind_record(sqlite3_stmt *st, const ct_reg_record *r, sqlite3_int64 agency,
                       const char *import_key, const unsigned char *hash, sqlite3_int64 placement,
                       sqlite3_int64 institution)
{
    const ct_field_table *t = ct_reg_table(r->kind);
    sq_bind_text(st, 1, r->id);
    sq_bind_text(st, 2, ct_reg_kind_name(r->kind));
    sqlite3_bind_int64(st, 3, agency);
    sq_bind_text(st, 4, import_key);
    sqlite3_bind_blob(st, 5, hash, CT_REG_HASH_BYTES, SQLITE_TRANSIENT);
    int i = 6;
    for (size_t c = 0; c < NCOLS; c++, i++) {
        const ct_field *f = ct_field_find(t, col_paths[c]);
        if (f)
            sq_bind_field(st, i, r, f);
        else
            sqlite3_bind_null(st, i);
    }
    if (placement)
        sqlite3_bind_int64(st, i, placement);
    i++;
    if (institution)
        sqlite3_bind_int64(st, i, institution);
    return i + 1;
}

typedef struct put_ctx {
    ct_reg_record *r;
    const ct_reg_put_opts *o;
    enum ct_put_outcome *outcome;
} put_ctx;

static int put_in_tx(sq_store *s, void *arg, ct_err *err)
{
    put_ctx *x = arg;
    ct_reg_record *r = x->r;
    const char *import_key = x->o ? x->o->import_key : NULL;
    sqlite3_int64 agency, placement, institution;
    int rc = sq_agency_id(s, r->agency, &agency, err);
    if (!rc)
        rc = resolve_ref(s, r->placement, "placement", agency, "placement", &placement, err);
    if (!rc)
        rc =
            resolve_ref(s, r->institution, "institution", agency, "institution", &institution, err);
    if (rc)
        return rc;
    unsigned char hash[CT_REG_HASH_BYTES];
    if (ct_reg_content_hash(r, hash))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    existing ex;
    int found = find_existing(s, r, agency, import_key, &ex, err);
    if (found < 0)
        return found;
    if (!found && x->o && x->o->no_insert)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such registry record"));
    if (found && x->o && x->o->if_version > 0 && x->o->if_version != ex.version)
        return ct_err_set(err, CT_ESTALE, _("the record changed (now version %d)"), ex.version);
    char now[32];
    ct_store_now(now);
    if (found && memcmp(ex.hash, hash, sizeof(hash)) == 0 && ex.agency_id == agency) {
        *x->outcome = CT_PUT_UNCHANGED;
        r->id = ct_arena_strdup(&r->arena, ex.uuid);
        r->version = ex.version;
        return r->id ? 0 : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    char uuid[CT_UUID_TEXT];
    if (found)
        memcpy(uuid, ex.uuid, sizeof(uuid));
    else if (r->id)
        snprintf(uuid, sizeof(uuid), "%s", r->id);
    else
        ct_uuid_new(uuid);
    r->id = ct_arena_strdup(&r->arena, uuid);
    if (!r->id)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    sqlite3_stmt *st = stmt(s, found ? R_UPDATE : R_INSERT, err);
    if (!st)
        return CT_EDB;
    int i = bind_record(st, r, agency, import_key, hash, placement, institution);
    if (!found)
        sq_bind_text(st, i++, now); /* created_at */
    sq_bind_text(st, i++, now);
    if (found)
        sqlite3_bind_int64(st, i, ex.rowid);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_error(s, found ? _("updating a registry record") : _("adding a registry record"),
                        err);
    *x->outcome = found ? CT_PUT_UPDATED : CT_PUT_INSERTED;
    r->version = found ? ex.version + 1 : 1;
    r->created_at = ct_arena_strdup(&r->arena, found ? ex.created_at : now);
    r->updated_at = ct_arena_strdup(&r->arena, now);
    return r->created_at && r->updated_at ? 0
                                          : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

static int reg_put(ct_store *base, ct_reg_record *r, const ct_reg_put_opts *o,
                   enum ct_put_outcome *outcome, ct_err *err)
{
    if (!r->agency)
        return ct_err_set_field(err, CT_EINVAL, "agency", "%s", _("a record needs an agency"));
    put_ctx x = {r, o, outcome};
    return sq_in_tx((sq_store *)base, put_in_tx, &x, err);
}

/* ---- reading -------------------------------------------------------------- */

static int row_to_record(sqlite3_stmt *st, ct_reg_record *r)
{
    int kind = ct_reg_kind_of(col_text(st, 1));
    if (kind < 0)
        return CT_EDB;
    r->kind = (enum ct_reg_kind)kind;
    ct_arena *a = &r->arena;
    r->id = ct_arena_strdup(a, col_text(st, 0));
    r->agency = ct_arena_strdup(a, col_text(st, 2));
    r->version = sqlite3_column_int(st, 3);
    r->created_at = ct_arena_strdup(a, col_text(st, 4));
    r->updated_at = ct_arena_strdup(a, col_text(st, 5));
    if (!r->id || !r->agency || !r->created_at || !r->updated_at)
        return CT_ENOMEM;
    if (col_text(st, 6) && !(r->placement = ct_arena_strdup(a, col_text(st, 6))))
        return CT_ENOMEM;
    if (col_text(st, 7) && !(r->institution = ct_arena_strdup(a, col_text(st, 7))))
        return CT_ENOMEM;
    const ct_field_table *t = ct_reg_table(r->kind);
    for (size_t c = 0; c < NCOLS; c++) {
        const ct_field *f = ct_field_find(t, col_paths[c]);
        int rc = f ? sq_read_field(a, r, f, st, SEL_FIRST_COL + (int)c) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

static int read_error(sq_store *s, int rc, ct_err *err)
{
    if (rc == CT_ENOMEM)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (rc == CT_EDB)
        return ct_err_set(err, CT_EDB, "%s", _("a registry record in the database is damaged"));
    return sq_error(s, _("reading a registry record"), err);
}

static int reg_get(ct_store *base, const char *id, ct_reg_record *out, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, R_GET, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such registry record"));
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return sq_error(s, _("reading a registry record"), err);
    }
    ct_reg_record_reset(out);
    int r = row_to_record(st, out);
    sqlite3_reset(st);
    return r ? read_error(s, r, err) : 0;
}

static int reg_each(ct_store *base, const ct_reg_filter *f, int (*cb)(ct_reg_record *, void *),
                    void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, R_EACH, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, f && f->kind >= 0 ? ct_reg_kind_name((enum ct_reg_kind)f->kind) : NULL);
    sq_bind_text(st, 2, f ? f->agency : NULL);
    sq_bind_text(st, 3, f ? f->status : NULL);
    sq_bind_text(st, 4, f ? f->after_id : NULL);
    sqlite3_bind_int64(st, 5, f && f->limit > 0 ? f->limit : -1);
    sq_bind_text(st, 6, f ? f->institution : NULL);
    sq_bind_text(st, 7, f ? f->date_from : NULL);
    sq_bind_text(st, 8, f ? f->date_to : NULL);
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_MISSING);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_reg_record_reset(&r);
        int e = row_to_record(st, &r);
        if (e) {
            ret = read_error(s, e, err);
            break;
        }
        if ((ret = cb(&r, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("listing registry records"), err);
    sqlite3_reset(st);
    ct_reg_record_release(&r);
    return ret;
}

/* ---- cross-check inputs --------------------------------------------------- */

static int link_pass(sq_store *s, int which, int (*cb)(const ct_reg_link_row *, void *), void *arg,
                     ct_err *err)
{
    sqlite3_stmt *st = stmt(s, which, err);
    if (!st)
        return CT_EDB;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_reg_link_row row = {
            col_text(st, 0),
            col_text(st, 1),
            col_text(st, 2),
            col_text(st, 3),
            col_text(st, 4),
            col_text(st, 5),
            col_text(st, 6),
            sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 7),
            col_text(st, 8),
            col_text(st, 9),
            col_text(st, 10),
            col_text(st, 11),
            col_text(st, 12),
            sqlite3_column_bytes(st, 13) == CT_REG_HASH_BYTES ? sqlite3_column_blob(st, 13) : NULL,
        };
        if ((ret = cb(&row, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("reading records to cross-check"), err);
    sqlite3_reset(st);
    return ret;
}

static int reg_link_rows(ct_store *base, int (*cb)(const ct_reg_link_row *, void *), void *arg,
                         ct_err *err)
{
    sq_store *s = (sq_store *)base;
    int r = link_pass(s, R_LINK_REG, cb, arg, err);
    return r ? r : link_pass(s, R_LINK_VICTIMS, cb, arg, err);
}

static int reg_check_get(ct_store *base, const char *type, const char *id,
                         unsigned char out[CT_REG_HASH_BYTES], ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, R_CHECK_GET, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, type);
    sq_bind_text(st, 2, id);
    int rc = sqlite3_step(st);
    int r = CT_ENOTFOUND;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == CT_REG_HASH_BYTES) {
        memcpy(out, sqlite3_column_blob(st, 0), CT_REG_HASH_BYTES);
        r = 0;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        r = sq_error(s, _("reading the cross-check state"), err);
    }
    sqlite3_reset(st);
    return r;
}

static int reg_check_set(ct_store *base, const char *type, const char *id,
                         const unsigned char hash[CT_REG_HASH_BYTES], ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, R_CHECK_SET, err);
    if (!st)
        return CT_EDB;
    char now[32];
    ct_store_now(now);
    sq_bind_text(st, 1, type);
    sq_bind_text(st, 2, id);
    sqlite3_bind_blob(st, 3, hash, CT_REG_HASH_BYTES, SQLITE_TRANSIENT);
    sq_bind_text(st, 4, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_error(s, _("writing the cross-check state"), err);
}

/* ---- institution flags ------------------------------------------------------ */

/* ";absconded;" from the exit reasons whose attribute absconded is 1
 * (data/codes/placement_exit_reasons.tsv). */
static void absconding_codes(char *out, size_t n)
{
    const ct_code_list *l = ct_codes_list("placement_exit_reasons");
    size_t used = (size_t)snprintf(out, n, ";");
    for (size_t i = 0; l && i < ct_code_list_size(l) && used < n; i++) {
        const ct_code *c = ct_code_list_at(l, i);
        const char *a = ct_code_attr(c, "absconded");
        if (a && strcmp(a, "1") == 0)
            used += (size_t)snprintf(out + used, n - used, "%s;", ct_code_id(c));
    }
}

static int reg_inst_counts(ct_store *base, const char *since,
                           int (*cb)(const ct_reg_inst_counts *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, R_INST_COUNTS, err);
    if (!st)
        return CT_EDB;
    char codes[256];
    absconding_codes(codes, sizeof(codes));
    sq_bind_text(st, 1, since);
    sqlite3_bind_text(st, 2, codes, -1, SQLITE_TRANSIENT);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_reg_inst_counts c = {col_text(st, 0), col_text(st, 1), sqlite3_column_int64(st, 2),
                                sqlite3_column_int64(st, 3)};
        if ((ret = cb(&c, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("counting per institution"), err);
    sqlite3_reset(st);
    return ret;
}

typedef struct flag_args {
    const char *institution, *rule;
    long value, threshold;
    int active, *raised;
} flag_args;

static int flag_set_tx(sq_store *s, void *arg, ct_err *err)
{
    flag_args *fa = arg;
    sqlite3_stmt *st = stmt(s, R_FLAG_GET, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, fa->institution);
    sq_bind_text(st, 2, fa->rule);
    int rc = sqlite3_step(st);
    sqlite3_int64 id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    int was_active = rc == SQLITE_ROW && sqlite3_column_int(st, 1);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_error(s, _("reading an institution flag"), err);
    *fa->raised = fa->active && !was_active;
    if (!id && !fa->active)
        return 0; /* nothing to remember */
    char now[32];
    ct_store_now(now);
    st = stmt(s, id ? R_FLAG_UPDATE : R_FLAG_INSERT, err);
    if (!st)
        return CT_EDB;
    if (id) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, fa->value);
        sqlite3_bind_int64(st, 3, fa->threshold);
        sqlite3_bind_int(st, 4, fa->active);
        sq_bind_text(st, 5, now);
    } else {
        sq_bind_text(st, 1, fa->institution);
        sq_bind_text(st, 2, fa->rule);
        sqlite3_bind_int64(st, 3, fa->value);
        sqlite3_bind_int64(st, 4, fa->threshold);
        sqlite3_bind_int(st, 5, fa->active);
        sq_bind_text(st, 6, now);
    }
    rc = sqlite3_step(st);
    int changes = sqlite3_changes(s->db);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_error(s, _("writing an institution flag"), err);
    if (!changes)
        return ct_err_set(err, CT_ENOTFOUND, "%s", _("no such institution"));
    return 0;
}

static int reg_flag_set(ct_store *base, const char *institution, const char *rule, long value,
                        long threshold, int active, int *raised, ct_err *err)
{
    int ignored;
    flag_args fa = {institution, rule, value, threshold, active, raised ? raised : &ignored};
    return sq_in_tx((sq_store *)base, flag_set_tx, &fa, err);
}

static void copy_text(char *out, size_t n, sqlite3_stmt *st, int i)
{
    const char *v = col_text(st, i);
    snprintf(out, n, "%s", v ? v : "");
}

static int reg_flag_each(ct_store *base, int active_only, int (*cb)(const ct_reg_flag *, void *),
                         void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, R_FLAG_EACH, err);
    if (!st)
        return CT_EDB;
    sqlite3_bind_int(st, 1, active_only != 0);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_reg_flag f;
        copy_text(f.institution, sizeof(f.institution), st, 0);
        copy_text(f.agency, sizeof(f.agency), st, 1);
        copy_text(f.rule, sizeof(f.rule), st, 2);
        f.value = (long)sqlite3_column_int64(st, 3);
        f.threshold = (long)sqlite3_column_int64(st, 4);
        f.active = sqlite3_column_int(st, 5);
        copy_text(f.raised_at, sizeof(f.raised_at), st, 6);
        copy_text(f.updated_at, sizeof(f.updated_at), st, 7);
        if ((ret = cb(&f, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("listing institution flags"), err);
    sqlite3_reset(st);
    return ret;
}

/* ---- statistics --------------------------------------------------------------- */

static int reg_counts(ct_store *base, const char *agency,
                      int (*cb)(const char *, const char *, long, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, R_COUNTS, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, agency);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((ret = cb(col_text(st, 0), col_text(st, 1), (long)sqlite3_column_int64(st, 2), arg)))
            break;
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("counting registry records"), err);
    sqlite3_reset(st);
    return ret;
}

static int reg_victim_rows(ct_store *base, const char *agency,
                           int (*cb)(const ct_reg_victim_row *, void *), void *arg, ct_err *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = stmt(s, R_VICTIM_ROWS, err);
    if (!st)
        return CT_EDB;
    sq_bind_text(st, 1, agency);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ct_reg_victim_row row = {
            col_text(st, 0),
            col_text(st, 1),
            col_text(st, 2),
            col_text(st, 5),
            col_text(st, 6),
            col_text(st, 7),
            sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3),
            sqlite3_column_int(st, 4),
            sqlite3_column_int(st, 8),
            sqlite3_column_int(st, 9),
            sqlite3_column_int(st, 10),
        };
        if ((ret = cb(&row, arg)))
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_error(s, _("reading victims"), err);
    sqlite3_reset(st);
    return ret;
}

const ct_store_reg_ops sq_reg_ops = {
    reg_put,         reg_get,      reg_each,      reg_link_rows, reg_check_get,   reg_check_set,
    reg_inst_counts, reg_flag_set, reg_flag_each, reg_counts,    reg_victim_rows,
};
