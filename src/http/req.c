/* req.c - the request object, its arena, and what handlers use to read
 * input and write replies (http_int.h). */
#include "http_int.h"

#include "core/alloc.h"
#include "core/codes.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/uuid.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_QUERY_ARGS 32
#define REASON_MAX     500

double ct_http_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

ct_date ct_req_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    /* a day of margin: a record made today east of UTC is not "in the future" */
    t += 86400;
    gmtime_r(&t, &tm);
    ct_date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return d;
}

ct_req *ct_req_new(ct_http_server *srv)
{
    ct_req *r = ct_calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->srv = srv;
    ct_arena_init(&r->arena, 8192);
    ct_uuid_new(r->id);
    r->t0 = ct_http_now();
    r->role = -1;
    snprintf(r->client, sizeof(r->client), "unknown");
    snprintf(r->lang, sizeof(r->lang), "en");
    return r;
}

void ct_req_free(ct_req *r)
{
    if (!r)
        return;
    ct_req_rollback(r);
    ct_req_end_read(r);
    json_decref(r->json);
    json_decref(r->problems);
    json_decref(r->current);
    for (ct_req_cleanup *c = r->cleanups; c; c = c->next)
        c->fn(c->p);
    if (r->body_secret && r->body)
        sodium_free(r->body);
    else
        ct_free(r->body);
    free(r->resp); /* libmicrohttpd took it when it was sent: see server.c */
    ct_arena_release(&r->arena);
    ct_free(r);
}

int ct_req_defer(ct_req *r, void (*fn)(void *), void *p)
{
    ct_req_cleanup *c = ct_arena_alloc(&r->arena, sizeof(*c));
    if (!c) {
        fn(p);
        return CT_ENOMEM;
    }
    c->fn = fn;
    c->p = p;
    c->next = r->cleanups;
    r->cleanups = c;
    return 0;
}

static void decref(void *p)
{
    json_decref(p);
}

json_t *ct_req_keep(ct_req *r, json_t *v)
{
    if (v && ct_req_defer(r, decref, v))
        return NULL;
    return v;
}

const char *ct_req_header(ct_req *r, const char *name)
{
    return r->header_fn ? r->header_fn(r, name) : NULL;
}

const char *ct_req_param(ct_req *r, int i)
{
    return i >= 0 && i < CT_REQ_MAX_PARAMS ? r->params[i] : NULL;
}

/* ---- query strings --------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..n) into the arena; NULL for a bad escape or a NUL. */
char *ct_http_decode(ct_arena *a, const char *s, size_t n, int plus_is_space)
{
    char *out = ct_arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return NULL;
            int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            c = (char)(hi * 16 + lo);
            if (!c)
                return NULL;
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        out[k++] = c;
    }
    out[k] = '\0';
    return ct_utf8_invalid_at(out, k) == k ? out : NULL;
}

static int parse_query(ct_req *r, ct_err *err)
{
    if (r->args || !r->query || !*r->query)
        return 0;
    r->args = ct_arena_alloc(&r->arena, MAX_QUERY_ARGS * sizeof(*r->args));
    if (!r->args)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    const char *p = r->query;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        if (n) {
            if (r->nargs == MAX_QUERY_ARGS)
                return ct_err_set(err, CT_EUSAGE, _("more than %d query parameters"),
                                  MAX_QUERY_ARGS);
            const char *eq = memchr(p, '=', n);
            size_t kn = eq ? (size_t)(eq - p) : n;
            ct_query_arg *q = &r->args[r->nargs];
            q->name = ct_http_decode(&r->arena, p, kn, 1);
            q->value = eq ? ct_http_decode(&r->arena, eq + 1, n - kn - 1, 1)
                          : ct_arena_strdup(&r->arena, "");
            if (!q->name || !q->value)
                return ct_err_set(err, CT_EUSAGE, "%s",
                                  _("the query string has a bad percent-escape"));
            r->nargs++;
        }
        p += n + (amp ? 1 : 0);
    }
    return 0;
}

