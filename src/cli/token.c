/*
 * ctip token create: an API token for a machine client of `ctip serve`
 * (Authorization: Bearer TOKEN). The token is printed once; the database
 * keeps only its hash, so a lost token is replaced, not recovered.
 */
#include "cli.h"

#include "core/i18n.h"
#include "http/http.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

static const ct_cmd_help help = {"ctip token create DB USER [--label TEXT]",
                                 N_("create an API token for a user and print it once")};

CT_CMD(token)
{
    const char *label = NULL;
    const ct_opt opts[] = {
        CT_OPT_STRING("label", "TEXT", &label, N_("what the token is for (e.g. the client)")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 3, 3, cli);
    if (n < 0)
        return cli->err.code;
    if (strcmp(argv[0], "create") != 0)
        return ct_err_set(&cli->err, CT_EUSAGE, _("usage: %s"), help.usage);
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[1], 0, &s);
    if (rc)
        return rc;
    ct_user u;
    char token[CT_HTTP_TOKEN_TEXT], id[37];
    unsigned char hash[32];
    ct_http_token_new(token, hash);
    rc = ct_store_user_get(s, argv[2], &u, &cli->err);
    if (rc == CT_ENOTFOUND) {
        ct_err_clear(&cli->err);
        rc = ct_err_set(&cli->err, CT_EUSAGE, _("no user named '%.100s'"), argv[2]);
    }
    if (!rc)
        rc = ct_store_begin(s, &cli->err);
    if (!rc)
        rc = ct_store_token_add(s, u.id, hash, label, id, &cli->err);
    ct_audit_entry e = {"token.create", "user", u.id, NULL, NULL, NULL};
    if (!rc)
        rc = ct_store_audit(s, &e, &cli->err);
    if (!rc)
        rc = ct_store_commit(s, &cli->err);
    if (rc)
        ct_store_rollback(s);
    ct_store_close(s);
    if (!rc)
        printf("%s\n", token);
    sodium_memzero(token, sizeof(token));
    return rc;
}
