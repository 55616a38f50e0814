/*
 * Every role (and no credentials) against every endpoint of the API, on a
 * real `ctip serve` on a free loopback port: the expected statuses are the
 * rows of tests/http/matrix.tsv, written from the rules (docs/api.md), not
 * generated from the tables that enforce them. Also: the matrix covers every
 * route; what each role receives of a case (field rules); every read is in
 * the audit trail with the fields the reader got.
 */
#include "test_util.h"

#include "client.h"

#define NROLES 8
static const char *const roles[NROLES] = {
    "admin",        "coordinator", "caseworker", "child_protection",
    "investigator", "prosecutor",  "analyst",    "auditor"};

typedef struct ctx {
    char *dir;
    char db[512];
    tc_server srv;
    char *tok[NROLES + 1]; /* the last one: no credentials */
    char case_id[37], victim[37], suspect[37], proc[37], police[37], user[37];
    char nrm_victim[37], referral[37]; /* NRM fixtures (nrm_fixtures) */
    char missing[37], review[37];      /* registry fixtures (registry_fixtures) */
    int uniq;
    int fails;
} ctx;

static ctx X;

static char *token_of(const char *name)
{
    return strdup(tc_run("'%s' token create '%s' %s 2>&1", tc_ctip(), X.db, name));
}

static void add_user(const char *name, const char *role, const char *agency)
{
    tc_run("printf '%%s-password\\n' %s | '%s' user add '%s' %s --role %s --agency '%s' "
           "--password-stdin --hash-cost min",
           name, tc_ctip(), X.db, name, role, agency);
}

static char *auth_header(int who, const char *extra)
{
    static char h[512];
    snprintf(h, sizeof(h), "%s%s%sX-Reason: matrix\r\n%s",
             X.tok[who] ? "Authorization: Bearer " : "", X.tok[who] ? X.tok[who] : "",
             X.tok[who] ? "\r\n" : "", extra ? extra : "");
    return h;
}

static int as(int who, tc_resp *r, const char *method, const char *path, const char *body)
{
    return tc_request(&X.srv, r, method, path, auth_header(who, NULL), body);
}

static const int CW = 2, ADMIN = 0, AUDITOR = 7, CP = 3, COORD = 1;

static void new_case(char out[37])
{
    tc_resp r;
    as(CW, &r, "POST", "/cases",
       "{\"acts\":[\"recruitment\"],\"means\":[\"deception\"],\"purposes\":[\"forced_labour\"],"
       "\"persons\":[{\"given_name\":\"Mia\",\"date_of_birth\":\"2001-02\",\"contact\":{"
       "\"phone\":\"+33 1\"}},{\"role\":\"suspect\",\"family_name\":\"Kay\",\"proceedings\":[{"
       "\"kind\":\"investigation\",\"date\":\"2022\"}]}]}");
    assert_int_equal(r.status, 201);
    snprintf(out, 37, "%s", tc_str(r.json, "id"));
    if (!X.victim[0]) {
        snprintf(X.victim, 37, "%s", tc_str(r.json, "persons.0.id"));
        snprintf(X.suspect, 37, "%s", tc_str(r.json, "persons.1.id"));
        snprintf(X.proc, 37, "%s", tc_str(r.json, "persons.1.proceedings.0.id"));
    }
    tc_resp_free(&r);
}

/* Replaces every {name} of text with its value into out. */
static void fill(const char *text, int who, char *out, size_t n)
{
    char uniq[16];
    snprintf(uniq, sizeof(uniq), "%d", ++X.uniq);
    const char *names[][2] = {
        {"{case}", X.case_id},
        {"{victim}", X.victim},
        {"{suspect}", X.suspect},
        {"{proc}", X.proc},
        {"{agency}", X.police},
        {"{user}", X.user},
        {"{uniq}", uniq},
        {"{me}", who < NROLES ? roles[who] : "nobody"},
        {"{nrm_victim}", X.nrm_victim},
        {"{referral}", X.referral},
        {"{missing}", X.missing},
        {"{review}", X.review},
    };
    size_t k = 0;
    for (const char *p = text; *p && k + 1 < n;) {
        int done = 0;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !done; i++) {
            size_t len = strlen(names[i][0]);
            if (strncmp(p, names[i][0], len) == 0) {
                k += (size_t)snprintf(out + k, n - k, "%s", names[i][1]);
                p += len;
                done = 1;
            }
        }
        if (!done)
            out[k++] = *p++;
    }
    out[k < n ? k : n - 1] = '\0';
}

