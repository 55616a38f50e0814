/*
 * h_estimate.c - /api/v1/estimate: multiple systems estimation (issue 5;
 * the method: src/estimate/estimate.h, docs/estimate.md), for the
 * coordinator and analyst roles (permission estimate.run).
 *
 *   POST /api/v1/estimate?method=&interval=&threshold=&bootstrap=&seed=&replicates=
 *        body: capture histories as text/csv (contracts.md) or as JSON
 *        {"lists": [...], "strata": [...], "histories": [[...], ...]}
 *   GET  /api/v1/estimate?lists=agency&by=year,sex,agegroup&country=ISO3&from=&to=
 *        &publish=&method=...  over the database (ct_estimate_histories_from_store)
 *
 * Both answer with the JSON of `ctip estimate --format json`: one object,
 * or an array of objects (one per stratum) when there are strata. A stratum
 * without an estimate is "estimate": null with its reason (status 200);
 * invalid histories are 400 with every problem named (lists, strata,
 * histories[i], or body:LINE for CSV); a database that gives fewer than 3
 * lists (or more than 12) is 422 with the reason.
 *
 * Bounds on the work of one request (docs/api.md): at most MAX_BOOTSTRAP
 * replicates per stratum and MAX_REPLICATES in all (strata x replicates of
 * the bca interval), at most MAX_STRATA strata, the body at most 2 MiB
 * (routes.c).
 *
 * Published view (GET, default; the only one for analysts, who receive
 * anonymised statistics only): overlap counts of 1 to 4 are masked with the
 * statistics module's primary and secondary suppression (each stratum's
 * overlaps with its n_obs as total, ct_stats_tables_protect, threshold 5);
 * in a stratum with masked cells the statistics that are exact functions
 * of the cells (deviance, df, AIC, the terms' p-values, the replicates) are
 * left out and the estimate, hidden and interval limits are rounded to two
 * significant digits, so that masked cells cannot be solved for from them
 * (docs/api.md states the decision and its limits). The POST form returns
 * everything: the histories are the caller's own.
 */
#include "http_int.h"

#include "core/alloc.h"
#include "core/i18n.h"
#include "estimate/estimate.h"
#include "stats/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAX_BOOTSTRAP = 2000,   /* replicates per stratum */
    MAX_REPLICATES = 20000, /* replicates of one request, all strata */
    MAX_STRATA = 500,       /* strata of one request */
    PUBLISH_THRESHOLD = 5,  /* docs/statistics.md: counts 1..4 are masked */
    ESTIMATE_THREADS = 2,   /* bootstrap threads per request */
};

/* Option words (the same as `ctip estimate`). */
static const struct word {
    const char *word;
    int value;
} method_words[] = {{"stepwise", CT_ESTIMATE_STEPWISE},
                    {"main", CT_ESTIMATE_MAIN},
                    {"aic", CT_ESTIMATE_AIC},
                    {"bic", CT_ESTIMATE_BIC},
                    {NULL, 0}},
  interval_words[] = {{"wald", CT_ESTIMATE_IV_WALD},
                      {"bca", CT_ESTIMATE_IV_BCA},
                      {"profile", CT_ESTIMATE_IV_PROFILE},
                      {NULL, 0}};

static int word_arg(ct_req *r, const char *name, const struct word *w, int *out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    if (!v)
        return 0;
    for (; w->word; w++)
        if (strcmp(w->word, v) == 0) {
            *out = w->value;
            return 0;
        }
    return ct_err_set_field(err, CT_EUSAGE, name, _("'%s' does not accept this value"), name);
}

/* A whole number from lo to hi; *out unchanged when absent. */
static int long_arg(ct_req *r, const char *name, long lo, long hi, long *out, ct_err *err)
{
    const char *v = ct_req_query(r, name);
    if (!v)
        return 0;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi)
        return ct_err_set_field(err, CT_EUSAGE, name,
                                _("'%s' takes a whole number from %ld to %ld"), name, lo, hi);
    *out = x;
    return 0;
}

static int threshold_arg(ct_req *r, double *out, ct_err *err)
{
    const char *v = ct_req_query(r, "threshold");
    if (!v)
        return 0;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || !(x >= 0 && x <= 1))
        return ct_err_set_field(err, CT_EUSAGE, "threshold", "%s",
                                _("'threshold' takes a number from 0 to 1"));
    *out = x;
    return 0;
}

