/*
 * registry.c - `ctip registry`: the registries of missing children and of
 * children in alternative care (docs/registries.md).
 *
 *   ctip registry import DB --kind missing|placements|institutions FILE
 *   ctip registry list DB --kind ... [--status S] [--format csv|jsonl]
 *   ctip registry check DB [--all]       cross-check with the victims
 *   ctip registry flags DB [--all]       institutions flagged for the coordinator
 *   ctip registry stats DB               reports by outcome, placements by exit,
 *                                        child victims previously missing or in care
 *
 * Importing cross-checks the new records at once (unless --no-check);
 * `ctip import` of cases does the same for new victims.
 */
#include "cli.h"

#include "core/csv.h"
#include "core/i18n.h"
#include "registry/registry.h"

#include <stdlib.h>
#include <string.h>

/* --kind accepts the registry's name (plural, as the issue writes it) or the
 * kind of its records. */
static int parse_kind(ct_cli *cli, const char *s, enum ct_reg_kind *out)
{
    static const struct {
        const char *name;
        enum ct_reg_kind k;
    } names[] = {{"missing", CT_REG_MISSING},
                 {"placements", CT_REG_PLACEMENT},
                 {"placement", CT_REG_PLACEMENT},
                 {"institutions", CT_REG_INSTITUTION},
                 {"institution", CT_REG_INSTITUTION}};
    for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i].name, s) == 0) {
            *out = names[i].k;
            return 0;
        }
    return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                      _("--kind is missing, placements or institutions"));
}

static int parse_format(ct_cli *cli, const char *s, enum ct_reg_format *out)
{
    *out = CT_REG_FMT_AUTO;
    if (!s)
        return 0;
    if (strcmp(s, "csv") == 0)
        *out = CT_REG_FMT_CSV;
    else if (strcmp(s, "jsonl") == 0)
        *out = CT_REG_FMT_JSONL;
    else
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--format is csv or jsonl"));
    return 0;
}

static void print_check(const ct_reg_check_stats *c)
{
    fprintf(stderr,
            _("cross-check: %ld record(s) compared, %ld new or changed; %ld candidate match(es), "
              "%ld new in the review queue\n"),
            c->records, c->checked, c->candidates, c->queued);
    if (c->flags_raised)
        fprintf(stderr, _("%ld institution flag(s) raised for the coordinator\n"), c->flags_raised);
}

static int crosscheck(ct_cli *cli, ct_store *s, int all, double threshold)
{
    ct_reg_check_opts o = {threshold, all, 0};
    ct_reg_check_stats c;
    int rc = ct_reg_crosscheck(s, &o, &c, &cli->err);
    if (!rc)
        print_check(&c);
    return rc;
}

/* ---- import -------------------------------------------------------------------- */

static const ct_cmd_help import_help = {
    "ctip registry import DB --kind missing|placements|institutions FILE [--agency NAME] "
    "[--format csv|jsonl] [--skip-invalid [--rejects PATH]] [--create-agencies] [--dry-run] "
    "[--no-check] [--threshold P]",
    N_("import a registry file (CSV or JSON lines); all or nothing unless --skip-invalid; the "
       "new records are cross-checked with the victims")};

