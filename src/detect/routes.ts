// Detection over HTTP: signals and alerts for analysts, rules and their hit counts, rings, the batch
// job, and the real-time order decision for platforms.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { checkEvent } from '../events/index.ts';
import { AppError } from '../platform/errors.ts';
import type { Alert, BatchRun, RuleChange } from './repository.ts';
import { MAX_REASON_CHARS } from './rule-admin.ts';
import type { Detection } from './service.ts';
import { type Signal, SUBJECT_KINDS, type SubjectKind } from './signals.ts';

const Kind = Type.Enum([...SUBJECT_KINDS]);
const ExplanationSchema = Type.Object({ zh: Type.String(), en: Type.String() });
const SignalSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  subject: Type.String(),
  score: Type.Number(),
  detector: Type.String(),
  detector_version: Type.String(),
  rule_id: Type.Optional(Type.String()),
  mode: Type.String(),
  evidence: Type.Array(Type.String(), { description: 'event ids' }),
  explanation: ExplanationSchema,
  facts: Type.Optional(Type.Record(Type.String(), Type.Number())),
  at: Type.String(),
});
const AlertSchema = Type.Object({
  kind: Type.String(),
  subject: Type.String(),
  score: Type.Number(),
  signals: Type.Integer(),
  top_explanation: ExplanationSchema,
  first_at: Type.String(),
  last_at: Type.String(),
  status: Type.String(),
});

const RuleChangeSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  via: Type.Enum(['api', 'signal'], { description: 'over the API with a key, or SIGHUP to the server' }),
  key: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], {
    description: 'the API key that made the change (null for a signal)',
  }),
  reason: Type.Union([Type.String(), Type.Null()]),
  source: Type.String({ description: '"request body", or the rule file read again' }),
  stored: Type.Union([Type.String(), Type.Null()], {
    description: 'where the new rule file was stored (in the data folder)',
  }),
  sha256: Type.String({ description: 'of the rule file put in force' }),
  rules: Type.Integer(),
});

const ruleChangeOut = (c: RuleChange) => ({
  id: c.id,
  at: c.at,
  via: c.via,
  key: c.key ?? null,
  reason: c.reason ?? null,
  source: c.source,
  stored: c.storedPath ?? null,
  sha256: c.sha256,
  rules: c.rules,
});

const RunSchema = Type.Object({
  id: Type.Integer(),
  trigger: Type.Enum(['start', 'schedule', 'events', 'request'], {
    description:
      'start: once the rules caught up after start-up; schedule: by time; events: by new-event count; request: POST /v1/detection/run',
  }),
  requested_by: Type.Optional(Type.String({ description: 'name of the API key that asked (request runs)' })),
  status: Type.Enum(['running', 'done', 'failed']),
  started_at: Type.String(),
  finished_at: Type.Optional(Type.String()),
  seconds: Type.Optional(
    Type.Number({ description: 'from start to finish, waiting for the rules included' }),
  ),
  through_seq: Type.Optional(Type.Integer({ description: 'the run covered the event log up to this seq' })),
  new_events: Type.Optional(Type.Integer({ description: 'events through the rules since the run before' })),
  rings: Type.Optional(Type.Integer()),
  suspicious_rings: Type.Optional(Type.Integer()),
  signals: Type.Optional(Type.Integer({ description: 'signals the run found (scorer and ring members)' })),
  signals_added: Type.Optional(Type.Integer({ description: 'of those, not stored before' })),
  scored: Type.Optional(Type.Integer({ description: 'subjects the learned scorer scored' })),
  error: Type.Optional(Type.String()),
});

const runOut = (r: BatchRun) => ({
  id: r.id,
  trigger: r.trigger,
  requested_by: r.requestedBy,
  status: r.status,
  started_at: r.startedAt,
  finished_at: r.finishedAt,
  seconds: r.seconds,
  through_seq: r.throughSeq,
  new_events: r.newEvents,
  rings: r.rings,
  suspicious_rings: r.suspiciousRings,
  signals: r.signals,
  signals_added: r.signalsAdded,
  scored: r.scored,
  error: r.error,
});

const signalOut = (s: Signal) => ({
  id: s.id,
  kind: s.kind,
  subject: s.subject,
  score: s.score,
  detector: s.detector,
  detector_version: s.detectorVersion,
  rule_id: s.ruleId,
  mode: s.mode,
  evidence: s.evidence,
  explanation: s.explanation,
  facts: s.facts,
  at: s.at,
});
const alertOut = (a: Alert) => ({
  kind: a.kind,
  subject: a.subject,
  score: a.score,
  signals: a.signals,
  top_explanation: a.topExplanation,
  first_at: a.firstAt,
  last_at: a.lastAt,
  status: a.status,
});

export async function detectRoutes(app: FastifyInstance, deps: { detect: Detection }) {
  signalRoutes(app, deps.detect);
  alertRoutes(app, deps.detect);
  ruleRoutes(app, deps.detect);
  batchRoutes(app, deps.detect);
  decisionRoutes(app, deps.detect);
}

