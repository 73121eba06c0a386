// The OpenAPI document without a running service: the server is built on a context whose store and
// services are stand-ins, since building the routes only keeps them for later. For `tianping openapi`
// and the tests that read the document; nothing is opened, so it takes well under a second.
import type { FastifyInstance } from 'fastify';
import { Bus } from '../platform/bus.ts';
import { loadConfig } from '../platform/config.ts';
import { Metrics } from '../platform/metrics.ts';
import type { AppContext, Topics } from './context.ts';
import { buildServer } from './server.ts';

/** A part of the context that building the routes never touches: any use while writing the document is a bug. */
function absent<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      // `await` and promise resolution look for `then`: answer that this is not a promise.
      if (key === 'then') return undefined;
      throw new Error(`${name}.${String(key)} was used while only the OpenAPI document was being written`);
    },
  });
}

/** The whole HTTP server on stand-ins: its routes, document and docs pages answer; nothing else may be used. */
export function storelessServer(): Promise<FastifyInstance> {
  const ctx: AppContext = {
    config: loadConfig({}, {}),
    db: absent('db'),
    bus: new Bus<Topics>(),
    metrics: new Metrics(),
    keys: absent('keys'),
    events: absent('events'),
    detect: absent('detect'),
    close: async () => {},
  };
  return buildServer(ctx, { logger: false });
}

/** The document the server serves at /openapi.json (with the default settings: it depends on none). */
export async function openapiDocument(opts: { yaml?: boolean } = {}): Promise<string> {
  const app = await storelessServer();
  try {
    await app.ready();
    return opts.yaml ? app.swagger({ yaml: true }) : `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
