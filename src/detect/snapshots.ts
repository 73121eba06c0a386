// Snapshots of the stream engine's memory, so a restart replays only the log's tail. A snapshot is the
// engine's `memory()` (the market state, the money trail, each rule's windows, the signal ids already
// emitted, hit counts) encoded with `v8.serialize`: built in, it keeps Maps, Sets, typed arrays and shared
// objects shared (an order sits in the order map, its buyer's list and its merchant's list), and on this
// machine it encodes ~55 MB/s and decodes ~40 MB/s of state (bench/serve.ts prints the figures), which
// JSON or a hand-written codec would not beat without rebuilding those links by id.
//
// Layout: "TPSNAP" magic, a 4-byte header length, the header as JSON (format, digest, seq, events, the
// payload's length and SHA-256), then the payload. A snapshot whose format or digest differs from the
// running code and rules, or whose bytes do not check out, is not used: the caller replays the whole log.
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { RuleSet } from './rules/schema.ts';
import type { Detector, EngineMemory } from './stream/engine.ts';
import { DETECTORS } from './stream/rules/index.ts';

/** Bump when EngineMemory's shape or any detector's memory changes shape (2: shared-identifier sweeps; 3: one-account identifiers kept as the id). */
export const SNAPSHOT_FORMAT = 3;
const MAGIC = Buffer.from('TPSNAP', 'latin1');

export interface SnapshotHeader {
  format: number;
  /** What the memory depends on: detector kinds and versions and the rules (`snapshotDigest`). */
  digest: string;
  /** The last event (seq) the memory covers. */
  seq: number;
  /** Events the memory holds (the market's, not only since a start). */
  events: number;
  bytes: number;
  sha256: string;
  createdAt: string;
  /** The learned scorer's version when it was taken, for people (the stream does not read the model). */
  model?: string | null;
}

/**
 * The engine's memory depends on the code of each detector and on the rules (thresholds, windows, word
 * lists), not on the rule file's path or the alert and decision policy, nor on the learned scorer.
 */
export function snapshotDigest(rules: RuleSet, detectors: Iterable<Detector>): string {
  const h = createHash('sha256');
  h.update(`tianping-snapshot ${SNAPSHOT_FORMAT}\n`);
  for (const d of [...detectors].sort((a, b) => a.kind.localeCompare(b.kind)))
    h.update(`${d.kind}@${d.version}\n`);
  h.update(JSON.stringify({ version: rules.version, rules: rules.rules }));
  return h.digest('hex').slice(0, 32);
}

/** The digest for the rules with every registered detector: what a running engine's snapshot carries. */
export function streamDigest(rules: RuleSet): string {
  return snapshotDigest(rules, DETECTORS.values());
}

export function encodeSnapshot(
  memory: EngineMemory,
  meta: { digest: string; model?: string | null; createdAt?: string },
): { header: SnapshotHeader; bytes: Buffer } {
  const payload = serialize(memory);
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    digest: meta.digest,
    seq: memory.lastSeq,
    events: memory.state.events,
    bytes: payload.length,
    sha256: createHash('sha256').update(payload).digest('hex'),
    createdAt: meta.createdAt ?? new Date().toISOString(),
    model: meta.model ?? null,
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  // A buffer of its own (never a slice of Node's shared pool), so it can be moved between threads.
  const bytes = Buffer.allocUnsafeSlow(MAGIC.length + 4 + head.length + payload.length);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt32BE(head.length, MAGIC.length);
  head.copy(bytes, MAGIC.length + 4);
  payload.copy(bytes, MAGIC.length + 4 + head.length);
  return { header, bytes };
}

/** `bytes` in an ArrayBuffer of their own, to move to another thread (a copy only when they share one). */
export function movable(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
    return { bytes, transfer: [bytes.buffer as ArrayBuffer] };
  const own = new Uint8Array(bytes.byteLength);
  own.set(bytes);
  return { bytes: own, transfer: [own.buffer] };
}

/** Why a snapshot cannot be used, in both languages. */
export class SnapshotRefused extends Error {
  constructor(
    readonly en: string,
    readonly zh: string,
  ) {
    super(en);
    this.name = 'SnapshotRefused';
  }
}

/** The header and where the payload starts. */
function framing(bytes: Uint8Array): { header: SnapshotHeader; b: Buffer; at: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < MAGIC.length + 4 || !b.subarray(0, MAGIC.length).equals(MAGIC))
    throw new SnapshotRefused('it is not a Tianping snapshot', '它不是天平快照');
  const n = b.readUInt32BE(MAGIC.length);
  const at = MAGIC.length + 4 + n;
  if (at > b.length) throw new SnapshotRefused('its header is cut short', '快照头不完整');
  try {
    return { header: JSON.parse(b.subarray(MAGIC.length + 4, at).toString('utf8')), b, at };
  } catch {
    throw new SnapshotRefused('its header is not readable', '快照头无法读取');
  }
}

/** The header alone (cheap): what a store lists and what a restore checks first. */
export function snapshotHeader(bytes: Uint8Array): SnapshotHeader {
  return framing(bytes).header;
}

/**
 * The memory in `bytes`, if it was built by this format for `digest` and its bytes are whole; otherwise
 * SnapshotRefused says why.
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  digest: string,
): { header: SnapshotHeader; memory: EngineMemory } {
  const { header, b, at } = framing(bytes);
  const why = refusal(header, digest);
  if (why) throw why;
  const payload = b.subarray(at);
  if (payload.length !== header.bytes)
    throw new SnapshotRefused(
      `it holds ${payload.length} bytes of the ${header.bytes} it should`,
      `其内容为 ${payload.length} 字节，应为 ${header.bytes} 字节`,
    );
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256)
    throw new SnapshotRefused('its bytes do not match their checksum', '快照内容与校验和不符');
  let memory: EngineMemory;
  try {
    memory = deserialize(payload) as EngineMemory;
  } catch (e) {
    throw new SnapshotRefused(
      `it cannot be decoded (${(e as Error).message})`,
      `快照无法解码（${(e as Error).message}）`,
    );
  }
  if (memory?.lastSeq !== header.seq || !(memory.state?.orders instanceof Map))
    throw new SnapshotRefused('its contents are not an engine memory', '快照内容不是检测引擎状态');
  return { header, memory };
}

/** Why a snapshot with this header does not fit the running code and rules (undefined: it fits). */
export function refusal(h: SnapshotHeader, digest: string): SnapshotRefused | undefined {
  if (h.format !== SNAPSHOT_FORMAT)
    return new SnapshotRefused(
      `it has format ${h.format}; this version reads format ${SNAPSHOT_FORMAT}`,
      `其格式为 ${h.format}，本版本读取格式 ${SNAPSHOT_FORMAT}`,
    );
  if (h.digest !== digest)
    return new SnapshotRefused(
      `it was built with other rules or detectors (digest ${h.digest}, now ${digest})`,
      `它是用其他规则或检测器生成的（摘要 ${h.digest}，当前 ${digest}）`,
    );
  return undefined;
}
