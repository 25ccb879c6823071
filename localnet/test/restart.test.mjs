// A restart replays the append-only history: same signatures, balances and a slot that never goes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startLocalnet, rpc } from './helpers.mjs';

const require = createRequire(import.meta.url);
const web3 = require('@solana/web3.js');

test('a restart (even a kill -9) keeps the chain', async () => {
  let net = await startLocalnet();
  try {
    // Plain HTTP calls only: a web3.js Connection would keep reconnecting its websocket to the killed process.
    const payer = web3.Keypair.fromSeed(new Uint8Array(32).fill(7));
    assert.ok((await rpc(net.rpcUrl, 'requestAirdrop', [payer.publicKey.toBase58(), web3.LAMPORTS_PER_SOL])).result);
    const to = web3.Keypair.generate().publicKey;
    const tx0 = new web3.Transaction().add(web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: 1_234_567 }));
    tx0.feePayer = payer.publicKey;
    tx0.recentBlockhash = (await rpc(net.rpcUrl, 'getLatestBlockhash')).result.value.blockhash;
    tx0.sign(payer);
    const sig = (await rpc(net.rpcUrl, 'sendTransaction', [tx0.serialize().toString('base64'), { encoding: 'base64' }])).result;
    assert.equal((await rpc(net.rpcUrl, 'getSignatureStatuses', [[sig]])).result.value[0].err, null);
    const slotBefore = (await rpc(net.rpcUrl, 'getSlot')).result;
    const supplyBefore = (await rpc(net.rpcUrl, 'getTokenSupply', [net.addresses.mints.io.address])).result.value;
    const { ledger, port } = net;
    await net.stop({ keepLedger: true });

    net = await startLocalnet({ ledger, port });
    assert.equal((await rpc(net.rpcUrl, 'getBalance', [to.toBase58()])).result.value, 1_234_567);
    const tx = (await rpc(net.rpcUrl, 'getTransaction', [sig, { maxSupportedTransactionVersion: 0 }])).result;
    assert.equal(tx.transaction.signatures[0], sig);
    assert.equal(tx.meta.err, null);
    assert.deepEqual((await rpc(net.rpcUrl, 'getTokenSupply', [net.addresses.mints.io.address])).result.value, supplyBefore);
    assert.ok((await rpc(net.rpcUrl, 'getSlot')).result >= tx.slot);
    assert.ok(tx.slot <= slotBefore);
    const sigs = (await rpc(net.rpcUrl, 'getSignaturesForAddress', [to.toBase58()])).result;
    assert.deepEqual(sigs.map((s) => s.signature), [sig]);
  } finally {
    await net.stop();
  }
});

test('the saved slot is whole at every instant, so a kill -9 at any moment never sends the chain back', async () => {
  // What a restart reads is what a reader sees at the instant of the kill. writeFileSync truncates before it writes:
  // a kill in between left an empty file, read as slot 0, and the next start went back to the last slot with a
  // transaction (a websocket client then saw slot 1004 after 1005).
  const net = await startLocalnet({ blockTimeMs: 10 });
  try {
    const file = join(net.ledger, 'slot');
    let first = null; // the file appears at the first slot after genesis
    let last = 0n;
    let reads = 0;
    while (first === null || last < first + 200n) {
      assert.ok(net.alive(), 'localnet exited');
      if (++reads % 500 === 0) await new Promise((r) => setImmediate(r)); // lets the child's exit be noticed
      let text;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        if (e.code === 'ENOENT' && first === null) continue;
        throw e;
      }
      assert.match(text, /^[0-9]+$/, `read ${reads} found ${JSON.stringify(text)}`);
      assert.ok(BigInt(text) >= last, `slot went back from ${last} to ${text}`);
      last = BigInt(text);
      first ??= last;
    }
  } finally {
    await net.stop();
  }
});
