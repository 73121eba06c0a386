// Detection over HTTP: signals and alerts for analysts, rules and their hit counts, rings, the batch
// job, and the real-time order decision for platforms.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { checkEvent, eventSchemaId } from '../events/index.ts';
import { AppError } from '../platform/errors.ts';
import { operation, problemResponse, ref } from '../platform/http/openapi.ts';
import { bi } from '../platform/i18n.ts';
import type { Alert, BatchRun, RuleChange } from './repository.ts';
import { MAX_REASON_CHARS } from './rule-admin.ts';
import type { Detection } from './service.ts';
import { type Signal, SUBJECT_KINDS, type SubjectKind } from './signals.ts';

const Kind = Type.Enum([...SUBJECT_KINDS], { description: bi('The kind of subject.', '对象的类别。') });
const Time = (en: string, zh: string) =>
  Type.String({ description: bi(`${en} (ISO-8601, UTC).`, `${zh}（ISO-8601，UTC）。`) });
const Limit = (byDefault: number) =>
  Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: byDefault,
      description: bi('How many to list at most.', '最多列出的条数。'),
    }),
  );
const MinScore = Type.Optional(
  Type.Number({
    minimum: 0,
    maximum: 1,
    description: bi('Only those scoring at least this.', '只列出分数不低于此值的。'),
  }),
);

const ExplanationSchema = Type.Object(
  { zh: Type.String(), en: Type.String() },
  {
    $id: 'Explanation',
    description: bi('A reason a person can check, in both languages.', '可供人核查的理由（中英文）。'),
  },
);
const SignalSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ description: bi('The kind of subject.', '对象的类别。') }),
    subject: Type.String({ description: bi("The subject's id.", '对象的编号。') }),
    score: Type.Number({ description: bi('From 0 to 1.', '0 到 1 之间。') }),
    detector: Type.String(),
    detector_version: Type.String(),
    rule_id: Type.Optional(
      Type.String({
        description: bi('The rule that fired, for rule signals.', '触发的规则（规则信号才有）。'),
      }),
    ),
    mode: Type.String({
      description: bi(
        '`live`, or `shadow` (recorded, never alerted).',
        '`live`，或 `shadow`（只记录，不产生预警）。',
      ),
    }),
    evidence: Type.Array(Type.String(), { description: bi('Event ids.', '作为证据的事件编号。') }),
    explanation: ref(ExplanationSchema),
    facts: Type.Optional(
      Type.Record(Type.String(), Type.Number(), {
        description: bi('The figures behind the score.', '得出分数所依据的数值。'),
      }),
    ),
    at: Time('When it was found', '发现时间'),
  },
  {
    $id: 'Signal',
    description: bi(
      'What one detector found on one subject, with its evidence.',
      '某个检测器在某个对象上的发现及其证据。',
    ),
  },
);
const SignalPageSchema = Type.Object(
  {
    signals: Type.Array(ref(SignalSchema)),
    next: Type.Optional(
      Type.String({
        description: bi(
          'Cursor of the next page, for `before`; absent on the last page.',
          '下一页的游标，用于 `before`；最后一页没有。',
        ),
      }),
    ),
  },
  { $id: 'SignalPage', description: bi('A page of signals, newest first.', '一页信号，最新的在前。') },
);
const AlertSchema = Type.Object(
  {
    kind: Type.String({ description: bi('The kind of subject.', '对象的类别。') }),
    subject: Type.String({ description: bi("The subject's id.", '对象的编号。') }),
    score: Type.Number({
      description: bi(
        'The live signals combined (noisy-OR), from 0 to 1.',
        '各实时信号的合并分数（noisy-OR），0 到 1。',
      ),
    }),
    signals: Type.Integer({ description: bi('How many live signals.', '实时信号的条数。') }),
    top_explanation: ref(ExplanationSchema),
    first_at: Time('First signal', '首条信号时间'),
    last_at: Time('Latest signal', '最近一条信号时间'),
    status: Type.String({
      description: bi('Where the alert stands, e.g. `open`.', '预警的处理状态，如 `open`。'),
    }),
  },
  { $id: 'Alert', description: bi("A subject's live signals, grouped.", '某个对象的实时信号汇总。') },
);
const AlertListSchema = Type.Object(
  { alerts: Type.Array(ref(AlertSchema)) },
  { $id: 'AlertList', description: bi('Alerts, highest score first.', '预警列表，分数最高的在前。') },
);
const AlertDetailSchema = Type.Object(
  { alert: ref(AlertSchema), signals: Type.Array(ref(SignalSchema)) },
  { $id: 'AlertDetail', description: bi('An alert with all its signals.', '一条预警及其全部信号。') },
);

