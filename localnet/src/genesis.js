// IoNet's genesis: keypairs in the ledger dir (Solana CLI format, never committed), the IO / IOSD / USDC mints, the
// escrow vault, rewards treasury and stake vault — all created by real transactions through the same pipeline, so
// they are in the history and replayed like everything else.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { TOKEN } from './wire.js';

const require = createRequire(import.meta.url);
const web3 = require('@solana/web3.js');
const spl = require('@solana/spl-token');
const { Account } = require('litesvm/dist/internal');

const FAUCET_LAMPORTS = 500_000_000n * 1_000_000_000n;
export const MINTS = { io: 8, iosd: 6, usdc: 6 };
const TREASURY_IO = 100_000_000n * 100_000_000n; // 100M IO in base units

const KEY_NAMES = ['faucet', 'io-mint', 'iosd-mint', 'usdc-mint', 'io-mint-authority', 'iosd-mint-authority', 'usdc-mint-authority',
  'escrow-authority', 'treasury-authority', 'stake-authority'];

/** Loads (or creates on first start) the genesis keypairs; deterministic mode derives them from fixed seeds. */
export function loadKeys(ledger, deterministic) {
  const dir = join(ledger, 'keys');
  mkdirSync(dir, { recursive: true });
  const keys = {};
  for (const name of KEY_NAMES) {
    const file = join(dir, `${name}.json`);
    if (!existsSync(file)) {
      const keypair = deterministic
        ? web3.Keypair.fromSeed(createHash('sha256').update(`ionet-localnet:${name}`).digest())
        : web3.Keypair.generate();
      writeFileSync(file, JSON.stringify(Array.from(keypair.secretKey)), { mode: 0o600 });
    }
    keys[name] = { keypair: web3.Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(file, 'utf8')))), file };
  }
  return keys;
}

/** The faucet's lamports exist before any transaction (a validator's genesis accounts). */
export function fundFaucet(chain, keys) {
  chain.svm.setAccount(keys.faucet.keypair.publicKey.toBytes(), new Account(FAUCET_LAMPORTS, new Uint8Array(0), new web3.PublicKey(web3.SystemProgram.programId).toBytes(), false, 0n));
}

function send(chain, instructions, payer, signers) {
  const tx = new web3.Transaction({ feePayer: payer.publicKey, recentBlockhash: chain.latestBlockhash().blockhash }).add(...instructions);
  tx.sign(payer, ...signers.filter((s) => !s.publicKey.equals(payer.publicKey)));
  const record = chain.execute(tx.serialize());
  if (!record.landed || record.err) throw new Error(`genesis transaction failed: ${JSON.stringify(record.err)} ${record.logs ?? ''}`);
  return record.signature;
}

/** Creates the network's accounts with real transactions (first start only; later starts replay them). */
export function createGenesis(chain, keys) {
  const faucet = keys.faucet.keypair;
  const pk = (name) => keys[name].keypair.publicKey;
  const authorities = ['io-mint-authority', 'iosd-mint-authority', 'usdc-mint-authority', 'escrow-authority', 'treasury-authority', 'stake-authority'];
  send(chain, authorities.map((name) => web3.SystemProgram.transfer({ fromPubkey: faucet.publicKey, toPubkey: pk(name), lamports: 100_000_000_000 })), faucet, []);

  const rent = Number(chain.svm.minimumBalanceForRentExemption(82n));
  for (const [mint, decimals] of Object.entries(MINTS)) {
    send(chain, [
      web3.SystemProgram.createAccount({ fromPubkey: faucet.publicKey, newAccountPubkey: pk(`${mint}-mint`), lamports: rent, space: 82, programId: spl.TOKEN_PROGRAM_ID }),
      spl.createInitializeMint2Instruction(pk(`${mint}-mint`), decimals, pk(`${mint}-mint-authority`), null, spl.TOKEN_PROGRAM_ID),
    ], faucet, [keys[`${mint}-mint`].keypair]);
  }

  const vaults = vaultAccounts(keys);
  send(chain, vaults.map((v) => spl.createAssociatedTokenAccountIdempotentInstruction(faucet.publicKey, v.address, v.owner, v.mint)), faucet, []);
  const treasury = vaults.find((v) => v.name === 'treasury.io');
  send(chain, [spl.createMintToCheckedInstruction(pk('io-mint'), treasury.address, pk('io-mint-authority'), TREASURY_IO, MINTS.io)], faucet, [keys['io-mint-authority'].keypair]);
}

function vaultAccounts(keys) {
  const pk = (name) => keys[name].keypair.publicKey;
  const vault = (name, owner, mint) => ({ name, owner: pk(owner), mint: pk(`${mint}-mint`), address: spl.getAssociatedTokenAddressSync(pk(`${mint}-mint`), pk(owner), true) });
  return [
    vault('escrow.iosd', 'escrow-authority', 'iosd'), vault('escrow.io', 'escrow-authority', 'io'), vault('escrow.usdc', 'escrow-authority', 'usdc'),
    vault('treasury.io', 'treasury-authority', 'io'), vault('stake.io', 'stake-authority', 'io'),
  ];
}

/** addresses.json: what the C# side needs to find and sign for the network's accounts. */
export function addressesDocument(keys, { rpcUrl, websocketUrl }) {
  const entry = (name) => ({ address: keys[name].keypair.publicKey.toBase58(), keypair: keys[name].file });
  const mint = (name) => ({
    address: keys[`${name}-mint`].keypair.publicKey.toBase58(), decimals: MINTS[name], tokenProgram: TOKEN,
    authority: entry(`${name}-mint-authority`),
  });
  const vaults = Object.fromEntries(vaultAccounts(keys).map((v) => [v.name, v.address.toBase58()]));
  return {
    rpcUrl, websocketUrl,
    mints: { io: mint('io'), iosd: mint('iosd'), usdc: mint('usdc') },
    authorities: { faucet: entry('faucet'), escrow: entry('escrow-authority'), treasury: entry('treasury-authority'), stake: entry('stake-authority') },
    vaults: {
      escrow: { iosd: vaults['escrow.iosd'], io: vaults['escrow.io'], usdc: vaults['escrow.usdc'] },
      treasury: { io: vaults['treasury.io'] },
      stake: { io: vaults['stake.io'] },
    },
  };
}

/** requestAirdrop: a real transfer from the faucet, recorded like any transaction. */
export function airdrop(chain, keys, to, lamports) {
  const faucet = keys.faucet.keypair;
  const tx = new web3.Transaction({ feePayer: faucet.publicKey, recentBlockhash: chain.latestBlockhash().blockhash })
    .add(web3.SystemProgram.transfer({ fromPubkey: faucet.publicKey, toPubkey: new web3.PublicKey(to), lamports: BigInt(lamports) }));
  // A nonce-free way to make repeated identical airdrops distinct: a memo with a counter.
  tx.add(new web3.TransactionInstruction({ programId: new web3.PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr'), keys: [], data: Buffer.from(`airdrop ${chain.transactions.size}`) }));
  tx.sign(faucet);
  return chain.execute(tx.serialize());
}
