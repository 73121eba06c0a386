// Reading NDJSON and JSON-array bodies into numbered records. Parse failures become rejections of that
// line only, so one bad line never costs the good ones.
import { createReadStream } from 'node:fs';
import { LIMITS } from './contract.ts';
import type { FieldError } from './validate.ts';

export interface RawRecord {
  /** 1-based line in a file or NDJSON body, or 0-based index in a JSON array. */
  pos: number;
  value?: unknown;
  /** Set when the record could not even be parsed. */
  error?: FieldError;
}

export function parseLine(text: string, pos: number): RawRecord {
  const bytes = text.length > LIMITS.record / 4 ? Buffer.byteLength(text) : text.length;
  if (bytes > LIMITS.record) {
    return {
      pos,
      error: {
        field: '(record)',
        reason: `is ${bytes} bytes, over the limit of ${LIMITS.record} per event (oversize)`,
      },
    };
  }
  try {
    return { pos, value: JSON.parse(text) };
  } catch (e) {
    return { pos, error: { field: '(record)', reason: `is not valid JSON: ${(e as Error).message}` } };
  }
}

/** Splits an NDJSON text into records, skipping blank lines; positions are 1-based line numbers. */
export function parseNdjson(body: string): RawRecord[] {
  const out: RawRecord[] = [];
  let start = 0;
  let line = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    line++;
    let text = body.slice(start, end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() !== '') out.push(parseLine(text, line));
    start = end + 1;
  }
  return out;
}

export interface LineBatch {
  records: RawRecord[];
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}

/** Streams a file as batches of parsed lines; memory stays flat however large the file is. */
export async function* readNdjsonFile(path: string, batchSize = 5000): AsyncGenerator<LineBatch> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let carry = '';
  let line = 0;
  let bytesRead = 0;
  let batch: RawRecord[] = [];
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end === -1) break;
      line++;
      let s = text.slice(start, end);
      if (s.endsWith('\r')) s = s.slice(0, -1);
      if (s.trim() !== '') batch.push(parseLine(s, line));
      start = end + 1;
      if (batch.length >= batchSize) {
        yield { records: batch, bytesRead };
        batch = [];
      }
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.trim() !== '') batch.push(parseLine(carry.endsWith('\r') ? carry.slice(0, -1) : carry, line + 1));
  if (batch.length > 0) yield { records: batch, bytesRead };
}
