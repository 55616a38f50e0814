/*
 * h_session.c - signing in and out (/api/v1/session).
 *
 * A login creates a new session id every time, whatever cookie the client
 * sent (no session fixation), and returns a CSRF token that cookie-
 * authenticated writes must echo in X-CSRF-Token. The cookie is HttpOnly
 * and SameSite=Strict (and Secure over TLS). Failed logins are counted per
 * client address and per user name; past opts.login_free failures each key
 * waits 2^k seconds (at most 15 minutes) before the next try, answered 429
 * without checking the password.
 */
#include "http_int.h"

#include "core/i18n.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Checked when the user does not exist, so a wrong name costs as much time
 * as a wrong password (no user enumeration by timing): one per cost of
 * enum ct_http_pwcost, made with a random password nobody knows. */
static const char *const dummy_hash[] = {
    [CT_PWCOST_INTERACTIVE] = "$argon2id$v=19$m=65536,t=2,p=1$Y2E8p8WDaODHKjWcu1Mw8Q$"
                              "31YwmWnslroZCttJ7RJovncs9no+jGvwHqjjAcShJi0",
    [CT_PWCOST_MODERATE] = "$argon2id$v=19$m=262144,t=3,p=1$TZp1Qpk8UARKIFw7bk4m+Q$"
                           "JfKKuqiuw+/JWqjqUemaW3BFXqFAuS+daoQo21+eI70",
    [CT_PWCOST_MIN] = "$argon2id$v=19$m=8,t=1,p=1$uGmx2lebXBfd98UwVYz9mQ$"
                      "gq/bcRPndFydnJOMjpoH3lJ37uppwu5dG6VOH4Jlnnc",
};

json_t *ct_http_user_json(const ct_user *u)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:i}", "id", u->id, "name", u->name, "role",
                     u->role, "agency", u->agency, "disabled", u->disabled, "created_at",
                     u->created_at, "version", u->version);
}