const char *ct_req_query(ct_req *r, const char *name)
{
    for (size_t i = 0; i < r->nargs; i++)
        if (strcmp(r->args[i].name, name) == 0)
            return r->args[i].value;
    return NULL;
}

int ct_req_query_check(ct_req *r, const char *const *allowed, ct_err *err)
{
    int rc = parse_query(r, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < r->nargs; i++) {
        const char *name = r->args[i].name;
        int ok = 0;
        for (size_t k = 0; allowed && allowed[k] && !ok; k++)
            ok = strcmp(allowed[k], name) == 0;
        char shown[41];
        snprintf(shown, sizeof(shown), "%s", name);
        for (char *c = shown; *c; c++)
            if ((unsigned char)*c < 0x20)
                *c = '?';
        if (!ok)
            return ct_err_set_field(err, CT_EUSAGE, shown, _("unknown query parameter '%s'"),
                                    shown);
        for (size_t k = 0; k < i; k++)
            if (strcmp(r->args[k].name, name) == 0)
                return ct_err_set_field(err, CT_EUSAGE, shown,
                                        _("query parameter '%s' is given twice"), shown);
    }
    return 0;
}

int ct_req_query_limit(ct_req *r, long def, long max, long *out, ct_err *err)
{
    const char *v = ct_req_query(r, "limit");
    *out = def;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 1 || n > max)
        return ct_err_set_field(err, CT_EUSAGE, "limit", _("limit must be between 1 and %ld"), max);
    *out = n;
    return 0;
}

int ct_req_query_bool(ct_req *r, const char *name, int *out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    *out = -1;
    if (!v)
        return 0;
    if (strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "false") == 0)
        *out = 0;
    else
        return ct_err_set_field(err, CT_EUSAGE, name, _("%s must be true or false"), name);
    return 0;
}

int ct_req_query_uuid(ct_req *r, const char *name, const char **out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    *out = NULL;
    if (!v)
        return 0;
    if (!ct_uuid_valid(v, strlen(v)))
        return ct_err_set_field(err, CT_EUSAGE, name, _("%s must be an id (UUID)"), name);
    char *lower = ct_arena_strdup(&r->arena, v);
    if (!lower)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (char *c = lower; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    *out = lower;
    return 0;
}

int ct_req_query_code(ct_req *r, const char *name, const char *list, const char **out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    *out = NULL;
    if (!v)
        return 0;
    const ct_code *c = ct_codes_lookup(list, v);
    if (!c)
        return ct_err_set_field(err, CT_EUSAGE, name, _("%s must be a code of the list '%s'"), name,
                                list);
    *out = ct_code_id(c);
    return 0;
}

const char *ct_req_reason(ct_req *r)
{
    const char *h = ct_req_header(r, "X-Reason");
    if (h && *h)
        return ct_http_decode(&r->arena, h, strlen(h), 0);
    if (r->json) {
        const char *s = json_string_value(json_object_get(r->json, "reason"));
        if (s && *s)
            return s;
    }
    return NULL;
}

int ct_req_if_match(ct_req *r)
{
    const char *h = ct_req_header(r, "If-Match");
    if (!h || !*h)
        return 0;
    /* "3" or W/"3": the version number quoted as an entity tag */
    if (strncmp(h, "W/", 2) == 0)
        h += 2;
    size_t n = strlen(h);
    if (n < 3 || n > 12 || h[0] != '"' || h[n - 1] != '"')
        return -1;
    long v = 0;
    for (size_t i = 1; i < n - 1; i++) {
        if (!isdigit((unsigned char)h[i]))
            return -1;
        v = v * 10 + (h[i] - '0');
    }
    return v > 0 && v < 1000000000 ? (int)v : -1;
}

/* ---- small JSON bodies -------------------------------------------------------- */

static int utf8_text_ok(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20)
            return 0;
    return 1;
}