const RuleStatusSchema = Type.Object(
  {
    rule: Type.String({ description: bi("The rule's id.", '规则编号。') }),
    kind: Type.String({ description: bi('The detector it configures.', '它所配置的检测器。') }),
    mode: Type.Enum(['live', 'shadow']),
    hits: Type.Integer({ description: bi('Signals since start.', '启动以来产生的信号数。') }),
    last_hit_at: Type.Optional(Time('Latest hit', '最近一次命中时间')),
    description: ref(ExplanationSchema),
    basis: ref(ExplanationSchema),
    weight: Type.Number(),
  },
  {
    $id: 'RuleStatus',
    description: bi(
      'A rule in force, what it is for and the legal or platform-rule basis, and its hits.',
      '一条生效的规则：用途、法律或平台规则依据，以及命中次数。',
    ),
  },
);
const RuleSourceSchema = Type.Object(
  {
    kind: Type.Enum(['configured', 'stored', 'bundled'], {
      description: bi(
        '`configured`: TIANPING_RULES names the file; `stored`: a reload stored it in the data folder; `bundled`: the default.',
        '`configured`：由 TIANPING_RULES 指定；`stored`：重新加载时存入数据目录；`bundled`：内置默认规则。',
      ),
    }),
    path: Type.String(),
  },
  { $id: 'RuleSource', description: bi('Where the rules in force were read from.', '生效规则的来源文件。') },
);
const RuleListSchema = Type.Object(
  { rules: Type.Array(ref(RuleStatusSchema)), source: ref(RuleSourceSchema) },
  { $id: 'RuleList', description: bi('The rules in force and their file.', '生效的规则及其文件。') },
);
const RuleFileSchema = Type.String({
  $id: 'RuleFile',
  description: bi(
    'A rule file in YAML, as `src/detect/rules/default-rules.yaml`; limits on rules, words and size apply.',
    'YAML 格式的规则文件，格式同 `src/detect/rules/default-rules.yaml`；规则数、词条数和文件大小均有上限。',
  ),
});
const RuleChangeSchema = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    via: Type.Enum(['api', 'signal'], {
      description: bi(
        'Over the API with a key, or SIGHUP to the server.',
        '通过 API（带密钥），或向服务器发送 SIGHUP。',
      ),
    }),
    key: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], {
      description: bi(
        'The API key that made the change (null for a signal).',
        '作出变更的 API 密钥（信号触发时为 null）。',
      ),
    }),
    reason: Type.Union([Type.String(), Type.Null()]),
    source: Type.String({
      description: bi(
        '"request body", or the rule file read again.',
        '"request body"，或重新读取的规则文件。',
      ),
    }),
    stored: Type.Union([Type.String(), Type.Null()], {
      description: bi(
        'Where the new rule file was stored (in the data folder).',
        '新规则文件的存放位置（数据目录中）。',
      ),
    }),
    sha256: Type.String({ description: bi('Of the rule file put in force.', '生效规则文件的 SHA-256。') }),
    rules: Type.Integer({ description: bi('Rules in the file.', '文件中的规则数。') }),
  },
  {
    $id: 'RuleChange',
    description: bi(
      'One change to the rules: who, when, why and what.',
      '一次规则变更：由谁、何时、为何、改成了什么。',
    ),
  },
);
const RuleChangeListSchema = Type.Object(
  { changes: Type.Array(ref(RuleChangeSchema)) },
  {
    $id: 'RuleChangeList',
    description: bi('Changes to the rules, newest first.', '规则变更记录，最新的在前。'),
  },
);
const RuleChangeTextSchema = Type.Intersect(
  [
    ref(RuleChangeSchema),
    Type.Object({
      text: Type.String({ description: bi('The rule file it put in force.', '它使之生效的规则文件。') }),
    }),
  ],
  {
    $id: 'RuleChangeText',
    description: bi('A change to the rules, with its rule file.', '一次规则变更及其规则文件。'),
  },
);
const RuleReloadSchema = Type.Object(
  {
    rules: Type.Integer({ description: bi('Rules now in force.', '现已生效的规则数。') }),
    source: Type.String({
      description: bi('"request body", or the file read again.', '"request body"，或重新读取的文件。'),
    }),
    stored: Type.Union([Type.String(), Type.Null()], {
      description: bi('Where the new file was stored, or null.', '新文件的存放位置，或 null。'),
    }),
    change: ref(RuleChangeSchema),
  },
  {
    $id: 'RuleReload',
    description: bi('The rules put in force, and the change recorded.', '已生效的规则及所记录的变更。'),
  },
);

