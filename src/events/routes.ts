// HTTP intake for platforms: POST /v1/events (JSON array or NDJSON) and GET /v1/events/:id.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../platform/errors.ts';
import { codingOf, decompress, recordsOf, requireUtf8 } from './body.ts';
import { EnvelopeSchema, LIMITS } from './contract.ts';
import type { EventsService } from './service.ts';
import { unstorableText } from './validate.ts';

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

export async function eventsRoutes(app: FastifyInstance, deps: { events: EventsService }) {
  // Bodies are parsed here rather than by Fastify, so a malformed line is one rejection, not a 400. They are
  // read as bytes: decoding is ours, so invalid UTF-8 is refused rather than replaced.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/x-ndjson', 'application/ndjson', 'text/plain'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/v1/events',
    {
      config: { roles: ['ingest'] },
      schema: {
        summary: 'Send events',
        description:
          'A JSON array of events (Content-Type application/json) or NDJSON (application/x-ndjson), each per the event contract, in UTF-8 (any other charset gets 415). Good records are stored even when others are rejected; a repeated id is acknowledged as a duplicate and not stored twice; an event over 64 KiB is rejected as oversize. The body may be compressed (Content-Encoding gzip, deflate or br; others get 415). Bodies over the limit, before or after decompression, get 413.',
        tags: ['events'],
        body: Type.Array(EnvelopeSchema, { description: 'or NDJSON, one event per line' }),
        response: { 200: IngestResultSchema },
      },
      // The body is raw bytes; the contract is checked per record in the service.
      validatorCompiler: () => () => true,
      // Before any byte is read: refuse what would be misread, and decompress as the body streams in.
      preParsing: async (req, _reply, payload) => {
        requireUtf8(req.headers['content-type']);
        const coding = codingOf(req.headers['content-encoding']);
        return coding
          ? decompress(payload, coding, req.routeOptions.bodyLimit ?? req.server.initialConfig.bodyLimit)
          : payload;
      },
    },
    async (req) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { records, posKind } = recordsOf(body, req.headers['content-type'] ?? '');
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
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: LIMITS.id }) }),
        response: { 200: StoredEventSchema },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      // Such an id was never accepted, and the database would refuse to even look it up.
      const odd = unstorableText(id);
      if (odd !== undefined) {
        throw new AppError(
          'invalid_input',
          {
            en: `The event id ${JSON.stringify(id)} ${odd}; no event can have such an id.`,
            zh: `事件编号 ${JSON.stringify(id)} 含有无法存储的字符（NUL 或不成对的代理项）；不可能有这样编号的事件。`,
          },
          [{ field: 'params.id', reason: odd }],
        );
      }
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
