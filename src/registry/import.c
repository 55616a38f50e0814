/*
 * import.c - `ctip registry import`: registry files into the store under
 * the import rules of contracts.md, as src/io/import.c does for cases.
 *
 * One transaction for the whole file, so a kill leaves none or all of it.
 * All or nothing by default; with skip_invalid each record gets a
 * savepoint, so a record the store refuses (unknown agency, unknown
 * institution, a clashing id) is undone alone and rejected.
 */
#include "registry.h"

#include "core/i18n.h"
#include "io/io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct importer {
    ct_store *store;
    const ct_reg_import_opts *o;
    ct_reg_import_stats *st;
    ct_reg_reader *rd;
    FILE *rejects;
    int failed;
    char agency[201];
} importer;

static void report(importer *im, long line, const ct_problems *pr)
{
    for (size_t i = 0; i < pr->n; i++)
        if (im->o->report)
            im->o->report(im->o->report_arg, im->o->path, line, pr->v[i].field, pr->v[i].msg);
    if (pr->total > pr->n && im->o->report) {
        char msg[96];
        snprintf(msg, sizeof(msg), _("and %zu more problems in this record"), pr->total - pr->n);
        im->o->report(im->o->report_arg, im->o->path, line, "", msg);
    }
    im->st->problems += (long)pr->total;
}

static int reject(importer *im, const ct_problems *pr, ct_err *err)
{
    im->st->rejected++;
    const char *path = im->st->rejects_path;
    if (!im->rejects) {
        im->rejects = fopen(path, "wb");
        if (!im->rejects)
            return ct_err_set(err, CT_EIO, _("cannot write the rejects file '%s': %s"), path,
                              strerror(errno));
        if (ct_reg_reader_rejects_header(im->rd, im->rejects))
            return ct_err_set(err, CT_EIO, _("cannot write the rejects file '%s'"), path);
    }
    char reason[2048];
    ct_problems_join(pr, reason, sizeof(reason));
    if (ct_reg_reader_reject(im->rd, im->rejects, reason))
        return ct_err_set(err, CT_EIO, _("cannot write the rejects file '%s'"), path);
    return 0;
}

/* Writes one valid record: 0, CT_EINVAL when the store refused it (the
 * reason is added to pr), or a fatal error. */
static int store_record(importer *im, ct_reg_record *r, const char *key, ct_problems *pr,
                        ct_err *err)
{
    ct_reg_put_opts po = {key[0] ? key : NULL, 0, 0};
    enum ct_put_outcome out;
    ct_err perr = CT_ERR_INIT;
    int rc = ct_store_reg_put(im->store, r, &po, &out, &perr);
    if (rc == CT_ENOTFOUND && im->o->create_agencies && r->agency &&
        strcmp(perr.field, "agency") == 0) {
        ct_err_clear(&perr);
        ct_agency a = {0};
        snprintf(a.name, sizeof(a.name), "%s", r->agency);
        rc = ct_store_agency_add(im->store, &a, &perr);
        if (!rc)
            rc = ct_store_reg_put(im->store, r, &po, &out, &perr);
    }
    if (rc == CT_ENOTFOUND || rc == CT_ECONFLICT || rc == CT_EINVAL) {
        ct_problems_add(pr, perr.field, "%s", perr.msg);
        return CT_EINVAL;
    }
    if (rc) {
        *err = perr;
        return rc;
    }
    im->st->inserted += out == CT_PUT_INSERTED;
    im->st->updated += out == CT_PUT_UPDATED;
    im->st->unchanged += out == CT_PUT_UNCHANGED;
    return 0;
}

static int store_guarded(importer *im, ct_reg_record *r, const char *key, ct_problems *pr,
                         ct_err *err)
{
    if (!im->o->skip_invalid)
        return store_record(im, r, key, pr, err);
    int rc = ct_store_savepoint(im->store, err);
    if (rc)
        return rc;
    rc = store_record(im, r, key, pr, err);
    if (rc) {
        ct_store_savepoint_rollback(im->store);
        return rc;
    }
    return ct_store_savepoint_release(im->store, err);
}

