/*
 * stats.c - statistics of the registries (`ctip stats DB --registries`,
 * /api/v1/stats/registries).
 *
 * Counting rules (docs/registries.md):
 *  1. Missing-child reports by status (the outcome) and by circumstances;
 *     placements by exit reason ("active" while the child is in care) and
 *     by type. Every row of the code list is shown, zeros included;
 *     records without a value count as unknown; each table has its total.
 *  2. Child victims are the victims of the cases who were children at the
 *     time of the acts (assess.h: recruitment date, else identification;
 *     benefit of the doubt for ranges; age_uncertain presumes a child).
 *  3. A child victim was previously reported missing (in care) when a
 *     confirmed registry_hit links it to a report last seen (a placement
 *     admitted) on or before its identification; an unknown date does not
 *     exclude. Candidates still pending review do not count.
 */
#include "registry.h"

#include "core/alloc.h"
#include "core/assess.h"
#include "core/codes.h"
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

typedef struct tdef {
    const char *id;
    const char *title; /* N_() */
    const char *group; /* ct_store_reg_counts group */
    const char *list;  /* code list */
    const char *first; /* an extra first row ("active"), or NULL */
} tdef;

static const tdef tdefs[] = {
    {"missing_by_status", N_("Missing-child reports by outcome"), "missing_status",
     "missing_statuses", NULL},
    {"missing_by_circumstances", N_("Missing-child reports by circumstances"),
     "missing_circumstances", "missing_circumstances", NULL},
    {"placements_by_exit", N_("Placements in alternative care by exit reason"), "placement_exit",
     "placement_exit_reasons", "active"},
    {"placements_by_type", N_("Placements in alternative care by type of care"), "placement_type",
     "placement_types", NULL},
};
enum { NTABLES = sizeof(tdefs) / sizeof(tdefs[0]) };

static int add_row(ct_reg_stats *st, ct_reg_stats_table *t, size_t *cap, const char *code,
                   const char *label)
{
    ct_reg_stats_row *v = ct_grow(t->rows, sizeof(*v), t->nrows + 1, cap);
    if (!v)
        return CT_ENOMEM;
    t->rows = v;
    v[t->nrows].code = ct_arena_strdup(&st->arena, code);
    v[t->nrows].label = ct_arena_strdup(&st->arena, label);
    v[t->nrows].count = 0;
    if (!v[t->nrows].code || !v[t->nrows].label)
        return CT_ENOMEM;
    t->nrows++;
    return 0;
}

/* Rows: the extra first row, every code of the list, unknown, total. */
static int make_table(ct_reg_stats *st, const tdef *d, ct_reg_stats_table *t)
{
    size_t cap = 0;
    t->id = d->id;
    t->title = ct_arena_strdup(&st->arena, _(d->title));
    if (!t->title)
        return CT_ENOMEM;
    if (d->first && add_row(st, t, &cap, d->first, _("Still in care")))
        return CT_ENOMEM;
    const ct_code_list *l = ct_codes_list(d->list);
    for (size_t i = 0; l && i < ct_code_list_size(l); i++) {
        const ct_code *c = ct_code_list_at(l, i);
        if (add_row(st, t, &cap, ct_code_id(c), ct_code_label(c, ct_i18n_lang())))
            return CT_ENOMEM;
    }
    if (add_row(st, t, &cap, "unknown", _("Unknown")) || add_row(st, t, &cap, "total", _("Total")))
        return CT_ENOMEM;
    return 0;
}

static int count_cb(const char *group, const char *code, long n, void *arg)
{
    ct_reg_stats *st = arg;
    for (size_t k = 0; k < st->ntables; k++) {
        if (strcmp(tdefs[k].group, group) != 0)
            continue;
        ct_reg_stats_table *t = &st->tables[k];
        size_t row = t->nrows - 2; /* unknown */
        for (size_t i = 0; code && i + 2 < t->nrows; i++)
            if (strcmp(t->rows[i].code, code) == 0)
                row = i;
        t->rows[row].count += n;
        t->rows[t->nrows - 1].count += n;
    }
    return 0;
}

static ct_date parse_or_none(const char *s)
{
    ct_date d = CT_DATE_NONE;
    if (s && ct_date_parse(s, strlen(s), &d))
        d = CT_DATE_NONE;
    return d;
}

