/*
 * nrm.c - the National Referral Mechanism in the statistics: referrals to
 * services by the statuses they reached, victims referred and assisted, and
 * victims by their current NRM stage (issue 4: "referral and assistance
 * counts"). Counted in the victim's statistics year, like every victim
 * table, so the figures add up with the others of the same period.
 */
#include "stats_int.h"

#include "core/alloc.h"
#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

static const char *const ref_codes[ST_NREF] = {"offered", "accepted", "declined", "provided",
                                               "ended"};

/* Index of code in list, or the list's size for a code it does not know. */
static size_t code_slot(const ct_code_list *l, const char *s, size_t n)
{
    char code[64];
    if (n >= sizeof(code))
        return ct_code_list_size(l);
    memcpy(code, s, n);
    code[n] = '\0';
    const ct_code *c = ct_codes_find(l, code);
    return c ? ct_code_index(c) : ct_code_list_size(l);
}

void st_nrm_count(ct_stats *st, int year_index, const ct_stat_victim *v, unsigned profile)
{
    st_nrm *y = &st->nrm[year_index];
    size_t nstages = ct_code_list_size(st->stages);
    size_t stage =
        v->nrm_stage ? code_slot(st->stages, v->nrm_stage, strlen(v->nrm_stage)) : nstages + 1;
    y->stage[stage][profile]++;
    int referred = 0, assisted = 0;
    for (const char *s = v->referrals; s && *s;) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        const char *colon = memchr(s, ':', n);
        if (colon && (size_t)(s + n - colon) == ST_NREF) { /* ":" and 4 flags */
            long *row = y->referrals[code_slot(st->services, s, (size_t)(colon - s))];
            row[ST_R_OFFERED]++;
            for (int k = ST_R_ACCEPTED; k < ST_NREF; k++)
                row[k] += colon[k] == '1';
            referred = 1;
            assisted |= colon[ST_R_PROVIDED] == '1';
        }
        s = e ? e + 1 : s + n;
    }
    y->referred[profile] += referred;
    y->assisted[profile] += assisted;
}

static int push(ct_stats_tables *o, ct_stats_table *t)
{
    ct_stats_table **v = ct_realloc(o->v, (o->n + 1) * sizeof(*v));
    if (!v) {
        ct_stats_table_free(t);
        return CT_ENOMEM;
    }
    o->v = v;
    o->v[o->n++] = t;
    return 0;
}

static int done(ct_stats_table *t, int r, ct_stats_tables *o)
{
    if (r) {
        ct_stats_table_free(t);
        return r;
    }
    return push(o, t);
}

static int year_note(ct_stats_table *t, int from, int to)
{
    if (from == to)
        return st_table_note(t, _("Victims of year %d (of identification, else of registration)."),
                             from);
    return st_table_note(
        t, _("Victims of years %d to %d (of identification, else of registration)."), from, to);
}

/* Row for a code the list does not know, only when some record has one. */
static int has_other(const long *first, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (first[i])
            return 1;
    return 0;
}

static int t_referrals(const ct_stats *st, int from, int to, const char *lang, ct_stats_tables *o)
{
    const char *labels[ST_NREF] = {_("Offered (all referrals)"), _("Accepted"), _("Declined"),
                                   _("Provided"), _("Ended")};
    size_t ns = ct_code_list_size(st->services);
    long sum[ST_MAX_SERVICES + 1][ST_NREF] = {{0}};
    for (int yr = from; yr <= to; yr++)
        for (size_t i = 0; i <= ns; i++)
            for (int k = 0; k < ST_NREF; k++)
                sum[i][k] += st->nrm[yr - ST_YEAR0].referrals[i][k];
    size_t other = has_other(sum[ns], ST_NREF);
    ct_stats_table *t =
        st_table_new("referrals", _("Referrals of victims to services, by status reached"),
                     ns + other + 1, ST_NREF);
    if (!t)
        return CT_ENOMEM;
    t->has_total_col = 0;
    int r = 0;
    for (size_t i = 0; i < ns && !r; i++) {
        const ct_code *c = ct_code_list_at(st->services, i);
        r = st_table_row(t, i, ct_code_id(c), ct_code_label(c, lang));
    }
    if (!r && other)
        r = st_table_row(t, ns, "other", _("Other (code not in the list)"));
    if (!r)
        r = st_table_row(t, ns + other, "total", _("Total"));
    for (int k = 0; k < ST_NREF && !r; k++)
        r = st_table_col(t, (size_t)k, ref_codes[k], labels[k]);
    for (size_t i = 0; i < ns + other; i++)
        for (int k = 0; k < ST_NREF; k++)
            *st_cell(t, i, (size_t)k) = sum[i][k];
    st_table_totals(t);
    if (!r)
        r = year_note(t, from, to);
    if (!r)
        r = st_table_note(t, "%s",
                          _("Each referral counts once in every status it reached: a service "
                            "provided was first offered and accepted."));
    return done(t, r, o);
}

