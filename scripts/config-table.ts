// Rewrites the configuration table in README.md from the config schema: node --import tsx scripts/config-table.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configTable } from '../src/platform/config.ts';

const here = fileURLToPath(import.meta.url);
export const README = join(dirname(here), '..', 'README.md');
export const BEGIN =
  '<!-- config-table: generated from src/platform/config.ts by scripts/config-table.ts -->';
export const END = '<!-- /config-table -->';

/** The README with its table replaced; throws if the markers are missing. */
export function withTable(readme: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md lacks the markers ${BEGIN} … ${END}`);
  return `${readme.slice(0, a + BEGIN.length)}\n${configTable()}\n${readme.slice(b)}`;
}

if (process.argv[1] === here) {
  writeFileSync(README, withTable(readFileSync(README, 'utf8')));
}
