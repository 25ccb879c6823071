// The history file is the chain: a restart replays it whole, leaves out only a line cut off by a crash mid-write, and
// refuses to start on a corrupt line anywhere else. Internal failures answer -32603; bad params stay -32602.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalnet, rpc } from './helpers.mjs';

const transactions = async (net) => (await rpc(net.rpcUrl, 'getEpochInfo')).result.transactionCount;

async function airdrop(net, lamports = 1_000_000) {
  const to = (await rpc(net.rpcUrl, 'getLatestBlockhash')).result.value.blockhash; // any valid base58 key will do
  const answer = await rpc(net.rpcUrl, 'requestAirdrop', [to, lamports]);
  assert.ok(answer.result, JSON.stringify(answer));
  return answer.result;
}

test('a corrupt line in the middle of history.jsonl refuses the start with a clear message', async () => {
  let net = await startLocalnet();
  const { ledger, port } = net;
  try {
    await airdrop(net);
    await net.stop({ keepLedger: true });
    const file = join(ledger, 'history.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = '{"slot":"1000","tx":"not base64!"}';
    writeFileSync(file, lines.join('\n'));

    await assert.rejects(startLocalnet({ ledger, port }), (e) => {
      assert.match(e.message, /exited 1/);
      assert.match(e.message, /history\.jsonl line 2 is corrupt \(no base64 transaction\); refusing to start/);
      return true;
    });
    net = null;
  } finally {
    if (net) await net.stop();
    rmSync(ledger, { recursive: true, force: true });
  }
});

test('a cut-off last line is left out and cut from the file; a complete one without its newline is replayed', async () => {
  let net = await startLocalnet();
  const { ledger, port } = net;
  try {
    await airdrop(net);
    const count = await transactions(net);
    await net.stop({ keepLedger: true });
    const file = join(ledger, 'history.jsonl');
    const whole = readFileSync(file, 'utf8');
    appendFileSync(file, '{"slot":"1042","tx":"AQID'); // a crash in the middle of the write

    net = await startLocalnet({ ledger, port });
    assert.equal(await transactions(net), count);
    assert.equal(readFileSync(file, 'utf8'), whole, 'the cut-off line is gone from the file');
    const signature = await airdrop(net);
    assert.equal(await transactions(net), count + 1);
    await net.stop({ keepLedger: true });

    // The last entry written in full but for its newline is part of the chain.
    const text = readFileSync(file, 'utf8');
    assert.ok(text.endsWith('\n'));
    writeFileSync(file, text.slice(0, -1));
    net = await startLocalnet({ ledger, port });
    assert.equal(await transactions(net), count + 1);
    assert.equal((await rpc(net.rpcUrl, 'getSignatureStatuses', [[signature]])).result.value[0].err, null);
    assert.ok(readFileSync(file, 'utf8').endsWith('\n'));
  } finally {
    await net.stop();
  }
});

test('an internal failure answers -32603 while bad params still answer -32602', async () => {
  const net = await startLocalnet();
  try {
    const address = net.addresses.mints.io.address;
    assert.equal((await rpc(net.rpcUrl, 'getBlock', ['abc'])).error.code, -32602);
    assert.equal((await rpc(net.rpcUrl, 'getBlockTime', [1.5])).error.code, -32602);
    assert.equal((await rpc(net.rpcUrl, 'getBlocks', [-1])).error.code, -32602);
    assert.equal((await rpc(net.rpcUrl, 'getMinimumBalanceForRentExemption', ['x'])).error.code, -32602);
    assert.equal((await rpc(net.rpcUrl, 'getTransaction', ['1'.repeat(88), 5])).error.code, -32602);
    assert.equal((await rpc(net.rpcUrl, 'getSignaturesForAddress', [address, 'all'])).error.code, -32602);
    assert.ok((await rpc(net.rpcUrl, 'getAccountInfo', [address, null])).result.value, 'a null config is no config');

    // The node cannot write its history any more: its own failure, not the caller's.
    const file = join(net.ledger, 'history.jsonl');
    renameSync(file, `${file}.moved`);
    mkdirSync(file);
    const to = (await rpc(net.rpcUrl, 'getLatestBlockhash')).result.value.blockhash;
    const answer = await rpc(net.rpcUrl, 'requestAirdrop', [to, 1_000]);
    assert.equal(answer.error.code, -32603, JSON.stringify(answer));
    assert.match(answer.error.message, /^Internal error: EISDIR/);
    assert.ok(net.alive());
  } finally {
    await net.stop();
  }
});
