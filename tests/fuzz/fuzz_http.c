/*
 * libFuzzer target: the API's request handling in-process, without sockets
 * (ct_http_inject): target and query parsing, routing, headers (cookies,
 * tokens, If-Match, Accept-Language, X-Reason), JSON bodies and every
 * handler behind them, against a real database with users of several
 * roles and agencies. Whatever the input: no crash, no leak, a status
 * between 200 and 599, and a body that is JSON.
 *
 * Input: "METHOD TARGET\n", header lines "Name: value\n", an empty line,
 * then the body. Tokens for the seeds: ctip_fuzz_<role> (caseworker,
 * admin, analyst, auditor at agency A; investigator at agency B); case
 * 01900000-0000-7000-8000-000000000001 (agency A) with victim ...0011 and
 * suspect ...0012 (proceeding ...0021); child_protection at A, coordinator
 * at B; missing-child report ...0031 (agency A); a registry_hit review item
 * of the report and the victim, whose id the text {review} of the target
 * stands for (the store assigns it).
 */
#include "http/http.h"

#include "core/case_json.h"
#include "core/alloc.h"
#include "registry/registry.h"
#include "store/store.h"
#include "store/store_review.h"

#include <assert.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ct_http_server *srv;
static char review_id[37];

static void must(int rc, const ct_err *err)
{
    if (rc) {
        fprintf(stderr, "fuzz_http setup: %s\n", err->msg);
        abort();
    }
}

static void add_user(ct_store *s, const char *name, const char *role, const char *agency)
{
    ct_err err = CT_ERR_INIT;
    ct_user u = {0};
    snprintf(u.name, sizeof(u.name), "%s", name);
    snprintf(u.role, sizeof(u.role), "%s", role);
    snprintf(u.agency, sizeof(u.agency), "%s", agency);
    char hash[CT_HTTP_PWHASH_MAX];
    must(ct_http_password_hash("fuzz-password", 13, CT_PWCOST_MIN, hash, &err), &err);
    must(ct_store_user_add(s, &u, hash, &err), &err);
    char token[64], id[37];
    snprintf(token, sizeof(token), "ctip_fuzz_%s", role);
    unsigned char th[32];
    ct_http_secret_hash(token, strlen(token), th);
    must(ct_store_token_add(s, u.id, th, "fuzz", id, &err), &err);
}

static const char fixture[] =
    "{\"id\":\"01900000-0000-7000-8000-000000000001\",\"agency\":\"A\",\"source_id\":\"F1\","
    "\"acts\":[\"recruitment\"],\"means\":[\"deception\"],\"purposes\":[\"forced_labour\"],"
    "\"persons\":[{\"id\":\"01900000-0000-7000-8000-000000000011\",\"given_name\":\"Ana\","
    "\"date_of_birth\":\"2004\"},{\"id\":\"01900000-0000-7000-8000-000000000012\",\"role\":"
    "\"suspect\",\"proceedings\":[{\"id\":\"01900000-0000-7000-8000-000000000021\",\"kind\":"
    "\"investigation\"}]}]}";

