// What an intake body may be on the wire, and how it becomes records: UTF-8 only, optionally compressed with
// gzip, deflate or br (decompressed as it streams in, never past the body limit), JSON array, one JSON
// object or NDJSON.
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError } from '../platform/errors.ts';
import {
  bomLength,
  decodeNdjsonParts,
  decodeUtf8,
  firstBadByte,
  parseLine,
  type RawRecord,
  sourceOf,
  splitJsonArray,
} from './ndjson.ts';

export type Coding = 'gzip' | 'deflate' | 'br';

const CODINGS: Record<string, Coding | null> = {
  identity: null,
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
};

/** The body's content coding from its Content-Encoding header (null: none); 415 for any other. */
export function codingOf(header: string | undefined): Coding | null {
  if (header === undefined || header.trim() === '') return null;
  const coding = CODINGS[header.trim().toLowerCase()];
  if (coding !== undefined) return coding;
  throw new AppError('unsupported_media_type', {
    en: `Content-Encoding ${header} is not supported; send the body uncompressed or with one of gzip, deflate or br.`,
    zh: `不支持 Content-Encoding ${header}；请发送未压缩的请求体，或只用 gzip、deflate、br 其中一种压缩。`,
  });
}

/** Refuses (415) a Content-Type naming a charset other than UTF-8: the body would be misread. */
export function requireUtf8(contentType: string | undefined): void {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '');
  if (!m || /^utf-?8$/i.test(m[1])) return;
  throw new AppError('unsupported_media_type', {
    en: `Charset ${m[1]} is not supported; events are read as UTF-8 only (send charset=utf-8, or no charset).`,
    zh: `不支持字符集 ${m[1]}；事件只按 UTF-8 读取（请使用 charset=utf-8，或不写字符集）。`,
  });
}

/** A payload stream as Fastify reads it after a preParsing hook: it compares this with Content-Length. */
export type DecodedPayload = Readable & { receivedEncodedLength: number };

const tooLarge = (limit: number) =>
  new AppError('payload_too_large', {
    en: `The body is larger than the limit of ${limit} bytes once decompressed; send smaller batches.`,
    zh: `请求体解压后超过了 ${limit} 字节的上限；请分批发送。`,
  });

/**
 * The decompressed body as a stream. Both the compressed and the decompressed bytes are counted against
 * `limit` as they flow, so a small body that inflates hugely stops at the limit (413) and nothing is buffered
 * past it; a corrupt body is a 400.
 */
export function decompress(raw: Readable, coding: Coding, limit: number): DecodedPayload {
  const inflate =
    coding === 'gzip' ? createGunzip() : coding === 'deflate' ? createInflate() : createBrotliDecompress();
  let decoded = 0;
  const out = new Transform({
    transform(chunk: Buffer, _enc, done) {
      decoded += chunk.length;
      if (decoded > limit) done(tooLarge(limit));
      else done(null, chunk);
    },
  }) as Transform & DecodedPayload;
  out.receivedEncodedLength = 0;
  const onRaw = (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
    if (out.receivedEncodedLength > limit) out.destroy(tooLarge(limit));
  };
  const onRawError = (e: Error) => out.destroy(e);
  raw.on('data', onRaw);
  raw.on('error', onRawError);
  inflate.on('error', (e) => {
    out.destroy(
      new AppError('invalid_input', {
        en: `The body is not valid ${coding} data (${e.message}); nothing was stored.`,
        zh: `请求体不是有效的 ${coding} 压缩数据（${e.message}）；未存储任何事件。`,
      }),
    );
  });
  // Whatever ends the stream, stop reading and inflating: the reply is sent, the connection is closed.
  const stop = () => {
    raw.off('data', onRaw);
    raw.off('error', onRawError);
    raw.unpipe(inflate);
    inflate.destroy();
  };
  out.on('error', stop);
  out.on('close', stop);
  raw.pipe(inflate).pipe(out);
  return out;
}

const isJsonType = (contentType: string) => /^\s*application\/json\b/i.test(contentType);

const notJson = (why: string) =>
  new AppError('invalid_input', {
    en: `The body is not valid JSON (${why}). Send a JSON array of events, or NDJSON with Content-Type application/x-ndjson so that one bad line does not spoil the others.`,
    zh: `请求体不是合法的 JSON（${why}）。请发送事件的 JSON 数组，或以 Content-Type application/x-ndjson 发送 NDJSON，这样一行出错不会影响其他行。`,
  });

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return 'the array is not closed';
  } catch (e) {
    return (e as Error).message;
  }
}

/** Records of a body, a part at a time: the body's positions, and whether they are lines or indexes. */
export interface RecordPart {
  records: RawRecord[];
  posKind: 'line' | 'index';
}

/**
 * JSON array or single object bodies get array indexes; NDJSON bodies get line numbers. Each element of an
 * array is measured and parsed on its own, so the per-event limit and a malformed element cost only that
 * element, as a line does in NDJSON. Parts of about 256 KiB of lines or 1,000 elements, so the caller can
 * store each before the next is parsed; a body that is not JSON at all throws before the first part.
 */
export function* recordParts(body: Uint8Array, contentType: string): Generator<RecordPart> {
  if (!isJsonType(contentType)) {
    yield* ndjsonParts(body);
    return;
  }
  const start = bomLength(body);
  const text = decodeUtf8(body.subarray(start));
  if (text === undefined) {
    // One JSON text is one document: it is refused whole, and nothing of it is stored.
    const at = firstBadByte(body.subarray(start)) + start;
    throw new AppError('invalid_input', {
      en: `The body is not valid UTF-8 (the first bad byte is at offset ${at}); JSON must be UTF-8, and nothing was stored. In NDJSON (application/x-ndjson) only the lines with bad bytes would be rejected.`,
      zh: `请求体不是合法的 UTF-8（第一个错误字节位于偏移 ${at}）；JSON 必须使用 UTF-8 编码，未存储任何事件。若以 NDJSON（application/x-ndjson）发送，只有含错误字节的行会被拒绝。`,
    });
  }
  const trimmed = text.trimStart();
  if (trimmed === '') return;
  if (trimmed.startsWith('[')) {
    const parts = splitJsonArray(trimmed);
    if (!parts) throw notJson(jsonError(trimmed));
    const source = sourceOf(trimmed);
    for (let i = 0; i < parts.length; i += ELEMENTS_PER_PART) {
      const records = parts.slice(i, i + ELEMENTS_PER_PART).map((p, j) => parseLine(p, i + j, source));
      yield { records, posKind: 'index' };
    }
    return;
  }
  // A JSON body with several lines that is not an array is read as NDJSON.
  if (trimmed.includes('\n')) {
    yield* ndjsonParts(body);
    return;
  }
  const one = parseLine(trimmed, 0, 'utf8');
  if (one.error?.reason.startsWith('is not valid JSON')) throw notJson(jsonError(trimmed));
  yield { records: [one], posKind: 'index' };
}

const ELEMENTS_PER_PART = 1000;

function* ndjsonParts(body: Uint8Array): Generator<RecordPart> {
  for (const records of decodeNdjsonParts(body)) yield { records, posKind: 'line' };
}