/* Whether the interval of o is the bootstrap (the default of stepwise and
 * main). */
static int uses_bootstrap(const ct_estimate_opts *o)
{
    return o->interval == CT_ESTIMATE_IV_BCA ||
           (o->interval == CT_ESTIMATE_IV_DEFAULT &&
            (o->method == CT_ESTIMATE_STEPWISE || o->method == CT_ESTIMATE_MAIN));
}

/* The estimation options of the query (both forms). */
static int estimate_args(ct_req *r, ct_estimate_opts *o, ct_err *err)
{
    int method = o->method, interval = o->interval, reps = -1;
    long bootstrap = 1000, seed = 1234;
    int rc = word_arg(r, "method", method_words, &method, err);
    if (!rc)
        rc = word_arg(r, "interval", interval_words, &interval, err);
    if (!rc)
        rc = threshold_arg(r, &o->threshold, err);
    if (!rc)
        rc = long_arg(r, "bootstrap", 10, MAX_BOOTSTRAP, &bootstrap, err);
    if (!rc)
        rc = long_arg(r, "seed", 0, 2147483647L, &seed, err);
    if (!rc)
        rc = ct_req_query_bool(r, "replicates", &reps, err);
    if (rc)
        return rc;
    o->method = method;
    o->interval = interval;
    o->bootstrap = bootstrap;
    o->seed = (unsigned long)seed;
    o->threads = ESTIMATE_THREADS;
    o->keep_replicates = reps == 1;
    if (o->keep_replicates && !uses_bootstrap(o))
        return ct_err_set_field(err, CT_EUSAGE, "replicates", "%s",
                                _("replicates=true needs the bca interval"));
    return 0;
}

/* Bounds the work: strata, and replicates in all. */
static int check_work(const ct_estimate_data *d, const ct_estimate_opts *o, ct_err *err)
{
    size_t n = ct_estimate_data_nstrata(d), busy = 0;
    if (n > MAX_STRATA)
        return ct_err_set_field(err, CT_EUSAGE, "by",
                                _("%zu strata; at most %d per request (use fewer strata)"), n,
                                MAX_STRATA);
    for (size_t s = 0; s < n; s++)
        busy += ct_estimate_data_total(d, s) > 0;
    if (uses_bootstrap(o) && (double)busy * (double)o->bootstrap > MAX_REPLICATES)
        return ct_err_set_field(err, CT_EUSAGE, "bootstrap",
                                _("%zu strata x %ld replicates is more than %d bootstrap "
                                  "replicates per request; ask for fewer replicates or strata, or "
                                  "interval=wald"),
                                busy, o->bootstrap, MAX_REPLICATES);
    return 0;
}

/* ---- the published view ---------------------------------------------------- */

/* x to two significant digits. */
static double two_digits(double x)
{
    if (!(x > 0) || !isfinite(x))
        return x;
    double unit = pow(10, floor(log10(x)) - 1);
    return round(x / unit) * unit;
}

static void round_member(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    if (json_is_real(v))
        json_object_set_new(o, name, json_real(two_digits(json_real_value(v))));
}

/* The stratum's overlaps as a one-column table whose last row is n_obs. */
static ct_stats_table *overlap_table(json_t *o)
{
    json_t *ov = json_object_get(o, "overlaps");
    size_t n = json_array_size(ov) + 1;
    ct_stats_table *t = ct_calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->nrows = n;
    t->ncols = 1;
    t->id = ct_strdup("estimate_overlaps");
    t->title = ct_strdup("overlaps");
    t->row_codes = ct_calloc(n, sizeof(char *));
    t->row_labels = ct_calloc(n, sizeof(char *));
    t->col_codes = ct_calloc(1, sizeof(char *));
    t->col_labels = ct_calloc(1, sizeof(char *));
    t->cells = ct_calloc(n, sizeof(long));
    t->state = ct_calloc(n, 1);
    t->has_total_row = t->rows_additive = 1;
    if (!t->id || !t->title || !t->row_codes || !t->row_labels || !t->col_codes || !t->col_labels ||
        !t->cells || !t->state) {
        ct_stats_table_free(t);
        return NULL;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *row = json_array_get(ov, i);
        t->cells[i] = (long)json_integer_value(json_array_get(row, json_array_size(row) - 1));
    }
    t->cells[n - 1] = (long)json_integer_value(json_object_get(o, "n_obs"));
    return t;
}

