/* The review queue: one pair once whatever the order, the status rule with
 * several reviewers and a quorum, undo, stale versions, the view with the
 * two records side by side (blind, redacted, deleted), the audit trail. */
#include "../registry/reg_test.h"

#include "review/review.h"

#include <sqlite3.h>

static void status_rule(void **state)
{
    (void)state;
    static const struct {
        int c, r, q;
        const char *want;
    } rows[] = {
        {0, 0, 1, "pending"},  {1, 0, 1, "confirmed"}, {0, 1, 1, "rejected"},
        {1, 1, 1, "pending"},  {2, 1, 1, "confirmed"}, {1, 2, 1, "rejected"},
        {1, 0, 2, "pending"},  {2, 0, 2, "confirmed"}, {2, 2, 2, "pending"},
        {0, 2, 2, "rejected"}, {3, 2, 2, "confirmed"}, {1, 0, 0, "confirmed"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        assert_string_equal(ct_review_status_of(rows[i].c, rows[i].r, rows[i].q), rows[i].want);
    assert_int_equal(ct_review_action_of("confirm"), CT_REVIEW_CONFIRM);
    assert_int_equal(ct_review_action_of("undo"), CT_REVIEW_UNDO);
    assert_int_equal(ct_review_action_of("maybe"), -1);
}

/* Two registry records of the fixture: a report and a placement. */
static void two_records(fixture *f, char a[CT_UUID_TEXT], char b[CT_UUID_TEXT])
{
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_MISSING);
    r.agency = "CPS North";
    r.given_name = "Ana";
    r.date_last_seen = (ct_date){2023, 1, 2};
    r.status = "open";
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_reg_put(f->s, &r, NULL, NULL, &err), 0);
    snprintf(a, CT_UUID_TEXT, "%s", r.id);
    ct_reg_record_reset(&r);
    r.kind = CT_REG_PLACEMENT;
    r.agency = "Police";
    r.given_name = "Anna";
    r.placement_type = "foster_care";
    r.admission_date = (ct_date){2020, 0, 0};
    assert_int_equal(ct_store_reg_put(f->s, &r, NULL, NULL, &err), 0);
    snprintf(b, CT_UUID_TEXT, "%s", r.id);
    ct_reg_record_release(&r);
}

static void add_item(fixture *f, const char *a, const char *b, ct_review_item *it, int *added)
{
    memset(it, 0, sizeof(*it));
    snprintf(it->kind, sizeof(it->kind), "registry_hit");
    /* given in the "wrong" order: the store puts missing before placement */
    snprintf(it->a.type, sizeof(it->a.type), "placement");
    snprintf(it->a.id, sizeof(it->a.id), "%s", b);
    snprintf(it->a.agency, sizeof(it->a.agency), "Police");
    snprintf(it->b.type, sizeof(it->b.type), "missing");
    snprintf(it->b.id, sizeof(it->b.id), "%s", a);
    snprintf(it->b.agency, sizeof(it->b.agency), "CPS North");
    it->probability = 0.93;
    it->weight = 3.8;
    snprintf(it->evidence, sizeof(it->evidence), "given_name:jw92:3.10;date_of_birth:null:0.00");
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_review_add(f->s, it, added, &err), 0);
}

static void act(fixture *f, const char *who, const char *id, enum ct_review_action a, int expect,
                ct_review_item *out)
{
    ct_actor actor = {who, "CPS North", NULL};
    ct_store_set_actor(f->s, &actor);
    ct_review_decide_opts o = {id, a, "checked the files", 0};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_review_decide(f->s, &o, out, NULL, &err), expect);
}

static void queues_a_pair_once(void **state)
{
    fixture *f = *state;
    char a[CT_UUID_TEXT], b[CT_UUID_TEXT];
    two_records(f, a, b);
    ct_review_item it, again;
    int added;
    add_item(f, a, b, &it, &added);
    assert_int_equal(added, 1);
    assert_string_equal(it.a.type, "missing");
    assert_string_equal(it.a.agency, "CPS North");
    assert_string_equal(it.status, "pending");
    add_item(f, a, b, &again, &added);
    assert_int_equal(added, 0);
    assert_string_equal(again.id, it.id);
    /* a record is never matched with itself; an unknown agency is refused */
    ct_err err = CT_ERR_INIT;
    it.b = it.a;
    assert_int_equal(ct_store_review_add(f->s, &it, &added, &err), CT_EINVAL);
    ct_err_clear(&err);
    snprintf(it.b.type, sizeof(it.b.type), "person");
    snprintf(it.b.agency, sizeof(it.b.agency), "Nobody");
    assert_int_equal(ct_store_review_add(f->s, &it, &added, &err), CT_ENOTFOUND);
}

static int count_decision(const ct_review_decision *d, void *arg)
{
    assert_true(d->seq > 0);
    ++*(long *)arg;
    return 0;
}

