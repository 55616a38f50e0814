/*
 * flags.c - institutions flagged for the coordinator: the orphanage-
 * trafficking pattern (issue 7), where children disappear from an
 * institution again and again, or turn up as victims of trafficking.
 *
 * The rules are data: one row each, with its threshold and time window.
 * Sources: UNICEF and Better Care Network, "Children in institutional care
 * and trafficking" (orphanage trafficking: recruitment of children into
 * institutions for profit, and exploitation from them); the Council of
 * Europe Lanzarote Committee and Missing Children Europe on children
 * repeatedly absconding from care as a risk indicator. The numbers are a
 * starting point each country sets for itself: a database setting
 * "registry.flag.<rule>" (a whole number) replaces a threshold.
 *
 * A flag is raised once: the coordinators are alerted when it becomes
 * active, not at every check; it turns inactive when the counts fall below
 * the threshold (an absconding leaves the window, a match is undone).
 */
#include "registry.h"

#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

static const ct_reg_flag_rule rules[] = {
    /* rule, label, threshold, window (days) */
    {"repeated_absconding",
     N_("children repeatedly absconded from the institution (whereabouts unknown)"), 3, 365},
    {"victims_among_residents",
     N_("victims of trafficking were identified among the institution's children"), 1, 0},
};
enum { NRULES = sizeof(rules) / sizeof(rules[0]) };

const ct_reg_flag_rule *ct_reg_flag_rules(size_t *n)
{
    *n = NRULES;
    return rules;
}

/* The threshold of a rule: the database's setting, else the table's. */
static long threshold_of(ct_store *s, const ct_reg_flag_rule *r)
{
    char key[80], value[32];
    snprintf(key, sizeof(key), "registry.flag.%s", r->rule);
    ct_err ignored = CT_ERR_INIT;
    if (ct_store_meta_get(s, key, value, sizeof(value), &ignored) == 0) {
        char *end;
        long v = strtol(value, &end, 10);
        if (end != value && !*end && v >= 1)
            return v;
    }
    return r->threshold;
}

typedef struct flag_ctx {
    ct_store *s;
    long threshold[NRULES];
    long raised;
    ct_err *err;
} flag_ctx;

static int alert_coordinators(flag_ctx *x, const ct_reg_inst_counts *c, const ct_reg_flag_rule *r)
{
    ct_reg_alert a = {"registry.institution_flagged",
                      NULL,
                      "coordinator",
                      "institution",
                      c->institution,
                      r->rule};
    return ct_reg_alert_send(x->s, &a, x->err);
}

static int one_institution(const ct_reg_inst_counts *c, void *arg)
{
    flag_ctx *x = arg;
    for (size_t i = 0; i < NRULES; i++) {
        long value = strcmp(rules[i].rule, "repeated_absconding") == 0 ? c->absconded : c->victims;
        int raised = 0;
        int rc = ct_store_reg_flag_set(x->s, c->institution, rules[i].rule, value, x->threshold[i],
                                       value >= x->threshold[i], &raised, x->err);
        if (!rc && raised) {
            x->raised++;
            rc = alert_coordinators(x, c, &rules[i]);
        }
        if (rc)
            return rc;
    }
    return 0;
}

int ct_reg_flags_update(ct_store *s, long *raised, ct_err *err)
{
    flag_ctx x = {s, {0}, 0, err};
    int window = 0;
    for (size_t i = 0; i < NRULES; i++) {
        x.threshold[i] = threshold_of(s, &rules[i]);
        if (strcmp(rules[i].rule, "repeated_absconding") == 0)
            window = rules[i].window_days;
    }
    char since[CT_DATE_TEXT_MAX] = "";
    if (window > 0)
        ct_date_format(ct_date_from_days(ct_date_days(ct_date_today()) - window), since);
    int rc = ct_store_reg_inst_counts(s, since[0] ? since : NULL, one_institution, &x, err);
    if (raised)
        *raised = x.raised;
    return rc;
}

/* ---- effects of review decisions ---------------------------------------------- */

static const ct_review_side *side_of(const ct_review_item *it, const char *type)
{
    if (strcmp(it->a.type, type) == 0)
        return &it->a;
    return strcmp(it->b.type, type) == 0 ? &it->b : NULL;
}

int ct_reg_on_confirm(ct_store *s, const ct_review_item *it, ct_err *err)
{
    const ct_review_side *m = side_of(it, "missing");
    int rc = 0;
    if (m) {
        ct_reg_record r;
        ct_reg_record_init(&r, CT_REG_MISSING);
        rc = ct_store_reg_get(s, m->id, &r, err);
        /* an open report: the reporting agency learns that the child was
         * found (as a victim, or in care); it updates the report itself */
        if (!rc && r.status && strcmp(r.status, "open") == 0) {
            ct_reg_alert a = {"registry.missing_child_matched",
                              r.agency,
                              NULL,
                              "missing",
                              m->id,
                              strcmp(it->a.type, "missing") == 0 ? it->b.type : it->a.type};
            rc = ct_reg_alert_send(s, &a, err);
        }
        ct_reg_record_release(&r);
        if (rc == CT_ENOTFOUND) { /* the report was deleted: nobody to tell */
            ct_err_clear(err);
            rc = 0;
        }
    }
    long raised;
    return rc ? rc : ct_reg_flags_update(s, &raised, err);
}

int ct_reg_on_unconfirm(ct_store *s, const ct_review_item *it, ct_err *err)
{
    (void)it;
    long raised;
    return ct_reg_flags_update(s, &raised, err);
}
