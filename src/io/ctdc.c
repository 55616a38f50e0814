/*
 * ctdc.c - the two dialects of the Counter Trafficking Data Collaborative's
 * data standard (domain.md §3), recognised from the header, one victim per
 * row, each row one case with one victim:
 *
 *   global dataset 2017-2020: a first column with an empty cell on every row
 *   under a disclaimer header, then 63 variables; citizenship ISO 3166-1
 *   alpha-2 (00 and ZZ unknown); missing -99 (sometimes 0); flags 0/1/-99;
 *   *Concatenated columns repeat the flags joined with ';'.
 *   synthetic dataset 2021-2025: 27 variables; alpha-3; missing empty;
 *   flags 1 or empty; ageBroad writes 09--17 where the global file has 9--17.
 *
 * Sources: domain.md §3; the CTDC data codebook (v6, November 2017) for the
 * meaning of the global variables (ageBroad and majorityStatus at
 * registration, majorityStatusAtExploit at exploitation, majorityEntry on
 * entering the trafficking process); CTDC's Global Synthetic Dataset page for
 * the 2021-2025 layout. The code lists carry the value mappings
 * (data/codes/<list>.tsv attributes ctdc, ctdc_synthetic, ctdc_alt, ctdc_flag,
 * iso2); tests/io/test_ctdc.c checks the tables below against them.
 *
 * Invariants:
 *  1. Every column of the header is in the dialect's table (or is the
 *     disclaimer column or ctip_error); anything else refuses the file, so
 *     no column is ever skipped unseen.
 *  2. A cell is mapped, or is a missing marker, or is a problem
 *     (FILE:LINE: column: reason), or is counted in ct_io_unmapped: a value
 *     is never dropped silently.
 *  3. Rows have no id: the import key is the hash of the row's cells (without
 *     ctip_error) plus its occurrence among identical rows (reader.c).
 */
#include "io_int.h"

