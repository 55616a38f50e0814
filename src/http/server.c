/*
 * server.c - libmicrohttpd glue: one daemon with a pool of worker threads
 * (epoll), each with its own database connection; bodies collected within
 * the route's limit; graceful shutdown.
 *
 * A request's life on a connection:
 *   uri_logger     the request line arrived: a ct_req is made (it becomes
 *                  the connection's request context)
 *   on_request #1  headers are in: route, rate limit and Content-Length
 *                  checks (ct_http_route); a refusal is answered at once,
 *                  before any body is read
 *   on_request #k  body chunks, kept up to the route's limit
 *   on_request #n  body complete: ct_http_dispatch, then the reply
 *   on_completed   the reply was sent (or the client left): access log,
 *                  ct_req_free (arena, jansson roots, secrets)
 *
 * Shutdown (ct_http_free): stop accepting (MHD_quiesce_daemon), wait until
 * no request is in flight (or the grace time ends), stop the daemon (which
 * joins the workers), close every worker's store.
 */
#include "http_int.h"
#include "static.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define LIMITER_SLOTS 4096

void ct_http_opts_init(ct_http_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1:8080";
    o->rate = 20;
    o->burst = 100;
    o->timeout = 30;
    o->header_limit = 16 * 1024;
    o->session_idle = 30 * 60;
    o->session_max = 12 * 3600;
    o->access_log_fd = -1;
    o->login_free = 5;
    o->audit_batch_ms = 2;
    o->facts = ct_access_default_facts;
}

/* ---- per-thread stores ------------------------------------------------------ */

ct_store *ct_http_thread_store(ct_http_server *srv, ct_err *err)
{
    ct_store *s = pthread_getspecific(srv->store_key);
    if (s)
        return s;
    int rc = ct_store_open(srv->db_path, 0, &s, err);
    if (rc)
        return NULL;
    pthread_mutex_lock(&srv->stores_lock);
    ct_store **v = ct_grow(srv->stores, sizeof(*v), srv->nstores + 1, &srv->cap_stores);
    if (v) {
        srv->stores = v;
        v[srv->nstores++] = s;
    }
    pthread_mutex_unlock(&srv->stores_lock);
    if (!v) {
        ct_store_close(s);
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        return NULL;
    }
    pthread_setspecific(srv->store_key, s);
    return s;
}

/* ---- jansson memory is wiped when freed -------------------------------------- */

/* Request bodies may hold passwords; jansson copies strings into its own
 * memory, so every block it frees is wiped first (process-wide). */
static void wiping_free(void *p)
{
    if (p) {
        sodium_memzero(p, malloc_usable_size(p));
        free(p);
    }
}

/* ---- headers ------------------------------------------------------------------ */

static const char *mhd_header(ct_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static const char *inject_header(ct_req *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *const *h = r->inject_headers; h && *h; h++)
        if (strncasecmp(*h, name, n) == 0 && (*h)[n] == ':') {
            const char *v = *h + n + 1;
            while (*v == ' ')
                v++;
            return v;
        }
    return NULL;
}

/* ---- bodies -------------------------------------------------------------------- */

