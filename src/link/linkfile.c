/*
 * linkfile.c - linkage CSV files into a record store (contracts.md
 * "Linkage files"): header mapping (--map), extra compared columns
 * (--compare), date layouts (--date-format), separators (--sep).
 *
 * Problems are named as FILE:LINE: column: reason and never quote the
 * value (it may be a person's name). Dates are checked for shape only: a
 * calendar-impossible date such as 19450230 is kept, since linkage exists to
 * match records that hold such errors (FEBRL has them).
 */
#include "link_int.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

#define OOM(err) ct_err_set((err), CT_ENOMEM, "%s", _("out of memory"))
enum { MAX_COLS = 16, MAX_INPUTS = 16, MAX_ERRORS = 100 };

/* The known columns and how they are compared (contracts.md). */
static const struct known {
    const char *name;
    enum ct_link_method method;
    enum ct_link_role role;
} known_cols[] = {
    {"given_name", CT_LINK_NAME, CT_LINK_R_GIVEN},
    {"family_name", CT_LINK_NAME, CT_LINK_R_FAMILY},
    {"date_of_birth", CT_LINK_DATE, CT_LINK_R_DOB},
    {"sex", CT_LINK_EXACT, CT_LINK_R_OTHER},
    {"citizenship", CT_LINK_CODES, CT_LINK_R_OTHER},
    {"place", CT_LINK_TEXT, CT_LINK_R_OTHER},
};
enum { NKNOWN = sizeof(known_cols) / sizeof(known_cols[0]) };

static const char *const method_names[CT_LINK_METHODS] = {
    [CT_LINK_NAME] = "name", [CT_LINK_DATE] = "date",   [CT_LINK_TEXT] = "text",
    [CT_LINK_LEV] = "lev",   [CT_LINK_EXACT] = "exact", [CT_LINK_CODES] = "codes",
};

/* Sex codes of contracts.md and the F/M importers accept; unknown -> null. */
static const struct {
    const char *in, *out;
} sex_codes[] = {{"female", "female"}, {"f", "female"}, {"male", "male"}, {"m", "male"},
                 {"other", "other"},   {"unknown", ""}, {"u", ""}};

typedef struct layout {
    const char *name;
    int id, age, age_date; /* header index or -1 */
    int src[MAX_COLS];     /* header index of each store column, or -1 */
    char **hdr;            /* effective header names (after --map) */
    size_t nhdr;
} layout;

typedef struct spec {
    ct_link_column cols[MAX_COLS];
    char names[MAX_COLS][48];
    size_t ncols;
    char *compare_names[MAX_COLS];
    enum ct_link_method compare_methods[MAX_COLS];
    size_t ncompare;
} spec;

/* ------------------------------------------------------------- options */

static int parse_compare(const char *s, spec *sp, ct_err *err)
{
    for (const char *p = s; p && *p;) {
        size_t n = strcspn(p, ",");
        char item[96];
        if (n == 0 || n >= sizeof(item) || sp->ncompare >= MAX_COLS)
            return ct_err_set(err, CT_EUSAGE, "%s", _("--compare: expected COLUMN[:METHOD],..."));
        memcpy(item, p, n);
        item[n] = '\0';
        char *colon = strchr(item, ':');
        enum ct_link_method m = CT_LINK_TEXT;
        if (colon) {
            *colon++ = '\0';
            int found = -1;
            for (int k = 0; k < CT_LINK_METHODS; k++)
                if (strcmp(colon, method_names[k]) == 0)
                    found = k;
            if (found < 0)
                return ct_err_set(err, CT_EUSAGE,
                                  _("--compare: unknown method '%.30s' (name, date, text, lev, "
                                    "exact, codes)"),
                                  colon);
            m = (enum ct_link_method)found;
        }
        if (!(sp->compare_names[sp->ncompare] = ct_strdup(item)))
            return OOM(err);
        sp->compare_methods[sp->ncompare++] = m;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* The name column h of the header goes by under --map. */
static const char *mapped(const char *map, const char *h, char *buf, size_t size)
{
    size_t hn = strlen(h);
    for (const char *p = map; p && *p;) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        if (eq && (size_t)(eq - p) == hn && strncmp(p, h, hn) == 0) {
            size_t dn = n - hn - 1;
            snprintf(buf, size, "%.*s", (int)(dn < size ? dn : size - 1), eq + 1);
            return buf;
        }
        p += n + (p[n] == ',');
    }
    return h;
}

/* Checks --map: SRC=DST items, each SRC in some header. */
static int check_map(const char *map, layout *ls, ct_csv_record *hdrs, size_t nin, ct_err *err)
{
    for (const char *p = map; p && *p;) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        if (!eq || eq == p || eq == p + n - 1)
            return ct_err_set(err, CT_EUSAGE, "%s", _("--map: expected SRC=DST,..."));
        int seen = 0;
        for (size_t i = 0; i < nin; i++)
            for (size_t k = 0; k < hdrs[i].n; k++)
                seen |= strlen(hdrs[i].field[k]) == (size_t)(eq - p) &&
                        strncmp(hdrs[i].field[k], p, (size_t)(eq - p)) == 0;
        if (!seen)
            return ct_err_set(err, CT_EINVAL, _("%s:1: %.*s: no such column (named in --map)"),
                              ls[0].name, (int)(eq - p), p);
        p += n + (p[n] == ',');
    }
    return 0;
}

