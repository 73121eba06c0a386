// Migrations on the store the tests run on: in-memory PGlite, or a fresh schema on DATABASE_URL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isAppError } from '../errors.ts';
import type { Db } from './db.ts';
import { listMigrations, type MigrationSource, migrate, migrationsIn } from './migrate.ts';
import { type OpenOptions, openDb } from './open.ts';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freshStore(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDb({ migrate: false });
    cleanups.push(() => db.close());
    return db;
  }
  const schema = `t_${randomBytes(5).toString('hex')}`;
  const db = await openDb({ databaseUrl: url, schema, migrate: false });
  cleanups.push(async () => {
    await db.exec(`drop schema ${schema} cascade`);
    await db.close();
  });
  return db;
}

/** A folder of migration files owned by `owner`. */
function source(owner: string, files: Record<string, string>): MigrationSource {
  const dir = mkdtempSync(join(tmpdir(), `tp-mig-${owner}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return migrationsIn(owner, dir);
}

async function rows(db: Db) {
  return db.query<{ version: number; name: string }>(
    'select version, name from schema_migrations order by version',
  );
}

test('applies sources registered out of order by version, recording owner/name', async () => {
  const db = await freshStore();
  // Each file needs the one before it, so any other order fails.
  const later = source('cases', {
    '0002-cases.sql': 'create table cases (id text primary key, shop text references shops(id));',
    '0004-case-notes.sql': 'alter table cases add column note text;',
    'index.ts': '// not a migration',
  });
  const earlier = source('merchants', {
    '0001-shops.sql': 'create table shops (id text primary key);',
    '0003-shop-tier.sql': 'alter table shops add column tier int; alter table cases add column tier int;',
  });
  assert.deepEqual(await migrate(db, [later, earlier]), [1, 2, 3, 4]);
  assert.deepEqual(await rows(db), [
    { version: 1, name: 'merchants/shops' },
    { version: 2, name: 'cases/cases' },
    { version: 3, name: 'merchants/shop-tier' },
    { version: 4, name: 'cases/case-notes' },
  ]);
  await db.query("insert into shops (id, tier) values ('s1', 2)");
  await db.query("insert into cases (id, shop, note, tier) values ('c1', 's1', 'n', 2)");
});

test('running again applies nothing; a new file later applies only itself', async () => {
  const db = await freshStore();
  const files = { '0001-a.sql': 'create table a (id int);', '0002-b.sql': 'create table b (id int);' };
  const src = source('alpha', files);
  assert.deepEqual(await migrate(db, [src]), [1, 2]);
  assert.deepEqual(await migrate(db, [src]), []);
  writeFileSync(join(src.dir, '0003-c.sql'), 'create table c (id int);');
  assert.deepEqual(await migrate(db, [src]), [3]);
  assert.deepEqual(
    (await rows(db)).map((r) => r.version),
    [1, 2, 3],
  );
});

test('refuses a version claimed by two sources, naming both, and applies nothing', async () => {
  const db = await freshStore();
  const a = source('merchants', { '0001-shops.sql': 'create table shops (id text);' });
  const b = source('cases', {
    '0002-cases.sql': 'create table cases (id text);',
    '0001-case-files.sql': 'create table case_files (id text);',
  });
  await assert.rejects(migrate(db, [a, b]), (e) => {
    assert.ok(isAppError(e));
    assert.match(
      e.message,
      /Two migrations share version 1: (merchants\/shops and cases\/case-files|cases\/case-files and merchants\/shops)/,
    );
    assert.match(e.zh, /同一版本号 1/);
    return true;
  });
  const tables = await db.query(
    "select 1 from information_schema.tables where table_schema = current_schema() and table_name in ('shops', 'cases')",
  );
  assert.equal(tables.length, 0);
});

test('refuses a migration changed after it was applied and runs none of it', async () => {
  const db = await freshStore();
  const src = source('alpha', { '0001-a.sql': 'create table a (id int);' });
  await migrate(db, [src]);
  writeFileSync(join(src.dir, '0001-a.sql'), 'create table a (id int); create table sneaky (id int);');
  writeFileSync(join(src.dir, '0002-b.sql'), 'create table b (id int);');
  await assert.rejects(migrate(db, [src]), (e) => {
    assert.ok(isAppError(e));
    assert.match(e.message, /Migration 1 \(alpha\/a\) was changed after it was applied; restore the file/);
    assert.match(e.zh, /迁移 1（alpha\/a）在应用之后被修改过/);
    return true;
  });
  const tables = await db.query(
    "select 1 from information_schema.tables where table_schema = current_schema() and table_name in ('sneaky', 'b')",
  );
  assert.equal(tables.length, 0);
});

test('a migration that fails leaves neither its row nor half its tables', async () => {
  const db = await freshStore();
  const src = source('alpha', {
    '0001-a.sql': 'create table a (id int);',
    '0002-broken.sql': 'create table half (id int); select * from no_such_table;',
  });
  await assert.rejects(migrate(db, [src]), /no_such_table/);
  assert.deepEqual(
    (await rows(db)).map((r) => r.name),
    ['alpha/a'],
  );
  assert.equal(
    (
      await db.query(
        "select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'half'",
      )
    ).length,
    0,
  );
});

test('refuses a .sql file that is not named NNNN-name.sql rather than skipping it', () => {
  const src = source('alpha', { '0001-a.sql': 'select 1;', '2-Oops.sql': 'select 1;' });
  assert.throws(() => listMigrations([src]), /2-Oops\.sql is not named NNNN-name\.sql/);
});

test('a source whose folder is missing is an error naming owner and folder', () => {
  const src = migrationsIn('ghost', join(tmpdir(), `tp-missing-${randomBytes(4).toString('hex')}`));
  assert.throws(
    () => listMigrations([src]),
    /The migrations folder of ghost, .*tp-missing-.* cannot be read \(ENOENT\)/,
  );
});

test('opening a store without migrations (and without migrate: false) is refused', async () => {
  // The type already requires them; this is the guard for callers run without a type check (tsx).
  await assert.rejects(openDb({} as OpenOptions), /openDb needs the migrations/);
});