/* A report of the child protection user (NGO One) about a victim of an
 * NGO One case: the cross-check queues the pair ({review}). */
static void registry_fixtures(void)
{
    tc_resp r;
    as(CW, &r, "POST", "/cases",
       "{\"acts\":[\"recruitment\"],\"purposes\":[\"sexual_exploitation\"],\"persons\":[{"
       "\"given_name\":\"Lina\",\"family_name\":\"Petrova\",\"sex\":\"female\","
       "\"date_of_birth\":\"2008-03-14\",\"citizenship\":[\"BGR\"]}]}");
    assert_int_equal(r.status, 201);
    tc_resp_free(&r);
    as(CP, &r, "POST", "/registries/missing",
       "{\"given_name\":\"Lina\",\"family_name\":\"Petrova\",\"sex\":\"female\","
       "\"date_of_birth\":\"2008-03-14\",\"citizenship\":[\"BGR\"],"
       "\"date_last_seen\":\"2021-05-02\",\"circumstances\":\"runaway\"}");
    assert_int_equal(r.status, 201);
    snprintf(X.missing, sizeof(X.missing), "%s", tc_str(r.json, "id"));
    tc_resp_free(&r);
    char path[128];
    snprintf(path, sizeof(path), "/review?record_id=%s", X.missing);
    as(COORD, &r, "GET", path, NULL);
    assert_int_equal(r.status, 200);
    const char *id = tc_str(r.json, "items.0.id");
    if (!id)
        fail_msg("the report was not cross-checked into the queue: %.300s", r.body);
    snprintf(X.review, sizeof(X.review), "%s", id);
    tc_resp_free(&r);
}

static void current_body(const char *kind, char *out, size_t n)
{
    if (strcmp(kind, "@missing") == 0) {
        tc_resp r;
        char path[128];
        snprintf(path, sizeof(path), "/registries/missing/%s", X.missing);
        as(CP, &r, "GET", path, NULL);
        assert_int_equal(r.status, 200);
        const char *note = tc_str(r.json, "circumstances_note");
        json_object_set_new(r.json, "circumstances_note",
                            json_string(note && strcmp(note, "a") == 0 ? "b" : "a"));
        char *s = json_dumps(r.json, JSON_COMPACT);
        snprintf(out, n, "%s", s);
        free(s);
        tc_resp_free(&r);
        return;
    }
    tc_resp r;
    char path[128];
    int is_case = strcmp(kind, "@case") == 0;
    snprintf(path, sizeof(path), is_case ? "/cases/%s" : "/persons/%s",
             is_case ? X.case_id : X.victim);
    as(CW, &r, "GET", path, NULL);
    assert_int_equal(r.status, 200);
    if (is_case) {
        const char *st = tc_str(r.json, "status");
        json_object_set_new(r.json, "status",
                            json_string(st && strcmp(st, "active") == 0 ? "follow_up" : "active"));
    } else {
        json_object_del(r.json, "case");
        json_object_del(r.json, "agency");
        json_object_set_new(r.json, "sex", json_string("female"));
    }
    char *s = json_dumps(r.json, JSON_COMPACT);
    snprintf(out, n, "%s", s);
    free(s);
    tc_resp_free(&r);
}

/* ---- NRM fixtures ----------------------------------------------------------------- */

/* A POST as the caseworker that must succeed; its reply in r. */
static void cw_post(tc_resp *r, const char *path, const char *extra, const char *body, int want)
{
    tc_request(&X.srv, r, "POST", path, auth_header(CW, extra), body);
    if (r->status != want)
        fail_msg("fixture %s: %d %.200s", path, r->status, r->body ? r->body : "");
}

/* The If-Match header of person pid's current version. */
static void person_etag(const char *pid, char *out, size_t n)
{
    tc_resp r;
    char path[128], tag[32];
    snprintf(path, sizeof(path), "/persons/%s", pid);
    as(CW, &r, "GET", path, NULL);
    assert_int_equal(tc_header(&r, "ETag", tag, sizeof(tag)), 1);
    snprintf(out, n, "If-Match: %s\r\n", tag);
    tc_resp_free(&r);
}

