// Generates tests/Solana.Tests/Vectors/web3-transactions.json: transactions compiled, signed and serialized by
// @solana/web3.js 1.98.4, for the C# SDK to reproduce byte for byte (issue 3, acceptance 2).
//
//   node scripts/web3-vectors.mjs [OUTPUT]      (default: the committed file)
//
// Everything comes from one fixed seed through a SHA-256 counter-mode generator: no Math.random, no clock, so two
// runs write identical bytes (ed25519 signatures are deterministic too).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const web3 = require('@solana/web3.js');
const { version: web3Version } = require('@solana/web3.js/package.json');
const {
  AddressLookupTableAccount,
  Keypair,
  PublicKey,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
} = web3;

const SEED = 'ionet-web3-vectors-v1';
const CASES = 250;
const PACKET_DATA_SIZE = 1232;

const here = dirname(fileURLToPath(import.meta.url));
const output = resolve(process.argv[2] ?? resolve(here, '../../tests/Solana.Tests/Vectors/web3-transactions.json'));

/** SHA-256(seed ":" counter) blocks, consumed as a byte stream. */
class Rng {
  constructor(seed) {
    this.seed = seed;
    this.counter = 0;
    this.pool = Buffer.alloc(0);
  }

  bytes(n) {
    while (this.pool.length < n) {
      const block = createHash('sha256').update(`${this.seed}:${this.counter++}`).digest();
      this.pool = Buffer.concat([this.pool, block]);
    }
    const out = Buffer.from(this.pool.subarray(0, n));
    this.pool = this.pool.subarray(n);
    return out;
  }

  u32() {
    return this.bytes(4).readUInt32LE(0);
  }

  /** Uniform-enough integer in lo..hi inclusive. */
  int(lo, hi) {
    return lo + (this.u32() % (hi - lo + 1));
  }

  chance(p) {
    return this.u32() / 0x100000000 < p;
  }

  pick(items) {
    return items[this.int(0, items.length - 1)];
  }

