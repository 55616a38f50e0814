/* ctip export: the whole database as JSON lines (lossless) or flat CSV. */
#include "cli.h"

#include "core/i18n.h"
#include "io/io.h"

#include <string.h>

static const ct_cmd_help help = {
    "ctip export DB --format jsonl|csv [-o FILE] [--agency NAME]",
    N_("export cases with personal data, for administrators (the export is audited); "
       "jsonl is complete, csv is a flat view")};

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
    const ct_opt opts[] = {
        CT_OPT_STRING("format", "F", &format, N_("jsonl or csv")),
        CT_OPT_STRING("o", "FILE", &out_path, N_("write to FILE instead of standard output")),
        CT_OPT_STRING("agency", "NAME", &agency, N_("only this agency's cases")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    ct_export_opts o = {CT_FMT_JSONL, agency};
    if (!format || (strcmp(format, "jsonl") && strcmp(format, "csv")))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--format jsonl or --format csv is required"));
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
