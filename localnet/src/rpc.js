// The Solana JSON-RPC methods, answering in exactly the shapes a real node uses (the recorded responses in tests/Fixtures/rpc).
import { bs58, PublicKey, RpcError, decodeParam, tokenAccount, mintAccount, uiTokenAmount, SYSTEM, TOKEN, TOKEN_2022, MEMO, MEMO_V1, ATA } from './wire.js';
import { MAX_PROCESSING_AGE } from './chain.js';
import { airdrop } from './genesis.js';

// Small bigints become numbers; larger ones stay bigints and are written exactly (wire.js toJson).
const num = (v) => (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

export function createRpc(chain, keys) {
  const context = () => ({ apiVersion: '2.2.0', slot: num(chain.slot) });
  const withContext = (value) => ({ context: context(), value });

  function requireAddress(value) {
    try {
      if (typeof value !== 'string') throw new Error();
      return new PublicKey(value).toBase58();
    } catch {
      throw new RpcError(-32602, `Invalid param: Invalid`);
    }
  }

  /** An optional config object: absent or null is {}; anything else but an object is a bad param. */
  function configOf(value) {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new RpcError(-32602, 'Invalid params: the config must be an object');
    return value;
  }

  /** A slot (or other u64 count) given as a JSON number. */
  function requireSlot(value, what = 'slot') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RpcError(-32602, `Invalid params: ${what} must be a non-negative integer`);
    return BigInt(value);
  }

  function status(record) {
    return { confirmationStatus: 'finalized', confirmations: null, err: record.err, slot: num(record.slot), status: record.err === null ? { Ok: null } : { Err: record.err } };
  }

  function encodeAccount(account, encoding = 'base64') {
    if (!account) return null;
    let data;
    if (encoding === 'base58') data = [bs58.encode(account.data), 'base58'];
    else if (encoding === 'jsonParsed') data = parsedAccount(account) ?? [account.data.toString('base64'), 'base64'];
    else if (encoding === 'base64') data = [account.data.toString('base64'), 'base64'];
    else throw new RpcError(-32602, `Invalid params: unsupported encoding ${encoding}`);
    return { data, executable: account.executable, lamports: num(account.lamports), owner: account.owner, rentEpoch: 18446744073709551615n, space: account.data.length };
  }

  function parsedAccount(account) {
    const program = account.owner === TOKEN_2022 ? 'spl-token-2022' : 'spl-token';
    const token = tokenAccount(account.owner, account.data);
    if (token) {
      const mint = chain.account(token.mint);
      const decimals = mint ? (mintAccount(mint.owner, mint.data)?.decimals ?? 0) : 0;
      const state = account.data[108] === 2 ? 'frozen' : 'initialized';
      return { parsed: { info: { isNative: false, mint: token.mint, owner: token.owner, state, tokenAmount: uiTokenAmount(token.amount, decimals) }, type: 'account' }, program, space: account.data.length };
    }
    const mint = mintAccount(account.owner, account.data);
    if (mint) {
      return { parsed: { info: { decimals: mint.decimals, freezeAuthority: mint.freezeAuthority, isInitialized: true, mintAuthority: mint.mintAuthority, supply: mint.supply.toString() }, type: 'mint' }, program, space: account.data.length };
    }
    return null;
  }

  function compiledInstruction(ix, stackHeight) {
    return { accounts: Array.from(ix.accountKeyIndexes ?? ix.accounts), data: bs58.encode(Buffer.from(ix.data)), programIdIndex: ix.programIdIndex, stackHeight };
  }

  function parsedInstruction(ix, keys, stackHeight) {
    const accounts = Array.from(ix.accountKeyIndexes ?? ix.accounts).map((i) => keys[i]);
    const programId = keys[ix.programIdIndex];
    const data = Buffer.from(ix.data);
    const parsed = parseKnown(programId, accounts, data);
    if (parsed) return { ...parsed, programId, stackHeight };
    return { accounts, data: bs58.encode(data), programId, stackHeight };
  }

  function meta(record, encoding) {
    const innerInstructions = [];
    record.inner.forEach((group, index) => {
      if (group.length === 0) return;
      innerInstructions.push({
        index,
        instructions: group.map((ii) => (encoding === 'jsonParsed' ? parsedInstruction(ii, record.keys.all, ii.stackHeight) : compiledInstruction(ii, ii.stackHeight))),
      });
    });
    const m = {
      computeUnitsConsumed: num(record.computeUnits),
      err: record.err,
      fee: num(record.fee),
      innerInstructions,
    };
    if (encoding !== 'jsonParsed') m.loadedAddresses = { readonly: record.keys.readonly, writable: record.keys.writable };
    Object.assign(m, {
      logMessages: record.logs,
      postBalances: record.post.lamports.map(num),
      postTokenBalances: record.post.tokens,
      preBalances: record.pre.lamports.map(num),
      preTokenBalances: record.pre.tokens,
    });
    if (record.returnData) m.returnData = { data: [record.returnData.data.toString('base64'), 'base64'], programId: record.returnData.programId };
    m.rewards = [];
    m.status = record.err === null ? { Ok: null } : { Err: record.err };
    return m;
  }

  function transactionJson(record, encoding) {
    const tx = record.tx;
    const signatures = tx.signatures.map((s) => bs58.encode(s));
    if (encoding === 'base64') return [record.bytes.toString('base64'), 'base64'];
    if (encoding === 'base58') return [bs58.encode(record.bytes), 'base58'];
    const message = tx.message;
    const lookups = message.addressTableLookups?.map((l) => ({ accountKey: l.accountKey.toBase58(), readonlyIndexes: Array.from(l.readonlyIndexes), writableIndexes: Array.from(l.writableIndexes) }));
    if (encoding === 'jsonParsed') {
      const h = message.header;
      const statics = record.keys.statics.length;
      const accountKeys = record.keys.all.map((pubkey, i) => ({
        pubkey,
        signer: i < h.numRequiredSignatures,
        source: i < statics ? 'transaction' : 'lookupTable',
        writable: i < statics
          ? (i < h.numRequiredSignatures ? i < h.numRequiredSignatures - h.numReadonlySignedAccounts : i < statics - h.numReadonlyUnsignedAccounts)
          : i < statics + record.keys.writable.length,
      }));
      const out = { accountKeys };
      if (lookups) out.addressTableLookups = lookups;
      out.instructions = message.compiledInstructions.map((ix) => parsedInstruction(ix, record.keys.all, null));
      out.recentBlockhash = message.recentBlockhash;
      return { message: out, signatures };
    }
    const out = { accountKeys: record.keys.statics };
    if (lookups) out.addressTableLookups = lookups;
    Object.assign(out, {
      header: message.header,
      instructions: message.compiledInstructions.map((ix) => compiledInstruction(ix, null)),
      recentBlockhash: message.recentBlockhash,
    });
    return { message: out, signatures };
  }

  function transactionResult(record, encoding, maxVersion) {
    const version = record.tx.version === 'legacy' ? 'legacy' : record.tx.version;
    if (version !== 'legacy' && (maxVersion === undefined || maxVersion === null || maxVersion < version)) {
      throw new RpcError(-32015, `Transaction version (${version}) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${version}`);
    }
    const result = { blockTime: record.blockTime, meta: meta(record, encoding), slot: num(record.slot), transaction: transactionJson(record, encoding) };
    if (maxVersion !== undefined && maxVersion !== null) result.version = version;
    return result;
  }

  function preflightError(sim) {
    const returnData = sim.meta.returnData();
    const data = Buffer.from(returnData.data());
    return new RpcError(-32002, `Transaction simulation failed: ${describe(sim.err)}`, {
      accounts: null, err: sim.err, innerInstructions: null, loadedAccountsDataSize: 0, logs: sim.meta.logs(), replacementBlockhash: null,
      returnData: data.length ? { data: [data.toString('base64'), 'base64'], programId: new PublicKey(returnData.programId()).toBase58() } : null,
      unitsConsumed: num(sim.meta.computeUnitsConsumed()),
    });
  }

  const methods = {
    getHealth: () => 'ok',
    getVersion: () => ({ 'feature-set': 3294202862, 'solana-core': '2.2.0' }),
    getSlot: () => num(chain.slot),
    getBlockHeight: () => chain.currentBlock.blockHeight,
    getEpochInfo: () => ({ absoluteSlot: num(chain.slot), blockHeight: chain.currentBlock.blockHeight, epoch: 0, slotIndex: num(chain.slot), slotsInEpoch: 432000, transactionCount: chain.transactions.size }),
    getLatestBlockhash: () => withContext(chain.latestBlockhash()),
    isBlockhashValid: ([blockhash]) => withContext(chain.blockhashSlot(blockhash) !== null),
    getMinimumBalanceForRentExemption: ([size]) => {
      const bytes = requireSlot(size ?? 0, 'data length');
      if (bytes > 10n * 1024n * 1024n) throw new RpcError(-32602, 'Invalid params: data length exceeds 10 MiB');
      return num(chain.svm.minimumBalanceForRentExemption(bytes));
    },
    getFeeForMessage: ([message]) => {
      const bytes = decodeParam(message, 'base64');
      return withContext(bytes.length ? 5000 * (bytes[0] & 0x80 ? bytes[4] : bytes[0]) : null);
    },
    getBalance: ([address]) => withContext(num(chain.balance(requireAddress(address)))),
    getAccountInfo: ([address, config]) => withContext(encodeAccount(chain.account(requireAddress(address)), configOf(config).encoding)),
    getMultipleAccounts: ([addresses, config]) => {
      if (!Array.isArray(addresses) || addresses.length > 100) throw new RpcError(-32602, 'Invalid params: too many inputs provided; max 100');
      const { encoding } = configOf(config);
      return withContext(addresses.map((a) => encodeAccount(chain.account(requireAddress(a)), encoding)));
    },
    getTokenAccountBalance: ([address]) => {
      const account = chain.account(requireAddress(address));
      const token = account && tokenAccount(account.owner, account.data);
      if (!token) throw new RpcError(-32602, 'Invalid param: not a Token account');
      const mint = chain.account(token.mint);
      return withContext(uiTokenAmount(token.amount, mintAccount(mint.owner, mint.data).decimals));
    },
    getTokenSupply: ([address]) => {
      const account = chain.account(requireAddress(address));
      const mint = account && mintAccount(account.owner, account.data);
      if (!mint) throw new RpcError(-32602, 'Invalid param: not a Token mint');
      return withContext(uiTokenAmount(mint.supply, mint.decimals));
    },
    requestAirdrop: ([address, lamports]) => {
      const to = requireAddress(address);
      if (!Number.isSafeInteger(lamports) || lamports <= 0) throw new RpcError(-32602, 'Invalid params: lamports');
      const record = airdrop(chain, keys, to, lamports);
      if (!record.landed || record.err) throw new RpcError(-32600, `airdrop failed: ${JSON.stringify(record.err)}`);
      return record.signature;
    },
    sendTransaction: ([encoded, rawConfig]) => {
      const config = configOf(rawConfig);
      const bytes = decodeParam(encoded, config.encoding);
      if (!config.skipPreflight) {
        const sim = chain.simulate(bytes);
        if (chain.transactions.has(bs58.encode(sim.tx.signatures[0])))
          throw new RpcError(-32002, 'Transaction simulation failed: This transaction has already been processed', { accounts: null, err: 'AlreadyProcessed', logs: [], unitsConsumed: 0, returnData: null });
        if (chain.blockhashSlot(sim.tx.message.recentBlockhash) === null)
          throw new RpcError(-32002, 'Transaction simulation failed: Blockhash not found', { accounts: null, err: 'BlockhashNotFound', logs: [], unitsConsumed: 0, returnData: null });
        if (sim.err === 'SignatureFailure') throw new RpcError(-32003, 'Transaction signature verification failure');
        if (sim.err !== null) throw preflightError(sim);
      }
      const record = chain.execute(bytes);
      // A transaction that cannot land is dropped, as a validator drops it; the caller's confirmation then expires.
      return record.signature;
    },
    simulateTransaction: ([encoded, config]) => {
      const bytes = decodeParam(encoded, configOf(config).encoding);
      const sim = chain.simulate(bytes);
      const returnData = sim.meta.returnData();
      const data = Buffer.from(returnData.data());
      return withContext({
        accounts: null, err: sim.err, innerInstructions: null, loadedAccountsDataSize: 0, logs: sim.meta.logs(), replacementBlockhash: null,
        returnData: data.length ? { data: [data.toString('base64'), 'base64'], programId: new PublicKey(returnData.programId()).toBase58() } : null,
        unitsConsumed: num(sim.meta.computeUnitsConsumed()),
      });
    },
    getSignatureStatuses: ([signatures]) => {
      if (!Array.isArray(signatures) || signatures.length > 256) throw new RpcError(-32602, 'Invalid params: too many inputs provided; max 256');
      return withContext(signatures.map((s) => {
        const record = chain.transactions.get(s);
        return record ? status(record) : null;
      }));
    },
    getTransaction: ([signature, rawConfig]) => {
      const config = typeof rawConfig === 'string' ? { encoding: rawConfig } : configOf(rawConfig);
      const record = chain.transactions.get(signature);
      if (!record) {
        try { if (bs58.decode(signature).length !== 64) throw new Error(); } catch { throw new RpcError(-32602, 'Invalid param: Invalid'); }
        return null;
      }
      return transactionResult(record, config.encoding ?? 'json', config.maxSupportedTransactionVersion);
    },
    getSignaturesForAddress: ([address, rawConfig]) => {
      const config = configOf(rawConfig);
      const list = chain.byAddress.get(requireAddress(address)) ?? [];
      const limit = config.limit ?? 1000;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RpcError(-32602, 'Invalid params: limit must be 1..1000');
      let end = list.length; // exclusive, newest first from end-1 downwards
      if (config.before) {
        const at = list.lastIndexOf(config.before);
        if (at >= 0) end = at;
      }
      const out = [];
      for (let i = end - 1; i >= 0 && out.length < limit; i--) {
        if (config.until && list[i] === config.until) break;
        const record = chain.transactions.get(list[i]);
        out.push({ blockTime: record.blockTime, confirmationStatus: 'finalized', err: record.err, memo: record.memo, signature: record.signature, slot: num(record.slot) });
      }
      return out;
    },
    getBlockTime: ([slot]) => {
      const block = chain.blocks.get(requireSlot(slot));
      if (!block) throw new RpcError(-32004, `Block not available for slot ${slot}`);
      return block.blockTime;
    },
    getBlocks: ([start, end]) => {
      const first = requireSlot(start, 'start slot');
      const wanted = end === undefined || end === null ? chain.slot : requireSlot(end, 'end slot');
      const last = wanted < chain.slot ? wanted : chain.slot;
      if (last - first > 500000n) throw new RpcError(-32602, 'Invalid params: slot range too large; max 500000');
      const out = [];
      for (let s = first; s <= last; s++) if (chain.blocks.has(s)) out.push(num(s));
      return out;
    },
    getBlock: ([slot, rawConfig]) => {
      const config = configOf(rawConfig);
      const block = chain.blocks.get(requireSlot(slot));
      if (!block) throw new RpcError(-32004, `Block not available for slot ${slot}`);
      const encoding = config.encoding ?? 'json';
      const details = config.transactionDetails ?? 'full';
      const result = {
        blockHeight: block.blockHeight, blockTime: block.blockTime, blockhash: block.blockhash, parentSlot: num(block.parentSlot),
        previousBlockhash: chain.blocks.get(block.parentSlot)?.blockhash ?? block.blockhash,
      };
      if (config.rewards !== false) result.rewards = [];
      if (details === 'signatures') result.signatures = [...block.signatures];
      else if (details === 'full') {
        result.transactions = block.signatures.map((s) => {
          const full = transactionResult(chain.transactions.get(s), encoding, config.maxSupportedTransactionVersion);
          const tx = { meta: full.meta, transaction: full.transaction };
          if (full.version !== undefined) tx.version = full.version;
          return tx;
        });
      }
      return result;
    },
  };

  /** One JSON-RPC request object to its response object. */
  function handle(request) {
    const id = request && typeof request === 'object' && 'id' in request ? request.id : null;
    if (!request || typeof request !== 'object' || Array.isArray(request) || request.jsonrpc !== '2.0' || typeof request.method !== 'string') {
      return { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id };
    }
    const method = methods[request.method];
    if (!method) return { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id };
    const params = request.params ?? [];
    if (!Array.isArray(params)) return { jsonrpc: '2.0', error: { code: -32602, message: 'Invalid params: expected an array' }, id };
    try {
      return { jsonrpc: '2.0', result: method(params), id };
    } catch (e) {
      if (e instanceof RpcError) {
        const error = { code: e.code, message: e.message };
        if (e.data !== undefined) error.data = e.data;
        return { jsonrpc: '2.0', error, id };
      }
      // Bad params are refused as RpcError(-32602) where they are read; anything else is the node's own failure.
      return { jsonrpc: '2.0', error: { code: -32603, message: `Internal error: ${e.message}` }, id };
    }
  }

  return { handle, methods, context };
}

