/*
 * estimate.c - `ctip estimate`: multiple systems estimation of the number of
 * victims on no list (issue 5; the method: src/estimate/estimate.h,
 * docs/estimate.md).
 *
 *   ctip estimate FILE.csv [--method stepwise|main|aic|bic] [--threshold P]
 *       [--interval wald|bca|profile] [--bootstrap N --seed S]
 *       [--replicates OUT.csv] [--format text|json]
 *   ctip estimate DB --lists agency [--by year,sex,agegroup]
 *       [--histories-out FILE] [the same options]
 *
 * A database gives the capture histories of its victim records
 * (ct_estimate_histories_from_store: person keys, else each record is a
 * person of its own); they are then estimated exactly as a CSV file.
 *
 * Exit statuses (contracts.md): 0 an estimate (with strata: at least one
 * stratum has one), 2 invalid input, 4 no estimate exists (the reason is
 * printed), 1 usage or I/O.
 */
#include "cli.h"

#include "core/alloc.h"
#include "core/i18n.h"
#include "estimate/estimate.h"
#include "store/store.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct est_args {
    const char *method, *interval, *format, *replicates;
    const char *lists, *by, *histories_out, *country; /* database mode */
    double threshold;
    long bootstrap, seed, threads;
} est_args;

/* Option words and their values: one table per option (rules as data). */
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
                      {NULL, 0}},
  format_words[] = {{"text", 0}, {"json", 1}, {NULL, 0}};

static int lookup(const struct word *w, const char *s, const char *opt, int *out, ct_cli *cli)
{
    for (; w->word; w++)
        if (strcmp(w->word, s) == 0) {
            *out = w->value;
            return 0;
        }
    return ct_err_set(&cli->err, CT_EUSAGE, _("option '--%s' does not accept '%.40s'"), opt, s);
}

static int is_csv_name(const char *path)
{
    size_t n = strlen(path);
    return strcmp(path, "-") == 0 || (n > 4 && strcasecmp(path + n - 4, ".csv") == 0);
}

static int resolve(const est_args *a, ct_estimate_opts *o, int *json, ct_cli *cli)
{
    int v = 0, r = 0;
    if (a->method && !(r = lookup(method_words, a->method, "method", &v, cli)))
        o->method = v;
    if (!r && a->interval && !(r = lookup(interval_words, a->interval, "interval", &v, cli)))
        o->interval = v;
    if (!r && (r = lookup(format_words, a->format, "format", json, cli)))
        return r;
    if (r)
        return r;
    o->threshold = a->threshold;
    if (!isnan(a->threshold) && !(a->threshold >= 0 && a->threshold <= 1))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--threshold must be from 0 to 1"));
    if (isnan(a->threshold))
        o->threshold = -1;
    if (a->bootstrap && (a->bootstrap < 10 || a->bootstrap > 1000000))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--bootstrap must be from 10 to 1000000"));
    o->bootstrap = a->bootstrap;
    o->seed = (unsigned long)a->seed;
    o->threads = a->threads > 0 && a->threads < 256 ? (int)a->threads : 0;
    o->keep_replicates = a->replicates != NULL;
    return 0;
}

/* ---- the text report ---------------------------------------------------- */

/* 12345.6 -> "12,346" (English) or "12 346" (French): people read counts. */
static void fmt_count(double x, char *buf, size_t n)
{
    const char *sep = _(",");
    char digits[64];
    snprintf(digits, sizeof(digits), "%.0f", x);
    size_t len = strlen(digits), used = 0;
    for (size_t i = 0; i < len && used + 8 < n; i++) {
        if (i && (len - i) % 3 == 0 && digits[i - 1] != '-')
            used += (size_t)snprintf(buf + used, n - used, "%s", sep);
        buf[used++] = digits[i];
    }
    buf[used] = '\0';
}

static void print_overlaps(FILE *out, json_t *o)
{
    size_t i;
    json_t *row;
    fprintf(out, "%s\n", _("Cases by capture history (lists that recorded them):"));
    json_array_foreach(json_object_get(o, "overlaps"), i, row)
    {
        char names[512] = "", n[32];
        size_t k, used = 0, last = json_array_size(row) - 1;
        for (k = 0; k < last && used < sizeof(names) - 80; k++)
            used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", k ? " + " : "",
                                     json_string_value(json_array_get(row, k)));
        fmt_count((double)json_integer_value(json_array_get(row, last)), n, sizeof(n));
        fprintf(out, "  %-40s %10s\n", names, n);
    }
}

