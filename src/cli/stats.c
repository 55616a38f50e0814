/*
 * ctip stats: the aggregates of src/stats as tables (text, CSV, JSON), a
 * cross-tabulation (--by), or the GLOTIP data-file layout (--glotip YEAR,
 * CSV or .xlsx). --publish masks small counts with secondary suppression.
 */
#include "cli.h"

#include "core/i18n.h"
#include "stats/stats.h"

#include <string.h>
#include <unistd.h>

static const ct_cmd_help help = {
    "ctip stats DB [--from YEAR --to YEAR] [--by DIM,...] [--format table|csv|json] [-o FILE]\n"
    "       ctip stats DB --glotip YEAR [--format csv|xlsx] [--publish] [-o FILE]\n"
    "       ctip stats DB --registries [--agency NAME] [--format table|csv|json] [--publish] "
    "[-o FILE]",
    N_("statistics of victims, forms of exploitation, flows and proceedings; the GLOTIP layout")};

/* "\r" progress on a terminal only, so redirected output stays clean. */
void ct_cli_progress(void *arg, long done, long total)
{
    const char *what = arg;
    if (!isatty(2))
        return;
    fputc('\r', stderr);
    if (total > 0)
        fprintf(stderr, _("ctip: %s: %ld of %ld records (%ld%%)"), what, done, total,
                done * 100 / total);
    else
        fprintf(stderr, _("ctip: %s: %ld records"), what, done);
    if (done >= total)
        fputc('\n', stderr);
}

typedef struct stats_args {
    long from, to, glotip, threshold;
    const char *by, *format, *out, *agency, *country;
    int publish;
    int registries;
} stats_args;

static int collect(ct_cli *cli, const char *db, const stats_args *a, ct_stats **st)
{
    ct_store *s;
    int rc = ct_cli_open_store(cli, db, CT_STORE_READONLY, &s);
    if (rc)
        return rc;
    ct_stats_opts o = {.agency = a->agency,
                       .year_from = (int)a->from,
                       .year_to = (int)a->to,
                       .country = a->country,
                       .progress = ct_cli_progress,
                       .progress_arg = (void *)_("reading")};
    rc = ct_stats_collect(s, &o, st, &cli->err);
    ct_store_close(s);
    return rc;
}

static int glotip(ct_cli *cli, const stats_args *a, ct_stats *st)
{
    int xlsx = a->format && strcmp(a->format, "xlsx") == 0;
    if (a->format && !xlsx && strcmp(a->format, "csv"))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--glotip writes --format csv (default) or xlsx"));
    ct_glotip_opts o = {(int)a->glotip, a->publish, (int)a->threshold, NULL};
    if (xlsx) {
        if (!a->out || strcmp(a->out, "-") == 0)
            return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--format xlsx needs -o FILE"));
        return ct_stats_glotip_xlsx(st, &o, a->out, &cli->err);
    }
    FILE *out = ct_cli_open_output(cli, a->out);
    if (!out)
        return cli->err.code;
    int rc = ct_stats_glotip_csv(st, &o, out, &cli->err);
    int w = ct_cli_close_output(cli, out, a->out);
    return rc ? rc : w;
}

static int tables(ct_cli *cli, const stats_args *a, ct_stats *st)
{
    enum ct_stats_format f = CT_STATS_TEXT;
    if (a->format && strcmp(a->format, "csv") == 0)
        f = CT_STATS_CSV;
    else if (a->format && strcmp(a->format, "json") == 0)
        f = CT_STATS_JSON;
    else if (a->format && strcmp(a->format, "table"))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--format is table, csv or json"));
    ct_stats_tables t = {0};
    ct_stats_table *one = NULL;
    int rc = 0;
    if (a->by) {
        rc = ct_stats_table_by(st, a->by, NULL, &one, &cli->err);
        if (!rc) {
            t.v = &one;
            t.n = 1;
        }
    } else
        rc = ct_stats_tables_standard(st, NULL, &t, &cli->err);
    int threshold = a->threshold > 1 ? (int)a->threshold : 5;
    if (!rc && a->publish)
        rc = ct_stats_tables_protect(&t, threshold, &cli->err);
    FILE *out = rc ? NULL : ct_cli_open_output(cli, a->out);
    if (!rc && !out)
        rc = cli->err.code;
    if (!rc)
        rc = ct_stats_tables_write(&t, f, threshold, out, &cli->err);
    if (out) {
        int w = ct_cli_close_output(cli, out, a->out);
        rc = rc ? rc : w;
    }
    if (one)
        ct_stats_table_free(one);
    else
        ct_stats_tables_release(&t);
    return rc;
}

CT_CMD(stats)
{
    stats_args a = {0};
    const ct_opt opts[] = {
        CT_OPT_INT("from", "YEAR", &a.from, N_("first statistics year")),
        CT_OPT_INT("to", "YEAR", &a.to, N_("last statistics year")),
        CT_OPT_STRING("by", "DIMS", &a.by,
                      N_("cross-tabulate victims by sex, agegroup, form, glotip_form, "
                         "citizenship, country, region, year, flow")),
        CT_OPT_STRING("format", "F", &a.format,
                      N_("table, csv or json; with --glotip csv or xlsx")),
        CT_OPT_STRING("o", "FILE", &a.out, N_("write to FILE instead of standard output")),
        CT_OPT_STRING("agency", "NAME", &a.agency, N_("only this agency's records")),
        CT_OPT_STRING("country", "ISO3", &a.country, N_("only this country of detection")),
        CT_OPT_INT("glotip", "YEAR", &a.glotip, N_("the tables of YEAR in UNODC's GLOTIP layout")),
        CT_OPT_FLAG("publish", &a.publish,
                    N_("mask small counts and suppress what would reveal them")),
        CT_OPT_INT("threshold", "N", &a.threshold,
                   N_("with --publish, counts from 1 to N-1 are masked (default 5)")),
        CT_OPT_FLAG("registries", &a.registries,
                    N_("the registries of missing children and of children in care "
                       "(docs/registries.md)")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    if (a.registries) {
        if (a.glotip || a.by || a.from || a.to || a.country)
            return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                              _("--registries goes with --agency, --format, --publish, "
                                "--threshold and -o only"));
        ct_cli_reg_stats_args ra = {argv[0], a.agency, a.format, a.out, a.publish, a.threshold};
        return ct_cli_registry_stats(cli, &ra);
    }
    if (a.glotip && (a.glotip < 1990 || a.glotip > 2200))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--glotip takes a year, e.g. 2024"));
    if (a.glotip && a.by)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--glotip and --by do not go together"));
    if (a.glotip)
        a.from = a.to = a.glotip;
    ct_stats *st = NULL;
    int rc = collect(cli, argv[0], &a, &st);
    if (!rc)
        rc = a.glotip ? glotip(cli, &a, st) : tables(cli, &a, st);
    ct_stats_free(st);
    return rc;
}
