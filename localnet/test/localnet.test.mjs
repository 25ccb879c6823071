// localnet against @solana/web3.js's own Connection, and its responses against real recorded node responses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import bs58 from 'bs58';
import { startLocalnet, rpc, loadKeypair, shape, fixture } from './helpers.mjs';

const require = createRequire(import.meta.url);
const web3 = require('@solana/web3.js');
const spl = require('@solana/spl-token');

let net;
let connection;
let payer;
let io;

before(async () => {
  net = await startLocalnet();
  connection = new web3.Connection(net.rpcUrl, { commitment: 'confirmed', wsEndpoint: net.wsUrl });
  payer = web3.Keypair.fromSeed(new Uint8Array(32).fill(42));
  const sig = await connection.requestAirdrop(payer.publicKey, 10 * web3.LAMPORTS_PER_SOL);
  await connection.confirmTransaction(sig);
  io = net.addresses.mints.io;
});

after(async () => {
  connection?._rpcWebSocket?.close();
  await net?.stop();
});

/** Resolves once the node has answered web3.js's subscribe call (web3.js's own confirmTransaction waits the same way). */
function subscribed(clientSubscriptionId) {
  return new Promise((ok) => {
    const off = connection._onSubscriptionStateChange(clientSubscriptionId, (state) => {
      if (state === 'subscribed') { off(); ok(); }
    });
  });
}

/** Resolves at the first slot notification past `slot`: everything the node sent about `slot` has arrived by then. */
async function slotPast(slot) {
  let id;
  await new Promise((ok) => { id = connection.onSlotChange((s) => { if (s.slot > slot) ok(); }); });
  await connection.removeSlotChangeListener(id);
}

async function fundIo(owner, amount) {
  const authority = loadKeypair(web3, io.authority.keypair);
  const mint = new web3.PublicKey(io.address);
  const ata = spl.getAssociatedTokenAddressSync(mint, owner);
  const tx = new web3.Transaction().add(
    spl.createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, ata, owner, mint),
    spl.createMintToCheckedInstruction(mint, ata, authority.publicKey, amount, io.decimals));
  await web3.sendAndConfirmTransaction(connection, tx, [payer, authority]);
  return ata;
}

test('sendAndConfirmTransaction through web3.js lands a transfer and moves the lamports', async () => {
  const to = web3.Keypair.generate().publicKey;
  const before = await connection.getBalance(payer.publicKey);
  const tx = new web3.Transaction().add(web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: 2_000_000 }));
  const sig = await web3.sendAndConfirmTransaction(connection, tx, [payer]);
  assert.equal(await connection.getBalance(to), 2_000_000);
  assert.equal(await connection.getBalance(payer.publicKey), before - 2_000_000 - 5000);
  const status = (await connection.getSignatureStatuses([sig])).value[0];
  assert.equal(status.err, null);
  assert.equal(status.confirmationStatus, 'finalized');
});

