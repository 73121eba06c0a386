// The composition root: opens the store and builds each capability's service once.

import { join } from 'node:path';
import pino from 'pino';
import {
  createDetection,
  type Detection,
  type DetectionLog,
  FolderSnapshotStore,
  startDetectionThread,
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
  /**
   * `logger`: where detection logs instead of stdout (tests). `serving`: detection will start (the server),
   * so the worker reads the newest snapshot in the data folder itself.
   */
  opts: { inMemory?: boolean; schema?: string; logger?: DetectionLog; serving?: boolean } = {},
): Promise<AppContext> {
  const dataDir = opts.inMemory ? undefined : config.dataDir;
  // Beside the embedded store they are files (PGlite would take bytea on this thread, slowly);
  // PostgreSQL keeps them in its table for every process on it.
  const snapshotDir = !config.databaseUrl && dataDir ? join(dataDir, 'snapshots') : undefined;
  // The detection worker first: it reads the learned scorer's model while the store opens. A bad rule
  // file stops start-up here, a bad model once the store is open.
  const detection = {
    rulesFile: config.rulesFile,
    dataDir,
    modelFile: config.modelFile,
    preloadSnapshots: opts.serving ? snapshotDir : undefined,
  };
  const thread = startDetectionThread(detection);
  let db: Db;
  try {
    db = await openDb({
      databaseUrl: config.databaseUrl,
      schema: opts.schema,
      dataDir,
      migrations: ALL_MIGRATIONS,
    });
  } catch (e) {
    await thread.worker.close();
    throw e;
  }
  const bus = new Bus<Topics>();
  const metrics = new Metrics();
  const events = new EventsService(db, bus, metrics);
  // Detection follows the events log once started (the server starts it after listening); commands that
  // only load data never start it.
  let detect: Detection | undefined;
  try {
    detect = createDetection(
      {
        ...detection,
        db,
        log: events.log,
        metrics,
        schedule: { everyMs: config.batchEverySeconds * 1000, everyEvents: config.batchEveryEvents },
        snapshots: snapshotDir ? new FolderSnapshotStore(snapshotDir) : new TableSnapshotStore(db),
        snapshotSchedule: {
          everyEvents: config.snapshotEveryEvents,
          everyMs: config.snapshotEverySeconds * 1000,
        },
        readyLag: { events: config.readyLagEvents, seconds: config.readyLagSeconds },
        logger: opts.logger ?? pino({ level: config.logLevel, name: 'detection' }),
      },
      thread,
    );
    await thread.loaded();
  } catch (e) {
    await (detect?.stop() ?? thread.worker.close());
    await db.close();
    throw e;
  }
  const started = detect;
  return {
    config,
    db,
    bus,
    metrics,
    keys: new KeyService(db),
    events,
    detect: started,
    async close() {
      await started.stop();
      await db.close();
    },
  };
}