/* The victim of a new case, screened (stage "screened"). */
static void screened_victim(char out[37])
{
    char id[37], path[128], im[64];
    tc_resp r;
    as(CW, &r, "POST", "/cases",
       "{\"acts\":[\"recruitment\"],\"purposes\":[\"forced_labour\"],"
       "\"persons\":[{\"age\":30}]}");
    assert_int_equal(r.status, 201);
    snprintf(id, sizeof(id), "%s", tc_str(r.json, "persons.0.id"));
    tc_resp_free(&r);
    snprintf(path, sizeof(path), "/persons/%s/screenings", id);
    cw_post(&r, path, NULL, "{\"checklist\":\"unodc\",\"items\":[]}", 201);
    tc_resp_free(&r);
    person_etag(id, im, sizeof(im));
    snprintf(path, sizeof(path), "/persons/%s/transitions", id);
    cw_post(&r, path, im, "{\"action\":\"screen\",\"reason\":\"fixture\"}", 201);
    tc_resp_free(&r);
    snprintf(out, 37, "%s", id);
}

static void new_referral(char out[37])
{
    tc_resp r;
    char path[128];
    snprintf(path, sizeof(path), "/persons/%s/referrals", X.nrm_victim);
    cw_post(&r, path, NULL, "{\"service\":\"medical\"}", 201);
    snprintf(out, 37, "%s", tc_str(r.json, "id"));
    tc_resp_free(&r);
}

static void new_consent(char out[37])
{
    tc_resp r;
    char path[128];
    snprintf(path, sizeof(path), "/persons/%s/consents", X.victim);
    cw_post(&r, path, NULL,
            "{\"purpose\":\"identity_data\",\"recipient_type\":\"role\",\"recipient\":"
            "\"prosecutor\"}",
            201);
    snprintf(out, 37, "%s", tc_str(r.json, "id"));
    tc_resp_free(&r);
}

/* {victim} screened once (for the report); {nrm_victim} at presumed_victim
 * with a referral {referral}. */
static void nrm_fixtures(void)
{
    tc_resp r;
    char path[128], im[64];
    snprintf(path, sizeof(path), "/persons/%s/screenings", X.victim);
    cw_post(&r, path, NULL, "{\"checklist\":\"unodc\",\"items\":[]}", 201);
    tc_resp_free(&r);
    screened_victim(X.nrm_victim);
    person_etag(X.nrm_victim, im, sizeof(im));
    snprintf(path, sizeof(path), "/persons/%s/transitions", X.nrm_victim);
    cw_post(&r, path, im, "{\"action\":\"reasonable_grounds\",\"reason\":\"fixture\"}", 201);
    tc_resp_free(&r);
    new_referral(X.referral);
}

/* If-Match of the row's etag source: case, user, person (the path's
 * person), first ("1", a fresh record), missing ({missing}), review
 * ({review}). */
static void etag(const char *kind, const char *target, char *out, size_t n)
{
    out[0] = '\0';
    if (strcmp(kind, "-") == 0)
        return;
    if (strcmp(kind, "first") == 0) {
        snprintf(out, n, "If-Match: \"1\"\r\n");
        return;
    }
    if (strcmp(kind, "person") == 0) {
        char pid[37];
        assert_int_equal(sscanf(target, "/persons/%36[^/]", pid), 1);
        person_etag(pid, out, n);
        return;
    }
    tc_resp r;
    char path[128];
    if (strcmp(kind, "missing") == 0 || strcmp(kind, "review") == 0) {
        int rev = kind[0] == 'r';
        snprintf(path, sizeof(path), rev ? "/review/%s" : "/registries/missing/%s",
                 rev ? X.review : X.missing);
        as(rev ? COORD : CP, &r, "GET", path, NULL);
        assert_int_equal(r.status, 200);
        snprintf(out, n, "If-Match: \"%lld\"\r\n",
                 (long long)json_integer_value(json_object_get(r.json, "version")));
        tc_resp_free(&r);
        return;
    }
    int is_user = strcmp(kind, "user") == 0;
    snprintf(path, sizeof(path), is_user ? "/users/%s" : "/cases/%s", is_user ? X.user : X.case_id);
    as(is_user ? ADMIN : CW, &r, "GET", path, NULL);
    json_t *v = json_object_get(r.json, "version");
    snprintf(out, n, "If-Match: \"%lld\"\r\n", (long long)json_integer_value(v));
    tc_resp_free(&r);
}

