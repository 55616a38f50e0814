/* Importing registry files (contracts.md "Import behaviour"): problems as
 * LINE:column:reason, all or nothing, --skip-invalid with a rejects file
 * that imports once corrected, idempotent re-import, references between
 * registries, JSON lines; and the store's round trip. */
#include "reg_test.h"

static const char institutions[] = "source_id,name,type,licence_status,capacity,country,location\n"
                                   "I1,Sunrise Home,orphanage,licensed,40,FRA,Lille\n"
                                   "I2,Harbour House,small_group_home,unlicensed,12,FRA,Calais\n";

static void imports_and_reimports_without_duplicates(void **state)
{
    fixture *f = *state;
    ct_reg_import_stats st;
    assert_int_equal(reg_import_text(f, CT_REG_INSTITUTION, "i.csv", institutions, 0, &st), 0);
    assert_int_equal(st.inserted, 2);
    assert_int_equal(reg_import_text(f, CT_REG_INSTITUTION, "i.csv", institutions, 0, &st), 0);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(st.inserted, 0);
    /* a corrected copy updates in place (keyed on source_id) */
    assert_int_equal(reg_import_text(f, CT_REG_INSTITUTION, "i.csv",
                                     "source_id,name,capacity\nI1,Sunrise Home,45\n", 0, &st),
                     0);
    assert_int_equal(st.updated, 1);
    assert_int_equal(reg_count(f, CT_REG_INSTITUTION), 2);
    /* rows without id or source_id are keyed on their content and occurrence */
    const char *nokey = "given_name,family_name,date_last_seen\nAna,Lupu,2023-01-02\n"
                        "Ana,Lupu,2023-01-02\nIon,Rus,2023-02-02\n";
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "m.csv", nokey, 0, &st), 0);
    assert_int_equal(st.inserted, 3); /* two identical rows are two reports */
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "m.csv", nokey, 0, &st), 0);
    assert_int_equal(st.unchanged, 3);
    assert_int_equal(reg_count(f, CT_REG_MISSING), 3);
}

static void all_or_nothing_names_line_and_column(void **state)
{
    fixture *f = *state;
    ct_reg_import_stats st;
    const char *bad = "source_id,given_name,date_last_seen,status,sex\n"
                      "M1,Ana,2023-01-02,open,female\n"
                      "M2,\"Ion\nPetru\",2023-13-01,open,female\n"
                      "M3,Eva,2023-01-02,lost,x\n";
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "bad.csv", bad, 0, &st), CT_EINVAL);
    assert_int_equal(reg_count(f, CT_REG_MISSING), 0);
    /* a record spanning lines is named by its first line (line 3) */
    assert_non_null(strstr(f->problems, "3:date_last_seen:"));
    assert_non_null(strstr(f->problems, "5:status:"));
    assert_non_null(strstr(f->problems, "5:sex:"));
    assert_null(strstr(f->problems, "Ion")); /* no personal data in messages */
    assert_int_equal(st.problems, 3);
}

static void skip_invalid_writes_rejects_that_reimport(void **state)
{
    fixture *f = *state;
    ct_reg_import_stats st;
    const char *mixed = "source_id,given_name,date_last_seen\nM1,Ana,2023-01-02\nM2,Ion,2023-13\n";
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "in.csv", mixed, 1, &st), CT_EREJECTED);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(st.rejected, 1);
    char rejects[700];
    snprintf(rejects, sizeof(rejects), "%s/in.rejects.csv", f->dir);
    assert_string_equal(st.rejects_path, rejects);
    FILE *fp = fopen(rejects, "rb");
    assert_non_null(fp);
    char text[1024] = "";
    size_t n = fread(text, 1, sizeof(text) - 1, fp);
    text[n] = '\0';
    fclose(fp);
    assert_non_null(strstr(text, "source_id,given_name,date_last_seen,ctip_error\n"));
    assert_non_null(strstr(text, "M2,Ion,2023-13,"));
    assert_non_null(strstr(text, "date_last_seen: not a date"));
    /* corrected, the rejects file imports as it is (ctip_error ignored) */
    char *p = strstr(text, "2023-13");
    memcpy(p, "2023-12", 7);
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "fixed.csv", text, 0, &st), 0);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(reg_count(f, CT_REG_MISSING), 2);
}

