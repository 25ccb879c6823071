// The committed lookup-table vectors (tests/Programs.Client.Tests/Vectors/alt-instructions.json) must be exactly what
// scripts/alt-vectors.mjs makes with @solana/web3.js: regenerate to a temp file and compare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const committed = path.resolve(here, '../../tests/Programs.Client.Tests/Vectors/alt-instructions.json');

test('regenerated lookup-table vectors are identical to the committed file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'alt-vectors-'));
  try {
    const file = path.join(dir, 'alt-instructions.json');
    execFileSync(process.execPath, [path.resolve(here, '../scripts/alt-vectors.mjs'), file]);
    assert.equal(readFileSync(file, 'utf8'), readFileSync(committed, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
