#include "cli.h"

#include "core/i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void ct_opts_print_help(FILE *out, const ct_opt *opts, const ct_cmd_help *help)
{
    fprintf(out, "%s: %s\n\n%s\n", _("usage"), help->usage, _(help->summary));
    if (!opts || opts[0].type == CT_OPT_END)
        return;
    fprintf(out, "\n%s:\n", _("options"));
    for (const ct_opt *o = opts; o->type != CT_OPT_END; o++) {
        char left[64];
        const char *dashes = o->name[1] ? "--" : "-"; /* -o FILE, --format F */
        if (o->arg)
            snprintf(left, sizeof(left), "%s%s %s", dashes, o->name, o->arg);
        else
            snprintf(left, sizeof(left), "%s%s", dashes, o->name);
        fprintf(out, "  %-28s %s\n", left, _(o->help));
    }
    fprintf(out, "  %-28s %s\n", "--help", _("show this help"));
}

static const ct_opt *find_opt(const ct_opt *opts, const char *name, size_t n)
{
    for (const ct_opt *o = opts; o && o->type != CT_OPT_END; o++)
        if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
            return o;
    return NULL;
}

static int set_value(const ct_opt *o, const char *val, ct_cli *cli)
{
    char *end;
    errno = 0;
    switch (o->type) {
    case CT_OPT_STRING:
        *(const char **)o->value = val;
        return 0;
    case CT_OPT_INT: {
        long v = strtol(val, &end, 10);
        if (errno || end == val || *end)
            break;
        *(long *)o->value = v;
        return 0;
    }
    case CT_OPT_DOUBLE: {
        double v = strtod(val, &end);
        if (errno || end == val || *end)
            break;
        *(double *)o->value = v;
        return 0;
    }
    default:
        break;
    }
    return ct_err_set(&cli->err, CT_EUSAGE, _("option '--%s' expects a number, not '%.40s'"),
                      o->name, val);
}

int ct_opts_parse(int argc, char **argv, const ct_opt *opts, const ct_cmd_help *help, int min_pos,
                  int max_pos, ct_cli *cli, int *help_shown)
{
    int npos = 0, only_pos = 0;
    *help_shown = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            argv[npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            ct_opts_print_help(stdout, opts, help);
            *help_shown = 1;
            return 0;
        }
        const char *name = a + (a[1] == '-' ? 2 : 1);
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        const ct_opt *o = find_opt(opts, name, n);
        if (!o)
            return ct_err_set(&cli->err, CT_EUSAGE, _("unknown option '%.60s' (see '%s --help')"),
                              a, help->usage);
        if (o->type == CT_OPT_FLAG) {
            if (eq)
                return ct_err_set(&cli->err, CT_EUSAGE, _("option '--%s' takes no value"), o->name);
            *(int *)o->value = 1;
            continue;
        }
        const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!val)
            return ct_err_set(&cli->err, CT_EUSAGE, _("option '--%s' needs a value (%s)"), o->name,
                              o->arg);
        int r = set_value(o, val, cli);
        if (r)
            return r;
    }
    if (npos < min_pos || (max_pos >= 0 && npos > max_pos))
        return ct_err_set(&cli->err, CT_EUSAGE, _("usage: %s"), help->usage);
    return npos;
}

int ct_cli_parse(int argc, char **argv, const ct_opt *opts, const ct_cmd_help *help, int min_pos,
                 int max_pos, ct_cli *cli)
{
    int shown;
    int n = ct_opts_parse(argc, argv, opts, help, min_pos, max_pos, cli, &shown);
    return shown || n < 0 ? -1 : n;
}