static int registry_import(int argc, char **argv, ct_cli *cli)
{
    const char *kind = NULL, *agency = NULL, *format = NULL, *rejects = NULL;
    int skip = 0, create = 0, dry = 0, no_check = 0;
    double threshold = 0;
    const ct_opt opts[] = {
        CT_OPT_STRING("kind", "K", &kind, N_("missing, placements or institutions")),
        CT_OPT_STRING("agency", "NAME", &agency, N_("owner of records that name no agency")),
        CT_OPT_STRING("format", "F", &format, N_("csv or jsonl (default: from the extension)")),
        CT_OPT_FLAG("skip-invalid", &skip,
                    N_("import the valid records and write the others to a rejects file")),
        CT_OPT_STRING("rejects", "PATH", &rejects,
                      N_("rejects file (default: FILE with .rejects before its extension)")),
        CT_OPT_FLAG("create-agencies", &create, N_("create agencies the file names")),
        CT_OPT_FLAG("dry-run", &dry, N_("check the file, import nothing")),
        CT_OPT_FLAG("no-check", &no_check, N_("do not cross-check now (ctip registry check)")),
        CT_OPT_DOUBLE("threshold", "P", &threshold,
                      N_("queue candidate matches with probability >= P (default 0.8)")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &import_help, 2, 2, cli) < 0)
        return cli->err.code;
    ct_reg_import_opts o = {
        argv[1], 0, 0, agency, skip, rejects, create, dry, ct_cli_report_problem, NULL};
    int rc = parse_kind(cli, kind, &o.kind);
    if (!rc)
        rc = parse_format(cli, format, &o.format);
    if (rc)
        return rc;
    ct_store *s;
    if ((rc = ct_cli_open_store(cli, argv[0], 0, &s)))
        return rc;
    ct_reg_import_stats st;
    rc = ct_reg_import(s, &o, &st, &cli->err);
    if ((rc == 0 || rc == CT_EREJECTED) && !dry)
        fprintf(stderr, _("%ld record(s): %ld new, %ld updated, %ld unchanged, %ld rejected\n"),
                st.records, st.inserted, st.updated, st.unchanged, st.rejected);
    else if (rc == 0)
        fprintf(stderr, _("%ld record(s) checked, no problems\n"), st.records);
    if (rc == CT_EREJECTED)
        fprintf(stderr, _("rejected records and their reasons: %s\n"), st.rejects_path);
    if ((rc == 0 || rc == CT_EREJECTED) && !dry && !no_check && o.kind != CT_REG_INSTITUTION) {
        int c = crosscheck(cli, s, 0, threshold);
        rc = c ? c : rc;
    }
    ct_store_close(s);
    if (rc == CT_EREJECTED)
        ct_err_clear(&cli->err); /* the summary said it */
    return rc;
}

/* ---- list ------------------------------------------------------------------------ */

static const ct_cmd_help list_help = {
    "ctip registry list DB --kind missing|placements|institutions [--agency NAME] [--status S] "
    "[--format csv|jsonl] [--anonymise] [-o FILE]",
    N_("list registry records (CSV or JSON lines, the layout import reads)")};

typedef struct list_ctx {
    FILE *out;
    int jsonl;
    unsigned redact;
    long n;
} list_ctx;

static int list_one(ct_reg_record *r, void *arg)
{
    list_ctx *x = arg;
    x->n++;
    if (!x->jsonl)
        return ct_reg_csv_row(r, x->redact, 1, x->out);
    json_t *o = ct_reg_to_json(r, x->redact, 1);
    int rc = o ? json_dumpf(o, x->out, JSON_COMPACT | JSON_PRESERVE_ORDER) : -1;
    json_decref(o);
    if (rc || fputc('\n', x->out) == EOF)
        return CT_EIO;
    return 0;
}

static int audit_list(ct_store *s, enum ct_reg_kind k, long n, unsigned redact, ct_err *err)
{
    char detail[160];
    snprintf(detail, sizeof(detail), "{\"kind\":\"%s\",\"records\":%ld,\"redacted\":%u}",
             ct_reg_kind_name(k), n, redact);
    ct_audit_entry e = {"registry.list", ct_reg_kind_name(k), NULL, NULL, NULL, detail};
    return ct_store_audit(s, &e, err);
}

