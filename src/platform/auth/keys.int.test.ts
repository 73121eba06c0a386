import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type AppContext, testContext } from '../../app/testing.ts';
import { allows, KeyService } from './keys.ts';

let ctx: AppContext;
before(async () => {
  ctx = await testContext();
});
after(async () => {
  await ctx?.close();
});

test('stores only a hash of the key, never the key', async () => {
  const { key, apiKey } = await ctx.keys.create({ roles: ['analyst'] });
  const rows = await ctx.db.query('select * from api_keys where id = $1', [apiKey.id]);
  assert.equal(rows.length, 1);
  assert.ok(!JSON.stringify(rows[0]).includes(key));
  assert.equal(rows[0].key_hash, createHash('sha256').update(key).digest('hex'));
  assert.deepEqual((await ctx.keys.verify(key))?.roles, ['analyst']);
  assert.equal(await ctx.keys.verify(`${key}x`), undefined);
});

test('issues the first admin key once only', async () => {
  const first = await ctx.keys.ensureFirstAdmin();
  assert.ok(first);
  assert.deepEqual((await ctx.keys.verify(first))?.roles, ['admin']);
  assert.equal(await ctx.keys.ensureFirstAdmin(), undefined);
});

test('rejects unknown roles with the list of known ones', async () => {
  await assert.rejects(
    ctx.keys.create({ roles: ['root'] }),
    /Unknown role "root"; expected one of ingest, analyst, metrics, admin/,
  );
});

test('admin may do everything; other roles only their own', () => {
  assert.ok(allows(['admin'], ['ingest']));
  assert.ok(allows(['ingest', 'analyst'], ['analyst']));
  assert.ok(!allows(['ingest'], ['analyst']));
});

test('a key revoked by another process is refused here within a second', async () => {
  const { key, apiKey } = await ctx.keys.create({ roles: ['ingest'] });
  assert.ok(await ctx.keys.verify(key), 'verified, and now cached here');
  // Another process: its own KeyService over the same store, so this one's cache never hears of it.
  await new KeyService(ctx.db).revoke(apiKey.id);
  const t0 = Date.now();
  while ((await ctx.keys.verify(key)) !== undefined) {
    assert.ok(Date.now() - t0 < 1000, 'still accepted a second after it was revoked elsewhere');
    await new Promise((r) => setTimeout(r, 50));
  }
});

test('requests arriving together share one lookup of a key, and a revocation here is never undone by one', async () => {
  const { key, apiKey } = await ctx.keys.create({ roles: ['ingest'] });
  let queries = 0;
  const counted = new Proxy(ctx.db, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'query' || typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        queries++;
        return v.apply(target, args);
      };
    },
  });
  const keys = new KeyService(counted);
  const all = await Promise.all(Array.from({ length: 50 }, () => keys.verify(key)));
  assert.ok(all.every((k) => k?.id === apiKey.id));
  assert.equal(queries, 2, 'one select and one last-used update for 50 requests');
  // A lookup whose select answered before the key was revoked here, and which finishes after, does not put
  // the old key back in the cache. The select's answer is held until the revocation has returned.
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let selects = 0;
  const gated = new Proxy(ctx.db, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'query' || typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        const rows = await v.apply(target, args);
        if (String(args[0]).startsWith('select') && selects++ === 0) await held;
        return rows;
      };
    },
  });
  const cold = new KeyService(gated);
  const inFlight = cold.verify(key);
  await cold.revoke(apiKey.id);
  release();
  assert.equal(
    await inFlight,
    undefined,
    'the lookup saw the key unrevoked, but finished after the revocation',
  );
  assert.equal(await cold.verify(key), undefined);
});
