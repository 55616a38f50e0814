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

/* ---- server (migration 002) ---- */
#define USER_COLS "u.uuid, u.name, u.role, a.name, u.disabled, u.created_at, u.version "
#define USER_FROM "FROM user_ u JOIN agency a ON a.id = u.agency_id "
    [SQ_USER_INSERT] = "INSERT INTO user_(uuid, name, role, agency_id, password_hash, created_at, "
                       "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    [SQ_USER_BY_NAME] = "SELECT " USER_COLS ", u.password_hash " USER_FROM "WHERE u.name = ?",
    [SQ_USER_BY_UUID] = "SELECT " USER_COLS ", u.password_hash " USER_FROM "WHERE u.uuid = ?",
    [SQ_USER_UPDATE] = "UPDATE user_ SET role = ?1, disabled = ?2, updated_at = ?3, "
                       "version = version + 1 WHERE uuid = ?4 AND (?5 = 0 OR version = ?5)",
    [SQ_USER_ALL] =
        "SELECT " USER_COLS USER_FROM "WHERE (?1 IS NULL OR a.name = ?1) ORDER BY u.name",
    [SQ_TOKEN_INSERT] = "INSERT INTO api_token(uuid, user_id, token_hash, label, created_at) "
                        "VALUES (?1, (SELECT id FROM user_ WHERE uuid = ?2), ?3, ?4, ?5)",
    [SQ_TOKEN_USER] = "SELECT " USER_COLS "FROM api_token t JOIN user_ u ON u.id = t.user_id "
                      "JOIN agency a ON a.id = u.agency_id "
                      "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
    [SQ_SESSION_INSERT] = "INSERT INTO session(token_hash, csrf_hash, user_id, created, last_seen, "
                          "expires) VALUES (?1, ?2, (SELECT id FROM user_ WHERE uuid = ?3), ?4, "
                          "?5, ?6)",
    [SQ_SESSION_GET] = "SELECT " USER_COLS ", s.csrf_hash, s.created, s.last_seen, s.expires "
                       "FROM session s JOIN user_ u ON u.id = s.user_id "
                       "JOIN agency a ON a.id = u.agency_id "
                       "WHERE s.token_hash = ? AND u.disabled = 0",
    [SQ_SESSION_TOUCH] = "UPDATE session SET last_seen = ?2 WHERE token_hash = ?1",
    [SQ_SESSION_DELETE] = "DELETE FROM session WHERE token_hash = ?",
    [SQ_SESSION_PURGE] = "DELETE FROM session WHERE expires <= ?1 OR last_seen <= ?1 - ?2",
    [SQ_SHARE_INSERT] = "INSERT INTO case_share(case_id, agency_id, shared_by, shared_at, reason) "
                        "VALUES ((SELECT id FROM case_ WHERE uuid = ?1), "
                        "(SELECT id FROM agency WHERE name = ?2), ?3, ?4, ?5)",
    [SQ_SHARE_DELETE] = "DELETE FROM case_share WHERE case_id = (SELECT id FROM case_ WHERE uuid "
                        "= ?1) AND agency_id = (SELECT id FROM agency WHERE name = ?2)",
    [SQ_SHARE_OF_CASE] = "SELECT a.name, s.shared_by, s.shared_at, s.reason FROM case_share s "
                         "JOIN agency a ON a.id = s.agency_id WHERE s.case_id = "
                         "(SELECT id FROM case_ WHERE uuid = ?) ORDER BY a.name",
    [SQ_CASE_RELATION] = "SELECT a.name = ?2, EXISTS (SELECT 1 FROM case_share s JOIN agency b "
                         "ON b.id = s.agency_id WHERE s.case_id = c.id AND b.name = ?2) "
                         "FROM case_ c JOIN agency a ON a.id = c.agency_id WHERE c.uuid = ?1",
    [SQ_PERSON_CASE] = "SELECT c.uuid FROM person p JOIN case_ c ON c.id = p.case_id "
                       "WHERE p.uuid = ?",
    [SQ_PROCEEDING_CASE] = "SELECT c.uuid, p.uuid FROM proceeding r JOIN person p ON p.id = "
                           "r.person_id JOIN case_ c ON c.id = p.case_id WHERE r.uuid = ?",
    [SQ_PERSON_LIST] =
        "SELECT c.uuid, p.uuid FROM person p JOIN case_ c ON c.id = p.case_id "
        "WHERE (?1 IS NULL OR p.role = ?1) AND (?2 IS NULL OR p.nrm_stage = ?2) "
        "AND (?3 IS NULL OR c.uuid = ?3) AND (?4 IS NULL OR c.agency_id = "
        "(SELECT id FROM agency WHERE name = ?4) OR c.id IN (SELECT case_id FROM case_share "
        "WHERE agency_id = (SELECT id FROM agency WHERE name = ?4))) "
        "AND (?5 = 0 OR EXISTS (SELECT 1 FROM proceeding r WHERE r.person_id = p.id)) "
        "AND (?6 IS NULL OR p.id > (SELECT id FROM person WHERE uuid = ?6)) "
        "ORDER BY p.id LIMIT ?7",
    [SQ_NOTIFY_INSERT] = "INSERT INTO notification(uuid, user_id, kind, record_type, record_id, "
                         "params, created_at) VALUES (?1, (SELECT id FROM user_ WHERE uuid = ?2), "
                         "?3, ?4, ?5, ?6, ?7)",
    [SQ_NOTIFY_LIST] = "SELECT n.uuid, n.kind, n.record_type, n.record_id, n.params, n.created_at, "
                       "n.read_at FROM notification n WHERE n.user_id = (SELECT id FROM user_ "
                       "WHERE uuid = ?1) AND (?2 = 0 OR n.read_at IS NULL) AND (?3 IS NULL OR "
                       "n.id < (SELECT id FROM notification WHERE uuid = ?3)) "
                       "ORDER BY n.id DESC LIMIT ?4",
    [SQ_NOTIFY_READ] = "UPDATE notification SET read_at = coalesce(read_at, ?3) WHERE uuid = ?2 "
                       "AND user_id = (SELECT id FROM user_ WHERE uuid = ?1)",
    [SQ_AUDIT_LIST] = "SELECT id, at, actor, agency, action, record_type, record_id, fields, "
                      "reason, request_id, detail FROM audit WHERE (?1 IS NULL OR record_id = ?1) "
                      "AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR action = ?3) "
                      "AND (?4 = 0 OR id < ?4) ORDER BY id DESC LIMIT ?5",
};
