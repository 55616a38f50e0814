/*
 * result.c - ct_estimate_run: one stratum from table to estimate, interval,
 * warnings, or the reason why no estimate exists; and its JSON (issue 5).
 */
#include "estimate_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <gsl/gsl_cdf.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MAX_WARNINGS = 16, WARN_LEN = 256, NAME_LEN = 800 };

struct ct_estimate_result {
    int has;
    char reason[CT_ERR_MSG_MAX];
    const char *method, *iv_method;
    double threshold, level;
    int t;
    char *lists[CT_ESTIMATE_MAX_LISTS];
    int nby;
    char *by_name[CT_ESTIMATE_MAX_STRATA], *by_value[CT_ESTIMATE_MAX_STRATA];
    est_table tab;
    double n_obs, estimate, lower, upper;
    est_selection sel;
    int nempty;
    unsigned empty[EST_MAX_TERMS];
    double deviance, aic;
    int df;
    int nwarn;
    char warn[MAX_WARNINGS][WARN_LEN];
    double *reps;
    size_t nreps;
};

/* Method names (JSON and --method) and their defaults, from issue 5. */
static const struct method_row {
    enum ct_estimate_method m;
    const char *name;
    double threshold;
    enum ct_estimate_interval interval;
} methods[] = {
    {CT_ESTIMATE_STEPWISE, "stepwise", 0.02, CT_ESTIMATE_IV_BCA},
    {CT_ESTIMATE_MAIN, "main", 0, CT_ESTIMATE_IV_BCA},
    {CT_ESTIMATE_AIC, "aic", 0.05, CT_ESTIMATE_IV_PROFILE},
    {CT_ESTIMATE_BIC, "bic", 0, CT_ESTIMATE_IV_PROFILE},
};

static const char *const iv_names[] = {"default", "wald", "bca", "profile"};

static void warn(ct_estimate_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(ct_estimate_result *r, const char *fmt, ...)
{
    if (r->nwarn == MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->warn[r->nwarn++], WARN_LEN, fmt, ap);
    va_end(ap);
}

static void no_estimate(ct_estimate_result *r, const char *reason)
{
    r->has = 0;
    snprintf(r->reason, sizeof(r->reason), "%s", reason);
}

void ct_estimate_result_free(ct_estimate_result *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->t; i++)
        ct_free(r->lists[i]);
    for (int j = 0; j < r->nby; j++) {
        ct_free(r->by_name[j]);
        ct_free(r->by_value[j]);
    }
    ct_free(r->reps);
    ct_free(r);
}

int ct_estimate_result_has_estimate(const ct_estimate_result *r)
{
    return r->has;
}

const double *ct_estimate_result_replicates(const ct_estimate_result *r, size_t *n)
{
    *n = r->nreps;
    return r->reps;
}

/* ---- options ------------------------------------------------------------ */

static int resolve_opts(const ct_estimate_opts *in, ct_estimate_opts *o, ct_err *err)
{
    static const ct_estimate_opts defaults = CT_ESTIMATE_OPTS_INIT;
    *o = in ? *in : defaults;
    if ((unsigned)o->method >= sizeof(methods) / sizeof(methods[0]))
        return ct_err_set(err, CT_EINVAL, "%s", _("unknown estimation method"));
    const struct method_row *m = &methods[o->method];
    if (o->threshold < 0)
        o->threshold = m->threshold;
    if (o->threshold > 1)
        return ct_err_set(err, CT_EINVAL, "%s", _("the threshold must be from 0 to 1"));
    if (o->interval == CT_ESTIMATE_IV_DEFAULT)
        o->interval = m->interval;
    if (o->level == 0)
        o->level = 0.95;
    if (!(o->level > 0 && o->level < 1))
        return ct_err_set(err, CT_EINVAL, "%s", _("the level must lie strictly between 0 and 1"));
    if (o->bootstrap == 0)
        o->bootstrap = 1000;
    if (o->bootstrap < 10 || o->bootstrap > 1000000)
        return ct_err_set(err, CT_EINVAL, "%s",
                          _("the number of bootstrap replicates must be from 10 to 1,000,000"));
    return 0;
}