/* --------------------------------------------------------------- header */

static int header_index(const layout *l, const char *name)
{
    for (size_t k = 0; k < l->nhdr; k++)
        if (strcmp(l->hdr[k], name) == 0)
            return (int)k;
    return -1;
}

static int make_layout(layout *l, const ct_csv_record *h, const char *map, ct_err *err)
{
    if (!(l->hdr = ct_calloc(h->n, sizeof(char *))))
        return OOM(err);
    l->nhdr = h->n;
    for (size_t k = 0; k < h->n; k++) {
        char buf[96];
        const char *name = mapped(map, h->field[k], buf, sizeof(buf));
        for (size_t j = 0; j < k; j++)
            if (strcmp(l->hdr[j], name) == 0)
                return ct_err_set(err, CT_EINVAL, _("%s:1: %.40s: column given twice"), l->name,
                                  name);
        if (!(l->hdr[k] = ct_strdup(name)))
            return OOM(err);
    }
    l->id = header_index(l, "id");
    l->age = header_index(l, "age");
    l->age_date = header_index(l, "date_identification");
    if (l->id < 0)
        return ct_err_set(err, CT_EINVAL,
                          _("%s:1: id: required column missing (rename one with --map SRC=id)"),
                          l->name);
    return 0;
}

static int add_col(spec *sp, const char *name, enum ct_link_method m, enum ct_link_role r)
{
    if (sp->ncols >= MAX_COLS)
        return CT_EUSAGE;
    snprintf(sp->names[sp->ncols], sizeof(sp->names[0]), "%s", name);
    sp->cols[sp->ncols] = (ct_link_column){sp->names[sp->ncols], m, r};
    sp->ncols++;
    return 0;
}

/* Store columns: known ones present anywhere (the age columns feed the
 * birth date), then the --compare ones, each present somewhere. */
static int make_spec(spec *sp, layout *ls, size_t nin, ct_err *err)
{
    for (size_t k = 0; k < NKNOWN; k++) {
        int present = 0;
        for (size_t i = 0; i < nin; i++)
            present |= header_index(&ls[i], known_cols[k].name) >= 0 ||
                       (known_cols[k].role == CT_LINK_R_DOB && ls[i].age >= 0);
        if (present)
            add_col(sp, known_cols[k].name, known_cols[k].method, known_cols[k].role);
    }
    for (size_t c = 0; c < sp->ncompare; c++) {
        int present = 0;
        for (size_t i = 0; i < nin; i++)
            present |= header_index(&ls[i], sp->compare_names[c]) >= 0;
        if (!present)
            return ct_err_set(err, CT_EINVAL, _("%s:1: %.40s: no such column (named in --compare)"),
                              ls[0].name, sp->compare_names[c]);
        for (size_t k = 0; k < sp->ncols; k++)
            if (strcmp(sp->names[k], sp->compare_names[c]) == 0) {
                sp->cols[k].method = sp->compare_methods[c]; /* --compare overrides */
                present = 0;
            }
        if (present && add_col(sp, sp->compare_names[c], sp->compare_methods[c], CT_LINK_R_OTHER))
            return ct_err_set(err, CT_EUSAGE, "%s", _("at most 16 columns can be compared"));
    }
    if (sp->ncols == 0)
        return ct_err_set(err, CT_EINVAL,
                          _("%s:1: no column to compare (given_name, family_name, date_of_birth, "
                            "... or --compare)"),
                          ls[0].name);
    for (size_t i = 0; i < nin; i++)
        for (size_t k = 0; k < sp->ncols; k++)
            ls[i].src[k] = header_index(&ls[i], sp->names[k]);
    return 0;
}

/* ---------------------------------------------------------------- dates */

/* Reads value s in format fmt (YYYY, MM, DD and literal characters) into
 * canonical digits; partial ISO dates when fmt is NULL. */
