// The ingest command as a user runs it: a real process, a real data folder, a kill -9 in the middle.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sampleEvents } from '../events/testing.ts';
import { openDb } from '../platform/db/open.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tianping.js');
const env = { ...process.env, DATABASE_URL: '', TIANPING_LANG: 'en' };

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
}

async function storedIds(dataDir: string): Promise<string[]> {
  const db = await openDb({ dataDir, migrate: false });
  try {
    return (await db.query<{ id: string }>('select id from events order by seq')).map((r) => r.id);
  } finally {
    await db.close();
  }
}

test('reports every bad line with its number and field, stores every good line, exits non-zero', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-ingest-'));
  const good = sampleEvents('cli');
  const lines = [
    JSON.stringify(good[0]),
    '{"id":"cli-x", "type":',
    JSON.stringify({ ...good[1], data: { device_id: 'd1' } }),
    JSON.stringify(good[2]),
    JSON.stringify({ ...good[5], id: 'cli-wrong', data: { ...good[5].data, amount: 'lots' } }),
    JSON.stringify({ id: 'cli-unknown', type: 'order.exploded', time: good[0].time, data: {} }),
    JSON.stringify({ ...good[15], id: 'cli-big', data: { ...good[15].data, text: 'x'.repeat(5000) } }),
    JSON.stringify(good[3]),
    JSON.stringify(good[0]),
  ];
  const file = join(dir, 'mixed.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = run(['ingest', file, '--data-dir', join(dir, 'data'), '--no-progress']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /accepted 3, duplicates 1, rejected 5/);
  for (const expected of [
    /line 2: \(record\) is not valid JSON/,
    /line 3: data\.account_id is required/,
    /line 5: data\.amount must be an integer, got a string/,
    /line 6: type unknown event type "order\.exploded"/,
    /line 7: data\.text is 5000 characters, over the limit of 4000/,
  ]) {
    assert.match(r.stderr, expected);
  }
  assert.deepEqual(await storedIds(join(dir, 'data')), [good[0].id, good[2].id, good[3].id]);
  const again = run(['ingest', file, '--data-dir', join(dir, 'data'), '--no-progress']);
  assert.match(again.stdout, /accepted 0, duplicates 4, rejected 5/);
});

test('after kill -9 half-way, a re-run leaves each distinct good id stored exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-crash-'));
  const file = join(dir, 'big.ndjson');
  const base = sampleEvents('k');
  const out: string[] = [];
  const goodIds = new Set<string>();
  for (let i = 0; i < 300_000; i++) {
    const e = base[i % base.length];
    // Every 1000th line repeats an earlier id, every 997th is broken: the count must be of distinct good ids.
    const id = i % 1000 === 999 ? `k-${i - 500}` : `k-${i}`;
    if (i % 997 === 996) {
      out.push(`{"id":"k-${i}","type":"order.paid","time":"${e.time}","data":{}}`);
      continue;
    }
    out.push(JSON.stringify({ ...e, id }));
    goodIds.add(id);
  }
  writeFileSync(file, `${out.join('\n')}\n`);
  const data = join(dir, 'data');
  const child = spawn(process.execPath, [BIN, 'ingest', file, '--data-dir', data], { env });
  // Kill as soon as the progress line shows events stored, i.e. in the middle of the file.
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (b: Buffer) => {
      if (/accepted=[1-9]/.test(b.toString())) resolve();
    });
    child.on('exit', () => resolve());
  });
  child.kill('SIGKILL');
  const [, signal] = await new Promise<[number | null, string | null]>((r) =>
    child.on('exit', (c, s) => r([c, s])),
  );
  assert.equal(signal, 'SIGKILL', 'the first run was still going when killed');
  const partial = (await storedIds(data)).length;
  const r = run(['ingest', file, '--data-dir', data, '--no-progress']);
  assert.equal(r.status, 1, r.stderr);
  const ids = await storedIds(data);
  assert.equal(ids.length, goodIds.size);
  assert.equal(new Set(ids).size, ids.length);
  const m = /accepted (\d+), duplicates (\d+), rejected (\d+)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(partial > 0 && partial < goodIds.size, `killed half-way: ${partial} stored before the kill`);
  assert.equal(Number(m[1]), goodIds.size - partial);
  assert.equal(Number(m[3]), 300);
});
