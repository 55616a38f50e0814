/* ctip import and ctip validate: case files in (contracts.md, "Import behaviour"). */
#include "cli.h"

#include "core/i18n.h"
#include "io/io.h"
#include "registry/registry.h"

#include <string.h>

static int parse_format(ct_cli *cli, const char *name, ct_io_format *out)
{
    static const struct {
        const char *name;
        ct_io_format f;
    } formats[] = {{"jsonl", CT_FMT_JSONL},
                   {"csv", CT_FMT_CSV},
                   {"ctdc", CT_FMT_AUTO}, /* the header tells which CTDC dialect */
                   {"ctdc-global", CT_FMT_CTDC_GLOBAL},
                   {"ctdc-synthetic", CT_FMT_CTDC_SYNTHETIC},
                   {"auto", CT_FMT_AUTO}};
    *out = CT_FMT_AUTO;
    if (!name)
        return 0;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(formats[i].name, name) == 0) {
            *out = formats[i].f;
            return 0;
        }
    return ct_err_set(&cli->err, CT_EUSAGE,
                      _("unknown format '%.40s' (jsonl, csv, ctdc, ctdc-global or ctdc-synthetic)"),
                      name);
}

/* What a CTDC file held that ctip could not carry (docs/import.md): said,
 * never dropped silently. */
static void print_unmapped(const char *file, const ct_import_stats *st)
{
    for (size_t i = 0; i < st->nunmapped; i++) {
        const ct_io_unmapped *u = &st->unmapped[i];
        if (u->no_field)
            fprintf(stderr, _("%s: %s: %ld value(s) not imported: ctip has no field for it\n"),
                    file, u->column, u->no_field);
        if (u->no_code)
            fprintf(stderr, _("%s: %s: %ld value(s) with no equivalent code, counted as unknown\n"),
                    file, u->column, u->no_code);
        if (u->extra)
            fprintf(stderr,
                    _("%s: %s: %ld value(s) not imported: ctip keeps one value (the first flag "
                      "set, in the order of docs/import.md)\n"),
                    file, u->column, u->extra);
    }
}

static void summary(const ct_import_stats *st, int dry_run)
{
    if (dry_run) {
        fprintf(stderr, _("%ld record(s) checked, %ld with problems\n"), st->records,
                st->rejected + (st->problems && !st->rejected ? 1 : 0));
        return;
    }
    fprintf(stderr, _("%ld record(s): %ld new, %ld updated, %ld unchanged, %ld rejected\n"),
            st->records, st->inserted, st->updated, st->unchanged, st->rejected);
    if (st->rejected)
        fprintf(stderr, _("rejected records and their reasons: %s\n"), st->rejects_path);
}

static const ct_cmd_help import_help = {
    "ctip import DB FILE [--agency NAME] [--format jsonl|csv|ctdc|ctdc-global|ctdc-synthetic] "
    "[--skip-invalid "
    "[--rejects PATH]] [--create-agencies]",
    N_("import cases: ctip's JSON lines or flat CSV, or a CTDC file; all or nothing unless "
       "--skip-invalid")};

CT_CMD(import)
{
    const char *agency = NULL, *format = NULL, *rejects = NULL;
    int skip = 0, create = 0;
    const ct_opt opts[] = {
        CT_OPT_STRING("agency", "NAME", &agency, N_("owner of records that name no agency")),
        CT_OPT_STRING("format", "F", &format,
                      N_("jsonl, csv, ctdc, ctdc-global or ctdc-synthetic (default: from the "
                         "file)")),
        CT_OPT_FLAG("skip-invalid", &skip,
                    N_("import the valid records and write the others to a rejects file")),
        CT_OPT_STRING("rejects", "PATH", &rejects,
                      N_("rejects file (default: FILE with .rejects before its extension)")),
        CT_OPT_FLAG("create-agencies", &create, N_("create agencies the file names")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &import_help, 2, 2, cli);
    if (n < 0)
        return cli->err.code;
    ct_import_opts o = {argv[1], CT_FMT_AUTO,           agency, skip, rejects, create,
                        0,       ct_cli_report_problem, NULL};
    int rc = parse_format(cli, format, &o.format);
    if (rc)
        return rc;
    ct_store *s;
    if ((rc = ct_cli_open_store(cli, argv[0], 0, &s)))
        return rc;
    ct_import_stats st;
    rc = ct_import_run(s, &o, &st, &cli->err);
    if (rc == 0 || rc == CT_EREJECTED) {
        print_unmapped(argv[1], &st);
        summary(&st, 0);
    }
    /* new victims are cross-checked with the child registries (issue 7) */
    ct_reg_check_stats cs;
    ct_err cerr = CT_ERR_INIT;
    if ((rc == 0 || rc == CT_EREJECTED) && (st.inserted || st.updated) &&
        ct_reg_crosscheck(s, NULL, &cs, &cerr) == 0 && cs.candidates)
        fprintf(stderr,
                _("cross-check with the child registries: %ld candidate match(es), %ld new in "
                  "the review queue\n"),
                cs.candidates, cs.queued);
    else if (cerr.code)
        fprintf(stderr,
                _("ctip import: the cross-check with the child registries failed (%s); "
                  "run 'ctip registry check'\n"),
                cerr.msg);
    ct_store_close(s);
    if (rc == CT_EREJECTED)
        ct_err_clear(&cli->err); /* the summary said it */
    return rc;
}

static const ct_cmd_help validate_help = {
    "ctip validate FILE [--format jsonl|csv|ctdc|ctdc-global|ctdc-synthetic]",
    N_("check a case file without importing it; every problem is listed")};

CT_CMD(validate)
{
    const char *format = NULL;
    const ct_opt opts[] = {
        CT_OPT_STRING("format", "F", &format,
                      N_("jsonl, csv, ctdc, ctdc-global or ctdc-synthetic (default: from the "
                         "file)")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &validate_help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    ct_import_opts o = {argv[0], CT_FMT_AUTO, NULL, 0, NULL, 0, 1, ct_cli_report_problem, NULL};
    int rc = parse_format(cli, format, &o.format);
    if (rc)
        return rc;
    ct_import_stats st;
    rc = ct_import_run(NULL, &o, &st, &cli->err);
    print_unmapped(argv[0], &st);
    if (rc == 0)
        fprintf(stderr, _("%ld record(s) checked, no problems\n"), st.records);
    return rc;
}