/* Resolves {fresh} and {fresh_shared} (a new case per request), and the
 * NRM ones: {fresh_screened} (a new screened victim), {fresh_referral},
 * {fresh_consent}. */
static void fresh(const char *path, char *out, size_t n)
{
    const char *f = strstr(path, "{fresh");
    if (!f) {
        snprintf(out, n, "%s", path);
        return;
    }
    static const struct {
        const char *name;
        void (*make)(char out[37]);
    } nrm[] = {{"{fresh_screened}", screened_victim},
               {"{fresh_referral}", new_referral},
               {"{fresh_consent}", new_consent}};
    for (size_t i = 0; i < sizeof(nrm) / sizeof(nrm[0]); i++) {
        size_t len = strlen(nrm[i].name);
        if (strncmp(f, nrm[i].name, len) == 0) {
            char id[37];
            nrm[i].make(id);
            snprintf(out, n, "%.*s%s%s", (int)(f - path), path, id, f + len);
            return;
        }
    }
    int shared = strncmp(f, "{fresh_shared}", 14) == 0;
    char id[37];
    new_case(id);
    if (shared) {
        tc_resp r;
        char p[128];
        snprintf(p, sizeof(p), "/cases/%s/shares", id);
        as(CW, &r, "POST", p, "{\"agency\":\"Police\",\"reason\":\"fixture\"}");
        assert_int_equal(r.status, 201);
        tc_resp_free(&r);
    }
    snprintf(out, n, "%.*s%s%s", (int)(f - path), path, id, f + (shared ? 14 : 7));
}

static void run_row(char **col)
{
    const char *method = col[0], *path = col[2], *body = col[3], *etag_kind = col[4];
    for (int who = 0; who <= NROLES; who++) {
        char p1[512], p2[512], b[8192] = "", im[64];
        fresh(path, p1, sizeof(p1));
        fill(p1, who, p2, sizeof(p2));
        if (body[0] == '@')
            current_body(body, b, sizeof(b));
        else if (strcmp(body, "-") != 0)
            fill(body, who, b, sizeof(b));
        etag(etag_kind, p2, im, sizeof(im));
        tc_resp r;
        int rc = tc_request(&X.srv, &r, method, p2, auth_header(who, im), b[0] ? b : NULL);
        int want = atoi(col[5 + who]);
        if (rc || r.status != want) {
            fprintf(stderr, "FAIL: %s %s %s: %d, expected %d: %.200s\n",
                    who < NROLES ? roles[who] : "none", method, path, r.status, want,
                    r.body ? r.body : "");
            X.fails++;
        }
        tc_resp_free(&r);
    }
}

static void check_routes_covered(const char *matrix)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "'%s' serve --routes", tc_ctip());
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[512];
    int routes = 0;
    while (fgets(line, sizeof(line), p)) {
        char *tab = strchr(line, '\t');
        char *tab2 = tab ? strchr(tab + 1, '\t') : NULL;
        assert_non_null(tab2);
        char key[512];
        snprintf(key, sizeof(key), "\n%.*s\t%.*s\t", (int)(tab - line), line, (int)(tab2 - tab - 1),
                 tab + 1);
        if (!strstr(matrix, key)) {
            fprintf(stderr, "FAIL: no row in matrix.tsv for %s", line);
            X.fails++;
        }
        routes++;
    }
    pclose(p);
    assert_true(routes > 20);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof(buf) - 2, f);
    fclose(f);
    char *s = malloc(n + 2);
    s[0] = '\n'; /* every line, the first too, starts after a newline */
    memcpy(s + 1, buf, n);
    s[n + 1] = '\0';
    return s;
}

