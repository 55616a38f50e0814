/*
 * ctip user add|list: staff accounts for `ctip serve` (domain.md §5 roles).
 * The password is read from standard input (--password-stdin), never from
 * the command line (visible in ps and shell history); it is kept in
 * sodium memory, hashed with Argon2id and wiped.
 */
#include "cli.h"

#include "access/access.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "http/http.h"
#include "store/store.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

static const ct_cmd_help help = {
    "ctip user add DB NAME --role ROLE --agency AGENCY [--password-stdin] | "
    "ctip user list DB [--agency AGENCY]",
    N_("add or list the users of the API (roles: see the code list user_roles)")};

#define PW_BUF 1026

/* Reads one line (the password) from standard input into sodium memory. */
static char *read_password(ct_cli *cli)
{
    char *pw = sodium_malloc(PW_BUF);
    if (!pw) {
        ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
        return NULL;
    }
    size_t n = 0;
    while (n < PW_BUF - 1) {
        ssize_t k = read(STDIN_FILENO, pw + n, 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0 || pw[n] == '\n')
            break;
        n++;
    }
    if (n && pw[n - 1] == '\r')
        n--;
    pw[n] = '\0';
    if (n == PW_BUF - 1) {
        sodium_free(pw);
        ct_err_set(&cli->err, CT_EUSAGE, "%s", _("the password is longer than 1024 bytes"));
        return NULL;
    }
    return pw;
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 100 || ct_uuid_valid(s, n))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-' || *s == '@'))
            return 0;
    return 1;
}

static int parse_cost(ct_cli *cli, const char *s, enum ct_http_pwcost *out)
{
    *out = CT_PWCOST_INTERACTIVE;
    if (!s || strcmp(s, "interactive") == 0)
        return 0;
    if (strcmp(s, "moderate") == 0)
        *out = CT_PWCOST_MODERATE;
    else if (strcmp(s, "min") == 0)
        *out = CT_PWCOST_MIN;
    else
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--hash-cost is interactive, moderate or min"));
    return 0;
}

static int add_user(ct_cli *cli, ct_store *s, ct_user *u, const char *hash)
{
    char detail[300];
    snprintf(detail, sizeof(detail), "{\"role\":\"%s\"}", u->role);
    int rc = ct_store_begin(s, &cli->err);
    if (!rc)
        rc = ct_store_user_add(s, u, hash, &cli->err);
    ct_audit_entry e = {"user.add", "user", u->id, "role,agency", NULL, detail};
    if (!rc)
        rc = ct_store_audit(s, &e, &cli->err);
    if (!rc)
        rc = ct_store_commit(s, &cli->err);
    if (rc)
        ct_store_rollback(s);
    return rc;
}

static int user_add(ct_cli *cli, const char *db, const char *name, const char *role,
                    const char *agency, int pw_stdin, const char *cost_name)
{
    enum ct_http_pwcost cost;
    if (!name_ok(name))
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("a user name is 1 to 100 letters, digits and . _ - @"));
    if (!role || ct_access_role(role) < 0)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s",
                          _("--role must be one of admin, coordinator, caseworker, "
                            "child_protection, investigator, prosecutor, analyst, auditor"));
    if (!agency)
        return ct_err_set(&cli->err, CT_EUSAGE, "%s", _("--agency names the user's agency"));
    int rc = parse_cost(cli, cost_name, &cost);
    if (rc)
        return rc;
    char *pw = NULL, *hash = NULL;
    if (pw_stdin) {
        pw = read_password(cli);
        hash = pw ? sodium_malloc(CT_HTTP_PWHASH_MAX) : NULL;
        if (!hash) {
            sodium_free(pw);
            return cli->err.code ? cli->err.code
                                 : ct_err_set(&cli->err, CT_ENOMEM, "%s", _("out of memory"));
        }
        rc = ct_http_password_hash(pw, strlen(pw), cost, hash, &cli->err);
        sodium_free(pw);
    }
    ct_store *s = NULL;
    if (!rc)
        rc = ct_cli_open_store(cli, db, 0, &s);
    ct_user u = {0};
    snprintf(u.name, sizeof(u.name), "%s", name);
    snprintf(u.role, sizeof(u.role), "%s", role);
    snprintf(u.agency, sizeof(u.agency), "%s", agency);
    if (!rc)
        rc = add_user(cli, s, &u, hash);
    if (hash)
        sodium_free(hash);
    ct_store_close(s);
    if (!rc)
        printf("%s\n", u.id);
    return rc;
}

static int print_user(const ct_user *u, void *arg)
{
    (void)arg;
    printf("%s\t%s\t%s\t%s%s\n", u->id, u->name, u->role, u->agency,
           u->disabled ? "\tdisabled" : "");
    return 0;
}

CT_CMD(user)
{
    const char *role = NULL, *agency = NULL, *cost = NULL;
    int pw_stdin = 0;
    const ct_opt opts[] = {
        CT_OPT_STRING("role", "ROLE", &role, N_("the user's role (code list user_roles)")),
        CT_OPT_STRING("agency", "AGENCY", &agency, N_("the user's agency (it must exist)")),
        CT_OPT_FLAG("password-stdin", &pw_stdin,
                    N_("read the password from standard input (else: API tokens only)")),
        CT_OPT_STRING("hash-cost", "COST", &cost,
                      N_("Argon2id cost: interactive (default), moderate, min (tests only)")),
        CT_OPT_END(),
    };
    int n = ct_cli_parse(argc, argv, opts, &help, 2, 3, cli);
    if (n < 0)
        return cli->err.code;
    if (strcmp(argv[0], "add") == 0 && n == 3)
        return user_add(cli, argv[1], argv[2], role, agency, pw_stdin, cost);
    if (strcmp(argv[0], "list") != 0 || n != 2)
        return ct_err_set(&cli->err, CT_EUSAGE, _("usage: %s"), help.usage);
    ct_store *s;
    int rc = ct_cli_open_store(cli, argv[1], CT_STORE_READONLY, &s);
    if (rc)
        return rc;
    rc = ct_store_user_each(s, agency, print_user, NULL, &cli->err);
    ct_store_close(s);
    return rc;
}