const RingSchema = Type.Object(
  {
    id: Type.String(),
    method: Type.Enum(['dense-block', 'identifier-cluster'], {
      description: bi(
        'A dense block of buyers and merchants (FRAUDAR), or accounts sharing identifiers.',
        '买家与商家之间的稠密块（FRAUDAR），或共用标识的账户群。',
      ),
    }),
    members: Type.Array(Type.String(), { description: bi('Account ids.', '账户编号。') }),
    merchants: Type.Array(Type.String(), { description: bi('Merchant ids.', '商家编号。') }),
    identifiers: Type.Array(Type.String(), {
      description: bi(
        'Shared identifiers, as `device:…`, `instrument:…`.',
        '共用的标识，如 `device:…`、`instrument:…`。',
      ),
    }),
    score: Type.Number({
      description: bi(
        "FRAUDAR's g(S) for blocks; links per member for clusters.",
        '稠密块为 FRAUDAR 的 g(S)；账户群为人均关联数。',
      ),
    }),
    density: Type.Number({
      description: bi(
        "Fill of the block, or of the cluster's merchant co-buying.",
        '稠密块的填充率，或账户群共同购买商家的填充率。',
      ),
    }),
    suspicion: Type.Number({ description: bi('From 0 to 1.', '0 到 1 之间。') }),
    evidence: Type.Array(Type.String(), {
      description: bi('Order events that tie members to the merchants.', '把成员与商家联系起来的订单事件。'),
    }),
    found_at: Time('When the batch job found it', '批处理发现它的时间'),
  },
  { $id: 'Ring', description: bi('A suspected ring of accounts and merchants.', '疑似的账户与商家团伙。') },
);
const RingListSchema = Type.Object(
  { rings: Type.Array(ref(RingSchema)) },
  { $id: 'RingList', description: bi('Rings, most suspicious first.', '团伙列表，最可疑的在前。') },
);