test('a Solana Pay TransferChecked with a reference and a memo has the real getTransaction shape', async () => {
  const recipient = web3.Keypair.generate().publicKey;
  const mint = new web3.PublicKey(io.address);
  const source = await fundIo(payer.publicKey, 5_000_000_000n);
  const destination = spl.getAssociatedTokenAddressSync(mint, recipient);
  const reference = web3.Keypair.generate().publicKey;
  const transfer = spl.createTransferCheckedInstruction(source, mint, destination, payer.publicKey, 123_456_789n, io.decimals);
  transfer.keys.push({ pubkey: reference, isSigner: false, isWritable: false });
  const tx = new web3.Transaction().add(
    spl.createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, destination, recipient, mint),
    new web3.TransactionInstruction({ programId: new web3.PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr'), keys: [], data: Buffer.from('order-42') }),
    transfer);
  const sig = await web3.sendAndConfirmTransaction(connection, tx, [payer]);

  const json = (await rpc(net.rpcUrl, 'getTransaction', [sig, { encoding: 'json', maxSupportedTransactionVersion: 0 }])).result;
  const real = fixture('getTransaction-json-v0-swap-loadedAddresses.json');
  // Every field the real v0 response has, we have, with the same JSON types and nesting.
  assert.deepEqual(shape(json.meta.preTokenBalances[0]), shape(real.meta.preTokenBalances[0]));
  assert.deepEqual(Object.keys(json.meta).sort(), Object.keys(real.meta).filter((k) => k !== 'returnData').sort());
  assert.deepEqual(shape(json.transaction.message.instructions[0]), shape(real.transaction.message.instructions[0]));
  assert.deepEqual(shape(json.meta.innerInstructions[0]), shape(real.meta.innerInstructions[0]));
  assert.equal(json.version, 'legacy');
  assert.equal(json.meta.fee, 5000);
  const destIndex = json.transaction.message.accountKeys.indexOf(destination.toBase58());
  const post = json.meta.postTokenBalances.find((b) => b.accountIndex === destIndex);
  assert.equal(post.uiTokenAmount.amount, '123456789');
  assert.equal(post.owner, recipient.toBase58());
  assert.equal(json.meta.preTokenBalances.find((b) => b.accountIndex === destIndex), undefined, 'a new account has no pre balance');

  const parsed = (await rpc(net.rpcUrl, 'getTransaction', [sig, { encoding: 'jsonParsed', maxSupportedTransactionVersion: 0 }])).result;
  const checked = parsed.transaction.message.instructions[2];
  assert.equal(checked.parsed.type, 'transferChecked');
  assert.equal(checked.parsed.info.multisigAuthority, payer.publicKey.toBase58(), 'a reference makes the node show multisigAuthority + signers');
  assert.deepEqual(checked.parsed.info.signers, [reference.toBase58()]);
  assert.equal(parsed.transaction.message.instructions[1].parsed, 'order-42');
  assert.ok(!('loadedAddresses' in parsed.meta), 'jsonParsed leaves loadedAddresses out');

  const found = await connection.getSignaturesForAddress(reference);
  assert.equal(found.length, 1);
  assert.equal(found[0].signature, sig);
  assert.equal(found[0].memo, '[8] order-42');
});

test('a v0 transaction through a lookup table resolves loaded addresses like a real node', async () => {
  const slot = await connection.getSlot();
  const [create, table] = web3.AddressLookupTableProgram.createLookupTable({ authority: payer.publicKey, payer: payer.publicKey, recentSlot: slot });
  const targets = Array.from({ length: 3 }, () => web3.Keypair.generate().publicKey);
  const readonlyKey = web3.Keypair.generate().publicKey;
  const extend = web3.AddressLookupTableProgram.extendLookupTable({ payer: payer.publicKey, authority: payer.publicKey, lookupTable: table, addresses: [...targets, readonlyKey] });
  await web3.sendAndConfirmTransaction(connection, new web3.Transaction().add(create, extend), [payer]);
  await slotPast(await connection.getSlot()); // a table is usable from the slot after its extension
  const lookup = (await connection.getAddressLookupTable(table)).value;
  assert.equal(lookup.state.addresses.length, 4);

  const { blockhash } = await connection.getLatestBlockhash();
  const message = new web3.TransactionMessage({
    payerKey: payer.publicKey, recentBlockhash: blockhash,
    instructions: targets.map((t, i) => {
      const ix = web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: t, lamports: 1_000_000 });
      // The System Program ignores an extra account: it makes a read-only loaded address.
      if (i === 0) ix.keys.push({ pubkey: readonlyKey, isSigner: false, isWritable: false });
      return ix;
    }),
  }).compileToV0Message([lookup]);
  const tx = new web3.VersionedTransaction(message);
  tx.sign([payer]);
  const sig = await connection.sendTransaction(tx);
  await connection.confirmTransaction(sig);

  const legacyClient = await rpc(net.rpcUrl, 'getTransaction', [sig, { encoding: 'json' }]);
  assert.equal(legacyClient.error.code, -32015);
  const json = (await rpc(net.rpcUrl, 'getTransaction', [sig, { encoding: 'json', maxSupportedTransactionVersion: 0 }])).result;
  const real = fixture('getTransaction-json-v0-swap-loadedAddresses.json');
  assert.equal(json.version, 0);
  assert.deepEqual(shape(json.transaction.message.addressTableLookups[0]), shape(real.transaction.message.addressTableLookups[0]));
  assert.deepEqual(shape(json.meta.loadedAddresses), shape(real.meta.loadedAddresses));
  assert.deepEqual(json.meta.loadedAddresses.writable.sort(), targets.map((t) => t.toBase58()).sort());
  assert.deepEqual(json.meta.loadedAddresses.readonly, [readonlyKey.toBase58()]);
  assert.equal(json.meta.preBalances.length, json.transaction.message.accountKeys.length + 4);
  assert.deepEqual(Object.keys(json).sort(), Object.keys(real).sort());
});