function describe(err) {
  if (typeof err === 'string') return err.replace(/([a-z])([A-Z])/g, '$1 $2');
  if (err?.InstructionError) {
    const [index, inner] = err.InstructionError;
    const what = typeof inner === 'string' ? inner.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : inner.Custom !== undefined ? `custom program error: 0x${inner.Custom.toString(16)}` : JSON.stringify(inner);
    return `Error processing Instruction ${index}: ${what}`;
  }
  return JSON.stringify(err);
}

/** jsonParsed for the programs IoNet uses; null for anything else (then partially decoded). */
function parseKnown(programId, accounts, data) {
  try {
    if (programId === MEMO || programId === MEMO_V1) return { parsed: data.toString('utf8'), program: 'spl-memo' };
    if (programId === SYSTEM && data.length >= 4) {
      const tag = data.readUInt32LE(0);
      if (tag === 2) return { parsed: { info: { destination: accounts[1], lamports: Number(data.readBigUInt64LE(4)), source: accounts[0] }, type: 'transfer' }, program: 'system' };
      if (tag === 0) return { parsed: { info: { lamports: Number(data.readBigUInt64LE(4)), newAccount: accounts[1], owner: new PublicKey(data.subarray(20, 52)).toBase58(), source: accounts[0], space: Number(data.readBigUInt64LE(12)) }, type: 'createAccount' }, program: 'system' };
    }
    if (programId === ATA) {
      const type = data.length === 0 || data[0] === 0 ? 'create' : data[0] === 1 ? 'createIdempotent' : null;
      if (type) return { parsed: { info: { account: accounts[1], mint: accounts[3], source: accounts[0], systemProgram: accounts[4], tokenProgram: accounts[5], wallet: accounts[2] }, type }, program: 'spl-associated-token-account' };
    }
    if (programId === TOKEN || programId === TOKEN_2022) {
      const program = programId === TOKEN ? 'spl-token' : 'spl-token-2022';
      const authority = (i) => (accounts.length > i + 1 ? { multisigAuthority: accounts[i], signers: accounts.slice(i + 1) } : { authority: accounts[i] });
      const amount = () => data.readBigUInt64LE(1).toString();
      switch (data[0]) {
        case 3: return { parsed: { info: { amount: amount(), destination: accounts[1], source: accounts[0], ...authority(2) }, type: 'transfer' }, program };
        case 7: return { parsed: { info: { account: accounts[1], amount: amount(), mint: accounts[0], ...mintAuthority(accounts, 2) }, type: 'mintTo' }, program };
        case 8: return { parsed: { info: { account: accounts[0], amount: amount(), mint: accounts[1], ...authority(2) }, type: 'burn' }, program };
        case 12: return { parsed: { info: { destination: accounts[2], mint: accounts[1], source: accounts[0], tokenAmount: uiTokenAmount(data.readBigUInt64LE(1), data[9]), ...authority(3) }, type: 'transferChecked' }, program };
        case 14: return { parsed: { info: { account: accounts[1], mint: accounts[0], tokenAmount: uiTokenAmount(data.readBigUInt64LE(1), data[9]), ...mintAuthority(accounts, 2) }, type: 'mintToChecked' }, program };
        case 15: return { parsed: { info: { account: accounts[0], mint: accounts[1], tokenAmount: uiTokenAmount(data.readBigUInt64LE(1), data[9]), ...authority(2) }, type: 'burnChecked' }, program };
        default: return null;
      }
    }
  } catch {
    return null;
  }
  return null;
}

function mintAuthority(accounts, i) {
  return accounts.length > i + 1 ? { multisigMintAuthority: accounts[i], signers: accounts.slice(i + 1) } : { mintAuthority: accounts[i] };
}

export { MAX_PROCESSING_AGE };