static int to_canonical(const char *s, const char *fmt, char out[9])
{
    char y[5] = "", m[3] = "", d[3] = "";
    if (!fmt) {
        size_t n = strlen(s);
        if (n != 4 && n != 7 && n != 10)
            return CT_EINVAL;
        if ((n >= 7 && s[4] != '-') || (n == 10 && s[7] != '-'))
            return CT_EINVAL;
        memcpy(y, s, 4);
        if (n >= 7)
            memcpy(m, s + 5, 2);
        if (n == 10)
            memcpy(d, s + 8, 2);
    } else {
        for (; *fmt; s++, fmt++) {
            char *dst = strncmp(fmt, "YYYY", 4) == 0 ? y
                        : strncmp(fmt, "MM", 2) == 0 ? m
                        : strncmp(fmt, "DD", 2) == 0 ? d
                                                     : NULL;
            size_t k = dst == y ? 4 : 2;
            if (!dst) {
                if (*s != *fmt)
                    return CT_EINVAL;
                continue;
            }
            if (strnlen(s, k) < k)
                return CT_EINVAL;
            memcpy(dst, s, k);
            s += k - 1;
            fmt += k - 1;
        }
        if (*s)
            return CT_EINVAL;
    }
    snprintf(out, 9, "%s%s%s", y, m, d);
    ct_link_date dt;
    return (d[0] && !m[0]) || ct_link_parse_date(out, &dt) ? CT_EINVAL : 0;
}

/* --------------------------------------------------------------- records */

typedef struct reader {
    const ct_link_file_opts *o;
    spec *sp;
    ct_link_report_fn report;
    void *ctx;
    size_t problems;
} reader;

static void problem(reader *rd, const layout *l, long line, const char *col, const char *why)
{
    rd->problems++;
    if (!rd->report || rd->problems > MAX_ERRORS)
        return;
    char msg[CT_ERR_MSG_MAX + 400];
    if (col)
        snprintf(msg, sizeof(msg), "%.200s:%ld: %.60s: %.400s", l->name, line, col, why);
    else
        snprintf(msg, sizeof(msg), "%.200s:%ld: %.400s", l->name, line, why);
    rd->report(rd->ctx, msg);
}

/* Value of store column k for a record, converted; NULL when missing. */
static const char *value(reader *rd, const layout *l, const ct_csv_record *rec, size_t k, char *buf,
                         size_t size)
{
    int i = l->src[k];
    const ct_link_column *c = &rd->sp->cols[k];
    const char *s = i >= 0 && (size_t)i < rec->n ? rec->field[i] : "";
    if (c->role == CT_LINK_R_DOB && !*s && l->age >= 0 && (size_t)l->age < rec->n &&
        l->age_date >= 0 && (size_t)l->age_date < rec->n) {
        char ref[9];
        char *end;
        long age = strtol(rec->field[l->age], &end, 10);
        if (*rec->field[l->age] && !*end && age >= 0 && age < 130 &&
            to_canonical(rec->field[l->age_date], rd->o->date_format, ref) == 0) {
            int year =
                (ref[0] - '0') * 1000 + (ref[1] - '0') * 100 + (ref[2] - '0') * 10 + (ref[3] - '0');
            snprintf(buf, size, "~%04d", year - (int)age);
            return buf;
        }
    }
    if (!*s)
        return NULL;
    if (c->method == CT_LINK_DATE) {
        if (to_canonical(s, rd->o->date_format, buf))
            return (const char *)-1;
        return buf;
    }
    if (strcmp(c->name, "sex") == 0) {
        for (size_t k2 = 0; k2 < sizeof(sex_codes) / sizeof(sex_codes[0]); k2++)
            if (strcasecmp(s, sex_codes[k2].in) == 0)
                return *sex_codes[k2].out ? sex_codes[k2].out : NULL;
        return (const char *)-2;
    }
    return s;
}

static int add_record(reader *rd, const layout *l, const ct_csv_record *rec, ct_link_data *d,
                      unsigned source, ct_err *err)
{
    const char *vals[MAX_COLS];
    char bufs[MAX_COLS][16];
    const char *id = (size_t)l->id < rec->n ? rec->field[l->id] : "";
    int bad = 0;
    if (!*id) {
        problem(rd, l, rec->line, "id", _("empty"));
        bad = 1;
    }
    for (size_t k = 0; k < rd->sp->ncols; k++) {
        vals[k] = value(rd, l, rec, k, bufs[k], sizeof(bufs[k]));
        const char *why = vals[k] == (const char *)-1   ? _("not a date in the expected format")
                          : vals[k] == (const char *)-2 ? _("not a sex code (female, male, other, "
                                                            "unknown, F, M)")
                                                        : NULL;
        if (why) {
            problem(rd, l, rec->line, rd->sp->cols[k].name, why);
            bad = 1;
        }
    }
    if (bad)
        return 0;
    ct_err e = CT_ERR_INIT;
    int r = ct_link_data_add(d, source, id, vals, &e);
    if (r == CT_EINVAL)
        problem(rd, l, rec->line, e.field[0] ? e.field : NULL, e.msg);
    else if (r)
        return ct_err_set(err, r, "%s", e.msg);
    return 0;
}

