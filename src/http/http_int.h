/*
 * http_int.h - the server's private types: the request (ct_req), the
 * route table row, the server context, and the helpers handlers use.
 *
 * Lifecycle of a ct_req (invariants):
 *  1. created when a request line arrives (server.c) or by ct_http_inject;
 *     everything it points to lives in its arena or is released by its
 *     cleanup list, in one call (ct_req_free) when the response was sent;
 *  2. a handler runs at most once, after every check of the route's row
 *     passed (dispatch.c); it replies through ct_req_reply_* and returns
 *     0, or returns a CT_E* code with err set and the dispatcher replies;
 *  3. the writer lock (srv->write_lock) is held exactly while a write
 *     transaction is open (ct_req_begin .. ct_req_commit/rollback); the
 *     dispatcher rolls back what a handler left open.
 */
#ifndef CT_HTTP_HTTP_INT_H
#define CT_HTTP_HTTP_INT_H

#include "http.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/problems.h"
#include "store/store.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

typedef struct ct_req ct_req;

/* ---- the routes table (routes.c) ---------------------------------------- */

enum ct_route_flags {
    CT_ROUTE_PUBLIC = 1 << 0,   /* no authentication (login) */
    CT_ROUTE_JSON = 1 << 1,     /* the body is a JSON object (Content-Type application/json) */
    CT_ROUTE_SECRET = 1 << 2,   /* the body holds a password: sodium memory, wiped */
    CT_ROUTE_IF_MATCH = 1 << 3, /* If-Match with the record's version is required */
    CT_ROUTE_REASON = 1 << 4,   /* a reason is required (X-Reason header or "reason" member) */
    CT_ROUTE_CSV = 1 << 5,      /* with JSON: the body may also be text/csv (kept raw, r->json
                                 * NULL) */
};

typedef struct ct_route {
    const char *method;
    const char *pattern; /* "/api/v1/cases/{id}": {id} is a UUID, {name} any segment */
    int (*handler)(ct_req *r, ct_err *err);
    enum ct_perm perm;
    size_t max_body; /* bytes; 0: the request takes no body */
    unsigned flags;  /* enum ct_route_flags */
} ct_route;

extern const ct_route ct_routes[];
extern const size_t ct_routes_count;

/* ---- the server context ---------------------------------------------------- */

typedef struct ct_limiter ct_limiter;
typedef struct ct_auditq ct_auditq;
typedef struct ct_auditq_item ct_auditq_item;

struct ct_http_server {
    ct_http_opts opts; /* strings below are owned copies */
    char *db_path, *listen;
    struct MHD_Daemon *daemon;
    unsigned port;
    int tls;
    char *tls_cert_pem;
    char *tls_key_pem; /* sodium memory, wiped once the daemon loaded it */
    /* one store per worker thread, closed at the end */
    pthread_key_t store_key;
    pthread_mutex_t stores_lock;
    ct_store **stores;
    size_t nstores, cap_stores;
    /* one writer at a time inside this process: SQLite allows one anyway,
     * and waiting here is fairer and faster than its busy handler */
    pthread_mutex_t write_lock;
    /* at most two Argon2id verifications at once (64 MiB each) */
    pthread_mutex_t pw_lock;
    pthread_cond_t pw_cond;
    int pw_running;
    ct_auditq *auditq;  /* group commit of read audits (auditq.c) */
    ct_limiter *rate;   /* requests per client */
    ct_limiter *logins; /* failed logins per client and per user name */
    atomic_long inflight;
    atomic_int stopping;
};

/* The calling thread's store for srv (opened on first use); NULL with err. */
ct_store *ct_http_thread_store(ct_http_server *srv, ct_err *err);

/* ---- the request -------------------------------------------------------------- */

#define CT_REQ_MAX_PARAMS  4
#define CT_REQ_MAX_HEADERS 10

typedef struct ct_req_cleanup {
    void (*fn)(void *);
    void *p;
    struct ct_req_cleanup *next;
} ct_req_cleanup;

typedef struct ct_query_arg {
    const char *name, *value; /* percent-decoded, in the arena */
} ct_query_arg;

