// Starts a real localnet process on free loopback ports with a throwaway ledger, for the node tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
export const localnetDir = resolve(here, '..');
/** The repository's recorded mainnet/devnet RPC responses (provenance in tests/Fixtures/README.md). */
export const fixturesDir = resolve(here, '../../tests/Fixtures/rpc');

async function freePortPair() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise((ok) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
    });
    const second = await new Promise((ok) => {
      const s = createServer();
      s.once('error', () => ok(false));
      s.listen(port + 1, '127.0.0.1', () => s.close(() => ok(true)));
    });
    if (second && port < 65534) return port;
  }
  throw new Error('no free port pair');
}

export async function startLocalnet({ ledger, port, blockTimeMs = 100, args = [] } = {}) {
  ledger ??= mkdtempSync(join(tmpdir(), 'ionet-localnet-test-'));
  port ??= await freePortPair();
  const child = spawn(process.execPath, ['src/main.js', '--port', String(port), '--ledger', ledger, '--deterministic', '--block-time-ms', String(blockTimeMs), ...args], { cwd: localnetDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`localnet not ready in 30 s: ${stderr}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('localnet ready')) { clearTimeout(timer); ok(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`localnet exited ${code}: ${stderr}`)); });
  });
  const addresses = JSON.parse(readFileSync(join(ledger, 'addresses.json'), 'utf8'));
  return {
    child, ledger, port, addresses,
    rpcUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port + 1}`,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop({ keepLedger = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGKILL');
        await exited;
      }
      if (!keepLedger) rmSync(ledger, { recursive: true, force: true });
    },
  };
}

export async function rpc(url, method, params = []) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return response.json();
}

/**
 * Waits until the node reports `signature` confirmed, asking over HTTP (for tests that restart the node: web3.js's
 * websocket confirmations leave a socket that reconnects to the stopped node for ever and keeps the test file alive).
 */
export async function confirmedOverHttp(url, signature) {
  for (;;) {
    const { result } = await rpc(url, 'getSignatureStatuses', [[signature]]);
    const status = result?.value?.[0];
    if (status?.err) throw new Error(`${signature} failed: ${JSON.stringify(status.err)}`);
    if (status?.confirmationStatus) return;
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling the node for the landed transaction
  }
}

/** One POST of a JSON-RPC batch; the parsed answers in request order. */
export async function rpcBatch(url, calls) {
  const body = calls.map(([method, params], id) => ({ jsonrpc: '2.0', id, method, params }));
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

export function loadKeypair(web3, file) {
  return web3.Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(file, 'utf8'))));
}

/** The structure of a JSON value: key names, JSON types, nesting, null vs absent. Arrays use the shape of their first element. */
export function shape(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape(value[k])]));
  return typeof value;
}

export function fixture(name) {
  const json = JSON.parse(readFileSync(join(fixturesDir, name), 'utf8'));
  return json.result ?? json;
}
