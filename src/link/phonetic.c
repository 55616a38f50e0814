/*
 * phonetic.c - Double Metaphone (Lawrence Philips, C/C++ Users Journal,
 * June 2000), for blocking keys of Latin-script names.
 *
 * The rules follow Philips' reference code case by case, one function per
 * letter, dispatched through letter_rules[] (A-Z). The word is upper-cased
 * and padded with spaces so rules may look ahead past its end, as the
 * reference does. Non-letters (spaces between name tokens, digits, bytes of
 * other scripts) are skipped: a multi-token name gets one key.
 */
#include "link_int.h"

#include <string.h>

enum { KEY_MAX = 4, WORD_MAX = 64, PAD = 6 };

typedef struct dm {
    char s[WORD_MAX + PAD + 1];
    int len, last, cur, slavo;
    char pri[KEY_MAX * 2 + 1], alt[KEY_MAX * 2 + 1];
    int npri, nalt;
} dm;

static char at(const dm *d, int pos)
{
    return pos < 0 || pos >= d->len + PAD ? '\0' : d->s[pos];
}

/* Whether one of the NULL-terminated strings (all of length n) is at pos. */
static int is_at(const dm *d, int pos, int n, const char *const *opts)
{
    if (pos < 0 || pos >= d->len + PAD)
        return 0; /* the padding may match: " " ends a word */
    for (; *opts; opts++)
        if (strncmp(d->s + pos, *opts, (size_t)n) == 0)
            return 1;
    return 0;
}
#define AT(pos, n, ...) is_at(d, (pos), (n), (const char *const[]){__VA_ARGS__, NULL})

static int vowel(const dm *d, int pos)
{
    char c = at(d, pos);
    return c && strchr("AEIOUY", c) != NULL;
}

static void add2(dm *d, const char *p, const char *a)
{
    for (; *p && d->npri < KEY_MAX * 2; p++)
        d->pri[d->npri++] = *p;
    for (; *a && d->nalt < KEY_MAX * 2; a++)
        d->alt[d->nalt++] = *a;
}
static void add(dm *d, const char *p)
{
    add2(d, p, p);
}
/* Adds p and skips n letters, or one more when the next letter repeats. */
static void simple(dm *d, const char *p, char twin)
{
    add(d, p);
    d->cur += at(d, d->cur + 1) == twin ? 2 : 1;
}

static void r_vowel(dm *d)
{
    if (d->cur == 0)
        add(d, "A");
    d->cur++;
}
static void r_b(dm *d)
{
    simple(d, "P", 'B');
}
static void r_f(dm *d)
{
    simple(d, "F", 'F');
}
static void r_k(dm *d)
{
    simple(d, "K", 'K');
}
static void r_n(dm *d)
{
    simple(d, "N", 'N');
}
static void r_q(dm *d)
{
    simple(d, "K", 'Q');
}
static void r_v(dm *d)
{
    simple(d, "F", 'V');
}

static int c_germanic(dm *d)
{
    int c = d->cur;
    return c > 1 && !vowel(d, c - 2) && AT(c - 1, 3, "ACH") && at(d, c + 2) != 'I' &&
           (at(d, c + 2) != 'E' || AT(c - 2, 6, "BACHER", "MACHER"));
}

static void r_ch(dm *d)
{
    int c = d->cur;
    d->cur += 2;
    if (c > 0 && AT(c, 4, "CHAE")) {
        add2(d, "K", "X"); /* michael */
        return;
    }
    if (c == 0 && (AT(c + 1, 5, "HARAC", "HARIS") || AT(c + 1, 3, "HOR", "HYM", "HIA", "HEM")) &&
        !AT(0, 5, "CHORE")) {
        add(d, "K"); /* greek roots: chemistry, chorus */
        return;
    }
    if (AT(0, 4, "VAN ", "VON ") || AT(0, 3, "SCH") || AT(c - 2, 6, "ORCHES", "ARCHIT", "ORCHID") ||
        AT(c + 2, 1, "T", "S") ||
        ((AT(c - 1, 1, "A", "O", "U", "E") || c == 0) &&
         AT(c + 2, 1, "L", "R", "N", "M", "B", "H", "F", "V", "W", " "))) {
        add(d, "K"); /* germanic, greek, or 'ch' for 'kh' */
        return;
    }
    if (c > 0)
        AT(0, 2, "MC") ? add(d, "K") : add2(d, "X", "K");
    else
        add(d, "X");
}

static void r_cc(dm *d)
{
    int c = d->cur;
    if (AT(c + 2, 1, "I", "E", "H") && !AT(c + 2, 2, "HU")) {
        /* accident, accede, succeed; else bacci, bertucci */
        if ((c == 1 && at(d, c - 1) == 'A') || AT(c - 1, 5, "UCCEE", "UCCES"))
            add(d, "KS");
        else
            add(d, "X");
        d->cur += 3;
        return;
    }
    add(d, "K"); /* Pierce's rule */
    d->cur += 2;
}

