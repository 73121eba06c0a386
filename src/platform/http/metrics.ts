// HTTP's figures for /metrics (requests by route pattern and status, their durations) and the /metrics
// route itself, for keys with the `metrics` role (a Prometheus scraper) or `admin`.
import type { FastifyInstance } from 'fastify';
import { type Metrics, SECONDS_BUCKETS } from '../metrics.ts';

/** The route label of requests that matched no route, so scanners cannot mint a series per URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

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
        summary: 'Prometheus metrics',
        description:
          'The text exposition format: events accepted, duplicate and rejected, intake latency, detection lag, signals by detector, batch runs, HTTP requests by route and status, and process figures. Needs a key with the metrics (or admin) role.',
        tags: ['system'],
      },
    },
    async (_req, reply) => {
      reply.type(metrics.contentType);
      return metrics.text();
    },
  );
}
