#!/usr/bin/env python3
"""Cross-checks the UN M49 regions of data/codes/countries.tsv against the
Region and Subregion columns of UNODC's GLOTIP data file, which uses M49
(../shared/datasets/glotip/data_glotip.xlsx; layout in domain.md §2).

Usage: check_m49_glotip.py DATA_CODES_DIR DATA_GLOTIP_XLSX

Fails (exit 1) when a GLOTIP country, named by its Iso3_code, is missing from
countries.tsv or sits in another region or subregion, or when a GLOTIP row
with a region has no ISO code and is not a known exception. Reads the xlsx
with the standard library only.
"""
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# GLOTIP rows with a region but no ISO 3166-1 code, and why.
NOT_ISO = {
    "Sark": "part of Guernsey; M49 680, no ISO 3166-1 code",
}


def read_tsv(path):
    rows = [l.split("\t") for l in open(path, encoding="utf-8").read().split("\n")
            if l and not l.startswith("#")]
    cols = rows[0]
    return {r[0]: dict(zip(cols, r + [""] * (len(cols) - len(r)))) for r in rows[1:]}


def glotip_places(path):
    """Distinct (Iso3_code, Country, Region, Subregion) of the data file."""
    z = zipfile.ZipFile(path)
    strings = ["".join(t.text or "" for t in si.iter(NS + "t"))
               for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(NS + "si")]
    sheet = sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))[0]
    places, header = set(), None
    for _, row in ET.iterparse(z.open(sheet)):
        if row.tag != NS + "row":
            continue
        cells = {}
        for c in row.iter(NS + "c"):
            col = "".join(ch for ch in c.get("r") if ch.isalpha())
            v = c.find(NS + "v")
            if col in "ABCD" and v is not None:
                cells[col] = strings[int(v.text)] if c.get("t") == "s" else v.text
        row.clear()
        values = tuple(cells.get(k, "") for k in "ABCD")
        if header is None:
            if values[0] == "Iso3_code":
                header = values
                assert header == ("Iso3_code", "Country", "Region", "Subregion"), header
            continue
        places.add(values)
    assert header, "no Iso3_code header in " + path
    return places


def main():
    codes, xlsx = sys.argv[1], sys.argv[2]
    try:
        open(xlsx, "rb").close()
    except OSError as e:
        print(f"check_m49_glotip: the shared data sets are missing ({e}); they live in "
              "../shared/datasets beside the clone (CMake option CT_DATASETS)", file=sys.stderr)
        return 1
    countries = read_tsv(codes + "/countries.tsv")
    regions = read_tsv(codes + "/regions.tsv")
    name = lambda m49: regions[m49]["label_en"] if m49 in regions else "(none)"
    errors, agree = [], 0
    for iso3, country, region, subregion in sorted(glotip_places(xlsx)):
        if not region:  # regional aggregates (CAR, EEU, ...) have none
            continue
        if iso3 not in countries:
            if country in NOT_ISO:
                continue
            errors.append(f"{iso3} {country}: in GLOTIP ({region}), not in countries.tsv")
            continue
        c = countries[iso3]
        ours = (name(c["region"]), name(c["subregion"]))
        if ours != (region, subregion):
            errors.append(f"{iso3} {country}: GLOTIP {region} / {subregion}, "
                          f"countries.tsv {ours[0]} / {ours[1]}")
        else:
            agree += 1
    for e in errors:
        print("check_m49_glotip: " + e, file=sys.stderr)
    print(f"check_m49_glotip: {agree} GLOTIP countries agree with countries.tsv, "
          f"{len(errors)} differ")
    return 1 if errors or agree < 150 else 0


if __name__ == "__main__":
    sys.exit(main())