enum ct_audit_state {
    CT_AUDIT_NONE,
    CT_AUDIT_PENDING, /* the reply is ready; its audit entries are not committed yet */
    CT_AUDIT_QUEUED,  /* handed to the audit writer; the connection is suspended */
};

struct ct_req {
    ct_http_server *srv;
    ct_arena arena;
    ct_store *store;
    char id[37]; /* request id: UUIDv7, echoed in X-Request-Id and the audit trail */
    const char *method;
    char *target; /* as received: path and query */
    char *path;   /* the path part (not decoded) */
    const char *query;
    ct_query_arg *args;
    size_t nargs;
    /* headers come from the connection (MHD) or from an injected list */
    const char *(*header_fn)(ct_req *r, const char *name);
    void *conn;
    const char *const *inject_headers;
    char client[64];
    /* routing */
    const ct_route *route;
    const char *params[CT_REQ_MAX_PARAMS];
    int early_status; /* a reply queued before the body arrived */
    /* body */
    char *body;
    size_t body_len, body_cap;
    int body_too_big, body_secret;
    json_t *json;
    /* who */
    int authed, via_cookie, role;
    ct_user user;
    ct_session session;
    /* response */
    int status;
    char *resp; /* malloc'd (libmicrohttpd frees it) */
    size_t resp_len;
    struct {
        const char *name, *value;
    } hdr[CT_REQ_MAX_HEADERS];
    int nhdr;
    json_t *problems; /* details of a CT_EINVAL reply */
    json_t *current;  /* the current record of a CT_ESTALE reply */
    ct_req_cleanup *cleanups;
    int in_tx;   /* a write transaction (with the writer lock) is open */
    int in_read; /* a read transaction is open */
    /* audit entries of reads, committed (auditq.c) before the reply leaves */
    ct_audit_entry *audits;
    size_t naudits, cap_audits;
    int audit_state; /* enum ct_audit_state */
    int audit_rc;
    ct_err audit_err;
    double t0;
    char lang[8];
};

ct_req *ct_req_new(ct_http_server *srv);
void ct_req_free(ct_req *r);
/* Runs fn(p) when the request is freed (jansson roots, secret buffers). */
int ct_req_defer(ct_req *r, void (*fn)(void *), void *p);
/* Keeps a jansson reference until the request ends; returns v. */
json_t *ct_req_keep(ct_req *r, json_t *v);

const char *ct_req_header(ct_req *r, const char *name);
/* The i-th {param} of the route's pattern, decoded. */
const char *ct_req_param(ct_req *r, int i);
/* A query parameter (decoded), or NULL. ct_req_query_check refuses
 * parameters outside allowed (NULL-terminated) and repeated ones. */
const char *ct_req_query(ct_req *r, const char *name);
int ct_req_query_check(ct_req *r, const char *const *allowed, ct_err *err);
/* Query helpers that validate: limit (1..max, default def), booleans, UUID cursors. */
int ct_req_query_limit(ct_req *r, long def, long max, long *out, ct_err *err);
int ct_req_query_bool(ct_req *r, const char *name, int *out, ct_err *err); /* -1 when absent */
int ct_req_query_uuid(ct_req *r, const char *name, const char **out, ct_err *err);
int ct_req_query_code(ct_req *r, const char *name, const char *list, const char **out, ct_err *err);
/* The reason of a change: X-Reason header (percent-encoded UTF-8) or the
 * body's "reason" member; NULL when none. Length-checked by the dispatcher. */
const char *ct_req_reason(ct_req *r);
/* Checks the reason (present when required, at most 500 bytes of UTF-8
 * text without control characters). */
int ct_req_check_reason(ct_req *r, int required, ct_err *err);
/* Percent-decodes s[0..n) into the arena; NULL for a bad escape, an
 * escaped NUL or bytes that are not UTF-8. */
char *ct_http_decode(ct_arena *a, const char *s, size_t n, int plus_is_space);
/* If-Match as a version number; 0 when absent, -1 when malformed. */
int ct_req_if_match(ct_req *r);