static void print_model(FILE *out, json_t *m)
{
    const char *method = json_string_value(json_object_get(m, "method"));
    json_t *terms = json_object_get(m, "terms"), *t;
    size_t i;
    if (strcmp(method, "stepwise") == 0 || strcmp(method, "aic") == 0)
        fprintf(out, _("Model: %s selection, threshold %g\n"), method,
                json_real_value(json_object_get(m, "threshold")));
    else
        fprintf(out, _("Model: %s\n"), method);
    if (json_array_size(terms) == 0)
        fprintf(out, "  %s\n", _("main effects only (lists independent)"));
    json_array_foreach(terms, i, t)
    {
        json_t *p = json_object_get(t, "p");
        if (json_is_real(p))
            fprintf(out, _("  %zu. %-24s p = %.3g\n"), i + 1,
                    json_string_value(json_object_get(t, "term")), json_real_value(p));
        else
            fprintf(out, "  %zu. %s\n", i + 1, json_string_value(json_object_get(t, "term")));
    }
    json_t *empty = json_object_get(m, "empty_overlaps");
    if (json_array_size(empty)) {
        fprintf(out, "  %s", _("empty overlaps in the model (no common case):"));
        json_array_foreach(empty, i, t) fprintf(out, " %s", json_string_value(t));
        fputc('\n', out);
    }
    fprintf(out, _("  deviance %.2f on %lld degrees of freedom, AIC %.2f\n"),
            json_real_value(json_object_get(m, "deviance")),
            (long long)json_integer_value(json_object_get(m, "df")),
            json_real_value(json_object_get(m, "aic")));
}

/* Interval method names, as people read them. */
static const char *interval_label(const char *m)
{
    if (strcmp(m, "bca") == 0)
        return _("BCa bootstrap");
    if (strcmp(m, "profile") == 0)
        return _("profile likelihood");
    return _("Wald, log scale");
}

static void print_estimate(FILE *out, json_t *o)
{
    char est[32], hid[32], obs[32], lo[32], hi[32];
    fmt_count(json_real_value(json_object_get(o, "estimate")), est, sizeof(est));
    fmt_count(json_real_value(json_object_get(o, "hidden")), hid, sizeof(hid));
    fmt_count((double)json_integer_value(json_object_get(o, "n_obs")), obs, sizeof(obs));
    fprintf(out, _("Estimate: %s victims in all: %s on the lists and %s on none\n"), est, obs, hid);
    json_t *iv = json_object_get(o, "interval");
    json_t *l = json_object_get(iv, "lower"), *u = json_object_get(iv, "upper");
    const char *m = interval_label(json_string_value(json_object_get(iv, "method")));
    double level = 100 * json_real_value(json_object_get(iv, "level"));
    if (!json_is_real(l) && !json_is_real(u)) {
        fprintf(out, _("%g%% interval (%s): none\n"), level, m);
        return;
    }
    fmt_count(json_real_value(l), lo, sizeof(lo));
    if (json_is_real(u))
        fmt_count(json_real_value(u), hi, sizeof(hi));
    else
        snprintf(hi, sizeof(hi), "%s", _("unbounded"));
    fprintf(out, _("%g%% interval (%s): %s to %s\n"), level, m, lo, hi);
}

static void print_stratum(FILE *out, json_t *o)
{
    json_t *s = json_object_get(o, "stratum"), *v;
    const char *k;
    if (!s)
        return;
    fprintf(out, "== %s", _("Stratum"));
    json_object_foreach(s, k, v) fprintf(out, " %s=%s", k, json_string_value(v));
    fprintf(out, " ==\n");
}

static void print_text(FILE *out, json_t *o)
{
    size_t i;
    json_t *w;
    print_stratum(out, o);
    print_overlaps(out, o);
    fputc('\n', out);
    if (json_is_null(json_object_get(o, "estimate")))
        fprintf(out, _("No estimate: %s\n"), json_string_value(json_object_get(o, "reason")));
    else {
        print_model(out, json_object_get(o, "model"));
        fputc('\n', out);
        print_estimate(out, o);
    }
    json_array_foreach(json_object_get(o, "warnings"), i, w)
        fprintf(out, _("Warning: %s\n"), json_string_value(w));
}

/* ---- running ------------------------------------------------------------ */

