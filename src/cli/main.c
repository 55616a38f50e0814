/*
 * main.c - ctip's entry point: finds the subcommand in commands[], runs it,
 * turns its result into the exit status of contracts.md and makes sure
 * stdout reached its destination (a full disk is an error, not a silently
 * truncated export).
 */
#include "cli.h"

#include "core/i18n.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

typedef struct cmd_row {
    const char *name;
    int (*fn)(int argc, char **argv, ct_cli *cli);
    const char *summary; /* N_() marked */
} cmd_row;

static const cmd_row commands[] = {
    {"init", cmd_init, N_("create a database")},
    {"import", cmd_import, N_("import cases from JSON lines, CSV or CTDC files")},
    {"validate", cmd_validate, N_("check a case file without importing it")},
    {"export", cmd_export, N_("export cases (JSON lines or flat CSV)")},
    {"assess", cmd_assess, N_("apply the legal definition (Protocol art. 3) to a case")},
    {"agency", cmd_agency, N_("add or list agencies")},
    {"serve", cmd_serve, N_("serve the JSON API on a database")},
    {"user", cmd_user, N_("add or list the users of the API")},
    {"token", cmd_token, N_("create an API token for a user")},
    {"audit", cmd_audit, N_("verify the audit trail")},
    {"demo", cmd_demo, N_("fill a new database with realistic synthetic cases")},
    {"summary", cmd_summary, N_("print a short report of a database")},
    {"estimate", cmd_estimate, N_("estimate how many victims no list recorded")},
    {"link", cmd_link, N_("find records of the same person within or across lists")},
    {"schema", cmd_schema, N_("print the JSON Schema of the case format")},
    {"stats", cmd_stats, N_("statistics tables, the GLOTIP layout, published with protection")},
    {"report", cmd_report, N_("the national annual report (HTML, PDF)")},
    {"registry", cmd_registry,
     N_("registries of missing children and of children in care, cross-checked with victims")},
    {"review", cmd_review, N_("review candidate matches (duplicates, registry hits)")},
    {"version", cmd_version, N_("print ctip's version")},
};

static const cmd_row *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_usage(FILE *out)
{
    fprintf(out, "%s: ctip [--version] [--help] <%s> [<%s>]\n\n", _("usage"), _("command"),
            _("arguments"));
    fprintf(out, "%s\n\n", _("ctip - counter-trafficking information platform"));
    fprintf(out, "%s:\n", _("commands"));
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(out, "\n%s\n", _("Run 'ctip COMMAND --help' for the options of one command."));
}

CT_CMD(version)
{
    (void)argc;
    (void)argv;
    (void)cli;
    printf("ctip %s\n", CT_VERSION);
    return 0;
}

static int finish_stdout(ct_cli *cli)
{
    if (fflush(stdout) || ferror(stdout))
        return ct_err_set(&cli->err, CT_EIO, _("cannot write output: %s"), strerror(errno));
    return 0;
}

int main(int argc, char **argv)
{
    ct_i18n_init(NULL);
    if (sodium_init() < 0) {
        fputs("ctip: cannot initialise libsodium\n", stderr);
        return 1;
    }
    ct_cli cli = {CT_ERR_INIT, "ctip", "", ""};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(argc - 1, argv + 1, &cli);
    const cmd_row *cmd = find_command(argv[1]);
    if (!cmd) {
        fprintf(stderr, _("ctip: '%.60s' is not a ctip command (see 'ctip --help')\n"), argv[1]);
        return 1;
    }
    int r = cmd->fn(argc - 1, argv + 1, &cli);
    int w = finish_stdout(&cli);
    if (!r)
        r = w;
    if (r && cli.err.code)
        fprintf(stderr, "ctip %s: %s\n", cmd->name, cli.err.msg);
    else if (r)
        fprintf(stderr, "ctip %s: %s\n", cmd->name, _("failed"));
    return ct_err_exit_status(r);
}
