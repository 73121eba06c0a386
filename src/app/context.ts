// The composition root: opens the store and builds each capability's service once.
import { EventsService, type EventTopics } from '../events/service.ts';
import { KeyService } from '../platform/auth/keys.ts';
import { Bus } from '../platform/bus.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/db.ts';
import { openDb } from '../platform/db/open.ts';

export type Topics = EventTopics;

export interface AppContext {
  config: Config;
  db: Db;
  bus: Bus<Topics>;
  keys: KeyService;
  events: EventsService;
  close(): Promise<void>;
}

export async function createContext(
  config: Config,
  opts: { inMemory?: boolean; schema?: string } = {},
): Promise<AppContext> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    schema: opts.schema,
    dataDir: opts.inMemory ? undefined : config.dataDir,
  });
  const bus = new Bus<Topics>();
  return {
    config,
    db,
    bus,
    keys: new KeyService(db),
    events: new EventsService(db, bus),
    close: () => db.close(),
  };
}
