// The platform capability's tables, registered with the composition root (src/app/migrations.ts).
import { migrationsIn } from '../db/migrate.ts';

export const migrations = migrationsIn('platform', new URL('.', import.meta.url));
