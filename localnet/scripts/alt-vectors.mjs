// Generates tests/Programs.Client.Tests/Vectors/alt-instructions.json: Address Lookup Table instructions built by
// @solana/web3.js 1.98.4's AddressLookupTableProgram, for Programs.Client/AddressLookupTable to reproduce byte for
// byte, and lookup table account data laid out as the program stores it.
//
//   node scripts/alt-vectors.mjs [OUTPUT]      (default: the committed file)
//
// Inputs are fixed: keys are SHA-256 of fixed labels, slots are constants. No Math.random, no clock.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { AddressLookupTableProgram, PublicKey } = require('@solana/web3.js');
const { version: web3Version } = require('@solana/web3.js/package.json');

const here = dirname(fileURLToPath(import.meta.url));
const output = resolve(process.argv[2] ?? resolve(here, '../../tests/Programs.Client.Tests/Vectors/alt-instructions.json'));

const key = (label) => new PublicKey(createHash('sha256').update(`ionet-alt-vectors-v1:${label}`).digest());

const instruction = (ix) => ({
  programId: ix.programId.toBase58(),
  keys: ix.keys.map((k) => ({ pubkey: k.pubkey.toBase58(), isSigner: k.isSigner, isWritable: k.isWritable })),
  data: Buffer.from(ix.data).toString('hex'),
});

const cases = [];
const slots = [0n, 1n, 1000n, 123456789n, 2n ** 32n + 7n, 2n ** 63n - 1n];
for (let i = 0; i < slots.length; i++) {
  const authority = key(`authority-${i}`);
  const payer = i % 2 === 0 ? authority : key(`payer-${i}`);
  const [ix, address] = AddressLookupTableProgram.createLookupTable({ authority, payer, recentSlot: slots[i] });
  const bump = Buffer.from(ix.data)[12];
  cases.push({ kind: 'create', authority: authority.toBase58(), payer: payer.toBase58(), recentSlot: slots[i].toString(), address: address.toBase58(), bump, instruction: instruction(ix) });
}
for (const [i, count] of [0, 1, 3, 20, 30].entries()) {
  const lookupTable = key(`table-${i}`);
  const authority = key(`authority-x${i}`);
  const addresses = Array.from({ length: count }, (_, j) => key(`address-${i}-${j}`));
  const withPayer = i % 2 === 1;
  const payer = withPayer ? key(`payer-x${i}`) : undefined;
  const ix = AddressLookupTableProgram.extendLookupTable({ lookupTable, authority, payer, addresses });
  cases.push({ kind: 'extend', lookupTable: lookupTable.toBase58(), authority: authority.toBase58(), payer: payer?.toBase58() ?? null, addresses: addresses.map((a) => a.toBase58()), instruction: instruction(ix) });
}
{
  const lookupTable = key('table-f');
  const authority = key('authority-f');
  const recipient = key('recipient-f');
  cases.push({ kind: 'freeze', lookupTable: lookupTable.toBase58(), authority: authority.toBase58(), instruction: instruction(AddressLookupTableProgram.freezeLookupTable({ lookupTable, authority })) });
  cases.push({ kind: 'deactivate', lookupTable: lookupTable.toBase58(), authority: authority.toBase58(), instruction: instruction(AddressLookupTableProgram.deactivateLookupTable({ lookupTable, authority })) });
  cases.push({ kind: 'close', lookupTable: lookupTable.toBase58(), authority: authority.toBase58(), recipient: recipient.toBase58(), instruction: instruction(AddressLookupTableProgram.closeLookupTable({ lookupTable, authority, recipient })) });
}

// Account data: web3.js only decodes it (AddressLookupTableAccount.deserialize), so the bytes are laid out here
// as the program stores them and the vector records what web3.js reads back.
const { AddressLookupTableAccount } = require('@solana/web3.js');
const accounts = [];
for (const [i, { count, deactivation, authority }] of [
  { count: 0, deactivation: 2n ** 64n - 1n, authority: true },
  { count: 2, deactivation: 2n ** 64n - 1n, authority: true },
  { count: 5, deactivation: 4321n, authority: false },
].entries()) {
  const header = Buffer.alloc(56);
  header.writeUInt32LE(1, 0);
  header.writeBigUInt64LE(deactivation, 4);
  header.writeBigUInt64LE(1000n + BigInt(i), 12);
  header.writeUInt8(i, 20);
  if (authority) {
    header.writeUInt8(1, 21);
    key(`account-authority-${i}`).toBuffer().copy(header, 22);
  }
  const addresses = Array.from({ length: count }, (_, j) => key(`account-${i}-${j}`));
  const data = Buffer.concat([header, ...addresses.map((a) => a.toBuffer())]);
  const state = AddressLookupTableAccount.deserialize(data);
  accounts.push({
    data: data.toString('hex'),
    deactivationSlot: state.deactivationSlot.toString(),
    lastExtendedSlot: state.lastExtendedSlot.toString(),
    lastExtendedSlotStartIndex: state.lastExtendedSlotStartIndex,
    authority: state.authority?.toBase58() ?? null,
    addresses: state.addresses.map((a) => a.toBase58()),
  });
}

const doc = { generator: `@solana/web3.js ${web3Version} AddressLookupTableProgram`, cases, accounts };
writeFileSync(output, JSON.stringify(doc, null, 2) + '\n');
console.log(`wrote ${cases.length} instruction cases and ${accounts.length} accounts to ${output}`);