static void r_c(dm *d)
{
    int c = d->cur;
    if (c_germanic(d)) {
        add(d, "K");
        d->cur += 2;
    } else if (c == 0 && AT(c, 6, "CAESAR")) {
        add(d, "S");
        d->cur += 2;
    } else if (AT(c, 4, "CHIA")) {
        add(d, "K"); /* chianti */
        d->cur += 2;
    } else if (AT(c, 2, "CH")) {
        r_ch(d);
    } else if (AT(c, 2, "CZ") && !AT(c - 2, 4, "WICZ")) {
        add2(d, "S", "X"); /* czerny */
        d->cur += 2;
    } else if (AT(c + 1, 3, "CIA")) {
        add(d, "X"); /* focaccia */
        d->cur += 3;
    } else if (AT(c, 2, "CC") && !(c == 1 && at(d, 0) == 'M')) {
        r_cc(d);
    } else if (AT(c, 2, "CK", "CG", "CQ")) {
        add(d, "K");
        d->cur += 2;
    } else if (AT(c, 2, "CI", "CE", "CY")) {
        AT(c, 3, "CIO", "CIE", "CIA") ? add2(d, "S", "X") : add(d, "S");
        d->cur += 2;
    } else {
        add(d, "K");
        if (AT(c + 1, 2, " C", " Q", " G"))
            d->cur += 3; /* mac caffrey, mac gregor */
        else if (AT(c + 1, 1, "C", "K", "Q") && !AT(c + 1, 2, "CE", "CI"))
            d->cur += 2;
        else
            d->cur += 1;
    }
}

static void r_d(dm *d)
{
    int c = d->cur;
    if (AT(c, 2, "DG")) {
        if (AT(c + 2, 1, "I", "E", "Y")) {
            add(d, "J"); /* edge */
            d->cur += 3;
        } else {
            add(d, "TK"); /* edgar */
            d->cur += 2;
        }
        return;
    }
    add(d, "T");
    d->cur += AT(c, 2, "DT", "DD") ? 2 : 1;
}

static void r_gh(dm *d)
{
    int c = d->cur;
    d->cur += 2;
    if (c > 0 && !vowel(d, c - 1)) {
        add(d, "K");
        return;
    }
    if (c == 0) {
        add(d, at(d, c + 2) == 'I' ? "J" : "K"); /* ghislane, ghiradelli */
        return;
    }
    /* Parker's rule: hugh, bough, broughton */
    if ((c > 1 && AT(c - 2, 1, "B", "H", "D")) || (c > 2 && AT(c - 3, 1, "B", "H", "D")) ||
        (c > 3 && AT(c - 4, 1, "B", "H")))
        return;
    if (c > 2 && at(d, c - 1) == 'U' && AT(c - 3, 1, "C", "G", "L", "R", "T"))
        add(d, "F"); /* laugh, cough, rough, tough */
    else if (at(d, c - 1) != 'I')
        add(d, "K");
}

static void r_gn(dm *d)
{
    int c = d->cur;
    if (c == 1 && vowel(d, 0) && !d->slavo)
        add2(d, "KN", "N");
    else if (!AT(c + 2, 2, "EY") && at(d, c + 1) != 'Y' && !d->slavo)
        add2(d, "N", "KN"); /* not cagney */
    else
        add(d, "KN");
    d->cur += 2;
}

static int g_soft(dm *d)
{
    int c = d->cur;
    if (!AT(c + 1, 1, "E", "I", "Y") && !AT(c - 1, 4, "AGGI", "OGGI"))
        return 0;
    if (AT(0, 4, "VAN ", "VON ") || AT(0, 3, "SCH") || AT(c + 1, 2, "ET"))
        add(d, "K"); /* obviously germanic */
    else if (AT(c + 1, 4, "IER "))
        add(d, "J"); /* french ending */
    else
        add2(d, "J", "K");
    d->cur += 2;
    return 1;
}

static void r_g(dm *d)
{
    int c = d->cur;
    if (at(d, c + 1) == 'H') {
        r_gh(d);
    } else if (at(d, c + 1) == 'N') {
        r_gn(d);
    } else if (AT(c + 1, 2, "LI") && !d->slavo) {
        add2(d, "KL", "L"); /* tagliaro */
        d->cur += 2;
    } else if (c == 0 && (at(d, c + 1) == 'Y' || AT(c + 1, 2, "ES", "EP", "EB", "EL", "EY", "IB",
                                                    "IL", "IN", "IE", "EI", "ER"))) {
        add2(d, "K", "J");
        d->cur += 2;
    } else if ((AT(c + 1, 2, "ER") || at(d, c + 1) == 'Y') &&
               !AT(0, 6, "DANGER", "RANGER", "MANGER") && !AT(c - 1, 1, "E", "I") &&
               !AT(c - 1, 3, "RGY", "OGY")) {
        add2(d, "K", "J"); /* -ger-, -gy- */
        d->cur += 2;
    } else if (!g_soft(d)) {
        simple(d, "K", 'G');
    }
}