  shuffle(items) {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

const WELL_KNOWN = [
  '11111111111111111111111111111111',
  'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
  'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb',
  'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL',
  'ComputeBudget111111111111111111111111111111',
  'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr',
  'SysvarRent111111111111111111111111111111111',
  'SysvarC1ock11111111111111111111111111111111',
].map((a) => new PublicKey(a));

const randomKey = (rng) => new PublicKey(rng.bytes(32));

/** Draws one case; returns undefined when it does not fit a packet (the caller draws again). */
function drawCase(rng, index) {
  const isV0 = rng.chance(0.55);
  const signerCount = rng.int(1, 4);
  const seeds = Array.from({ length: signerCount }, () => rng.bytes(32));
  const signers = seeds.map((s) => Keypair.fromSeed(s));
  const payer = signers[0].publicKey;

  const accounts = Array.from({ length: rng.int(0, 12) }, () => randomKey(rng));
  if (rng.chance(0.3)) accounts.push(rng.pick(WELL_KNOWN));
  const programs = Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.4) ? rng.pick(WELL_KNOWN) : randomKey(rng)));
  const signerKeys = signers.map((s) => s.publicKey);

  const instructionCount = rng.int(1, 10);
  const instructions = [];
  for (let i = 0; i < instructionCount; i++) {
    // Now and then a program id that other instructions also pass as an account.
    const programId = accounts.length > 0 && rng.chance(0.12) ? rng.pick(accounts) : rng.pick(programs);
    const keys = [];
    const keyCount = rng.int(0, 7);
    for (let k = 0; k < keyCount; k++) {
      const roll = rng.int(0, 9);
      if (roll < 2) {
        // A signer key; it may be passed without the signer flag (the flags merge across uses).
        keys.push({ pubkey: rng.pick(signerKeys), isSigner: rng.chance(0.6), isWritable: rng.chance(0.5) });
      } else if (roll < 3) {
        keys.push({ pubkey: rng.pick(programs), isSigner: false, isWritable: rng.chance(0.3) });
      } else if (accounts.length > 0) {
        keys.push({ pubkey: rng.pick(accounts), isSigner: false, isWritable: rng.chance(0.5) });
      }
      // A duplicate of the key just added, with conflicting flags.
      if (keys.length > 0 && rng.chance(0.1)) {
        const last = keys[keys.length - 1];
        keys.push({ pubkey: last.pubkey, isSigner: last.isSigner && rng.chance(0.5), isWritable: !last.isWritable });
      }
    }
    const dataLength = rng.chance(0.15) ? 0 : rng.chance(0.7) ? rng.int(1, 64) : rng.int(65, 200);
    instructions.push(new TransactionInstruction({ programId, keys, data: rng.bytes(dataLength) }));
  }
  // Every signer but the payer must sign somewhere: add a signing use at a random place.
  for (const signer of signerKeys.slice(1)) {
    const ix = rng.pick(instructions);
    ix.keys.splice(rng.int(0, ix.keys.length), 0, { pubkey: signer, isSigner: true, isWritable: rng.chance(0.5) });
  }

  const recentBlockhash = randomKey(rng).toBase58();
  const lookupTables = [];
  if (isV0) {
    const candidates = [...accounts, ...programs, ...signerKeys];
    const tableCount = rng.int(1, 3);
    for (let t = 0; t < tableCount; t++) {
      const addresses = [];
      for (const key of candidates) {
        if (rng.chance(0.45)) addresses.push(key); // found, unless the key is a signer or an invoked program
      }
      const fillers = rng.int(0, 8);
      for (let f = 0; f < fillers; f++) addresses.push(randomKey(rng)); // never used by the message
      if (addresses.length > 0 && rng.chance(0.15)) addresses.push(rng.pick(addresses)); // duplicate within a table
      lookupTables.push(new AddressLookupTableAccount({ key: randomKey(rng), state: lookupState(rng.shuffle(addresses)) }));
    }
  }

  const transactionMessage = new TransactionMessage({ payerKey: payer, recentBlockhash, instructions });
  let message;
  let messageBytes;
  try {
    message = isV0 ? transactionMessage.compileToV0Message(lookupTables) : transactionMessage.compileToLegacyMessage();
    messageBytes = Buffer.from(message.serialize()); // web3.js's buffers overrun on oversize messages
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return undefined;
  }

  // About one case in ten is signed by only some of its signers (the others' slots stay zero).
  let signedBy = signers.map((_, i) => i);
  const partial = signerCount > 1 && rng.chance(0.1);
  if (partial) {
    signedBy = rng.shuffle(signedBy).slice(0, rng.int(1, signerCount - 1)).sort((a, b) => a - b);
  }
  const transaction = new VersionedTransaction(message);
  transaction.sign(signedBy.map((i) => signers[i]));
  const transactionBytes = Buffer.from(transaction.serialize());
  if (transactionBytes.length > PACKET_DATA_SIZE) return undefined;

  return {
    name: `case-${String(index).padStart(3, '0')}`,
    version: isV0 ? 0 : 'legacy',
    signerSeeds: seeds.map((s) => s.toString('hex')),
    signedBy,
    partial,
    payer: payer.toBase58(),
    recentBlockhash,
    instructions: instructions.map((ix) => ({
      programId: ix.programId.toBase58(),
      // [pubkey, isSigner, isWritable]: compact, the file holds thousands of them.
      keys: ix.keys.map((k) => [k.pubkey.toBase58(), k.isSigner, k.isWritable]),
      data: Buffer.from(ix.data).toString('hex'),
    })),
    lookupTables: lookupTables.map((t) => ({ key: t.key.toBase58(), addresses: t.state.addresses.map((a) => a.toBase58()) })),
    message: messageBytes.toString('hex'),
    signatures: transaction.signatures.map(encodeSignature),
    transaction: transactionBytes.toString('base64'),
  };
}

function lookupState(addresses) {
  return { deactivationSlot: BigInt('18446744073709551615'), lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, addresses };
}

// web3.js's own base58 (resolved from its package, as it resolves it).
const bs58 = createRequire(require.resolve('@solana/web3.js'))('bs58');
const encodeSignature = (bytes) => (bs58.default ?? bs58).encode(Buffer.from(bytes));

const rng = new Rng(SEED);
const cases = [];
let redraws = 0;
while (cases.length < CASES) {
  const drawn = drawCase(rng, cases.length);
  if (drawn === undefined) redraws++;
  else cases.push(drawn);
}

const lines = cases.map((c) => '    ' + JSON.stringify(c));
const text = [
  '{',
  `  "generator": "localnet/scripts/web3-vectors.mjs",`,
  `  "web3js": ${JSON.stringify(web3Version)},`,
  `  "seed": ${JSON.stringify(SEED)},`,
  `  "redraws": ${redraws},`,
  '  "cases": [',
  lines.join(',\n'),
  '  ]',
  '}',
  '',
].join('\n');
writeFileSync(output, text);
process.stderr.write(`${cases.length} cases (${redraws} oversize redrawn), ${text.length} bytes -> ${output}\n`);
