/*
 * dispatch.c - from a request to a handler. Every request passes the same
 * checks, in this order, against its row of routes.c (redis checks a
 * command's arity before running it):
 *
 *   1. route      path and method            404 / 405
 *   2. rate       per-client token bucket    429
 *   3. size       Content-Length, body       413 (before the body is read)
 *   4. identity   Bearer token or cookie     401 (unless the route is PUBLIC)
 *   5. CSRF       cookie-authenticated write 403
 *   6. permission role x permission table    403
 *   7. body       none expected / JSON type  400 / 415, JSON syntax 400
 *                 (or text/csv where the route says CT_ROUTE_CSV)
 *   8. If-Match, reason (route flags)        428 / 400
 *
 * Steps 1-3 run when the request line and headers arrive (ct_http_route),
 * the rest once the body is complete (ct_http_dispatch).
 */
#include "http_int.h"

#include "core/i18n.h"
#include "core/uuid.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SEGMENT_MAX 200

/* Matches one pattern against the path; fills params. 1 when it matches. */
static int match(ct_req *r, const char *pattern, const char *path)
{
    const char *params[CT_REQ_MAX_PARAMS] = {0};
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return 0;
        p++, s++;
        const char *pe = strchr(p, '/'), *se = strchr(s, '/');
        size_t pn = pe ? (size_t)(pe - p) : strlen(p);
        size_t sn = se ? (size_t)(se - s) : strlen(s);
        if (pn > 2 && p[0] == '{') {
            if (sn == 0 || sn > 3 * SEGMENT_MAX || np == CT_REQ_MAX_PARAMS)
                return 0;
            char *v = ct_http_decode(&r->arena, s, sn, 0);
            if (!v || strlen(v) > SEGMENT_MAX)
                return 0;
            if (strncmp(p, "{id}", 4) == 0) {
                if (!ct_uuid_valid(v, strlen(v)))
                    return 0;
                for (char *c = v; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
            }
            params[np++] = v;
        } else if (pn != sn || memcmp(p, s, pn) != 0) {
            return 0;
        }
        p += pn, s += sn;
    }
    if (*p || *s)
        return 0;
    memcpy(r->params, params, sizeof(params));
    return 1;
}

static void early(ct_req *r, int code, const char *msg)
{
    ct_err err = CT_ERR_INIT;
    ct_err_set(&err, code, "%s", msg);
    ct_req_error_reply(r, &err);
    r->early_status = r->status;
}

static void set_language(ct_req *r)
{
    const char *al = ct_req_header(r, "Accept-Language");
    snprintf(r->lang, sizeof(r->lang), "%s", ct_i18n_use(al && *al ? al : "en"));
}

int ct_http_route(ct_req *r)
{
    set_language(r);
    char *q = strchr(r->target, '?');
    size_t plen = q ? (size_t)(q - r->target) : strlen(r->target);
    r->path = ct_arena_strndup(&r->arena, r->target, plen);
    r->query = q ? q + 1 : NULL;
    if (!r->path) {
        early(r, CT_ENOMEM, _("out of memory"));
        return 1;
    }
    const ct_route *found = NULL;
    char allow[128] = "";
    for (size_t i = 0; i < ct_routes_count; i++) {
        const ct_route *rt = &ct_routes[i];
        if (!match(r, rt->pattern, r->path))
            continue;
        if (strcmp(rt->method, r->method) == 0) {
            found = rt;
            break;
        }
        size_t n = strlen(allow);
        snprintf(allow + n, sizeof(allow) - n, "%s%s", n ? ", " : "", rt->method);
    }
    if (!found) {
        if (allow[0]) {
            ct_req_set_header(r, "Allow", allow);
            early(r, CT_EMETHOD, _("this method is not allowed on this path"));
        } else {
            early(r, CT_ENOTFOUND, _("no such endpoint"));
        }
        return 1;
    }
    r->route = found;
    ct_http_server *srv = r->srv;
    if (srv->opts.rate > 0) {
        double wait =
            ct_limiter_take(srv->rate, r->client, srv->opts.rate, srv->opts.burst, ct_http_now());
        if (wait > 0) {
            char s[16];
            snprintf(s, sizeof(s), "%d", (int)wait + 1);
            ct_req_set_header(r, "Retry-After", s);
            early(r, CT_ERATE, _("too many requests from this client; slow down"));
            return 1;
        }
    }
    const char *cl = ct_req_header(r, "Content-Length");
    if (cl && *cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno || *end || n > found->max_body) {
            early(r, found->max_body ? CT_ETOOBIG : CT_EUSAGE,
                  found->max_body ? _("the request body is too large for this endpoint")
                                  : _("this request takes no body"));
            return 1;
        }
    }
    return 0;
}

static int is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* application/json, optionally with parameters (charset=utf-8). */
static int json_content_type(const char *ct)
{
    static const char want[] = "application/json";
    if (!ct || strncasecmp(ct, want, sizeof(want) - 1) != 0)
        return 0;
    ct += sizeof(want) - 1;
    while (*ct == ' ')
        ct++;
    return *ct == '\0' || *ct == ';';
}