/* ---- the steps ---------------------------------------------------------- */

/* Copies the stratum's description and its table, less any list without a
 * case in this stratum (its main effect would be −∞). */
static int take_table(ct_estimate_result *r, const ct_estimate_data *d, size_t s)
{
    const est_table *src = est_data_table(d, s);
    const char *const *names = est_data_lists(d);
    int map[CT_ESTIMATE_MAX_LISTS];
    r->t = 0;
    for (int i = 0; i < src->t; i++) {
        if (est_overlap(src, 1u << i) == 0) {
            warn(r, _("list %s has no case in this stratum and was left out"), names[i]);
            map[i] = -1;
            continue;
        }
        map[i] = r->t;
        if (!(r->lists[r->t++] = ct_strdup(names[i])))
            return CT_ENOMEM;
    }
    r->tab.t = r->t;
    unsigned ncell = 1u << src->t;
    for (unsigned c = 1; c < ncell; c++) {
        unsigned nc = 0;
        for (int i = 0; i < src->t; i++)
            if ((c >> i) & 1u)
                nc |= map[i] < 0 ? 0 : 1u << map[i];
        if (src->y[c] > 0)
            r->tab.y[nc] += src->y[c];
    }
    r->n_obs = est_total(&r->tab);
    r->nby = est_data_nby(d);
    for (int j = 0; j < r->nby; j++) {
        r->by_name[j] = ct_strdup(est_data_by_name(d, j));
        r->by_value[j] = ct_strdup(est_data_by_value(d, s, j));
        if (!r->by_name[j] || !r->by_value[j])
            return CT_ENOMEM;
    }
    return 0;
}

/* Reasons for which no estimate can exist, before any fit. */
static int precheck(ct_estimate_result *r)
{
    if (r->t < CT_ESTIMATE_MIN_LISTS) {
        no_estimate(r, _("fewer than 3 lists have cases in this stratum"));
        return -1;
    }
    double multi = 0;
    for (unsigned c = 1; c < (1u << r->t); c++)
        if (__builtin_popcount(c) > 1)
            multi += r->tab.y[c];
    if (multi == 0) {
        no_estimate(r, _("no case is on two lists: without overlaps nothing can be estimated"));
        return -1;
    }
    if (r->t == 3)
        warn(r, "%s", _("only 3 lists: the estimate rests on strong assumptions about them"));
    return 0;
}

static const char *fit_failure(int status)
{
    switch (status) {
    case EST_FIT_NOCONV:
        return _("the model fit did not converge");
    case EST_FIT_NOEXIST:
        return _("the maximum-likelihood estimate does not exist for these data (the overlaps "
                 "are too sparse)");
    case EST_FIT_NOIDENT:
        return _("the model is not identifiable from these data");
    }
    return _("no estimate");
}

static void warn_empty_overlaps(ct_estimate_result *r)
{
    char names[NAME_LEN] = "";
    size_t used = 0;
    for (int i = 0; i < r->t; i++)
        for (int j = i + 1; j < r->t; j++) {
            if (est_overlap(&r->tab, (1u << i) | (1u << j)) > 0 || used + 140 > sizeof(names))
                continue;
            used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s:%s",
                                     used ? ", " : "", r->lists[i], r->lists[j]);
        }
    if (used)
        warn(r, _("no case is on both lists of: %s"), names);
}

static int run_select(ct_estimate_result *r, const ct_estimate_opts *o, est_work *w, est_fit *f)
{
    est_select_opts so = {o->method, o->threshold};
    int rc = est_select(&r->tab, &so, w, &r->sel, f);
    if (rc < 0)
        return rc;
    if (f->status != EST_FIT_OK) {
        no_estimate(r, fit_failure(f->status));
        return 0;
    }
    r->estimate = r->n_obs + exp(f->beta0);
    if (!isfinite(r->estimate)) {
        no_estimate(r, _("the estimate is not finite"));
        return 0;
    }
    r->has = 1;
    if (r->sel.truncated)
        warn(r, "%s",
             _("the BIC search stopped at its limit of fits: the model is the best found, "
               "perhaps not the best"));
    r->deviance = f->deviance;
    r->df = f->df;
    r->aic = f->aic;
    r->nempty = f->nempty;
    memcpy(r->empty, f->empty, sizeof(unsigned) * (size_t)f->nempty);
    return 0;
}

