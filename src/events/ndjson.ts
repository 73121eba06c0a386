// Reading NDJSON and JSON-array bodies into numbered records. Every record, whatever the body's shape, goes
// through parseLine: one size limit, one parse, and a failure rejects that record only, so one bad line
// never costs the good ones.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { LIMITS } from './contract.ts';
import type { FieldError } from './validate.ts';

export interface RawRecord {
  /** 1-based line in a file or NDJSON body, or 0-based index in a JSON array. */
  pos: number;
  value?: unknown;
  /** Set when the record could not even be parsed. */
  error?: FieldError;
  /**
   * Set when nothing in the record can be what the database refuses, so validation need not walk it: its
   * text was decoded from valid UTF-8 and has no `\u` escape (so no string holds NUL or a lone surrogate),
   * and is too short to nest past the depth limit (each level takes two brackets).
   */
  plain?: boolean;
}

/**
 * What is known of a record's text: `text` nothing; `utf8` decoded from valid UTF-8; `unescaped` that, from
 * a body already seen to hold no `\u` escape at all.
 */
export type TextSource = 'text' | 'utf8' | 'unescaped';

const SHALLOW = 2 * LIMITS.depth;

/** One record's text: size-checked before it is parsed. */
export function parseLine(text: string, pos: number, source: TextSource = 'text'): RawRecord {
  const bytes = text.length > LIMITS.record / 4 ? Buffer.byteLength(text) : text.length;
  if (bytes > LIMITS.record) return { pos, error: oversize(bytes) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { pos, error: { field: '(record)', reason: `is not valid JSON: ${(e as Error).message}` } };
  }
  const plain =
    text.length < SHALLOW && (source === 'unescaped' || (source === 'utf8' && !text.includes('\\u')));
  return plain ? { pos, value, plain } : { pos, value };
}

/** The source of the texts within a decoded body: one search of the whole is cheaper than one per line. */
export const sourceOf = (decoded: string): TextSource => (decoded.includes('\\u') ? 'utf8' : 'unescaped');

const oversize = (bytes: number): FieldError => ({
  field: '(record)',
  reason: `is ${bytes} bytes, over the limit of ${LIMITS.record} per event (oversize)`,
});

/**
 * Splits an NDJSON text into records, skipping blank lines; positions are 1-based line numbers from `first`.
 * Returns the line number after the text's last newline.
 */
function linesOfText(body: string, first: number, source: TextSource, out: RawRecord[]): number {
  let start = 0;
  let line = first;
  for (;;) {
    let end = body.indexOf('\n', start);
    const last = end === -1;
    if (last) end = body.length;
    let text = body.slice(start, end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() !== '') out.push(parseLine(text, line, source));
    if (last) return line;
    line++;
    start = end + 1;
  }
}

/** Splits an NDJSON text into records, skipping blank lines; positions are 1-based line numbers. */
export function parseNdjson(body: string): RawRecord[] {
  const out: RawRecord[] = [];
  linesOfText(body, 1, 'text', out);
  return out;
}

// Fatal, so invalid bytes are refused instead of becoming U+FFFD (two ids must not collapse into one). A BOM
// is dropped only at the start of a body or file (bomLength), never in the middle.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { ignoreBOM: true });

/** The text of valid UTF-8 bytes, or undefined. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** 3 when the bytes start with a UTF-8 byte order mark, which is dropped at the start of a body or file. */
export function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** Offset of the first byte that is not valid UTF-8, or -1. Only for messages: linear, but not fast. */
export function firstBadByte(bytes: Uint8Array): number {
  // Everything before the first bad sequence decodes exactly, so byte offsets can be counted from the text;
  // a U+FFFD whose bytes are really EF BF BD was sent as such and is skipped.
  const text = lossy.decode(bytes);
  let from = 0;
  let at = 0;
  for (;;) {
    const i = text.indexOf('\uFFFD', from);
    if (i === -1) return -1;
    at += Buffer.byteLength(text.slice(from, i));
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return at;
    at += 3;
    from = i + 1;
  }
}

/**
 * NDJSON bytes into records, lines numbered from `first`; returns the line number after the last newline.
 * The whole text is decoded at once; only when that fails is it decoded line by line, so a line with invalid
 * UTF-8 is rejected and the others are kept.
 */
function linesOfBytes(bytes: Uint8Array, first: number, out: RawRecord[]): number {
  const text = decodeUtf8(bytes);
  if (text !== undefined) return linesOfText(text, first, sourceOf(text), out);
  let start = 0;
  let line = first;
  for (;;) {
    let end = bytes.indexOf(0x0a, start);
    const last = end === -1;
    if (last) end = bytes.length;
    const raw = bytes.subarray(start, end);
    if (raw.length > LIMITS.record) out.push({ pos: line, error: oversize(raw.length) });
    else {
      const s = decodeUtf8(raw);
      if (s !== undefined) linesOfText(s, line, 'utf8', out);
      else {
        out.push({
          pos: line,
          error: {
            field: '(line)',
            reason: `is not valid UTF-8 (the first bad byte is at offset ${firstBadByte(raw)} of the line)`,
          },
        });
      }
    }
    if (last) return line;
    line++;
    start = end + 1;
  }
}

/** An NDJSON body as bytes into records; positions are 1-based line numbers. */
export function decodeNdjson(bytes: Uint8Array): RawRecord[] {
  const out: RawRecord[] = [];
  linesOfBytes(bytes.subarray(bomLength(bytes)), 1, out);
  return out;
}

