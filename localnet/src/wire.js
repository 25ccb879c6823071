// Transaction bytes: parsed and re-serialized BEFORE anything reaches the native VM (malformed bytes make it panic
// and kill the process), plus the helpers that turn accounts and metadata into the JSON a real node sends.
import { createRequire } from 'node:module';
import bs58lib from './bs58.js';

const require = createRequire(import.meta.url);
const web3 = require('@solana/web3.js');

export const { PublicKey, VersionedTransaction, VersionedMessage } = web3;
export const bs58 = bs58lib;

export const SYSTEM = '11111111111111111111111111111111';
export const TOKEN = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
export const TOKEN_2022 = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
export const ATA = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';
export const MEMO = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr';
export const MEMO_V1 = 'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo';
export const COMPUTE_BUDGET = 'ComputeBudget111111111111111111111111111111';
export const ALT = 'AddressLookupTab1e1111111111111111111111111';

/** Thrown for a request a real node would refuse; carries the JSON-RPC error code. */
export class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/** Decodes and validates a wire transaction; anything that does not round-trip is refused with the node's error. */
export function parseTransaction(bytes) {
  let tx;
  try {
    if (bytes.length > 1232) throw new Error(`transaction too large: ${bytes.length} bytes`);
    tx = VersionedTransaction.deserialize(bytes);
    const again = Buffer.from(tx.serialize());
    if (!again.equals(Buffer.from(bytes))) throw new Error('trailing or non-canonical bytes');
    const header = tx.message.header;
    if (tx.signatures.length !== header.numRequiredSignatures) throw new Error('signature count does not match the header');
    if (header.numReadonlySignedAccounts >= header.numRequiredSignatures) throw new Error('no writable fee payer');
    const statics = tx.message.staticAccountKeys.length;
    if (header.numRequiredSignatures + header.numReadonlyUnsignedAccounts > statics) throw new Error('header exceeds the account keys');
    const lookups = tx.message.addressTableLookups ?? [];
    const total = statics + lookups.reduce((n, l) => n + l.writableIndexes.length + l.readonlyIndexes.length, 0);
    for (const ix of tx.message.compiledInstructions) {
      if (ix.programIdIndex === 0 || ix.programIdIndex >= statics) throw new Error('invalid program id index');
      for (const a of ix.accountKeyIndexes) if (a >= total) throw new Error('invalid account index');
    }
  } catch (e) {
    throw new RpcError(-32602, `failed to deserialize solana_sdk::transaction::versioned::VersionedTransaction: ${e.message}`);
  }
  return tx;
}

export function decodeParam(encoded, encoding) {
  if (typeof encoded !== 'string') throw new RpcError(-32602, 'Invalid params: transaction must be a string');
  if (encoding === 'base64') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new RpcError(-32602, 'invalid base64 encoding: InvalidByte');
    return Buffer.from(encoded, 'base64');
  }
  if (encoding && encoding !== 'base58') throw new RpcError(-32602, `Invalid params: unsupported encoding: ${encoding}`);
  try {
    return Buffer.from(bs58.decode(encoded));
  } catch {
    throw new RpcError(-32602, 'invalid base58 encoding: InvalidCharacter');
  }
}

const INSTRUCTION_ERRORS = ['GenericError', 'InvalidArgument', 'InvalidInstructionData', 'InvalidAccountData', 'AccountDataTooSmall',
  'InsufficientFunds', 'IncorrectProgramId', 'MissingRequiredSignature', 'AccountAlreadyInitialized', 'UninitializedAccount',
  'UnbalancedInstruction', 'ModifiedProgramId', 'ExternalAccountLamportSpend', 'ExternalAccountDataModified', 'ReadonlyLamportChange',
  'ReadonlyDataModified', 'DuplicateAccountIndex', 'ExecutableModified', 'RentEpochModified', 'NotEnoughAccountKeys',
  'AccountDataSizeChanged', 'AccountNotExecutable', 'AccountBorrowFailed', 'AccountBorrowOutstanding', 'DuplicateAccountOutOfSync',
  'InvalidError', 'ExecutableDataModified', 'ExecutableLamportChange', 'ExecutableAccountNotRentExempt', 'UnsupportedProgramId',
  'CallDepth', 'MissingAccount', 'ReentrancyNotAllowed', 'MaxSeedLengthExceeded', 'InvalidSeeds', 'InvalidRealloc',
  'ComputationalBudgetExceeded', 'PrivilegeEscalation', 'ProgramEnvironmentSetupFailure', 'ProgramFailedToComplete',
  'ProgramFailedToCompile', 'Immutable', 'IncorrectAuthority', 'AccountNotRentExempt', 'InvalidAccountOwner', 'ArithmeticOverflow',
  'UnsupportedSysvar', 'IllegalOwner', 'MaxAccountsDataAllocationsExceeded', 'MaxAccountsExceeded', 'MaxInstructionTraceLengthExceeded',
  'BuiltinProgramsMustConsumeComputeUnits', 'BorshIoError'];

