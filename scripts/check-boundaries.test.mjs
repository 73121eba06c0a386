import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkBoundaries } from './check-boundaries.mjs';

function tree(files) {
  const root = mkdtempSync(join(tmpdir(), 'tp-boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const house = {
  'src/platform/db.ts': 'export const db = 1;\n',
  'src/events/index.ts': "export { EventsService } from './service.ts';\n",
  'src/events/service.ts': "import { db } from '../platform/db.ts';\nexport class EventsService {}\n",
  'src/events/repository.ts': 'export class EventRepository {}\n',
  'src/events/testing.ts': 'export const sample = [];\n',
  'src/detect/index.ts': "export { run } from './run.ts';\n",
  'src/detect/run.ts': "import { EventsService } from '../events/index.ts';\nexport const run = 1;\n",
  'src/detect/run.test.ts':
    "import { sample } from '../events/testing.ts';\nimport { run } from './run.ts';\n",
  'src/app/context.ts':
    "import { run } from '../detect/index.ts';\nimport { EventsService } from '../events/index.ts';\n",
  'src/lab/eval.ts': "import { run } from '../detect/index.ts';\nimport { sim } from '../sim/sim.ts';\n",
  'src/sim/sim.ts': "import type { E } from '../events/index.ts';\nexport const sim = 1;\n",
};

test('a house whose cross-folder imports all go through public faces passes', () => {
  assert.deepEqual(checkBoundaries(tree(house)), []);
});

test('the real tree passes', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  assert.deepEqual(checkBoundaries(root), []);
});

test('a planted import of another capability’s repository is caught with file, line and the door to use', () => {
  const root = tree({
    ...house,
    'src/detect/run.ts':
      "import { EventsService } from '../events/index.ts';\nimport { EventRepository } from '../events/repository.ts';\n",
  });
  assert.deepEqual(checkBoundaries(root), [
    'src/detect/run.ts:2: imports ../events/repository.ts — enter the events capability through src/events/index.ts',
  ]);
});

test('re-exports and dynamic imports count as imports too', () => {
  const root = tree({
    ...house,
    'src/app/context.ts': "export { EventRepository } from '../events/repository.ts';\n",
    'src/lab/eval.ts': "const m = await import('../detect/run.ts');\n",
  });
  const problems = checkBoundaries(root);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^src\/app\/context\.ts:1: .*src\/events\/index\.ts$/);
  assert.match(problems[1], /^src\/lab\/eval\.ts:1: .*src\/detect\/index\.ts$/);
});

test('platform knows no capability, and arrows do not run back up', () => {
  const root = tree({
    ...house,
    'src/platform/db.ts': "import { EventsService } from '../events/index.ts';\n",
    'src/events/service.ts': "import { run } from '../detect/index.ts';\n",
    'src/detect/run.ts': "import { sim } from '../sim/sim.ts';\nimport { x } from '../lab/eval.ts';\n",
  });
  const problems = checkBoundaries(root);
  assert.ok(
    problems.some((p) => p.startsWith('src/platform/db.ts:1:') && p.endsWith('platform knows no capability')),
  );
  assert.ok(
    problems.some((p) => p.startsWith('src/events/service.ts:1:') && p.includes('may not use the detect')),
  );
  assert.ok(
    problems.some((p) => p.startsWith('src/detect/run.ts:1:') && p.includes('detect may not import sim')),
  );
  assert.ok(
    problems.some((p) => p.startsWith('src/detect/run.ts:2:') && p.includes('detect may not import lab')),
  );
  assert.equal(problems.length, 4);
});

test('only tests may use another capability’s testing.ts', () => {
  const root = tree({ ...house, 'src/detect/run.ts': "import { sample } from '../events/testing.ts';\n" });
  assert.deepEqual(checkBoundaries(root), [
    'src/detect/run.ts:1: imports ../events/testing.ts — enter the events capability through src/events/index.ts',
  ]);
});
