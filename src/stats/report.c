/*
 * report.c - the national annual report: one self-contained HTML page with
 * inline SVG charts (no script), the published tables with their notes,
 * and the data-quality section. Every count shown comes from the tables
 * after small-cell protection, so charts and tables publish the same thing.
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/i18n.h"

#include <string.h>
#include <time.h>

static const char css[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;color:#222;max-width:60rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.45}"
    "h1{color:#1f3f66;border-bottom:3px solid #1f5a96;padding-bottom:.3rem}"
    "h2{color:#1f3f66;margin-top:2.2rem;border-bottom:1px solid #ccd}"
    ".sub{color:#555}"
    ".kpis{display:flex;flex-wrap:wrap;gap:1rem}"
    ".kpi{border:1px solid #ccd;border-radius:6px;padding:.6rem 1rem;min-width:10rem}"
    ".kpi b{display:block;font-size:1.6rem;color:#1f5a96}"
    "table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}"
    "caption{text-align:left;font-weight:bold;padding:.3rem 0}"
    "th,td{border:1px solid #ccd;padding:.2rem .5rem}td{text-align:right}"
    "th{background:#eef2f7;text-align:left}tr.total td,tr.total th{font-weight:bold}"
    "ul.notes{font-size:.8rem;color:#444}"
    "svg.chart{max-width:100%;height:auto;display:block;margin:1rem 0}"
    "svg .lbl{font-size:12px;fill:#222}svg .val{font-size:12px;fill:#444}"
    "@media print{body{margin:0;max-width:none}section{break-inside:avoid-page}}";

typedef struct rep {
    ct_buf *b;
    const ct_stats_tables *year;  /* tables of the report's year */
    const ct_stats_tables *trend; /* tables of the five years */
    int threshold;
    const char *lang;
} rep;

static ct_stats_table *find(const ct_stats_tables *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i]->id, id) == 0)
            return t->v[i];
    return NULL;
}

static void table_html(rep *r, const ct_stats_table *t)
{
    if (!t)
        return;
    ct_buf *b = r->b;
    ct_buf_adds(b, "<table><caption>");
    st_html_escape(b, t->title);
    ct_buf_adds(b, "</caption>\n<thead><tr><th></th>");
    for (size_t c = 0; c < t->ncols; c++) {
        ct_buf_adds(b, "<th>");
        st_html_escape(b, t->col_labels[c]);
        ct_buf_adds(b, "</th>");
    }
    ct_buf_adds(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < t->nrows; i++) {
        int total = t->has_total_row && i == t->nrows - 1;
        ct_buf_adds(b, total ? "<tr class=\"total\"><th>" : "<tr><th>");
        st_html_escape(b, t->row_labels[i]);
        ct_buf_adds(b, "</th>");
        for (size_t c = 0; c < t->ncols; c++) {
            char v[32];
            ct_stats_cell_text(t, i, c, r->threshold, 1, v);
            ct_buf_adds(b, "<td>");
            st_html_escape(b, v);
            ct_buf_adds(b, "</td>");
        }
        ct_buf_adds(b, "</tr>\n");
    }
    ct_buf_adds(b, "</tbody></table>\n<ul class=\"notes\">");
    for (size_t i = 0; i < t->nnotes; i++) {
        ct_buf_adds(b, "<li>");
        st_html_escape(b, t->notes[i]);
        ct_buf_adds(b, "</li>");
    }
    ct_buf_adds(b, "</ul>\n");
}

static void section(rep *r, const char *id, const char *title)
{
    ct_buf_addf(r->b, "</section>\n<section id=\"%s\">\n<h2>", id);
    st_html_escape(r->b, title);
    ct_buf_adds(r->b, "</h2>\n");
}

static void para(rep *r, const char *text)
{
    ct_buf_adds(r->b, "<p>");
    st_html_escape(r->b, text);
    ct_buf_adds(r->b, "</p>\n");
}

