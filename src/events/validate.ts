// Validates one record against the event contract and says, for each problem, the field and the reason in
// words an integrating engineer can act on. The compiled check is the fast path; errors are only worked
// out for records that fail it.
import { Compile, type Validator } from 'typebox/compile';
import { EVENT_TYPES, EventData, type EventType, LIMITS, type MarketEvent } from './contract.ts';

export interface FieldError {
  /** Dotted path, e.g. `data.items[0].quantity`; `(record)` for the record as a whole. */
  field: string;
  reason: string;
}

/** A record that was not accepted: where it was (line in a file, index in a body), its id if readable. */
export interface Rejection {
  line?: number;
  index?: number;
  id?: string;
  errors: FieldError[];
}

export type Checked = { ok: true; event: MarketEvent } | { ok: false; id?: string; errors: FieldError[] };

const validators = new Map<string, Validator>(
  EVENT_TYPES.map((t) => [t, Compile(EventData[t])] as [string, Validator]),
);
const typeList = EVENT_TYPES.join(', ');

// Offset is required: a time without a zone cannot be placed on the timeline.
const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const TIME_FORMAT = 'must be an ISO-8601 time with a UTC offset, e.g. 2026-11-20T08:15:00+08:00';
// Times every part of the store takes and reads back as sent: PostgreSQL refuses year 0000 and offsets of
// ±16:00 or more (real zones run from −12:00 to +14:00), and PGlite reads years below 100 back as 19xx or
// 20xx; so four-digit years 1000–9999 in UTC.
const EARLIEST = Date.parse('1000-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59Z');
const MAX_OFFSET_HOURS = 15;