const RunSchema = Type.Object(
  {
    id: Type.Integer(),
    trigger: Type.Enum(['start', 'schedule', 'events', 'request'], {
      description: bi(
        '`start`: once the rules caught up after start-up; `schedule`: by time; `events`: by new-event count; `request`: POST /v1/detection/run.',
        '`start`：启动后规则追上日志时；`schedule`：按时间；`events`：按新事件数；`request`：POST /v1/detection/run。',
      ),
    }),
    requested_by: Type.Optional(
      Type.String({
        description: bi(
          'Name of the API key that asked (request runs).',
          '发起请求的 API 密钥名称（请求触发时）。',
        ),
      }),
    ),
    status: Type.Enum(['running', 'done', 'failed']),
    started_at: Type.String(),
    finished_at: Type.Optional(Type.String()),
    seconds: Type.Optional(
      Type.Number({
        description: bi(
          'From start to finish, waiting for the rules included.',
          '从开始到结束的秒数，含等待规则追上的时间。',
        ),
      }),
    ),
    through_seq: Type.Optional(
      Type.Integer({
        description: bi(
          'The run covered the event log up to this seq.',
          '本次运行覆盖到事件日志的这一序号。',
        ),
      }),
    ),
    new_events: Type.Optional(
      Type.Integer({
        description: bi('Events through the rules since the run before.', '自上次运行以来经过规则的事件数。'),
      }),
    ),
    rings: Type.Optional(Type.Integer()),
    suspicious_rings: Type.Optional(Type.Integer()),
    signals: Type.Optional(
      Type.Integer({
        description: bi(
          'Signals the run found (scorer and ring members).',
          '本次运行发现的信号数（评分模型与团伙成员）。',
        ),
      }),
    ),
    signals_added: Type.Optional(
      Type.Integer({ description: bi('Of those, not stored before.', '其中此前未存储的。') }),
    ),
    scored: Type.Optional(
      Type.Integer({
        description: bi('Subjects the learned scorer scored.', '学习型评分模型评分的对象数。'),
      }),
    ),
    error: Type.Optional(Type.String({ description: bi('Why a failed run failed.', '运行失败的原因。') })),
  },
  {
    $id: 'BatchRun',
    description: bi(
      'One run of the ring job and the learned scorer: what started it, when, how long and what it changed.',
      '团伙任务与学习型评分模型的一次运行：由什么触发、何时、用时多久、改变了什么。',
    ),
  },
);
const RunListSchema = Type.Object(
  { runs: Type.Array(ref(RunSchema)) },
  { $id: 'BatchRunList', description: bi('Batch runs, newest first.', '批处理运行记录，最新的在前。') },
);
const DetectionStatusSchema = Type.Object(
  {
    last_seq: Type.Integer({
      description: bi('The last event seq the store holds.', '存储中最后一条事件的序号。'),
    }),
    events: Type.Integer({
      description: bi('Events through the rules since start.', '启动以来经过规则的事件数。'),
    }),
    rules: Type.Integer({ description: bi('Rules in force.', '生效的规则数。') }),
    model: Type.Union([Type.String(), Type.Null()], {
      description: bi('The learned scorer in use.', '所用的学习型评分模型。'),
    }),
    worker: Type.Enum(['running', 'not started', 'failed'], {
      description: bi('The detection worker.', '检测工作线程的状态。'),
    }),
    error: Type.Optional(Type.String({ description: bi('Why the worker failed.', '工作线程失败的原因。') })),
    ready: Type.Boolean(),
    reason: Type.Optional(
      Type.String({ description: bi('Why not ready, in English.', '尚未就绪的原因（英文）。') }),
    ),
    lag: Type.Object(
      { events: Type.Integer(), seconds: Type.Number() },
      { description: bi('How far the rules are behind the event log.', '规则落后于事件日志的程度。') },
    ),
    batch_running: Type.Boolean(),
    last_run: Type.Union([ref(RunSchema), Type.Null()]),
  },
  {
    $id: 'DetectionStatus',
    description: bi(
      'Where the detectors are in the event log, how far behind, and the latest batch run.',
      '检测器处理到事件日志的哪里、落后多少，以及最近一次批处理运行。',
    ),
  },
);

