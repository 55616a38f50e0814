/*
 * glotip.c - the tables in the layout of UNODC's GLOTIP data file
 * (../shared/datasets/glotip/data_glotip.xlsx): the header Iso3_code,
 * Country, Region, Subregion, Indicator, Dimension, Category, Sex, Age,
 * Year, Unit of measurement, txtVALUE, Source; values as text ("1,757",
 * "<5"); the .xlsx with UNODC's two preamble rows.
 *
 * Per country of detection and indicator, the rows form one table for
 * disclosure control: sex x age grids with their totals, the categories of
 * a dimension adding up to (citizenship) or bounded by (forms: victims
 * without a recorded form are in the total only) the indicator's total.
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

static const char header[] = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,"
                             "Sex,Age,Year,Unit of measurement,txtVALUE,Source";
static const char *const indicators[] = {
    "Detected trafficking victims", "Persons brought into formal contact", "Persons prosecuted",
    "Persons convicted", "Offences of trafficking in persons"};
#define NSEXT (ST_NSEX + 1) /* with Total */
#define NAGET (ST_NAGE + 1)

typedef struct grow {
    unsigned country;
    int indicator;
    const char *dimension, *category; /* static, or country names (static tables) */
    int sex, age;                     /* index; ST_NSEX / ST_NAGE: Total */
    long value;
    int cell;
} grow;

typedef struct model {
    grow *rows;
    size_t n, cap;
    st_sdc *sdc;
    int oom;
} model;

static int add(model *m, unsigned country, int ind, const char *dim, const char *cat, int sex,
               int age, long value)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        grow *v = ct_realloc(m->rows, cap * sizeof(*v));
        if (!v) {
            m->oom = 1;
            return -1;
        }
        m->rows = v;
        m->cap = cap;
    }
    int cell = st_sdc_cell(m->sdc, value);
    if (cell < 0) {
        m->oom = 1;
        return -1;
    }
    m->rows[m->n++] = (grow){country, ind, dim, cat, sex, age, value, cell};
    return cell;
}

static void constrain(model *m, int total, const int *parts, size_t n, int exact)
{
    if (total >= 0 && st_sdc_constraint(m->sdc, total, parts, n, exact))
        m->oom = 1;
}

/* A sex x age grid with margins: cells[s][a], s = NSEXT-1 and a = NAGET-1
 * the totals. Emits the rows and the additivity constraints. */
static void grid(model *m, unsigned country, int ind, const char *dim, const char *cat,
                 long v[NSEXT][NAGET], int cells[NSEXT][NAGET])
{
    for (int s = 0; s < NSEXT; s++)
        for (int a = 0; a < NAGET; a++)
            cells[s][a] = add(m, country, ind, dim, cat, s, a, v[s][a]);
    for (int s = 0; s < NSEXT; s++)
        constrain(m, cells[s][NAGET - 1], cells[s], NAGET - 1, 1);
    for (int a = 0; a < NAGET; a++) {
        int parts[ST_NSEX];
        for (int s = 0; s < ST_NSEX; s++)
            parts[s] = cells[s][a];
        constrain(m, cells[NSEXT - 1][a], parts, ST_NSEX, 1);
    }
}

static void margins(long v[NSEXT][NAGET])
{
    for (int s = 0; s < ST_NSEX; s++) {
        v[s][ST_NAGE] = 0;
        for (int a = 0; a < ST_NAGE; a++)
            v[s][ST_NAGE] += v[s][a];
    }
    for (int a = 0; a < NAGET; a++) {
        v[ST_NSEX][a] = 0;
        for (int s = 0; s < ST_NSEX; s++)
            v[ST_NSEX][a] += v[s][a];
    }
}

typedef struct tally {
    long total[NSEXT][NAGET];
    long form[3][NSEXT][NAGET];
    long nationals, unknown_cit;
    long by_cit[256];
} tally;