static int registry_list(int argc, char **argv, ct_cli *cli)
{
    const char *kind = NULL, *agency = NULL, *status = NULL, *format = NULL, *out = NULL;
    int anonymise = 0;
    const ct_opt opts[] = {
        CT_OPT_STRING("kind", "K", &kind, N_("missing, placements or institutions")),
        CT_OPT_STRING("agency", "NAME", &agency, N_("only this agency's records")),
        CT_OPT_STRING("status", "S", &status,
                      N_("reports with this status; placements with this exit reason, or "
                         "'active'")),
        CT_OPT_STRING("format", "F", &format, N_("csv (default) or jsonl")),
        CT_OPT_FLAG("anonymise", &anonymise,
                    N_("leave out names, birth dates, places, keys and notes")),
        CT_OPT_STRING("o", "FILE", &out, N_("write to FILE instead of standard output")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &list_help, 1, 1, cli) < 0)
        return cli->err.code;
    enum ct_reg_kind k = CT_REG_MISSING;
    enum ct_reg_format f = CT_REG_FMT_AUTO;
    int rc = parse_kind(cli, kind, &k);
    if (!rc)
        rc = parse_format(cli, format, &f);
    if (rc)
        return rc;
    ct_store *s;
    if ((rc = ct_cli_open_store(cli, argv[0], 0, &s)))
        return rc;
    FILE *fo = ct_cli_open_output(cli, out);
    list_ctx x = {fo, f == CT_REG_FMT_JSONL, anonymise ? CT_PD_ALL : 0, 0};
    rc = fo ? 0 : cli->err.code;
    if (!rc && !x.jsonl)
        ct_reg_csv_header(k, 1, fo);
    ct_reg_filter filter = {(int)k, agency, status, NULL, 0, NULL, NULL, NULL};
    if (!rc)
        rc = ct_store_reg_each(s, &filter, list_one, &x, &cli->err);
    if (rc == CT_EIO && !cli->err.code)
        ct_err_set(&cli->err, CT_EIO, "%s", _("cannot write the list"));
    if (rc == CT_ENOMEM && !cli->err.code)
        ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
    if (!rc)
        rc = audit_list(s, k, x.n, x.redact, &cli->err);
    if (fo) {
        int w = ct_cli_close_output(cli, fo, out);
        rc = rc ? rc : w;
    }
    ct_store_close(s);
    return rc;
}

/* ---- check, flags, stats ------------------------------------------------------------- */

static const ct_cmd_help check_help = {
    "ctip registry check DB [--all] [--threshold P]",
    N_("cross-check registry records and victims new or changed since the last check (all with "
       "--all); candidate matches go to the review queue")};

static int registry_check(int argc, char **argv, ct_cli *cli)
{
    int all = 0;
    double threshold = 0;
    const ct_opt opts[] = {
        CT_OPT_FLAG("all", &all, N_("check every record again")),
        CT_OPT_DOUBLE("threshold", "P", &threshold,
                      N_("queue candidate matches with probability >= P (default 0.8)")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &check_help, 1, 1, cli) < 0)
        return cli->err.code;
    if (threshold < 0 || threshold > 1)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--threshold lies between 0 and 1"));
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[0], 0, &s);
    if (rc)
        return rc;
    rc = crosscheck(cli, s, all, threshold);
    ct_store_close(s);
    return rc;
}

static const ct_cmd_help flags_help = {
    "ctip registry flags DB [--all] [--update]",
    N_("institutions flagged for the coordinator (repeated absconding, victims among their "
       "children)")};

static int print_flag(const ct_reg_flag *f, void *arg)
{
    (void)arg;
    printf("%s,", f->institution);
    ct_csv_write_field(stdout, f->agency, ',');
    printf(",%s,%ld,%ld,%s,%s\n", f->rule, f->value, f->threshold, f->active ? "true" : "false",
           f->raised_at);
    return 0;
}

static int registry_flags(int argc, char **argv, ct_cli *cli)
{
    int all = 0, update = 0;
    const ct_opt opts[] = {
        CT_OPT_FLAG("all", &all, N_("also the flags no longer active")),
        CT_OPT_FLAG("update", &update, N_("recompute the flags first")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &flags_help, 1, 1, cli) < 0)
        return cli->err.code;
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[0], 0, &s);
    if (rc)
        return rc;
    long raised = 0;
    if (update && !(rc = ct_store_begin(s, &cli->err))) {
        rc = ct_reg_flags_update(s, &raised, &cli->err);
        rc = rc ? rc : ct_store_commit(s, &cli->err);
        if (rc)
            ct_store_rollback(s);
    }
    if (!rc) {
        printf("institution,agency,rule,value,threshold,active,raised_at\n");
        rc = ct_store_reg_flag_each(s, !all, print_flag, NULL, &cli->err);
    }
    ct_store_close(s);
    return rc;
}