/* Small JSON bodies, described as data: unknown members, wrong types and
 * missing required members are refused naming the field. */
enum ct_body_type { CT_BODY_STRING, CT_BODY_BOOL, CT_BODY_INT };
typedef struct ct_body_field {
    const char *name;
    enum ct_body_type type;
    int required;
    size_t max; /* strings: bytes */
} ct_body_field;
int ct_req_body_fields(ct_req *r, const ct_body_field *spec, size_t n, const json_t **out,
                       ct_err *err);

/* Replies. They take ownership of v. */
int ct_req_reply_json(ct_req *r, int status, json_t *v);
int ct_req_reply_empty(ct_req *r, int status);
void ct_req_error_reply(ct_req *r, const ct_err *err);
int ct_req_set_header(ct_req *r, const char *name, const char *value);
int ct_req_set_etag(ct_req *r, int version);
/* Records problems for a CT_EINVAL reply; returns CT_EINVAL with err set. */
int ct_req_fail_problems(ct_req *r, const ct_problems *pr, ct_err *err);

/* Write transactions (the writer lock is held in between). */
int ct_req_begin(ct_req *r, ct_err *err);
int ct_req_commit(ct_req *r, ct_err *err);
void ct_req_rollback(ct_req *r);
/* Ends the read transaction dispatch opens for each request (no-op when
 * none is open); ct_req_begin calls it. */
void ct_req_end_read(ct_req *r);
/* Appends an audit entry (actor and request id already set). */
int ct_req_audit(ct_req *r, const char *action, const char *type, const char *id,
                 const char *fields, const char *detail, ct_err *err);

/* today, for validating dates of input */
ct_date ct_req_today(void);
double ct_http_now(void);

/* ---- dispatch.c ---------------------------------------------------------------- */

/* Matches the route of r (method and target); on failure the early reply
 * (404, 405, 413, 429) is set in r and 1 returned. */
int ct_http_route(ct_req *r);
/* Runs the checks of the route's row, then its handler; always replies.
 * When the reply carries reads to audit, r->audit_state is PENDING: the
 * caller commits them (ct_auditq) and calls ct_http_audit_finish before
 * sending anything. */
void ct_http_dispatch(ct_req *r);
/* Replaces the reply with an error when the audit of its reads failed. */
void ct_http_audit_finish(ct_req *r);

/* ---- auth.c --------------------------------------------------------------------- */

/* Finds the caller (Bearer token or session cookie); 0 or CT_EAUTH. */
int ct_auth_authenticate(ct_req *r, ct_err *err);
/* Whether the request carries a session cookie; hash receives its hash. */
int ct_auth_session_cookie(ct_req *r, unsigned char hash[CT_SECRET_HASH_BYTES]);
/* For cookie-authenticated writes: X-CSRF-Token must match the session. */
int ct_auth_check_csrf(ct_req *r, ct_err *err);
/* Checks a password against a stored hash, at most two at a time. */
int ct_auth_verify_password(ct_http_server *srv, const char *hash, const char *pw);

/* ---- limits.c ------------------------------------------------------------------- */

ct_limiter *ct_limiter_new(size_t slots);
void ct_limiter_free(ct_limiter *l);
/* Token bucket: 0 when a request may pass, else the seconds to wait. */
double ct_limiter_take(ct_limiter *l, const char *key, double rate, double burst, double now);
/* Failed logins: seconds the key stays blocked (0: not blocked). */
double ct_limiter_blocked(ct_limiter *l, const char *key, unsigned free_failures, double now);
void ct_limiter_fail(ct_limiter *l, const char *key, double now);
void ct_limiter_clear(ct_limiter *l, const char *key);

/* ---- auditq.c: audit entries of reads, committed in batches ---------------- */

int ct_auditq_start(ct_http_server *srv, ct_auditq **out, ct_err *err);
/* Waits for the writer to finish what was queued, then stops it. NULL ok. */
void ct_auditq_stop(ct_auditq *q);
/* Appends n entries as actor and waits until they are committed. */
int ct_auditq_append(ct_auditq *q, const ct_actor *actor, const ct_audit_entry *e, size_t n,
                     ct_err *err);