static void tally_key(tally *t, uint64_t k, long n, unsigned gcat, unsigned detect)
{
    t->total[VK_SEX(k)][VK_AGE(k)] += n;
    if (gcat < 3)
        t->form[gcat][VK_SEX(k)][VK_AGE(k)] += n;
    unsigned c = VK_CITIZEN(k);
    if (c == ST_NO_COUNTRY)
        t->unknown_cit += n;
    else if (c == detect)
        t->nationals += n;
    else
        t->by_cit[c] += n;
}

static int by_name(const void *a, const void *b, void *arg)
{
    const ct_stats *st = arg;
    return strcmp(st_country_glotip_name(st, *(const unsigned *)a),
                  st_country_glotip_name(st, *(const unsigned *)b));
}

/* One indicator of one country: the grid, forms (sex x age for victims,
 * totals only for persons), citizenship. */
static void indicator(model *m, const ct_stats *st, unsigned country, int ind, tally *t)
{
    int tcells[NSEXT][NAGET], fcells[3][NSEXT][NAGET];
    margins(t->total);
    grid(m, country, ind, "Total", "Total", t->total, tcells);
    int victims = ind == 0;
    for (int g = 0; g < 3; g++) {
        margins(t->form[g]);
        if (victims)
            grid(m, country, ind, "by form of exploitation", st_glotip_category[g], t->form[g],
                 fcells[g]);
        else
            fcells[g][ST_NSEX][ST_NAGE] =
                add(m, country, ind, "by form of exploitation", st_glotip_category[g], ST_NSEX,
                    ST_NAGE, t->form[g][ST_NSEX][ST_NAGE]);
    }
    for (int s = victims ? 0 : ST_NSEX; s < NSEXT; s++)
        for (int a = victims ? 0 : ST_NAGE; a < NAGET; a++) {
            int parts[3] = {fcells[0][s][a], fcells[1][s][a], fcells[2][s][a]};
            constrain(m, tcells[s][a], parts, 3, 0); /* total >= sum of forms */
        }
    unsigned order[256];
    size_t n = 0;
    for (unsigned c = 0; c < ST_NO_COUNTRY; c++)
        if (t->by_cit[c])
            order[n++] = c;
    qsort_r(order, n, sizeof(unsigned), by_name, (void *)st);
    int parts[258];
    size_t np = 0;
    parts[np++] =
        add(m, country, ind, "by citizenship", "Nationals", ST_NSEX, ST_NAGE, t->nationals);
    for (size_t i = 0; i < n; i++)
        parts[np++] = add(m, country, ind, "by citizenship", st_country_glotip_name(st, order[i]),
                          ST_NSEX, ST_NAGE, t->by_cit[order[i]]);
    parts[np++] =
        add(m, country, ind, "by citizenship", "Unknown", ST_NSEX, ST_NAGE, t->unknown_cit);
    constrain(m, tcells[ST_NSEX][ST_NAGE], parts, np, 1);
}

static const int kind_indicator[] = {1, 2, 3}; /* investigation, prosecution, conviction */

static void country_rows(model *m, const ct_stats *st, unsigned country, int year)
{
    tally *t = ct_calloc(1, sizeof(*t));
    if (!t) {
        m->oom = 1;
        return;
    }
    for (size_t i = 0; i < st->victims.cap; i++) {
        uint64_t k = st->victims.keys[i];
        if (k && VK_YEAR(k) == year && VK_DETECT(k) == country)
            tally_key(t, k, st->victims.counts[i], VK_GCAT(k), country);
    }
    indicator(m, st, country, 0, t);
    for (int kind = 0; kind < 3; kind++) {
        memset(t, 0, sizeof(*t));
        for (size_t i = 0; i < st->suspects.cap; i++) {
            uint64_t k = st->suspects.keys[i];
            if (k && VK_YEAR(k) == year && VK_DETECT(k) == country && SK_KIND(k) == (unsigned)kind)
                tally_key(t, k, st->suspects.counts[i], SK_GCAT(k), country);
        }
        indicator(m, st, country, kind_indicator[kind], t);
    }
    long cases = 0;
    for (size_t i = 0; i < st->ncases; i++)
        if (st->cases[i].country == country && st->cases[i].year == year)
            cases += st->cases[i].n;
    add(m, country, 4, "Total", "Total", ST_NSEX, ST_NAGE, cases);
    ct_free(t);
}