/* What each role receives of the case (table 3 of src/access/access.c). */
static void check_fields(void)
{
    for (int who = 0; who < NROLES; who++) {
        if (who == AUDITOR)
            continue;
        tc_resp r;
        char path[128];
        snprintf(path, sizeof(path), "/cases/%s", X.case_id);
        as(who, &r, "GET", path, NULL);
        assert_int_equal(r.status, 200);
        const char *name = tc_str(r.json, "persons.0.given_name");
        const char *dob = tc_str(r.json, "persons.0.date_of_birth");
        const char *phone = tc_str(r.json, "persons.0.contact.phone");
        assert_string_equal(tc_str(r.json, "acts.0"), "recruitment");
        int anonymous = strcmp(roles[who], "analyst") == 0 || strcmp(roles[who], "admin") == 0;
        if (anonymous && (name || dob || phone)) {
            fprintf(stderr, "FAIL: %s receives personal data\n", roles[who]);
            X.fails++;
        }
        if (!anonymous && !(name && dob && phone)) {
            fprintf(stderr, "FAIL: %s misses personal data of its agency's case\n", roles[who]);
            X.fails++;
        }
        tc_resp_free(&r);
    }
}

static void check_audit(void)
{
    tc_resp r;
    char path[256];
    snprintf(path, sizeof(path), "/audit?record_id=%s&action=case.read&limit=1000", X.case_id);
    as(AUDITOR, &r, "GET", path, NULL);
    assert_int_equal(r.status, 200);
    json_t *entries = json_object_get(r.json, "entries");
    int analyst = 0, caseworker = 0;
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        const char *actor = tc_str(e, "actor"), *fields = tc_str(e, "fields");
        if (strcmp(actor, "analyst") == 0) {
            analyst++;
            assert_null(fields); /* the analyst read no personal field */
        }
        if (strcmp(actor, "caseworker") == 0 && fields && strstr(fields, "persons.given_name"))
            caseworker++;
        assert_non_null(tc_str(e, "request_id"));
    }
    assert_true(analyst > 0);
    assert_true(caseworker > 0);
    tc_resp_free(&r);
}

static void every_role_every_endpoint(void **state)
{
    (void)state;
    X.dir = ct_test_tmpdir();
    snprintf(X.db, sizeof(X.db), "%s/m.db", X.dir);
    tc_run("'%s' init '%s' --agency 'NGO One' --type ngo --country FRA 2>&1", tc_ctip(), X.db);
    tc_run("'%s' agency add '%s' Police --type law_enforcement --country FRA", tc_ctip(), X.db);
    for (int i = 0; i < NROLES; i++) {
        add_user(roles[i], roles[i], "NGO One");
        X.tok[i] = token_of(roles[i]);
    }
    add_user("target", "caseworker", "Police");
    snprintf(X.user, sizeof(X.user), "%s",
             tc_run("'%s' user list '%s' | awk '$2 == \"target\" { print $1 }'", tc_ctip(), X.db));
    snprintf(X.police, sizeof(X.police), "%s",
             tc_run("'%s' agency list '%s' | awk -F'\\t' '$2 == \"Police\" { print $1 }'",
                    tc_ctip(), X.db));
    tc_start(&X.srv, X.db, "--rate-limit 0");
    new_case(X.case_id);
    nrm_fixtures();
    registry_fixtures();

    char mpath[600];
    snprintf(mpath, sizeof(mpath), "%s/tests/http/matrix.tsv", getenv("CT_SOURCE_DIR"));
    char *matrix = read_all(mpath);
    check_routes_covered(matrix);
    int rows = 0;
    char *save = NULL;
    for (char *line = strtok_r(matrix, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || !line[0])
            continue;
        char *col[5 + NROLES + 1];
        int n = 0;
        char *s2 = NULL;
        for (char *c = strtok_r(line, "\t", &s2); c && n < 5 + NROLES + 1;
             c = strtok_r(NULL, "\t", &s2))
            col[n++] = c;
        assert_int_equal(n, 5 + NROLES + 1);
        run_row(col);
        rows++;
    }
    free(matrix);
    assert_true(rows > 20);
    check_fields();
    check_audit();
    assert_int_equal(tc_stop(&X.srv), 0);
    for (int i = 0; i < NROLES; i++)
        free(X.tok[i]);
    ct_test_rmdir(X.dir);
    assert_int_equal(X.fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_role_every_endpoint)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
