/*
 * cli.h - ctip's subcommands, one file each (git's builtin/).
 *
 * Adding a command:
 *  1. write src/cli/<name>.c with `int cmd_<name>(int argc, char **argv, ct_cli *cli)`
 *     and a static option table parsed with ct_opts_parse();
 *  2. declare it below and add its row to commands[] in main.c;
 *  3. add the file to src/cli/CMakeLists.txt;
 *  4. add end-to-end tests in tests/cli/ and a section in docs/cli.md;
 *  5. mark its messages with _() and add their French to po/fr.po.
 *
 * A command returns 0 or a negative CT_E* code; main maps it to the exit
 * status of contracts.md and prints cli->err when set. Commands print
 * results on stdout and nothing else; messages go to stderr.
 */
#ifndef CT_CLI_CLI_H
#define CT_CLI_CLI_H

#include "core/err.h"

#include <stdio.h>

typedef struct ct_cli {
    ct_err err;
    const char *prog; /* "ctip" */
    char actor[80];   /* "os:<login>" */
    char agency[201]; /* the home agency of the open database */
} ct_cli;

enum ct_opt_type { CT_OPT_END, CT_OPT_FLAG, CT_OPT_STRING, CT_OPT_INT, CT_OPT_DOUBLE };

typedef struct ct_opt {
    enum ct_opt_type type;
    const char *name; /* long name without "--" */
    const char *arg;  /* placeholder shown in help, e.g. "FILE" */
    void *value;      /* int*, const char**, long*, double* */
    const char *help; /* N_() marked */
} ct_opt;

#define CT_OPT_FLAG(n, v, h)                                                                       \
    {                                                                                              \
        CT_OPT_FLAG, (n), NULL, (v), (h)                                                           \
    }
#define CT_OPT_STRING(n, a, v, h)                                                                  \
    {                                                                                              \
        CT_OPT_STRING, (n), (a), (v), (h)                                                          \
    }
#define CT_OPT_INT(n, a, v, h)                                                                     \
    {                                                                                              \
        CT_OPT_INT, (n), (a), (v), (h)                                                             \
    }
#define CT_OPT_DOUBLE(n, a, v, h)                                                                  \
    {                                                                                              \
        CT_OPT_DOUBLE, (n), (a), (v), (h)                                                          \
    }
#define CT_OPT_END()                                                                               \
    {                                                                                              \
        CT_OPT_END, NULL, NULL, NULL, NULL                                                         \
    }

typedef struct ct_cmd_help {
    const char *usage;   /* "ctip import DB FILE [options]" */
    const char *summary; /* N_() marked, one line */
} ct_cmd_help;

/*
 * Parses argv[1..] (argv[0] is the command name) against opts; moves
 * positional arguments to the front of argv and returns their number, or
 * CT_EUSAGE (message in cli->err). "--help" prints the usage and options to
 * stdout and returns 1 in *help_shown. Positional counts are checked by
 * min_pos/max_pos (-1: no limit).
 */
int ct_opts_parse(int argc, char **argv, const ct_opt *opts, const ct_cmd_help *help, int min_pos,
                  int max_pos, ct_cli *cli, int *help_shown);
void ct_opts_print_help(FILE *out, const ct_opt *opts, const ct_cmd_help *help);

/* Parses the options of a command; returns the number of positional
 * arguments, or -1 when the command is done (help shown or a usage error,
 * whose code is then in cli->err). */
int ct_cli_parse(int argc, char **argv, const ct_opt *opts, const ct_cmd_help *help, int min_pos,
                 int max_pos, ct_cli *cli);

struct ct_store;
/* Opens the database for a command and makes the operating-system user at
 * the home agency the actor of its audit entries (contracts.md). */
int ct_cli_open_store(ct_cli *cli, const char *path, unsigned flags, struct ct_store **out);
struct ct_agency;
/* Checks an agency's type and country against the code lists, adds it and
 * audits it, inside the caller's transaction. */
int ct_cli_agency_add(ct_cli *cli, struct ct_store *s, struct ct_agency *a);
/* Prints one input problem as FILE:LINE: column: reason (stderr). */
void ct_cli_report_problem(void *arg, const char *file, long line, const char *field,
                           const char *msg);
/* Opens -o FILE for writing, or returns stdout when path is NULL or "-". */
FILE *ct_cli_open_output(ct_cli *cli, const char *path);
/* Prints the summary report of a database on stdout (src/cli/summary.c). */
int ct_cli_print_summary(ct_cli *cli, struct ct_store *st, const char *path);
/* Closes what ct_cli_open_output opened; reports write errors. */
int ct_cli_close_output(ct_cli *cli, FILE *f, const char *path);

/* Progress of a long run ("\r" updates), on a terminal only (stats.c);
 * arg is the translated name of the step. */
void ct_cli_progress(void *arg, long done, long total);

#define CT_CMD(name) int cmd_##name(int argc, char **argv, ct_cli *cli)
CT_CMD(version);
CT_CMD(estimate);
CT_CMD(link);
CT_CMD(init);
CT_CMD(import);
CT_CMD(validate);
CT_CMD(export);
CT_CMD(assess);
CT_CMD(agency);
CT_CMD(schema);
CT_CMD(serve);
CT_CMD(user);
CT_CMD(token);
CT_CMD(audit);
CT_CMD(demo);
CT_CMD(summary);
CT_CMD(stats);
CT_CMD(report);
CT_CMD(registry);
CT_CMD(review);
/* The registry statistics (src/cli/registry.c), for `ctip registry stats`
 * and `ctip stats --registries`. */
typedef struct ct_cli_reg_stats_args {
    const char *db, *agency, *format, *out;
    int publish;
    long threshold;
} ct_cli_reg_stats_args;
int ct_cli_registry_stats(ct_cli *cli, const ct_cli_reg_stats_args *a);

#endif
