// Generates Anchor Borsh vectors with @coral-xyz/anchor 0.32.1 (BorshCoder, BorshEventCoder, BorshAccountsCoder)
// for the C# coder in Programs.Client/Anchor. Deterministic: a fixed seed and its own PRNG (no Date, no Math.random).
//
//   node scripts/anchor-vectors.mjs [out.json]   (default ../tests/Programs.Client.Tests/Vectors/anchor-generated.json)
//
// JSON conventions of "value": integers up to 32 bits are numbers, 64 bits and wider are decimal strings, f32/f64
// are numbers or "NaN"/"Infinity"/"-Infinity", bytes are base64, pubkeys base58, option none is null, enums are
// {"Variant": {...}} and tuple fields are "0", "1", ... (as anchor's coder decodes them).
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import anchor from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";

const { BorshCoder, BN } = anchor;

export const SEED = 0x10_4e_7a_2c;

// ------------------------------------------------------------------ PRNG (xorshift32)

function prng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  return {
    u32: next,
    int: (n) => next() % n,
    pick: (xs) => xs[next() % xs.length],
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => next() & 0xff)),
    bigBits: (bits) => {
      let v = 0n;
      for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(next());
      return v & ((1n << BigInt(bits)) - 1n);
    },
  };
}

// ------------------------------------------------------------------ IDLs

const disc = (preimage) => [...createHash("sha256").update(preimage).digest().subarray(0, 8)];
// Program ids for the test IDLs: any 32 bytes will do; these are sha256 of a label.
const testAddress = (label) => new PublicKey(createHash("sha256").update(label).digest()).toBase58();

