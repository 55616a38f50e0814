/*
 * auth.c - who is calling: API tokens (Authorization: Bearer), session
 * cookies (with a CSRF token for writes), and password checks.
 *
 * Secrets (passwords, tokens, session ids) are held in sodium_malloc
 * memory or on the stack and wiped; only their hashes are stored:
 * Argon2id for passwords (slow on purpose), BLAKE2b-256 for the random
 * 256-bit tokens (fast is fine: they cannot be guessed).
 */
#include "http_int.h"

#include "core/i18n.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SESSION_COOKIE "ctip_session"
#define TOUCH_EVERY    60 /* seconds between updates of a session's last use */
#define PW_MIN         10
#define PW_MAX         1024
#define MAX_PW_CHECKS  2

int ct_http_password_hash(const char *pw, size_t n, enum ct_http_pwcost cost,
                          char out[CT_HTTP_PWHASH_MAX], ct_err *err)
{
    if (n < PW_MIN)
        return ct_err_set_field(err, CT_EINVAL, "password",
                                _("a password needs at least %d characters"), PW_MIN);
    if (n > PW_MAX)
        return ct_err_set_field(err, CT_EINVAL, "password", _("longer than %d bytes"), PW_MAX);
    unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (cost == CT_PWCOST_MODERATE) {
        ops = crypto_pwhash_OPSLIMIT_MODERATE;
        mem = crypto_pwhash_MEMLIMIT_MODERATE;
    } else if (cost == CT_PWCOST_MIN) {
        ops = crypto_pwhash_OPSLIMIT_MIN;
        mem = crypto_pwhash_MEMLIMIT_MIN;
    }
    if (crypto_pwhash_str_alg(out, pw, n, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory while hashing the password"));
    return 0;
}

void ct_http_secret_hash(const char *s, size_t n, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)s, n, NULL, 0);
}

void ct_http_token_new(char out[CT_HTTP_TOKEN_TEXT], unsigned char hash[32])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    memcpy(out, "ctip_", 5);
    sodium_bin2base64(out + 5, CT_HTTP_TOKEN_TEXT - 5, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    ct_http_secret_hash(out, strlen(out), hash);
}

int ct_auth_verify_password(ct_http_server *srv, const char *hash, const char *pw)
{
    /* Argon2id takes 64 MiB per check: bound how many run at once */
    pthread_mutex_lock(&srv->pw_lock);
    while (srv->pw_running >= MAX_PW_CHECKS)
        pthread_cond_wait(&srv->pw_cond, &srv->pw_lock);
    srv->pw_running++;
    pthread_mutex_unlock(&srv->pw_lock);
    int ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    pthread_mutex_lock(&srv->pw_lock);
    srv->pw_running--;
    pthread_cond_signal(&srv->pw_cond);
    pthread_mutex_unlock(&srv->pw_lock);
    return ok;
}

/* The value of cookie `name` in a Cookie header, copied into out[n]. */
static int cookie_value(const char *header, const char *name, char *out, size_t n)
{
    size_t len = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t item = end ? (size_t)(end - p) : strlen(p);
        if (item > len && strncmp(p, name, len) == 0 && p[len] == '=') {
            size_t vn = item - len - 1;
            if (vn >= n)
                return 0;
            memcpy(out, p + len + 1, vn);
            out[vn] = '\0';
            return 1;
        }
        p = end;
    }
    return 0;
}

int ct_auth_session_cookie(ct_req *r, unsigned char hash[CT_SECRET_HASH_BYTES])
{
    const char *cookies = ct_req_header(r, "Cookie");
    char sid[96];
    if (!cookies || !cookie_value(cookies, SESSION_COOKIE, sid, sizeof(sid)))
        return 0;
    ct_http_secret_hash(sid, strlen(sid), hash);
    sodium_memzero(sid, sizeof(sid));
    return 1;
}

static int unauthenticated(ct_err *err)
{
    return ct_err_set(err, CT_EAUTH, "%s",
                      _("sign in first (POST /api/v1/session) or send an API token"));
}

static int by_token(ct_req *r, const char *auth, ct_err *err)
{
    if (strncasecmp(auth, "Bearer ", 7) != 0)
        return ct_err_set(err, CT_EAUTH, "%s",
                          _("the Authorization header must be 'Bearer TOKEN'"));
    const char *token = auth + 7;
    while (*token == ' ')
        token++;
    unsigned char hash[32];
    ct_http_secret_hash(token, strlen(token), hash);
    ct_err ignored = CT_ERR_INIT;
    int rc = ct_store_token_user(r->store, hash, &r->user, &ignored);
    if (rc == CT_ENOTFOUND)
        return ct_err_set(err, CT_EAUTH, "%s", _("unknown or revoked API token"));
    if (rc)
        return ct_err_set(err, rc, "%s", ignored.msg);
    return 0;
}

static int by_cookie(ct_req *r, ct_err *err)
{
    unsigned char hash[CT_SECRET_HASH_BYTES];
    if (!ct_auth_session_cookie(r, hash))
        return unauthenticated(err);
    ct_err e2 = CT_ERR_INIT;
    int rc = ct_store_session_get(r->store, hash, &r->session, &r->user, &e2);
    if (rc == CT_ENOTFOUND)
        return ct_err_set(err, CT_EAUTH, "%s", _("your session has ended; sign in again"));
    if (rc)
        return ct_err_set(err, rc, "%s", e2.msg);
    long long now = (long long)ct_http_now();
    const ct_http_opts *o = &r->srv->opts;
    if (now >= r->session.expires || now - r->session.last_seen >= o->session_idle) {
        if (!ct_req_begin(r, &e2)) {
            ct_store_session_delete(r->store, hash, &e2);
            ct_req_commit(r, &e2);
        }
        return ct_err_set(err, CT_EAUTH, "%s", _("your session has ended; sign in again"));
    }
    if (now - r->session.last_seen >= TOUCH_EVERY && !ct_req_begin(r, &e2)) {
        ct_store_session_touch(r->store, hash, now, &e2);
        ct_req_commit(r, &e2);
    }
    r->via_cookie = 1;
    return 0;
}

int ct_auth_authenticate(ct_req *r, ct_err *err)
{
    const char *auth = ct_req_header(r, "Authorization");
    const char *cookies = ct_req_header(r, "Cookie");
    int rc = auth && *auth ? by_token(r, auth, err)
             : cookies     ? by_cookie(r, err)
                           : unauthenticated(err);
    if (rc)
        return rc;
    r->role = ct_access_role(r->user.role);
    if (r->role < 0)
        return ct_err_set(err, CT_EPERM, "%s", _("your account has no valid role"));
    r->authed = 1;
    ct_actor actor = {r->user.name, r->user.agency, r->id};
    ct_store_set_actor(r->store, &actor);
    return 0;
}

int ct_auth_check_csrf(ct_req *r, ct_err *err)
{
    const char *t = ct_req_header(r, "X-CSRF-Token");
    if (!t || !*t)
        return ct_err_set_field(err, CT_EPERM, "X-CSRF-Token", "%s",
                                _("send the X-CSRF-Token you received when signing in"));
    unsigned char hash[32];
    ct_http_secret_hash(t, strlen(t), hash);
    if (sodium_memcmp(hash, r->session.csrf_hash, sizeof(hash)) != 0)
        return ct_err_set_field(err, CT_EPERM, "X-CSRF-Token", "%s",
                                _("the X-CSRF-Token does not belong to this session"));
    return 0;
}
