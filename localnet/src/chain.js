// The chain: LiteSVM executes every transaction for real; this class adds what a validator has and LiteSVM has
// not — slots and blocks, a window of recent blockhashes, fees and balances read before and after, an index by
// address, and an append-only history that is replayed at start so that a restart keeps the chain.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync, renameSync, mkdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { bs58, PublicKey, errorJson, landed, tokenAccount, mintAccount, uiTokenAmount, parseTransaction, RpcError, MEMO, MEMO_V1, COMPUTE_BUDGET, ALT } from './wire.js';

const require = createRequire(import.meta.url);
const { LiteSvm, Clock } = require('litesvm/dist/internal');

export const MAX_PROCESSING_AGE = 150;
const GENESIS_SLOT = 1000n;
const LAMPORTS_PER_SIGNATURE = 5000n;

export class Chain {
  constructor({ ledger, deterministic = false, blockTimeMs = 400 }) {
    this.ledger = ledger;
    this.blockTimeMs = blockTimeMs;
    mkdirSync(ledger, { recursive: true });
    this.historyFile = join(ledger, 'history.jsonl');
    this.slotFile = join(ledger, 'slot');
    const infoFile = join(ledger, 'ledger.json');
    if (existsSync(infoFile)) {
      this.info = JSON.parse(readFileSync(infoFile, 'utf8'));
    } else {
      this.info = {
        seed: deterministic ? 'ionet-deterministic' : createHash('sha256').update(String(process.hrtime.bigint()) + Math.random()).digest('hex'),
        startUnix: deterministic ? 1767225600 : Math.floor(Date.now() / 1000),
        deterministic,
      };
      writeFileSync(infoFile, JSON.stringify(this.info, null, 2));
    }
    this.svm = new LiteSvm();
    this.svm.setBlockhashCheck(false); // we keep our own window of 150 recent blockhashes, as a validator does
    this.svm.setTransactionHistory(0n);
    this.svm.withNativeMints(); // wrapped SOL mints for Token and Token-2022, as on a real cluster
    this.slot = GENESIS_SLOT;
    this.blocks = new Map(); // slot -> { blockhash, parentSlot, blockHeight, blockTime, signatures: [] }
    this.transactions = new Map(); // signature -> record
    this.byAddress = new Map(); // address -> [signature] in landing order
    this.listeners = { slot: [], transaction: [] };
    this.slotHashObjects = [];
    this.openBlock(this.slot);
  }

  // ---------- slots, blocks, blockhashes ----------

  blockhashOf(slot) {
    return bs58.encode(createHash('sha256').update(`${this.info.seed}:blockhash:${slot}`).digest());
  }

  blockTimeOf(slot) {
    return this.info.startUnix + Math.floor(Number(slot - GENESIS_SLOT) * this.blockTimeMs / 1000);
  }

  openBlock(slot) {
    const block = {
      slot, parentSlot: slot === GENESIS_SLOT ? slot : slot - 1n, blockHeight: Number(slot - GENESIS_SLOT),
      blockhash: this.blockhashOf(slot), blockTime: this.blockTimeOf(slot), signatures: [],
    };
    this.blocks.set(slot, block);
    this.svm.warpToSlot(slot);
    this.svm.setClock(new Clock(slot, BigInt(this.info.startUnix), 0n, 1n, BigInt(block.blockTime)));
    this.updateSlotHashes();
    return block;
  }

  /** SlotHashes lists recent slots (newest first); lookup-table creation checks its recent slot against it. */
  updateSlotHashes() {
    const count = Math.min(MAX_PROCESSING_AGE, Number(this.slot - GENESIS_SLOT) + 1);
    while (this.slotHashObjects.length < count) this.slotHashObjects.push(this.svm.getSlotHashes()[0]);
    for (let i = 0; i < count; i++) {
      const slot = this.slot - BigInt(i);
      this.slotHashObjects[i].slot = slot;
      this.slotHashObjects[i].hash = this.blockhashOf(slot);
    }
    this.svm.setSlotHashes(this.slotHashObjects.slice(0, count));
  }

  get currentBlock() {
    return this.blocks.get(this.slot);
  }

  advanceSlot() {
    this.slot += 1n;
    const block = this.openBlock(this.slot);
    // The last slot reached, so that a restart (even kill -9) never goes back in time. Written aside and renamed
    // over: writeFileSync truncates first, and a kill between truncate and write left an empty file (read as 0).
    writeFileSync(`${this.slotFile}.new`, this.slot.toString());
    renameSync(`${this.slotFile}.new`, this.slotFile);
    for (const listener of this.listeners.slot) listener(block);
    return block;
  }

  latestBlockhash() {
    const block = this.currentBlock;
    return { blockhash: block.blockhash, lastValidBlockHeight: block.blockHeight + MAX_PROCESSING_AGE };
  }

  /** The slot of a blockhash still in the window, or null. */
  blockhashSlot(blockhash) {
    for (let i = 0n; i <= BigInt(MAX_PROCESSING_AGE) && this.slot - i >= GENESIS_SLOT; i++) {
      if (this.blocks.get(this.slot - i)?.blockhash === blockhash) return this.slot - i;
    }
    return null;
  }

