// Builds dist/ from src/: tsc emits the JavaScript, then this copies every other file the code reads next
// to itself at run time (migrations, rule and model files), because tsc copies only what it compiles.
// Usage: node scripts/build.mjs             always builds
//        node scripts/build.mjs --if-stale  builds only when a source is newer than the last build
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
// What the build reads besides src/: a change to any of these makes the last build stale.
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs'];

const isTest = (name) => name.endsWith('.test.ts');
// Not needed at run time, so not copied (src/sim/README.md).
const isAsset = (name) => !name.endsWith('.ts') && !name.endsWith('.md');

function walk(dir, visit) {
  visit(dir, statSync(dir));
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) walk(p, visit);
    else visit(p, s);
  }
}

/** True when dist/ was built after the last change to any source (a removed file changes its folder's time). */
export function isFresh() {
  if (!existsSync(STAMP)) return false;
  const built = statSync(STAMP).mtimeMs;
  let fresh = INPUTS.every((f) => !existsSync(join(ROOT, f)) || statSync(join(ROOT, f)).mtimeMs <= built);
  if (fresh) {
    walk(SRC, (p, s) => {
      if (!isTest(p) && s.mtimeMs > built) fresh = false;
    });
  }
  return fresh;
}

export function build() {
  const started = Date.now();
  // From scratch, so a file removed from src/ (a migration, say) does not live on in dist/.
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${r.status ?? r.signal})`);
  let assets = 0;
  walk(SRC, (p, s) => {
    if (s.isDirectory() || !isAsset(p)) return;
    cpSync(p, join(DIST, relative(SRC, p)));
    assets++;
  });
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  // Stamped with the start time, so a source saved while tsc ran still counts as newer than the build.
  utimesSync(STAMP, new Date(started), new Date(started));
  process.stderr.write(
    `built dist/ (${assets} assets copied) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    if (!(process.argv.includes('--if-stale') && isFresh())) build();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
