#!/usr/bin/env node
// localnet: a real Solana VM (LiteSVM) behind the Solana JSON-RPC (port P) and websocket API (port P+1).
// Usage: node src/main.js [--host 127.0.0.1] [--port 8899] [--deterministic] [--ledger DIR] [--block-time-ms 400]
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Chain } from './chain.js';
import { loadKeys, fundFaucet, createGenesis, addressesDocument } from './genesis.js';
import { createRpc } from './rpc.js';
import { startPubsub } from './pubsub.js';
import { toJson } from './wire.js';

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const options = { host: '127.0.0.1', port: 8899, deterministic: false, ledger: resolve(here, '..', '.ledger'), blockTimeMs: 400 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--host') options.host = value();
    else if (arg === '--port') options.port = Number(value());
    else if (arg === '--deterministic') options.deterministic = true;
    else if (arg === '--ledger') options.ledger = resolve(value());
    else if (arg === '--block-time-ms') options.blockTimeMs = Number(value());
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node src/main.js [--host H] [--port P] [--deterministic] [--ledger DIR] [--block-time-ms N]');
      process.exit(0);
    } else throw new Error(`unknown option ${arg}`);
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65534) throw new Error('--port must be 1..65534');
  if (!(options.blockTimeMs >= 10)) throw new Error('--block-time-ms must be at least 10');
  return options;
}

const MAX_BODY = 50 * 1024 * 1024;

function serveHttp(rpc, host, port) {
  const server = createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.method === 'GET' && req.url === '/health') return reply(200, '"ok"');
    if (req.method !== 'POST') return reply(405, JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request: use POST' }, id: null }));
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reply(413, JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: 'request too large' }, id: null }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(200, JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }));
      }
      if (Array.isArray(body)) {
        if (body.length === 0) return reply(200, JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id: null }));
        return reply(200, toJson(body.map((r) => rpc.handle(r))));
      }
      return reply(200, toJson(rpc.handle(body)));
    });
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const chain = new Chain({ ledger: options.ledger, deterministic: options.deterministic, blockTimeMs: options.blockTimeMs });
  const keys = loadKeys(options.ledger, chain.info.deterministic);
  fundFaucet(chain, keys);
  // A history whose only line was cut off replays nothing: the genesis is then created again.
  const replayed = chain.hasHistory() ? chain.replay() : 0;
  if (replayed === 0) createGenesis(chain, keys);

  const rpc = createRpc(chain, keys);
  const http = await serveHttp(rpc, options.host, options.port);
  const pubsub = await startPubsub(chain, options.host, options.port + 1);
  const shownHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const rpcUrl = `http://${shownHost}:${options.port}`;
  const websocketUrl = `ws://${shownHost}:${options.port + 1}`;
  writeFileSync(join(options.ledger, 'addresses.json'), JSON.stringify(addressesDocument(keys, { rpcUrl, websocketUrl }), null, 2));

  const timer = setInterval(() => chain.advanceSlot(), options.blockTimeMs);
  const stop = () => {
    clearInterval(timer);
    http.close();
    pubsub.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`localnet ready rpc=${rpcUrl} ws=${websocketUrl} ledger=${options.ledger} slot=${chain.slot} transactions=${chain.transactions.size}`);
}

main().catch((e) => {
  console.error(`localnet: ${e.message}`);
  process.exit(1);
});
