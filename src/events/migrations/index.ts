// The events capability's tables, registered with the composition root (src/app/migrations.ts).
import { migrationsIn } from '../../platform/db/migrate.ts';

export const migrations = migrationsIn('events', new URL('.', import.meta.url));
