/*
 * fill.c - demo cases into a store, through the store API like any other
 * writer, and the truth file.
 *
 * One transaction per batch: a million records in one transaction would
 * hold the write lock (and grow the WAL) for the whole run, one per case
 * would pay a commit each; BATCH cases per commit costs little of either.
 */
#include "demo_int.h"

#include "core/i18n.h"

#include <stdio.h>
#include <string.h>

#define BATCH 5000

static int ensure_agencies(ct_store *s, const ct_demo *d, ct_err *err)
{
    for (size_t i = 0; i < ct_demo_agency_count(d); i++) {
        ct_agency a, have;
        ct_demo_agency(d, i, &a);
        ct_err e = CT_ERR_INIT;
        int rc = ct_store_agency_get(s, a.name, &have, &e);
        if (rc == CT_ENOTFOUND)
            rc = ct_store_agency_add(s, &a, err);
        else if (rc)
            *err = e;
        if (rc)
            return rc;
    }
    return 0;
}

static int write_truth(ct_demo *d, const ct_case *c, FILE *truth)
{
    for (size_t i = 0; i < c->npersons; i++)
        if (fprintf(truth, "%s,%s\n", c->persons[i].id, ct_demo_true_person(d, i)) < 0)
            return CT_EIO;
    return 0;
}

/* Writes up to BATCH cases in one transaction; *more is cleared at the end. */
static int fill_batch(ct_store *s, ct_demo *d, ct_case *c, FILE *truth, int *more, ct_err *err)
{
    int rc = ct_store_begin(s, err);
    for (long n = 0; !rc && n < BATCH; n++) {
        ct_case_reset(c);
        rc = ct_demo_next(d, c, err);
        if (rc <= 0) {
            *more = 0;
            break;
        }
        ct_case_put_opts po = {NULL, 0, ct_demo_registered_at(d)};
        rc = ct_store_case_put(s, c, &po, NULL, err);
        if (!rc)
            rc = dm_nrm_records(s, d, c, err);
        const char *to;
        for (size_t i = 0; !rc && (to = ct_demo_shared_with(d, i)); i++) {
            rc =
                ct_store_share_add(s, c->id, to, "demo",
                                   "referral: the agency also assists the victim (demo data)", err);
            d->st.shares++;
        }
        if (!rc && truth && write_truth(d, c, truth))
            rc = ct_err_set(err, CT_EIO, "%s", _("cannot write the truth file"));
    }
    if (!rc)
        return ct_store_commit(s, err);
    ct_store_rollback(s);
    return rc;
}

static int audit_demo(ct_store *s, const ct_demo *d, const ct_demo_stats *st, ct_err *err)
{
    char detail[256];
    snprintf(detail, sizeof(detail),
             "{\"seed\":%llu,\"cases\":%ld,\"victims\":%ld,\"suspects\":%ld}",
             (unsigned long long)d->o.seed, st->cases, st->victims, st->suspects);
    ct_audit_entry e = {"demo", "case", NULL, NULL, NULL, detail};
    int rc = ct_store_begin(s, err);
    if (!rc)
        rc = ct_store_audit(s, &e, err);
    if (!rc)
        return ct_store_commit(s, err);
    ct_store_rollback(s);
    return rc;
}

int ct_demo_fill(ct_store *s, ct_demo *d, FILE *truth, ct_demo_stats *st, ct_err *err)
{
    /* NRM records name who recorded them */
    ct_actor keep = *ct_store_actor(s);
    if (!keep.user) {
        ct_actor demo = {"demo", NULL, NULL};
        ct_store_set_actor(s, &demo);
    }
    int rc = ct_store_begin(s, err);
    if (!rc)
        rc = ensure_agencies(s, d, err);
    if (!rc)
        rc = ct_store_commit(s, err);
    else
        ct_store_rollback(s);
    if (!rc && truth && fputs("person_id,true_person\n", truth) < 0)
        rc = ct_err_set(err, CT_EIO, "%s", _("cannot write the truth file"));
    ct_case c;
    ct_case_init(&c);
    for (int more = 1; !rc && more;)
        rc = fill_batch(s, d, &c, truth, &more, err);
    ct_case_release(&c);
    *st = d->st;
    if (!rc)
        rc = audit_demo(s, d, st, err);
    if (!keep.user)
        ct_store_set_actor(s, &keep);
    return rc;
}