export const currentIdl = {
  address: testAddress("ionet:anchor-vectors:current"),
  metadata: { name: "vectors", version: "0.1.0", spec: "0.1.0", description: "every IDL type (test IDL)" },
  instructions: [
    {
      name: "do_everything",
      discriminator: disc("global:do_everything"),
      accounts: [
        { name: "payer", writable: true, signer: true },
        { name: "state", writable: true, pda: { seeds: [{ kind: "const", value: [115, 116] }] } },
        { name: "group", accounts: [{ name: "inner_a" }, { name: "inner_b", writable: true, optional: true }] },
        { name: "system_program", address: "11111111111111111111111111111111" },
      ],
      args: [
        { name: "all", type: { defined: { name: "Everything" } } },
        { name: "note", type: { option: "string" } },
      ],
    },
    {
      name: "set_shape",
      discriminator: disc("global:set_shape"),
      accounts: [{ name: "state", writable: true }],
      args: [
        { name: "shape", type: { defined: { name: "Shape" } } },
        { name: "amount", type: { defined: { name: "Amount" } } },
        { name: "wrapped", type: { defined: { name: "Wrapper", generics: [{ kind: "type", type: "u16" }, { kind: "const", value: "3" }] } } },
      ],
    },
    { name: "ping", discriminator: disc("global:ping"), accounts: [], args: [] },
    { name: "custom_disc", discriminator: [250, 1], accounts: [], args: [{ name: "x", type: "i8" }] },
  ],
  accounts: [
    { name: "Vault", discriminator: disc("account:Vault") },
    { name: "Registry", discriminator: disc("account:Registry") },
  ],
  events: [
    { name: "Everything", discriminator: disc("event:Everything") },
    { name: "ShapeChanged", discriminator: disc("event:ShapeChanged") },
  ],
  errors: [{ code: 6000, name: "Broken", msg: "it broke" }],
  types: [
    {
      name: "Everything",
      type: {
        kind: "struct",
        fields: [
          { name: "flag", type: "bool" },
          { name: "a_u8", type: "u8" }, { name: "a_i8", type: "i8" },
          { name: "a_u16", type: "u16" }, { name: "a_i16", type: "i16" },
          { name: "a_u32", type: "u32" }, { name: "a_i32", type: "i32" },
          { name: "a_u64", type: "u64" }, { name: "a_i64", type: "i64" },
          { name: "a_u128", type: "u128" }, { name: "a_i128", type: "i128" },
          { name: "a_f32", type: "f32" }, { name: "a_f64", type: "f64" },
          { name: "text", type: "string" },
          { name: "blob", type: "bytes" },
          { name: "key", type: "pubkey" },
          { name: "maybe", type: { option: "u64" } },
          { name: "list", type: { vec: "string" } },
          { name: "triple", type: { array: ["i16", 3] } },
          { name: "matrix", type: { array: [{ array: ["u8", 2] }, 2] } },
          { name: "inner", type: { defined: { name: "Inner" } } },
          { name: "pair", type: { defined: { name: "Pair" } } },
          { name: "empty", type: { defined: { name: "Empty" } } },
          { name: "shapes", type: { vec: { defined: { name: "Shape" } } } },
          { name: "pairs", type: { option: { vec: { defined: { name: "Pair" } } } } },
          { name: "amount", type: { defined: { name: "Amount" } } },
        ],
      },
    },
    {
      name: "Inner",
      type: { kind: "struct", fields: [{ name: "a", type: "u8" }, { name: "b", type: "string" }, { name: "c", type: { option: "pubkey" } }] },
    },
    { name: "Pair", type: { kind: "struct", fields: ["u16", "i64"] } },
    { name: "Empty", type: { kind: "struct" } },
    {
      name: "Shape",
      type: {
        kind: "enum",
        variants: [
          { name: "Nothing" },
          { name: "Circle", fields: [{ name: "radius", type: "f64" }] },
          { name: "Rect", fields: ["u32", "u32"] },
          { name: "Nested", fields: [{ name: "inner", type: { defined: { name: "Inner" } } }, { name: "pair", type: { defined: { name: "Pair" } } }] },
          { name: "Tagged", fields: [{ vec: "u8" }, { option: "bool" }] },
        ],
      },
    },
    { name: "Amount", type: { kind: "type", alias: "u64" } },
    {
      name: "Wrapper",
      generics: [{ kind: "type", name: "T" }, { kind: "const", name: "N", type: "usize" }],
      type: { kind: "struct", fields: [{ name: "value", type: { generic: "T" } }, { name: "arr", type: { array: ["u8", { generic: "N" }] } }] },
    },
    {
      name: "Vault",
      type: {
        kind: "struct",
        fields: [
          { name: "owner", type: "pubkey" }, { name: "bump", type: "u8" }, { name: "balance", type: "u64" },
          { name: "shape", type: { defined: { name: "Shape" } } },
        ],
      },
    },
    {
      name: "Registry",
      type: { kind: "struct", fields: [{ name: "entries", type: { vec: { defined: { name: "Inner" } } } }, { name: "total", type: "u128" }] },
    },
    {
      name: "ShapeChanged",
      type: { kind: "struct", fields: [{ name: "old", type: { defined: { name: "Shape" } } }, { name: "new", type: { defined: { name: "Shape" } } }, { name: "at", type: "i64" }] },
    },
  ],
  constants: [{ name: "MAX", type: "u64", value: "100" }],
};

