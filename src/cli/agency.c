/* ctip agency add|list: the reporting entities (domain.md §5). */
#include "cli.h"

#include "core/i18n.h"
#include "store/store.h"

#include <string.h>

static const ct_cmd_help help = {
    "ctip agency add DB NAME --type TYPE --country ISO3 | ctip agency list DB",
    N_("add or list agencies (organisations that record cases)")};

static int print_agency(const ct_agency *a, void *arg)
{
    (void)arg;
    printf("%s\t%s\t%s\t%s\n", a->id, a->name, a->type[0] ? a->type : "-",
           a->country[0] ? a->country : "-");
    return 0;
}

static int agency_add(ct_cli *cli, ct_store *s, const char *name, const char *type,
                      const char *country)
{
    if (!type || !country)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--type and --country are required"));
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "%s", name);
    snprintf(a.type, sizeof(a.type), "%s", type);
    snprintf(a.country, sizeof(a.country), "%s", country);
    int rc = ct_store_begin(s, &cli->err);
    if (!rc)
        rc = ct_cli_agency_add(cli, s, &a);
    if (!rc)
        rc = ct_store_commit(s, &cli->err);
    if (rc)
        ct_store_rollback(s);
    else
        printf("%s\n", a.id);
    return rc;
}

CT_CMD(agency)
{
    const char *type = NULL, *country = NULL;
    const ct_opt opts[] = {
        CT_OPT_STRING("type", "TYPE", &type,
                      N_("code list agency_types, e.g. ngo, law_enforcement")),
        CT_OPT_STRING("country", "ISO3", &country, N_("the agency's country")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 2, 3, cli);
    if (n < 0)
        return cli->err.code;
    int add = strcmp(argv[0], "add") == 0;
    if ((add && n != 3) || (!add && (strcmp(argv[0], "list") != 0 || n != 2)))
        return ct_err_set(&cli->err, CT_EUSAGE, _("usage: %s"), help.usage);
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[1], 0, &s);
    if (rc)
        return rc;
    rc = add ? agency_add(cli, s, argv[2], type, country)
             : ct_store_agency_each(s, print_agency, NULL, &cli->err);
    ct_store_close(s);
    return rc;
}