static int handle(importer *im, int rc, ct_reg_record *r, long line, const char *key,
                  ct_problems *pr, ct_err *err)
{
    im->st->records++;
    if (rc == 1 && !im->o->dry_run && !im->failed) {
        rc = store_guarded(im, r, key, pr, err);
        if (rc && rc != CT_EINVAL)
            return rc;
    } else {
        rc = rc == 1 ? 0 : CT_EINVAL;
    }
    if (rc != CT_EINVAL)
        return 0;
    report(im, line, pr);
    if (im->o->skip_invalid)
        return im->o->dry_run ? 0 : reject(im, pr, err);
    im->failed = 1;
    return 0;
}

static int read_all(importer *im, ct_err *err)
{
    ct_reg_record r;
    ct_reg_record_init(&r, im->o->kind);
    ct_problems pr = CT_PROBLEMS_INIT;
    char key[48];
    long line;
    int rc;
    for (;;) {
        ct_problems_clear(&pr);
        rc = ct_reg_reader_next(im->rd, &r, &line, key, &pr, err);
        if (rc == 0 || (rc < 0 && rc != CT_EINVAL))
            break;
        if ((rc = handle(im, rc, &r, line, key, &pr, err)))
            break;
    }
    ct_problems_release(&pr);
    ct_reg_record_release(&r);
    return rc;
}

static int audit_import(importer *im, ct_err *err)
{
    json_t *d =
        json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "file", im->o->path, "kind",
                  ct_reg_kind_name(im->o->kind), "format",
                  ct_reg_reader_format(im->rd) == CT_REG_FMT_CSV ? "csv" : "jsonl", "records",
                  (json_int_t)im->st->records, "inserted", (json_int_t)im->st->inserted, "updated",
                  (json_int_t)im->st->updated, "unchanged", (json_int_t)im->st->unchanged,
                  "rejected", (json_int_t)im->st->rejected);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!detail)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_audit_entry e = {"registry.import", ct_reg_kind_name(im->o->kind), NULL, NULL, NULL, detail};
    int rc = ct_store_audit(im->store, &e, err);
    free(detail);
    return rc;
}

static int finish(importer *im, int rc, ct_err *err)
{
    if (im->rejects && fclose(im->rejects) && !rc)
        rc = ct_err_set(err, CT_EIO, _("cannot write the rejects file '%s'"), im->st->rejects_path);
    im->rejects = NULL;
    if (!rc && im->failed && im->o->dry_run)
        rc = ct_err_set(err, CT_EINVAL, _("%ld problem(s) found"), im->st->problems);
    if (!rc && im->failed)
        rc = ct_err_set(err, CT_EINVAL,
                        _("%ld problem(s) found; nothing was imported (fix them, or use "
                          "--skip-invalid to import the valid records)"),
                        im->st->problems);
    if (im->o->dry_run || !im->store)
        return rc;
    if (!rc)
        rc = audit_import(im, err);
    if (!rc)
        rc = ct_store_commit(im->store, err);
    if (rc)
        ct_store_rollback(im->store);
    return rc;
}

static int home_agency(importer *im, ct_err *err)
{
    if (im->o->agency) {
        snprintf(im->agency, sizeof(im->agency), "%s", im->o->agency);
        return 0;
    }
    if (!im->store) {
        snprintf(im->agency, sizeof(im->agency), "local");
        return 0;
    }
    return ct_store_meta_get(im->store, "home_agency", im->agency, sizeof(im->agency), err);
}

int ct_reg_import(ct_store *s, const ct_reg_import_opts *o, ct_reg_import_stats *st, ct_err *err)
{
    memset(st, 0, sizeof(*st));
    importer im = {s, o, st, NULL, NULL, 0, ""};
    if (o->rejects_path)
        snprintf(st->rejects_path, sizeof(st->rejects_path), "%s", o->rejects_path);
    else
        ct_import_rejects_path(o->path, st->rejects_path, sizeof(st->rejects_path));
    int rc = home_agency(&im, err);
    if (rc)
        return rc;
    ct_case_read_opts ro = {ct_date_today(), im.agency, 0};
    if ((rc = ct_reg_reader_open(o->path, NULL, o->kind, o->format, &ro, &im.rd, err)))
        return rc;
    if (s && !o->dry_run && (rc = ct_store_begin(s, err))) {
        ct_reg_reader_close(im.rd);
        return rc;
    }
    rc = read_all(&im, err);
    if (rc < 0 && rc != CT_EINVAL)
        ct_err_prefix(err, "%s: ", o->path);
    rc = finish(&im, rc, err);
    ct_reg_reader_close(im.rd);
    if (!rc && st->rejected)
        return CT_EREJECTED;
    return rc;
}