static void several_reviewers_and_undo(void **state)
{
    fixture *f = *state;
    char a[CT_UUID_TEXT], b[CT_UUID_TEXT];
    two_records(f, a, b);
    ct_review_item it, out;
    int added;
    add_item(f, a, b, &it, &added);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_meta_set(f->s, "review.quorum", "2", &err), 0);
    act(f, "ana", it.id, CT_REVIEW_CONFIRM, 0, &out);
    assert_string_equal(out.status, "pending"); /* one vote of two */
    assert_int_equal(out.confirms, 1);
    act(f, "ana", it.id, CT_REVIEW_CONFIRM, 0, &out); /* repeated: nothing changes */
    assert_int_equal(out.version, 2);
    act(f, "bob", it.id, CT_REVIEW_CONFIRM, 0, &out);
    assert_string_equal(out.status, "confirmed");
    assert_string_equal(out.decided_by, "bob");
    act(f, "eve", it.id, CT_REVIEW_REJECT, 0, &out);
    assert_string_equal(out.status, "confirmed");    /* 2 against 1 */
    act(f, "bob", it.id, CT_REVIEW_REJECT, 0, &out); /* bob changes his mind */
    assert_string_equal(out.status, "rejected");
    assert_int_equal(out.confirms, 1);
    assert_int_equal(out.rejects, 2);
    act(f, "eve", it.id, CT_REVIEW_UNDO, 0, &out);
    assert_string_equal(out.status, "pending"); /* 1 against 1 */
    assert_string_equal(out.decided_by, "");
    act(f, "eve", it.id, CT_REVIEW_UNDO, CT_ECONFLICT, &out); /* nothing left to withdraw */
    act(f, "zed", "01a212d8-0000-7000-8000-000000000000", CT_REVIEW_CONFIRM, CT_ENOTFOUND, &out);
    /* a stale version is refused */
    ct_review_item now;
    assert_int_equal(ct_store_review_get(f->s, it.id, &now, &err), 0);
    ct_review_decide_opts o = {it.id, CT_REVIEW_CONFIRM, NULL, now.version - 1};
    assert_int_equal(ct_review_decide(f->s, &o, &out, NULL, &err), CT_ESTALE);
    /* every decision is kept, in order; every change audited */
    long n = 0;
    assert_int_equal(ct_store_review_decisions(f->s, it.id, count_decision, &n, &err), 0);
    assert_int_equal(n, 5);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM audit WHERE action = "
                                        "'review.decide' AND reason = 'checked the files'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 5);
    sqlite3_finalize(st);
    /* decisions are append-only */
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE review_decision SET action = 'confirm'", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
}

static unsigned hide_names_of_police(void *arg, const ct_review_side *side)
{
    (void)arg;
    return strcmp(side->agency, "Police") == 0 ? CT_PD_NAME : 0;
}

static void shows_the_two_records_side_by_side(void **state)
{
    fixture *f = *state;
    char a[CT_UUID_TEXT], b[CT_UUID_TEXT];
    two_records(f, a, b);
    ct_review_item it;
    int added;
    add_item(f, a, b, &it, &added);
    ct_review_view_opts vo = {0, 1, hide_names_of_police, NULL};
    json_t *j;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_review_item_json(f->s, &it, &vo, &j, &err), 0);
    json_t *ra = json_object_get(json_object_get(j, "a"), "record");
    json_t *rb = json_object_get(json_object_get(j, "b"), "record");
    assert_string_equal(json_string_value(json_object_get(ra, "given_name")), "Ana");
    assert_null(json_object_get(rb, "given_name")); /* redacted for this reader */
    assert_string_equal(json_string_value(json_object_get(rb, "placement_type")), "foster_care");
    assert_non_null(json_object_get(j, "probability"));
    json_t *ev = json_object_get(j, "evidence");
    assert_int_equal(json_array_size(ev), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 0), "level")), "jw92");
    assert_int_equal(json_array_size(json_object_get(j, "decisions")), 0);
    json_decref(j);
    /* blind: no scores, no evidence */
    vo.blind = 1;
    assert_int_equal(ct_review_item_json(f->s, &it, &vo, &j, &err), 0);
    assert_null(json_object_get(j, "probability"));
    assert_null(json_object_get(j, "evidence"));
    json_decref(j);
    /* a record gone since is shown as deleted */
    snprintf(it.b.type, sizeof(it.b.type), "person");
    snprintf(it.b.id, sizeof(it.b.id), "01a212d8-0000-7000-8000-000000000000");
    assert_int_equal(ct_review_item_json(f->s, &it, NULL, &j, &err), 0);
    assert_true(json_is_true(
        json_object_get(json_object_get(json_object_get(j, "b"), "record"), "deleted")));
    json_decref(j);
    assert_int_equal(ct_review_audit_read(f->s, &it, 1, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_rule),
        cmocka_unit_test_setup_teardown(queues_a_pair_once, reg_setup, reg_teardown),
        cmocka_unit_test_setup_teardown(several_reviewers_and_undo, reg_setup, reg_teardown),
        cmocka_unit_test_setup_teardown(shows_the_two_records_side_by_side, reg_setup,
                                        reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