static ct_stats_table *profile_table(const char *id, const char *title, size_t nrows,
                                     const char *lang)
{
    ct_stats_table *t = st_table_new(id, title, nrows, ST_NPROFILE);
    if (t && st_profile_cols(t, lang)) {
        ct_stats_table_free(t);
        return NULL;
    }
    return t;
}

static int t_assistance(const ct_stats *st, int from, int to, const char *lang, ct_stats_tables *o)
{
    ct_stats_table *t =
        profile_table("assistance", _("Victims referred to services and assisted"), 3, lang);
    if (!t)
        return CT_ENOMEM;
    t->has_total_row = t->rows_additive = 0;
    int r = st_table_row(t, 0, "victims", _("Victims"));
    if (!r)
        r = st_table_row(t, 1, "referred", _("Referred to at least one service"));
    if (!r)
        r = st_table_row(t, 2, "assisted", _("Assisted (at least one service provided)"));
    size_t nstages = ct_code_list_size(st->stages);
    for (int yr = from; yr <= to; yr++) {
        const st_nrm *y = &st->nrm[yr - ST_YEAR0];
        for (int p = 0; p < ST_P_TOTAL; p++) {
            for (size_t s = 0; s < nstages + 2; s++)
                *st_cell(t, 0, (size_t)p) += y->stage[s][p];
            *st_cell(t, 1, (size_t)p) += y->referred[p];
            *st_cell(t, 2, (size_t)p) += y->assisted[p];
        }
    }
    st_table_totals(t);
    if (!r)
        r = year_note(t, from, to);
    if (!r)
        r = st_table_note(t, "%s",
                          _("A victim counts once per row whatever the number of referrals. "
                            "Assistance never depends on cooperation with the authorities."));
    return done(t, r, o);
}

static int t_stages(const ct_stats *st, int from, int to, const char *lang, ct_stats_tables *o)
{
    size_t ns = ct_code_list_size(st->stages);
    long sum[ST_MAX_STAGES + 2][ST_NPROFILE] = {{0}};
    for (int yr = from; yr <= to; yr++)
        for (size_t s = 0; s < ns + 2; s++)
            for (int p = 0; p < ST_P_TOTAL; p++)
                sum[s][p] += st->nrm[yr - ST_YEAR0].stage[s][p];
    size_t other = has_other(sum[ns], ST_NPROFILE);
    ct_stats_table *t = profile_table(
        "nrm_stages", _("Victims by their current stage in the National Referral Mechanism"),
        ns + other + 2, lang);
    if (!t)
        return CT_ENOMEM;
    int r = 0;
    for (size_t i = 0; i < ns && !r; i++) {
        const ct_code *c = ct_code_list_at(st->stages, i);
        r = st_table_row(t, i, ct_code_id(c), ct_code_label(c, lang));
    }
    if (!r && other)
        r = st_table_row(t, ns, "other", _("Other (code not in the list)"));
    if (!r)
        r = st_table_row(t, ns + other, "not_recorded", _("Not recorded"));
    if (!r)
        r = st_table_row(t, ns + other + 1, "total", _("Total"));
    for (size_t s = 0; s < ns + other; s++)
        memcpy(st_cell(t, s, 0), sum[s], ST_P_TOTAL * sizeof(long));
    memcpy(st_cell(t, ns + other, 0), sum[ns + 1], ST_P_TOTAL * sizeof(long));
    st_table_totals(t);
    if (!r)
        r = year_note(t, from, to);
    return done(t, r, o);
}

int st_nrm_tables(const ct_stats *st, int from, int to, const char *lang, ct_stats_tables *o)
{
    if (from < ST_YEAR0)
        from = ST_YEAR0;
    if (to >= ST_YEAR0 + ST_NYEARS)
        to = ST_YEAR0 + ST_NYEARS - 1;
    int r = t_referrals(st, from, to, lang, o);
    if (!r)
        r = t_assistance(st, from, to, lang, o);
    if (!r)
        r = t_stages(st, from, to, lang, o);
    return r;
}