/* text/csv, optionally with parameters (charset=utf-8). */
static int csv_content_type(const char *ct)
{
    static const char want[] = "text/csv";
    if (!ct || strncasecmp(ct, want, sizeof(want) - 1) != 0)
        return 0;
    ct += sizeof(want) - 1;
    while (*ct == ' ')
        ct++;
    return *ct == '\0' || *ct == ';';
}

static int check_body(ct_req *r, ct_err *err)
{
    const ct_route *rt = r->route;
    if (r->body_too_big)
        return ct_err_set(err, CT_ETOOBIG, "%s",
                          _("the request body is too large for this endpoint"));
    if (!(rt->flags & CT_ROUTE_JSON)) {
        if (r->body_len)
            return ct_err_set(err, CT_EUSAGE, "%s", _("this request takes no body"));
        return 0;
    }
    const char *ct = ct_req_header(r, "Content-Type");
    if ((rt->flags & CT_ROUTE_CSV) && csv_content_type(ct)) {
        if (!r->body_len)
            return ct_err_set(err, CT_EINVAL, "%s", _("the request needs a body"));
        return 0; /* the handler reads r->body */
    }
    if (!json_content_type(ct))
        return ct_err_set(err, CT_EUNSUPPORTED, "%s",
                          (rt->flags & CT_ROUTE_CSV)
                              ? _("send the body as application/json or text/csv")
                              : _("send the body as application/json"));
    if (!r->body_len)
        return ct_err_set(err, CT_EINVAL, "%s", _("the request needs a JSON body"));
    json_error_t jerr;
    r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!r->json)
        return ct_err_set(err, CT_EINVAL, _("the body is not valid JSON (line %d, column %d)"),
                          jerr.line, jerr.column);
    if (!json_is_object(r->json))
        return ct_err_set(err, CT_EINVAL, "%s", _("the body must be a JSON object"));
    return 0;
}

static int check_flags(ct_req *r, ct_err *err)
{
    const ct_route *rt = r->route;
    if (rt->flags & CT_ROUTE_IF_MATCH) {
        int v = ct_req_if_match(r);
        if (v == 0)
            return ct_err_set_field(err, CT_EPRECOND, "If-Match", "%s",
                                    _("send If-Match with the ETag of the version you read"));
        if (v < 0)
            return ct_err_set_field(err, CT_EUSAGE, "If-Match", "%s",
                                    _("If-Match must be an ETag of this API, e.g. \"3\""));
    }
    return ct_req_check_reason(r, (rt->flags & CT_ROUTE_REASON) != 0, err);
}

static int run(ct_req *r, ct_err *err)
{
    const ct_route *rt = r->route;
    r->store = ct_http_thread_store(r->srv, err);
    if (!r->store)
        return CT_EBUSY;
    ct_actor anonymous = {"anonymous", NULL, r->id};
    ct_store_set_actor(r->store, &anonymous);
    /* one snapshot for the identity check and the handler's reads */
    int rc = ct_store_begin_read(r->store, err);
    if (rc)
        return rc;
    r->in_read = 1;
    if (!(rt->flags & CT_ROUTE_PUBLIC)) {
        if ((rc = ct_auth_authenticate(r, err)))
            return rc;
        if (r->via_cookie && !is_read(r->method) && (rc = ct_auth_check_csrf(r, err)))
            return rc;
        if (!ct_access_allows(r->role, rt->perm))
            return ct_err_set(err, CT_EPERM, "%s", _("your role does not allow this"));
    }
    if ((rc = check_body(r, err)) || (rc = check_flags(r, err)))
        return rc;
    return rt->handler(r, err);
}

void ct_http_dispatch(ct_req *r)
{
    if (r->early_status)
        return;
    set_language(r); /* the worker thread may differ from the one that routed */
    ct_err err = CT_ERR_INIT;
    int rc = run(r, &err);
    ct_req_rollback(r); /* whatever a failed handler left open */
    if (r->store)
        ct_req_end_read(r);
    if (r->store) {
        ct_actor none = {NULL, NULL, NULL};
        ct_store_set_actor(r->store, &none);
    }
    if (rc < 0) {
        ct_req_error_reply(r, &err);
    } else if (!r->status) {
        ct_err_set(&err, CT_EINTERNAL, "%s", _("internal error: the handler gave no reply"));
        ct_req_error_reply(r, &err);
    } else if (r->naudits) {
        r->audit_state = CT_AUDIT_PENDING;
    }
}

void ct_http_audit_finish(ct_req *r)
{
    if (!r->audit_rc)
        return;
    /* the reads could not be recorded: nothing of them leaves */
    r->nhdr = 0;
    r->audit_err.code = r->audit_rc;
    ct_req_error_reply(r, &r->audit_err);
}
