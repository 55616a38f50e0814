/*
 * import.c - `ctip import` and `ctip validate`: case files into the store
 * under the import rules of contracts.md.
 *
 * One transaction for the whole file: a crash or a kill leaves the database
 * with none or all of the import. All or nothing by default; with
 * skip_invalid, each record gets a savepoint so that a record the store
 * refuses (unknown agency, a clashing id) is undone alone and rejected.
 */
#include "io_int.h"

#include "core/i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct importer {
    ct_store *store;
    const ct_import_opts *o;
    ct_import_stats *st;
    ct_io_reader *rd;
    FILE *rejects;
    int failed;       /* an invalid record was found (all-or-nothing mode) */
    char agency[201]; /* owner of records that name none */
} importer;

void ct_import_rejects_path(const char *input, char *out, size_t n)
{
    const char *slash = strrchr(input, '/');
    const char *dot = strrchr(input, '.');
    if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : input))
        snprintf(out, n, "%s.rejects", input);
    else
        snprintf(out, n, "%.*s.rejects%s", (int)(dot - input), input, dot);
}

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

static int reject(importer *im, const ct_io_record *rec, const ct_problems *pr, ct_err *err)
{
    im->st->rejected++;
    if (!im->rejects) {
        const char *path = im->st->rejects_path;
        im->rejects = fopen(path, "wb");
        if (!im->rejects)
            return ct_err_set(err, CT_EIO, _("cannot write the rejects file '%s': %s"), path,
                              strerror(errno));
        if (ct_io_write_rejects_header(im->rd, im->rejects))
            return ct_err_set(err, CT_EIO, _("cannot write the rejects file '%s'"), path);
    }
    char reason[2048];
    ct_problems_join(pr, reason, sizeof(reason));
    if (ct_io_write_reject(im->rd, im->rejects, rec, reason))
        return ct_err_set(err, CT_EIO, _("cannot write the rejects file '%s'"),
                          im->st->rejects_path);
    return 0;
}

static int create_agency(importer *im, const char *name, ct_err *err)
{
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "%s", name);
    return ct_store_agency_add(im->store, &a, err);
}

/* Writes one valid record. Returns 0, CT_EINVAL when the store refused the
 * record (the reason is added to pr), or a fatal error. */
static int store_record(importer *im, ct_case *c, const ct_io_record *rec, ct_problems *pr,
                        ct_err *err)
{
    ct_case_put_opts po = {rec->import_key[0] ? rec->import_key : NULL, 0, NULL};
    enum ct_put_outcome out;
    ct_err perr = CT_ERR_INIT;
    int rc = ct_store_case_put(im->store, c, &po, &out, &perr);
    if (rc == CT_ENOTFOUND && im->o->create_agencies && c->agency) {
        ct_err_clear(&perr);
        rc = create_agency(im, c->agency, &perr);
        if (!rc)
            rc = ct_store_case_put(im->store, c, &po, &out, &perr);
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

static int store_guarded(importer *im, ct_case *c, const ct_io_record *rec, ct_problems *pr,
                         ct_err *err)
{
    if (!im->o->skip_invalid)
        return store_record(im, c, rec, pr, err);
    int rc = ct_store_savepoint(im->store, err);
    if (rc)
        return rc;
    rc = store_record(im, c, rec, pr, err);
    if (rc) {
        ct_store_savepoint_rollback(im->store);
        return rc;
    }
    return ct_store_savepoint_release(im->store, err);
}

static int handle(importer *im, int rc, ct_case *c, const ct_io_record *rec, ct_problems *pr,
                  ct_err *err)
{
    im->st->records++;
    if (rc == 1 && !im->o->dry_run && !im->failed) {
        rc = store_guarded(im, c, rec, pr, err);
        if (rc && rc != CT_EINVAL)
            return rc;
    } else {
        rc = rc == 1 ? 0 : CT_EINVAL;
    }
    if (rc != CT_EINVAL)
        return 0;
    report(im, rec->line, pr);
    if (im->o->skip_invalid)
        return im->o->dry_run ? 0 : reject(im, rec, pr, err);
    im->failed = 1;
    return 0;
}

static int read_all(importer *im, ct_err *err)
{
    ct_case c;
    ct_case_init(&c);
    ct_io_record rec;
    ct_io_record_init(&rec);
    ct_problems pr = CT_PROBLEMS_INIT;
    int rc;
    for (;;) {
        ct_case_reset(&c);
        ct_problems_clear(&pr);
        rc = ct_io_next(im->rd, &c, &rec, &pr, err);
        if (rc == 0 || (rc < 0 && rc != CT_EINVAL))
            break;
        if ((rc = handle(im, rc, &c, &rec, &pr, err)))
            break;
    }
    ct_problems_release(&pr);
    ct_io_record_release(&rec);
    ct_case_release(&c);
    return rc;
}

static int audit_import(importer *im, ct_err *err)
{
    json_t *d = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "file", im->o->path, "format",
                          ct_io_format_name(ct_io_reader_format(im->rd)), "records",
                          (json_int_t)im->st->records, "inserted", (json_int_t)im->st->inserted,
                          "updated", (json_int_t)im->st->updated, "unchanged",
                          (json_int_t)im->st->unchanged, "rejected", (json_int_t)im->st->rejected);
    char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!detail)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_audit_entry e = {"import", "case", NULL, NULL, NULL, detail};
    int rc = ct_store_audit(im->store, &e, err);
    free(detail);
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

/* Keeps, per column, what was not carried into ctip (ct_io_unmapped), once
 * the records are in (or, for a dry run, checked). */
static void keep_unmapped(importer *im, int rc)
{
    if (rc && !(im->o->dry_run && rc == CT_EINVAL))
        return;
    const ct_io_unmapped *u;
    size_t n = ct_io_reader_unmapped(im->rd, &u);
    for (size_t i = 0; i < n && im->st->nunmapped < CT_IO_UNMAPPED_MAX; i++)
        if (u[i].no_field || u[i].no_code || u[i].extra)
            im->st->unmapped[im->st->nunmapped++] = u[i];
}

int ct_import_run(ct_store *store, const ct_import_opts *o, ct_import_stats *st, ct_err *err)
{
    memset(st, 0, sizeof(*st));
    importer im = {store, o, st, NULL, NULL, 0, ""};
    if (o->rejects_path)
        snprintf(st->rejects_path, sizeof(st->rejects_path), "%s", o->rejects_path);
    else
        ct_import_rejects_path(o->path, st->rejects_path, sizeof(st->rejects_path));
    int rc = home_agency(&im, err);
    if (rc)
        return rc;
    ct_case_read_opts ro = {ct_date_today(), im.agency, 0};
    if ((rc = ct_io_open(o->path, o->format, &ro, &im.rd, err)))
        return rc;
    if (store && !o->dry_run && (rc = ct_store_begin(store, err))) {
        ct_io_close(im.rd);
        return rc;
    }
    rc = read_all(&im, err);
    if (rc < 0 && rc != CT_EINVAL)
        ct_err_prefix(err, "%s: ", o->path);
    rc = finish(&im, rc, err);
    keep_unmapped(&im, rc);
    ct_io_close(im.rd);
    if (!rc && st->rejected)
        return CT_EREJECTED;
    return rc;
}