static json_t *masked(const ct_stats_table *t, size_t i)
{
    char s[32];
    ct_stats_cell_text(t, i, 0, PUBLISH_THRESHOLD, 0, s);
    return json_string(s);
}

/* Applies the protection decided in t to the stratum object o. */
static void publish_one(json_t *o, const ct_stats_table *t)
{
    json_t *ov = json_object_get(o, "overlaps");
    int any = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        if (t->state[i] == CT_CELL_EXACT)
            continue;
        any = 1;
        if (i + 1 == t->nrows) {
            json_object_set_new(o, "n_obs", masked(t, i));
            continue;
        }
        json_t *row = json_array_get(ov, i);
        json_array_set_new(row, json_array_size(row) - 1, masked(t, i));
    }
    json_object_set_new(o, "published", json_true());
    if (!any)
        return;
    json_t *m = json_object_get(o, "model"), *term;
    size_t k;
    json_object_del(m, "deviance");
    json_object_del(m, "df");
    json_object_del(m, "aic");
    json_array_foreach(json_object_get(m, "terms"), k, term) json_object_del(term, "p");
    json_object_del(o, "replicates");
    round_member(o, "estimate");
    round_member(o, "hidden");
    round_member(json_object_get(o, "interval"), "lower");
    round_member(json_object_get(o, "interval"), "upper");
    json_array_append_new(json_object_get(o, "warnings"),
                          json_string(_("published view: counts from 1 to 4 are masked, the fit "
                                        "statistics are left out and the estimate and interval "
                                        "rounded to two significant digits")));
}

/* Masks small overlap counts in every stratum object of all. */
static int publish_all(json_t *all, ct_err *err)
{
    size_t n = json_array_size(all);
    ct_stats_tables set = {ct_calloc(n ? n : 1, sizeof(ct_stats_table *)), 0};
    int rc = set.v ? 0 : CT_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        if (!(set.v[set.n] = overlap_table(json_array_get(all, i))))
            rc = CT_ENOMEM;
        else
            set.n++;
    }
    if (rc)
        ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    else
        rc = ct_stats_tables_protect(&set, PUBLISH_THRESHOLD, err);
    for (size_t i = 0; i < n && !rc; i++)
        publish_one(json_array_get(all, i), set.v[i]);
    if (set.v)
        ct_stats_tables_release(&set);
    return rc;
}

/* ---- running ---------------------------------------------------------------- */

/* Every stratum's result, in a JSON array. */
static int estimate_all(const ct_estimate_data *d, const ct_estimate_opts *o, json_t **out,
                        ct_err *err)
{
    json_t *all = json_array();
    int rc = all ? 0 : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t s = 0; s < ct_estimate_data_nstrata(d) && !rc; s++) {
        ct_estimate_result *res = NULL;
        rc = ct_estimate_run(d, s, o, &res, err);
        json_t *j = rc ? NULL : ct_estimate_result_json(res);
        if (!rc && !j)
            rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        if (j)
            json_array_append_new(all, j);
        ct_estimate_result_free(res);
    }
    ct_estimate_thread_release(); /* worker threads live on: free GLPK's environment */
    if (rc)
        json_decref(all);
    else
        *out = all;
    return rc;
}

/* One object without strata, the array with them (as the CLI). */
static int reply(ct_req *r, const ct_estimate_data *d, json_t *all)
{
    if (ct_estimate_data_nstrata_columns(d))
        return ct_req_reply_json(r, 200, all);
    json_t *one = json_incref(json_array_get(all, 0));
    json_decref(all);
    return ct_req_reply_json(r, 200, one);
}

