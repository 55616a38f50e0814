// The .xlsx writer makes a ZIP that unzip and Python's zipfile read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, xlsx } from '../../src/xlsx.js';
import { toCsv } from '../../src/csv.js';

test('crc32 of "123456789" is the check value', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('an xlsx with numbers and text opens as a ZIP with the sheet', () => {
  const bytes = xlsx(['category', 'count'], [['Girls', 3], ['Femmes & filles <x>', 12]], 'Victims');
  const dir = mkdtempSync(join(tmpdir(), 'xlsx-'));
  try {
    const f = join(dir, 't.xlsx');
    writeFileSync(f, bytes);
    const out = execFileSync('python3', ['-c', `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.read('xl/worksheets/sheet1.xml').decode())`, f]).toString();
    assert.match(out, /<v>12<\/v>/);
    assert.match(out, /Femmes &amp; filles &lt;x&gt;/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CSV quotes what needs quoting', () => {
  assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1, null]]), 'a,b\r\n"x,y","say ""hi"""\r\n1,\r\n');
});
