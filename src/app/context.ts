// The composition root: opens the store and builds each capability's service once.
import { DetectService } from '../detect/service.ts';
import { EventsService, type EventTopics } from '../events/service.ts';
import { KeyService } from '../platform/auth/keys.ts';
import { Bus } from '../platform/bus.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/db.ts';
import { openDb } from '../platform/db/open.ts';
import { ALL_MIGRATIONS } from './migrations.ts';

export type Topics = EventTopics;

export interface AppContext {
  config: Config;
  db: Db;
  bus: Bus<Topics>;
  keys: KeyService;
  events: EventsService;
  detect: DetectService;
  close(): Promise<void>;
}

export async function createContext(
  config: Config,
  opts: { inMemory?: boolean; schema?: string; detection?: boolean } = {},
): Promise<AppContext> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    schema: opts.schema,
    dataDir: opts.inMemory ? undefined : config.dataDir,
    migrations: ALL_MIGRATIONS,
  });
  const bus = new Bus<Topics>();
  const detect = new DetectService(db, { rulesFile: config.rulesFile, modelFile: config.modelFile });
  // Detection follows the log; the bus only wakes it, so a missed wake-up is caught on the next one. Commands
  // that only load data leave it off: the server replays the log when it starts.
  if (opts.detection) bus.on('events.appended', () => detect.notify());
  return {
    config,
    db,
    bus,
    keys: new KeyService(db),
    events: new EventsService(db, bus),
    detect,
    async close() {
      await detect.stop();
      await db.close();
    },
  };
}
