/*
 * data.c - the demo's data files, compiled into the binary
 * (src/demo/CMakeLists.txt): data/demo/shares.tsv (every figure, with its
 * source), origins.tsv, detection.tsv, agencies.tsv and the name pools
 * data/demo/names/<pool>.tsv (joined into one text at build time, each file
 * starting with its `# ctip demo name pool "<pool>"` line).
 *
 * The text is copied into an arena and cut in place; every string the
 * tables hold points there and lives as long as the dm_data.
 */
#include "demo_int.h"

#include "core/i18n.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

extern const char demo_shares_shares_tsv[];
extern const char demo_origins_origins_tsv[];
extern const char demo_detection_detection_tsv[];
extern const char demo_agencies_agencies_tsv[];
extern const char demo_names_demo_names_tsv[];

/* Zipf exponent of names within a pool: the first name of a list of 30 is
 * about 5 times as common as the last, roughly the spread of the top 30
 * surnames of a country (docs/demo-data.md, "Name pool"). */
#define NAME_ZIPF 0.5

#define MAX_FIELDS 12

/* ---- text cutting ---------------------------------------------------------- */

typedef struct lines {
    char *p; /* next line */
    int line;
    const char *file;
} lines;

static int lines_open(lines *l, ct_arena *a, const char *text, const char *file)
{
    l->p = ct_arena_strdup(a, text);
    l->line = 0;
    l->file = file;
    return l->p ? 0 : CT_ENOMEM;
}

/* The next line, without its newline; NULL at the end. */
static char *next_line(lines *l)
{
    if (!l->p || !*l->p)
        return NULL;
    char *s = l->p, *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        l->p = nl + 1;
    } else {
        l->p = NULL;
    }
    l->line++;
    return s;
}

/* Cuts line at tabs; returns the number of fields (at most max). */
static int split(char *line, char sep, char **f, int max)
{
    int n = 0;
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, sep);
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

static int bad(ct_err *err, const lines *l, const char *what)
{
    return ct_err_set(err, CT_EINTERNAL, _("%s:%d: %s (the demo data files are inconsistent)"),
                      l->file, l->line, what);
}

static int oom(ct_err *err)
{
    return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

/* A data line: not empty, not a comment, not the header (named by first). */
static char *data_line(lines *l, const char *first)
{
    char *s;
    while ((s = next_line(l))) {
        if (!*s || *s == '#')
            continue;
        size_t n = strlen(first);
        if (strncmp(s, first, n) == 0 && s[n] == '\t')
            continue;
        return s;
    }
    return NULL;
}

static int parse_number(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return *s && !*end && isfinite(*out) && *out >= 0 ? 0 : -1;
}

/* Splits a ';' list in place into v (capacity max); returns the count. */
static size_t split_list(ct_arena *a, char *s, const char ***v, size_t max)
{
    if (!*s) {
        *v = NULL;
        return 0;
    }
    char *f[MAX_FIELDS] = {0};
    int n = split(s, ';', f, max < MAX_FIELDS ? (int)max : MAX_FIELDS);
    *v = ct_arena_alloc(a, (size_t)n * sizeof(**v));
    if (!*v)
        return 0;
    for (int i = 0; i < n; i++)
        (*v)[i] = f[i];
    return (size_t)n;
}

/* ---- tables ---------------------------------------------------------------- */

size_t dm_pick_cum(dm_rng *r, const double *cum, size_t n)
{
    double x = dm_rng_unit(r) * cum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

size_t dm_pick(dm_rng *r, const dm_table *t)
{
    return dm_pick_cum(r, t->cum, t->n);
}

double dm_value(const dm_table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->key[i], key) == 0)
            return t->w[i];
    CT_BUG("a demo table lacks a key the generator reads (data/demo/shares.tsv)");
}

const dm_table *dm_table_get(const dm_data *d, const char *name)
{
    for (size_t i = 0; i < d->ntable; i++)
        if (strcmp(d->table[i].name, name) == 0)
            return &d->table[i];
    CT_BUG("a demo table is missing (data/demo/shares.tsv)");
}

static int cumulate(ct_arena *a, const double *w, size_t n, double **out)
{
    double *c = ct_arena_alloc(a, (n ? n : 1) * sizeof(*c));
    if (!c)
        return CT_ENOMEM;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        c[i] = s += w[i];
    *out = c;
    return 0;
}