static void append_body(ct_req *r, const char *data, size_t n)
{
    size_t max = r->route ? r->route->max_body : 0;
    if (r->body_too_big || r->body_len + n > max) {
        r->body_too_big = 1;
        return;
    }
    if (!r->body) {
        /* secrets get their whole buffer at once: sodium memory cannot grow */
        size_t cap = r->body_secret ? max + 1 : (n < 4096 ? 4096 : n + 1);
        r->body = r->body_secret ? sodium_malloc(cap) : ct_malloc(cap);
        if (!r->body) {
            r->body_too_big = 1;
            return;
        }
        r->body_cap = cap;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap * 2 > r->body_len + n + 1 ? r->body_cap * 2 : r->body_len + n + 1;
        char *b = ct_realloc(r->body, cap);
        if (!b) {
            r->body_too_big = 1;
            return;
        }
        r->body = b;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
}

/* ---- replies ------------------------------------------------------------------- */

static const char *const fixed_headers[][2] = {
    {"Cache-Control", "no-store"},
    {"X-Content-Type-Options", "nosniff"},
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
    {"Referrer-Policy", "no-referrer"},
};

static void add_headers(ct_req *r, struct MHD_Response *resp, int has_body)
{
    if (has_body)
        MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    for (size_t i = 0; i < sizeof(fixed_headers) / sizeof(fixed_headers[0]); i++)
        MHD_add_response_header(resp, fixed_headers[i][0], fixed_headers[i][1]);
    for (int i = 0; i < r->nhdr; i++)
        MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
    if (r->lang[0])
        MHD_add_response_header(resp, "Content-Language", r->lang);
    if (atomic_load(&r->srv->stopping))
        MHD_add_response_header(resp, "Connection", "close");
}

static enum MHD_Result queue(ct_req *r, struct MHD_Connection *conn)
{
    int has_body = r->resp != NULL;
    struct MHD_Response *resp =
        has_body ? MHD_create_response_from_buffer(r->resp_len, r->resp, MHD_RESPMEM_MUST_FREE)
                 : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    r->resp = NULL; /* libmicrohttpd frees it */
    add_headers(r, resp, has_body);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void client_address(ct_req *r, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->client,
                  sizeof(r->client));
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->client,
                  sizeof(r->client));
}

/* ---- libmicrohttpd callbacks ------------------------------------------------------ */

/* The audit writer committed a suspended request's reads (auditq.c). */
static void resume(ct_req *r)
{
    MHD_resume_connection(r->conn);
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *conn)
{
    ct_http_server *srv = cls;
    ct_req *r = ct_req_new(srv);
    if (!r)
        return NULL;
    atomic_fetch_add(&srv->inflight, 1);
    r->target = ct_arena_strdup(&r->arena, uri ? uri : "");
    r->conn = conn;
    r->header_fn = mhd_header;
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    ct_req *r = *con_cls;
    if (!r || !r->target)
        return MHD_NO; /* out of memory: drop the connection */
    if (!r->method) {
        r->method = ct_arena_strdup(&r->arena, method);
        if (!r->method)
            return MHD_NO;
        client_address(r, conn);
        if (ct_http_is_static(r->target)) /* the browser UI (static.c) */
            return (enum MHD_Result)ct_http_static_queue(r, conn);
        if (ct_http_route(r))
            return queue(r, conn);
        r->body_secret = (r->route->flags & CT_ROUTE_SECRET) != 0;
        return MHD_YES;
    }
    if (r->early_status) { /* refused already: drain */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        append_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->audit_state == CT_AUDIT_QUEUED) { /* resumed: the audit is committed */
        ct_http_audit_finish(r);
        return queue(r, conn);
    }
    ct_http_dispatch(r);
    if (r->audit_state == CT_AUDIT_PENDING) {
        /* suspend first: the writer may resume us as soon as it has the entries */
        MHD_suspend_connection(conn);
        r->audit_state = CT_AUDIT_QUEUED;
        if (ct_auditq_submit(r->srv->auditq, r, resume, &r->audit_err)) {
            r->audit_rc = r->audit_err.code;
            MHD_resume_connection(conn);
        }
        return MHD_YES;
    }
    return queue(r, conn);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    ct_http_server *srv = cls;
    ct_req *r = *con_cls;
    if (!r)
        return;
    ct_http_log_request(r);
    ct_req_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    char msg[256];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    ct_http_log_event(cls, "libmicrohttpd", msg);
}

