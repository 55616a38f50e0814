/*
 * http.h - ctip's HTTP API server (`ctip serve`): JSON under /api/v1/ on
 * libmicrohttpd (epoll, a pool of worker threads, one ct_store each).
 *
 * The pieces (src/http/):
 *   server.c   libmicrohttpd glue: connections, bodies, limits, shutdown
 *   dispatch.c route matching and the checks every request passes, in
 *              order: route, rate limit, authentication, CSRF, permission,
 *              body size, content type, JSON syntax; then the handler
 *   routes.c   THE table: method, path, handler, permission, body limit, flags
 *   h_*.c      one file per resource, handlers int h_<resource>_<verb>(ct_req *, ct_err *)
 *   req.c      request and response helpers, the per-request arena
 *   auth.c     passwords (Argon2id), sessions, API tokens, CSRF
 *   view.c     what a reader may see of a case (src/access rules), audit fields, diffs
 *   limits.c   per-client rate limit and failed-login throttle
 *   log.c      the access log (JSON lines, no personal data)
 * Field-level access rules live in src/access/access.c, not here.
 *
 * Threads: ct_http_start returns once the server listens; requests run on
 * the pool's threads. ct_http_stop is called from one thread (the one that
 * started it). ct_http_inject may be called from any one thread at a time
 * per server (tests, the fuzzer).
 */
#ifndef CT_HTTP_HTTP_H
#define CT_HTTP_HTTP_H

#include "access/access.h"
#include "core/err.h"

#include <stddef.h>

typedef struct ct_http_server ct_http_server;

typedef struct ct_http_opts {
    const char *db_path;  /* the database each worker opens */
    const char *listen;   /* "127.0.0.1:8080", "[::1]:8080", port 0 = any free port */
    const char *tls_cert; /* PEM files; both or neither */
    const char *tls_key;
    unsigned threads;      /* worker threads; 0: one per CPU */
    double rate;           /* requests per second per client address; 0: no limit */
    double burst;          /* bucket size of the rate limit */
    unsigned timeout;      /* seconds a connection may stay idle */
    size_t header_limit;   /* bytes of request line and headers */
    long session_idle;     /* seconds a session survives without use */
    long session_max;      /* seconds a session lives at most */
    int access_log_fd;     /* JSON lines, one per request; -1: none */
    unsigned login_free;   /* failed logins allowed before throttling */
    double audit_batch_ms; /* read audits are committed together at most this often */
    int pwcost;            /* enum ct_http_pwcost of passwords set through the API */
    /* per-person facts for field rules (consent, assisting agency); the
     * NRM workflow provides them, see access.h */
    ct_access_facts_fn facts;
    void *facts_arg;
} ct_http_opts;

/* Defaults: 127.0.0.1:8080, 1 thread per CPU, 20 requests/s per client
 * (burst 100), 30 s timeout, 16 KiB headers, sessions 30 min idle / 12 h. */
void ct_http_opts_init(ct_http_opts *o);

/* Creates the server (checks the database opens) without listening. */
int ct_http_new(const ct_http_opts *o, ct_http_server **out, ct_err *err);
/* Starts listening; the worker threads serve until ct_http_stop. */
int ct_http_listen(ct_http_server *srv, ct_err *err);
/* The port listened on (useful with port 0). */
unsigned ct_http_port(const ct_http_server *srv);
/* Graceful stop: no new connections; requests in flight finish (up to
 * grace_ms), then every worker's database is closed; frees srv. NULL ok. */
void ct_http_free(ct_http_server *srv, unsigned grace_ms);

/* One request handled in-process, without sockets (tests and fuzzing). */
typedef struct ct_http_inject_req {
    const char *method;
    const char *target;         /* "/api/v1/cases?status=active" */
    const char *const *headers; /* "Name: value" strings, NULL-terminated, or NULL */
    const char *body;
    size_t body_len;
    const char *client; /* client address for limits; NULL: "inject" */
} ct_http_inject_req;

typedef struct ct_http_inject_resp {
    int status;
    char *body; /* ct_free it */
    size_t body_len;
    char *headers; /* "Name: value\n" lines; ct_free it */
} ct_http_inject_resp;

int ct_http_inject(ct_http_server *srv, const ct_http_inject_req *in, ct_http_inject_resp *out);

/* The routes, for `ctip serve --routes` and the spec test: calls cb with
 * each row's method, path pattern and permission name. */
void ct_http_routes_each(void (*cb)(const char *method, const char *pattern, const char *perm,
                                    void *arg),
                         void *arg);

/* ---- credentials (also used by `ctip user add` and `ctip token create`) ---- */

#define CT_HTTP_PWHASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define CT_HTTP_TOKEN_TEXT 49  /* "ctip_" + 43 base64url characters + NUL */

enum ct_http_pwcost { CT_PWCOST_INTERACTIVE, CT_PWCOST_MODERATE, CT_PWCOST_MIN };

/* Argon2id string of a password (n bytes, 10 to 1024). CT_EINVAL when the
 * password is too short or too long, CT_ENOMEM when hashing fails. */
int ct_http_password_hash(const char *pw, size_t n, enum ct_http_pwcost cost,
                          char out[CT_HTTP_PWHASH_MAX], ct_err *err);
/* A new random secret ("ctip_...") and its BLAKE2b-256 hash. */
void ct_http_token_new(char out[CT_HTTP_TOKEN_TEXT], unsigned char hash[32]);
void ct_http_secret_hash(const char *s, size_t n, unsigned char out[32]);

#endif