  // ---------- accounts ----------

  account(address) {
    const key = typeof address === 'string' ? new PublicKey(address).toBytes() : address;
    const account = this.svm.getAccount(key);
    if (account === null) return null;
    return {
      lamports: account.lamports(), data: Buffer.from(account.data()), owner: new PublicKey(account.owner()).toBase58(),
      executable: account.executable(), rentEpoch: account.rentEpoch(),
    };
  }

  balance(address) {
    return this.svm.getBalance(new PublicKey(address).toBytes()) ?? 0n;
  }

  /** All account keys of a transaction: static, then loaded writable, then loaded read-only (from lookup tables). */
  resolveKeys(tx) {
    const statics = tx.message.staticAccountKeys.map((k) => k.toBase58());
    const writable = [];
    const readonly = [];
    for (const lookup of tx.message.addressTableLookups ?? []) {
      const table = this.account(lookup.accountKey.toBase58());
      if (!table || table.owner !== ALT) throw new RpcError(-32002, 'Transaction simulation failed: Transaction loads an address table account that doesn\'t exist', { err: 'AddressLookupTableNotFound' });
      const addresses = [];
      for (let offset = 56; offset + 32 <= table.data.length; offset += 32) addresses.push(new PublicKey(table.data.subarray(offset, offset + 32)).toBase58());
      for (const i of lookup.writableIndexes) {
        if (i >= addresses.length) throw new RpcError(-32002, 'Transaction simulation failed: Transaction address table lookup uses an invalid index', { err: 'InvalidAddressLookupTableIndex' });
        writable.push(addresses[i]);
      }
      for (const i of lookup.readonlyIndexes) {
        if (i >= addresses.length) throw new RpcError(-32002, 'Transaction simulation failed: Transaction address table lookup uses an invalid index', { err: 'InvalidAddressLookupTableIndex' });
        readonly.push(addresses[i]);
      }
    }
    return { statics, writable, readonly, all: [...statics, ...writable, ...readonly] };
  }

  snapshot(keys) {
    const lamports = [];
    const tokens = [];
    keys.forEach((key, index) => {
      const account = this.account(key);
      lamports.push(account ? account.lamports : 0n);
      const token = account ? tokenAccount(account.owner, account.data) : null;
      if (token) {
        const mint = this.account(token.mint);
        const decimals = mint ? (mintAccount(mint.owner, mint.data)?.decimals ?? 0) : 0;
        tokens.push({ accountIndex: index, mint: token.mint, owner: token.owner, programId: token.programId, uiTokenAmount: uiTokenAmount(token.amount, decimals) });
      }
    });
    return { lamports, tokens };
  }

  /** The fee a validator charges: 5000 lamports per signature plus the compute-unit price times the unit limit. */
  fee(tx, keys) {
    let fee = LAMPORTS_PER_SIGNATURE * BigInt(tx.signatures.length);
    let price = 0n;
    let limit = null;
    let instructions = 0;
    for (const ix of tx.message.compiledInstructions) {
      const program = keys.all[ix.programIdIndex];
      if (program === COMPUTE_BUDGET) {
        const data = Buffer.from(ix.data);
        if (data[0] === 2 && data.length >= 5) limit = BigInt(data.readUInt32LE(1));
        if (data[0] === 3 && data.length >= 9) price = data.readBigUInt64LE(1);
      } else {
        instructions++;
      }
    }
    if (price > 0n) {
      const units = limit ?? BigInt(Math.min(1_400_000, 200_000 * instructions));
      fee += (price * units + 999_999n) / 1_000_000n;
    }
    return fee;
  }

  // ---------- execution ----------

  /** Runs a transaction without committing it. */
  simulate(bytes) {
    const tx = parseTransaction(bytes);
    const keys = this.resolveKeys(tx);
    const versioned = tx.version !== 'legacy';
    const result = versioned ? this.svm.simulateVersionedTransaction(bytes) : this.svm.simulateLegacyTransaction(bytes);
    const failed = result.constructor.name === 'FailedTransactionMetadata';
    const meta = result.meta();
    return { tx, keys, err: failed ? errorJson(result.err()) : null, meta };
  }