/* A chart from one row (or column) of a table: labels, values, texts. */
static void hbars_from_row(rep *r, const ct_stats_table *t, size_t row, size_t ncols,
                           const char *title, int color)
{
    const char *labels[64], *texts[64];
    long values[64];
    char buf[64][32];
    size_t n = ncols < 64 ? ncols : 64;
    for (size_t c = 0; c < n; c++) {
        labels[c] = t->col_labels[c];
        ct_stats_cell_text(t, row, c, r->threshold, 1, buf[c]);
        texts[c] = buf[c];
        values[c] = t->state[row * t->ncols + c] ? 0 : t->cells[row * t->ncols + c];
    }
    st_svg_hbars(r->b, title, labels, values, texts, n, color);
}

static void hbars_from_col(rep *r, const ct_stats_table *t, size_t nrows, size_t col,
                           const char *title, int color)
{
    const char *labels[64], *texts[64];
    long values[64];
    char buf[64][32];
    size_t n = nrows < 64 ? nrows : 64;
    for (size_t i = 0; i < n; i++) {
        labels[i] = t->row_labels[i];
        ct_stats_cell_text(t, i, col, r->threshold, 1, buf[i]);
        texts[i] = buf[i];
        values[i] = t->state[i * t->ncols + col] ? 0 : t->cells[i * t->ncols + col];
    }
    st_svg_hbars(r->b, title, labels, values, texts, n, color);
}

static void kpi(rep *r, const char *label, const ct_stats_table *t, size_t row, size_t col)
{
    char v[32] = "-";
    if (t && row < t->nrows && col < t->ncols)
        ct_stats_cell_text(t, row, col, r->threshold, 1, v);
    ct_buf_adds(r->b, "<div class=\"kpi\"><b>");
    st_html_escape(r->b, v);
    ct_buf_adds(r->b, "</b>");
    st_html_escape(r->b, label);
    ct_buf_adds(r->b, "</div>\n");
}

static void summary(rep *r, int year)
{
    const ct_stats_table *sa = find(r->year, "victims_sex_age");
    const ct_stats_table *ps = find(r->year, "persons_sex");
    const ct_stats_table *cs = find(r->year, "cases");
    ct_buf_adds(r->b, "<div class=\"kpis\">\n");
    kpi(r, _("victims detected"), sa, ST_NSEX, ST_NAGE);
    kpi(r, _("child victims"), sa, ST_NSEX, ST_CHILD);
    kpi(r, _("cases recorded"), cs, 0, 0);
    kpi(r, _("persons prosecuted"), ps, ST_K_PROSECUTION, ST_NSEX);
    kpi(r, _("persons convicted"), ps, ST_K_CONVICTION, ST_NSEX);
    ct_buf_adds(r->b, "</div>\n");
    char text[512];
    snprintf(text, sizeof(text),
             _("This report describes the victims of trafficking in persons detected in %d, the "
               "forms of exploitation they suffered, where they came from, and the persons "
               "investigated, prosecuted and convicted. Counts of 1 to %d are shown as <%d and "
               "some other cells as x, so that no small count can be recovered from the totals."),
             year, r->threshold - 1, r->threshold);
    para(r, text);
}

static void profile(rep *r)
{
    const ct_stats_table *f = find(r->year, "victims_glotip_forms");
    section(r, "profile", _("Victims by sex and age"));
    if (f)
        hbars_from_row(r, f, f->nrows - 1, ST_NPROFILE - 1, _("Victims detected by sex and age"),
                       0);
    table_html(r, find(r->year, "victims_sex_age"));
}

static void forms(rep *r)
{
    const ct_stats_table *f = find(r->year, "victims_forms");
    section(r, "forms", _("Forms of exploitation"));
    if (f)
        hbars_from_col(r, f, f->nrows - 1, ST_P_TOTAL, _("Victims by form of exploitation"), 1);
    table_html(r, find(r->year, "victims_glotip_forms"));
    table_html(r, f);
}

