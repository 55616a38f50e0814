/* ctip init: a new database with its home agency. */
#include "cli.h"

#include "core/i18n.h"
#include "store/store.h"

#include <string.h>
#include <unistd.h>

static const ct_cmd_help help = {
    "ctip init DB [--agency NAME] [--type TYPE] [--country ISO3]",
    N_("create a database; its home agency owns records that name none (default 'local')")};

CT_CMD(init)
{
    const char *agency = "local", *type = NULL, *country = NULL;
    const ct_opt opts[] = {
        CT_OPT_STRING("agency", "NAME", &agency, N_("name of the home agency")),
        CT_OPT_STRING("type", "TYPE", &type, N_("its type (code list agency_types, e.g. ngo)")),
        CT_OPT_STRING("country", "ISO3", &country,
                      N_("its country: the country of detection of its records")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 1, 1, cli);
    if (n < 0)
        return cli->err.code;
    int rc;
    if (access(argv[0], F_OK) == 0)
        return ct_err_set(&cli->err, CT_EUSAGE, _("'%s' exists already"), argv[0]);
    ct_store *s;
    if ((rc = ct_cli_open_store(cli, argv[0], CT_STORE_CREATE, &s)))
        return rc;
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "%s", agency);
    snprintf(a.type, sizeof(a.type), "%s", type ? type : "");
    snprintf(a.country, sizeof(a.country), "%s", country ? country : "");
    ct_audit_entry e = {"init", NULL, NULL, NULL, NULL, NULL};
    snprintf(cli->agency, sizeof(cli->agency), "%s", agency);
    ct_actor actor = {cli->actor, cli->agency, NULL};
    ct_store_set_actor(s, &actor);
    rc = ct_store_begin(s, &cli->err);
    if (!rc)
        rc = ct_store_audit(s, &e, &cli->err);
    if (!rc)
        rc = ct_cli_agency_add(cli, s, &a);
    if (!rc)
        rc = ct_store_meta_set(s, "home_agency", agency, &cli->err);
    if (!rc)
        rc = ct_store_commit(s, &cli->err);
    if (rc)
        ct_store_rollback(s);
    ct_store_close(s);
    if (!rc)
        fprintf(stderr, _("created %s (home agency '%s')\n"), argv[0], agency);
    return rc;
}
