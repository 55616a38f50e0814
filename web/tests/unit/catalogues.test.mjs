// Every language has every message, and every message the UI uses exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cats = Object.fromEntries(
  readdirSync(join(web, 'locales'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace('.json', ''), JSON.parse(readFileSync(join(web, 'locales', f), 'utf8'))]),
);

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(jsx?|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

test('every catalogue has the same messages as English, with the same placeholders', () => {
  const en = cats.en;
  for (const [lang, cat] of Object.entries(cats)) {
    assert.ok(cat._meta?.name && ['ltr', 'rtl'].includes(cat._meta?.dir), `${lang}: _meta name and dir`);
    for (const k of Object.keys(en)) {
      if (k === '_meta') continue;
      assert.ok(typeof cat[k] === 'string' && cat[k].length, `${lang} lacks ${k}`);
      const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
      assert.equal(ph(cat[k]), ph(en[k]), `${lang} ${k}: placeholders`);
    }
    for (const k of Object.keys(cat)) assert.ok(k in en, `${lang} has ${k}, English does not`);
  }
});

test('every fixed message key used by the UI is in the English catalogue', () => {
  const missing = [];
  for (const f of sources(join(web, 'src'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt\('([a-z_]+\.[a-z_.]+)'/g)) if (!(m[1] in cats.en)) missing.push(`${m[1]} (${f})`);
  }
  assert.deepEqual(missing, []);
});