static int interval_bca(ct_estimate_result *r, const ct_estimate_opts *o, ct_err *err)
{
    est_select_opts so = {o->method, o->threshold};
    est_boot_opts bo = {o->bootstrap, o->seed, o->threads};
    est_boot b;
    int rc = est_bootstrap(&r->tab, &so, &bo, &b, err);
    if (rc)
        return rc;
    size_t n = 0;
    for (long i = 0; i < b.nreps; i++) /* keep the replicates that have an estimate */
        if (isfinite(b.reps[i]))
            b.reps[n++] = b.reps[i];
    if (b.nfailed)
        warn(r, _("%ld of %ld bootstrap replicates had no estimate and were left out"), b.nfailed,
             b.nreps);
    if (b.jack_failed)
        warn(r, _("%ld jackknife samples had no estimate; the acceleration ignores them"),
             b.jack_failed);
    if (n == 0 || est_bca_limits(b.reps, n, r->estimate, b.accel, o->level, &r->lower, &r->upper))
        warn(r, "%s",
             _("no BCa interval: every bootstrap replicate lies on one side of the "
               "estimate"));
    if (o->keep_replicates) {
        r->reps = b.reps, r->nreps = n;
        b.reps = NULL;
    }
    est_boot_release(&b);
    return 0;
}

static int interval(ct_estimate_result *r, const ct_estimate_opts *o, est_work *w, const est_fit *f,
                    ct_err *err)
{
    r->lower = r->upper = NAN;
    if (o->interval == CT_ESTIMATE_IV_WALD) {
        double z = gsl_cdf_ugaussian_Pinv((1 + o->level) / 2);
        r->lower = r->n_obs + exp(f->beta0 - z * f->se0);
        r->upper = r->n_obs + exp(f->beta0 + z * f->se0);
        return 0;
    }
    if (o->interval == CT_ESTIMATE_IV_BCA)
        return interval_bca(r, o, err);
    int rc = est_profile_interval(&r->tab, &r->sel.model, r->estimate, o->level, w, &r->lower,
                                  &r->upper);
    if (rc == CT_ENOMEM)
        return rc;
    if (rc)
        warn(r, "%s", _("no profile-likelihood interval: a fit on the way did not converge"));
    else if (isinf(r->upper))
        warn(r, "%s", _("the upper limit lies beyond 3 times the estimate"));
    return 0;
}

static int run(ct_estimate_result *r, const ct_estimate_data *d, size_t s,
               const ct_estimate_opts *o, ct_err *err)
{
    est_work *w = est_work_new();
    est_fit *f = ct_malloc(sizeof(*f));
    int rc = w && f ? take_table(r, d, s) : CT_ENOMEM;
    if (!rc && precheck(r) == 0) {
        warn_empty_overlaps(r);
        rc = run_select(r, o, w, f);
        if (!rc && r->has)
            rc = interval(r, o, w, f, err);
    }
    ct_free(f);
    est_work_free(w);
    return rc;
}