int ct_req_body_fields(ct_req *r, const ct_body_field *spec, size_t n, const json_t **out,
                       ct_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(r->json, key, v)
    {
        size_t i = 0;
        while (i < n && strcmp(spec[i].name, key) != 0)
            i++;
        if (i == n) {
            char shown[41];
            snprintf(shown, sizeof(shown), "%s", key);
            for (char *c = shown; *c; c++)
                if ((unsigned char)*c < 0x20)
                    *c = '?';
            return ct_err_set_field(err, CT_EINVAL, shown, "%s", _("unknown field"));
        }
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *m = json_object_get(r->json, spec[i].name);
        out[i] = NULL;
        if (!m || json_is_null(m)) {
            if (spec[i].required)
                return ct_err_set_field(err, CT_EINVAL, spec[i].name, "%s", _("is required"));
            continue;
        }
        switch (spec[i].type) {
        case CT_BODY_STRING:
            if (!json_is_string(m))
                return ct_err_set_field(err, CT_EINVAL, spec[i].name, "%s", _("expected a string"));
            if (json_string_length(m) > spec[i].max)
                return ct_err_set_field(err, CT_EINVAL, spec[i].name, _("longer than %zu bytes"),
                                        spec[i].max);
            if (json_string_length(m) != strlen(json_string_value(m)) ||
                !utf8_text_ok(json_string_value(m)))
                return ct_err_set_field(err, CT_EINVAL, spec[i].name, "%s",
                                        _("contains control characters"));
            if (spec[i].required && !json_string_length(m))
                return ct_err_set_field(err, CT_EINVAL, spec[i].name, "%s", _("is required"));
            break;
        case CT_BODY_BOOL:
            if (!json_is_boolean(m))
                return ct_err_set_field(err, CT_EINVAL, spec[i].name, "%s",
                                        _("expected true or false"));
            break;
        case CT_BODY_INT:
            if (!json_is_integer(m))
                return ct_err_set_field(err, CT_EINVAL, spec[i].name, "%s",
                                        _("expected a whole number"));
            break;
        }
        out[i] = m;
    }
    return 0;
}

/* ---- replies ------------------------------------------------------------------------- */

int ct_req_set_header(ct_req *r, const char *name, const char *value)
{
    for (int i = 0; i < r->nhdr; i++)
        if (strcasecmp(r->hdr[i].name, name) == 0) {
            r->hdr[i].value = ct_arena_strdup(&r->arena, value);
            return r->hdr[i].value ? 0 : CT_ENOMEM;
        }
    if (r->nhdr == CT_REQ_MAX_HEADERS)
        CT_BUG("more response headers than CT_REQ_MAX_HEADERS");
    r->hdr[r->nhdr].name = name;
    r->hdr[r->nhdr].value = ct_arena_strdup(&r->arena, value);
    if (!r->hdr[r->nhdr].value)
        return CT_ENOMEM;
    r->nhdr++;
    return 0;
}

int ct_req_set_etag(ct_req *r, int version)
{
    char tag[24];
    snprintf(tag, sizeof(tag), "\"%d\"", version);
    return ct_req_set_header(r, "ETag", tag);
}

static void set_body(ct_req *r, int status, char *text)
{
    free(r->resp);
    r->status = status;
    r->resp = text;
    r->resp_len = text ? strlen(text) : 0;
}

int ct_req_reply_json(ct_req *r, int status, json_t *v)
{
    if (!v)
        return CT_ENOMEM;
    char *text = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    if (!text)
        return CT_ENOMEM;
    set_body(r, status, text);
    return 0;
}

int ct_req_reply_empty(ct_req *r, int status)
{
    set_body(r, status, NULL);
    return 0;
}

int ct_req_fail_problems(ct_req *r, const ct_problems *pr, ct_err *err)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < pr->n; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s}", "field", pr->v[i].field, "message", pr->v[i].msg));
    json_decref(r->problems);
    r->problems = a;
    if (pr->n)
        return ct_err_set_field(err, CT_EINVAL, pr->v[0].field, "%s: %s", pr->v[0].field,
                                pr->v[0].msg);
    return ct_err_set(err, CT_EINVAL, "%s", _("invalid input"));
}

