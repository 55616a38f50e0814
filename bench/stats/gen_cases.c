/*
 * gen_cases.c - synthetic cases (JSON lines, contracts.md) for bench/stats,
 * with the shares GLOTIP publishes (domain.md §2): women 39 %, men 23 %,
 * girls 22 %, boys 16 %; sexual exploitation 50 %, forced labour 38 %,
 * forced criminality 6 %, begging 1 %; about 60 % foreigners; a few
 * unknowns of every kind; suspects with proceedings. Deterministic.
 * Until `ctip demo` exists this is the benchmark's data.
 * Usage: gen_cases N > cases.jsonl
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static double rnd(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (double)(state >> 11) / 9007199254740992.0;
}

static int pick(const double *w, int n)
{
    double r = rnd(), s = 0;
    for (int i = 0; i < n; i++) {
        s += w[i];
        if (r < s)
            return i;
    }
    return n - 1;
}

static const char *const foreign[] = {"ROU", "NGA", "CHN", "BGR", "UKR", "PHL", "RUS", "THA",
                                      "COL", "MAR", "IND", "MDA", "BGD", "BRA", "HUN", "SVK",
                                      "VEN", "DOM", "VNM", "POL", "GHA", "ALB", "SRB", "DEU",
                                      "BEL", "ITA", "ESP", "ERI", "AFG", "PAK"};
static const char *const purposes[] = {
    "sexual_exploitation", "forced_labour", "forced_criminality", "forced_begging",
    "forced_marriage",     "servitude",     "organ_removal",      "other"};
static const double purpose_w[] = {0.50, 0.38, 0.06, 0.01, 0.02, 0.015, 0.005, 0.01};
static const char *const agencies[] = {"Police nationale", "Gendarmerie", "NGO Accueil",
                                       "Inspection du travail"};
static const char *const sectors[] = {"agriculture", "construction", "domestic_work", "hospitality",
                                      "manufacturing"};
static const char *const means[] = {"debt_bondage",        "threats",
                                    "physical_abuse",      "false_promises",
                                    "withholds_documents", "excessive_working_hours"};

static void citizenship(char *out, size_t n, double foreign_share)
{
    double r = rnd();
    if (r < 0.03)
        snprintf(out, n, "[]");
    else if (r < 0.03 + (1 - foreign_share))
        snprintf(out, n, "[\"FRA\"]");
    else {
        /* skewed: the first countries are the most frequent */
        int i = (int)(30 * rnd() * rnd());
        snprintf(out, n, "[\"%s\"]", foreign[i]);
    }
}

static void victim(FILE *f, int year)
{
    static const double profile_w[] = {0.39, 0.23, 0.22, 0.16};
    int p = pick(profile_w, 4);
    const char *sex = p == 0 || p == 2 ? "female" : "male";
    if (rnd() < 0.02)
        sex = "unknown";
    else if (rnd() < 0.005)
        sex = "other";
    char cit[32];
    citizenship(cit, sizeof(cit), 0.6);
    fprintf(f, "{\"role\":\"victim\",\"sex\":\"%s\",\"citizenship\":%s", sex, cit);
    double r = rnd();
    int child = p >= 2;
    int age = child ? 6 + (int)(rnd() * 12) : 18 + (int)(rnd() * 40);
    if (r < 0.05)
        ; /* age unknown */
    else if (r < 0.55)
        fprintf(f, ",\"age\":%d", age);
    else if (r < 0.58)
        fprintf(f, ",\"date_of_birth\":\"%d\"", year - age); /* year only: a range */
    else
        fprintf(f, ",\"date_of_birth\":\"%d-%02d-%02d\"", year - age - 1, 1 + (int)(rnd() * 12),
                1 + (int)(rnd() * 28));
    if (child && rnd() < 0.03)
        fprintf(f, ",\"age_uncertain\":true");
    fputc('}', f);
}

static void suspect(FILE *f, int year)
{
    char cit[32];
    citizenship(cit, sizeof(cit), 0.4);
    fprintf(f, ",{\"role\":\"suspect\",\"sex\":\"%s\",\"age\":%d,\"citizenship\":%s",
            rnd() < 0.7 ? "male" : "female", 20 + (int)(rnd() * 40), cit);
    double r = rnd();
    if (r < 0.8) {
        fprintf(f, ",\"proceedings\":[{\"kind\":\"investigation\",\"date\":\"%d-%02d\"}", year,
                1 + (int)(rnd() * 12));
        if (r < 0.45)
            fprintf(f, ",{\"kind\":\"prosecution\",\"date\":\"%d\"}",
                    year + (rnd() < 0.3 && year < 2024));
        if (r < 0.2)
            fprintf(f, ",{\"kind\":\"conviction\",\"date\":\"%d\"}", year + (year < 2024));
        fputc(']', f);
    }
    fputc('}', f);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000;
    for (long i = 0; i < n; i++) {
        int year = 2019 + (int)(rnd() * 6);
        int np = pick(purpose_w, 8);
        printf("{\"source_id\":\"B%ld\",\"agency\":\"%s\",\"purposes\":[\"%s\"", i,
               agencies[(int)(rnd() * 4)], purposes[np]);
        if (rnd() < 0.08 && np != 1)
            printf(",\"forced_labour\"");
        printf("]");
        if (np == 1 || rnd() < 0.1)
            printf(",\"labour_sector\":\"%s\"", sectors[(int)(rnd() * 5)]);
        printf(",\"means_of_control\":[\"%s\"]", means[(int)(rnd() * 6)]);
        printf(",\"countries\":{\"exploitation\":\"FRA\"}");
        printf(
            ",\"dates\":{\"exploitation_start\":\"%d-%02d\",\"identification\":\"%d-%02d-%02d\"}",
            year - 1, 1 + (int)(rnd() * 12), year, 1 + (int)(rnd() * 12), 1 + (int)(rnd() * 28));
        printf(",\"persons\":[");
        victim(stdout, year);
        if (rnd() < 0.05) {
            fputc(',', stdout);
            victim(stdout, year);
        }
        if (rnd() < 0.4)
            suspect(stdout, year);
        printf("]}\n");
    }
    return 0;
}
