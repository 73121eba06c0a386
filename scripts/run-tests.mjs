// Node 20's test runner does not expand globs, so this finds the test files itself.
// Usage: node scripts/run-tests.mjs [filter...]  (filters match paths, e.g. "events" or "int.test")
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, isFresh } from './build.mjs';

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.mjs')) out.push(p);
  }
  return out;
}
const filters = process.argv.slice(2);
const files = find('scripts', find('src', []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
// The CLI tests spawn bin/tianping.js, which runs dist/: rebuild it first when a source changed since.
if (!isFresh()) {
  try {
    build();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