#include "core/alloc.h"
#include "core/assess.h"
#include "core/codes.h"
#include "core/i18n.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define T(kind) CT_CTDC_##kind
#define FLAG(n, target, code)                                                                      \
    {                                                                                              \
        n, T(FLAG), T(T_##target), code, NULL, 0                                                   \
    }
#define FORM(n, code, also)                                                                        \
    {                                                                                              \
        n, T(FLAG), T(T_PURPOSES), code, also, 1                                                   \
    }
#define ONE(n, target, code)                                                                       \
    {                                                                                              \
        n, T(FLAG_ONE), T(T_##target), code, NULL, 0                                               \
    }
#define COL(n, kind)                                                                               \
    {                                                                                              \
        n, T(kind), T(T_NONE), NULL, NULL, 0                                                       \
    }

/*
 * The global dataset 2017-2020 (domain.md §3, CTDC codebook v6). Flags map
 * to the codes whose attribute ctdc (means_of_control, labour_sectors,
 * recruiter_relations, means) or ctdc_flag (purposes) names the column.
 * Beyond those attributes: isSexAndLabour is both forms; Aquafarming is ISIC
 * A (agriculture, forestry and fishing, which includes aquaculture); begging
 * and illicit activities are no ISIC sector but forms of exploitation of
 * GLOTIP's (forced_begging, forced_criminality); "Other" labour has no code.
 */
static const ct_ctdc_col global_cols[] = {
    COL("yearOfRegistration", YEAR),
    COL("Datasource", NO_FIELD),
    COL("gender", SEX),
    COL("ageBroad", AGE_BAND),
    COL("majorityStatus", MAJORITY),
    COL("majorityStatusAtExploit", NO_FIELD),
    COL("majorityEntry", NO_FIELD),
    COL("citizenship", CITIZENSHIP),
    FLAG("meansOfControlDebtBondage", MEANS_OF_CONTROL, "debt_bondage"),
    FLAG("meansOfControlTakesEarnings", MEANS_OF_CONTROL, "takes_earnings"),
    FLAG("meansOfControlRestrictsFinancialAccess", MEANS_OF_CONTROL, "restricts_financial_access"),
    FLAG("meansOfControlThreats", MEANS_OF_CONTROL, "threats"),
    FLAG("meansOfControlPsychologicalAbuse", MEANS_OF_CONTROL, "psychological_abuse"),
    FLAG("meansOfControlPhysicalAbuse", MEANS_OF_CONTROL, "physical_abuse"),
    FLAG("meansOfControlSexualAbuse", MEANS_OF_CONTROL, "sexual_abuse"),
    FLAG("meansOfControlFalsePromises", MEANS_OF_CONTROL, "false_promises"),
    FLAG("meansOfControlPsychoactiveSubstances", MEANS_OF_CONTROL, "psychoactive_substances"),
    FLAG("meansOfControlRestrictsMovement", MEANS_OF_CONTROL, "restricts_movement"),
    FLAG("meansOfControlRestrictsMedicalCare", MEANS_OF_CONTROL, "restricts_medical_care"),
    FLAG("meansOfControlExcessiveWorkingHours", MEANS_OF_CONTROL, "excessive_working_hours"),
    FLAG("meansOfControlUsesChildren", MEANS_OF_CONTROL, "uses_children"),
    FLAG("meansOfControlThreatOfLawEnforcement", MEANS_OF_CONTROL, "threat_of_law_enforcement"),
    FLAG("meansOfControlWithholdsNecessities", MEANS_OF_CONTROL, "denies_basic_needs"),
    FLAG("meansOfControlWithholdsDocuments", MEANS_OF_CONTROL, "withholds_documents"),
    FLAG("meansOfControlOther", MEANS_OF_CONTROL, "other"),
    COL("meansOfControlNotSpecified", FLAG_MISSING),
    COL("meansOfControlConcatenated", DERIVED),
    FORM("isForcedLabour", "forced_labour", NULL),
    FORM("isSexualExploit", "sexual_exploitation", NULL),
    FORM("isOtherExploit", "other", NULL),
    FORM("isSexAndLabour", "sexual_exploitation", "forced_labour"),
    FORM("isForcedMarriage", "forced_marriage", NULL),
    FORM("isForcedMilitary", "armed_conflict", NULL),
    FORM("isOrganRemoval", "organ_removal", NULL),
    FORM("isSlaveryAndPractices", "slavery", NULL),
    COL("typeOfExploitConcatenated", DERIVED),
    ONE("typeOfLabourAgriculture", LABOUR_SECTOR, "agriculture"),
    ONE("typeOfLabourAquafarming", LABOUR_SECTOR, "agriculture"),
    FLAG("typeOfLabourBegging", PURPOSES, "forced_begging"),
    ONE("typeOfLabourConstruction", LABOUR_SECTOR, "construction"),
    ONE("typeOfLabourDomesticWork", LABOUR_SECTOR, "domestic_work"),
    ONE("typeOfLabourHospitality", LABOUR_SECTOR, "hospitality"),
    FLAG("typeOfLabourIllicitActivities", PURPOSES, "forced_criminality"),
    ONE("typeOfLabourManufacturing", LABOUR_SECTOR, "manufacturing"),
    ONE("typeOfLabourMiningOrDrilling", LABOUR_SECTOR, "mining"),
    ONE("typeOfLabourPeddling", LABOUR_SECTOR, "trade"),
    ONE("typeOfLabourTransportation", LABOUR_SECTOR, "transport"),
    COL("typeOfLabourOther", FLAG_NO_CODE),
    COL("typeOfLabourNotSpecified", FLAG_MISSING),
    COL("typeOfLabourConcatenated", DERIVED),
    COL("typeOfSexProstitution", FLAG_NO_FIELD),
    COL("typeOfSexPornography", FLAG_NO_FIELD),
    COL("typeOfSexRemoteInteractiveServices", FLAG_NO_FIELD),
    COL("typeOfSexPrivateSexualServices", FLAG_NO_FIELD),
    COL("typeOfSexConcatenated", DERIVED),
    FLAG("isAbduction", MEANS, "abduction"),
    COL("RecruiterRelationship", DERIVED),
    COL("CountryOfExploitation", COUNTRY_EXPLOITATION),
    ONE("recruiterRelationIntimatePartner", RECRUITER, "intimate_partner"),
    ONE("recruiterRelationFriend", RECRUITER, "friend"),
    ONE("recruiterRelationFamily", RECRUITER, "family"),
    ONE("recruiterRelationOther", RECRUITER, "other"),
    {"recruiterRelationUnknown", T(FLAG_IF_UNSET), T(T_RECRUITER), "unknown", NULL, 0},
};

/*
 * The synthetic dataset 2021-2025 (domain.md §3). Its means* flags merge
 * HTCDS methods of control; each maps to the canonical (first) code whose
 * ctdc_synthetic attribute names it (docs/codes.md, "Many-to-one"):
 * meansDebtBondageEarnings -> debt_bondage, meansThreats -> threats,
 * meansAbusePsyPhySex -> psychological_abuse.
 */
static const ct_ctdc_col synthetic_cols[] = {
    COL("yearOfRegistration", YEAR),
    COL("gender", SEX),
    COL("ageBroad", AGE_BAND),
    COL("citizenship", CITIZENSHIP),
    COL("CountryOfExploitation", COUNTRY_EXPLOITATION),
    COL("traffickMonths", NO_FIELD),
    FLAG("meansDebtBondageEarnings", MEANS_OF_CONTROL, "debt_bondage"),
    FLAG("meansThreats", MEANS_OF_CONTROL, "threats"),
    FLAG("meansAbusePsyPhySex", MEANS_OF_CONTROL, "psychological_abuse"),
    FLAG("meansFalsePromises", MEANS_OF_CONTROL, "false_promises"),
    FLAG("meansDrugsAlcohol", MEANS_OF_CONTROL, "psychoactive_substances"),
    FLAG("meansDenyBasicNeeds", MEANS_OF_CONTROL, "denies_basic_needs"),
    FLAG("meansExcessiveWorkHours", MEANS_OF_CONTROL, "excessive_working_hours"),
    FLAG("meansWithholdDocs", MEANS_OF_CONTROL, "withholds_documents"),
    FORM("isForcedLabour", "forced_labour", NULL),
    FORM("isSexualExploit", "sexual_exploitation", NULL),
    FORM("isOtherExploit", "other", NULL),
    ONE("typeOfLabourAgriculture", LABOUR_SECTOR, "agriculture"),
    ONE("typeOfLabourConstruction", LABOUR_SECTOR, "construction"),
    ONE("typeOfLabourDomesticWork", LABOUR_SECTOR, "domestic_work"),
    ONE("typeOfLabourHospitality", LABOUR_SECTOR, "hospitality"),
    COL("typeOfSexProstitution", FLAG_NO_FIELD),
    COL("typeOfSexPornography", FLAG_NO_FIELD),
    ONE("recruiterRelationIntimatePartner", RECRUITER, "intimate_partner"),
    ONE("recruiterRelationFriend", RECRUITER, "friend"),
    ONE("recruiterRelationFamily", RECRUITER, "family"),
    ONE("recruiterRelationOther", RECRUITER, "other"),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What tells the dialects apart: the sex spellings (data/codes/sexes.tsv). */
static const struct dialect {
    ct_io_format format;
    const ct_ctdc_col *cols;
    size_t n;
    const char *sex_attr;
} dialects[] = {
    {CT_FMT_CTDC_GLOBAL, global_cols, COUNT(global_cols), "ctdc"},
    {CT_FMT_CTDC_SYNTHETIC, synthetic_cols, COUNT(synthetic_cols), "ctdc_synthetic"},
};

const ct_ctdc_col *ct_io_ctdc_table(ct_io_format dialect, size_t *n)
{
    for (size_t i = 0; i < COUNT(dialects); i++)
        if (dialects[i].format == dialect) {
            *n = dialects[i].n;
            return dialects[i].cols;
        }
    *n = 0;
    return NULL;
}

typedef struct ctdc_state {
    const struct dialect *d;
    long *col_of;            /* per table row: its column in the file, -1 absent */
    long disclaimer;         /* the disclaimer column, -1 none */
    ct_io_unmapped *counts;  /* per table row, over the valid records */
    ct_io_unmapped *pending; /* per table row, for the record being read */
} ctdc_state;

/* One row being mapped. */
typedef struct row_ctx {
    ctdc_state *st;
    ct_case *c;
    ct_person *p;
    ct_problems *pr;
    const char *majority; /* age band from majorityStatus, NULL when missing */
    const char *form;     /* the one form of exploitation flagged, "" when several */
    int oom;
} row_ctx;

/* ---- cells --------------------------------------------------------------- */

/* Missing markers of text cells: empty (synthetic), -99 and 0 (global), and
 * the value Unknown of majorityStatus, majorityStatusAtExploit and
 * majorityEntry (domain.md §3). */
static int missing(const char *s)
{
    return !*s || strcmp(s, "-99") == 0 || strcmp(s, "0") == 0 || strcmp(s, "Unknown") == 0;
}

/* 1 yes, 0 no, -1 missing, -2 not a flag. The global file writes 0/1/-99,
 * the synthetic one 1 or nothing; a spreadsheet may have added ".0". */
static int flag_value(const char *s)
{
    static const struct {
        const char *text;
        int v;
    } spellings[] = {{"1", 1}, {"1.0", 1}, {"0", 0}, {"0.0", 0}, {"-99", -1}, {"", -1}};
    for (size_t i = 0; i < COUNT(spellings); i++)
        if (strcmp(s, spellings[i].text) == 0)
            return spellings[i].v;
    return -2;
}

/* A cell as it may appear in a message: short, no control characters. */
static void shown(const char *s, char out[41])
{
    snprintf(out, 41, "%s", s);
    for (char *q = out; *q; q++)
        if ((unsigned char)*q < 0x20)
            *q = '?';
}

static void unknown_value(row_ctx *x, const ct_ctdc_col *col, const char *s)
{
    char v[41];
    shown(s, v);
    ct_problems_add(x->pr, col->name, _("unknown value '%s' (docs/import.md lists the values)"), v);
}

static ct_io_unmapped *pending(row_ctx *x, const ct_ctdc_col *col)
{
    return &x->st->pending[col - x->st->d->cols];
}

static void push(row_ctx *x, ct_strv *v, const char *code)
{
    if (code && !ct_strv_has(v, code) && ct_strv_push(&x->c->arena, v, code, strlen(code)))
        x->oom = 1;
}

/* yearOfRegistration: the year the contributing organisation registered
 * the case (CTDC codebook), i.e. identified the victim, so it is the year of
 * dates.identification. Without it the record's year (contracts.md) would
 * become the day of the import, and every statistic by year would move. */
static void map_year(row_ctx *x, const ct_ctdc_col *col, const char *s, const ct_io_reader *r)
{
    size_t n = strlen(s);
    if (missing(s))
        return;
    ct_date d;
    if (n != 4 || strspn(s, "0123456789") != 4 || ct_date_parse(s, n, &d)) {
        ct_problems_add(x->pr, col->name, "%s", _("expected a year (YYYY), -99 or an empty cell"));
        return;
    }
    const char *why = NULL;
    if (ct_date_check(d, CT_DATE_EVENT, r->opts->today, &why)) {
        ct_problems_add(x->pr, col->name, "%s", _(why));
        return;
    }
    x->c->date_identification = d;
}

static void map_sex(row_ctx *x, const ct_ctdc_col *col, const char *s)
{
    const ct_code_list *l = ct_codes_list("sexes");
    const ct_code *code = ct_codes_find_attr(l, x->st->d->sex_attr, s);
    if (!code) /* the other dialect's spelling says the same */
        code = ct_codes_find_attr(l, strcmp(x->st->d->sex_attr, "ctdc") ? "ctdc" : "ctdc_synthetic",
                                  s);
    if (code)
        x->p->sex = ct_code_id(code);
    else if (!missing(s))
        unknown_value(x, col, s);
}

/* ageBroad: the age band at registration (CTDC codebook), kept as the
 * person's age_band; 9--17 (global) and 09--17 (synthetic) are one band. */
static void map_age_band(row_ctx *x, const ct_ctdc_col *col, const char *s)
{
    const ct_code_list *l = ct_codes_list("age_bands");
    const ct_code *code = ct_codes_find_attr(l, "ctdc", s);
    if (!code)
        code = ct_codes_find_attr(l, "ctdc_alt", s);
    if (code)
        x->p->age_band = ct_code_id(code);
    else if (!missing(s))
        unknown_value(x, col, s);
}

/* majorityStatus: adult or minor at registration, the same moment as
 * ageBroad; the GLOTIP bands 18+ and 0-17 say that much. */
static void map_majority(row_ctx *x, const ct_ctdc_col *col, const char *s)
{
    if (strcmp(s, "Adult") == 0)
        x->majority = "18+";
    else if (strcmp(s, "Minor") == 0)
        x->majority = "0-17";
    else if (!missing(s))
        unknown_value(x, col, s);
}

/* ISO 3166 reserves AA, QM-QZ, XA-XZ and ZZ (and their alpha-3 forms) for
 * user-assigned codes, e.g. XK for Kosovo: real places without an ISO code,
 * so they are counted as unknown rather than refused. */
static int user_assigned(const char *s)
{
    return strncmp(s, "AA", 2) == 0 || (s[0] == 'Q' && s[1] >= 'M') || s[0] == 'X' ||
           strncmp(s, "ZZ", 2) == 0;
}

/* A country cell: the alpha-3 code, NULL when missing or counted. */
static const char *map_country(row_ctx *x, const ct_ctdc_col *col, const char *s)
{
    char up[4] = "";
    size_t n = strlen(s);
    if (missing(s) || strcmp(s, "00") == 0)
        return NULL;
    for (size_t i = 0; i < n && i < 3; i++)
        up[i] = (char)toupper((unsigned char)s[i]);
    int letters = (n == 2 || n == 3) && isalpha((unsigned char)up[0]) &&
                  isalpha((unsigned char)up[1]) && (n == 2 || isalpha((unsigned char)up[2]));
    const ct_code_list *l = ct_codes_list("countries");
    const ct_code *code = !letters ? NULL
                          : n == 2 ? ct_codes_find_attr(l, "iso2", up)
                                   : ct_codes_find(l, up);
    if (code)
        return ct_code_id(code);
    if (letters && user_assigned(up)) {
        if (strcmp(up, "ZZ") && strcmp(up, "ZZZ")) /* ZZ: CTDC's own "unknown" */
            pending(x, col)->no_code++;
        return NULL;
    }
    char v[41];
    shown(s, v);
    ct_problems_add(x->pr, col->name, _("'%s' is not an ISO 3166-1 country code"), v);
    return NULL;
}

static const char **one_valued(ct_case *c, enum ct_ctdc_target t)
{
    return t == CT_CTDC_T_LABOUR_SECTOR ? &c->labour_sector : &c->recruiter_relation;
}

static ct_strv *list_of(ct_case *c, enum ct_ctdc_target t)
{
    return t == CT_CTDC_T_MEANS_OF_CONTROL ? &c->means_of_control
           : t == CT_CTDC_T_PURPOSES       ? &c->purposes
                                           : &c->means;
}

/* A form of exploitation of its own: main_purpose when it stays the only one. */
static void note_form(row_ctx *x, const ct_ctdc_col *col)
{
    const char *form = col->also ? "" : col->code; /* isSexAndLabour: two forms */
    if (!x->form)
        x->form = form;
    else if (strcmp(x->form, form) != 0)
        x->form = "";
}

/* A flag of 1 for the column's kind. */
static void flag_set(row_ctx *x, const ct_ctdc_col *col)
{
    const char **one;
    switch (col->kind) {
    case CT_CTDC_FLAG:
        push(x, list_of(x->c, col->target), col->code);
        push(x, list_of(x->c, col->target), col->also);
        if (col->form)
            note_form(x, col);
        break;
    case CT_CTDC_FLAG_ONE:
        one = one_valued(x->c, col->target);
        if (!*one)
            *one = col->code;
        else if (strcmp(*one, col->code) != 0)
            pending(x, col)->extra++; /* ctip keeps one sector, one relation */
        break;
    case CT_CTDC_FLAG_IF_UNSET:
        one = one_valued(x->c, col->target);
        if (!*one)
            *one = col->code;
        break;
    case CT_CTDC_FLAG_NO_CODE:
        pending(x, col)->no_code++;
        break;
    case CT_CTDC_FLAG_NO_FIELD:
        pending(x, col)->no_field++;
        break;
    default:
        break;
    }
}

static void map_flag(row_ctx *x, const ct_ctdc_col *col, const char *s)
{
    int v = flag_value(s);
    if (v == -2)
        ct_problems_add(x->pr, col->name, "%s", _("expected 1, 0, -99 or an empty cell"));
    else if (v == 1)
        flag_set(x, col);
}

static void map_cell(row_ctx *x, const ct_io_reader *r, const ct_ctdc_col *col, const char *s)
{
    const char *code;
    switch (col->kind) {
    case CT_CTDC_YEAR:
        map_year(x, col, s, r);
        break;
    case CT_CTDC_SEX:
        map_sex(x, col, s);
        break;
    case CT_CTDC_AGE_BAND:
        map_age_band(x, col, s);
        break;
    case CT_CTDC_MAJORITY:
        map_majority(x, col, s);
        break;
    case CT_CTDC_CITIZENSHIP:
        if ((code = map_country(x, col, s)))
            push(x, &x->p->citizenship, code);
        break;
    case CT_CTDC_COUNTRY_EXPLOITATION:
        if ((code = map_country(x, col, s)))
            x->c->country_exploitation = code;
        break;
    case CT_CTDC_NO_FIELD:
        if (!missing(s))
            pending(x, col)->no_field++;
        break;
    case CT_CTDC_DERIVED:
        break; /* the flags say the same, one by one */
    default:
        map_flag(x, col, s);
        break;
    }
}

/* ---- rows ------------------------------------------------------------------ */

/* What needs the whole row: the majority fallback for the age band, and the
 * main purpose when exactly one form of exploitation is flagged (domain.md
 * §2: with several, and no caseworker to say which is main, GLOTIP's layout
 * counts the victim under "Other forms of exploitation"). */
static void finish_row(row_ctx *x)
{
    int lo, hi, mlo, mhi;
    if (x->majority && !x->p->age_band)
        x->p->age_band = x->majority;
    else if (x->majority && ct_age_band_bounds(x->p->age_band, &lo, &hi) == 0 &&
             ct_age_band_bounds(x->majority, &mlo, &mhi) == 0 &&
             (lo > (mhi < 0 ? 200 : mhi) || (hi >= 0 && hi < mlo)))
        ct_problems_add(x->pr, "majorityStatus", "%s", _("contradicts ageBroad"));
    if (x->form && *x->form)
        x->c->main_purpose = x->form;
}

static void commit_counts(ctdc_state *st)
{
    for (size_t k = 0; k < st->d->n; k++) {
        st->counts[k].no_field += st->pending[k].no_field;
        st->counts[k].no_code += st->pending[k].no_code;
        st->counts[k].extra += st->pending[k].extra;
    }
}

static void set_defaults(const ct_io_reader *r, ct_case *c)
{
    c->agency = r->opts->home_agency;
    c->status = "active";
    c->persons[0].nrm_stage = "reported";
}

static int map_row(ct_io_reader *r, ct_case *c, const ct_csv_record *row, ct_problems *pr)
{
    ctdc_state *st = r->dialect;
    row_ctx x = {st, c, ct_case_add_person(c), pr, NULL, NULL, 0};
    if (!x.p)
        return CT_ENOMEM;
    for (size_t k = 0; k < st->d->n; k++) {
        st->pending[k].no_field = st->pending[k].no_code = st->pending[k].extra = 0;
        long i = st->col_of[k];
        if (i >= 0 && (size_t)i < row->n)
            map_cell(&x, r, &st->d->cols[k], row->field[i]);
    }
    if (st->disclaimer >= 0 && (size_t)st->disclaimer < row->n && row->len[st->disclaimer])
        ct_problems_add(pr, "", "%s", _("the first (disclaimer) column must be empty"));
    if (row->n != r->ncols)
        ct_problems_add(pr, "", _("%zu fields, the header has %zu"), row->n, r->ncols);
    finish_row(&x);
    set_defaults(r, c);
    return x.oom || pr->oom ? CT_ENOMEM : 0;
}

static int ctdc_next(ct_io_reader *r, ct_case *c, ct_io_record *rec, ct_problems *pr, ct_err *err)
{
    ctdc_state *st = r->dialect;
    ct_err_clear(&r->row_err);
    int rc = ct_csv_next(r->csv, &r->row, &r->row_err);
    if (rc == 0 || (rc < 0 && rc != CT_EINVAL)) {
        if (rc < 0)
            *err = r->row_err;
        return rc;
    }
    rec->line = r->row.line;
    if (ct_io_csv_add_raw(r, rec, &r->row))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    if (rc == CT_EINVAL) {
        long bad = r->row.bad_field;
        int k = bad >= 0 && (size_t)bad < r->ncols ? r->col_field[bad] : -1;
        ct_problems_add(pr, k >= 0 ? st->d->cols[k].name : "", "%s", r->row_err.msg);
        return CT_EINVAL;
    }
    size_t total = pr->total;
    if (map_row(r, c, &r->row, pr))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    ct_case_check(c, r->opts, pr);
    if (pr->total > total)
        return CT_EINVAL;
    commit_counts(st);
    unsigned char content[16];
    ct_io_hash_fields(&r->row, r->error_col, content);
    if (ct_occurrences_key(r->seen, content, rec->import_key))
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    return 1;
}

static void ctdc_release(ct_io_reader *r)
{
    ctdc_state *st = r->dialect;
    if (!st)
        return;
    ct_free(st->col_of);
    ct_free(st->counts);
    ct_free(st->pending);
    ct_free(st);
    r->dialect = NULL;
}

const ct_io_format_ops ct_io_ctdc_ops = {ctdc_next, ct_io_csv_rejects_header, ct_io_csv_reject,
                                         ctdc_release};

size_t ct_io_reader_unmapped(const ct_io_reader *r, const ct_io_unmapped **out)
{
    *out = NULL;
    if (r->ops != &ct_io_ctdc_ops || !r->dialect)
        return 0;
    const ctdc_state *st = r->dialect;
    *out = st->counts;
    return st->d->n;
}

/* ---- the header -------------------------------------------------------- */

static long find_col(const struct dialect *d, const char *name)
{
    for (size_t k = 0; k < d->n; k++)
        if (strcasecmp(d->cols[k].name, name) == 0)
            return (long)k;
    return -1;
}

/* The dialect the header's own variables point to: those only one dialect
 * has decide; a header of only shared variables cannot say. */
static const struct dialect *pick_dialect(const ct_io_reader *r, const ct_csv_record *h,
                                          ct_err *err)
{
    for (size_t i = 0; i < COUNT(dialects); i++)
        if (r->format == dialects[i].format)
            return &dialects[i];
    size_t only[COUNT(dialects)] = {0};
    for (size_t i = 0; i < h->n; i++) {
        long g = find_col(&dialects[0], h->field[i]), s = find_col(&dialects[1], h->field[i]);
        only[0] += g >= 0 && s < 0;
        only[1] += s >= 0 && g < 0;
    }
    if (only[0] != only[1])
        return &dialects[only[0] > only[1] ? 0 : 1];
    ct_err_set(err, CT_EINVAL, "%s",
               _("1: the header fits both CTDC dialects: say which with --format ctdc-global or "
                 "--format ctdc-synthetic"));
    return NULL;
}

static int unknown_column(const ctdc_state *st, const char *name, ct_err *err)
{
    if (st->d->format == CT_FMT_CTDC_GLOBAL)
        return ct_err_set_field(
            err, CT_EINVAL, name,
            _("1: %.60s: not a variable of the CTDC global dataset 2017-2020 (docs/import.md)"),
            name);
    return ct_err_set_field(
        err, CT_EINVAL, name,
        _("1: %.60s: not a variable of the CTDC synthetic dataset 2021-2025 (docs/import.md)"),
        name);
}

static int map_column(ct_io_reader *r, ctdc_state *st, const ct_csv_record *h, size_t i,
                      ct_err *err)
{
    const char *name = h->field[i];
    r->col_field[i] = -1;
    if (strcmp(name, "ctip_error") == 0) {
        r->error_col = (long)i;
        return 0;
    }
    long k = find_col(st->d, name);
    if (k < 0 && i == 0 && find_col(&dialects[0], name) < 0 && find_col(&dialects[1], name) < 0) {
        st->disclaimer = 0; /* "By using this data you agree to the Terms of Use: ..." */
        return 0;
    }
    if (k < 0)
        return unknown_column(st, name, err);
    if (st->col_of[k] >= 0)
        return ct_err_set_field(err, CT_EINVAL, name, _("1: %s: column given twice"), name);
    st->col_of[k] = (long)i;
    r->col_field[i] = (int)k;
    return 0;
}

static ctdc_state *new_state(const struct dialect *d)
{
    ctdc_state *st = ct_calloc(1, sizeof(*st));
    if (!st)
        return NULL;
    st->d = d;
    st->disclaimer = -1;
    st->col_of = ct_malloc(d->n * sizeof(*st->col_of));
    st->counts = ct_calloc(d->n, sizeof(*st->counts));
    st->pending = ct_calloc(d->n, sizeof(*st->pending));
    if (!st->col_of || !st->counts || !st->pending) {
        ct_free(st->col_of);
        ct_free(st->counts);
        ct_free(st->pending);
        ct_free(st);
        return NULL;
    }
    for (size_t k = 0; k < d->n; k++) {
        st->col_of[k] = -1;
        st->counts[k].column = d->cols[k].name;
    }
    return st;
}

int ct_io_ctdc_open(ct_io_reader *r, const ct_csv_record *h, ct_err *err)
{
    const struct dialect *d = pick_dialect(r, h, err);
    if (!d)
        return CT_EINVAL;
    ctdc_state *st = new_state(d);
    if (!st)
        return ct_err_set(err, CT_ENOMEM, "%s", _("out of memory"));
    r->dialect = st;
    r->format = d->format;
    for (size_t i = 0; i < h->n; i++) {
        int rc = map_column(r, st, h, i, err);
        if (rc)
            return rc;
    }
    ct_io_csv_header_raw(r, h);
    return 0;
}