static void r_h(dm *d)
{
    int c = d->cur;
    if ((c == 0 || vowel(d, c - 1)) && vowel(d, c + 1)) {
        add(d, "H");
        d->cur += 2;
    } else {
        d->cur += 1;
    }
}

static void r_j(dm *d)
{
    int c = d->cur;
    if (AT(c, 4, "JOSE") || AT(0, 4, "SAN ")) {
        if ((c == 0 && at(d, c + 4) == ' ') || AT(0, 4, "SAN "))
            add(d, "H");
        else
            add2(d, "J", "H");
        d->cur += 1;
        return;
    }
    if (c == 0)
        add2(d, "J", "A"); /* Yankelovich / Jankelowicz */
    else if (vowel(d, c - 1) && !d->slavo && (at(d, c + 1) == 'A' || at(d, c + 1) == 'O'))
        add2(d, "J", "H"); /* bajador */
    else if (c == d->last)
        add2(d, "J", "");
    else if (!AT(c + 1, 1, "L", "T", "K", "S", "N", "M", "B", "Z") && !AT(c - 1, 1, "S", "K", "L"))
        add(d, "J");
    d->cur += at(d, c + 1) == 'J' ? 2 : 1;
}

static void r_l(dm *d)
{
    int c = d->cur;
    if (at(d, c + 1) != 'L') {
        add(d, "L");
        d->cur += 1;
        return;
    }
    d->cur += 2;
    /* spanish: cabrillo, gallegos */
    if ((c == d->len - 3 && AT(c - 1, 4, "ILLO", "ILLA", "ALLE")) ||
        ((AT(d->last - 1, 2, "AS", "OS") || AT(d->last, 1, "A", "O")) && AT(c - 1, 4, "ALLE")))
        add2(d, "L", "");
    else
        add(d, "L");
}

static void r_m(dm *d)
{
    int c = d->cur;
    int skip =
        (AT(c - 1, 3, "UMB") && (c + 1 == d->last || AT(c + 2, 2, "ER"))) || at(d, c + 1) == 'M';
    add(d, "M");
    d->cur += skip ? 2 : 1;
}

static void r_p(dm *d)
{
    int c = d->cur;
    if (at(d, c + 1) == 'H') {
        add(d, "F");
        d->cur += 2;
        return;
    }
    add(d, "P"); /* campbell, raspberry */
    d->cur += AT(c + 1, 1, "P", "B") ? 2 : 1;
}

static void r_r(dm *d)
{
    int c = d->cur;
    if (c == d->last && !d->slavo && AT(c - 2, 2, "IE") && !AT(c - 4, 2, "ME", "MA"))
        add2(d, "", "R"); /* rogier, not hochmeier */
    else
        add(d, "R");
    d->cur += at(d, c + 1) == 'R' ? 2 : 1;
}

static void r_sch(dm *d)
{
    int c = d->cur;
    d->cur += 3;
    if (at(d, c + 2) == 'H') {
        if (AT(c + 3, 2, "OO", "ER", "EN", "UY", "ED", "EM")) /* school, schooner */
            AT(c + 3, 2, "ER", "EN") ? add2(d, "X", "SK") : add(d, "SK");
        else if (c == 0 && !vowel(d, 3) && at(d, 3) != 'W')
            add2(d, "X", "S");
        else
            add(d, "X");
        return;
    }
    AT(c + 2, 1, "I", "E", "Y") ? add(d, "S") : add(d, "SK");
}

static void r_s(dm *d)
{
    int c = d->cur;
    if (AT(c - 1, 3, "ISL", "YSL")) {
        d->cur += 1; /* island, isle, carlisle */
    } else if (c == 0 && AT(c, 5, "SUGAR")) {
        add2(d, "X", "S");
        d->cur += 1;
    } else if (AT(c, 2, "SH")) {
        AT(c + 1, 4, "HEIM", "HOEK", "HOLM", "HOLZ") ? add(d, "S") : add(d, "X");
        d->cur += 2;
    } else if (AT(c, 3, "SIO", "SIA") || AT(c, 4, "SIAN")) {
        d->slavo ? add(d, "S") : add2(d, "S", "X"); /* italian, armenian */
        d->cur += 3;
    } else if ((c == 0 && AT(c + 1, 1, "M", "N", "L", "W")) || AT(c + 1, 1, "Z")) {
        add2(d, "S", "X"); /* smith ~ schmidt, snider ~ schneider */
        d->cur += AT(c + 1, 1, "Z") ? 2 : 1;
    } else if (AT(c, 2, "SC")) {
        r_sch(d);
    } else {
        if (c == d->last && AT(c - 2, 2, "AI", "OI"))
            add2(d, "", "S"); /* resnais, artois */
        else
            add(d, "S");
        d->cur += AT(c + 1, 1, "S", "Z") ? 2 : 1;
    }
}