/**
 * An NDJSON body as bytes, a part of about `partBytes` at a time (cut after a newline), each into records
 * numbered as in the whole body. The caller stores each part before decoding the next, so a large body is
 * many short pieces of work with other requests served in between, not one long one.
 */
export function* decodeNdjsonParts(bytes: Uint8Array, partBytes = 128 * 1024): Generator<RawRecord[]> {
  let start = bomLength(bytes);
  let line = 1;
  while (start < bytes.length) {
    let end = start + partBytes >= bytes.length ? bytes.length : bytes.indexOf(0x0a, start + partBytes);
    if (end === -1) end = bytes.length;
    const out: RawRecord[] = [];
    line = linesOfBytes(bytes.subarray(start, end), line, out) + (end < bytes.length ? 1 : 0);
    yield out;
    start = end + 1;
  }
}

/** Whether `s[j]` (a quote) is escaped: an odd number of backslashes before it. */
function escaped(s: string, j: number): boolean {
  let k = j - 1;
  while (s.charCodeAt(k) === 0x5c) k--;
  return (j - 1 - k) % 2 === 1;
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The texts of a JSON array's elements, found without parsing them (strings are skipped with indexOf, only
 * brackets outside strings are counted), so each element is measured and parsed on its own like an NDJSON
 * line. Undefined when the array itself is not closed: an unterminated string, a missing `]`, or text after it.
 */
export function splitJsonArray(s: string): string[] | undefined {
  const n = s.length;
  let i = 0;
  while (i < n && isJsonSpace(s.charCodeAt(i))) i++;
  if (s.charCodeAt(i) !== 0x5b) return undefined;
  const out: string[] = [];
  let depth = 0;
  let start = ++i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      let j = s.indexOf('"', i + 1);
      while (j !== -1 && escaped(s, j)) j = s.indexOf('"', j + 1);
      if (j === -1) return undefined;
      i = j;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) depth--;
      else if (c === 0x5d) {
        const last = s.slice(start, i).trim();
        // `[]` has no elements; `[1,]` has an empty second one, which its parse will reject.
        if (last !== '' || out.length > 0) out.push(last);
        for (i++; i < n; i++) if (!isJsonSpace(s.charCodeAt(i))) return undefined;
        return out;
      }
      // A stray `}` at the top belongs to a malformed element; that element's parse says so.
    } else if (c === 0x2c && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  return undefined;
}

export interface LineBatch {
  records: RawRecord[];
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}

/** Streams a file as batches of parsed lines; memory stays flat however large the file is. */
export async function* readNdjsonFile(path: string, batchSize = 5000): AsyncGenerator<LineBatch> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  // Bytes after the last newline read so far: decoding whole lines only keeps a character split between
  // two chunks intact and lets a bad line be found by its bytes.
  let carry: Buffer | undefined;
  // Length so far of a line already known to be oversize: counted, not kept.
  let skipping = -1;
  let line = 1;
  let bytesRead = 0;
  let batch: RawRecord[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = bytesRead === 0 ? chunk.subarray(bomLength(chunk)) : chunk;
    bytesRead += chunk.length;
    if (skipping >= 0) {
      const nl = buf.indexOf(0x0a);
      if (nl === -1) {
        skipping += buf.length;
        continue;
      }
      batch.push({ pos: line++, error: oversize(skipping + nl) });
      skipping = -1;
      buf = buf.subarray(nl + 1);
    }
    if (carry) buf = Buffer.concat([carry, buf]);
    carry = undefined;
    const cut = buf.lastIndexOf(0x0a);
    if (cut !== -1) line = linesOfBytes(buf.subarray(0, cut), line, batch) + 1;
    const rest = buf.subarray(cut + 1);
    if (rest.length > LIMITS.record) skipping = rest.length;
    else if (rest.length > 0) carry = rest;
    while (batch.length >= batchSize) {
      yield { records: batch.slice(0, batchSize), bytesRead };
      batch = batch.slice(batchSize);
    }
  }
  if (skipping >= 0) batch.push({ pos: line, error: oversize(skipping) });
  else if (carry) linesOfBytes(carry, line, batch);
  while (batch.length > 0) {
    yield { records: batch.slice(0, batchSize), bytesRead };
    batch = batch.slice(batchSize);
  }
}

/**
 * Where each line of a file starts: entry k-1 is the byte offset of line k, and one more entry holds the
 * file's length, so line k spans `[starts[k-1], starts[k])`. For reading chosen lines again (readNdjsonLines).
 */
export async function lineStarts(path: string): Promise<Float64Array> {
  let starts = new Float64Array(1 << 16);
  let n = 0;
  let offset = 0;
  const push = (at: number) => {
    if (n === starts.length) {
      const grown = new Float64Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[n++] = at;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (offset === 0) push(bomLength(chunk));
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) push(offset + i + 1);
    offset += chunk.length;
  }
  if (n === 0 || starts[n - 1] !== offset) push(offset);
  return starts.subarray(0, n);
}

/**
 * The records on the given lines (1-based, as readNdjsonFile numbers them), in the order given, each read
 * from the file on its own: a file wanted in another order than its lines' is read again, not held whole.
 */
export function* readNdjsonLines(
  path: string,
  starts: Float64Array,
  lines: ArrayLike<number>,
): Generator<RawRecord> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.alloc(64 * 1024);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const at = starts[line - 1];
      const length = starts[line] - at;
      if (length > buf.length) buf = Buffer.alloc(length);
      const got = readSync(fd, buf, 0, length, at);
      const out: RawRecord[] = [];
      linesOfBytes(buf.subarray(0, got), line, out);
      if (out[0]) yield out[0];
    }
  } finally {
    closeSync(fd);
  }
}
