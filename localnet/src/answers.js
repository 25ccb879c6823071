// Answers about landed transactions never change, so each is serialized once and its bytes kept: serving history is
// then copying bytes, not rebuilding and re-serializing objects. The cache is bounded by a byte budget (oldest entry
// out first), so a long history costs at most the budget; an entry left out is serialized again when asked for.
import { toJson } from './wire.js';

/** JSON already serialized (a list of Buffers), written into a response as it is. */
export class RawJson {
  constructor(parts) {
    this.parts = parts;
  }
}

export class AnswerCache {
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    this.bytes = 0;
    this.entries = new Map(); // key -> Buffer, in insertion order (the oldest first out)
    this.hits = 0;
    this.misses = 0;
  }

  /** The bytes of `key`, from `compute()` (a JSON value, serialized with exact integers) the first time. */
  get(key, compute) {
    let bytes = this.entries.get(key);
    if (bytes !== undefined) {
      this.hits++;
      return bytes;
    }
    this.misses++;
    bytes = Buffer.from(toJson(compute()), 'utf8');
    if (bytes.length <= this.maxBytes) {
      this.entries.set(key, bytes);
      this.bytes += bytes.length;
      for (const [oldest, evicted] of this.entries) {
        if (this.bytes <= this.maxBytes) break;
        this.entries.delete(oldest);
        this.bytes -= evicted.length;
      }
    }
    return bytes;
  }
}

const RESULT_HEAD = Buffer.from('{"jsonrpc":"2.0","result":');
const COMMA = Buffer.from(',');
const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

/** Appends the bytes of one JSON-RPC response object to `out`; a RawJson result is copied, not serialized. */
function responseParts(response, out) {
  if (response.result instanceof RawJson) {
    out.push(RESULT_HEAD, ...response.result.parts, Buffer.from(`,"id":${JSON.stringify(response.id)}}`));
  } else {
    out.push(Buffer.from(toJson(response), 'utf8'));
  }
}

/** The HTTP body for one response object or a batch (array) of them. */
export function responseBody(responses) {
  const out = [];
  if (!Array.isArray(responses)) {
    responseParts(responses, out);
  } else {
    out.push(OPEN);
    responses.forEach((response, i) => {
      if (i > 0) out.push(COMMA);
      responseParts(response, out);
    });
    out.push(CLOSE);
  }
  return Buffer.concat(out);
}

/** A JSON array of already serialized values. */
export function rawArray(items) {
  const parts = [OPEN];
  items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(item);
  });
  parts.push(CLOSE);
  return new RawJson(parts);
}
