#!/usr/bin/env python3
"""Refreshes the ISO-derived columns of data/codes/countries.tsv and
data/codes/languages.tsv from Debian's iso-codes package
(apt-get install iso-codes): English names from /usr/share/iso-codes/json,
French names from its French gettext catalogues.

Usage: tools/refresh_iso_names.py [DATA_DIR]   (default: data/codes)

Only label_en, label_fr and the ISO code columns (countries: iso2, m49;
languages: iso639_1, iso639_2b) are rewritten; the rows, their order and every
other column (the M49 regions) are kept, so the script can be rerun after an
iso-codes update and the diff reviewed. It reports ISO entries that a list
lacks and codes that ISO no longer has. A maintenance tool: the build never
runs it. Names: an entry's common_name (e.g. "Bolivia") when the French
catalogue translates it, else its ISO name; a name without a French
translation keeps the English one (iso-codes 4.15 lacks only Türkiye, which is
also the UN French name). Labels start with a capital letter, as in a list
("Allemand", "Île Bouvet"), and FIXES corrects the few errors of iso-codes'
French catalogues; say so upstream (salsa.debian.org/iso-codes-team) too.
"""
import gettext
import json
import os
import sys

ISO = "/usr/share/iso-codes/json"
LOCALE = "/usr/share/locale"

FIXES = {
    "countries.tsv": {
        "GRL": "Groenland",
        "GNQ": "Guinée équatoriale",
        "VAT": "Saint-Siège (État de la Cité du Vatican)",
    },
    "languages.tsv": {"uzb": "Ouzbek"},
}


def french(domain):
    path = os.path.join(LOCALE, "fr", "LC_MESSAGES", domain + ".mo")
    with open(path, "rb") as f:
        return gettext.GNUTranslations(f)


def capital(s):
    return s[:1].upper() + s[1:]


def names(entry, fr):
    """(English, French) name of an iso-codes entry."""
    name = entry["name"]
    common = entry.get("common_name")
    if common and fr.gettext(common) != common:
        name = common
    return capital(name), capital(fr.gettext(name))


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    head = [l for l in lines if l.startswith("#")]
    body = [l.split("\t") for l in lines if l and not l.startswith("#")]
    return head, body[0], body[1:]


def write_tsv(path, head, cols, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(head + ["\t".join(cols)] + ["\t".join(r) for r in rows]) + "\n")


def refresh(path, entries, fr, key, isocols):
    head, cols, rows = read_tsv(path)
    by_code = {e[key]: e for e in entries}
    ix = {c: i for i, c in enumerate(cols)}
    fixes = FIXES.get(os.path.basename(path), {})
    seen = set()
    for r in rows:
        r.extend([""] * (len(cols) - len(r)))
        e = by_code.get(r[0])
        if not e:
            print(f"{path}: {r[0]}: not in iso-codes; kept as it is", file=sys.stderr)
            continue
        seen.add(r[0])
        r[ix["label_en"]], r[ix["label_fr"]] = names(e, fr)
        r[ix["label_fr"]] = fixes.get(r[0], r[ix["label_fr"]])
        for col, field in isocols.items():
            r[ix[col]] = e.get(field, "")
    write_tsv(path, head, cols, rows)
    return seen


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "data/codes"
    with open(os.path.join(ISO, "iso_3166-1.json"), encoding="utf-8") as f:
        countries = json.load(f)["3166-1"]
    seen = refresh(os.path.join(data, "countries.tsv"), countries, french("iso_3166-1"),
                   "alpha_3", {"iso2": "alpha_2", "m49": "numeric"})
    for e in countries:
        if e["alpha_3"] not in seen:
            print(f"countries.tsv lacks {e['alpha_3']} ({e['name']}): add it with its M49 "
                  "regions", file=sys.stderr)
    with open(os.path.join(ISO, "iso_639-2.json"), encoding="utf-8") as f:
        languages = json.load(f)["639-2"]
    refresh(os.path.join(data, "languages.tsv"), languages, french("iso_639-2"), "alpha_3",
            {"iso639_1": "alpha_2", "iso639_2b": "bibliographic"})


if __name__ == "__main__":
    main()