static void trends(rep *r, int year)
{
    const ct_stats_table *t = find(r->trend, "victims_year");
    section(r, "trends", _("Trends"));
    if (!t) {
        para(r, _("Only one year of data: no trend to show."));
        return;
    }
    size_t ng = t->nrows - 1;
    const char *groups[16], *totals[16];
    char tot[16][32];
    long values[16 * 4];
    const char *series[4] = {_("Women"), _("Men"), _("Girls"), _("Boys")};
    for (size_t g = 0; g < ng && g < 16; g++) {
        groups[g] = t->row_labels[g];
        ct_stats_cell_text(t, g, ST_P_TOTAL, r->threshold, 1, tot[g]);
        totals[g] = tot[g];
        for (size_t k = 0; k < 4; k++)
            values[g * 4 + k] = t->state[g * t->ncols + k] ? 0 : t->cells[g * t->ncols + k];
    }
    char title[128];
    snprintf(title, sizeof(title), _("Victims detected, %d to %d"), year - (int)ng + 1, year);
    st_svg_stacked(r->b, title, groups, ng < 16 ? ng : 16, series, 4, values, totals);
    para(r, _("Each column is one year; the segments are women, men, girls and boys, and the "
              "figure above a column is the total of all victims, including those whose sex or "
              "age is not known."));
    table_html(r, t);
}

static void flows(rep *r)
{
    const ct_stats_table *f = find(r->year, "flows");
    section(r, "flows", _("Flows and citizenship"));
    if (f)
        hbars_from_col(r, f, f->nrows - 1, ST_P_TOTAL, _("Victims by trafficking flow"), 2);
    table_html(r, f);
    table_html(r, find(r->year, "flows_matrix"));
    table_html(r, find(r->year, "victims_citizenship"));
    table_html(r, find(r->year, "victims_detection"));
}

static void proceedings(rep *r)
{
    const ct_stats_table *p = find(r->year, "persons_sex");
    section(r, "proceedings", _("Criminal justice response"));
    if (p) {
        static const size_t order[] = {ST_K_SUSPECT, ST_K_INVESTIGATION, ST_K_PROSECUTION,
                                       ST_K_CONVICTION};
        const char *labels[4], *texts[4];
        long values[4];
        char buf[4][32];
        for (size_t i = 0; i < 4; i++) {
            size_t row = order[i];
            labels[i] = p->row_labels[row];
            ct_stats_cell_text(p, row, ST_NSEX, r->threshold, 1, buf[i]);
            texts[i] = buf[i];
            values[i] = p->state[row * p->ncols + ST_NSEX] ? 0 : p->cells[row * p->ncols + ST_NSEX];
        }
        st_svg_funnel(r->b, _("From suspects to convictions"), labels, values, texts, 4);
    }
    table_html(r, p);
    table_html(r, find(r->year, "persons_citizenship"));
    table_html(r, find(r->year, "cases"));
}

static void referral(rep *r)
{
    section(r, "referral", _("Protection and assistance"));
    para(r, _("Victims as the National Referral Mechanism recorded them: their current stage, "
              "the services they were referred to and whether the services were provided."));
    table_html(r, find(r->year, "nrm_stages"));
    table_html(r, find(r->year, "assistance"));
    table_html(r, find(r->year, "referrals"));
}

static void quality(rep *r)
{
    section(r, "quality", _("Data quality"));
    para(r, _("How complete the records are: the counts below are not masked, since they "
              "describe records rather than persons."));
    table_html(r, find(r->year, "data_quality"));
}