const DecisionSchema = Type.Object(
  {
    order_id: Type.String(),
    decision: Type.Enum(['allow', 'review', 'block']),
    score: Type.Number({ description: bi('From 0 to 1.', '0 到 1 之间。') }),
    reasons: Type.Array(
      Type.Object({
        code: Type.String(),
        score: Type.Number({
          description: bi(
            "The share of the order's risk this reason stands for (from 0 to 1, two decimals); its texts end with it.",
            '此项理由计入本单风险的分值（0 到 1，两位小数），其说明文字以该值结尾。',
          ),
        }),
        zh: Type.String(),
        en: Type.String(),
      }),
      {
        description: bi(
          'Strongest first; the score combines them (a noisy-OR).',
          '按分值从高到低；总分由各项合成（noisy-OR）。',
        ),
      },
    ),
    model: Type.Union([Type.String(), Type.Null()], {
      description: bi('The learned scorer used, if any.', '所用的学习型评分模型（如有）。'),
    }),
  },
  {
    $id: 'Decision',
    description: bi('Allow, review or block an order, and why.', '对订单放行、复核或拦截，及其理由。'),
  },
);

/** The named schemas of these routes, for the composition root to register (`app.addSchema`). */
export const detectSchemas = [
  ExplanationSchema,
  SignalSchema,
  SignalPageSchema,
  AlertSchema,
  AlertListSchema,
  AlertDetailSchema,
  RuleStatusSchema,
  RuleSourceSchema,
  RuleListSchema,
  RuleFileSchema,
  RuleChangeSchema,
  RuleChangeListSchema,
  RuleChangeTextSchema,
  RuleReloadSchema,
  RingSchema,
  RingListSchema,
  RunSchema,
  RunListSchema,
  DetectionStatusSchema,
  DecisionSchema,
];