static void header_problems_stop_at_once(void **state)
{
    fixture *f = *state;
    const char *path = reg_write(f, "h.csv", "source_id,colour\nM1,red\n");
    ct_reg_import_opts o = {path, CT_REG_MISSING, CT_REG_FMT_AUTO, NULL, 0, NULL, 0, 0, NULL, NULL};
    ct_reg_import_stats st;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_reg_import(f->s, &o, &st, &err), CT_EINVAL);
    assert_non_null(strstr(err.msg, "h.csv:1: colour: unknown column"));
    ct_err_clear(&err);
    path = reg_write(f, "d.csv", "name,name\nA,B\n");
    o.path = path;
    o.kind = CT_REG_INSTITUTION;
    assert_int_equal(ct_reg_import(f->s, &o, &st, &err), CT_EINVAL);
    assert_non_null(strstr(err.msg, "d.csv:1: name: the column appears twice"));
    ct_err_clear(&err);
    o.path = reg_write(f, "e.csv", "");
    assert_int_equal(ct_reg_import(f->s, &o, &st, &err), CT_EINVAL);
    ct_err_clear(&err);
    o.path = "/nonexistent/x.csv";
    assert_int_equal(ct_reg_import(f->s, &o, &st, &err), CT_EIO);
}

static int take_placement(ct_reg_record *x, void *arg)
{
    snprintf((char *)arg, CT_UUID_TEXT, "%s", x->placement ? x->placement : "");
    return 0;
}

static void references_between_registries(void **state)
{
    fixture *f = *state;
    ct_reg_import_stats st;
    assert_int_equal(reg_import_text(f, CT_REG_INSTITUTION, "i.csv", institutions, 0, &st), 0);
    const char *placements =
        "source_id,given_name,family_name,date_of_birth,institution,admission_date,exit_date,"
        "exit_reason\n"
        "P1,Ana,Lupu,2010-02-03,I1,2020-01-01,2022-05-01,absconded\n"
        "P2,Ion,Rus,2011,I9,2020-01-01,,\n";
    assert_int_equal(reg_import_text(f, CT_REG_PLACEMENT, "p.csv", placements, 1, &st),
                     CT_EREJECTED);
    assert_int_equal(st.inserted, 1);
    assert_non_null(strstr(f->problems, "3:institution:"));
    /* a missing report names the placement the child left */
    const char *missing =
        "source_id,given_name,placement,date_last_seen,circumstances\nM1,Ana,P1,2022-05-01,"
        "absconded_from_care\n";
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "m.csv", missing, 0, &st), 0);
    /* the stored reference is the placement's id */
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_MISSING);
    char placement[CT_UUID_TEXT] = "";
    ct_err err = CT_ERR_INIT;
    ct_reg_filter fm = {CT_REG_MISSING, NULL, "open", NULL, 1, NULL, NULL, NULL};
    assert_int_equal(ct_store_reg_each(f->s, &fm, take_placement, placement, &err), 0);
    assert_true(ct_uuid_valid(placement, strlen(placement)));
    assert_int_equal(ct_store_reg_get(f->s, placement, &r, &err), 0);
    assert_int_equal(r.kind, CT_REG_PLACEMENT);
    assert_string_equal(r.source_id, "P1");
    assert_string_equal(r.exit_reason, "absconded");
    assert_true(ct_uuid_valid(r.institution, strlen(r.institution)));
    ct_reg_record_release(&r);
    /* filters: placements by exit reason, and "active" */
    ct_reg_filter fp = {CT_REG_PLACEMENT, NULL, "absconded", NULL, 0, NULL, NULL, NULL};
    long n = 0;
    assert_int_equal(ct_store_reg_each(f->s, &fp, reg_count_one, &n, &err), 0);
    assert_int_equal(n, 1);
    fp.status = "active";
    n = 0;
    assert_int_equal(ct_store_reg_each(f->s, &fp, reg_count_one, &n, &err), 0);
    assert_int_equal(n, 0);
}

