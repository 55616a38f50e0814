/*
 * ctip audit verify: recomputes the hash chain of the audit trail
 * (ct_store_audit_verify). Exit 0 when intact; 2 when an entry was
 * changed, removed or reordered, naming the first entry that does not
 * match.
 */
#include "cli.h"

#include "core/i18n.h"
#include "store/store.h"

#include <string.h>

static const ct_cmd_help help = {"ctip audit verify DB",
                                 N_("check that the audit trail was not altered")};

CT_CMD(audit)
{
    const ct_opt opts[] = {CT_OPT_END()};
    int n = ct_cli_parse(argc, argv, opts, &help, 2, 2, cli);
    if (n < 0)
        return cli->err.code;
    if (strcmp(argv[0], "verify") != 0)
        return ct_err_set(&cli->err, CT_EUSAGE, _("usage: %s"), help.usage);
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[1], CT_STORE_READONLY, &s);
    if (rc)
        return rc;
    long entries = 0, bad = 0;
    rc = ct_store_audit_verify(s, &entries, &bad, &cli->err);
    ct_store_close(s);
    if (!rc)
        printf(_("audit trail intact: %ld entries\n"), entries);
    return rc;
}