// The decision's body is checked against the contract by checkEvent, in its own words; Fastify only makes
// sure it is an object, as it always has.
const isObject = Compile(Type.Object({}, { additionalProperties: true }));
const objectBody = () => (value: unknown) =>
  isObject.Check(value) ? { value } : { error: isObject.Errors(value) };

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
        ...operation({
          id: 'listSignals',
          summary: ['Signals, newest first', '信号列表，最新的在前'],
          description: [
            "Filter by subject, rule, detector, mode, score and time; page with `before` set to the previous page's `next`.",
            '可按对象、规则、检测器、模式、分数和时间筛选；翻页时把 `before` 设为上一页的 `next`。',
          ],
          tags: ['detection'],
        }),
        querystring: Type.Object({
          kind: Type.Optional(Kind),
          subject: Type.Optional(Type.String({ description: bi("The subject's id.", '对象的编号。') })),
          rule: Type.Optional(Type.String({ description: bi("A rule's id.", '规则编号。') })),
          detector: Type.Optional(Type.String({ description: bi('A detector.', '检测器。') })),
          mode: Type.Optional(
            Type.Enum(['live', 'shadow'], { description: bi('Live or shadow signals.', '实时或影子信号。') }),
          ),
          min_score: MinScore,
          since: Type.Optional(Time('Only signals found since', '只列出此时间之后发现的信号')),
          limit: Limit(100),
          before: Type.Optional(
            Type.String({
              description: bi(
                'Cursor from the previous page: `<at>|<id>`.',
                '上一页给出的游标：`<at>|<id>`。',
              ),
            }),
          ),
        }),
        response: { 200: ref(SignalPageSchema) },
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
        ...operation({
          id: 'listAlerts',
          summary: ['Alerts, highest score first', '预警列表，分数最高的在前'],
          description: [
            "An alert is a subject's live signals, grouped: its score combines them (noisy-OR).",
            '预警是某个对象的实时信号汇总，其分数由这些信号合并得出（noisy-OR）。',
          ],
          tags: ['detection'],
        }),
        querystring: Type.Object({
          kind: Type.Optional(Kind),
          min_score: MinScore,
          status: Type.Optional(
            Type.String({ description: bi('Only alerts in this status.', '只列出处于此状态的预警。') }),
          ),
          limit: Limit(100),
          offset: Type.Optional(
            Type.Integer({ minimum: 0, default: 0, description: bi('How many to skip.', '跳过的条数。') }),
          ),
        }),
        response: { 200: ref(AlertListSchema) },
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
        ...operation({
          id: 'getAlert',
          summary: ['One alert with all its signals', '一条预警及其全部信号'],
          description: [
            'The alert on this subject and its signals (up to 1,000, newest first).',
            '该对象的预警及其信号（最多 1000 条，最新的在前）。',
          ],
          tags: ['detection'],
        }),
        params: Type.Object({
          kind: Kind,
          subject: Type.String({ description: bi("The subject's id.", '对象的编号。') }),
        }),
        response: { 200: ref(AlertDetailSchema), 404: problemResponse(404) },
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
        ...operation({
          id: 'listRules',
          summary: ['Rules in force', '生效的规则'],
          description: [
            'Each rule with its mode, weight, basis and hit counts, and the file they were read from.',
            '列出每条规则的模式、权重、依据和命中次数，以及规则所在的文件。',
          ],
          tags: ['detection'],
        }),
        response: { 200: ref(RuleListSchema) },
      },
    },
    async () => ({ rules: d.rules(), source: d.ruleSource() }),
  );

  app.post(
    '/v1/rules/reload',
    {
      config: { roles: ['admin'] },
      schema: {
        ...operation({
          id: 'reloadRules',
          summary: [
            'Reload the rules, or put a new rule file in force',
            '重新加载规则，或使新的规则文件生效',
          ],
          description: [
            `Without a body, the rule file in force is read again. With a YAML body (\`application/yaml\`, also \`text/yaml\`, \`application/x-yaml\` and \`text/plain\`), that file is put in force and stored in the data folder, so a restart keeps it; when TIANPING_RULES names the file, a body gets 409. A bad file is rejected (400, naming the rule and field) and the running rules stay. Each change is recorded with the key and the optional \`reason\` (at most ${MAX_REASON_CHARS} characters).`,
            `不带请求体时，重新读取生效的规则文件。带 YAML 请求体（\`application/yaml\`，也接受 \`text/yaml\`、\`application/x-yaml\` 和 \`text/plain\`）时，该文件生效并存入数据目录，重启后仍然有效；若 TIANPING_RULES 指定了规则文件，带请求体则返回 409。不合格的文件会被拒绝（400，并指出规则和字段），运行中的规则保持不变。每次变更都连同密钥和可选的 \`reason\`（最多 ${MAX_REASON_CHARS} 个字符）一起记录。`,
          ],
          tags: ['detection'],
        }),
        querystring: Type.Object({
          reason: Type.Optional(
            Type.String({
              maxLength: MAX_REASON_CHARS,
              description: bi('Why, for the rule history.', '变更原因，记入规则历史。'),
            }),
          ),
        }),
        // A reload without a body reads the file in force again.
        'x-body-optional': true,
        body: {
          content: {
            'application/yaml': { schema: ref(RuleFileSchema) },
            'text/yaml': { schema: ref(RuleFileSchema) },
            'application/x-yaml': { schema: ref(RuleFileSchema) },
            'text/plain': { schema: ref(RuleFileSchema) },
          },
        },
        response: { 200: ref(RuleReloadSchema), 409: problemResponse(409) },
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
        ...operation({
          id: 'listRuleChanges',
          summary: ['Changes to the rules, newest first', '规则变更记录，最新的在前'],
          description: [
            'Who (which key) changed the rules, when, why, and what came in force.',
            '谁（哪个密钥）在何时、为何变更了规则，以及什么规则因此生效。',
          ],
          tags: ['detection'],
        }),
        querystring: Type.Object({
          limit: Limit(100),
          before: Type.Optional(
            Type.Integer({
              minimum: 1,
              description: bi('Only changes older than this id.', '只列出编号小于此值的变更。'),
            }),
          ),
        }),
        response: { 200: ref(RuleChangeListSchema) },
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
        ...operation({
          id: 'getRuleChange',
          summary: ['One change to the rules, with its rule file', '一次规则变更及其规则文件'],
          description: [
            'The change and the whole rule file it put in force.',
            '该次变更及其使之生效的完整规则文件。',
          ],
          tags: ['detection'],
        }),
        params: Type.Object({
          id: Type.Integer({ minimum: 1, description: bi("The change's id.", '变更编号。') }),
        }),
        response: { 200: ref(RuleChangeTextSchema), 404: problemResponse(404) },
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
        ...operation({
          id: 'listRings',
          summary: [
            'Rings found by the last batch run, most suspicious first',
            '最近一次批处理发现的团伙，最可疑的在前',
          ],
          description: [
            'Dense blocks of buyers and merchants, and clusters of accounts sharing identifiers.',
            '买家与商家之间的稠密块，以及共用标识的账户群。',
          ],
          tags: ['detection'],
        }),
        querystring: Type.Object({
          min_suspicion: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 1,
              default: 0.3,
              description: bi('Only rings at least this suspicious.', '只列出可疑度不低于此值的团伙。'),
            }),
          ),
          limit: Limit(100),
        }),
        response: { 200: ref(RingListSchema) },
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
        ...operation({
          id: 'runDetection',
          summary: ['Run the ring job and the learned scorer now', '立即运行团伙任务和学习型评分模型'],
          description: [
            'Runs once the rules have caught up with the event log, and answers the recorded run when it is over. Only one run goes at a time: while one is in progress (whatever started it), the request waits for that run and answers it; its `trigger` and `requested_by` say who started it. A failed run answers 200 with status `failed` and its error. Runs also start on a schedule (TIANPING_BATCH_EVERY_SECONDS, TIANPING_BATCH_EVERY_EVENTS).',
            '在规则追上事件日志后运行，运行结束时返回所记录的运行。同一时间只有一次运行：若已有运行在进行（无论由何触发），请求会等待并返回该次运行；其 `trigger` 和 `requested_by` 说明由谁触发。运行失败时仍返回 200，状态为 `failed` 并附错误。批处理也会按计划自动运行（TIANPING_BATCH_EVERY_SECONDS、TIANPING_BATCH_EVERY_EVENTS）。',
          ],
          tags: ['detection'],
        }),
        response: { 200: ref(RunSchema) },
      },
    },
    async (req) => runOut(await d.runBatch(req.apiKey?.name)),
  );

  app.get(
    '/v1/detection/runs',
    {
      config: { roles: ['analyst'] },
      schema: {
        ...operation({
          id: 'listDetectionRuns',
          summary: ['Batch runs, newest first', '批处理运行记录，最新的在前'],
          description: [
            'What started each run, when, how long it took and what it changed.',
            '每次运行由什么触发、何时开始、用时多久、改变了什么。',
          ],
          tags: ['detection'],
        }),
        querystring: Type.Object({ limit: Limit(20) }),
        response: { 200: ref(RunListSchema) },
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
        ...operation({
          id: 'getDetectionStatus',
          summary: ['Where detection stands', '检测的进度'],
          description: [
            'Where the detectors are in the event log, how far behind, the worker, and the latest batch run.',
            '检测器处理到事件日志的哪里、落后多少、工作线程的状态，以及最近一次批处理运行。',
          ],
          tags: ['detection'],
        }),
        response: { 200: ref(DetectionStatusSchema) },
      },
    },
    async () => {
      const s = await d.status();
      return { ...s, last_run: s.last_run ? runOut(s.last_run) : null };
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
        ...operation({
          id: 'decideOrder',
          summary: ['Real-time decision on an order', '订单实时决策'],
          description: [
            'Send the `order.created` event as the contract has it; the answer is allow, review or block, with a score and the reasons. Nothing is stored: send the event to POST /v1/events too. 503 while detection is stopped.',
            '按事件契约发送 `order.created` 事件；返回放行、复核或拦截，并附分数和理由。不会存储任何内容：请同时把该事件发送到 POST /v1/events。检测停止时返回 503。',
          ],
          tags: ['decisions'],
        }),
        body: Type.Ref(eventSchemaId('order.created')),
        response: { 200: ref(DecisionSchema), 503: problemResponse(503, ['not_ready']) },
      },
      validatorCompiler: objectBody,
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
