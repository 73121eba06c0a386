// HTTP intake for platforms: POST /v1/events (JSON array or NDJSON) and GET /v1/events/:id.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../platform/errors.ts';
import { operation, problemResponse, ref } from '../platform/http/openapi.ts';
import { bi } from '../platform/i18n.ts';
import { codingOf, decompress, recordParts, requireUtf8 } from './body.ts';
import { EnvelopeSchema, EVENT_TYPES, EventData, type EventType, LIMITS } from './contract.ts';
import type { EventsService } from './service.ts';
import { unstorableText } from './validate.ts';

/** The name of one type's event schema in the OpenAPI document: `order.created` → `OrderCreatedEvent`. */
export const eventSchemaId = (type: EventType) =>
  `${type.replace(/(^|[._])([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}Event`;

/** One schema per event type, from the contract: what a platform sends. */
const TypedEventSchemas = EVENT_TYPES.map((type) =>
  Type.Object(
    {
      id: EnvelopeSchema.properties.id,
      type: Type.Literal(type),
      time: EnvelopeSchema.properties.time,
      data: EventData[type],
    },
    { $id: eventSchemaId(type), description: bi(`A \`${type}\` event.`, `一条 \`${type}\` 事件。`) },
  ),
);
const EventSchema = Type.Union(
  EVENT_TYPES.map((t) => Type.Ref(eventSchemaId(t))),
  {
    $id: 'Event',
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(EVENT_TYPES.map((t) => [t, `#/components/schemas/${eventSchemaId(t)}`])),
    },
    description: bi(
      'One event of the contract (`../shared/spec/events.md`); `data` depends on `type`.',
      '事件契约中的一条事件；`data` 的结构取决于 `type`。',
    ),
  },
);
const EventBatchSchema = Type.Union([Type.Array(ref(EventSchema)), ref(EventSchema)], {
  $id: 'EventBatch',
  description: bi('A JSON array of events, or one event.', '事件组成的 JSON 数组，或单条事件。'),
});
const EventLinesSchema = Type.String({
  $id: 'EventLines',
  description: bi(
    'NDJSON: one event (the `Event` schema) per line, in UTF-8. A line that is not a valid event is rejected on its own, with its line number.',
    'NDJSON：每行一条事件（即 `Event` 模式），UTF-8 编码。不合格的行单独拒收，并注明行号。',
  ),
});

const FieldErrorSchema = Type.Object(
  {
    field: Type.String({
      description: bi('The field at fault, e.g. `data.amount`.', '出错的字段，如 `data.amount`。'),
    }),
    reason: Type.String({ description: bi('What is wrong with it, in English.', '错误原因（英文）。') }),
  },
  { $id: 'FieldError', description: bi('One problem with one field.', '某个字段的一个问题。') },
);
const RejectionSchema = Type.Object(
  {
    line: Type.Optional(
      Type.Integer({
        description: bi('1-based line of an NDJSON body.', 'NDJSON 请求体中的行号（从 1 起）。'),
      }),
    ),
    index: Type.Optional(
      Type.Integer({
        description: bi('0-based index in a JSON array body.', 'JSON 数组请求体中的下标（从 0 起）。'),
      }),
    ),
    id: Type.Optional(
      Type.String({ description: bi("The record's id, when readable.", '记录的编号（可读出时）。') }),
    ),
    errors: Type.Array(ref(FieldErrorSchema)),
  },
  { $id: 'Rejection', description: bi('A rejected record and why.', '一条被拒收的记录及其原因。') },
);
export const IngestResultSchema = Type.Object(
  {
    accepted: Type.Integer({ description: bi('New events stored.', '新存储的事件数。') }),
    duplicates: Type.Integer({
      description: bi(
        'Events whose id was already stored (acknowledged, not stored again).',
        '编号已存在的事件数（确认收到，但不重复存储）。',
      ),
    }),
    rejected_count: Type.Integer({ description: bi('Records rejected.', '被拒收的记录数。') }),
    rejected: Type.Array(ref(RejectionSchema), {
      description: bi(
        'The first 1,000 rejected records, each with field and reason.',
        '前 1000 条被拒收的记录，各附字段与原因。',
      ),
    }),
  },
  { $id: 'IngestResult', description: bi('What became of a batch.', '一批事件的处理结果。') },
);
const StoredEventSchema = Type.Object(
  {
    id: Type.String(),
    type: Type.String({ description: bi('The event type.', '事件类型。') }),
    time: Type.String({
      description: bi('When it happened, in UTC (ISO-8601).', '发生时间（UTC，ISO-8601）。'),
    }),
    data: Type.Object({}, { additionalProperties: true }),
    seq: Type.Integer({ description: bi('Arrival order in Tianping.', '在天平中的到达顺序。') }),
    received_at: Type.String({ description: bi('When Tianping stored it.', '天平存储它的时间。') }),
  },
  { $id: 'StoredEvent', description: bi('An event as stored.', '已存储的事件。') },
);

