/* common.c - what several commands need: the store, output files, problems. */
#include "cli.h"

#include "core/codes.h"
#include "core/i18n.h"
#include "store/store.h"

#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

static void os_login(char *out, size_t n)
{
    struct passwd pw, *res = NULL;
    char buf[1024];
    const char *name = NULL;
    if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
        name = res->pw_name;
    snprintf(out, n, "os:%s", name ? name : "unknown");
}

int ct_cli_open_store(ct_cli *cli, const char *path, unsigned flags, ct_store **out)
{
    int rc = ct_store_open(path, flags, out, &cli->err);
    if (rc)
        return rc;
    os_login(cli->actor, sizeof(cli->actor));
    ct_err ignored = CT_ERR_INIT;
    if (ct_store_meta_get(*out, "home_agency", cli->agency, sizeof(cli->agency), &ignored))
        snprintf(cli->agency, sizeof(cli->agency), "local");
    ct_actor actor = {cli->actor, cli->agency, NULL};
    ct_store_set_actor(*out, &actor);
    return 0;
}

void ct_cli_report_problem(void *arg, const char *file, long line, const char *field,
                           const char *msg)
{
    (void)arg;
    if (field && *field)
        fprintf(stderr, "%s:%ld: %s: %s\n", file, line, field, msg);
    else
        fprintf(stderr, "%s:%ld: %s\n", file, line, msg);
}

FILE *ct_cli_open_output(ct_cli *cli, const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "wb");
    if (!f)
        ct_err_set(&cli->err, CT_EIO, _("cannot write '%s': %s"), path, strerror(errno));
    return f;
}

int ct_cli_close_output(ct_cli *cli, FILE *f, const char *path)
{
    if (f == stdout)
        return 0;
    if (ferror(f) | fclose(f))
        return ct_err_set(&cli->err, CT_EIO, _("cannot write '%s'"), path);
    return 0;
}

int ct_cli_agency_add(ct_cli *cli, ct_store *s, ct_agency *a)
{
    if (a->type[0] && !ct_codes_lookup("agency_types", a->type))
        return ct_err_set(&cli->err, CT_EUSAGE,
                          _("unknown agency type '%.60s' (code list agency_types, e.g. ngo)"),
                          a->type);
    if (a->country[0] && !ct_codes_lookup("countries", a->country))
        return ct_err_set(&cli->err, CT_EUSAGE,
                          _("unknown country '%.60s' (ISO 3166-1 alpha-3, e.g. FRA)"), a->country);
    int rc = ct_store_agency_add(s, a, &cli->err);
    if (rc)
        return rc;
    char detail[320]; /* name (200) + type (63) + country (3) + the JSON around them */
    snprintf(detail, sizeof(detail), "{\"name\":\"%s\",\"type\":\"%s\",\"country\":\"%s\"}",
             a->name, a->type, a->country);
    ct_audit_entry e = {"agency.add", "agency", a->id, NULL, NULL, detail};
    return ct_store_audit(s, &e, &cli->err);
}
