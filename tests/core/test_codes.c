#include "test_util.h"

#include "core/codes.h"
#include "core/codes_int.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static const ct_code *get(const char *list, const char *code)
{
    const ct_code *c = ct_codes_lookup(list, code);
    if (!c)
        fail_msg("%s: no code %s", list, code);
    return c;
}

/* Every attribute value of row c is found by find_attr, and the match is the
 * first row in file order holding that value. */
static void check_attrs(const ct_code_list *l, const ct_code *c)
{
    const char *a;
    for (size_t k = 0; (a = ct_code_list_attr_name(l, k)); k++) {
        const char *v = ct_code_attr(c, a);
        if (!v)
            continue;
        assert_true(*v);
        const ct_code *first = ct_codes_find_attr(l, a, v);
        assert_non_null(first);
        assert_string_equal(ct_code_attr(first, a), v);
        assert_true(ct_code_index(first) <= ct_code_index(c));
        for (size_t i = 0; i < ct_code_index(first); i++)
            assert_true(!ct_code_attr(ct_code_list_at(l, i), a) ||
                        strcmp(ct_code_attr(ct_code_list_at(l, i), a), v) != 0);
    }
}

/* The walk over every row of every list. */
static void every_row_is_well_formed(void **state)
{
    assert_true(ct_code_list_count() >= 20);
    for (size_t li = 0; li < ct_code_list_count(); li++) {
        const ct_code_list *l = ct_code_list_nth(li);
        const char *name = ct_code_list_name(l);
        if (li > 0)
            assert_true(strcmp(ct_code_list_name(ct_code_list_nth(li - 1)), name) < 0);
        assert_ptr_equal(ct_codes_list(name), l);
        assert_true(strlen(ct_code_list_source(l)) > 10);
        assert_string_equal(ct_code_list_lang(l, 0), "en");
        assert_true(ct_code_list_size(l) > 0);
        assert_null(ct_code_list_at(l, ct_code_list_size(l)));
        for (size_t i = 0; i < ct_code_list_size(l); i++) {
            const ct_code *c = ct_code_list_at(l, i);
            const char *id = ct_code_id(c);
            assert_true(*id);
            assert_int_equal(ct_code_index(c), i);
            assert_ptr_equal(ct_code_list_of(c), l);
            /* unique: the exact lookup lands on this very row */
            if (ct_codes_find(l, id) != c)
                fail_msg("%s: code %s is not unique or not findable", name, id);
            for (size_t j = 0; j < i; j++)
                assert_true(strcmp(ct_code_id(ct_code_list_at(l, j)), id) != 0);
            const char *en = ct_code_label(c, "en"), *fr = ct_code_label(c, "fr");
            if (!en || !*en || !fr || !*fr)
                fail_msg("%s: code %s lacks an English or French label", name, id);
            /* fr is a real column: its label is not the English fallback */
            assert_ptr_equal(fr, l->labels[i * l->nlangs + 1]);
            assert_string_equal(l->langs[1], "fr");
            check_attrs(l, c);
        }
    }
    assert_null(ct_code_list_nth(ct_code_list_count()));
}

/* The identifiers of domain.md and contracts.md, exactly and in order. */
static void lists_hold_the_shared_identifiers(void **state)
{
    static const struct {
        const char *list;
        const char *codes[16];
    } want[] = {
        {"acts", {"recruitment", "transportation", "transfer", "harbouring", "receipt"}},
        {"means",
         {"threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
          "abuse_of_vulnerability", "payments"}},
        {"purposes",
         {"sexual_exploitation", "forced_labour", "slavery", "servitude", "organ_removal",
          "forced_criminality", "forced_begging", "forced_marriage", "illegal_adoption",
          "armed_conflict", "abuse_material", "benefit_fraud", "surrogacy", "other"}},
        {"sexes", {"female", "male", "other", "unknown"}},
        {"case_statuses", {"active", "follow_up", "closed", "closed_referred"}},
        {"nrm_stages",
         {"reported", "screened", "presumed_victim", "identified", "not_a_victim", "returned",
          "reintegrated", "closed"}},
        {"person_roles", {"victim", "suspect"}},
        {"user_roles",
         {"admin", "coordinator", "caseworker", "child_protection", "investigator", "prosecutor",
          "analyst", "auditor"}},
        {"proceeding_kinds", {"investigation", "prosecution", "conviction", "acquittal"}},
        {"technology", {"recruitment_online", "control_online", "exploitation_online"}},
        {"referral_statuses", {"offered", "accepted", "declined", "provided", "ended"}},
        {"services",
         {"shelter", "medical", "psychological", "legal_aid", "interpretation", "residence_permit",
          "education", "employment", "family_tracing", "return_reintegration"}},
        {"glotip_forms",
         {"sexual_exploitation", "forced_labour", "mixed_sexual_labour", "forced_criminality",
          "begging", "forced_marriage", "illegal_adoption", "armed_conflict", "organ_removal",
          "other"}},
    };
    for (size_t i = 0; i < LEN(want); i++) {
        const ct_code_list *l = ct_codes_list(want[i].list);
        assert_non_null(l);
        size_t n = 0;
        while (n < LEN(want[i].codes) && want[i].codes[n])
            n++;
        assert_int_equal(ct_code_list_size(l), n);
        for (size_t k = 0; k < n; k++)
            assert_string_equal(ct_code_id(ct_code_list_at(l, k)), want[i].codes[k]);
    }
    /* contracts.md examples */
    get("other_crimes", "drug_trafficking");
    get("vulnerabilities", "unaccompanied_child");
    get("vulnerabilities", "in_alternative_care");
    get("vulnerabilities", "disability");
    get("vulnerabilities", "irregular_migrant");
    get("means_of_control", "withholds_documents");
    get("recruiter_relations", "friend");
    get("labour_sectors", "agriculture");
    get("languages", "ukr");
}

