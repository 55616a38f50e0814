/* sqlite_sql.c - the SQL text of every statement of the SQLite backend.
 * Only constants: nothing from input is ever spliced into SQL. */
#include "sqlite_cols.h"
#include "sqlite_int.h"

#define NAME(col, path)  #col ", "
#define PARAM(col, path) "?, "
#define SET(col, path)   #col " = ?, "

#define CASE_NAMES   SQ_CASE_COLUMNS(NAME)
#define PERSON_NAMES SQ_PERSON_COLUMNS(NAME)

const char *const sq_sql[SQ__N] = {
    [SQ_META_GET] = "SELECT value FROM meta WHERE key = ?",
    [SQ_META_SET] = "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [SQ_AGENCY_INSERT] = "INSERT INTO agency(uuid, name, type, country, created_at, updated_at, "
                         "created_by_agency) VALUES (?, ?, ?, ?, ?, ?, "
                         "(SELECT id FROM agency WHERE name = ?))",
    [SQ_AGENCY_BY_NAME] =
        "SELECT id, uuid, name, type, country, created_at FROM agency WHERE name = ?",
    [SQ_AGENCY_BY_ID] =
        "SELECT id, uuid, name, type, country, created_at FROM agency WHERE uuid = ?",
    [SQ_AGENCY_ALL] = "SELECT id, uuid, name, type, country, created_at FROM agency ORDER BY name",

    /* ?1 uuid, ?2 agency_id, ?3 import_key, ?4 content_hash, then the
     * columns, then year, created_at, updated_at */
    [SQ_CASE_INSERT] =
        "INSERT INTO case_(uuid, agency_id, import_key, content_hash, " CASE_NAMES
        "year, created_at, updated_at) VALUES (?, ?, ?, ?, " SQ_CASE_COLUMNS(PARAM) "?, ?, ?)",
    /* ?1 uuid (unused), ?2 agency_id (unused), ?3 import_key, ?4 content_hash, columns,
     * year, created_at (unused), updated_at, then the row id */
    [SQ_CASE_UPDATE] = "UPDATE case_ SET uuid = uuid, agency_id = agency_id, import_key = "
                       "coalesce(?3, import_key), content_hash = ?4, " SQ_CASE_COLUMNS(
                           SET) "year = ?, created_at = created_at, updated_at = ?, "
                                "version = version + 1 WHERE id = ?",
    [SQ_CASE_FIND_UUID] = "SELECT id, uuid, agency_id, version, content_hash, created_at, "
                          "updated_at FROM case_ WHERE uuid = ?",
    [SQ_CASE_FIND_SOURCE] = "SELECT id, uuid, agency_id, version, content_hash, created_at, "
                            "updated_at FROM case_ WHERE agency_id = ? AND source_id = ?",
    [SQ_CASE_FIND_KEY] = "SELECT id, uuid, agency_id, version, content_hash, created_at, "
                         "updated_at FROM case_ WHERE agency_id = ? AND import_key = ?",
    [SQ_CASE_SELECT_UUID] = "SELECT c.id, c.uuid, a.name, c.version, c.created_at, c.updated_at, "
                            "" CASE_NAMES "c.year FROM case_ c JOIN agency a ON a.id = c.agency_id "
                            "WHERE c.uuid = ?",
    [SQ_CASE_DELETE] = "DELETE FROM case_ WHERE uuid = ?",

    /* ?1 uuid, ?2 case_id, ?3 agency_id, ?4 ord, columns, created_at, updated_at */
    [SQ_PERSON_INSERT] =
        "INSERT INTO person(uuid, case_id, agency_id, ord, " PERSON_NAMES
        "created_at, updated_at) VALUES (?, ?, ?, ?, " SQ_PERSON_COLUMNS(PARAM) "?, ?)",
    /* same parameters; the row id last */
    [SQ_PERSON_UPDATE] = "UPDATE person SET uuid = ?1, case_id = ?2, agency_id = ?3, ord = ?4, "
                         "" SQ_PERSON_COLUMNS(SET) "created_at = created_at, updated_at = ?, "
                                                   "version = version + 1 WHERE id = ?",
    [SQ_PERSON_OF_CASE] = "SELECT id, uuid, case_id, version, " PERSON_NAMES
                          "ord FROM person WHERE case_id = ? ORDER BY ord",
    [SQ_PERSON_IDS_OF_CASE] =
        "SELECT id, uuid, ord, nrm_stage FROM person WHERE case_id = ? ORDER BY ord",
    [SQ_PERSON_DELETE] = "DELETE FROM person WHERE id = ?",
    [SQ_PROCEEDING_INSERT] = "INSERT INTO proceeding(uuid, person_id, ord, kind, date, authority, "
                             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_PROCEEDING_DELETE_OF_PERSON] = "DELETE FROM proceeding WHERE person_id = ?",
    [SQ_PROCEEDING_OF_CASE] =
        "SELECT p.person_id, p.uuid, p.kind, p.date, p.authority FROM proceeding p "
        "JOIN person s ON s.id = p.person_id WHERE s.case_id = ? ORDER BY p.person_id, p.ord",

    [SQ_AUDIT_LAST] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1",
    [SQ_AUDIT_INSERT] = "INSERT INTO audit(at, actor, agency, action, record_type, record_id, "
                        "fields, reason, request_id, detail, hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [SQ_AUDIT_ALL] = "SELECT id, at, actor, agency, action, record_type, record_id, fields, "
                     "reason, request_id, detail, hash FROM audit ORDER BY id",
    [SQ_COUNT] = "SELECT (SELECT count(*) FROM case_), "
                 "(SELECT count(*) FROM person WHERE role = 'victim'), "
                 "(SELECT count(*) FROM person WHERE role = 'suspect')",
};