static int cmp_country(const void *a, const void *b, void *arg)
{
    const ct_stats *st = arg;
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    const char *cx = st_country_code(st, x), *cy = st_country_code(st, y);
    return strcmp(cx ? cx : "", cy ? cy : "");
}

static int build(const ct_stats *st, const ct_glotip_opts *o, model *m, ct_err *err)
{
    int seen[256] = {0};
    for (size_t i = 0; i < st->victims.cap; i++)
        if (st->victims.keys[i] && VK_YEAR(st->victims.keys[i]) == o->year)
            seen[VK_DETECT(st->victims.keys[i])] = 1;
    for (size_t i = 0; i < st->suspects.cap; i++)
        if (st->suspects.keys[i] && VK_YEAR(st->suspects.keys[i]) == o->year)
            seen[VK_DETECT(st->suspects.keys[i])] = 1;
    for (size_t i = 0; i < st->ncases; i++)
        if (st->cases[i].year == o->year)
            seen[st->cases[i].country] = 1;
    unsigned order[256];
    size_t n = 0;
    for (unsigned c = 0; c < 256; c++)
        if (seen[c])
            order[n++] = c;
    qsort_r(order, n, sizeof(unsigned), cmp_country, (void *)st);
    /* one disclosure-control problem per country: tables of different
     * countries share no cell */
    for (size_t i = 0; i < n && !m->oom; i++) {
        size_t first = m->n;
        st_sdc *whole = m->sdc;
        m->sdc = st_sdc_new();
        if (!m->sdc) {
            m->sdc = whole;
            m->oom = 1;
            break;
        }
        country_rows(m, st, order[i], o->year);
        int r = m->oom ? 0 : o->publish ? st_sdc_protect(m->sdc, o->threshold, err) : 0;
        for (size_t j = first; j < m->n; j++) {
            unsigned char s = m->oom ? 0 : st_sdc_state(m->sdc, m->rows[j].cell);
            m->rows[j].cell = s; /* from here on: the state */
        }
        st_sdc_free(m->sdc);
        m->sdc = whole;
        if (r)
            return r;
    }
    if (m->oom)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return 0;
}

static void value_text(const grow *g, int threshold, char out[32])
{
    if (g->cell == CT_CELL_PRIMARY)
        snprintf(out, 32, "<%d", threshold);
    else if (g->cell == CT_CELL_SECONDARY)
        snprintf(out, 32, "x");
    else
        st_format_count(g->value, 1, out);
}

/* The 13 fields of one row; year as text. */
static void fields(const ct_stats *st, const grow *g, int year, int threshold, const char *f[13],
                   char yearbuf[8], char valbuf[32])
{
    static const char *const sex_t[NSEXT] = {"Female", "Male", "Other", "Unknown", "Total"};
    static const char *const age_t[NAGET] = {"0 to 17 years", "18 years or over", "Unknown",
                                             "Total"};
    const char *region = st_country_attr(st, g->country, "region");
    const char *sub = st_country_attr(st, g->country, "subregion");
    snprintf(yearbuf, 8, "%d", year);
    value_text(g, threshold, valbuf);
    f[0] = g->country == ST_NO_COUNTRY ? "" : st_country_code(st, g->country);
    f[1] = st_country_glotip_name(st, g->country);
    f[2] = region ? st_region_label(st, region, "en") : "";
    f[3] = sub ? st_region_label(st, sub, "en") : "";
    f[4] = indicators[g->indicator];
    f[5] = g->dimension;
    f[6] = g->category;
    f[7] = sex_t[g->sex];
    f[8] = age_t[g->age];
    f[9] = yearbuf;
    f[10] = "Counts";
    f[11] = valbuf;
    f[12] = "GLOTIP";
}