/* Queues r->audits without waiting; once committed (or failed: r->audit_rc)
 * the writer calls done_fn(r) from its own thread. */
int ct_auditq_submit(ct_auditq *q, ct_req *r, void (*done_fn)(ct_req *r), ct_err *err);

/* ---- log.c ------------------------------------------------------------------------ */

void ct_http_log_request(ct_req *r);
void ct_http_log_event(ct_http_server *srv, const char *event, const char *detail);

/* ---- view.c ----------------------------------------------------------------------- */

/* Loads case id as the caller may see it: CT_ENOTFOUND when absent or out
 * of the caller's reach (404, so ids of other agencies' cases do not leak). */
int ct_view_load_case(ct_req *r, const char *id, ct_case *c, enum ct_relation *rel, ct_err *err);
/* The case JSON the caller may see; the personal-data fields included are
 * appended to fields (comma-separated paths) for the audit trail. */
json_t *ct_view_case(ct_req *r, const ct_case *c, enum ct_relation rel, ct_buf *fields,
                     ct_err *err);
json_t *ct_view_person(ct_req *r, const ct_case *c, const ct_person *p, enum ct_relation rel,
                       ct_buf *fields, ct_err *err);
/* The classes hidden from the caller for one person (or the case's own
 * fields when p is NULL). */
unsigned ct_view_hidden(ct_req *r, const ct_case *c, const ct_person *p, enum ct_relation rel);
/* Keeps in `next` the stored values of fields hidden from the caller, and
 * refuses (CT_EPERM) input that sets them. */
int ct_view_merge_hidden(ct_req *r, ct_case *next, const ct_case *stored, enum ct_relation rel,
                         ct_err *err);
/* {"before": {path: value}, "after": {...}} of what differs; the changed
 * paths go to fields. NULL on out of memory. */
json_t *ct_view_diff(const json_t *before, const json_t *after, ct_buf *fields);

/* One audit entry per record read (ids[i] with the personal-data fields
 * fields[i], copied): queued on the request and committed by the audit
 * writer (auditq.c) before the reply leaves. */
int ct_http_audit_reads(ct_req *r, const char *action, const char *type, const char *const *ids,
                        const char *const *fields, size_t n, ct_err *err);
/* Queues one audit entry of a read (its strings copied) like
 * ct_http_audit_reads, when the entry needs its own detail. */
int ct_http_audit_queue(ct_req *r, const ct_audit_entry *e, ct_err *err);
/* Keeps the NRM stages of stored persons an update does not name, refuses
 * changing them (workflow actions do) and refuses unknown person ids. */
int ct_http_keep_stages(ct_req *r, ct_case *next, const ct_case *stored, const json_t *persons,
                        ct_err *err);

/* Persons (h_persons.c): the case holding person pid and the person's
 * index; parsing a whole case as the caller; saving a change of one person
 * (hidden fields kept, audited); 412 with the current person. */
int ct_http_load_person(ct_req *r, const char *pid, ct_case *c, enum ct_relation *rel, size_t *idx,
                        ct_err *err);
int ct_http_parse_case(ct_req *r, const json_t *whole, ct_case *next, ct_err *err);
int ct_http_save_person(ct_req *r, ct_case *next, const ct_case *stored, enum ct_relation rel,
                        const char *action, const char *pid, ct_err *err);
int ct_http_stale_person(ct_req *r, const ct_case *c, size_t i, enum ct_relation rel, int want,
                         ct_err *err);

/* NRM records (h_nrm.c): a person's file as the caller reaches it. */
typedef struct ct_nrm_reach {
    enum ct_relation rel;
    int version;         /* the person's ETag: its case's version */
    const char *case_id; /* in the request's arena */
    const char *owner;   /* the agency that owns the case */
} ct_nrm_reach;
/* Reaches person pid for NRM records of data class klass (CT_DC_ASSISTANCE,
 * CT_DC_COUNSELLING, CT_PD_FREE_TEXT): 404 when the person is out of the
 * caller's reach (ids of other agencies' persons do not leak), 403 when the
 * field rules of src/access hide that class (no consent recorded, not the
 * assisting agency, another agency's case) or, for a write, when the case
 * is neither the caller's agency's nor shared with it. */