static void jsonl_files_and_unknown_agencies(void **state)
{
    fixture *f = *state;
    ct_reg_import_stats st;
    const char *jsonl = "{\"source_id\":\"M1\",\"given_name\":\"Ana\",\"date_last_seen\":"
                        "\"2023\",\"agency\":\"Police\"}\n"
                        "\n"
                        "{\"source_id\":\"M2\",\"date_last_seen\":\"2023\",\"agency\":\"Nobody\"}\n"
                        "not json\n";
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "m.jsonl", jsonl, 1, &st), CT_EREJECTED);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(st.rejected, 2);
    assert_non_null(strstr(f->problems, "3:agency:"));
    assert_non_null(strstr(f->problems, "4::not valid JSON"));
    char rejects[700];
    snprintf(rejects, sizeof(rejects), "%s/m.rejects.jsonl", f->dir);
    FILE *fp = fopen(rejects, "rb");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof(line), fp));
    assert_non_null(strstr(line, "\"_error\":"));
    assert_non_null(fgets(line, sizeof(line), fp));
    assert_non_null(strstr(line, "\"_raw\":\"not json\""));
    fclose(fp);
}

static void put_and_get_round_trip(void **state)
{
    fixture *f = *state;
    ct_reg_record r, back;
    ct_reg_record_init(&r, CT_REG_MISSING);
    ct_reg_record_init(&back, CT_REG_INSTITUTION);
    json_t *o = json_loads("{\"source_id\":\"X\",\"given_name\":\"Ana\",\"other_names\":[\"Anya\","
                           "\"A. L.\"],\"citizenship\":[\"MDA\",\"ROU\"],\"age\":12,"
                           "\"date_last_seen\":\"2023-05\",\"status\":\"found_safe\"}",
                           0, NULL);
    ct_case_read_opts ro = {{2026, 1, 1}, "Police", 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(ct_reg_from_json(&r, o, &ro, &pr), 0);
    json_decref(o);
    enum ct_put_outcome out;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_reg_put(f->s, &r, NULL, &out, &err), 0);
    assert_int_equal(out, CT_PUT_INSERTED);
    assert_int_equal(ct_store_reg_get(f->s, r.id, &back, &err), 0);
    assert_int_equal(back.kind, CT_REG_MISSING);
    json_t *a = ct_reg_to_json(&r, 0, 0), *b = ct_reg_to_json(&back, 0, 0);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    assert_int_equal(back.version, 1);
    /* a stale version is refused */
    ct_reg_put_opts po = {NULL, 7, 0};
    back.status = "closed";
    assert_int_equal(ct_store_reg_put(f->s, &back, &po, &out, &err), CT_ESTALE);
    ct_err_clear(&err);
    po.if_version = 1;
    assert_int_equal(ct_store_reg_put(f->s, &back, &po, &out, &err), 0);
    assert_int_equal(out, CT_PUT_UPDATED);
    assert_int_equal(back.version, 2);
    /* an id of another kind is a conflict */
    ct_reg_record inst;
    ct_reg_record_init(&inst, CT_REG_INSTITUTION);
    inst.id = r.id;
    inst.name = "Home";
    inst.agency = "Police";
    assert_int_equal(ct_store_reg_put(f->s, &inst, NULL, &out, &err), CT_ECONFLICT);
    ct_err_clear(&err);
    assert_int_equal(ct_store_reg_get(f->s, "01a212d8-0000-7000-8000-000000000000", &back, &err),
                     CT_ENOTFOUND);
    ct_problems_release(&pr);
    ct_reg_record_release(&r);
    ct_reg_record_release(&back);
    ct_reg_record_release(&inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(imports_and_reimports_without_duplicates, reg_setup,
                                        reg_teardown),
        cmocka_unit_test_setup_teardown(all_or_nothing_names_line_and_column, reg_setup,
                                        reg_teardown),
        cmocka_unit_test_setup_teardown(skip_invalid_writes_rejects_that_reimport, reg_setup,
                                        reg_teardown),
        cmocka_unit_test_setup_teardown(header_problems_stop_at_once, reg_setup, reg_teardown),
        cmocka_unit_test_setup_teardown(references_between_registries, reg_setup, reg_teardown),
        cmocka_unit_test_setup_teardown(jsonl_files_and_unknown_agencies, reg_setup, reg_teardown),
        cmocka_unit_test_setup_teardown(put_and_get_round_trip, reg_setup, reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