/* ---- lifecycle --------------------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_storage *ss, int *v6, ct_err *err)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof(host))
        return ct_err_set(err, CT_EUSAGE, _("--listen must be ADDRESS:PORT, e.g. 127.0.0.1:8080"));
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
        return ct_err_set(err, CT_EUSAGE, _("--listen has a bad port number"));
    memset(ss, 0, sizeof(*ss));
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *v6 = 1;
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return ct_err_set(err, CT_EUSAGE, _("--listen has a bad IPv6 address"));
        return 0;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    *v6 = 0;
    if (!host[0])
        a->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
        return ct_err_set(err, CT_EUSAGE, _("--listen has a bad IPv4 address"));
    return 0;
}

static char *read_file(const char *path, int secret, ct_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_err_set(err, CT_EIO, _("cannot read '%s': %s"), path, strerror(errno));
        return NULL;
    }
    size_t cap = 64 * 1024;
    char *buf = secret ? sodium_malloc(cap) : ct_malloc(cap);
    size_t n = buf ? fread(buf, 1, cap - 1, f) : 0;
    int bad = ferror(f) || !feof(f);
    fclose(f);
    if (!buf || bad) {
        if (buf && secret)
            sodium_free(buf);
        else
            ct_free(buf);
        ct_err_set(err, CT_EIO, _("cannot read '%s' (at most 64 KiB of PEM)"), path);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

int ct_http_new(const ct_http_opts *o, ct_http_server **out, ct_err *err)
{
    if (sodium_init() < 0)
        return ct_err_set(err, CT_EINTERNAL, "%s", _("cannot initialise libsodium"));
    if (!o->db_path)
        return ct_err_set(err, CT_EUSAGE, "%s", _("no database to serve"));
    if (!o->tls_cert != !o->tls_key)
        return ct_err_set(err, CT_EUSAGE, "%s",
                          _("give both --tls-cert and --tls-key, or neither"));
    json_set_alloc_funcs(malloc, wiping_free);
    ct_http_server *srv = ct_calloc(1, sizeof(*srv));
    if (!srv)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    srv->opts = *o;
    if (!srv->opts.facts)
        srv->opts.facts = ct_access_default_facts;
    if (srv->opts.burst < 1)
        srv->opts.burst = srv->opts.rate > 1 ? srv->opts.rate : 1;
    srv->db_path = ct_strdup(o->db_path);
    srv->listen = ct_strdup(o->listen ? o->listen : "127.0.0.1:8080");
    pthread_key_create(&srv->store_key, NULL);
    pthread_mutex_init(&srv->stores_lock, NULL);
    pthread_mutex_init(&srv->write_lock, NULL);
    pthread_mutex_init(&srv->pw_lock, NULL);
    pthread_cond_init(&srv->pw_cond, NULL);
    srv->rate = ct_limiter_new(LIMITER_SLOTS);
    srv->logins = ct_limiter_new(LIMITER_SLOTS);
    *out = srv;
    if (!srv->db_path || !srv->listen || !srv->rate || !srv->logins) {
        ct_http_free(srv, 0);
        *out = NULL;
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    /* the database must open (and migrate) before anyone connects */
    if (!ct_http_thread_store(srv, err)) {
        ct_http_free(srv, 0);
        *out = NULL;
        return err->code ? err->code : CT_EIO;
    }
    if (ct_auditq_start(srv, &srv->auditq, err)) {
        ct_http_free(srv, 0);
        *out = NULL;
        return err->code ? err->code : CT_EIO;
    }
    if (o->tls_cert) {
        srv->tls = 1;
        srv->tls_cert_pem = read_file(o->tls_cert, 0, err);
        srv->tls_key_pem = srv->tls_cert_pem ? read_file(o->tls_key, 1, err) : NULL;
        if (!srv->tls_key_pem) {
            ct_http_free(srv, 0);
            *out = NULL;
            return CT_EIO;
        }
    }
    return 0;
}

