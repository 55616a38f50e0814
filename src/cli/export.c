/* ctip export: the whole database as JSON lines (lossless) or flat CSV. */
#include "cli.h"

#include "core/i18n.h"
#include "io/io.h"
#include "stats/stats.h"

#include <string.h>

static const ct_cmd_help help = {
    "ctip export DB --format jsonl|csv|ctdc [-o FILE] [--agency NAME] [--k N]",
    N_("export cases with personal data, for administrators (the export is audited); "
       "jsonl is complete, csv is a flat view; ctdc is anonymised (k-anonymous CTDC layout)")};

/* --format ctdc: anonymised microdata; the report goes to stderr. */
static int export_ctdc(ct_cli *cli, const char *db, const char *agency, long k,
                       const char *out_path)
{
    if (k < 0 || k == 1 || k > 1000)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--k is between 2 and 1000"));
    ct_store *s;
    int rc = ct_cli_open_store(cli, db, 0, &s);
    if (rc)
        return rc;
    FILE *out = ct_cli_open_output(cli, out_path);
    ct_ctdc_opts o = {(int)k, agency, 0, 0, ct_cli_progress, (void *)_("anonymising")};
    ct_ctdc_report rep;
    rc = out ? ct_store_begin(s, &cli->err) : cli->err.code;
    if (!rc)
        rc = ct_stats_ctdc_export(s, &o, out, &rep, &cli->err);
    if (!rc) {
        char detail[256];
        snprintf(detail, sizeof(detail),
                 "{\"format\":\"ctdc\",\"k\":%d,\"records\":%ld,\"written\":%ld,"
                 "\"suppressed\":%ld}",
                 o.k ? o.k : 11, rep.records, rep.written, rep.suppressed);
        ct_audit_entry e = {"export", "person", NULL, "anonymised", NULL, detail};
        rc = ct_store_audit(s, &e, &cli->err);
    }
    if (!rc)
        rc = ct_store_commit(s, &cli->err);
    if (rc)
        ct_store_rollback(s);
    if (out) {
        int w = ct_cli_close_output(cli, out, out_path);
        rc = rc ? rc : w;
    }
    ct_store_close(s);
    if (!rc) {
        long gen =
            rep.generalised[0] + rep.generalised[1] + rep.generalised[2] + rep.generalised[3];
        fprintf(stderr,
                _("ctip export: %ld victim(s) read, %ld written (k = %d): %ld as recorded, %ld "
                  "generalised (%ld to subregion, %ld to region, %ld with broad age, %ld "
                  "without countries), %ld suppressed\n"),
                rep.records, rep.written, o.k ? o.k : 11, rep.exact, gen, rep.generalised[0],
                rep.generalised[1], rep.generalised[2], rep.generalised[3], rep.suppressed);
    }
    return rc;
}

static int audit_export(ct_store *s, const char *format, long count, ct_err *err)
{
    char detail[160];
    snprintf(detail, sizeof(detail), "{\"format\":\"%s\",\"cases\":%ld}", format, count);
    ct_audit_entry e = {"export", "case", NULL, "all", NULL, detail};
    return ct_store_audit(s, &e, err);
}

CT_CMD(export)
{
    const char *format = NULL, *out_path = NULL, *agency = NULL;
    long k = 0;
    int anonymised = 0;
    const ct_opt opts[] = {
        CT_OPT_STRING("format", "F", &format, N_("jsonl, csv or ctdc")),
        CT_OPT_INT("k", "N", &k, N_("ctdc: k-anonymity (default 11)")),
        CT_OPT_FLAG("anonymised", &anonymised, N_("ctdc: anonymised (always so; may be given)")),
        CT_OPT_STRING("o", "FILE", &out_path, N_("write to FILE instead of standard output")),
        CT_OPT_STRING("agency", "NAME", &agency, N_("only this agency's cases")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    if (format && strcmp(format, "ctdc") == 0)
        return export_ctdc(cli, argv[0], agency, k, out_path);
    if (anonymised || k)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--anonymised and --k go with --format ctdc"));
    ct_export_opts o = {CT_FMT_JSONL, agency};
    if (!format || (strcmp(format, "jsonl") && strcmp(format, "csv")))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--format jsonl, csv or ctdc is required"));
    o.format = strcmp(format, "csv") == 0 ? CT_FMT_CSV : CT_FMT_JSONL;
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[0], 0, &s);
    if (rc)
        return rc;
    FILE *out = ct_cli_open_output(cli, out_path);
    long count = 0;
    /* the audit entry and the read see the same data: one transaction */
    rc = out ? ct_store_begin(s, &cli->err) : CT_EIO;
    if (!rc)
        rc = ct_export_run(s, &o, out, &count, &cli->err);
    if (!rc)
        rc = audit_export(s, format, count, &cli->err);
    if (!rc)
        rc = ct_store_commit(s, &cli->err);
    if (rc)
        ct_store_rollback(s);
    if (out) {
        int w = ct_cli_close_output(cli, out, out_path);
        rc = rc ? rc : w;
    }
    ct_store_close(s);
    if (!rc && out_path)
        fprintf(stderr, _("%ld case(s) written to %s\n"), count, out_path);
    return rc;
}
