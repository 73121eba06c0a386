import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { COMMANDS, loadCommand } from './manifest.ts';

test('the manifest lists exactly the files in commands/, and each defines its command', async () => {
  const files = readdirSync(join(import.meta.dirname, 'commands'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  assert.deepEqual(COMMANDS.map((c) => c.name).sort(), files);
  for (const c of COMMANDS) {
    const cmd = new Command(c.name);
    (await loadCommand(c.name)).define(cmd);
    assert.ok(cmd.options.length > 0 || cmd.commands.length > 0, `${c.name} defines no options`);
  }
});
