/*
 * histories.c - capture histories: the CSV of contracts.md, read and
 * written, and built from person keys.
 *
 * A ct_estimate_data holds the list names, the stratum columns in use and
 * one est_table per stratum, sorted by the strata values. Problems in a
 * file are all collected ("FILE:LINE: column: reason", the header being line
 * 1) so that a user fixes them in one pass; the first also goes in err.
 */
#include "estimate_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_PROBLEMS = 100, MAX_NAME = 64 };

typedef struct est_stratum {
    char *value[CT_ESTIMATE_MAX_STRATA]; /* by the data's stratum columns */
    est_table *tab;
    long *line; /* line that gave each cell, for duplicates (reading only) */
} est_stratum;

struct ct_estimate_data {
    int t;
    char *list[CT_ESTIMATE_MAX_LISTS];
    int nby;
    int by[CT_ESTIMATE_MAX_STRATA]; /* indexes into stratum_rules */
    size_t n, cap;
    est_stratum *s;
};

/* ---- stratum columns: the rules, from contracts.md ---------------------- */

static int valid_year(const char *v)
{
    if (strcmp(v, "unknown") == 0)
        return 1;
    if (strlen(v) != 4 || strspn(v, "0123456789") != 4)
        return 0;
    time_t now = time(NULL);
    struct tm tm;
    int this_year = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 9999;
    int y = atoi(v);
    return y >= 1990 && y <= this_year; /* case dates from 1990, none in the future */
}

static int valid_sex(const char *v)
{
    static const char *const codes[] = {"female", "male", "other", "unknown"};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (strcmp(v, codes[i]) == 0)
            return 1;
    return 0;
}

static int valid_agegroup(const char *v)
{
    return strcmp(v, "0-17") == 0 || strcmp(v, "18+") == 0 || strcmp(v, "unknown") == 0;
}

/* The stratum columns, in the order they must come (contracts.md). */
static const struct stratum_rule {
    const char *name;
    unsigned flag;
    int (*valid)(const char *);
    const char *expect; /* N_() */
} stratum_rules[CT_ESTIMATE_MAX_STRATA] = {
    {"year", CT_ESTIMATE_BY_YEAR, valid_year,
     N_("expected a year from 1990 to this year, or unknown")},
    {"sex", CT_ESTIMATE_BY_SEX, valid_sex, N_("expected female, male, other or unknown")},
    {"agegroup", CT_ESTIMATE_BY_AGEGROUP, valid_agegroup, N_("expected 0-17, 18+ or unknown")},
};

/* ---- the object --------------------------------------------------------- */

static ct_estimate_data *data_new(void)
{
    return ct_calloc(1, sizeof(ct_estimate_data));
}

void ct_estimate_data_free(ct_estimate_data *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->t; i++)
        ct_free(d->list[i]);
    for (size_t k = 0; k < d->n; k++) {
        for (int j = 0; j < d->nby; j++)
            ct_free(d->s[k].value[j]);
        ct_free(d->s[k].tab);
        ct_free(d->s[k].line);
    }
    ct_free(d->s);
    ct_free(d);
}

int ct_estimate_data_nlists(const ct_estimate_data *d)
{
    return d->t;
}

const char *ct_estimate_data_list(const ct_estimate_data *d, int i)
{
    return i >= 0 && i < d->t ? d->list[i] : NULL;
}

size_t ct_estimate_data_nstrata(const ct_estimate_data *d)
{
    return d->n;
}

int ct_estimate_data_nstrata_columns(const ct_estimate_data *d)
{
    return d->nby;
}

double ct_estimate_data_total(const ct_estimate_data *d, size_t s)
{
    return s < d->n ? est_total(d->s[s].tab) : 0;
}

const est_table *est_data_table(const ct_estimate_data *d, size_t s)
{
    return s < d->n ? d->s[s].tab : NULL;
}

int est_data_nby(const ct_estimate_data *d)
{
    return d->nby;
}

const char *est_data_by_name(const ct_estimate_data *d, int j)
{
    return stratum_rules[d->by[j]].name;
}

const char *est_data_by_value(const ct_estimate_data *d, size_t s, int j)
{
    return d->s[s].value[j];
}

const char *const *est_data_lists(const ct_estimate_data *d)
{
    return (const char *const *)d->list;
}

/* Finds the stratum with these values, adding it when absent (keeping the
 * array sorted). Returns its index or CT_ENOMEM. */