static void setup(void)
{
    if (sodium_init() < 0)
        abort();
    static char dir[] = "/tmp/ctip-fuzz-http-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    char path[128];
    snprintf(path, sizeof(path), "%s/f.db", dir);
    ct_err err = CT_ERR_INIT;
    ct_store *s;
    must(ct_store_open(path, CT_STORE_CREATE, &s, &err), &err);
    ct_actor actor = {"fuzz", "A", NULL};
    ct_store_set_actor(s, &actor);
    const char *agencies[] = {"A", "B"};
    for (int i = 0; i < 2; i++) {
        ct_agency a = {0};
        snprintf(a.name, sizeof(a.name), "%s", agencies[i]);
        snprintf(a.country, sizeof(a.country), "FRA");
        must(ct_store_agency_add(s, &a, &err), &err);
    }
    add_user(s, "cw", "caseworker", "A");
    add_user(s, "adm", "admin", "A");
    add_user(s, "an", "analyst", "A");
    add_user(s, "aud", "auditor", "A");
    add_user(s, "inv", "investigator", "B");
    ct_case c;
    ct_case_init(&c);
    json_t *o = json_loads(fixture, 0, NULL);
    ct_case_read_opts opts = {{2026, 1, 1}, "A", 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    if (!o || ct_case_from_json(&c, o, &opts, &pr))
        abort();
    must(ct_store_case_put(s, &c, NULL, NULL, &err), &err);
    json_decref(o);
    ct_case_release(&c);
    add_user(s, "cp", "child_protection", "A");
    add_user(s, "co", "coordinator", "B");
    ct_reg_record rec;
    ct_reg_record_init(&rec, CT_REG_MISSING);
    json_t *ro = json_loads("{\"id\":\"01900000-0000-7000-8000-000000000031\",\"given_name\":"
                            "\"Ana\",\"date_of_birth\":\"2004\",\"date_last_seen\":\"2015\"}",
                            0, NULL);
    if (!ro || ct_reg_from_json(&rec, ro, &opts, &pr))
        abort();
    must(ct_store_reg_put(s, &rec, NULL, NULL, &err), &err);
    json_decref(ro);
    ct_reg_record_release(&rec);
    ct_review_item it = {0};
    snprintf(it.kind, sizeof(it.kind), "registry_hit");
    snprintf(it.a.type, sizeof(it.a.type), "person");
    snprintf(it.a.id, sizeof(it.a.id), "01900000-0000-7000-8000-000000000011");
    snprintf(it.a.agency, sizeof(it.a.agency), "A");
    snprintf(it.b.type, sizeof(it.b.type), "missing");
    snprintf(it.b.id, sizeof(it.b.id), "01900000-0000-7000-8000-000000000031");
    snprintf(it.b.agency, sizeof(it.b.agency), "A");
    it.probability = 0.93;
    it.weight = 9.1;
    snprintf(it.evidence, sizeof(it.evidence), "given_name:exact:6.20;date_of_birth:partial:2.90");
    int added;
    must(ct_store_review_add(s, &it, &added, &err), &err);
    snprintf(review_id, sizeof(review_id), "%s", it.id);
    ct_store_close(s);
    ct_http_opts hopts;
    ct_http_opts_init(&hopts);
    hopts.db_path = strdup(path);
    hopts.rate = 0;
    hopts.audit_batch_ms = 0;
    hopts.pwcost = CT_PWCOST_MIN; /* Argon2id at its real cost would time the fuzzer out */
    must(ct_http_new(&hopts, &srv, &err), &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!srv)
        setup();
    if (size > 64 * 1024)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    /* request line */
    char *nl = memchr(text, '\n', size);
    if (!nl) {
        free(text);
        return 0;
    }
    *nl = '\0';
    char *sp = strchr(text, ' ');
    if (!sp || strlen(text) > 4096) {
        free(text);
        return 0;
    }
    *sp = '\0';
    const char *method = text, *target = sp + 1;
    char with_id[4200];
    const char *ph = strstr(target, "{review}");
    if (ph) {
        snprintf(with_id, sizeof(with_id), "%.*s%s%s", (int)(ph - target), target, review_id,
                 ph + 8);
        target = with_id;
    }
    /* headers up to an empty line; the rest is the body */
    const char *headers[17];
    int nh = 0;
    char *p = nl + 1, *end = text + size;
    while (p < end) {
        char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        if (e == p) { /* empty line */
            p = e + 1;
            break;
        }
        *e = '\0';
        if (nh < 16 && strlen(p) == (size_t)(e - p))
            headers[nh++] = p;
        p = e + 1;
    }
    headers[nh] = NULL;
    const char *body = p < end ? p : "";
    size_t body_len = p < end ? (size_t)(end - p) : 0;
    ct_http_inject_req in = {method, target, headers, body, body_len, "fuzz"};
    ct_http_inject_resp out;
    if (ct_http_inject(srv, &in, &out) == 0) {
        assert(out.status >= 200 && out.status <= 599);
        if (out.body_len) {
            json_t *j = json_loadb(out.body, out.body_len, 0, NULL);
            assert(j != NULL); /* every reply with a body is JSON */
            json_decref(j);
        }
    }
    ct_free(out.body);
    ct_free(out.headers);
    free(text);
    return 0;
}