static void lookups(void **state)
{
    const ct_code_list *countries = ct_codes_list("countries");
    const ct_code *deu = ct_codes_find(countries, "DEU");
    assert_non_null(deu);
    assert_string_equal(ct_code_label(deu, "en"), "Germany");
    assert_string_equal(ct_code_label(deu, "fr"), "Allemagne");
    assert_string_equal(ct_code_label(deu, "fr_FR.UTF-8"), "Allemagne");
    assert_string_equal(ct_code_label(deu, "fr-CA"), "Allemagne");
    assert_string_equal(ct_code_label(deu, "FR"), "Allemagne");
    assert_string_equal(ct_code_label(deu, "de"), "Germany"); /* no German: English */
    assert_string_equal(ct_code_label(deu, NULL), "Germany");
    assert_string_equal(ct_code_label(deu, "f"), "Germany");
    assert_ptr_equal(ct_codes_find_attr(countries, "iso2", "DE"), deu);
    assert_ptr_equal(ct_codes_lookup("countries", "UKR"),
                     ct_codes_find_attr(countries, "iso2", "UA"));
    assert_ptr_equal(ct_codes_find_attr(countries, "m49", "276"), deu);
    assert_string_equal(ct_code_attr(deu, "region"), "150");
    assert_string_equal(ct_code_attr(deu, "subregion"), "155");
    assert_null(ct_code_attr(deu, "intermediate_region")); /* empty cell */
    assert_null(ct_code_attr(deu, "no_such_attribute"));

    /* misses */
    assert_null(ct_codes_find(countries, "deu")); /* case-sensitive */
    assert_null(ct_codes_find(countries, "DE"));
    assert_null(ct_codes_find(countries, ""));
    assert_null(ct_codes_find(countries, "ZZZ"));
    assert_null(ct_codes_find(countries, "AAA")); /* before the first */
    assert_null(ct_codes_find_attr(countries, "iso2", "ZZ"));
    assert_null(ct_codes_find_attr(countries, "iso2", ""));
    assert_null(ct_codes_find_attr(countries, "no_such_attribute", "DE"));
    assert_null(ct_codes_list("no_such_list"));
    assert_null(ct_codes_lookup("no_such_list", "DEU"));
    assert_null(ct_codes_lookup("acts", "recruit"));

    /* NULL in, NULL out */
    assert_null(ct_codes_list(NULL));
    assert_null(ct_codes_find(NULL, "DEU"));
    assert_null(ct_codes_find(countries, NULL));
    assert_null(ct_codes_find_attr(countries, NULL, "DE"));
    assert_null(ct_codes_find_attr(countries, "iso2", NULL));
    assert_null(ct_code_label(NULL, "en"));
    assert_null(ct_code_attr(NULL, "iso2"));
    assert_null(ct_code_attr(deu, NULL));
    assert_null(ct_code_id(NULL));
    assert_int_equal(ct_code_list_size(NULL), 0);
    assert_null(ct_code_list_at(NULL, 0));

    /* positions for bitmasks */
    assert_int_equal(ct_code_index(get("acts", "recruitment")), 0);
    assert_int_equal(ct_code_index(get("acts", "receipt")), 4);
    assert_int_equal(ct_code_index(get("purposes", "other")), 13);

    /* labels in French are the UN terms */
    assert_string_equal(ct_code_label(get("purposes", "sexual_exploitation"), "fr"),
                        "Exploitation sexuelle");
    assert_string_equal(ct_code_label(get("glotip_forms", "forced_labour"), "fr"), "Travail forcé");
}