/** The named schemas of these routes, for the composition root to register (`app.addSchema`). */
export const eventSchemas = [
  ...TypedEventSchemas,
  EventSchema,
  EventBatchSchema,
  EventLinesSchema,
  FieldErrorSchema,
  RejectionSchema,
  IngestResultSchema,
  StoredEventSchema,
];

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
        ...operation({
          id: 'ingestEvents',
          summary: ['Send events', '上报事件'],
          description: [
            'A JSON array of events (or one event) as `application/json`, or NDJSON as `application/x-ndjson` (also `application/ndjson` and `text/plain`), each per the event contract, in UTF-8: any other charset gets 415. Good records are stored even when others are rejected; a repeated id is acknowledged as a duplicate and not stored twice; an event over 64 KiB is rejected as oversize. The body may be compressed (`Content-Encoding: gzip`, `deflate` or `br`; others get 415). A body over the limit (TIANPING_BODY_LIMIT), before or after decompression, gets 413. A body that is not JSON at all, or JSON that is not UTF-8, gets 400 and nothing of it is stored.',
            '请求体为事件组成的 JSON 数组（或单条事件，`application/json`），或 NDJSON（`application/x-ndjson`，也接受 `application/ndjson` 和 `text/plain`），每条均须符合事件契约，且为 UTF-8 编码：其他字符集返回 415。即使部分记录被拒收，合格的记录仍会存储；重复的编号确认为重复，不会存储两次；超过 64 KiB 的事件按过大拒收。请求体可以压缩（`Content-Encoding: gzip`、`deflate` 或 `br`；其他编码返回 415）。请求体在解压前或解压后超过上限（TIANPING_BODY_LIMIT）时返回 413。完全不是 JSON，或 JSON 不是 UTF-8 编码时返回 400，且不存储其中任何内容。',
          ],
          tags: ['events'],
        }),
        headers: Type.Object({
          'content-encoding': Type.Optional(
            Type.Enum(['gzip', 'x-gzip', 'deflate', 'br', 'identity'], {
              description: bi('How the body is compressed, if it is.', '请求体的压缩方式（如有）。'),
            }),
          ),
        }),
        body: {
          content: {
            'application/json': { schema: ref(EventBatchSchema) },
            'application/x-ndjson': { schema: ref(EventLinesSchema) },
            'application/ndjson': { schema: ref(EventLinesSchema) },
            'text/plain': { schema: ref(EventLinesSchema) },
          },
        },
        response: { 200: ref(IngestResultSchema) },
      },
      // Fastify checks nothing here: the body is raw bytes (the contract is checked per record in the
      // service) and Content-Encoding is the body reader's, with its own 415.
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
      // A part at a time, each stored before the next is parsed, with other requests let in between: a
      // 5,000-line body in one piece held the thread for 150–600 ms (decode, validation, the insert).
      const r = await deps.events.ingestParts(
        recordParts(body, req.headers['content-type'] ?? ''),
        MAX_LISTED,
      );
      if (r.rejectedCount > 0) req.log.info({ rejected: r.rejectedCount }, 'events rejected');
      return {
        accepted: r.accepted,
        duplicates: r.duplicates,
        rejected_count: r.rejectedCount,
        rejected: r.rejected,
      };
    },
  );

  app.get(
    '/v1/events/:id',
    {
      config: { roles: ['ingest', 'analyst'] },
      schema: {
        ...operation({
          id: 'getEvent',
          summary: ['One stored event', '读取一条已存储的事件'],
          description: [
            'The event with this id as stored, with its arrival order. Every id intake accepts (up to 128 characters) can be read here.',
            '按编号读取已存储的事件及其到达顺序。上报时接受的任何编号（最长 128 个字符）都可在此读取。',
          ],
          tags: ['events'],
        }),
        params: Type.Object({
          id: Type.String({
            minLength: 1,
            maxLength: LIMITS.id,
            description: bi("The event's id.", '事件编号。'),
          }),
        }),
        response: { 200: ref(StoredEventSchema), 404: problemResponse(404) },
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