int ct_http_nrm_reach(ct_req *r, const char *pid, unsigned klass, int write, ct_nrm_reach *out,
                      ct_err *err);
/* The person's NRM status (ct_nrm_status_to_json) in the request's language. */
json_t *ct_http_nrm_status(ct_req *r, const char *pid, ct_err *err);
/* Audits the read of a person's NRM records (fields: what was read). */
int ct_http_nrm_audit_read(ct_req *r, const char *pid, const char *fields, ct_err *err);
/* Notifies the users of agency (when it is a registered agency other than
 * the caller's) about an NRM record; params as in ct_notify_msg. */
int ct_http_nrm_notify(ct_req *r, const char *agency, const char *kind, const char *type,
                       const char *id, const char *const *params, ct_err *err);

/* The JSON of a user (never its password). */
json_t *ct_http_user_json(const ct_user *u);

/* ---- handlers (one file per resource) ------------------------------------------- */

#define CT_HANDLER(name) int name(ct_req *r, ct_err *err)
CT_HANDLER(h_session_create);
CT_HANDLER(h_session_get);
CT_HANDLER(h_session_delete);
CT_HANDLER(h_cases_list);
CT_HANDLER(h_cases_create);
CT_HANDLER(h_cases_get);
CT_HANDLER(h_cases_update);
CT_HANDLER(h_cases_delete);
CT_HANDLER(h_assessment_get);
CT_HANDLER(h_shares_list);
CT_HANDLER(h_shares_create);
CT_HANDLER(h_shares_delete);
CT_HANDLER(h_persons_list);
CT_HANDLER(h_persons_get);
CT_HANDLER(h_persons_update);
CT_HANDLER(h_proceedings_list);
CT_HANDLER(h_proceedings_get);
CT_HANDLER(h_proceedings_create);
CT_HANDLER(h_agencies_list);
CT_HANDLER(h_agencies_get);
CT_HANDLER(h_agencies_create);
CT_HANDLER(h_users_list);
CT_HANDLER(h_users_get);
CT_HANDLER(h_users_create);
CT_HANDLER(h_users_update);
CT_HANDLER(h_codes_list);
CT_HANDLER(h_codes_get);
CT_HANDLER(h_audit_list);
CT_HANDLER(h_audit_verify);
CT_HANDLER(h_notifications_list);
CT_HANDLER(h_notifications_read);
CT_HANDLER(h_stats_tables);
CT_HANDLER(h_estimate_get);
CT_HANDLER(h_estimate_post);
CT_HANDLER(h_nrm_get);
CT_HANDLER(h_nrm_cooperation);
CT_HANDLER(h_nrm_reflection_get);
CT_HANDLER(h_nrm_reflection_update);
CT_HANDLER(h_checklists_list);
CT_HANDLER(h_checklists_get);
CT_HANDLER(h_transitions_list);
CT_HANDLER(h_transitions_create);
CT_HANDLER(h_screenings_list);
CT_HANDLER(h_screenings_create);
CT_HANDLER(h_screenings_report);
CT_HANDLER(h_referrals_list);
CT_HANDLER(h_referrals_create);
CT_HANDLER(h_referrals_get);
CT_HANDLER(h_referrals_move);
CT_HANDLER(h_consents_list);
CT_HANDLER(h_consents_create);
CT_HANDLER(h_consents_withdraw);
CT_HANDLER(h_child_measures_list);
CT_HANDLER(h_child_measures_create);
CT_HANDLER(h_notes_list);
CT_HANDLER(h_notes_create);
CT_HANDLER(h_non_punishment_get);
CT_HANDLER(h_non_punishment_update);
CT_HANDLER(h_registries_list);
CT_HANDLER(h_registries_create);
CT_HANDLER(h_registries_get);
CT_HANDLER(h_registries_update);
CT_HANDLER(h_stats_registries);
CT_HANDLER(h_review_list);
CT_HANDLER(h_review_get);
CT_HANDLER(h_review_decide);

#endif
