// `/ready`: the store answers and detection is within the configured lag of the event log. `/health` only
// says the process answers; a load balancer sends traffic by this one.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ProblemResponse, problem, sendProblem } from '../platform/http/errors.ts';
import type { AppContext } from './context.ts';

const Lag = Type.Object({
  events: Type.Integer({
    description: 'events not yet through detection (counted up to just past the limit)',
  }),
  seconds: Type.Number({ description: 'age of the oldest of them' }),
});

export function readyRoute(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/ready',
    {
      config: { public: true },
      schema: {
        summary: 'Readiness: the store is open and detection is within the configured lag',
        description:
          'TIANPING_READY_LAG_EVENTS and TIANPING_READY_LAG_SECONDS set the lag allowed. 503 (problem details) says why not.',
        tags: ['system'],
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ready'), storage: Type.String(), lag: Lag }),
          503: ProblemResponse,
        },
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