/** Signals, for analysts. */
function signalRoutes(app: FastifyInstance, d: Detection) {
  app.get(
    '/v1/signals',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Signals, newest first (filter by subject, rule, detector, mode, score, time)',
        tags: ['detection'],
        querystring: Type.Object({
          kind: Type.Optional(Kind),
          subject: Type.Optional(Type.String()),
          rule: Type.Optional(Type.String()),
          detector: Type.Optional(Type.String()),
          mode: Type.Optional(Type.Enum(['live', 'shadow'])),
          min_score: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
          since: Type.Optional(Type.String({ description: 'ISO-8601 time' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          before: Type.Optional(Type.String({ description: 'cursor from the previous page: "<at>|<id>"' })),
        }),
        response: {
          200: Type.Object({ signals: Type.Array(SignalSchema), next: Type.Optional(Type.String()) }),
        },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | number | undefined>;
      const limit = Number(q.limit ?? 100);
      let before: { at: string; id: string } | undefined;
      if (typeof q.before === 'string') {
        const [at, id] = q.before.split('|');
        if (!at || !id || Number.isNaN(Date.parse(at)))
          throw new AppError('invalid_input', {
            en: 'before must be a cursor "<at>|<id>" from a previous page.',
            zh: 'before 必须是上一页给出的游标 "<at>|<id>"。',
          });
        before = { at, id };
      }
      const list = await d.signals({
        kind: q.kind as never,
        subject: q.subject as string | undefined,
        rule: q.rule as string | undefined,
        detector: q.detector as string | undefined,
        mode: q.mode as never,
        minScore: q.min_score === undefined ? undefined : Number(q.min_score),
        since: q.since as string | undefined,
        limit,
        before,
      });
      const last = list[list.length - 1];
      return {
        signals: list.map(signalOut),
        next: list.length === limit && last ? `${last.at}|${last.id}` : undefined,
      };
    },
  );
}

/** Alerts: signals grouped per subject. */
function alertRoutes(app: FastifyInstance, d: Detection) {
  app.get(
    '/v1/alerts',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Alerts (signals grouped per subject), highest score first',
        tags: ['detection'],
        querystring: Type.Object({
          kind: Type.Optional(Kind),
          min_score: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
          status: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        }),
        response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }) },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | number | undefined>;
      const alerts = await d.alerts({
        kind: q.kind as never,
        minScore: q.min_score === undefined ? undefined : Number(q.min_score),
        status: q.status as string | undefined,
        limit: Number(q.limit ?? 100),
        offset: Number(q.offset ?? 0),
      });
      return { alerts: alerts.map(alertOut) };
    },
  );

  app.get(
    '/v1/alerts/:kind/:subject',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'One alert with all its signals',
        tags: ['detection'],
        params: Type.Object({ kind: Kind, subject: Type.String() }),
        response: { 200: Type.Object({ alert: AlertSchema, signals: Type.Array(SignalSchema) }) },
      },
    },
    async (req) => {
      const { kind, subject } = req.params as { kind: string; subject: string };
      const alert = await d.alert(kind, subject);
      if (!alert)
        throw new AppError('not_found', {
          en: `No alert on ${kind} ${subject}.`,
          zh: `${kind} ${subject} 没有预警。`,
        });
      const signals = await d.signals({ kind: kind as SubjectKind, subject, limit: 1000 });
      return { alert: alertOut(alert), signals: signals.map(signalOut) };
    },
  );
}

