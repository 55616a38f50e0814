/*
 * ctip serve: the HTTP API (src/http) on a database until SIGTERM or
 * SIGINT, then a graceful stop: requests in flight finish (up to 10 s),
 * every worker's database connection closes.
 *
 * The signals are blocked before the server's threads start (they inherit
 * the mask) and taken here with sigwait: no handler runs inside a worker.
 */
#include "cli.h"

#include "core/i18n.h"
#include "http/http.h"
#include "nrm/nrm.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const ct_cmd_help help = {
    "ctip serve DB [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [options]",
    N_("serve the JSON API (/api/v1/) on a database until stopped (SIGTERM or Ctrl-C)")};

/* The facts of the field rules (access.h) from the NRM's records: consent
 * to share assistance data with the reader's agency or role; the assisting
 * agency is the one that owns the case, or, for a case shared with it, one
 * that provides the person a service (an accepted or provided referral).
 * Counselling notes stay with the agency that wrote them (src/nrm). */
static int nrm_facts(void *arg, struct ct_store *s, const char *case_id, const char *person_id,
                     const char *agency, int role, enum ct_relation rel, ct_access_facts *out)
{
    int rc = ct_access_default_facts(arg, s, case_id, person_id, agency, role, rel, out);
    ct_nrm_consent_query q = {"assistance_data", agency, ct_access_role_code(role)};
    ct_err err = CT_ERR_INIT;
    int allows = ct_nrm_consent_allows(s, person_id, &q, &err);
    out->consent = allows == 1;
    if (allows < 0 && allows != CT_ENOTFOUND)
        return allows;
    if (!out->assisting && rel == CT_REL_SHARED) {
        int assists = ct_nrm_agency_assists(s, person_id, agency, &err);
        if (assists < 0)
            return assists;
        out->assisting = assists;
    }
    return rc;
}

static void print_route(const char *method, const char *pattern, const char *perm, void *arg)
{
    (void)arg;
    printf("%s\t%s\t%s\n", method, pattern, perm);
}

static int open_log(ct_cli *cli, const char *path, int *fd)
{
    if (!path || strcmp(path, "-") == 0) {
        *fd = STDERR_FILENO;
        return 0;
    }
    if (strcmp(path, "none") == 0) {
        *fd = -1;
        return 0;
    }
    *fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (*fd < 0)
        return ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), path, strerror(errno));
    return 0;
}

static int write_ready(ct_cli *cli, const char *path, const char *url)
{
    if (!path)
        return 0;
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%s\n", url) < 0 || fclose(f))
        return ct_err_set(&cli->err, CT_EIO, _("cannot write '%s'"), path);
    return 0;
}

static int run(ct_cli *cli, ct_http_opts *o, const char *ready)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Each request allocates and frees a few arenas: keep freed memory in
     * the process instead of returning it to the kernel and faulting it in
     * again on the next request (glibc trims per-thread heaps eagerly). */
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_TOP_PAD, 16 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    ct_http_server *srv;
    int rc = ct_http_new(o, &srv, &cli->err);
    if (rc)
        return rc;
    rc = ct_http_listen(srv, &cli->err);
    char url[128];
    if (!rc) {
        const char *colon = strrchr(o->listen, ':');
        snprintf(url, sizeof(url), "%s://%.*s:%u/api/v1/", o->tls_cert ? "https" : "http",
                 (int)(colon - o->listen), o->listen, ct_http_port(srv));
        rc = write_ready(cli, ready, url);
    }
    if (!rc) {
        fprintf(stderr, _("ctip: serving %s on %s (stop with Ctrl-C)\n"), o->db_path, url);
        int sig = 0;
        sigwait(&set, &sig);
        fprintf(stderr, "%s\n", _("ctip: stopping: finishing requests in flight"));
    }
    ct_http_free(srv, 10000);
    if (!rc)
        fprintf(stderr, "%s\n", _("ctip: stopped; the database is closed"));
    return rc;
}

CT_CMD(serve)
{
    ct_http_opts o;
    ct_http_opts_init(&o);
    const char *log = NULL, *ready = NULL;
    long threads = 0, idle = 0, max_age = 0;
    double rate = o.rate;
    int routes = 0;
    const ct_opt opts[] = {
        CT_OPT_STRING("listen", "ADDR:PORT", &o.listen,
                      N_("address and port (default 127.0.0.1:8080; port 0: any free port)")),
        CT_OPT_STRING("tls-cert", "FILE", &o.tls_cert, N_("serve HTTPS with this PEM certificate")),
        CT_OPT_STRING("tls-key", "FILE", &o.tls_key, N_("and this PEM private key")),
        CT_OPT_INT("threads", "N", &threads, N_("worker threads (default: one per CPU)")),
        CT_OPT_DOUBLE("rate-limit", "N", &rate,
                      N_("requests per second per client address (default 20; 0: none)")),
        CT_OPT_INT("session-idle", "SECONDS", &idle,
                   N_("a session ends after this long unused (default 1800)")),
        CT_OPT_INT("session-max", "SECONDS", &max_age,
                   N_("a session ends this long after sign-in (default 43200)")),
        CT_OPT_STRING("access-log", "FILE", &log,
                      N_("where the access log goes (default: standard error; 'none')")),
        CT_OPT_STRING("ready-file", "FILE", &ready,
                      N_("write the server's URL to FILE once it listens")),
        CT_OPT_FLAG("routes", &routes, N_("print the API's routes and exit")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 0, 1, cli);
    if (n < 0)
        return cli->err.code;
    if (routes) {
        ct_http_routes_each(print_route, NULL);
        return 0;
    }
    if (n != 1)
        return ct_err_set(&cli->err, CT_EUSAGE, _("usage: %s"), help.usage);
    if (threads < 0 || threads > 256 || rate < 0)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--threads takes 1 to 256, --rate-limit a number >= 0"));
    if (idle < 0 || max_age < 0)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("session durations are seconds >= 1"));
    if (idle)
        o.session_idle = idle;
    if (max_age)
        o.session_max = max_age;
    o.db_path = argv[0];
    o.facts = nrm_facts;
    o.threads = (unsigned)threads;
    o.rate = rate;
    o.burst = rate * 5; /* five seconds' worth */
    int rc = open_log(cli, log, &o.access_log_fd);
    if (rc)
        return rc;
    rc = run(cli, &o, ready);
    if (o.access_log_fd > STDERR_FILENO)
        close(o.access_log_fd);
    return rc;
}