int ct_estimate_run(const ct_estimate_data *d, size_t s, const ct_estimate_opts *opts,
                    ct_estimate_result **out, ct_err *err)
{
    *out = NULL;
    ct_estimate_opts o;
    int rc = resolve_opts(opts, &o, err);
    if (rc)
        return rc;
    if (s >= ct_estimate_data_nstrata(d))
        return ct_err_set(err, CT_EINVAL, "%s", _("no such stratum"));
    est_gsl_quiet();
    ct_estimate_result *r = ct_calloc(1, sizeof(*r));
    if (!r)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    r->method = methods[o.method].name;
    r->iv_method = iv_names[o.interval];
    r->threshold = o.threshold;
    r->level = o.level;
    rc = run(r, d, s, &o, err);
    if (rc) {
        if (rc == CT_ENOMEM)
            ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        else
            ct_err_set(err, rc, "%s", _("the estimation failed"));
        ct_estimate_result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *num_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *term_json(const ct_estimate_result *r, const est_step *st)
{
    char name[NAME_LEN];
    est_term_name(st->term, (const char *const *)r->lists, name, sizeof(name));
    return json_pack("{s:s, s:o}", "term", name, "p", num_or_null(st->p));
}

static json_t *model_json(const ct_estimate_result *r)
{
    json_t *terms = json_array(), *empty = json_array();
    char name[NAME_LEN];
    for (int k = 0; k < r->sel.nsteps; k++)
        json_array_append_new(terms, term_json(r, &r->sel.step[k]));
    for (int k = 0; k < r->nempty; k++) {
        est_term_name(r->empty[k], (const char *const *)r->lists, name, sizeof(name));
        json_array_append_new(empty, json_string(name));
    }
    return json_pack("{s:s, s:f, s:o, s:o, s:o, s:i, s:o}", "method", r->method, "threshold",
                     r->threshold, "terms", terms, "empty_overlaps", empty, "deviance",
                     num_or_null(r->deviance), "df", r->df, "aic", num_or_null(r->aic));
}

static json_t *overlaps_json(const ct_estimate_result *r)
{
    json_t *a = json_array();
    for (int k = 1; k <= r->t; k++)
        for (unsigned c = 1; c < (1u << r->t); c++) {
            if (__builtin_popcount(c) != k || r->tab.y[c] <= 0)
                continue;
            json_t *row = json_array();
            for (int i = 0; i < r->t; i++)
                if ((c >> i) & 1u)
                    json_array_append_new(row, json_string(r->lists[i]));
            json_array_append_new(row, json_integer((json_int_t)r->tab.y[c]));
            json_array_append_new(a, row);
        }
    return a;
}

static json_t *interval_json(const ct_estimate_result *r)
{
    return json_pack("{s:s, s:f, s:o, s:o}", "method", r->iv_method, "level", r->level, "lower",
                     num_or_null(r->lower), "upper", num_or_null(r->upper));
}

static void add_stratum(json_t *o, const ct_estimate_result *r)
{
    if (!r->nby)
        return;
    json_t *s = json_object();
    for (int j = 0; j < r->nby; j++)
        json_object_set_new(s, r->by_name[j], json_string(r->by_value[j]));
    json_object_set_new(o, "stratum", s);
}

json_t *ct_estimate_result_json(const ct_estimate_result *r)
{
    json_t *o = json_object(), *w = json_array();
    add_stratum(o, r);
    json_object_set_new(o, "n_obs", json_integer((json_int_t)r->n_obs));
    json_object_set_new(o, "estimate", r->has ? json_real(r->estimate) : json_null());
    json_object_set_new(o, "hidden", r->has ? json_real(r->estimate - r->n_obs) : json_null());
    if (r->has) {
        json_object_set_new(o, "interval", interval_json(r));
        json_object_set_new(o, "model", model_json(r));
    } else {
        json_object_set_new(o, "reason", json_string(r->reason));
    }
    json_object_set_new(o, "lists", json_array());
    for (int i = 0; i < r->t; i++)
        json_array_append_new(json_object_get(o, "lists"), json_string(r->lists[i]));
    json_object_set_new(o, "overlaps", overlaps_json(r));
    for (int k = 0; k < r->nwarn; k++)
        json_array_append_new(w, json_string(r->warn[k]));
    json_object_set_new(o, "warnings", w);
    if (r->reps) {
        json_t *a = json_array();
        for (size_t i = 0; i < r->nreps; i++)
            json_array_append_new(a, json_real(r->reps[i]));
        json_object_set_new(o, "replicates", a);
    }
    return o;
}
