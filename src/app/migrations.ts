// Every capability's migrations, in one place; platform applies their union in version order.
import { migrations as detect } from '../detect/index.ts';
import { migrations as events } from '../events/index.ts';
import type { MigrationSource } from '../platform/db/migrate.ts';
import { migrations as platform } from '../platform/migrations/index.ts';

export const ALL_MIGRATIONS: readonly MigrationSource[] = [platform, events, detect];
