// `tianping detect` (the whole batch pass: rules, rings, features, the scorer) on the first quarter, half
// and all of one marketplace file, each in a child process: seconds and peak memory against events, so a
// pass that grows faster than its input shows as a rising per-million column.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildIfStale } from './server-process.ts';
import { figure, heading, note } from './support.ts';

const ROOT = join(import.meta.dirname, '..');

async function prefix(file: string, lines: number, out: string): Promise<void> {
  const w = createWriteStream(out);
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (n++ === lines) break;
    if (!w.write(`${line}\n`)) await new Promise<void>((r) => w.once('drain', () => r()));
  }
  await new Promise<void>((r) => w.end(() => r()));
}

async function lineCount(file: string): Promise<number> {
  let n = 0;
  for await (const _ of createInterface({ input: createReadStream(file) })) n++;
  return n;
}

export async function benchDetectCurve(market: string) {
  heading('Batch detection pass (`tianping detect`) against its input');
  buildIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'tianping-bench-curve-'));
  try {
    const total = await lineCount(join(market, 'events.ndjson'));
    let first: { events: number; seconds: number; kib: number } | undefined;
    for (const share of [0.25, 0.5, 1]) {
      const events = Math.round(total * share);
      const file = join(dir, `events-${events}.ndjson`);
      note(`${events.toLocaleString('en-US')} events: the first ${share * 100}% of the marketplace`);
      await prefix(join(market, 'events.ndjson'), events, file);
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          join(ROOT, 'bench/report-rss.mjs'),
          join(ROOT, 'bin/tianping.js'),
          'detect',
          '--events',
          file,
          '--out',
          join(dir, 'scores.ndjson'),
          '--no-progress',
        ],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      const seconds = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`tianping detect failed: ${r.stderr.slice(-2000)}`);
      const kib = Number(/tianping-bench-max-rss-kib (\d+)/.exec(r.stderr)?.[1] ?? 0);
      const perM = 1e6 / events;
      first ??= { events, seconds, kib };
      const growth = seconds / first.seconds / (events / first.events);
      // What each further million events costs, without the fixed part (code, model, rules) every run has.
      const slope =
        events > first.events
          ? `, ${((kib - first.kib) / 1024 / 1024 / ((events - first.events) / 1e6)).toFixed(2)} GiB per further million`
          : '';
      figure(
        `tianping detect, ${events.toLocaleString('en-US')} events`,
        seconds,
        's',
        `${(seconds * perM).toFixed(1)} s and ${((kib / 1024 / 1024) * perM).toFixed(2)} GiB per million events; peak ${(kib / 1024).toFixed(0)} MiB${slope}; time ${growth.toFixed(2)}× linear from the first`,
      );
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
