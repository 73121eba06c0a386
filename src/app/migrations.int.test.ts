import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { migrate } from '../platform/db/migrate.ts';
import { openDb } from '../platform/db/open.ts';
import { ALL_MIGRATIONS } from './migrations.ts';

test('the registered capabilities give the same rows as data folders made before registration', async () => {
  const url = process.env.DATABASE_URL;
  const schema = `t_${randomBytes(5).toString('hex')}`;
  const db = url
    ? await openDb({ databaseUrl: url, schema, migrate: false })
    : await openDb({ migrate: false });
  try {
    assert.deepEqual(await migrate(db, ALL_MIGRATIONS), [1, 2, 3, 4, 5, 6, 7]);
    const rows = await db.query<{ version: number; name: string }>(
      'select version, name from schema_migrations order by version',
    );
    assert.deepEqual(
      rows.map((r) => ({ version: Number(r.version), name: r.name })),
      [
        { version: 1, name: 'platform/api-keys' },
        { version: 2, name: 'events/events' },
        { version: 3, name: 'detect/detection' },
        { version: 4, name: 'detect/rule-changes' },
        { version: 5, name: 'detect/detection-runs' },
        { version: 6, name: 'detect/rule-signals-order' },
        { version: 7, name: 'detect/detection-snapshots' },
      ],
    );
    assert.deepEqual(await migrate(db, ALL_MIGRATIONS), [], 'a second run applies nothing');
  } finally {
    if (url) await db.exec(`drop schema ${schema} cascade`);
    await db.close();
  }
});