static const ct_cmd_help stats_help = {
    "ctip registry stats DB [--agency NAME] [--format table|csv|json] [--publish [--threshold N]] "
    "[-o FILE]",
    N_("missing-child reports by outcome, placements by exit reason, and the child victims "
       "previously reported missing or in care (also: ctip stats DB --registries)")};

int ct_cli_registry_stats(ct_cli *cli, const ct_cli_reg_stats_args *a)
{
    enum ct_stats_format f = CT_STATS_TEXT;
    if (a->format && strcmp(a->format, "csv") == 0)
        f = CT_STATS_CSV;
    else if (a->format && strcmp(a->format, "json") == 0)
        f = CT_STATS_JSON;
    else if (a->format && strcmp(a->format, "table"))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--format is table, csv or json"));
    int threshold = a->threshold > 1 ? (int)a->threshold : 5;
    ct_store *s;
    int rc = ct_cli_open_store(cli, a->db, 0, &s); /* writable: the read is audited */
    if (rc)
        return rc;
    ct_reg_stats st;
    ct_stats_tables t = {0};
    rc = ct_reg_stats_collect(s, a->agency, &st, &cli->err);
    if (!rc)
        rc = ct_reg_stats_tables(&st, !a->publish, &t, &cli->err);
    if (!rc && a->publish)
        rc = ct_stats_tables_protect(&t, threshold, &cli->err);
    FILE *fo = rc ? NULL : ct_cli_open_output(cli, a->out);
    if (!rc && !fo)
        rc = cli->err.code;
    if (!rc)
        rc = ct_stats_tables_write(&t, f, threshold, fo, &cli->err);
    if (fo) {
        int w = ct_cli_close_output(cli, fo, a->out);
        rc = rc ? rc : w;
    }
    ct_stats_tables_release(&t);
    ct_reg_stats_release(&st);
    ct_store_close(s);
    return rc;
}

static int registry_stats(int argc, char **argv, ct_cli *cli)
{
    ct_cli_reg_stats_args a = {0};
    const ct_opt opts[] = {
        CT_OPT_STRING("agency", "NAME", &a.agency, N_("only this agency's records")),
        CT_OPT_STRING("format", "F", &a.format, N_("table, csv or json")),
        CT_OPT_FLAG("publish", &a.publish,
                    N_("mask small counts and suppress what would reveal them")),
        CT_OPT_INT("threshold", "N", &a.threshold,
                   N_("with --publish, counts from 1 to N-1 are masked (default 5)")),
        CT_OPT_STRING("o", "FILE", &a.out, N_("write to FILE instead of standard output")),
        CT_OPT_END(),
    };
    if (ct_cli_parse(argc, argv, opts, &stats_help, 1, 1, cli) < 0)
        return cli->err.code;
    a.db = argv[0];
    return ct_cli_registry_stats(cli, &a);
}

/* ---- dispatch ------------------------------------------------------------------------ */

static const struct {
    const char *verb;
    int (*fn)(int argc, char **argv, ct_cli *cli);
    const char *summary; /* N_() */
} verbs[] = {
    {"import", registry_import, N_("import a registry file")},
    {"list", registry_list, N_("list registry records")},
    {"check", registry_check, N_("cross-check the registries with the victims")},
    {"flags", registry_flags, N_("institutions flagged for the coordinator")},
    {"stats", registry_stats, N_("registry statistics")},
};

CT_CMD(registry)
{
    if (argc >= 2)
        for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
            if (strcmp(verbs[i].verb, argv[1]) == 0)
                return verbs[i].fn(argc - 1, argv + 1, cli);
    int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    FILE *out = help ? stdout : stderr;
    fprintf(out, "%s: ctip registry <%s> DB ...\n\n", _("usage"), _("command"));
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        fprintf(out, "  %-8s %s\n", verbs[i].verb, _(verbs[i].summary));
    fprintf(out, "\n%s\n", _("Run 'ctip registry COMMAND --help' for its options."));
    if (help)
        return 0;
    return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                      argc >= 2 ? _("unknown registry command")
                                : _("a registry command is needed"));
}
