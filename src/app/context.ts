// The composition root: opens the store and builds each capability's service once.

import { join } from 'node:path';
import pino from 'pino';
import {
  createDetection,
  type Detection,
  type DetectionLog,
  FolderSnapshotStore,
  TableSnapshotStore,
} from '../detect/index.ts';
import { EventsService, type EventTopics } from '../events/index.ts';
import { KeyService } from '../platform/auth/keys.ts';
import { Bus } from '../platform/bus.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/db.ts';
import { openDb } from '../platform/db/open.ts';
import { Metrics } from '../platform/metrics.ts';
import { ALL_MIGRATIONS } from './migrations.ts';

export type Topics = EventTopics;

export interface AppContext {
  config: Config;
  db: Db;
  bus: Bus<Topics>;
  /** The registry every capability counts into; served at /metrics. */
  metrics: Metrics;
  keys: KeyService;
  events: EventsService;
  detect: Detection;
  close(): Promise<void>;
}

export async function createContext(
  config: Config,
  /** `logger`: where detection logs instead of stdout (tests). */
  opts: { inMemory?: boolean; schema?: string; logger?: DetectionLog } = {},
): Promise<AppContext> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    schema: opts.schema,
    dataDir: opts.inMemory ? undefined : config.dataDir,
    migrations: ALL_MIGRATIONS,
  });
  const bus = new Bus<Topics>();
  const metrics = new Metrics();
  const events = new EventsService(db, bus, metrics);
  // Detection follows the events log once started (the server starts it after listening); commands that
  // only load data never start it.
  let detect: Detection;
  try {
    detect = createDetection({
      db,
      log: events.log,
      rulesFile: config.rulesFile,
      dataDir: opts.inMemory ? undefined : config.dataDir,
      modelFile: config.modelFile,
      metrics,
      schedule: { everyMs: config.batchEverySeconds * 1000, everyEvents: config.batchEveryEvents },
      // The embedded store's folder holds them as files (PGlite would take bytea on this thread, slowly);
      // PostgreSQL keeps them in its table for every process on it.
      snapshots:
        db.kind === 'pglite' && !opts.inMemory
          ? new FolderSnapshotStore(join(config.dataDir, 'snapshots'))
          : new TableSnapshotStore(db),
      snapshotSchedule: {
        everyEvents: config.snapshotEveryEvents,
        everyMs: config.snapshotEverySeconds * 1000,
      },
      readyLag: { events: config.readyLagEvents, seconds: config.readyLagSeconds },
      logger: opts.logger ?? pino({ level: config.logLevel, name: 'detection' }),
    });
  } catch (e) {
    await db.close();
    throw e;
  }
  return {
    config,
    db,
    bus,
    metrics,
    keys: new KeyService(db),
    events,
    detect,
    async close() {
      await detect.stop();
      await db.close();
    },
  };
}
