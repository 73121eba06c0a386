// HTTP intake for platforms: POST /v1/events (JSON array or NDJSON) and GET /v1/events/:id.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../platform/errors.ts';
import { EnvelopeSchema } from './contract.ts';
import { parseNdjson, type RawRecord } from './ndjson.ts';
import type { EventsService } from './service.ts';

const FieldErrorSchema = Type.Object({ field: Type.String(), reason: Type.String() });
const RejectionSchema = Type.Object({
  line: Type.Optional(Type.Integer({ description: '1-based line of an NDJSON body' })),
  index: Type.Optional(Type.Integer({ description: '0-based index in a JSON array body' })),
  id: Type.Optional(Type.String()),
  errors: Type.Array(FieldErrorSchema),
});
export const IngestResultSchema = Type.Object({
  accepted: Type.Integer({ description: 'new events stored' }),
  duplicates: Type.Integer({
    description: 'events whose id was already stored (acknowledged, not stored again)',
  }),
  rejected_count: Type.Integer(),
  rejected: Type.Array(RejectionSchema, {
    description: 'the first 1000 rejected records, each with field and reason',
  }),
});
const StoredEventSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  time: Type.String({ description: 'UTC, ISO-8601' }),
  data: Type.Object({}, { additionalProperties: true }),
  seq: Type.Integer({ description: 'arrival order in Tianping' }),
  received_at: Type.String(),
});

const MAX_LISTED = 1000;

/** JSON array or single object bodies get array indexes; NDJSON bodies get line numbers. */
export function parseBody(
  body: string,
  contentType: string,
): { records: RawRecord[]; posKind: 'line' | 'index' } {
  const isJson = /^application\/json\b/i.test(contentType);
  const trimmed = body.trimStart();
  if (isJson && (trimmed.startsWith('[') || !trimmed.includes('\n'))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      const why = (e as Error).message;
      throw new AppError('invalid_input', {
        en: `The body is not valid JSON (${why}). Send a JSON array of events, or NDJSON with Content-Type application/x-ndjson so that one bad line does not spoil the others.`,
        zh: `请求体不是合法的 JSON（${why}）。请发送事件的 JSON 数组，或以 Content-Type application/x-ndjson 发送 NDJSON，这样一行出错不会影响其他行。`,
      });
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return { records: list.map((value, pos) => ({ pos, value })), posKind: 'index' };
  }
  // NDJSON; a JSON body with several lines that is not an array is read the same way.
  if (trimmed === '') return { records: [], posKind: 'line' };
  return { records: parseNdjson(body), posKind: 'line' };
}

export async function eventsRoutes(app: FastifyInstance, deps: { events: EventsService }) {
  // Bodies are parsed here rather than by Fastify, so a malformed line is one rejection, not a 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/x-ndjson', 'application/ndjson', 'text/plain'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/v1/events',
    {
      config: { roles: ['ingest'] },
      schema: {
        summary: 'Send events',
        description:
          'A JSON array of events (Content-Type application/json) or NDJSON (application/x-ndjson), each per the event contract. Good records are stored even when others are rejected; a repeated id is acknowledged as a duplicate and not stored twice. Bodies over the limit get 413.',
        tags: ['events'],
        body: Type.Array(EnvelopeSchema, { description: 'or NDJSON, one event per line' }),
        response: { 200: IngestResultSchema },
      },
      // The body is raw text; the contract is checked per record in the service.
      validatorCompiler: () => () => true,
    },
    async (req) => {
      const { records, posKind } = parseBody(String(req.body ?? ''), req.headers['content-type'] ?? '');
      const r = await deps.events.ingest(records, posKind);
      if (r.rejected.length > 0) req.log.info({ rejected: r.rejected.length }, 'events rejected');
      return {
        accepted: r.accepted,
        duplicates: r.duplicates,
        rejected_count: r.rejected.length,
        rejected: r.rejected.slice(0, MAX_LISTED),
      };
    },
  );

  app.get(
    '/v1/events/:id',
    {
      config: { roles: ['ingest', 'analyst'] },
      schema: {
        summary: 'One stored event',
        tags: ['events'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
        response: { 200: StoredEventSchema },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const e = await deps.events.get(id);
      if (!e) {
        throw new AppError('not_found', {
          en: `No event with id ${id} has been stored.`,
          zh: `未存储编号为 ${id} 的事件。`,
        });
      }
      return { id: e.id, type: e.type, time: e.time, data: e.data, seq: e.seq, received_at: e.receivedAt };
    },
  );
}