static void format_time(long long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int throttled(ct_req *r, const char *ipkey, const char *userkey, ct_err *err)
{
    ct_http_server *srv = r->srv;
    double now = ct_http_now();
    double a = ct_limiter_blocked(srv->logins, ipkey, srv->opts.login_free, now);
    double b = ct_limiter_blocked(srv->logins, userkey, srv->opts.login_free, now);
    double wait = a > b ? a : b;
    if (wait <= 0)
        return 0;
    char s[16];
    snprintf(s, sizeof(s), "%d", (int)wait + 1);
    ct_req_set_header(r, "Retry-After", s);
    return ct_err_set(err, CT_ERATE, _("too many failed sign-ins; try again in %d seconds"),
                      (int)wait + 1);
}

static int login_failed(ct_req *r, const char *ipkey, const char *userkey, const ct_user *u,
                        ct_err *err)
{
    double now = ct_http_now();
    ct_limiter_fail(r->srv->logins, ipkey, now);
    ct_limiter_fail(r->srv->logins, userkey, now);
    ct_err e2 = CT_ERR_INIT;
    if (!ct_req_begin(r, &e2)) {
        /* the attempted name is not recorded: it may be a mistyped password */
        ct_req_audit(r, "session.login_failed", u ? "user" : NULL, u ? u->id : NULL, NULL, NULL,
                     &e2);
        ct_req_commit(r, &e2);
    }
    return ct_err_set(err, CT_EAUTH, "%s", _("wrong user name or password"));
}

static int open_session(ct_req *r, const ct_user *u, char token[CT_HTTP_TOKEN_TEXT],
                        char csrf[CT_HTTP_TOKEN_TEXT], ct_session *s, ct_err *err)
{
    ct_http_token_new(token, s->token_hash);
    ct_http_token_new(csrf, s->csrf_hash);
    long long now = (long long)ct_http_now();
    s->created = s->last_seen = now;
    s->expires = now + r->srv->opts.session_max;
    ct_actor actor = {u->name, u->agency, r->id};
    ct_store_set_actor(r->store, &actor);
    int rc = ct_req_begin(r, err);
    if (rc)
        return rc;
    /* a session presented with the login is ended, never reused */
    unsigned char old[CT_SECRET_HASH_BYTES];
    if (ct_auth_session_cookie(r, old))
        rc = ct_store_session_delete(r->store, old, err);
    if (!rc)
        rc = ct_store_session_add(r->store, u->id, s, err);
    if (!rc)
        rc = ct_store_session_purge(r->store, now, r->srv->opts.session_idle, err);
    if (!rc)
        rc = ct_req_audit(r, "session.login", "user", u->id, NULL, NULL, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    return rc;
}

CT_HANDLER(h_session_create)
{
    static const ct_body_field spec[] = {
        {"username", CT_BODY_STRING, 1, 100},
        {"password", CT_BODY_STRING, 1, 1024},
    };
    const json_t *v[2];
    int rc = ct_req_body_fields(r, spec, 2, v, err);
    if (rc)
        return rc;
    const char *name = json_string_value(v[0]);
    char ipkey[80], userkey[120];
    snprintf(ipkey, sizeof(ipkey), "ip:%s", r->client);
    snprintf(userkey, sizeof(userkey), "user:%s", name);
    if ((rc = throttled(r, ipkey, userkey, err)))
        return rc;
    char hash[CT_HTTP_PWHASH_MAX];
    ct_user u;
    ct_err e2 = CT_ERR_INIT;
    rc = ct_store_user_password(r->store, name, &u, hash, sizeof(hash), &e2);
    if (rc && rc != CT_ENOTFOUND)
        return ct_err_set(err, rc, "%s", e2.msg);
    int known = rc == 0 && !u.disabled;
    int cost = r->srv->opts.pwcost >= 0 && r->srv->opts.pwcost <= CT_PWCOST_MIN
                   ? r->srv->opts.pwcost
                   : CT_PWCOST_INTERACTIVE;
    int ok =
        ct_auth_verify_password(r->srv, known ? hash : dummy_hash[cost], json_string_value(v[1]));
    sodium_memzero(hash, sizeof(hash));
    if (!known || !ok)
        return login_failed(r, ipkey, userkey, rc == 0 ? &u : NULL, err);
    ct_limiter_clear(r->srv->logins, userkey);
    ct_limiter_clear(r->srv->logins, ipkey);

    char token[CT_HTTP_TOKEN_TEXT], csrf[CT_HTTP_TOKEN_TEXT];
    ct_session s;
    rc = open_session(r, &u, token, csrf, &s, err);
    if (rc) {
        sodium_memzero(token, sizeof(token));
        sodium_memzero(csrf, sizeof(csrf));
        return rc;
    }
    char cookie[256], expires[32];
    snprintf(cookie, sizeof(cookie),
             "ctip_session=%s; Path=/api/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", token,
             r->srv->opts.session_max, r->srv->tls ? "; Secure" : "");
    format_time(s.expires, expires);
    rc = ct_req_set_header(r, "Set-Cookie", cookie);
    json_t *body = json_pack("{s:s, s:o, s:s}", "csrf_token", csrf, "user", ct_http_user_json(&u),
                             "expires_at", expires);
    sodium_memzero(token, sizeof(token));
    sodium_memzero(cookie, sizeof(cookie));
    sodium_memzero(csrf, sizeof(csrf));
    if (rc || !body) {
        json_decref(body);
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    }
    return ct_req_reply_json(r, 201, body);
}

CT_HANDLER(h_session_get)
{
    json_t *perms = json_array();
    for (int p = 0; perms && p < CT_PERM__N; p++)
        if (ct_access_allows(r->role, p))
            json_array_append_new(perms, json_string(ct_access_perm_name(p)));
    json_t *body = json_pack("{s:o, s:s, s:o}", "user", ct_http_user_json(&r->user), "auth",
                             r->via_cookie ? "session" : "token", "permissions", perms);
    if (body && r->via_cookie) {
        char expires[32];
        format_time(r->session.expires, expires);
        json_object_set_new(body, "expires_at", json_string(expires));
    }
    return body ? ct_req_reply_json(r, 200, body)
                : ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
}

CT_HANDLER(h_session_delete)
{
    if (!r->via_cookie)
        return ct_err_set(err, CT_EUSAGE, "%s",
                          _("signing out ends a session; API tokens stay valid until revoked"));
    int rc = ct_req_begin(r, err);
    if (!rc)
        rc = ct_store_session_delete(r->store, r->session.token_hash, err);
    if (!rc)
        rc = ct_req_audit(r, "session.logout", "user", r->user.id, NULL, NULL, err);
    if (!rc)
        rc = ct_req_commit(r, err);
    if (rc)
        return rc;
    char cookie[160];
    snprintf(cookie, sizeof(cookie),
             "ctip_session=; Path=/api/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             r->srv->tls ? "; Secure" : "");
    ct_req_set_header(r, "Set-Cookie", cookie);
    return ct_req_reply_empty(r, 204);
}