/* Rows of one table are consecutive in shares.tsv. */
static int load_shares(dm_data *d, ct_err *err)
{
    lines l;
    if (lines_open(&l, &d->arena, demo_shares_shares_tsv, "data/demo/shares.tsv"))
        return oom(err);
    size_t cap = 1024; /* rows of shares.tsv; a full file says so */
    char **rows[4];
    for (int k = 0; k < 4; k++)
        if (!(rows[k] = ct_arena_alloc(&d->arena, cap * sizeof(char *))))
            return oom(err);
    size_t n = 0;
    char *s;
    while ((s = data_line(&l, "table"))) {
        char *f[MAX_FIELDS] = {0};
        double v;
        if (split(s, '\t', f, MAX_FIELDS) != 4 || parse_number(f[2], &v) || !*f[3])
            return bad(err, &l, _("expected table, key, a number and a source"));
        if (n == cap)
            return bad(err, &l, _("too many rows"));
        for (int k = 0; k < 4; k++)
            rows[k][n] = f[k];
        n++;
    }
    d->table = ct_arena_alloc(&d->arena, (n ? n : 1) * sizeof(*d->table));
    if (!d->table)
        return oom(err);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(rows[0][j], rows[0][i]) == 0)
            j++;
        for (size_t k = 0; k < d->ntable; k++)
            if (strcmp(d->table[k].name, rows[0][i]) == 0)
                return bad(err, &l, _("the rows of a table must follow each other"));
        dm_table *t = &d->table[d->ntable++];
        t->name = rows[0][i];
        t->n = j - i;
        t->key = ct_arena_alloc(&d->arena, t->n * sizeof(*t->key));
        t->w = ct_arena_alloc(&d->arena, t->n * sizeof(*t->w));
        if (!t->key || !t->w)
            return oom(err);
        for (size_t k = 0; k < t->n; k++) {
            t->key[k] = rows[1][i + k];
            parse_number(rows[2][i + k], &t->w[k]);
        }
        if (cumulate(&d->arena, t->w, t->n, &t->cum))
            return oom(err);
        i = j;
    }
    return 0;
}

/* ---- name pools ------------------------------------------------------------ */

static int add_name(ct_arena *a, dm_name **v, size_t *n, size_t *cap, char **f, int nf)
{
    if (*n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 32;
        dm_name *nv = ct_arena_alloc(a, ncap * sizeof(*nv));
        if (!nv)
            return CT_ENOMEM;
        if (*n)
            memcpy(nv, *v, *n * sizeof(*nv));
        *v = nv;
        *cap = ncap;
    }
    dm_name *x = &(*v)[(*n)++];
    memset(x, 0, sizeof(*x));
    x->name = f[1];
    if (nf > 2)
        x->nvar = split_list(a, f[2], &x->var, MAX_FIELDS);
    if (nf > 3 && *f[3]) {
        x->fem = f[3];
        if (nf > 4)
            x->nfvar = split_list(a, f[4], &x->fvar, MAX_FIELDS);
    }
    x->only = strcmp(f[0], "sf") == 0 ? 1 : strcmp(f[0], "sm") == 0 ? 2 : 0;
    return 0;
}

/* Zipf weights by rank; for family names of sex `sex`, names used only by
 * the other sex weigh nothing. */
static int name_weights(ct_arena *a, const dm_name *v, size_t n, int sex, double **cum)
{
    double *w = ct_arena_alloc(a, (n ? n : 1) * sizeof(*w));
    if (!w)
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int other = sex == DM_FEMALE ? 2 : 1;
        w[i] = (sex >= 0 && v[i].only == other) ? 0 : 1.0 / pow((double)(i + 1), NAME_ZIPF);
    }
    return cumulate(a, w, n, cum);
}

typedef struct pool_build {
    dm_name *v[3]; /* female given, male given, family */
    size_t n[3], cap[3];
} pool_build;

static int finish_pool(dm_data *d, dm_pool *p, pool_build *b, const lines *l, ct_err *err)
{
    if (!b->n[0] || !b->n[1] || !b->n[2] || !p->script)
        return bad(err, l,
                   _("a name pool needs a script, given names of both sexes and family names"));
    for (int s = 0; s < 2; s++) {
        p->given[s] = b->v[s];
        p->ngiven[s] = b->n[s];
        if (name_weights(&d->arena, b->v[s], b->n[s], -1, &p->given_cum[s]) ||
            name_weights(&d->arena, b->v[2], b->n[2], s, &p->family_cum[s]))
            return oom(err);
    }
    p->family = b->v[2];
    p->nfamily = b->n[2];
    return 0;
}

static int pool_header(dm_pool *p, const char *s)
{
    static const char prefix[] = "# ctip demo name pool \"";
    if (strncmp(s, "# script: ", 10) == 0)
        p->script = s + 10;
    else if (strcmp(s, "# order: family_given") == 0)
        p->family_first = 1;
    else if (strcmp(s, "# double_family: yes") == 0)
        p->double_family = 1;
    return strncmp(s, prefix, sizeof(prefix) - 1) == 0;
}

