// History is served from answers serialized once (localnet/src/answers.js): they must be exactly what a fresh
// serialization gives, alone or in a batch, and a gap a restart leaves reads as skipped slots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startLocalnet, rpc, rpcBatch, confirmedOverHttp } from './helpers.mjs';

const require = createRequire(import.meta.url);
const web3 = require('@solana/web3.js');

let net;
let connection;
let payer;
const target = web3.Keypair.fromSeed(new Uint8Array(32).fill(7)).publicKey;
const signatures = [];

before(async () => {
  net = await startLocalnet();
  // HTTP only: the node is restarted below, and web3.js's websocket would keep reconnecting to the stopped one.
  connection = new web3.Connection(net.rpcUrl, 'confirmed');
  payer = web3.Keypair.fromSeed(new Uint8Array(32).fill(43));
  await confirmedOverHttp(net.rpcUrl, await connection.requestAirdrop(payer.publicKey, 10 * web3.LAMPORTS_PER_SOL));
  for (let i = 0; i < 4; i++) {
    const tx = new web3.Transaction().add(web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: target, lamports: 1_000_000 + i }));
    tx.feePayer = payer.publicKey;
    tx.recentBlockhash = (await connection.getLatestBlockhash()).blockhash;
    tx.sign(payer);
    const signature = await connection.sendRawTransaction(tx.serialize());
    await confirmedOverHttp(net.rpcUrl, signature);
    signatures.push(signature);
  }
});

after(async () => {
  await net?.stop();
});

/** What a client asks about history, each answer as the node sends it. */
async function historyAnswers(url) {
  const calls = [
    ...signatures.flatMap((s) => [
      ['getTransaction', [s, { encoding: 'base64', maxSupportedTransactionVersion: 0 }]],
      ['getTransaction', [s, { encoding: 'json' }]],
      ['getTransaction', [s, { encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 }]],
    ]),
    ['getSignaturesForAddress', [target.toBase58()]],
    ['getSignaturesForAddress', [target.toBase58(), { limit: 2, before: signatures[3] }]],
    ['getSignaturesForAddress', [target.toBase58(), { until: signatures[1] }]],
    ['getBlock', [(await rpc(url, 'getTransaction', [signatures[0]])).result.slot, { encoding: 'base64', maxSupportedTransactionVersion: 0 }]],
    ['getBlock', [(await rpc(url, 'getTransaction', [signatures[2]])).result.slot, { encoding: 'json', rewards: false }]],
  ];
  const batched = (await rpcBatch(url, calls)).map((r) => r.result);
  const alone = [];
  for (const [method, params] of calls) alone.push((await rpc(url, method, params)).result);
  return { calls, batched, alone };
}

test('history answers are the same alone, in a batch, asked again, and from a node that keeps none serialized', async () => {
  const first = await historyAnswers(net.rpcUrl);
  const again = await historyAnswers(net.rpcUrl);
  assert.deepEqual(first.batched, first.alone);
  assert.deepEqual(again.batched, first.batched);
  for (const answer of first.batched) assert.notEqual(answer, null);

  // The same ledger under a node whose answer cache holds nothing: every answer serialized afresh.
  await net.stop({ keepLedger: true });
  net = await startLocalnet({ ledger: net.ledger, args: ['--answer-cache-mb', '0'] });
  const fresh = await historyAnswers(net.rpcUrl);
  assert.deepEqual(fresh.batched, first.batched);
  assert.deepEqual(fresh.alone, first.alone);
});

test('a batch mixes refused items with served answers, each under its own id', async () => {
  const answers = await rpcBatch(net.rpcUrl, [
    ['getTransaction', [signatures[0], { encoding: 'base64' }]],
    ['getTransaction', ['x', { encoding: 'base64' }]],
    ['getSignaturesForAddress', [target.toBase58(), { limit: 0 }]],
    ['getTransaction', [signatures[1], { encoding: 'base64' }]],
  ]);
  assert.deepEqual(answers.map((a) => a.id), [0, 1, 2, 3]);
  assert.equal(answers[0].result.transaction[1], 'base64');
  assert.equal(answers[1].error.code, -32602);
  assert.equal(answers[2].error.code, -32602);
  assert.equal(answers[3].result.transaction[1], 'base64');
  assert.equal(answers[0].result.version, undefined); // no maxSupportedTransactionVersion: no version field
});

test('after a restart, the slots passed without a block are skipped slots (-32007), as on a real cluster', async () => {
  const { result: last } = await rpc(net.rpcUrl, 'getTransaction', [signatures[3]]);
  await net.stop({ keepLedger: true });
  net = await startLocalnet({ ledger: net.ledger });
  const { result: now } = await rpc(net.rpcUrl, 'getSlot');
  const blocks = (await rpc(net.rpcUrl, 'getBlocks', [last.slot, now])).result;
  assert.ok(blocks.includes(last.slot));
  const gap = blocks.find((s, i) => i > 0 && s > blocks[i - 1] + 1);
  assert.ok(gap !== undefined, `a gap after slot ${last.slot} in ${blocks.slice(0, 5)}`);
  const skipped = gap - 1;
  const answer = await rpc(net.rpcUrl, 'getBlock', [skipped, { encoding: 'base64', maxSupportedTransactionVersion: 0 }]);
  assert.equal(answer.error.code, -32007);
  assert.match(answer.error.message, new RegExp(`^Slot ${skipped} was skipped`));
  const future = await rpc(net.rpcUrl, 'getBlock', [now + 1000]);
  assert.equal(future.error.code, -32004);
});