// A legacy (pre-0.30) IDL: camelCase instruction names, isMut/isSigner, publicKey, defined strings, inline events.
export const legacyIdl = {
  version: "0.1.0",
  name: "legacy_demo",
  instructions: [
    {
      name: "initializeVault",
      accounts: [
        { name: "authority", isMut: true, isSigner: true },
        { name: "nested", accounts: [{ name: "vault", isMut: true, isSigner: false }, { name: "rent", isMut: false, isSigner: false }] },
      ],
      args: [{ name: "bumpSeed", type: "u8" }, { name: "owner", type: "publicKey" }, { name: "config", type: { defined: "Config" } }],
    },
    { name: "setHTTPServerV2", accounts: [], args: [{ name: "mode", type: { defined: "Mode" } }, { name: "limits", type: { array: ["u32", 2] } }] },
    { name: "closeAll", accounts: [{ name: "authority", isMut: false, isSigner: true }], args: [] },
  ],
  accounts: [
    {
      name: "VaultState",
      type: {
        kind: "struct",
        fields: [{ name: "owner", type: "publicKey" }, { name: "balances", type: { vec: "u64" } }, { name: "mode", type: { defined: "Mode" } }],
      },
    },
  ],
  types: [
    {
      name: "Config",
      type: { kind: "struct", fields: [{ name: "maxUsers", type: { option: "u32" } }, { name: "label", type: "string" }, { name: "feeBps", type: "i16" }] },
    },
    {
      name: "Mode",
      type: {
        kind: "enum",
        variants: [{ name: "Off" }, { name: "On", fields: [{ name: "level", type: "u8" }] }, { name: "Custom", fields: ["string", "i32"] }],
      },
    },
  ],
  events: [
    {
      name: "VaultOpened",
      fields: [
        { name: "vault", type: "publicKey", index: false },
        { name: "amount", type: "u64", index: false },
        { name: "mode", type: { defined: "Mode" }, index: true },
      ],
    },
  ],
  errors: [{ code: 6000, name: "Nope", msg: "nope" }],
  metadata: { address: testAddress("ionet:anchor-vectors:legacy") },
};

// Anchor's snake_case of the legacy instruction names, written out by hand (not computed) to check the C# rule.
export const legacySnakeNames = { initializeVault: "initialize_vault", setHTTPServerV2: "set_http_server_v2", closeAll: "close_all" };

// anchor 0.32.1 only reads the 0.30 format, so the legacy IDL is converted the way `anchor idl convert` does it
// (names kept as they are, so the decoded values keep the legacy field names).
function convertLegacy(idl) {
  const ty = (t) => {
    if (t === "publicKey") return "pubkey";
    if (typeof t === "string") return t;
    if (t.defined !== undefined) return { defined: { name: t.defined } };
    if (t.option !== undefined) return { option: ty(t.option) };
    if (t.vec !== undefined) return { vec: ty(t.vec) };
    if (t.array !== undefined) return { array: [ty(t.array[0]), t.array[1]] };
    throw new Error("unknown legacy type " + JSON.stringify(t));
  };
  const fields = (fs) => fs && fs.map((f) => (typeof f === "object" && f.name !== undefined ? { name: f.name, type: ty(f.type) } : ty(f)));
  const typeDef = (t) => ({
    name: t.name,
    type: t.type.kind === "struct"
      ? { kind: "struct", fields: fields(t.type.fields) }
      : { kind: "enum", variants: t.type.variants.map((v) => (v.fields ? { name: v.name, fields: fields(v.fields) } : { name: v.name })) },
  });
  const accountItem = (a) => (a.accounts ? { name: a.name, accounts: a.accounts.map(accountItem) } : { name: a.name, writable: a.isMut, signer: a.isSigner });
  return {
    address: idl.metadata.address,
    metadata: { name: idl.name, version: idl.version, spec: "0.1.0" },
    instructions: idl.instructions.map((ix) => ({
      name: ix.name,
      discriminator: disc("global:" + legacySnakeNames[ix.name]),
      accounts: ix.accounts.map(accountItem),
      args: ix.args.map((a) => ({ name: a.name, type: ty(a.type) })),
    })),
    accounts: idl.accounts.map((a) => ({ name: a.name, discriminator: disc("account:" + a.name) })),
    events: idl.events.map((e) => ({ name: e.name, discriminator: disc("event:" + e.name) })),
    types: [
      ...idl.types.map(typeDef),
      ...idl.accounts.map(typeDef),
      ...idl.events.map((e) => ({ name: e.name, type: { kind: "struct", fields: fields(e.fields) } })),
    ],
  };
}

// ------------------------------------------------------------------ values

const INT = {
  u8: [8, false], i8: [8, true], u16: [16, false], i16: [16, true], u32: [32, false], i32: [32, true],
  u64: [64, false], i64: [64, true], u128: [128, false], i128: [128, true],
};
const STRINGS = ["", "a", "héllo wörld", "日本語テキスト", "emoji 🚀✓", "tab\t\"quoted\"\n\\", "host offline ✓", "Ω≈ç√∫"];
const F32S = [0, 1, -1.5, 0.1, 3.4028234663852886e38, -1.1754943508222875e-38, 1.401298464324817e-45, NaN, Infinity, -Infinity];
const F64S = [0, 1, -2.25, 0.1, 1e300, -5e-324, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, NaN, Infinity, -Infinity];

