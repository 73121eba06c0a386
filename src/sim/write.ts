// Writes a simulation to events.ndjson, truth.ndjson and cohorts.ndjson through large buffered chunks.
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { MarketEvent } from '../events/index.ts';
import type { SimOptions } from './options.ts';
import { type SimSummary, simulateDays } from './simulate.ts';
import type { CohortRecord, TruthRecord } from './world.ts';

const CHUNK = 1 << 20;

/** Collects lines into ~1 MB strings before handing them to the stream. */
class LineWriter {
  private buf = '';
  readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 4 * CHUNK });
  }

  line(s: string): void {
    this.buf += s;
    this.buf += '\n';
    if (this.buf.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    this.stream.write(this.buf);
    this.buf = '';
  }

  async drain(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.flush();
    const done = once(this.stream, 'finish');
    this.stream.end();
    await done;
  }
}

/** Simulates into `outDir` (created if missing); resolves when the three files are complete on disk. */
export async function simulateToDir(
  opts: SimOptions,
  outDir: string,
  onProgress?: (p: { day: number; days: number; events: number }) => void,
): Promise<SimSummary> {
  mkdirSync(outDir, { recursive: true });
  const events = new LineWriter(join(outDir, 'events.ndjson'));
  const truth = new LineWriter(join(outDir, 'truth.ndjson'));
  const cohorts = new LineWriter(join(outDir, 'cohorts.ndjson'));
  const writers = [events, truth, cohorts];
  const failed = Promise.race(writers.map((w) => once(w.stream, 'error').then(([e]) => Promise.reject(e))));
  failed.catch(() => {});
  const sink = {
    event: (e: MarketEvent) => events.line(JSON.stringify(e)),
    truth: (t: TruthRecord) => truth.line(JSON.stringify(t)),
    cohort: (c: CohortRecord) => cohorts.line(JSON.stringify(c)),
  };
  const gen = simulateDays(opts, sink);
  let summary: SimSummary | undefined;
  while (!summary) {
    const n = gen.next();
    if (n.done) summary = n.value;
    else onProgress?.(n.value);
    // Wait for the disk between days so buffered output stays bounded.
    for (const w of writers) {
      w.flush();
      await Promise.race([w.drain(), failed]);
    }
  }
  await Promise.race([Promise.all(writers.map((w) => w.close())), failed]);
  return summary;
}