/* Problems of the reader ("PLACE: reason" lines) as the error's problems. */
static int fail_histories(ct_req *r, const char *problems, ct_err *err)
{
    ct_problems pr = CT_PROBLEMS_INIT;
    for (const char *p = problems; p && *p;) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
        const char *sep = strstr(p, ": ");
        char field[CT_PROBLEM_FIELD_MAX];
        if (!sep || sep > end)
            sep = p;
        snprintf(field, sizeof(field), "%.*s", (int)(sep - p), p);
        const char *msg = sep == p ? p : sep + 2;
        ct_problems_add(&pr, field, "%.*s", (int)(end - msg), msg);
        p = nl ? nl + 1 : end;
    }
    ct_err keep = *err;
    ct_err_clear(err);
    int rc = ct_req_fail_problems(r, &pr, err);
    if (!pr.n)
        *err = keep;
    ct_problems_release(&pr);
    return rc;
}

static int read_body(ct_req *r, ct_estimate_data **d, ct_err *err)
{
    char *problems = NULL;
    int rc = r->json ? ct_estimate_read_json(r->json, d, &problems, err)
                     : ct_estimate_read_mem(r->body, r->body_len, "body", d, &problems, err);
    if (rc == CT_EINVAL)
        rc = fail_histories(r, problems, err);
    ct_free(problems);
    return rc;
}

CT_HANDLER(h_estimate_post)
{
    static const char *const allowed[] = {"method", "interval",   "threshold", "bootstrap",
                                          "seed",   "replicates", NULL};
    ct_estimate_opts o = CT_ESTIMATE_OPTS_INIT;
    ct_estimate_data *d = NULL;
    json_t *all = NULL;
    int rc = ct_req_query_check(r, allowed, err);
    if (!rc)
        rc = estimate_args(r, &o, err);
    if (!rc)
        rc = read_body(r, &d, err);
    if (!rc)
        rc = check_work(d, &o, err);
    if (!rc)
        rc = estimate_all(d, &o, &all, err);
    if (!rc)
        rc = reply(r, d, all);
    ct_estimate_data_free(d);
    return rc;
}

static int year_arg(ct_req *r, const char *name, int *out, ct_err *err)
{
    long y = 0;
    int rc = long_arg(r, name, 1990, 2200, &y, err);
    *out = (int)y;
    return rc;
}

CT_HANDLER(h_estimate_get)
{
    static const char *const allowed[] = {
        "lists",    "by",        "country",   "from", "to",         "publish", "method",
        "interval", "threshold", "bootstrap", "seed", "replicates", NULL};
    ct_estimate_opts o = CT_ESTIMATE_OPTS_INIT;
    ct_estimate_db_opts dbo = {NULL, 0, 0, 0, NULL};
    int publish = -1;
    int rc = ct_req_query_check(r, allowed, err);
    dbo.lists = ct_req_query(r, "lists"); /* parsed by ct_req_query_check */
    dbo.country = ct_req_query(r, "country");
    if (!rc && !dbo.lists)
        rc = ct_err_set_field(err, CT_EUSAGE, "lists", "%s", _("say what a list is: lists=agency"));
    if (!rc)
        rc = estimate_args(r, &o, err);
    if (!rc)
        rc = ct_estimate_by_parse(ct_req_query(r, "by"), &dbo.by, err);
    if (!rc)
        rc = year_arg(r, "from", &dbo.year_from, err);
    if (!rc)
        rc = year_arg(r, "to", &dbo.year_to, err);
    if (!rc)
        rc = ct_req_query_bool(r, "publish", &publish, err);
    if (rc)
        return rc;
    if (publish < 0)
        publish = 1;
    if (!publish && r->role == CT_ROLE_ANALYST)
        return ct_err_set_field(err, CT_EPERM, "publish", "%s",
                                _("analysts receive published statistics only (publish=true)"));
    ct_estimate_data *d = NULL;
    json_t *all = NULL;
    rc = ct_estimate_histories_from_store(r->store, &dbo, &d, err);
    if (!rc)
        rc = check_work(d, &o, err);
    ct_req_end_read(r); /* the histories are read: estimating needs no snapshot */
    if (!rc)
        rc = estimate_all(d, &o, &all, err);
    if (!rc && publish)
        rc = publish_all(all, err);
    if (!rc)
        rc = reply(r, d, all);
    else
        json_decref(all);
    ct_estimate_data_free(d);
    return rc;
}