export const TRANSACTION_ERRORS = ['AccountInUse', 'AccountLoadedTwice', 'AccountNotFound', 'ProgramAccountNotFound',
  'InsufficientFundsForFee', 'InvalidAccountForFee', 'AlreadyProcessed', 'BlockhashNotFound', 'CallChainTooDeep',
  'MissingSignatureForFee', 'InvalidAccountIndex', 'SignatureFailure', 'InvalidProgramForExecution', 'SanitizeFailure',
  'ClusterMaintenance', 'AccountBorrowOutstanding', 'WouldExceedMaxBlockCostLimit', 'UnsupportedVersion', 'InvalidWritableAccount',
  'WouldExceedMaxAccountCostLimit', 'WouldExceedAccountDataBlockLimit', 'TooManyAccountLocks', 'AddressLookupTableNotFound',
  'InvalidAddressLookupTableOwner', 'InvalidAddressLookupTableData', 'InvalidAddressLookupTableIndex', 'InvalidRentPayingAccount',
  'WouldExceedMaxVoteCostLimit', 'WouldExceedAccountDataTotalLimit', 'MaxLoadedAccountsDataSizeExceeded', 'ResanitizationNeeded',
  'InvalidLoadedAccountsDataSizeLimit', 'UnbalancedTransaction', 'ProgramCacheHitMaxLimit', 'CommitCancelled'];

/** LiteSVM's error objects in the JSON form a real node uses, e.g. {"InstructionError":[0,{"Custom":1}]}. */
export function errorJson(err) {
  if (err === null || err === undefined) return null;
  if (typeof err === 'number') return TRANSACTION_ERRORS[err] ?? `Unknown(${err})`;
  const name = err.constructor?.name;
  if (name === 'TransactionErrorInstructionError') {
    const inner = err.err();
    let e;
    if (typeof inner === 'number') e = INSTRUCTION_ERRORS[inner] ?? `Unknown(${inner})`;
    else if (inner?.constructor?.name === 'InstructionErrorCustom') e = { Custom: inner.code };
    else if (inner?.msg !== undefined) e = { BorshIoError: inner.msg };
    else e = String(inner);
    return { InstructionError: [err.index, e] };
  }
  if (name === 'TransactionErrorInsufficientFundsForRent') return { InsufficientFundsForRent: { account_index: err.accountIndex } };
  if (name === 'TransactionErrorDuplicateInstruction') return { DuplicateInstruction: err.index };
  if (name === 'TransactionErrorProgramExecutionTemporarilyRestricted') return { ProgramExecutionTemporarilyRestricted: { account_index: err.accountIndex } };
  return String(err);
}

/** Errors after which a real node never records the transaction (no fee, not in a block). */
export function landed(errJson) {
  return errJson === null || typeof errJson === 'object';
}

/** A token account's mint, owner and amount, or null when the data is not an initialized SPL token account. */
export function tokenAccount(owner, data) {
  if ((owner !== TOKEN && owner !== TOKEN_2022) || data.length < 165) return null;
  if (data.length > 165 && data[165] !== 2) return null; // Token-2022: account type byte must say "account"
  if (data[108] === 0) return null; // state: uninitialized
  return {
    mint: new PublicKey(data.subarray(0, 32)).toBase58(),
    owner: new PublicKey(data.subarray(32, 64)).toBase58(),
    amount: data.readBigUInt64LE(64),
    programId: owner,
  };
}

/** A mint's supply and decimals, or null when the data is not an initialized mint. */
export function mintAccount(owner, data) {
  if ((owner !== TOKEN && owner !== TOKEN_2022) || data.length < 82) return null;
  if (data.length !== 82 && !(data.length > 165 && data[165] === 1)) return null;
  if (data[45] !== 1) return null;
  return {
    supply: data.readBigUInt64LE(36),
    decimals: data[44],
    mintAuthority: data.readUInt32LE(0) === 1 ? new PublicKey(data.subarray(4, 36)).toBase58() : null,
    freezeAuthority: data.readUInt32LE(46) === 1 ? new PublicKey(data.subarray(50, 82)).toBase58() : null,
  };
}

/** uiTokenAmount exactly as the node formats it (uiAmount is null for zero). */
export function uiTokenAmount(amount, decimals) {
  const text = amount.toString().padStart(decimals + 1, '0');
  const whole = decimals === 0 ? text : text.slice(0, -decimals);
  const fraction = decimals === 0 ? '' : text.slice(-decimals).replace(/0+$/, '');
  const uiAmountString = fraction ? `${whole}.${fraction}` : whole;
  return { amount: amount.toString(), decimals, uiAmount: amount === 0n ? null : Number(uiAmountString), uiAmountString };
}

// JSON with exact integers: a bigint is written as its digits (JSON numbers are arbitrary precision; a real node
// writes u64 values such as rentEpoch 18446744073709551615 that a JavaScript Number cannot hold).
const BIG = `\u0000bigint${Math.random().toString(36).slice(2)}:`;
export function toJson(value) {
  const text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? BIG + v.toString() : v));
  return text.replaceAll(new RegExp(`"\\\\u0000${BIG.slice(1, -1)}:(-?\\d+)"`, 'g'), '$1');
}
