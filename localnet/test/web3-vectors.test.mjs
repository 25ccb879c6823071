// The committed web3.js vectors must be exactly what the generator writes today (issue 3, acceptance 2): a change
// to the script, to web3.js or to its dependencies shows up here as a difference.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, '../scripts/web3-vectors.mjs');
const committed = resolve(here, '../../tests/Solana.Tests/Vectors/web3-transactions.json');

test('regenerated web3.js vectors are identical to the committed file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'web3-vectors-'));
  try {
    const fresh = join(dir, 'web3-transactions.json');
    execFileSync(process.execPath, [script, fresh], { stdio: ['ignore', 'ignore', 'pipe'] });
    const expected = readFileSync(committed, 'utf8');
    const actual = readFileSync(fresh, 'utf8');
    if (actual !== expected) {
      const a = JSON.parse(actual).cases;
      const e = JSON.parse(expected).cases;
      const first = a.findIndex((c, i) => JSON.stringify(c) !== JSON.stringify(e[i]));
      assert.fail(`web3-transactions.json differs from a fresh run (first differing case: ${first}, ` +
        `${a.length} fresh vs ${e.length} committed); rerun node localnet/scripts/web3-vectors.mjs and review`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the committed vectors cover what the C# tests rely on', () => {
  const { cases, web3js } = JSON.parse(readFileSync(committed, 'utf8'));
  assert.equal(web3js, '1.98.4');
  assert.ok(cases.length >= 240);
  assert.ok(cases.some((c) => c.version === 'legacy') && cases.some((c) => c.version === 0));
  assert.ok(cases.some((c) => c.partial));
  for (const n of [1, 2, 3, 4]) assert.ok(cases.some((c) => c.signerSeeds.length === n), `${n} signers`);
  for (const c of cases) assert.ok(Buffer.from(c.transaction, 'base64').length <= 1232, c.name);
});
