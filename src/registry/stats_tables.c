/*
 * stats_tables.c - the registry statistics as tables of src/stats, so that
 * `ctip stats DB --registries` writes them (text, CSV, JSON) and protects
 * them (--publish: small cells masked, secondary suppression verified) as
 * every other table of ctip's statistics.
 */
#include "registry.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

static ct_stats_table *table_new(const char *id, const char *title, size_t nrows)
{
    ct_stats_table *t = ct_calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->nrows = nrows;
    t->ncols = 1;
    t->id = ct_strdup(id);
    t->title = ct_strdup(title);
    t->row_codes = ct_calloc(nrows, sizeof(char *));
    t->row_labels = ct_calloc(nrows, sizeof(char *));
    t->col_codes = ct_calloc(1, sizeof(char *));
    t->col_labels = ct_calloc(1, sizeof(char *));
    t->cells = ct_calloc(nrows, sizeof(long));
    t->state = ct_calloc(nrows, 1);
    t->has_total_row = 1;
    t->rows_additive = 1;
    if (t->col_codes)
        t->col_codes[0] = ct_strdup("count");
    if (t->col_labels)
        t->col_labels[0] = ct_strdup(_("Count"));
    if (!t->id || !t->title || !t->row_codes || !t->row_labels || !t->col_codes || !t->col_labels ||
        !t->cells || !t->state || !t->col_codes[0] || !t->col_labels[0]) {
        ct_stats_table_free(t);
        return NULL;
    }
    return t;
}

static int row(ct_stats_table *t, size_t r, const char *code, const char *label, long n)
{
    t->row_codes[r] = ct_strdup(code);
    t->row_labels[r] = ct_strdup(label);
    t->cells[r] = n;
    return t->row_codes[r] && t->row_labels[r] ? 0 : CT_ENOMEM;
}

static int note(ct_stats_table *t, const char *text)
{
    char **v = ct_realloc(t->notes, (t->nnotes + 1) * sizeof(char *));
    if (!v)
        return CT_ENOMEM;
    t->notes = v;
    return (t->notes[t->nnotes++] = ct_strdup(text)) ? 0 : CT_ENOMEM;
}

static int push(ct_stats_tables *out, ct_stats_table *t)
{
    ct_stats_table **v = ct_realloc(out->v, (out->n + 1) * sizeof(*v));
    if (!v) {
        ct_stats_table_free(t);
        return CT_ENOMEM;
    }
    out->v = v;
    out->v[out->n++] = t;
    return 0;
}

static int registry_table(const ct_reg_stats_table *s, ct_stats_tables *out)
{
    ct_stats_table *t = table_new(s->id, s->title, s->nrows);
    int rc = t ? 0 : CT_ENOMEM;
    for (size_t i = 0; !rc && i < s->nrows; i++)
        rc = row(t, i, s->rows[i].code, s->rows[i].label, s->rows[i].count);
    if (!rc)
        rc = note(t, _("Records without a value are counted as unknown."));
    if (rc) {
        ct_stats_table_free(t);
        return rc;
    }
    return push(out, t);
}

/* A victim may be both reported missing and in care: the rows are not
 * additive, their total is the child victims. */
static int share_note(ct_stats_table *t, const ct_reg_stats *st)
{
    if (!st->child_victims)
        return 0;
    char text[256];
    snprintf(text, sizeof(text),
             _("Shares of the child victims: previously reported missing %.1f %%, previously in "
               "care %.1f %%, either %.1f %%."),
             100.0 * (double)st->child_victims_missing / (double)st->child_victims,
             100.0 * (double)st->child_victims_in_care / (double)st->child_victims,
             100.0 * (double)st->child_victims_either / (double)st->child_victims);
    return note(t, text);
}

static int child_table(const ct_reg_stats *st, int with_shares, ct_stats_tables *out)
{
    ct_stats_table *t = table_new("child_victims_missing_or_in_care",
                                  _("Child victims previously reported missing or in care"), 4);
    int rc = t ? 0 : CT_ENOMEM;
    if (!rc) {
        /* the last row is the child victims, of whom the others are subsets
         * (a victim may be in both): no sum relates them, so the
         * suppression model must not read it as a total (it did, and the
         * linear program was infeasible as soon as a cell was masked) */
        t->rows_additive = 0;
        t->has_total_row = 0;
        rc = row(t, 0, "previously_reported_missing", _("previously reported missing"),
                 st->child_victims_missing);
    }
    if (!rc)
        rc = row(t, 1, "previously_in_care", _("previously in alternative care"),
                 st->child_victims_in_care);
    if (!rc)
        rc = row(t, 2, "missing_or_in_care", _("reported missing or in care"),
                 st->child_victims_either);
    if (!rc)
        rc = row(t, 3, "total", _("Child victims"), st->child_victims);
    if (!rc)
        rc = note(t, _("Only matches confirmed in the review queue count."));
    if (!rc && with_shares)
        rc = share_note(t, st);
    if (!rc)
        rc = note(t, _("A child victim may be both reported missing and in care: the rows do "
                       "not add up to the total."));
    if (rc) {
        ct_stats_table_free(t);
        return rc;
    }
    return push(out, t);
}

int ct_reg_stats_tables(const ct_reg_stats *st, int with_shares, ct_stats_tables *out, ct_err *err)
{
    memset(out, 0, sizeof(*out));
    int rc = 0;
    for (size_t k = 0; !rc && k < st->ntables; k++)
        rc = registry_table(&st->tables[k], out);
    if (!rc)
        rc = child_table(st, with_shares, out);
    if (rc) {
        ct_stats_tables_release(out);
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    return 0;
}
