// `/ready`: the store answers and detection is within the configured lag of the event log. `/health` only
// says the process answers; a load balancer sends traffic by this one.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { problem, sendProblem } from '../platform/http/errors.ts';
import { operation, problemResponse, ref } from '../platform/http/openapi.ts';
import { bi } from '../platform/i18n.ts';
import type { AppContext } from './context.ts';

export const ReadinessSchema = Type.Object(
  {
    status: Type.Literal('ready'),
    storage: Type.Enum(['pglite', 'postgres'], {
      description: bi('The store in use.', '所用的存储。'),
    }),
    lag: Type.Object(
      {
        events: Type.Integer({
          description: bi(
            'Events not yet through detection (counted up to just past the limit).',
            '尚未经过检测的事件数（最多数到刚超过上限为止）。',
          ),
        }),
        seconds: Type.Number({ description: bi('Age of the oldest of them.', '其中最早一条已等待的秒数。') }),
      },
      { description: bi('How far detection is behind the event log.', '检测落后于事件日志的程度。') },
    ),
  },
  {
    $id: 'Readiness',
    description: bi(
      'The store is open and detection is within the allowed lag.',
      '数据库已打开，且检测落后程度在允许范围内。',
    ),
  },
);

export function readyRoute(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/ready',
    {
      config: { public: true },
      schema: {
        ...operation({
          id: 'getReadiness',
          summary: [
            'Readiness: the store is open and detection is within the allowed lag',
            '就绪：数据库已打开且检测未落后过多',
          ],
          description: [
            'What a load balancer sends traffic by. TIANPING_READY_LAG_EVENTS and TIANPING_READY_LAG_SECONDS set the lag allowed; 503 (a problem) says why not ready.',
            '负载均衡据此决定是否转发流量。TIANPING_READY_LAG_EVENTS 和 TIANPING_READY_LAG_SECONDS 设定允许的落后程度；503（问题详情）说明为何尚未就绪。',
          ],
          tags: ['system'],
        }),
        response: { 200: ref(ReadinessSchema), 503: problemResponse(503, ['not_ready']) },
      },
    },
    async (req, reply) => {
      const instance = req.url.split('?')[0];
      try {
        await ctx.db.query('select 1');
      } catch (e) {
        req.log.warn({ err: (e as Error).message }, 'not ready: the store does not answer');
        return sendProblem(
          reply,
          problem(
            'not_ready',
            { en: 'The store does not answer; see the log.', zh: '数据库没有响应；详见日志。' },
            { instance },
          ),
        );
      }
      const r = await ctx.detect.readiness();
      if (!r.ready) {
        const why = r.reason ?? { en: 'Detection is not ready.', zh: '检测尚未就绪。' };
        return sendProblem(reply, problem('not_ready', why, { instance }));
      }
      return { status: 'ready' as const, storage: ctx.db.kind, lag: r.lag };
    },
  );
}