static void method(rep *r)
{
    section(r, "method", _("Method"));
    para(r, _("The year of a record is the year of identification, else of registration; the "
              "country of detection is the country of the agency that owns the record. Unknown "
              "values are counted as unknown. A victim of several forms of exploitation is "
              "counted under each in the detailed table and once in the GLOTIP categories."));
    char text[512];
    snprintf(text, sizeof(text),
             _("Small-cell protection: counts of 1 to %d are shown as <%d; further cells, shown "
               "as x, are suppressed so that no masked count can be recomputed from the totals, "
               "which a linear program checks for every masked cell before publication."),
             r->threshold - 1, r->threshold);
    para(r, text);
}

static void head(rep *r, const ct_report_opts *o, const char *country)
{
    char title[256], today[16];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);
    if (country)
        snprintf(title, sizeof(title), _("Trafficking in persons in %s: national report %d"),
                 country, o->year);
    else
        snprintf(title, sizeof(title), _("Trafficking in persons: national report %d"), o->year);
    ct_buf_addf(r->b,
                "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<title>",
                r->lang);
    st_html_escape(r->b, title);
    ct_buf_addf(r->b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
    st_html_escape(r->b, title);
    ct_buf_adds(r->b, "</h1>\n<p class=\"sub\">");
    char sub[256];
    snprintf(sub, sizeof(sub),
             _("Produced by ctip on %s from the records of the national database."), today);
    st_html_escape(r->b, sub);
    ct_buf_adds(r->b, "</p>\n<section id=\"summary\">\n<h2>");
    st_html_escape(r->b, _("Summary"));
    ct_buf_adds(r->b, "</h2>\n");
}

int ct_stats_report_html(const ct_stats *st, const ct_report_opts *o, FILE *out, ct_err *err)
{
    char keep[16];
    snprintf(keep, sizeof(keep), "%s", ct_i18n_lang());
    ct_i18n_use(o->lang ? o->lang : "en");
    ct_stats_tables year = {0}, trend = {0};
    ct_buf b = CT_BUF_INIT;
    rep r = {&b, &year, &trend, o->threshold > 1 ? o->threshold : 5, ct_i18n_lang()};
    int first = st->first_year && st->first_year > o->year - 4 ? st->first_year : o->year - 4;
    if (first > o->year)
        first = o->year;
    int rc = st_tables_standard_span(st, o->year, o->year, r.lang, &year, err);
    if (!rc && first < o->year)
        rc = st_tables_standard_span(st, first, o->year, r.lang, &trend, err);
    /* publish the year's tables and the trend together: they share cells */
    ct_stats_tables all = {0};
    if (!rc) {
        all.n = year.n + (trend.n ? 1 : 0);
        all.v = ct_calloc(all.n + 1, sizeof(*all.v));
        if (!all.v)
            rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    if (!rc) {
        memcpy(all.v, year.v, year.n * sizeof(*all.v));
        if (trend.n)
            all.v[year.n] = find(&trend, "victims_year");
        if (trend.n && !all.v[year.n])
            all.n--;
        char ycode[16];
        snprintf(ycode, sizeof(ycode), "%d", o->year);
        rc = st_tables_protect(&all, r.threshold, ycode, err);
    }
    ct_free(all.v);
    if (!rc) {
        const char *country = NULL;
        if (o->country) {
            const ct_code *c = ct_codes_lookup("countries", o->country);
            country = c ? ct_code_label(c, r.lang) : NULL;
        }
        head(&r, o, country);
        summary(&r, o->year);
        profile(&r);
        forms(&r);
        trends(&r, o->year);
        flows(&r);
        proceedings(&r);
        referral(&r);
        quality(&r);
        method(&r);
        ct_buf_adds(&b, "</section>\n</body>\n</html>\n");
        if (b.oom)
            rc = ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        else if (fwrite(b.buf, 1, b.len, out) != b.len)
            rc = ct_err_set(err, CT_EIO, "%s", _("cannot write the report"));
    }
    ct_buf_release(&b);
    ct_stats_tables_release(&year);
    ct_stats_tables_release(&trend);
    ct_i18n_use(keep);
    return rc;
}
