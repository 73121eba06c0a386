import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../errors.ts';
import { openDb } from './open.ts';

test('a PostgreSQL that cannot be reached is storage_unavailable naming the URL without its password', async () => {
  await assert.rejects(
    openDb({ databaseUrl: 'postgres://tp:hunter2@127.0.0.1:1/tp', migrations: [] }),
    (e) => {
      assert.ok(isAppError(e));
      assert.equal(e.code, 'storage_unavailable');
      assert.match(
        e.message,
        /^Could not connect to PostgreSQL at postgres:\/\/tp:\*\*\*@127\.0\.0\.1:1\/tp: .*Check DATABASE_URL/,
      );
      assert.match(e.zh, /无法连接 PostgreSQL/);
      assert.ok(!`${e.message}${e.zh}`.includes('hunter2'));
      return true;
    },
  );
});

test('a schema name that could smuggle SQL is refused before connecting', async () => {
  await assert.rejects(
    openDb({ databaseUrl: 'postgres://127.0.0.1:1/tp', schema: 'x; drop table y', migrate: false }),
    /The schema name "x; drop table y" must be lower-case letters, digits and underscores/,
  );
});