int ct_http_listen(ct_http_server *srv, ct_err *err)
{
    struct sockaddr_storage ss;
    int v6 = 0;
    int rc = parse_listen(srv->listen, &ss, &v6, err);
    if (rc)
        return rc;
    unsigned threads = srv->opts.threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 && n < 64 ? (unsigned)n : 2;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0) | (srv->tls ? MHD_USE_TLS : 0);
    struct MHD_OptionItem tls_opts[] = {
        {srv->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, srv->tls_cert_pem},
        {srv->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, srv->tls_key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_URI_LOG_CALLBACK, uri_logger, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, srv->opts.timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        srv->opts.header_limit + 16 * 1024, MHD_OPTION_CONNECTION_LIMIT, 1000,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
        MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
    if (srv->tls_key_pem) { /* GnuTLS holds its own copy now */
        sodium_free(srv->tls_key_pem);
        srv->tls_key_pem = NULL;
    }
    if (!srv->daemon)
        return ct_err_set(err, CT_EIO, _("cannot listen on %s (in use, or a bad TLS key?)"),
                          srv->listen);
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : 0;
    return 0;
}

unsigned ct_http_port(const ct_http_server *srv)
{
    return srv->port;
}

void ct_http_free(ct_http_server *srv, unsigned grace_ms)
{
    if (!srv)
        return;
    atomic_store(&srv->stopping, 1);
    if (srv->daemon) {
        MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
        if (fd != MHD_INVALID_SOCKET)
            close(fd);
        for (unsigned waited = 0; atomic_load(&srv->inflight) > 0 && waited < grace_ms;
             waited += 10)
            usleep(10 * 1000);
        MHD_stop_daemon(srv->daemon);
    }
    ct_auditq_stop(srv->auditq); /* no request is left to queue an entry */
    for (size_t i = 0; i < srv->nstores; i++)
        ct_store_close(srv->stores[i]);
    ct_free(srv->stores);
    pthread_key_delete(srv->store_key);
    pthread_mutex_destroy(&srv->stores_lock);
    pthread_mutex_destroy(&srv->write_lock);
    pthread_mutex_destroy(&srv->pw_lock);
    pthread_cond_destroy(&srv->pw_cond);
    ct_limiter_free(srv->rate);
    ct_limiter_free(srv->logins);
    ct_free(srv->tls_cert_pem);
    if (srv->tls_key_pem)
        sodium_free(srv->tls_key_pem);
    ct_free(srv->db_path);
    ct_free(srv->listen);
    ct_free(srv);
}

/* ---- in-process requests ------------------------------------------------------------ */

int ct_http_inject(ct_http_server *srv, const ct_http_inject_req *in, ct_http_inject_resp *out)
{
    memset(out, 0, sizeof(*out));
    ct_req *r = ct_req_new(srv);
    if (!r)
        return CT_ENOMEM;
    r->method = in->method;
    r->target = ct_arena_strdup(&r->arena, in->target ? in->target : "/");
    r->inject_headers = in->headers;
    r->header_fn = inject_header;
    snprintf(r->client, sizeof(r->client), "%s", in->client ? in->client : "inject");
    if (!r->target) {
        ct_req_free(r);
        return CT_ENOMEM;
    }
    if (!ct_http_route(r)) {
        r->body_secret = (r->route->flags & CT_ROUTE_SECRET) != 0;
        if (in->body_len)
            append_body(r, in->body, in->body_len);
        ct_http_dispatch(r);
        if (r->audit_state == CT_AUDIT_PENDING) {
            ct_actor actor = {r->user.name, r->user.agency, r->id};
            r->audit_rc =
                ct_auditq_append(srv->auditq, &actor, r->audits, r->naudits, &r->audit_err);
            ct_http_audit_finish(r);
        }
    }
    out->status = r->status;
    out->body_len = r->resp_len;
    out->body = ct_malloc(r->resp_len + 1);
    ct_buf h = CT_BUF_INIT;
    ct_buf_addf(&h, "X-Request-Id: %s\n", r->id);
    for (int i = 0; i < r->nhdr; i++)
        ct_buf_addf(&h, "%s: %s\n", r->hdr[i].name, r->hdr[i].value);
    out->headers = ct_buf_detach(&h);
    int rc = out->body && out->headers ? 0 : CT_ENOMEM;
    if (out->body) {
        if (r->resp_len)
            memcpy(out->body, r->resp, r->resp_len);
        out->body[r->resp_len] = '\0';
    }
    ct_http_log_request(r);
    ct_req_free(r);
    return rc;
}