/* A fixed reply when even building the error fails (out of memory). */
static const char oom_reply[] =
    "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\",\"field\":null}}";

void ct_req_error_reply(ct_req *r, const ct_err *err)
{
    int code = err->code ? err->code : CT_EINTERNAL;
    const char *msg = err->msg[0] ? err->msg : _("internal error");
    json_t *e = json_pack("{s:s, s:s, s:o}", "code", ct_err_name(code), "message", msg, "field",
                          err->field[0] ? json_string(err->field) : json_null());
    json_t *body = e ? json_pack("{s:o}", "error", e) : NULL;
    if (body && r->problems && code == CT_EINVAL)
        json_object_set(body, "problems", r->problems);
    /* the record as it is now: for a stale write (412) and for an action its
     * state refuses (409: e.g. the NRM stage with the actions possible) */
    if (body && r->current && (code == CT_ESTALE || code == CT_ECONFLICT))
        json_object_set(body, "current", r->current);
    int status = ct_err_http_status(code);
    if (code == CT_EAUTH)
        ct_req_set_header(r, "WWW-Authenticate", "Bearer realm=\"ctip\"");
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        text = strdup(oom_reply);
    set_body(r, status, text);
}

/* ---- transactions and audit ---------------------------------------------------- */

void ct_req_end_read(ct_req *r)
{
    if (!r->in_read)
        return;
    ct_err ignored = CT_ERR_INIT;
    if (ct_store_commit(r->store, &ignored))
        ct_store_rollback(r->store);
    r->in_read = 0;
}

int ct_req_begin(ct_req *r, ct_err *err)
{
    if (r->in_tx)
        CT_BUG("nested request transaction");
    ct_req_end_read(r);
    pthread_mutex_lock(&r->srv->write_lock);
    int rc = ct_store_begin(r->store, err);
    if (rc) {
        pthread_mutex_unlock(&r->srv->write_lock);
        return rc;
    }
    r->in_tx = 1;
    return 0;
}

int ct_req_commit(ct_req *r, ct_err *err)
{
    if (!r->in_tx)
        CT_BUG("commit without a request transaction");
    int rc = ct_store_commit(r->store, err);
    r->in_tx = 0;
    pthread_mutex_unlock(&r->srv->write_lock);
    return rc;
}

void ct_req_rollback(ct_req *r)
{
    if (!r->in_tx)
        return;
    ct_store_rollback(r->store);
    r->in_tx = 0;
    pthread_mutex_unlock(&r->srv->write_lock);
}

int ct_req_audit(ct_req *r, const char *action, const char *type, const char *id,
                 const char *fields, const char *detail, ct_err *err)
{
    const char *reason = ct_req_reason(r);
    ct_audit_entry e = {action, type, id, fields && *fields ? fields : NULL, reason, detail};
    return ct_store_audit(r->store, &e, err);
}

/* The reason must be short, printable text (it lands in the audit trail). */
int ct_req_check_reason(ct_req *r, int required, ct_err *err)
{
    const char *reason = ct_req_reason(r);
    const char *h = ct_req_header(r, "X-Reason");
    if (h && *h && !reason)
        return ct_err_set_field(err, CT_EUSAGE, "reason", "%s",
                                _("X-Reason has a bad percent-escape"));
    if (!reason)
        return required ? ct_err_set_field(err, CT_EINVAL, "reason", "%s",
                                           _("give a reason (X-Reason header or \"reason\")"))
                        : 0;
    if (strlen(reason) > REASON_MAX)
        return ct_err_set_field(err, CT_EINVAL, "reason", _("longer than %d bytes"), REASON_MAX);
    if (!utf8_text_ok(reason))
        return ct_err_set_field(err, CT_EINVAL, "reason", "%s", _("contains control characters"));
    return 0;
}