test('failing transactions come back with the real errors', async () => {
  const stranger = web3.Keypair.generate();
  const mint = new web3.PublicKey(io.address);
  const ata = await fundIo(payer.publicKey, 1000n);
  // Wrong authority: the stranger signs a mint it has no authority over.
  const mintTx = new web3.Transaction().add(spl.createMintToCheckedInstruction(mint, ata, stranger.publicKey, 5n, io.decimals));
  mintTx.feePayer = payer.publicKey;
  await assert.rejects(web3.sendAndConfirmTransaction(connection, mintTx, [payer, stranger]), (e) => {
    assert.match(e.message, /custom program error: 0x4|owner does not match/i);
    return true;
  });
  // Insufficient funds: transfer more than the balance.
  const other = spl.getAssociatedTokenAddressSync(mint, stranger.publicKey);
  const tx = new web3.Transaction().add(
    spl.createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, other, stranger.publicKey, mint),
    spl.createTransferCheckedInstruction(ata, mint, other, payer.publicKey, 10n ** 18n, io.decimals));
  tx.feePayer = payer.publicKey;
  tx.recentBlockhash = (await connection.getLatestBlockhash()).blockhash;
  tx.sign(payer);
  const response = await rpc(net.rpcUrl, 'sendTransaction', [tx.serialize().toString('base64'), { encoding: 'base64' }]);
  assert.equal(response.error.code, -32002);
  assert.deepEqual(response.error.data.err, { InstructionError: [1, { Custom: 1 }] });
  assert.ok(response.error.data.logs.length > 0);
  // With skipPreflight it lands as failed, and the fee is charged.
  const before = await connection.getBalance(payer.publicKey);
  const sig = (await rpc(net.rpcUrl, 'sendTransaction', [tx.serialize().toString('base64'), { encoding: 'base64', skipPreflight: true }])).result;
  const landed = (await rpc(net.rpcUrl, 'getTransaction', [sig, { maxSupportedTransactionVersion: 0 }])).result;
  assert.deepEqual(landed.meta.err, { InstructionError: [1, { Custom: 1 }] });
  assert.deepEqual(landed.meta.status, { Err: { InstructionError: [1, { Custom: 1 }] } });
  assert.equal(await connection.getBalance(payer.publicKey), before - 5000);
});

test('an expired blockhash is refused as BlockhashNotFound', async () => {
  const tx = new web3.Transaction().add(web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: web3.Keypair.generate().publicKey, lamports: 5_000_000 }));
  tx.feePayer = payer.publicKey;
  tx.recentBlockhash = web3.Keypair.generate().publicKey.toBase58();
  tx.sign(payer);
  const response = await rpc(net.rpcUrl, 'sendTransaction', [tx.serialize().toString('base64'), { encoding: 'base64' }]);
  assert.equal(response.error.code, -32002);
  assert.equal(response.error.data.err, 'BlockhashNotFound');
});

test('getSignaturesForAddress pages newest first with before and until', async () => {
  const target = web3.Keypair.generate().publicKey;
  const sigs = [];
  for (let i = 0; i < 5; i++) {
    const tx = new web3.Transaction().add(web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: target, lamports: 1_000_000 + i }));
    sigs.push(await web3.sendAndConfirmTransaction(connection, tx, [payer]));
  }
  const all = (await connection.getSignaturesForAddress(target)).map((s) => s.signature);
  assert.deepEqual(all, [...sigs].reverse());
  const page = (await connection.getSignaturesForAddress(target, { limit: 2, before: sigs[3] })).map((s) => s.signature);
  assert.deepEqual(page, [sigs[2], sigs[1]]);
  const newer = (await connection.getSignaturesForAddress(target, { until: sigs[1] })).map((s) => s.signature);
  assert.deepEqual(newer, [sigs[4], sigs[3], sigs[2]]);
});