static long stratum_find(ct_estimate_data *d, const char *const *values, int track_lines)
{
    size_t lo = 0, hi = d->n;
    while (lo < hi) { /* binary search on the values, compared in order */
        size_t mid = (lo + hi) / 2;
        int c = 0;
        for (int j = 0; j < d->nby && !c; j++)
            c = strcmp(d->s[mid].value[j], values[j]);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    est_stratum *grown = ct_grow(d->s, sizeof(*d->s), d->n + 1, &d->cap);
    if (!grown)
        return CT_ENOMEM;
    d->s = grown;
    est_stratum st = {{0}, ct_calloc(1, sizeof(est_table)), NULL};
    if (track_lines)
        st.line = ct_calloc(EST_MAX_CELLS, sizeof(long));
    int ok = st.tab && (!track_lines || st.line);
    for (int j = 0; j < d->nby && ok; j++)
        ok = (st.value[j] = ct_strdup(values[j])) != NULL;
    if (!ok) {
        for (int j = 0; j < d->nby; j++)
            ct_free(st.value[j]);
        ct_free(st.tab);
        ct_free(st.line);
        return CT_ENOMEM;
    }
    st.tab->t = d->t;
    memmove(d->s + lo + 1, d->s + lo, (d->n - lo) * sizeof(*d->s));
    d->s[lo] = st;
    d->n++;
    return (long)lo;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct reader {
    const char *name;
    ct_estimate_data *d;
    ct_buf problems;
    int nproblems;
    ct_err *err;
    size_t ncols; /* header fields */
    int json;     /* JSON body: places are "lists", "histories[i]", not lines */
} reader;

/* Where a problem is: "NAME:LINE" in a file; in a JSON body the header is
 * "lists" and line L is "histories[L-2]" (read_json numbers them so). */
static void where(const reader *rd, long line, char *out, size_t n)
{
    if (!rd->json)
        snprintf(out, n, "%s:%ld", rd->name, line);
    else if (line <= 1)
        snprintf(out, n, "lists");
    else
        snprintf(out, n, "histories[%ld]", line - 2);
}

static void problem(reader *rd, long line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(reader *rd, long line, const char *col, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    char at[96];
    where(rd, line, at, sizeof(at));
    if (rd->nproblems == 0)
        ct_err_set_field(rd->err, CT_EINVAL, at, "%s: %s%s%s", at, col ? col : "", col ? ": " : "",
                         reason);
    if (rd->nproblems++ < MAX_PROBLEMS)
        ct_buf_addf(&rd->problems, "%s: %s%s%s\n", at, col ? col : "", col ? ": " : "", reason);
}

static int header_is_stratum(const char *f, int from)
{
    for (int k = from; k < CT_ESTIMATE_MAX_STRATA; k++)
        if (strcmp(f, stratum_rules[k].name) == 0)
            return k;
    return -1;
}

static void read_lists(reader *rd, const ct_csv_record *h, size_t first)
{
    ct_estimate_data *d = rd->d;
    size_t nl = h->n - 1 - first;
    if (nl < CT_ESTIMATE_MIN_LISTS || nl > CT_ESTIMATE_MAX_LISTS) {
        problem(rd, h->line, NULL, _("%zu lists; MSE needs 3 to 12 lists (one 0/1 column each)"),
                nl);
        return;
    }
    for (size_t i = first; i < h->n - 1; i++) {
        const char *f = h->field[i];
        if (!*f || strlen(f) > MAX_NAME)
            problem(rd, h->line, NULL, _("column %zu: a list name must have 1 to %d bytes"), i + 1,
                    MAX_NAME);
        for (size_t k = first; k < i; k++)
            if (strcmp(h->field[k], f) == 0)
                problem(rd, h->line, f, _("list named twice"));
        if (header_is_stratum(f, 0) >= 0)
            problem(rd, h->line, f, _("stratum columns must come first"));
        if (!(d->list[d->t++] = ct_strdup(f)))
            ct_err_set(rd->err, CT_ENOMEM, "%s", _("out of memory"));
    }
}

static void read_header(reader *rd, const ct_csv_record *h)
{
    ct_estimate_data *d = rd->d;
    size_t i = 0;
    int k;
    while (i < h->n &&
           (k = header_is_stratum(h->field[i], d->nby ? d->by[d->nby - 1] + 1 : 0)) >= 0)
        d->by[d->nby++] = k, i++;
    rd->ncols = h->n;
    if (h->n < 1 || strcmp(h->field[h->n - 1], "count") != 0) {
        problem(rd, h->line, NULL, _("the last column must be 'count'"));
        return;
    }
    read_lists(rd, h, i);
}

/* A count: a non-negative integer up to CT_ESTIMATE_MAX_COUNT, digits only. */
static int parse_count(const char *s, double *out)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 12)
        return -1;
    *out = strtod(s, NULL);
    return *out <= CT_ESTIMATE_MAX_COUNT ? 0 : -1;
}

static int parse_history(reader *rd, const ct_csv_record *r, unsigned *mask)
{
    ct_estimate_data *d = rd->d;
    int bad = 0;
    *mask = 0;
    for (int i = 0; i < d->t; i++) {
        const char *v = r->field[d->nby + i];
        if (strcmp(v, "1") == 0)
            *mask |= 1u << i;
        else if (strcmp(v, "0") != 0) {
            problem(rd, r->line, d->list[i], _("'%.20s' is not 0 or 1"), v);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

static int parse_strata(reader *rd, const ct_csv_record *r)
{
    int bad = 0;
    for (int j = 0; j < rd->d->nby; j++) {
        const struct stratum_rule *rule = &stratum_rules[rd->d->by[j]];
        if (!rule->valid(r->field[j])) {
            problem(rd, r->line, rule->name, "%s", _(rule->expect));
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

static void read_row(reader *rd, const ct_csv_record *r)
{
    ct_estimate_data *d = rd->d;
    if (r->n != rd->ncols) {
        problem(rd, r->line, NULL, _("%zu fields, the header has %zu"), r->n, rd->ncols);
        return;
    }
    unsigned mask;
    double count;
    int bad = parse_strata(rd, r) | parse_history(rd, r, &mask);
    if (parse_count(r->field[r->n - 1], &count)) {
        problem(rd, r->line, "count", _("'%.20s' is not a whole number from 0 to 10^9"),
                r->field[r->n - 1]);
        bad = 1;
    }
    if (bad)
        return;
    if (mask == 0) {
        if (count > 0)
            problem(rd, r->line, NULL, _("a history on no list cannot be observed"));
        return;
    }
    long s = stratum_find(d, (const char *const *)r->field, 1);
    if (s < 0) {
        ct_err_set(rd->err, CT_ENOMEM, "%s", _("out of memory"));
        return;
    }
    est_stratum *st = &d->s[s];
    if (st->line[mask]) {
        problem(rd, r->line, NULL, _("the same history as line %ld"), st->line[mask]);
        return;
    }
    st->line[mask] = r->line;
    st->tab->y[mask] = count;
}

/* Whole-file rules: every list has cases, totals fit the sampler. */
static void check_totals(reader *rd, long header_line)
{
    ct_estimate_data *d = rd->d;
    for (int i = 0; i < d->t; i++) {
        double n = 0;
        for (size_t s = 0; s < d->n; s++)
            n += est_overlap(d->s[s].tab, 1u << i);
        if (n == 0)
            problem(rd, header_line, d->list[i], _("this list has no cases"));
    }
    for (size_t s = 0; s < d->n; s++)
        if (est_total(d->s[s].tab) > CT_ESTIMATE_MAX_TOTAL)
            problem(rd, header_line, "count", _("more than %.0f cases in one stratum"),
                    CT_ESTIMATE_MAX_TOTAL);
    if (d->n == 0 && d->t)
        problem(rd, header_line, NULL, _("no capture histories"));
}

static int read_all(ct_csv *c, reader *rd)
{
    ct_csv_record rec;
    long header_line = 0;
    for (;;) {
        ct_err e = CT_ERR_INIT;
        int r = ct_csv_next(c, &rec, &e);
        if (r == 0)
            break;
        if (r == CT_EINVAL) {
            problem(rd, rec.line, NULL, "%s", e.msg);
            continue;
        }
        if (r < 0)
            return ct_err_set(rd->err, r, "%s: %s", rd->name, e.msg);
        if (!header_line) {
            header_line = rec.line;
            read_header(rd, &rec);
            if (rd->nproblems)
                break; /* rows cannot be read against a bad header */
        } else {
            read_row(rd, &rec);
        }
        if (rd->err->code == CT_ENOMEM)
            return CT_ENOMEM;
    }
    if (!header_line)
        problem(rd, 1, NULL, _("empty file: expected a header with the lists and 'count'"));
    else if (!rd->nproblems)
        check_totals(rd, header_line);
    return rd->nproblems ? CT_EINVAL : 0;
}

static void drop_line_tracking(ct_estimate_data *d)
{
    for (size_t s = 0; s < d->n; s++) {
        ct_free(d->s[s].line);
        d->s[s].line = NULL;
    }
}

static int read_csv(ct_csv *c, const char *name, ct_estimate_data **out, char **problems,
                    ct_err *err)
{
    reader rd = {name, data_new(), CT_BUF_INIT, 0, err, 0, 0};
    int r = rd.d ? read_all(c, &rd) : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (problems)
        *problems = rd.problems.len ? ct_buf_detach(&rd.problems) : NULL;
    ct_buf_release(&rd.problems);
    if (r) {
        ct_estimate_data_free(rd.d);
        return r;
    }
    drop_line_tracking(rd.d);
    *out = rd.d;
    return 0;
}

static const ct_csv_opts csv_opts = {',', 0, 1024, CT_ESTIMATE_MAX_LISTS + 8, 1 << 16};

int ct_estimate_read_csv(FILE *f, const char *name, ct_estimate_data **out, char **problems,
                         ct_err *err)
{
    *out = NULL;
    if (problems)
        *problems = NULL;
    ct_csv *c = ct_csv_open(f, &csv_opts, err);
    if (!c)
        return CT_ENOMEM;
    int r = read_csv(c, name, out, problems, err);
    ct_csv_close(c);
    return r;
}

int ct_estimate_read_mem(const char *data, size_t len, const char *name, ct_estimate_data **out,
                         char **problems, ct_err *err)
{
    *out = NULL;
    if (problems)
        *problems = NULL;
    ct_csv *c = ct_csv_open_mem(data, len, &csv_opts, err);
    if (!c)
        return CT_ENOMEM;
    int r = read_csv(c, name, out, problems, err);
    ct_csv_close(c);
    return r;
}

/* ---- reading JSON (POST /api/v1/estimate) ------------------------------ */

enum { JSON_FIELD = 48, JSON_MAX_FIELDS = CT_ESTIMATE_MAX_STRATA + CT_ESTIMATE_MAX_LISTS + 1 };

/* A JSON value as the text of a CSV field, so that the rules of the CSV
 * reader apply unchanged. Stratum values may be strings or whole numbers
 * (a year); a cell or a count must be a JSON integer: anything else is
 * spelled so that it fails the 0/1 or count check ("1" quoted, 2.0 with its
 * decimal point, true, null). */
static const char *json_field(const json_t *v, int stratum, char *buf)
{
    if (json_is_integer(v))
        snprintf(buf, JSON_FIELD, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_string(v) && stratum)
        return json_string_value(v);
    else if (json_is_string(v))
        snprintf(buf, JSON_FIELD, "\"%.20s\"", json_string_value(v));
    else if (json_is_real(v)) {
        snprintf(buf, JSON_FIELD, "%.17g", json_real_value(v));
        if (!strpbrk(buf, ".eE"))
            strcat(buf, ".0");
    } else
        snprintf(buf, JSON_FIELD, "%s",
                 json_is_true(v)    ? "true"
                 : json_is_false(v) ? "false"
                 : json_is_null(v)  ? "null"
                 : json_is_array(v) ? "[...]"
                                    : "{...}");
    return buf;
}

/* The header record: strata names, lists, "count". Structure problems are
 * reported on "lists" (or "strata"); returns -1 when rows cannot be read. */
static int json_header(reader *rd, const json_t *body, const char **names)
{
    const json_t *lists = json_object_get(body, "lists"), *strata = json_object_get(body, "strata");
    const char *k;
    const json_t *v;
    size_t i, n = 0;
    int bad = 0;
    json_object_foreach((json_t *)body, k,
                        v) if (strcmp(k, "lists") && strcmp(k, "strata") && strcmp(k, "histories"))
    {
        problem(rd, 1, NULL, _("unknown member '%.40s' (expected lists, strata, histories)"), k);
        bad = 1;
    }
    if (strata && (!json_is_array(strata) || json_array_size(strata) > CT_ESTIMATE_MAX_STRATA)) {
        problem(rd, 1, "strata", _("expected an array of year, sex, agegroup (in that order)"));
        return -1;
    }
    json_array_foreach(strata, i, v)
    {
        if (!json_is_string(v) || header_is_stratum(json_string_value(v), 0) < 0) {
            problem(rd, 1, "strata", _("expected an array of year, sex, agegroup (in that order)"));
            return -1;
        }
        names[n++] = json_string_value(v);
    }
    if (!json_is_array(lists) || json_array_size(lists) > CT_ESTIMATE_MAX_LISTS ||
        json_array_size(lists) < CT_ESTIMATE_MIN_LISTS) {
        problem(rd, 1, NULL, _("'lists' must be an array of 3 to 12 list names"));
        return -1;
    }
    json_array_foreach(lists, i, v)
    {
        if (!json_is_string(v)) {
            problem(rd, 1, NULL, _("'lists' must be an array of 3 to 12 list names"));
            return -1;
        }
        names[n++] = json_string_value(v);
    }
    names[n++] = "count";
    if (!json_is_array(json_object_get(body, "histories"))) {
        problem(rd, 1, NULL, _("'histories' must be an array of [0/1 per list..., count]"));
        return -1;
    }
    return bad ? -1 : (int)n;
}

static void json_row(reader *rd, const json_t *row, long line)
{
    char buf[JSON_MAX_FIELDS][JSON_FIELD];
    char *field[JSON_MAX_FIELDS];
    if (!json_is_array(row) || json_array_size(row) != rd->ncols) {
        problem(rd, line, NULL, _("expected an array of %zu values (strata, 0/1 per list, count)"),
                rd->ncols);
        return;
    }
    for (size_t j = 0; j < rd->ncols; j++)
        field[j] = (char *)json_field(json_array_get(row, j), (int)j < rd->d->nby, buf[j]);
    ct_csv_record rec = {.n = rd->ncols, .field = field, .line = line, .bad_field = -1};
    read_row(rd, &rec);
}

int ct_estimate_read_json(const json_t *body, ct_estimate_data **out, char **problems, ct_err *err)
{
    *out = NULL;
    if (problems)
        *problems = NULL;
    reader rd = {"body", data_new(), CT_BUF_INIT, 0, err, 0, 1};
    int r = 0;
    if (!rd.d)
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    const char *names[JSON_MAX_FIELDS];
    int n = r || !json_is_object(body) ? -1 : json_header(&rd, body, names);
    if (!r && !json_is_object(body))
        problem(&rd, 1, NULL, _("the body must be a JSON object with lists and histories"));
    if (n > 0) {
        ct_csv_record h = {.n = (size_t)n, .field = (char **)names, .line = 1, .bad_field = -1};
        read_header(&rd, &h);
    }
    const json_t *rows = json_object_get(body, "histories"), *row;
    size_t i;
    if (n > 0 && !rd.nproblems)
        json_array_foreach(rows, i, row)
        {
            json_row(&rd, row, (long)i + 2);
            if (err->code == CT_ENOMEM)
                break;
        }
    if (err->code == CT_ENOMEM)
        r = CT_ENOMEM;
    else if (n > 0 && !rd.nproblems)
        check_totals(&rd, 1);
    if (!r && rd.nproblems)
        r = CT_EINVAL;
    if (problems)
        *problems = rd.problems.len ? ct_buf_detach(&rd.problems) : NULL;
    ct_buf_release(&rd.problems);
    if (r) {
        ct_estimate_data_free(rd.d);
        return r;
    }
    drop_line_tracking(rd.d);
    *out = rd.d;
    return 0;
}

/* ---- writing ------------------------------------------------------------ */

static int popcount(unsigned x)
{
    return __builtin_popcount(x);
}

int ct_estimate_data_write_csv(const ct_estimate_data *d, FILE *f, ct_err *err)
{
    for (int j = 0; j < d->nby; j++)
        fprintf(f, "%s,", stratum_rules[d->by[j]].name);
    for (int i = 0; i < d->t; i++) {
        ct_csv_write_field(f, d->list[i], ',');
        fputc(',', f);
    }
    fputs("count\n", f);
    unsigned ncell = 1u << d->t;
    for (size_t s = 0; s < d->n; s++)
        for (int k = 1; k <= d->t; k++) /* fewer lists first, as the data sets do */
            for (unsigned c = 1; c < ncell; c++) {
                /* a stratum without cases keeps one explicit zero row, so
                 * that it survives a write and a read */
                int keep = d->s[s].tab->y[c] > 0 || (c == 1 && est_total(d->s[s].tab) == 0);
                if (popcount(c) != k || !keep)
                    continue;
                for (int j = 0; j < d->nby; j++)
                    fprintf(f, "%s,", d->s[s].value[j]);
                for (int i = 0; i < d->t; i++)
                    fprintf(f, "%u,", (c >> i) & 1u);
                fprintf(f, "%.0f\n", d->s[s].tab->y[c]);
            }
    if (ferror(f))
        return ct_err_set(err, CT_EIO, _("cannot write the capture histories: %s"),
                          strerror(errno));
    return 0;
}

/* ---- building from person keys ------------------------------------------ */

typedef struct keyed {
    const char *v[CT_ESTIMATE_MAX_STRATA]; /* stratum values */
    const char *key;
    int list;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    for (int j = 0; j < CT_ESTIMATE_MAX_STRATA; j++) {
        int c = strcmp(x->v[j], y->v[j]);
        if (c)
            return c;
    }
    return strcmp(x->key, y->key);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct list names, sorted, into d->list. */
static int collect_lists(const ct_estimate_record *recs, size_t n, ct_estimate_data *d, ct_err *err)
{
    const char **names = ct_malloc((n ? n : 1) * sizeof(*names));
    if (!names)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    for (size_t i = 0; i < n; i++)
        names[i] = recs[i].list;
    qsort(names, n, sizeof(*names), str_cmp);
    int r = 0;
    for (size_t i = 0; i < n && !r; i++) {
        if (i && strcmp(names[i], names[i - 1]) == 0)
            continue;
        if (d->t == CT_ESTIMATE_MAX_LISTS)
            r = ct_err_set(err, CT_EINVAL, _("more than %d lists; merge some before estimating"),
                           CT_ESTIMATE_MAX_LISTS);
        else if (!(d->list[d->t++] = ct_strdup(names[i])))
            r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    ct_free(names);
    if (!r && d->t < CT_ESTIMATE_MIN_LISTS)
        r = ct_err_set(err, CT_EINVAL, _("%d lists; MSE needs at least 3"), d->t);
    return r;
}

static int list_index(const ct_estimate_data *d, const char *name)
{
    int lo = 0, hi = d->t;
    while (lo < hi) {
        int mid = (lo + hi) / 2, c = strcmp(d->list[mid], name);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int check_records(const ct_estimate_record *recs, size_t n, ct_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (!recs[i].person_key || !*recs[i].person_key || !recs[i].list || !*recs[i].list)
            return ct_err_set(err, CT_EINVAL, _("record %zu: no person key or no list"), i + 1);
    return 0;
}

static void stratum_values(const ct_estimate_record *r, unsigned by, keyed *k)
{
    const char *v[CT_ESTIMATE_MAX_STRATA] = {r->year, r->sex, r->agegroup};
    for (int j = 0; j < CT_ESTIMATE_MAX_STRATA; j++)
        k->v[j] = !(by & stratum_rules[j].flag) ? "" : v[j] && *v[j] ? v[j] : "unknown";
}

/* Sweeps the sorted records: one person per (stratum, key), on the union of
 * their lists. */
static int sweep(ct_estimate_data *d, const keyed *k, size_t n, ct_err *err)
{
    for (size_t i = 0; i < n;) {
        unsigned mask = 0;
        size_t j = i;
        for (; j < n && keyed_cmp(&k[i], &k[j]) == 0; j++)
            mask |= 1u << k[j].list;
        const char *values[CT_ESTIMATE_MAX_STRATA];
        for (int b = 0; b < d->nby; b++)
            values[b] = k[i].v[d->by[b]];
        long s = stratum_find(d, values, 0);
        if (s < 0)
            return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        d->s[s].tab->y[mask] += 1;
        i = j;
    }
    return 0;
}

int ct_estimate_histories_build(const ct_estimate_record *recs, size_t n, unsigned by,
                                ct_estimate_data **out, ct_err *err)
{
    *out = NULL;
    int r = check_records(recs, n, err);
    if (r)
        return r;
    ct_estimate_data *d = data_new();
    keyed *k = ct_malloc((n ? n : 1) * sizeof(*k));
    if (!d || !k) {
        r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        goto out;
    }
    for (int j = 0; j < CT_ESTIMATE_MAX_STRATA; j++)
        if (by & stratum_rules[j].flag)
            d->by[d->nby++] = j;
    if ((r = collect_lists(recs, n, d, err)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        stratum_values(&recs[i], by, &k[i]);
        k[i].key = recs[i].person_key;
        k[i].list = list_index(d, recs[i].list);
    }
    qsort(k, n, sizeof(*k), keyed_cmp);
    r = sweep(d, k, n, err);
out:
    ct_free(k);
    if (r)
        ct_estimate_data_free(d);
    else
        *out = d;
    return r;
}