/** Epoch ms of an ISO-8601 time with offset, or why it cannot be taken. */
function readTime(s: string): number | string {
  const m = TIME_RE.exec(s);
  if (!m) return TIME_FORMAT;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return TIME_FORMAT;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59)) return TIME_FORMAT;
  if (m[8] !== undefined && Number(m[9]) > 59) return TIME_FORMAT;
  if (m[8] !== undefined && Number(m[8]) > MAX_OFFSET_HOURS) {
    return `has the UTC offset ${m[7]}; offsets must lie between -15:59 and +15:59`;
  }
  const t = Date.parse(s);
  if (Number.isNaN(t)) return TIME_FORMAT;
  // Date.parse rolls 29 February over in common years; the round trip catches it.
  if (month === 2 && day === 29) {
    const y = Number(m[1]);
    if (!((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return TIME_FORMAT;
  }
  if (t < EARLIEST || t > LATEST) return 'must fall between the years 1000 and 9999 (in UTC)';
  return t;
}

/** Parses an ISO-8601 time with offset to epoch ms, or returns undefined. */
export function parseTime(s: string): number | undefined {
  const t = readTime(s);
  return typeof t === 'number' ? t : undefined;
}

// U+0000 and unpaired surrogates: PostgreSQL text and jsonb refuse both. With the u flag, \p{Cs} matches
// only a surrogate that is not half of a pair.
const UNSTORABLE_CHAR = /[\0\p{Cs}]/u;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableText(s: string): string | undefined {
  const m = UNSTORABLE_CHAR.exec(s);
  if (!m) return undefined;
  if (m[0] === '\0') return 'contains the character U+0000 (NUL), which cannot be stored';
  const hex = m[0].charCodeAt(0).toString(16);
  return `contains an unpaired UTF-16 surrogate (\\u${hex}), which is not valid Unicode`;
}

interface Unstorable {
  /** Path from the record down, built only once something is found. */
  path: Array<string | number>;
  reason: string;
}

/**
 * Finds a value the database would refuse: nested too deep (its JSON parser recurses per level), or a string
 * or key with NUL or a lone surrogate.
 */
function unstorable(v: unknown, depth: number): Unstorable | undefined {
  if (typeof v === 'string') {
    const reason = unstorableText(v);
    return reason === undefined ? undefined : { path: [], reason };
  }
  if (typeof v !== 'object' || v === null) return undefined;
  if (depth >= LIMITS.depth) {
    return { path: [], reason: `is nested more than ${LIMITS.depth} levels deep (oversize)` };
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const u = unstorable(v[i], depth + 1);
      if (u) {
        u.path.push(i);
        return u;
      }
    }
    return undefined;
  }
  for (const k in v) {
    const reason = unstorableText(k);
    if (reason !== undefined) return { path: [k], reason: `has a key that ${reason}` };
    const u = unstorable((v as Record<string, unknown>)[k], depth + 1);
    if (u) {
      u.path.push(k);
      return u;
    }
  }
  return undefined;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

/** `data.items[0].x`; keys that are not plain names are quoted, so no raw NUL or surrogate is echoed. */
function pathField(path: Array<string | number>): string {
  let out = '';
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    if (typeof p === 'number') out += `[${p}]`;
    else if (PLAIN_KEY.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out === '' ? '(record)' : out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks one parsed JSON value; on success the event has the contract's defaults filled in. `plain` says the
 * record's text could not hold anything the database refuses (see RawRecord.plain), so that search, the one
 * part of the check that walks the whole value, is skipped.
 */
export function checkEvent(value: unknown, opts: { plain?: boolean } = {}): Checked {
  if (!isObject(value)) {
    return {
      ok: false,
      errors: [{ field: '(record)', reason: 'must be a JSON object with id, type, time and data' }],
    };
  }
  const errors: FieldError[] = [];
  const { id, type, time, data } = value;
  let goodId = typeof id === 'string' && id.length >= 1 && id.length <= LIMITS.id;
  if (id === undefined) errors.push({ field: 'id', reason: 'is required' });
  else if (typeof id !== 'string')
    errors.push({ field: 'id', reason: `must be a string, got ${kindOf(id)}` });
  else if (!goodId) errors.push({ field: 'id', reason: lengthReason(id, 1, LIMITS.id) });

  let validator: Validator | undefined;
  if (type === undefined) errors.push({ field: 'type', reason: 'is required' });
  else if (typeof type !== 'string')
    errors.push({ field: 'type', reason: `must be a string, got ${kindOf(type)}` });
  else {
    validator = validators.get(type);
    if (!validator) {
      errors.push({
        field: 'type',
        reason: `unknown event type "${type.slice(0, 64)}"; expected one of ${typeList}`,
      });
    }
  }

  if (time === undefined) errors.push({ field: 'time', reason: 'is required' });
  else if (typeof time !== 'string' || time.length > 40) errors.push({ field: 'time', reason: TIME_FORMAT });
  else {
    const t = readTime(time);
    if (typeof t === 'string') errors.push({ field: 'time', reason: t });
  }

  if (data === undefined) errors.push({ field: 'data', reason: 'is required' });
  else if (!isObject(data)) errors.push({ field: 'data', reason: `must be an object, got ${kindOf(data)}` });
  else if (validator && !validator.Check(data)) errors.push(...dataErrors(validator, data));

  // Caught here, as a rejection naming the field, rather than by the database refusing a whole chunk.
  const bad = opts.plain === true ? undefined : unstorable(value, 0);
  if (bad) {
    const field = pathField(bad.path);
    if (field === 'id') goodId = false;
    if (!errors.some((e) => e.field === field)) errors.push({ field, reason: bad.reason });
  }

  if (errors.length > 0) return { ok: false, id: goodId ? (id as string) : undefined, errors };
  applyDefaults(type as EventType, data as Record<string, unknown>);
  return { ok: true, event: value as MarketEvent };
}

function applyDefaults(type: EventType, d: Record<string, unknown>): void {
  if ('amount' in d || 'price' in d) {
    if (d.currency === undefined) d.currency = 'CNY';
  }
  if (type === 'account.login' && d.success === undefined) d.success = true;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return 'a string';
  return `a ${typeof v}`;
}

function lengthReason(s: string, min: number, max: number): string {
  if (s.length < min) return 'must not be empty';
  return `is ${s.length} characters, over the limit of ${max} (oversize)`;
}

const PATTERN_REASONS: Record<string, string> = {
  '^[0-9a-fA-F]{8,128}$': 'must be a hex digest (8–128 hex digits) computed by the platform',
  '^[A-Z]{3}$': 'must be an ISO 4217 currency code such as CNY',
  '^[0-9A-Z]{18}$': 'must be an 18-character unified social credit code (统一社会信用代码)',
  '^[0-9A-Fa-f.:]{2,45}$': 'must be an IPv4 or IPv6 address',
};

function toField(instancePath: string): string {
  let out = 'data';
  for (const part of instancePath.split('/').slice(1)) {
    out += /^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`;
  }
  return out;
}

function valueAt(data: unknown, instancePath: string): unknown {
  let v: unknown = data;
  for (const part of instancePath.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

function dataErrors(validator: Validator, data: unknown): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of validator.Errors(data) as unknown as SchemaError[]) {
    const reasons = describe(e, valueAt(data, e.instancePath));
    for (const [path, reason] of reasons) {
      const field = toField(path);
      // One reason per field is enough to act on.
      if (seen.has(field)) continue;
      seen.add(field);
      out.push({ field, reason });
    }
  }
  if (out.length === 0) out.push({ field: 'data', reason: 'does not match the contract for this type' });
  return out;
}

function describe(e: SchemaError, value: unknown): Array<[string, string]> {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return ((p.requiredProperties as string[]) ?? []).map((k) => [`${e.instancePath}/${k}`, 'is required']);
    case 'type':
      return [[e.instancePath, `must be ${article(String(p.type))}, got ${kindOf(value)}`]];
    case 'minLength':
      return [[e.instancePath, 'must not be empty']];
    case 'maxLength':
      return [
        [
          e.instancePath,
          `is ${typeof value === 'string' ? value.length : '?'} characters, over the limit of ${p.limit} (oversize)`,
        ],
      ];
    case 'pattern':
      return [[e.instancePath, PATTERN_REASONS[String(p.pattern)] ?? `must match ${p.pattern}`]];
    case 'minimum':
      return [[e.instancePath, `must be at least ${p.limit}, got ${String(value)}`]];
    case 'maximum':
      return [[e.instancePath, `must be at most ${p.limit}, got ${String(value)}`]];
    case 'minItems':
      return [[e.instancePath, `must have at least ${p.limit} item(s)`]];
    case 'maxItems':
      return [[e.instancePath, `has more than ${p.limit} items (oversize)`]];
    case 'enum':
      return [[e.instancePath, `must be one of ${((p.allowedValues as unknown[]) ?? []).join(', ')}`]];
    default:
      return [[e.instancePath, e.message]];
  }
}

function article(t: string): string {
  if (t === 'integer') return 'an integer';
  if (t === 'object' || t === 'array') return `an ${t}`;
  return `a ${t}`;
}