static int write_replicates(FILE *f, const ct_estimate_data *d, size_t s, json_t *o,
                            const ct_estimate_result *r)
{
    size_t n;
    const double *x = ct_estimate_result_replicates(r, &n);
    json_t *st = json_object_get(o, "stratum"), *v;
    const char *k;
    if (s == 0) {
        json_object_foreach(st, k, v) fprintf(f, "%s,", k);
        fputs("replicate,estimate\n", f);
    }
    (void)d;
    for (size_t i = 0; i < n; i++) {
        json_object_foreach(st, k, v) fprintf(f, "%s,", json_string_value(v));
        fprintf(f, "%zu,%.10g\n", i + 1, x[i]);
    }
    return ferror(f) ? -1 : 0;
}

typedef struct run_state {
    const ct_estimate_opts *o;
    int json;
    FILE *reps;
    json_t *all; /* JSON array when there are strata */
    size_t with_estimate;
    char reason[CT_ERR_MSG_MAX];
} run_state;

static int estimate_one(run_state *st, const ct_estimate_data *d, size_t s, ct_cli *cli)
{
    ct_estimate_result *r;
    int rc = ct_estimate_run(d, s, st->o, &r, &cli->err);
    if (rc)
        return rc;
    json_t *o = ct_estimate_result_json(r);
    if (!o) {
        ct_estimate_result_free(r);
        return ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    }
    if (ct_estimate_result_has_estimate(r))
        st->with_estimate++;
    else
        snprintf(st->reason, sizeof(st->reason), "%s",
                 json_string_value(json_object_get(o, "reason")));
    if (st->reps && write_replicates(st->reps, d, s, o, r))
        rc = ct_err_set(&cli->err, CT_EIO, _("cannot write the replicates: %s"), strerror(errno));
    ct_estimate_result_free(r);
    if (!st->json) {
        print_text(stdout, o);
        if (s + 1 < ct_estimate_data_nstrata(d))
            fputc('\n', stdout);
    }
    if (st->all)
        json_array_append(st->all, o);
    else if (st->json)
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    json_decref(o);
    return rc;
}

static void print_header(const ct_estimate_data *d, const char *path)
{
    char obs[32], names[1024] = "";
    size_t used = 0;
    double tot = 0;
    for (size_t s = 0; s < ct_estimate_data_nstrata(d); s++)
        tot += ct_estimate_data_total(d, s);
    fmt_count(tot, obs, sizeof(obs));
    for (int i = 0; i < ct_estimate_data_nlists(d) && used < sizeof(names) - 80; i++)
        used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
                                 ct_estimate_data_list(d, i));
    printf(_("%s: %d lists (%s), %s cases observed\n\n"), path, ct_estimate_data_nlists(d), names,
           obs);
}

static int estimate_all(const ct_estimate_data *d, const char *path, run_state *st, ct_cli *cli)
{
    size_t n = ct_estimate_data_nstrata(d);
    int rc = 0;
    if (ct_estimate_data_nstrata_columns(d)) /* with strata: a JSON array, one object each */
        st->all = json_array();
    if (!st->json)
        print_header(d, path);
    for (size_t s = 0; s < n && !rc; s++)
        rc = estimate_one(st, d, s, cli);
    if (!rc && st->all && st->json)
        json_dumpf(st->all, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    if (!rc && st->json)
        fputc('\n', stdout);
    json_decref(st->all);
    if (rc || st->with_estimate)
        return rc;
    if (n == 1)
        return ct_err_set(&cli->err, CT_ENORESULT, _("no estimate: %s"), st->reason);
    return ct_err_set(&cli->err, CT_ENORESULT, "%s", _("no estimate in any stratum"));
}

static int read_input(const char *path, ct_estimate_data **d, ct_cli *cli)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f)
        return ct_err_set(&cli->err, CT_EIO, _("cannot open '%.200s': %s"), path, strerror(errno));
    char *problems = NULL;
    int r = ct_estimate_read_csv(f, path, d, &problems, &cli->err);
    if (f != stdin)
        fclose(f);
    if (r == CT_EINVAL && problems) {
        fputs(problems, stderr);
        ct_err_clear(&cli->err);
        ct_err_set(&cli->err, CT_EINVAL,
                   _("invalid capture histories in '%.200s'; nothing "
                     "estimated"),
                   path);
    }
    ct_free(problems);
    return r;
}

/* Writes the histories to path (contracts.md), for checking and re-use. */
static int write_histories(const ct_estimate_data *d, const char *path, ct_cli *cli)
{
    FILE *f = ct_cli_open_output(cli, path);
    if (!f)
        return cli->err.code;
    int r = ct_estimate_data_write_csv(d, f, &cli->err);
    int c = ct_cli_close_output(cli, f, path);
    return r ? r : c;
}