static int victim_cb(const ct_reg_victim_row *row, void *arg)
{
    ct_reg_stats *st = arg;
    ct_case c;
    memset(&c, 0, sizeof(c));
    c.date_recruitment = parse_or_none(row->date_recruitment);
    c.date_identification = parse_or_none(row->date_identification);
    ct_person p;
    memset(&p, 0, sizeof(p));
    p.role = "victim";
    p.date_of_birth = parse_or_none(row->date_of_birth);
    p.age = row->age;
    p.age_band = row->age_band;
    p.age_uncertain = row->age_uncertain;
    if (ct_person_is_child(&c, &p, ct_date_today()) != 1)
        return 0;
    st->child_victims++;
    st->child_victims_uncertain += row->age_uncertain != 0;
    st->child_victims_missing += row->reported_missing != 0;
    st->child_victims_in_care += row->in_care != 0;
    st->child_victims_either += row->reported_missing || row->in_care;
    return 0;
}

static int audit(ct_store *s, const char *agency, ct_err *err)
{
    json_t *d = json_pack("{s:s?}", "agency", agency);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!detail)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_audit_entry e = {"registry.stats", NULL, NULL, NULL, NULL, detail};
    int rc = ct_store_audit(s, &e, err);
    free(detail);
    return rc;
}

int ct_reg_stats_collect(ct_store *s, const char *agency, ct_reg_stats *st, ct_err *err)
{
    int rc = ct_reg_stats_gather(s, agency, st, err);
    if (!rc)
        rc = audit(s, agency, err);
    return rc;
}

int ct_reg_stats_gather(ct_store *s, const char *agency, ct_reg_stats *st, ct_err *err)
{
    memset(st, 0, sizeof(*st));
    ct_arena_init(&st->arena, 8192);
    for (size_t k = 0; k < NTABLES; k++) {
        if (make_table(st, &tdefs[k], &st->tables[k]))
            return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
        st->ntables++;
    }
    int rc = ct_store_reg_counts(s, agency, count_cb, st, err);
    if (!rc)
        rc = ct_store_reg_victim_rows(s, agency, victim_cb, st, err);
    return rc;
}

void ct_reg_stats_release(ct_reg_stats *st)
{
    for (size_t k = 0; k < st->ntables; k++)
        ct_free(st->tables[k].rows);
    ct_arena_release(&st->arena);
    memset(st, 0, sizeof(*st));
}

/* ---- output ---------------------------------------------------------------------- */

static double share(long part, long whole)
{
    return whole ? (double)part / (double)whole : 0;
}

json_t *ct_reg_stats_json(const ct_reg_stats *st)
{
    json_t *o = json_object(), *tables = json_array();
    if (!o || !tables || json_object_set_new(o, "tables", tables)) {
        json_decref(o);
        return NULL;
    }
    for (size_t k = 0; k < st->ntables; k++) {
        const ct_reg_stats_table *t = &st->tables[k];
        json_t *rows = json_array();
        for (size_t i = 0; rows && i < t->nrows; i++)
            if (json_array_append_new(rows, json_pack("{s:s,s:s,s:I}", "code", t->rows[i].code,
                                                      "label", t->rows[i].label, "count",
                                                      (json_int_t)t->rows[i].count))) {
                json_decref(rows);
                rows = NULL;
            }
        json_t *jt =
            rows ? json_pack("{s:s,s:s,s:o}", "id", t->id, "title", t->title, "rows", rows) : NULL;
        if (!jt || json_array_append_new(tables, jt)) {
            json_decref(o);
            return NULL;
        }
    }
    json_t *cv = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f}", "child_victims", (json_int_t)st->child_victims,
        "previously_reported_missing", (json_int_t)st->child_victims_missing, "previously_in_care",
        (json_int_t)st->child_victims_in_care, "missing_or_in_care",
        (json_int_t)st->child_victims_either, "age_uncertain",
        (json_int_t)st->child_victims_uncertain, "share_reported_missing",
        share(st->child_victims_missing, st->child_victims), "share_in_care",
        share(st->child_victims_in_care, st->child_victims), "share_missing_or_in_care",
        share(st->child_victims_either, st->child_victims));
    if (!cv || json_object_set_new(o, "child_victims", cv)) {
        json_decref(o);
        return NULL;
    }
    return o;
}