test('subscriptions notify slots, logs that mention an address, and a signature once', async () => {
  const target = web3.Keypair.generate().publicKey;
  const slots = [];
  const slotSub = connection.onSlotChange((s) => slots.push(s.slot));
  const logs = [];
  let logged;
  const firstLog = new Promise((ok) => { logged = ok; });
  const logSub = connection.onLogs(target, (l, context) => { logs.push(l); logged(context.slot); });
  await Promise.all([subscribed(slotSub), subscribed(logSub)]);
  const tx = new web3.Transaction().add(web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: target, lamports: 3_000_000 }));
  const sig = await web3.sendAndConfirmTransaction(connection, tx, [payer]);
  // Past the transaction's slot on the same websocket: a second logs notification for it would have come before. The
  // node notifies subscriptions in the order they were made, so slotSub has that slot too; one slot more makes two.
  await slotPast(await firstLog);
  await slotPast(slots.at(-1));
  await connection.removeSlotChangeListener(slotSub);
  await connection.removeOnLogsListener(logSub);
  assert.ok(slots.length >= 2, `slots seen: ${slots.length}`);
  assert.ok(slots[1] > slots[0]);
  assert.equal(logs.length, 1);
  assert.equal(logs[0].signature, sig);
  assert.equal(logs[0].err, null);
});

test('malformed requests get the JSON-RPC errors', async () => {
  const bad = await fetch(net.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
  assert.equal((await bad.json()).error.code, -32700);
  assert.equal((await rpc(net.rpcUrl, 'noSuchMethod')).error.code, -32601);
  assert.equal((await rpc(net.rpcUrl, 'getBalance', ['not-a-key'])).error.code, -32602);
  assert.equal((await rpc(net.rpcUrl, 'sendTransaction', ['AAAA', { encoding: 'base64' }])).error.code, -32602);
});

test('u64 values are written exactly, as a real node writes them (rentEpoch is u64::MAX)', async () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getAccountInfo', params: [payer.publicKey.toBase58(), { encoding: 'base64' }] });
  const text = await (await fetch(net.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
  assert.match(text, /"rentEpoch":18446744073709551615[,}]/);
  assert.equal(JSON.parse(text).result.value.lamports, await connection.getBalance(payer.publicKey));
});

test('10k mutated transactions never stop the server; what it accepts is canonical and answered with its own signature', async () => {
  const tx = new web3.Transaction().add(web3.SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: web3.Keypair.generate().publicKey, lamports: 1 }));
  tx.feePayer = payer.publicKey;
  tx.recentBlockhash = (await connection.getLatestBlockhash()).blockhash;
  tx.sign(payer);
  const seed = tx.serialize();
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648);
  // The high bits: an LCG's low bits repeat with a short period (the low bit alternates), which tied the mutation
  // kind to skipPreflight.
  const pick = (n) => Math.floor(next() / 65536) % n;
  const batch = [];
  const sent = [];
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < 10_000; i++) {
    const bytes = Buffer.from(seed);
    const kind = pick(4);
    if (kind === 0) bytes[pick(bytes.length)] ^= 1 << pick(8);
    else if (kind === 1) bytes[pick(bytes.length)] = pick(256);
    else if (kind === 2) bytes[pick(70)] = pick(256);
    const mutated = kind === 3 ? bytes.subarray(0, pick(bytes.length)) : bytes;
    sent.push(mutated);
    batch.push({ jsonrpc: '2.0', id: i, method: 'sendTransaction', params: [mutated.toString('base64'), { encoding: 'base64', skipPreflight: pick(2) === 0 }] });
    if (batch.length === 500) {
      const ids = batch.map((r) => r.id);
      const response = await fetch(net.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch.splice(0)) });
      assert.equal(response.status, 200);
      const answers = await response.json();
      assert.deepEqual(answers.map((a) => a.id), ids, 'one answer per call, by id');
      for (const answer of answers) {
        const bytes = sent[answer.id];
        if ('result' in answer) {
          // Accepted: the bytes are a canonical transaction (they re-serialize to themselves) and the answer is its id.
          accepted++;
          const parsed = web3.VersionedTransaction.deserialize(bytes);
          assert.ok(Buffer.from(parsed.serialize()).equals(bytes), `accepted non-canonical bytes ${bytes.toString('hex')}`);
          assert.equal(answer.result, bs58.encode(parsed.signatures[0]));
        } else {
          refused++;
          assert.ok(Number.isInteger(answer.error?.code) && typeof answer.error.message === 'string', JSON.stringify(answer));
        }
      }
    }
  }
  assert.ok(accepted > 1_000 && refused > 1_000, `accepted ${accepted}, refused ${refused}`);
  console.log(`10k mutated transactions: ${accepted} accepted, ${refused} refused`);
  assert.ok(net.alive());
  assert.equal((await rpc(net.rpcUrl, 'getHealth')).result, 'ok');
});