  /**
   * Executes and records a transaction in the current slot. Returns its record; a transaction that fails before
   * landing (bad blockhash, fee payer cannot pay, duplicate) is not recorded and comes back with `landed: false`.
   */
  execute(bytes, { fromHistory = false } = {}) {
    const tx = parseTransaction(bytes);
    const signature = bs58.encode(tx.signatures[0]);
    if (this.transactions.has(signature)) return { landed: false, err: 'AlreadyProcessed', signature };
    if (!fromHistory && this.blockhashSlot(tx.message.recentBlockhash) === null) return { landed: false, err: 'BlockhashNotFound', signature };
    const keys = this.resolveKeys(tx);
    const pre = this.snapshot(keys.all);
    const versioned = tx.version !== 'legacy';
    const result = versioned ? this.svm.sendVersionedTransaction(bytes) : this.svm.sendLegacyTransaction(bytes);
    const failed = result.constructor.name === 'FailedTransactionMetadata';
    const err = failed ? errorJson(result.err()) : null;
    if (!landed(err)) return { landed: false, err, signature, logs: result.meta().logs() };
    const meta = failed ? result.meta() : result;
    const post = this.snapshot(keys.all);
    const block = this.currentBlock;
    const record = {
      signature, slot: block.slot, blockTime: block.blockTime, bytes: Buffer.from(bytes), tx, keys, err,
      fee: this.fee(tx, keys), pre, post,
      logs: meta.logs(),
      computeUnits: meta.computeUnitsConsumed(),
      inner: meta.innerInstructions().map((group) => group.map((ii) => {
        const compiled = ii.instruction();
        return { programIdIndex: compiled.programIdIndex(), accounts: Array.from(compiled.accounts()), data: Buffer.from(compiled.data()), stackHeight: ii.stackHeight() };
      })),
      returnData: (() => {
        const rd = meta.returnData();
        const data = Buffer.from(rd.data());
        return data.length ? { programId: new PublicKey(rd.programId()).toBase58(), data } : null;
      })(),
      memo: memoText(tx, keys),
      landed: true,
    };
    this.transactions.set(signature, record);
    block.signatures.push(signature);
    for (const key of new Set(keys.all)) {
      let list = this.byAddress.get(key);
      if (!list) this.byAddress.set(key, (list = []));
      list.push(signature);
    }
    if (!fromHistory) this.record({ slot: block.slot.toString(), tx: Buffer.from(bytes).toString('base64') });
    for (const listener of this.listeners.transaction) listener(record);
    return record;
  }

  // ---------- history ----------

  record(entry) {
    appendFileSync(this.historyFile, JSON.stringify(entry) + '\n');
  }

  /**
   * Replays the history file: same transactions in the same slots give the same state and signatures. Only a cut-off
   * last line (a crash in the middle of its write: no newline after it) is left out, and cut from the file so that
   * the next entry starts on a line of its own; a corrupt line anywhere else refuses the start, since replaying
   * around it would make a different chain.
   */
  replay() {
    if (!existsSync(this.historyFile)) return 0;
    const text = readFileSync(this.historyFile, 'utf8');
    const lines = text.split('\n');
    const tail = lines.pop(); // '' when the file ends with a newline, else the last line, cut off or not
    let count = 0;
    const apply = (entry) => {
      const slot = BigInt(entry.slot);
      if (slot > this.slot) {
        // Empty slots in between are not rebuilt: they read as skipped slots, as on a real cluster.
        this.slot = slot;
        this.openBlock(slot);
      }
      this.execute(Buffer.from(entry.tx, 'base64'), { fromHistory: true });
      count++;
    };
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const entry = historyEntry(line);
      if (typeof entry === 'string') {
        throw new Error(`${this.historyFile} line ${i + 1} is corrupt (${entry}); refusing to start, as replaying around it would make another chain. `
          + 'Restore the file, or start on a new --ledger.');
      }
      apply(entry);
    });
    if (tail.trim()) {
      const entry = historyEntry(tail);
      if (typeof entry === 'string') {
        // Cut by a crash mid-write: that transaction never got its reply either.
        truncateSync(this.historyFile, Buffer.byteLength(text) - Buffer.byteLength(tail));
        console.error(`localnet: left out the cut-off last line ${lines.length + 1} of ${this.historyFile} (${entry})`);
      } else {
        apply(entry);
        appendFileSync(this.historyFile, '\n'); // complete but for its newline
      }
    }
    // Continue after the last slot reached before the stop, never reusing it.
    const saved = existsSync(this.slotFile) ? BigInt(readFileSync(this.slotFile, 'utf8').trim() || '0') : 0n;
    if (saved > this.slot) this.slot = saved;
    this.advanceSlot();
    return count;
  }

  hasHistory() {
    return existsSync(this.historyFile) && readFileSync(this.historyFile, 'utf8').trim().length > 0;
  }
}

/** A history line as its entry ({ slot: decimal string, tx: base64 }), or why it is not one. */
function historyEntry(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch (e) {
    return `not JSON: ${e.message}`;
  }
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return 'not an object';
  if (typeof entry.slot !== 'string' || !/^[0-9]{1,20}$/.test(entry.slot)) return 'no decimal slot';
  if (typeof entry.tx !== 'string' || !entry.tx || !/^[A-Za-z0-9+/]*={0,2}$/.test(entry.tx)) return 'no base64 transaction';
  return entry;
}

/** getSignaturesForAddress's memo: each memo as "[<byte length>] <text>", joined by "; " (null when none). */
function memoText(tx, keys) {
  const memos = [];
  for (const ix of tx.message.compiledInstructions) {
    const program = keys.all[ix.programIdIndex];
    if (program === MEMO || program === MEMO_V1) {
      const text = Buffer.from(ix.data).toString('utf8');
      memos.push(`[${Buffer.byteLength(text)}] ${text}`);
    }
  }
  return memos.length ? memos.join('; ') : null;
}