/* --------------------------------------------------------------- driver */

static ct_csv *open_input(const ct_link_input *in, const ct_link_file_opts *o, ct_err *err)
{
    ct_csv_opts co = {0};
    co.sep = o->sep ? o->sep : ',';
    co.skip_initial_space = 1; /* FEBRL's ", " */
    return in->f ? ct_csv_open(in->f, &co, err) : ct_csv_open_mem(in->mem, in->len, &co, err);
}

/* Reads every record of one input (its header already read). */
static int read_rows(reader *rd, ct_csv *csv, const layout *l, ct_link_data *d, unsigned source,
                     ct_err *err)
{
    for (;;) {
        ct_csv_record rec;
        ct_err e = CT_ERR_INIT;
        int r = ct_csv_next(csv, &rec, &e);
        if (r == 0)
            return 0;
        if (r == CT_EINVAL) {
            problem(rd, l, rec.line, NULL, e.msg);
            continue;
        }
        if (r < 0)
            return ct_err_set(err, r, "%s: %s", l->name, e.msg);
        if (rec.n != l->nhdr) {
            char why[96];
            snprintf(why, sizeof(why), _("%zu fields where the header has %zu"), rec.n, l->nhdr);
            problem(rd, l, rec.line, NULL, why);
            continue;
        }
        if ((r = add_record(rd, l, &rec, d, source, err)))
            return r;
    }
}

typedef struct loader {
    ct_csv *csv[MAX_INPUTS];
    layout ls[MAX_INPUTS];
    ct_csv_record hdr[MAX_INPUTS];
    spec sp;
} loader;

static void loader_release(loader *L, size_t nin)
{
    for (size_t i = 0; i < nin; i++) {
        ct_csv_close(L->csv[i]);
        for (size_t k = 0; k < L->ls[i].nhdr; k++)
            ct_free(L->ls[i].hdr[k]);
        ct_free(L->ls[i].hdr);
    }
    for (size_t c = 0; c < L->sp.ncompare; c++)
        ct_free(L->sp.compare_names[c]);
}

static int read_header(loader *L, size_t i, const ct_link_input *in, const ct_link_file_opts *o,
                       ct_err *err)
{
    L->ls[i].name = in->name ? in->name : "-";
    if (!(L->csv[i] = open_input(in, o, err)))
        return err->code ? err->code : CT_ENOMEM;
    int r = ct_csv_next(L->csv[i], &L->hdr[i], err);
    if (r == 0)
        return ct_err_set(err, CT_EINVAL, _("%s:1: empty file (a header is required)"),
                          L->ls[i].name);
    if (r < 0) {
        ct_err_prefix(err, "%s:1: ", L->ls[i].name);
        return r;
    }
    if (o->map && (r = check_map(o->map, &L->ls[i], &L->hdr[i], 1, err)))
        return r;
    return make_layout(&L->ls[i], &L->hdr[i], o->map, err);
}

int ct_link_load(const ct_link_input *in, size_t nin, const ct_link_file_opts *o,
                 ct_link_report_fn report, void *ctx, ct_link_data **out, ct_err *err)
{
    *out = NULL;
    if (nin == 0 || nin > MAX_INPUTS)
        return ct_err_set(err, CT_EUSAGE, "%s", _("between 1 and 16 inputs"));
    loader *L = ct_calloc(1, sizeof(*L));
    if (!L)
        return OOM(err);
    ct_link_data *d = NULL;
    reader rd = {o, &L->sp, report, ctx, 0};
    int r = parse_compare(o->compare, &L->sp, err);
    for (size_t i = 0; i < nin && !r; i++) {
        r = read_header(L, i, &in[i], o, err);
    }
    if (!r)
        r = make_spec(&L->sp, L->ls, nin, err);
    if (!r && !(d = ct_link_data_new(L->sp.cols, L->sp.ncols, err)))
        r = err->code ? err->code : CT_ENOMEM;
    for (size_t i = 0; i < nin && !r; i++)
        r = read_rows(&rd, L->csv[i], &L->ls[i], d, (unsigned)i, err);
    if (!r && rd.problems)
        r = ct_err_set(err, CT_EINVAL, _("%zu problem(s) in the input; nothing was linked"),
                       rd.problems);
    loader_release(L, nin);
    ct_free(L);
    if (r) {
        ct_link_data_free(d);
        return r;
    }
    *out = d;
    return 0;
}