static void r_t(dm *d)
{
    int c = d->cur;
    if (AT(c, 4, "TION") || AT(c, 3, "TIA", "TCH")) {
        add(d, "X");
        d->cur += 3;
    } else if (AT(c, 2, "TH") || AT(c, 3, "TTH")) {
        if (AT(c + 2, 2, "OM", "AM") || AT(0, 4, "VAN ", "VON ") || AT(0, 3, "SCH"))
            add(d, "T"); /* thomas, thames */
        else
            add2(d, "0", "T");
        d->cur += 2;
    } else {
        add(d, "T");
        d->cur += AT(c + 1, 1, "T", "D") ? 2 : 1;
    }
}

static void r_w(dm *d)
{
    int c = d->cur;
    if (AT(c, 2, "WR")) {
        add(d, "R");
        d->cur += 2;
        return;
    }
    if (c == 0 && (vowel(d, c + 1) || AT(c, 2, "WH")))
        vowel(d, c + 1) ? add2(d, "A", "F") : add(d, "A"); /* wasserman ~ vasserman */
    if ((c == d->last && vowel(d, c - 1)) || AT(c - 1, 5, "EWSKI", "EWSKY", "OWSKI", "OWSKY") ||
        AT(0, 3, "SCH")) {
        add2(d, "", "F"); /* arnow ~ arnoff */
        d->cur += 1;
    } else if (AT(c, 4, "WICZ", "WITZ")) {
        add2(d, "TS", "FX"); /* filipowicz */
        d->cur += 4;
    } else {
        d->cur += 1;
    }
}

static void r_x(dm *d)
{
    int c = d->cur;
    if (!(c == d->last && (AT(c - 3, 3, "IAU", "EAU") || AT(c - 2, 2, "AU", "OU"))))
        add(d, "KS"); /* not french breaux */
    d->cur += AT(c + 1, 1, "C", "X") ? 2 : 1;
}

static void r_z(dm *d)
{
    int c = d->cur;
    if (at(d, c + 1) == 'H') {
        add(d, "J"); /* pinyin zhao */
        d->cur += 2;
        return;
    }
    if (AT(c + 1, 2, "ZO", "ZI", "ZA") || (d->slavo && c > 0 && at(d, c - 1) != 'T'))
        add2(d, "S", "TS");
    else
        add(d, "S");
    d->cur += at(d, c + 1) == 'Z' ? 2 : 1;
}

/* One rule per letter, A to Z (vowels share one). */
static void (*const letter_rules[26])(dm *) = {
    r_vowel, r_b,     r_c, r_d, r_vowel, r_f, r_g, r_h,     r_vowel, r_j, r_k, r_l,     r_m,
    r_n,     r_vowel, r_p, r_q, r_r,     r_s, r_t, r_vowel, r_v,     r_w, r_x, r_vowel, r_z,
};

static void dm_init(dm *d, const char *s, size_t n)
{
    memset(d, 0, sizeof(*d));
    for (size_t i = 0; i < n && d->len < WORD_MAX; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c >= 'A' && c <= 'Z')
            d->s[d->len++] = c;
    }
    memset(d->s + d->len, ' ', PAD);
    d->last = d->len - 1;
    d->slavo = strchr(d->s, 'W') || strchr(d->s, 'K') || strstr(d->s, "CZ") || strstr(d->s, "WITZ");
}

void ct_link_dmetaphone(const char *s, size_t n, char primary[5], char alternate[5])
{
    dm st, *d = &st;
    dm_init(d, s, n);
    if (AT(0, 2, "GN", "KN", "PN", "WR", "PS"))
        d->cur = 1; /* silent first letter */
    if (at(d, 0) == 'X') {
        add(d, "S"); /* xavier */
        d->cur = 1;
    }
    while ((d->npri < KEY_MAX || d->nalt < KEY_MAX) && d->cur < d->len)
        letter_rules[d->s[d->cur] - 'A'](d);
    d->pri[d->npri < KEY_MAX ? d->npri : KEY_MAX] = '\0';
    d->alt[d->nalt < KEY_MAX ? d->nalt : KEY_MAX] = '\0';
    memcpy(primary, d->pri, KEY_MAX + 1);
    memcpy(alternate, d->alt, KEY_MAX + 1);
}