/* An empty label cell falls back to English (no shipped list has one, so
 * the test builds a one-row list of its own). */
static void empty_label_falls_back_to_english(void **state)
{
    static const char *const langs[] = {"en", "fr"};
    static const char *const labels[] = {"Only English", NULL};
    static const uint16_t by_id[] = {0};
    static struct ct_code_list list;
    static const struct ct_code code = {"x", 0, &list};
    list = (struct ct_code_list){"test", "test", langs, 2, NULL,  0,
                                 labels, NULL,   &code, 1, by_id, NULL};
    assert_string_equal(ct_code_label(&code, "fr"), "Only English");
    assert_ptr_equal(ct_codes_find(&list, "x"), &code);
    assert_null(ct_codes_find_attr(&list, "iso2", "x"));
    assert_null(ct_code_attr(&code, "iso2"));
}

static const ct_code *region_at(const ct_code *country, const char *attr, const char *level)
{
    const char *m49 = ct_code_attr(country, attr);
    if (!m49)
        fail_msg("country %s has no %s", ct_code_id(country), attr);
    const ct_code *r = ct_codes_lookup("regions", m49);
    if (!r)
        fail_msg("country %s: %s %s is not in regions", ct_code_id(country), attr, m49);
    assert_string_equal(ct_code_attr(r, "level"), level);
    return r;
}

static void countries_sit_in_m49_regions(void **state)
{
    const ct_code_list *l = ct_codes_list("countries");
    assert_int_equal(ct_code_list_size(l), 249); /* ISO 3166-1 as of iso-codes 4.15 */
    for (size_t i = 0; i < ct_code_list_size(l); i++) {
        const ct_code *c = ct_code_list_at(l, i);
        const char *id = ct_code_id(c), *iso2 = ct_code_attr(c, "iso2");
        const char *m49 = ct_code_attr(c, "m49");
        assert_true(strlen(id) == 3 && strlen(iso2) == 2 && strlen(m49) == 3);
        assert_int_equal(strspn(m49, "0123456789"), 3);
        if (strcmp(id, "ATA") == 0) { /* Antarctica: in M49, directly under World */
            assert_null(ct_code_attr(c, "region"));
            assert_null(ct_code_attr(c, "subregion"));
            continue;
        }
        const ct_code *reg = region_at(c, "region", "region");
        const ct_code *sub = region_at(c, "subregion", "subregion");
        assert_string_equal(ct_code_attr(sub, "parent"), ct_code_id(reg));
        if (ct_code_attr(c, "intermediate_region")) {
            const ct_code *mid = region_at(c, "intermediate_region", "intermediate_region");
            assert_string_equal(ct_code_attr(mid, "parent"), ct_code_id(sub));
        }
    }
    /* spot checks against the M49 table */
    assert_string_equal(ct_code_attr(get("countries", "NGA"), "intermediate_region"), "011");
    assert_string_equal(ct_code_attr(get("countries", "MEX"), "intermediate_region"), "013");
    assert_string_equal(ct_code_attr(get("countries", "TUR"), "subregion"), "145");
    assert_string_equal(ct_code_attr(get("countries", "JEY"), "intermediate_region"), "830");
    assert_string_equal(ct_code_label(get("regions", "202"), "fr"), "Afrique subsaharienne");
}

static void regions_form_a_tree(void **state)
{
    const ct_code_list *l = ct_codes_list("regions");
    static const struct {
        const char *level, *parent_level;
    } tree[] = {{"region", "world"}, {"subregion", "region"}, {"intermediate_region", "subregion"}};
    for (size_t i = 0; i < ct_code_list_size(l); i++) {
        const ct_code *r = ct_code_list_at(l, i);
        const char *level = ct_code_attr(r, "level");
        assert_int_equal(strspn(ct_code_id(r), "0123456789"), 3);
        if (strcmp(level, "world") == 0) {
            assert_null(ct_code_attr(r, "parent"));
            continue;
        }
        size_t k = 0;
        while (k < LEN(tree) && strcmp(tree[k].level, level) != 0)
            k++;
        assert_true(k < LEN(tree));
        const ct_code *p = ct_codes_find(l, ct_code_attr(r, "parent"));
        assert_non_null(p);
        assert_string_equal(ct_code_attr(p, "level"), tree[k].parent_level);
    }
}