// A value as anchor wants it for encoding, and as JSON under the conventions above.
function gen(rng, type, idl, generics = {}) {
  if (typeof type === "string") {
    if (type in INT) {
      const [bits, signed] = INT[type];
      const B = BigInt(bits);
      const min = signed ? -(1n << (B - 1n)) : 0n;
      const max = signed ? (1n << (B - 1n)) - 1n : (1n << B) - 1n;
      const edge = [min, max, 0n, 1n, max - 1n, signed ? -1n : 2n];
      let v = rng.int(3) === 0 ? rng.bigBits(bits) + min : rng.pick(edge);
      if (v > max) v = max;
      return bits <= 32 ? { js: Number(v), json: Number(v) } : { js: new BN(v.toString()), json: v.toString() };
    }
    switch (type) {
      case "bool": { const b = rng.int(2) === 1; return { js: b, json: b }; }
      case "f32": {
        const f = rng.int(3) === 0 ? Math.fround((rng.u32() - 2 ** 31) / 977) : rng.pick(F32S);
        return { js: f, json: floatJson(f) };
      }
      case "f64": {
        const f = rng.int(3) === 0 ? (rng.u32() - 2 ** 31) / 7 + rng.u32() / 2 ** 32 : rng.pick(F64S);
        return { js: f, json: floatJson(f) };
      }
      case "string": {
        const s = rng.int(4) === 0 ? String.fromCharCode(...rng.bytes(rng.int(12)).map((b) => 32 + (b % 95))) : rng.pick(STRINGS);
        return { js: s, json: s };
      }
      case "bytes": { const b = rng.bytes(rng.int(20)); return { js: b, json: b.toString("base64") }; }
      case "pubkey": { const k = new PublicKey(rng.bytes(32)); return { js: k, json: k.toBase58() }; }
    }
    throw new Error("unknown type " + type);
  }
  if (type.option !== undefined) return rng.int(3) === 0 ? { js: null, json: null } : gen(rng, type.option, idl, generics);
  if (type.vec !== undefined) return list(rng, rng.int(4), type.vec, idl, generics);
  if (type.array !== undefined) {
    const n = typeof type.array[1] === "number" ? type.array[1] : Number(generics[type.array[1].generic]);
    return list(rng, n, type.array[0], idl, generics);
  }
  if (type.generic !== undefined) return gen(rng, generics[type.generic], idl, {});
  if (type.defined !== undefined) {
    const def = idl.types.find((t) => t.name === type.defined.name);
    const args = {};
    (def.generics ?? []).forEach((g, i) => {
      const a = type.defined.generics[i];
      args[g.name] = a.kind === "type" ? a.type : a.value;
    });
    return genDef(rng, def, idl, args);
  }
  throw new Error("unknown type " + JSON.stringify(type));
}

function list(rng, n, inner, idl, generics) {
  const items = Array.from({ length: n }, () => gen(rng, inner, idl, generics));
  return { js: items.map((i) => i.js), json: items.map((i) => i.json) };
}

function genFields(rng, fields, idl, generics) {
  const js = {}, json = {};
  (fields ?? []).forEach((f, i) => {
    const named = typeof f === "object" && f.name !== undefined;
    const v = gen(rng, named ? f.type : f, idl, generics);
    js[named ? f.name : String(i)] = v.js;
    json[named ? f.name : String(i)] = v.json;
  });
  return { js, json };
}

function genDef(rng, def, idl, generics) {
  if (def.type.kind === "struct") return genFields(rng, def.type.fields, idl, generics);
  if (def.type.kind === "type") return gen(rng, def.type.alias, idl, generics);
  const variant = def.type.variants[rng.int(def.type.variants.length)];
  const v = genFields(rng, variant.fields, idl, generics);
  return { js: { [variant.name]: v.js }, json: { [variant.name]: v.json } };
}

