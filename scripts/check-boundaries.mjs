// The house's boundaries, checked on every `npm run lint`: a capability is entered only through its
// `index.ts` (its tests may import anything of their own; any test may use another capability's
// `testing.ts` and the composition root's `app/testing.ts`), `platform` knows no capability, arrows run one
// way (cli, app, lab → capabilities → platform) and the running service never reaches the offline lab or
// the simulator. Biome has no rule for folder-level layering, so this reads each file's imports with the
// TypeScript compiler's own pre-processor (static, dynamic and re-exports alike).
// Usage: node scripts/check-boundaries.mjs [root]   (exit 1 and one line per violation when any)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Folders under src/ that are not capabilities, and what each may import. */
const LAYERS = {
  platform: [],
  sim: ['platform', 'events'],
  lab: ['platform', 'sim', '*'],
  app: ['platform', '*'],
  cli: ['platform', 'app', 'lab', 'sim', '*'],
  bench: ['platform', 'app', 'lab', 'sim', '*'],
};
/** Which capabilities each capability may use (through its face), from DESIGN.md; '*' for all. */
const CAPABILITY_DEPENDS = {
  events: [],
  detect: ['events'],
  merchants: ['events'],
  cases: ['events', 'detect', 'merchants'],
  reports: ['events', 'detect', 'cases'],
  quality: ['events', 'detect'],
  exchange: ['events', 'merchants', 'cases'],
  analytics: ['*'],
};

const isTest = (file) => /\.test\.(ts|mjs)$/.test(file);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules') walk(p, out);
    } else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The top folder a path belongs to: a capability or layer under src/, or 'bench'. */
function areaOf(root, file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'bench') return { area: 'bench', inner: parts.slice(1).join('/') };
  if (parts[0] === 'src' && parts.length > 2) return { area: parts[1], inner: parts.slice(2).join('/') };
  return undefined;
}

/** Every violation in the tree under `root` (which holds src/ and bench/). */
export function checkBoundaries(root) {
  const files = [];
  for (const top of ['src', 'bench']) {
    try {
      walk(join(root, top), files);
    } catch {
      // a tree without bench/ is fine
    }
  }
  const problems = [];
  for (const file of files) {
    const from = areaOf(root, file);
    if (!from) continue;
    const text = readFileSync(file, 'utf8');
    const info = ts.preProcessFile(text, true, true);
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), ref.fileName);
      const to = areaOf(root, target);
      if (!to || to.area === from.area) continue;
      const why = verdict(from, to, isTest(file));
      if (why) {
        const line = text.slice(0, ref.pos).split('\n').length;
        problems.push(`${relative(root, file)}:${line}: imports ${ref.fileName} — ${why}`);
      }
    }
  }
  return problems;
}

function verdict(from, to, test) {
  const fromLayer = LAYERS[from.area];
  const toLayer = LAYERS[to.area];
  if (test && to.inner === 'testing.ts') return undefined;
  if (toLayer) {
    if (to.area === 'platform') return undefined;
    if ((fromLayer ?? []).includes(to.area)) return undefined;
    // Tests of the outer layers may build their data with the simulator.
    if (test && fromLayer && to.area === 'sim') return undefined;
    return `${from.area} may not import ${to.area} (arrows run cli, app, lab → capabilities → platform)`;
  }
  // `to` is a capability.
  if (from.area === 'platform') return 'platform knows no capability';
  const may = fromLayer ?? CAPABILITY_DEPENDS[from.area] ?? [];
  if (!may.includes('*') && !may.includes(to.area))
    return `${from.area} may not use the ${to.area} capability`;
  if (to.inner !== 'index.ts') return `enter the ${to.area} capability through src/${to.area}/index.ts`;
  return undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkBoundaries(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`${problems.length} boundary violation(s).`);
    process.exit(1);
  }
  console.log('boundaries: every cross-folder import goes through a public face.');
}