static void purposes_map_to_glotip_and_iccs(void **state)
{
    static const char *const categories[] = {"Sexual exploitation", "Forced labour",
                                             "Other forms of exploitation"};
    const ct_code_list *l = ct_codes_list("purposes");
    for (size_t i = 0; i < ct_code_list_size(l); i++) {
        const ct_code *p = ct_code_list_at(l, i);
        const char *form = ct_code_attr(p, "glotip_form");
        if (!form || !ct_codes_lookup("glotip_forms", form))
            fail_msg("purpose %s: glotip_form %s is not a GLOTIP form", ct_code_id(p),
                     form ? form : "(none)");
        const char *iccs = ct_code_attr(p, "iccs");
        assert_non_null(iccs);
        assert_true(strcmp(iccs, "02041") >= 0 && strcmp(iccs, "02044") <= 0 && strlen(iccs) == 5);
        const char *ctdc = ct_code_attr(p, "ctdc");
        assert_true(strcmp(ctdc, "sexual") == 0 || strcmp(ctdc, "labour") == 0 ||
                    strcmp(ctdc, "other") == 0);
    }
    const ct_code_list *forms = ct_codes_list("glotip_forms");
    for (size_t i = 0; i < ct_code_list_size(forms); i++) {
        const char *cat = ct_code_attr(ct_code_list_at(forms, i), "category");
        size_t k = 0;
        while (k < LEN(categories) && strcmp(categories[k], cat) != 0)
            k++;
        assert_true(k < LEN(categories));
    }
    assert_string_equal(ct_code_attr(get("purposes", "organ_removal"), "iccs"), "02043");
    assert_string_equal(ct_code_attr(get("purposes", "forced_begging"), "glotip_form"), "begging");
}

/* Many-to-one mappings: the reverse lookup gives the canonical code. */
static void reverse_mappings_are_canonical(void **state)
{
    const ct_code *c;
    c = ct_codes_find_attr(ct_codes_list("recruiter_relations"), "ctdc", "recruiterRelationOther");
    assert_string_equal(ct_code_id(c), "other");
    c = ct_codes_find_attr(ct_codes_list("means_of_control"), "ctdc_synthetic",
                           "meansAbusePsyPhySex");
    assert_string_equal(ct_code_id(c), "psychological_abuse");
    c = ct_codes_find_attr(ct_codes_list("means_of_control"), "ctdc_synthetic", "meansThreats");
    assert_string_equal(ct_code_id(c), "threats");
    c = ct_codes_find_attr(ct_codes_list("means_of_control"), "ctdc",
                           "meansOfControlWithholdsDocuments");
    assert_string_equal(ct_code_id(c), "withholds_documents");
    c = ct_codes_find_attr(ct_codes_list("sexes"), "ctdc_synthetic", "Woman");
    assert_string_equal(ct_code_id(c), "female");
    c = ct_codes_find_attr(ct_codes_list("age_bands"), "ctdc_alt", "09--17");
    assert_string_equal(ct_code_id(c), "9-17");
    c = ct_codes_find_attr(ct_codes_list("labour_sectors"), "isic", "T");
    assert_string_equal(ct_code_id(c), "domestic_work");
    c = ct_codes_find_attr(ct_codes_list("languages"), "iso639_2b", "fre");
    assert_string_equal(ct_code_id(c), "fra");
}

static void age_bands_are_ranges(void **state)
{
    const ct_code_list *l = ct_codes_list("age_bands");
    for (size_t i = 0; i < ct_code_list_size(l); i++) {
        const ct_code *b = ct_code_list_at(l, i);
        const char *min = ct_code_attr(b, "min"), *max = ct_code_attr(b, "max");
        if (strcmp(ct_code_id(b), "unknown") == 0) {
            assert_null(min);
            continue;
        }
        assert_non_null(min);
        if (max)
            assert_true(atoi(min) <= atoi(max));
        assert_non_null(
            ct_code_attr(b, strcmp(ct_code_attr(b, "scheme"), "ctdc") == 0 ? "ctdc" : "glotip"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_is_well_formed),
        cmocka_unit_test(lists_hold_the_shared_identifiers),
        cmocka_unit_test(lookups),
        cmocka_unit_test(empty_label_falls_back_to_english),
        cmocka_unit_test(countries_sit_in_m49_regions),
        cmocka_unit_test(regions_form_a_tree),
        cmocka_unit_test(purposes_map_to_glotip_and_iccs),
        cmocka_unit_test(reverse_mappings_are_canonical),
        cmocka_unit_test(age_bands_are_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