static int load_names(dm_data *d, ct_err *err)
{
    lines l;
    if (lines_open(&l, &d->arena, demo_names_demo_names_tsv, "data/demo/names"))
        return oom(err);
    d->pool = ct_arena_alloc(&d->arena, 64 * sizeof(*d->pool));
    if (!d->pool)
        return oom(err);
    pool_build b;
    dm_pool *p = NULL;
    char *s;
    while ((s = next_line(&l))) {
        if (*s == '#' && pool_header(p ? p : d->pool, s)) {
            if (p && finish_pool(d, p, &b, &l, err))
                return err->code;
            if (d->npool == 64)
                return bad(err, &l, _("too many name pools"));
            p = &d->pool[d->npool++];
            memset(p, 0, sizeof(*p));
            memset(&b, 0, sizeof(b));
            char *name = s + strlen("# ctip demo name pool \""), *q = strchr(name, '"');
            if (!q)
                return bad(err, &l, _("a name pool needs a name"));
            *q = '\0';
            p->name = name;
            continue;
        }
        if (!*s || *s == '#' || strncmp(s, "kind\t", 5) == 0)
            continue;
        if (!p)
            return bad(err, &l, _("a name before the first pool"));
        char *f[MAX_FIELDS] = {0};
        int nf = split(s, '\t', f, MAX_FIELDS);
        int k = strcmp(f[0], "f") == 0 ? 0 : strcmp(f[0], "m") == 0 ? 1 : f[0][0] == 's' ? 2 : -1;
        if (k < 0 || nf < 2 || !*f[1] || nf > 5)
            return bad(err, &l, _("expected kind (f, m, s, sf or sm), name and variants"));
        if (add_name(&d->arena, &b.v[k], &b.n[k], &b.cap[k], f, nf))
            return oom(err);
    }
    if (!p)
        return bad(err, &l, _("no name pool"));
    return finish_pool(d, p, &b, &l, err);
}

/* ---- countries and agencies ------------------------------------------------ */

