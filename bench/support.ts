// Shared helpers for the benchmarks: a simulated marketplace on disk, a throwaway PostgreSQL, figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const rssMiB = () => process.resourceUsage().maxRSS / 1024;

export function figure(name: string, value: number | string, unit = '', extra = '') {
  const v =
    typeof value === 'number'
      ? value.toLocaleString('en-US', { maximumFractionDigits: value < 100 ? 2 : 0 })
      : value;
  process.stdout.write(
    `  ${name.padEnd(44)} ${String(v).padStart(14)} ${unit}${extra ? `  (${extra})` : ''}\n`,
  );
}

export function heading(s: string) {
  process.stdout.write(`\n${s}\n`);
}

export const note = (s: string) => process.stderr.write(`  … ${s}\n`);

/** A simulated marketplace in a cache folder, made once per size and seed. */
export async function simulatedMarket(size: {
  merchants: number;
  buyers: number;
  days: number;
  seed: number;
}): Promise<string> {
  const dir = join(tmpdir(), `tianping-bench-${size.merchants}-${size.buyers}-${size.days}-${size.seed}`);
  if (existsSync(join(dir, 'events.ndjson')) && existsSync(join(dir, 'truth.ndjson'))) return dir;
  mkdirSync(dir, { recursive: true });
  const { defaultSimOptions } = await import('../src/sim/options.ts');
  const { simulateToDir } = await import('../src/sim/write.ts');
  note(`simulating ${size.merchants} merchants, ${size.buyers} buyers, ${size.days} days into ${dir}`);
  await simulateToDir(defaultSimOptions(size), dir, (p) => {
    if (p.day % 5 === 0) note(`day ${p.day}/${p.days}, ${p.events} events`);
  });
  return dir;
}

/** DATABASE_URL if set, else a throwaway server started from the machine's PostgreSQL binaries. */
export function postgresUrl(): { url?: string; stop(): void; why?: string } {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop() {} };
  const script = join(import.meta.dirname, '..', 'scripts', 'pg-throwaway.sh');
  const r = spawnSync('bash', [script, 'start'], { encoding: 'utf8' });
  if (r.status !== 0) return { stop() {}, why: (r.stderr || r.stdout).trim().split('\n')[0] };
  const url = r.stdout.trim();
  return { url, stop: () => spawnSync('bash', [script, 'stop', url]) };
}
