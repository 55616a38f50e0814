#!/usr/bin/env python3
"""Recomputes the figures that data/demo/shares.tsv cites as `glotip_data`
from the UNODC GLOTIP data file (../shared/datasets/glotip/data_glotip.xlsx),
with the standard library only (an .xlsx file is a zip of XML).

Usage: tools/demo_glotip_figures.py [PATH/TO/data_glotip.xlsx]
Prints: year weights 2015-2021 (relative to 2019, countries reporting every
year), the sex of persons brought into formal contact, how many per detected
victim, and the funnel
prosecuted / brought into formal contact and convicted / prosecuted.
"""
import collections
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
T = '{%s}t' % NS['m']


def rows(path):
    z = zipfile.ZipFile(path)
    strings = [''.join(t.text or '' for t in si.iter(T))
               for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', NS)]
    sheet = sorted(n for n in z.namelist() if n.startswith('xl/worksheets/sheet'))[0]
    for row in ET.fromstring(z.read(sheet)).iter('{%s}row' % NS['m']):
        cells = {}
        for c in row.findall('m:c', NS):
            col = 0
            for ch in re.match(r'[A-Z]+', c.get('r')).group(0):
                col = col * 26 + ord(ch) - 64
            v = c.find('m:v', NS)
            if v is None:
                inline = c.find('m:is', NS)
                val = ''.join(t.text or '' for t in inline.iter(T)) if inline is not None else ''
            elif c.get('t') == 's':
                val = strings[int(v.text)]
            else:
                val = v.text
            cells[col - 1] = val
        if cells:
            yield [cells.get(i, '') for i in range(max(cells) + 1)]


def number(s):
    try:
        return float(s.replace(',', ''))
    except ValueError:
        return None  # "<5" and empty cells


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else '../shared/datasets/glotip/data_glotip.xlsx'
    it = rows(path)
    next(it), next(it)  # the two preamble rows (domain.md §2)
    header = next(it)
    data = [dict(zip(header, r)) for r in it]
    years = range(2015, 2022)

    victims = collections.defaultdict(dict)
    totals = collections.defaultdict(dict)
    sex = collections.Counter()
    for r in data:
        y = int(r['Year'])
        v = number(r['txtVALUE'])
        if v is None or r['Dimension'] != 'Total' or y not in years:
            continue
        if r['Sex'] == 'Total' and r['Age'] == 'Total':
            if r['Indicator'] == 'Detected trafficking victims':
                victims[r['Iso3_code']][y] = v
            totals[(r['Iso3_code'], y)][r['Indicator']] = v
        elif (r['Indicator'] == 'Persons brought into formal contact' and r['Age'] == 'Total'
              and r['Sex'] in ('Male', 'Female')):
            sex[r['Sex']] += v

    full = [c for c in victims if all(y in victims[c] for y in years)]
    per_year = {y: sum(victims[c][y] for c in full) for y in years}
    print('year weights (%d countries reporting every year 2015-2021):' % len(full))
    for y in years:
        print('  %d %.3f (%d victims)' % (y, per_year[y] / per_year[2019], per_year[y]))

    n = sum(sex.values())
    print('persons brought into formal contact by sex (%d persons):' % n)
    for k in ('Male', 'Female'):
        print('  %s %.1f %%' % (k, 100 * sex[k] / n))

    pairs = [t for t in totals.values()
             if 'Detected trafficking victims' in t and 'Persons brought into formal contact' in t]
    v = sum(t['Detected trafficking victims'] for t in pairs)
    p = sum(t['Persons brought into formal contact'] for t in pairs)
    print('persons brought into formal contact per detected victim over %d country-years: '
          '%.0f / %.0f = %.3f' % (len(pairs), p, v, p / v))

    steps = ['Persons brought into formal contact', 'Persons prosecuted', 'Persons convicted']
    both = [t for t in totals.values() if all(s in t for s in steps)]
    s = [sum(t[k] for t in both) for k in steps]
    print('funnel over %d country-years reporting all three totals:' % len(both))
    print('  prosecuted / formal contact %.0f / %.0f = %.3f' % (s[1], s[0], s[1] / s[0]))
    print('  convicted / prosecuted %.0f / %.0f = %.3f' % (s[2], s[1], s[2] / s[1]))


if __name__ == '__main__':
    main()
