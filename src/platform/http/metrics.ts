// HTTP's figures for /metrics (requests by route pattern and status, their durations) and the /metrics
// route itself, for keys with the `metrics` role (a Prometheus scraper) or `admin`.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { bi } from '../i18n.ts';
import { type Metrics, SECONDS_BUCKETS } from '../metrics.ts';
import { operation, ref } from './openapi.ts';

/** The route label of requests that matched no route, so scanners cannot mint a series per URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

export const MetricsTextSchema = Type.String({
  $id: 'MetricsText',
  description: bi("Prometheus' text exposition format, version 0.0.4.", 'Prometheus 文本格式（0.0.4 版）。'),
});

export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  metrics.collectProcessMetrics();
  const requests = metrics.counter({
    name: 'tianping_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
  });
  const duration = metrics.histogram({
    name: 'tianping_http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its answer, by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: SECONDS_BUCKETS,
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? UNMATCHED_ROUTE;
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    done();
  });

  app.get(
    '/metrics',
    {
      config: { roles: ['metrics'] },
      schema: {
        ...operation({
          id: 'getMetrics',
          summary: ['Prometheus metrics', 'Prometheus 监控指标'],
          description: [
            'The text exposition format: events accepted, duplicate and rejected, intake latency, detection lag, signals by detector, batch runs, HTTP requests by route and status, and process figures. Give the Prometheus scraper a key with the metrics role.',
            '文本格式：已接收、重复和拒收的事件数，上报延迟，检测落后程度，各检测器的信号数，批处理运行情况，按接口和状态统计的 HTTP 请求，以及进程指标。请给 Prometheus 抓取程序一个具有 metrics 角色的密钥。',
          ],
          tags: ['system'],
        }),
        response: {
          200: {
            description: bi('The metrics.', '监控指标。'),
            content: { 'text/plain': { schema: ref(MetricsTextSchema) } },
          },
        },
      },
    },
    async (_req, reply) => {
      reply.type(metrics.contentType);
      return metrics.text();
    },
  );
}