/** Rules in force and their reload (the YAML body parsers live here). */
function ruleRoutes(app: FastifyInstance, d: Detection) {
  app.addContentTypeParser(
    ['application/yaml', 'text/yaml', 'application/x-yaml'],
    { parseAs: 'string' },
    (_r, body, done) => done(null, body),
  );
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_r, body, done) => done(null, body));

  app.get(
    '/v1/rules',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Rules in force, with their mode and hit counts, and the file they were read from',
        tags: ['detection'],
      },
    },
    async () => ({ rules: d.rules(), source: d.ruleSource() }),
  );

  app.post(
    '/v1/rules/reload',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: `Reload the rule file, or put the YAML body in force (stored in the data folder, so a restart keeps it); a bad file is rejected and the running rules stay. Recorded with the key and the optional ?reason= (at most ${MAX_REASON_CHARS} characters)`,
        tags: ['detection'],
        querystring: Type.Object({
          reason: Type.Optional(
            Type.String({ maxLength: MAX_REASON_CHARS, description: 'why, for the rule history' }),
          ),
        }),
      },
      // The body is YAML (or empty) and the reason is checked by the service, with the problem's wording.
      validatorCompiler: () => () => true,
    },
    async (req) => {
      const body = typeof req.body === 'string' && req.body.trim() ? req.body : undefined;
      const reason = (req.query as { reason?: unknown }).reason;
      if (reason !== undefined && typeof reason !== 'string')
        throw new AppError(
          'invalid_input',
          { en: 'Give one reason, as ?reason=TEXT.', zh: '请以 ?reason=TEXT 给出一个原因。' },
          [{ field: 'reason', reason: 'must be given once' }],
        );
      const key = req.apiKey!;
      const r = await d.reloadRules(
        { via: 'api', key: { id: key.id, name: key.name } },
        { text: body, reason },
      );
      return { rules: r.rules, source: r.source, stored: r.stored, change: ruleChangeOut(r.change) };
    },
  );

  app.get(
    '/v1/rules/history',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Changes to the rules, newest first: who (key), when, why, and what came in force',
        tags: ['detection'],
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          before: Type.Optional(Type.Integer({ minimum: 1, description: 'only changes older than this id' })),
        }),
        response: { 200: Type.Object({ changes: Type.Array(RuleChangeSchema) }) },
      },
    },
    async (req) => {
      const q = req.query as { limit?: number; before?: number };
      const changes = await d.ruleHistory(
        Number(q.limit ?? 100),
        q.before === undefined ? undefined : Number(q.before),
      );
      return { changes: changes.map(ruleChangeOut) };
    },
  );

  app.get(
    '/v1/rules/history/:id',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'One change to the rules, with the rule file it put in force',
        tags: ['detection'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Intersect([RuleChangeSchema, Type.Object({ text: Type.String() })]) },
      },
    },
    async (req) => {
      const id = Number((req.params as { id: number }).id);
      const c = await d.ruleChange(id);
      if (!c)
        throw new AppError('not_found', {
          en: `No change to the rules has id ${id}.`,
          zh: `没有编号为 ${id} 的规则变更。`,
        });
      return { ...ruleChangeOut(c), text: c.text };
    },
  );
}

/** Rings from the last batch run, the run itself and where detection stands. */
function batchRoutes(app: FastifyInstance, d: Detection) {
  app.get(
    '/v1/rings',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary:
          'Rings found by the last batch job (dense blocks and identifier clusters), most suspicious first',
        tags: ['detection'],
        querystring: Type.Object({
          min_suspicion: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.3 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }),
      },
    },
    async (req) => {
      const q = req.query as { min_suspicion?: number; limit?: number };
      return { rings: await d.rings(Number(q.limit ?? 100), Number(q.min_suspicion ?? 0.3)) };
    },
  );

  app.post(
    '/v1/detection/run',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Run the ring job and the learned scorer now; answers the recorded run when it is over',
        description:
          'Runs once the rules have caught up with the event log. Only one run goes at a time: while one is in progress (whatever started it), the request waits for that run and answers it; its trigger and requested_by say who started it. A failed run answers 200 with status "failed" and its error.',
        tags: ['detection'],
        response: { 200: RunSchema },
      },
    },
    async (req) => runOut(await d.runBatch(req.apiKey?.name)),
  );

  app.get(
    '/v1/detection/runs',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Batch runs, newest first: what started each, when, how long and what it changed',
        tags: ['detection'],
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })),
        }),
        response: { 200: Type.Object({ runs: Type.Array(RunSchema) }) },
      },
    },
    async (req) => {
      const q = req.query as { limit?: number };
      return { runs: (await d.runs(Number(q.limit ?? 20))).map(runOut) };
    },
  );

  app.get(
    '/v1/detection/status',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Where the detectors are in the event log, how far behind, and the latest batch run',
        tags: ['detection'],
      },
    },
    async () => {
      const s = await d.status();
      return { ...s, lastRun: s.lastRun ? runOut(s.lastRun) : null };
    },
  );
}

/** The real-time order decision, for platforms. */
function decisionRoutes(app: FastifyInstance, d: Detection) {
  app.post(
    '/v1/decisions/order',
    {
      config: { roles: ['ingest'] },
      schema: {
        summary:
          'Real-time decision on an order.created event: allow, review or block, with a score and reasons',
        tags: ['decisions'],
        body: Type.Object(
          {},
          { additionalProperties: true, description: 'an order.created event per the contract' },
        ),
        response: {
          200: Type.Object({
            order_id: Type.String(),
            decision: Type.Enum(['allow', 'review', 'block']),
            score: Type.Number(),
            reasons: Type.Array(
              Type.Object({
                code: Type.String(),
                score: Type.Number(),
                zh: Type.String(),
                en: Type.String(),
              }),
            ),
            model: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => {
      const c = checkEvent(req.body);
      if (!c.ok)
        throw new AppError(
          'invalid_input',
          { en: 'The body is not a valid event.', zh: '请求体不是有效的事件。' },
          c.errors,
        );
      if (c.event.type !== 'order.created') {
        throw new AppError(
          'invalid_input',
          {
            en: `Decisions are made on order.created events, got ${c.event.type}.`,
            zh: `只对 order.created 事件作出决定，收到的是 ${c.event.type}。`,
          },
          [{ field: 'type', reason: 'must be order.created' }],
        );
      }
      return await d.decide(c.event);
    },
  );
}