static int prepare(const ct_stats *st, const ct_glotip_opts *in, ct_glotip_opts *o, model *m,
                   ct_err *err)
{
    *o = *in;
    if (o->threshold <= 0)
        o->threshold = 5;
    memset(m, 0, sizeof(*m));
    m->sdc = st_sdc_new();
    if (!m->sdc)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return build(st, o, m, err);
}

static void release(model *m)
{
    st_sdc_free(m->sdc);
    ct_free(m->rows);
}

int ct_stats_glotip_csv(const ct_stats *st, const ct_glotip_opts *in, FILE *out, ct_err *err)
{
    ct_glotip_opts o;
    model m;
    int r = prepare(st, in, &o, &m, err);
    ct_buf b = CT_BUF_INIT;
    if (!r) {
        ct_buf_adds(&b, header);
        ct_buf_addc(&b, '\n');
        for (size_t i = 0; i < m.n; i++) {
            const char *f[13];
            char y[8], v[32];
            fields(st, &m.rows[i], o.year, o.threshold, f, y, v);
            for (int j = 0; j < 13; j++) {
                if (j)
                    ct_buf_addc(&b, ',');
                ct_csv_buf_field(&b, f[j], strlen(f[j]), ',');
            }
            ct_buf_addc(&b, '\n');
        }
        if (b.oom)
            r = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        else if (fwrite(b.buf, 1, b.len, out) != b.len)
            r = ct_err_set(err, CT_EIO, "%s", _("cannot write the GLOTIP tables"));
    }
    ct_buf_release(&b);
    release(&m);
    return r;
}

int ct_stats_glotip_xlsx(const ct_stats *st, const ct_glotip_opts *in, const char *path,
                         ct_err *err)
{
    ct_glotip_opts o;
    model m;
    int r = prepare(st, in, &o, &m, err);
    if (r) {
        release(&m);
        return r;
    }
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "data_glotip_1") : NULL;
    if (!ws) {
        workbook_close(wb);
        release(&m);
        return ct_err_set(err, CT_EIO, _("cannot create '%s'"), path);
    }
    char date[16];
    if (o.date)
        snprintf(date, sizeof(date), "%s", o.date);
    else {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(date, sizeof(date), "%d/%m/%Y", &tm);
    }
    /* UNODC's preamble: the producer and its contact, then the date */
    worksheet_write_string(ws, 0, 0, "UNODC", NULL);
    worksheet_write_string(ws, 0, 1, "unodc_ddds@un.org", NULL);
    worksheet_write_string(ws, 1, 0, date, NULL);
    const char *cols[13] = {"Iso3_code",           "Country",  "Region", "Subregion", "Indicator",
                            "Dimension",           "Category", "Sex",    "Age",       "Year",
                            "Unit of measurement", "txtVALUE", "Source"};
    for (int j = 0; j < 13; j++)
        worksheet_write_string(ws, 2, (lxw_col_t)j, cols[j], NULL);
    for (size_t i = 0; i < m.n; i++) {
        const char *f[13];
        char y[8], v[32];
        fields(st, &m.rows[i], o.year, o.threshold, f, y, v);
        for (int j = 0; j < 13; j++) {
            lxw_row_t row = (lxw_row_t)(i + 3);
            if (j == 9)
                worksheet_write_number(ws, row, 9, o.year, NULL);
            else
                worksheet_write_string(ws, row, (lxw_col_t)j, f[j], NULL);
        }
    }
    lxw_error e = workbook_close(wb);
    release(&m);
    if (e != LXW_NO_ERROR)
        return ct_err_set(err, CT_EIO, _("cannot write '%s': %s"), path, lxw_strerror(e));
    return 0;
}