static int read_database(const char *path, const est_args *a, ct_estimate_data **d, ct_cli *cli)
{
    ct_estimate_db_opts dbo = {a->lists, 0, 0, 0, a->country};
    int r = ct_estimate_by_parse(a->by, &dbo.by, &cli->err);
    if (r)
        return r;
    ct_store *s = NULL;
    if ((r = ct_cli_open_store(cli, path, CT_STORE_READONLY, &s)))
        return r;
    r = ct_estimate_histories_from_store(s, &dbo, d, &cli->err);
    ct_store_close(s);
    if (!r && a->histories_out)
        r = write_histories(*d, a->histories_out, cli);
    return r;
}

static int run_file(const char *path, const est_args *a, const ct_estimate_opts *o, int json,
                    ct_cli *cli)
{
    ct_estimate_data *d = NULL;
    int r = a->lists ? read_database(path, a, &d, cli) : read_input(path, &d, cli);
    if (r)
        return r;
    run_state st = {o, json, NULL, NULL, 0, ""};
    if (a->replicates && !(st.reps = fopen(a->replicates, "w")))
        r = ct_err_set(&cli->err, CT_EIO, _("cannot create '%.200s': %s"), a->replicates,
                       strerror(errno));
    if (!r)
        r = estimate_all(d, path, &st, cli);
    if (st.reps && fclose(st.reps) && !r)
        r = ct_err_set(&cli->err, CT_EIO, _("cannot write '%.200s': %s"), a->replicates,
                       strerror(errno));
    ct_estimate_data_free(d);
    return r;
}

CT_CMD(estimate)
{
    est_args a = {NULL, NULL, "text", NULL, NULL, NULL, NULL, NULL, NAN, 0, 1234, 0};
    const ct_opt opts[] = {
        CT_OPT_STRING("method", "stepwise|main|aic|bic", &a.method,
                      N_("how to choose the model (default stepwise)")),
        CT_OPT_DOUBLE("threshold", "P", &a.threshold,
                      N_("p-value threshold (default 0.02; 0.05 for aic)")),
        CT_OPT_STRING("interval", "wald|bca|profile", &a.interval,
                      N_("interval (default bca; profile for aic and bic)")),
        CT_OPT_INT("bootstrap", "N", &a.bootstrap, N_("bootstrap replicates (default 1000)")),
        CT_OPT_INT("seed", "S", &a.seed, N_("bootstrap seed (default 1234)")),
        CT_OPT_STRING("replicates", "OUT.csv", &a.replicates,
                      N_("write the bootstrap estimates to OUT.csv")),
        CT_OPT_STRING("format", "text|json", &a.format, N_("output format (default text)")),
        CT_OPT_INT("threads", "N", &a.threads, N_("bootstrap threads (default: all processors)")),
        CT_OPT_STRING("lists", "agency", &a.lists, N_("database mode: what the lists are")),
        CT_OPT_STRING("by", "year,sex,agegroup", &a.by, N_("database mode: strata")),
        CT_OPT_STRING("histories-out", "FILE", &a.histories_out,
                      N_("database mode: write the capture histories")),
        CT_OPT_STRING("country", "ISO3", &a.country,
                      N_("database mode: only agencies of this country")),
        CT_OPT_END(),
    };
    static const ct_cmd_help help = {"ctip estimate FILE.csv|DB [--lists agency] [options]",
                                     N_("estimate how many victims no list recorded (multiple "
                                        "systems estimation)")};
    int shown, n = ct_opts_parse(argc, argv, opts, &help, 1, 1, cli, &shown);
    if (n < 0 || shown)
        return n < 0 ? n : 0;
    if (is_csv_name(argv[0]) && (a.lists || a.by || a.histories_out || a.country))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--lists, --by, --country and --histories-out are for a database, "
                            "not a .csv file of capture histories"));
    if (!is_csv_name(argv[0]) && !a.lists)
        return ct_err_set(&cli->err, CT_EUSAGE,
                          _("'%.200s' is not a .csv file: to estimate from a database, say what "
                            "the lists are (--lists agency)"),
                          argv[0]);
    ct_estimate_opts o = CT_ESTIMATE_OPTS_INIT;
    int json = 0, r = resolve(&a, &o, &json, cli);
    if (!r && a.replicates && o.interval != CT_ESTIMATE_IV_BCA &&
        !(o.interval == CT_ESTIMATE_IV_DEFAULT &&
          (o.method == CT_ESTIMATE_STEPWISE || o.method == CT_ESTIMATE_MAIN)))
        r = ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--replicates needs the bca interval"));
    return r ? r : run_file(argv[0], &a, &o, json, cli);
}