static int find_pool(const dm_data *d, const char *name)
{
    for (size_t i = 0; i < d->npool; i++)
        if (strcmp(d->pool[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int load_origins(dm_data *d, ct_err *err)
{
    lines l;
    if (lines_open(&l, &d->arena, demo_origins_origins_tsv, "data/demo/origins.tsv"))
        return oom(err);
    d->origin = ct_arena_alloc(&d->arena, 128 * sizeof(*d->origin));
    if (!d->origin)
        return oom(err);
    char *s;
    while ((s = data_line(&l, "country"))) {
        char *f[MAX_FIELDS] = {0};
        if (split(s, '\t', f, MAX_FIELDS) != 4 || d->norigin == 128)
            return bad(err, &l, _("expected country, pool, languages and weight"));
        dm_origin *o = &d->origin[d->norigin++];
        o->country = f[0];
        o->code = ct_codes_lookup("countries", f[0]);
        int pool = find_pool(d, f[1]);
        if (!o->code || pool < 0 || parse_number(f[3], &o->weight))
            return bad(err, &l, _("unknown country or name pool, or a bad weight"));
        o->pool = (size_t)pool;
        const char **langs;
        o->nlang = split_list(&d->arena, f[2], &langs, 4);
        for (size_t i = 0; i < o->nlang; i++) {
            if (!ct_codes_lookup("languages", langs[i]))
                return bad(err, &l, _("unknown language"));
            o->lang[i] = langs[i];
        }
    }
    return 0;
}

static int find_origin(const dm_data *d, const char *country)
{
    for (size_t i = 0; i < d->norigin; i++)
        if (strcmp(d->origin[i].country, country) == 0)
            return (int)i;
    return -1;
}

enum dm_flow dm_flow_of(const ct_code *origin, const ct_code *detection)
{
    if (origin == detection)
        return DM_DOMESTIC;
    const char *so = ct_code_attr(origin, "subregion"), *sd = ct_code_attr(detection, "subregion");
    if (so && sd && strcmp(so, sd) == 0)
        return DM_SUBREGIONAL;
    const char *ro = ct_code_attr(origin, "region"), *rd = ct_code_attr(detection, "region");
    if (ro && rd && strcmp(ro, rd) == 0)
        return DM_REGIONAL;
    return DM_TRANSREGIONAL;
}

/* Sorts the detection country's origins into flow classes. */
static int classify_origins(dm_data *d, dm_detection *x, char *list, const lines *l, ct_err *err)
{
    const char **v;
    size_t n = split_list(&d->arena, list, &v, MAX_FIELDS);
    if (!n || n > 24)
        return bad(err, l, _("a country of detection needs 1 to 12 origins"));
    for (size_t i = 0; i < n; i++) {
        int o = find_origin(d, v[i]);
        if (o < 0)
            return bad(err, l, _("an origin that origins.tsv lacks"));
        enum dm_flow c = dm_flow_of(d->origin[o].code, x->code);
        size_t k = x->norigin[c]++;
        x->by_flow[c][k] = (size_t)o;
        x->origin_cum[c][k] = (k ? x->origin_cum[c][k - 1] : 0) + d->origin[o].weight;
    }
    for (int c = 0; c < DM_NFLOW; c++)
        if (x->flow[c] > 0 && !x->norigin[c])
            return bad(err, l, _("a flow class with a share has no origin of that class"));
    return 0;
}

static int load_detection(dm_data *d, ct_err *err)
{
    lines l;
    if (lines_open(&l, &d->arena, demo_detection_detection_tsv, "data/demo/detection.tsv"))
        return oom(err);
    d->detection = ct_arena_alloc(&d->arena, 32 * sizeof(*d->detection));
    double w[32];
    if (!d->detection)
        return oom(err);
    char *s;
    while ((s = data_line(&l, "country"))) {
        char *f[MAX_FIELDS] = {0};
        if (split(s, '\t', f, MAX_FIELDS) != 10 || d->ndetection == 32)
            return bad(err, &l, _("expected the ten columns of the header"));
        dm_detection *x = &d->detection[d->ndetection];
        memset(x, 0, sizeof(*x));
        x->country = f[0];
        x->code = ct_codes_lookup("countries", f[0]);
        x->script = f[2];
        int rc = !x->code || parse_number(f[1], &x->weight);
        for (int c = 0; c < DM_NFLOW; c++) {
            rc |= parse_number(f[3 + c], &x->flow[c]);
            x->flow_cum[c] = (c ? x->flow_cum[c - 1] : 0) + x->flow[c];
        }
        if (rc || x->flow_cum[DM_NFLOW - 1] <= 0)
            return bad(err, &l, _("unknown country or a bad number"));
        x->prosecutor = f[8];
        x->court = f[9];
        if (classify_origins(d, x, f[7], &l, err))
            return err->code;
        w[d->ndetection++] = x->weight;
    }
    return cumulate(&d->arena, w, d->ndetection, &d->detection_cum) ? oom(err) : 0;
}

static int find_detection(const dm_data *d, const char *country)
{
    for (size_t i = 0; i < d->ndetection; i++)
        if (strcmp(d->detection[i].country, country) == 0)
            return (int)i;
    return -1;
}

static int load_agencies(dm_data *d, ct_err *err)
{
    lines l;
    if (lines_open(&l, &d->arena, demo_agencies_agencies_tsv, "data/demo/agencies.tsv"))
        return oom(err);
    d->agency = ct_arena_alloc(&d->arena, 64 * sizeof(*d->agency));
    if (!d->agency)
        return oom(err);
    char *s;
    while ((s = data_line(&l, "name"))) {
        char *f[MAX_FIELDS] = {0};
        if (split(s, '\t', f, MAX_FIELDS) != 6 || d->nagency == 64)
            return bad(err, &l, _("expected the six columns of the header"));
        dm_agency *a = &d->agency[d->nagency];
        a->name = f[0];
        a->type = f[1];
        a->country = f[2];
        a->ref = f[5];
        int det = find_detection(d, f[2]);
        a->focus = strcmp(f[4], "labour") == 0  ? DM_FOCUS_LABOUR
                   : strcmp(f[4], "child") == 0 ? DM_FOCUS_CHILD
                                                : DM_FOCUS_ANY;
        if (det < 0 || !ct_codes_lookup("agency_types", f[1]) || parse_number(f[3], &a->weight) ||
            strlen(f[0]) > 200)
            return bad(err, &l, _("unknown country of detection or agency type, or a bad weight"));
        a->detection = (size_t)det;
        a->knows_proceedings =
            strcmp(a->type, "law_enforcement") == 0 || strcmp(a->type, "prosecution_service") == 0;
        dm_detection *x = &d->detection[det];
        if (x->nagency == 8)
            return bad(err, &l, _("too many agencies in one country"));
        x->agency[x->nagency++] = d->nagency++;
    }
    for (size_t i = 0; i < d->ndetection; i++) {
        size_t any = 0;
        for (size_t k = 0; k < d->detection[i].nagency; k++)
            any += d->agency[d->detection[i].agency[k]].focus == DM_FOCUS_ANY;
        if (any < 3)
            return bad(err, &l, _("every country of detection needs three agencies of focus any"));
    }
    return 0;
}

int dm_data_load(dm_data *d, ct_err *err)
{
    memset(d, 0, sizeof(*d));
    ct_arena_init(&d->arena, 1 << 16);
    int rc = load_shares(d, err);
    if (!rc)
        rc = load_names(d, err);
    if (!rc)
        rc = load_origins(d, err);
    if (!rc)
        rc = load_detection(d, err);
    if (!rc)
        rc = load_agencies(d, err);
    if (rc)
        dm_data_release(d);
    return rc;
}

void dm_data_release(dm_data *d)
{
    ct_arena_release(&d->arena);
    memset(d, 0, sizeof(*d));
}