function floatJson(f) {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "Infinity";
  if (f === -Infinity) return "-Infinity";
  return f;
}

// What anchor decoded, under the JSON conventions (type-blind: BN is 64 bits or wider, numbers are 32 bits or less).
function normalize(v) {
  if (v === null || v === undefined) return null;
  if (BN.isBN(v)) return v.toString();
  if (v instanceof PublicKey) return v.toBase58();
  if (Buffer.isBuffer(v)) return v.toString("base64");
  if (typeof v === "number") return floatJson(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

function same(a, b, what) {
  const x = JSON.stringify(a), y = JSON.stringify(b);
  if (x !== y) throw new Error(`${what}: anchor decoded ${x}, generated ${y}`);
}

// ------------------------------------------------------------------ vectors

export async function generate() {
  const rng = prng(SEED);
  const vectors = [];
  const sets = [
    { idlName: "current", idl: currentIdl },
    { idlName: "legacy", idl: convertLegacy(legacyIdl) },
  ];
  for (const { idlName, idl } of sets) {
    const coder = new BorshCoder(idl);
    for (const ix of idl.instructions) {
      for (let i = 0; i < (ix.args.length === 0 ? 1 : 6); i++) {
        const v = genFields(rng, ix.args, idl, {});
        const data = coder.instruction.encode(ix.name, v.js);
        const decoded = coder.instruction.decode(data);
        if (decoded.name !== ix.name) throw new Error(`instruction ${ix.name} decoded as ${decoded.name}`);
        same(normalize(decoded.data), v.json, ix.name);
        vectors.push({ idl: idlName, kind: "instruction", name: ix.name, hex: data.toString("hex"), value: v.json });
      }
    }
    for (const ev of idl.events) {
      const def = idl.types.find((t) => t.name === ev.name);
      for (let i = 0; i < 6; i++) {
        const v = genDef(rng, def, idl, {});
        const data = Buffer.concat([Buffer.from(ev.discriminator), coder.types.encode(ev.name, v.js)]);
        const decoded = coder.events.decode(data.toString("base64"));
        if (decoded?.name !== ev.name) throw new Error(`event ${ev.name} did not decode`);
        same(normalize(decoded.data), v.json, ev.name);
        vectors.push({ idl: idlName, kind: "event", name: ev.name, hex: data.toString("hex"), logLine: "Program data: " + data.toString("base64"), value: v.json });
      }
    }
    for (const acc of idl.accounts) {
      const def = idl.types.find((t) => t.name === acc.name);
      for (let i = 0; i < 6; i++) {
        const v = genDef(rng, def, idl, {});
        const data = await coder.accounts.encode(acc.name, v.js);
        same(normalize(coder.accounts.decode(acc.name, data)), v.json, acc.name);
        vectors.push({ idl: idlName, kind: "account", name: acc.name, hex: data.toString("hex"), value: v.json });
      }
    }
  }
  return {
    generator: "@coral-xyz/anchor 0.32.1 BorshCoder / BorshEventCoder / BorshAccountsCoder via localnet/scripts/anchor-vectors.mjs",
    seed: SEED,
    conventions: "u8..u32/i8..i32 numbers; u64..i128 decimal strings; f32/f64 numbers or NaN/Infinity/-Infinity strings; bytes base64; pubkey base58; option none null; enum {Variant:{...}}; tuple fields \"0\",\"1\"",
    idls: { current: currentIdl, legacy: legacyIdl },
    legacySnakeNames,
    vectors,
  };
}

export function render(doc) {
  return JSON.stringify(doc, null, 1) + "\n";
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const defaultOut = path.resolve(here, "../../tests/Programs.Client.Tests/Vectors/anchor-generated.json");

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? defaultOut;
  const doc = await generate();
  writeFileSync(out, render(doc));
  console.log(`wrote ${doc.vectors.length} vectors to ${out}`);
}
