// The built `tianping` command as a user runs it: help, mistakes, and how errors are reported.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VERSION } from '../app/server.ts';
import { COMMANDS } from './manifest.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tianping.js');
const env = { ...process.env, DATABASE_URL: '', TIANPING_LANG: 'en' };

function run(args: string[], extraEnv: Record<string, string> = {}, bin = BIN) {
  // A server that started by mistake would hang here; the timeout turns that into a failure.
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
    timeout: 30_000,
  });
}

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

test('bare tianping prints the help listing every command and exits 0, without starting a server', () => {
  const r = run([]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Usage: tianping \[options\] \[command\]/);
  for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c.name} `, 'm'));
  assert.match(r.stdout, /Examples:\n {2}\$ tianping /);
  assert.equal(r.stderr, '');
});

test('tianping --version prints the version the server reports', () => {
  const r = run(['--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${VERSION}\n`);
});

test('an unknown command is named, with a suggestion when one is close, and exits 2', () => {
  const r = run(['nosuch']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "error: unknown command 'nosuch'\n");
  assert.equal(r.stdout, '');
  const close = run(['serv', '--port', '1']);
  assert.equal(close.status, 2);
  assert.match(close.stderr, /unknown command 'serv'\n\(Did you mean serve\?\)/);
});

test("every command's --help shows the options' defaults and at least one example", () => {
  const helps = [...COMMANDS.map((c) => [c.name]), ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke']];
  for (const words of helps) {
    const r = run([...words, '--help']);
    assert.equal(r.status, 0, `${words.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: tianping ${words.join(' ')} `), words.join(' '));
    assert.match(r.stdout, /default/, `${words.join(' ')} --help names no default`);
    assert.match(r.stdout, /Examples:\n {2}\$ tianping /, `${words.join(' ')} --help has no example`);
  }
  assert.match(run(['ingest', '--help']).stdout, /--batch <n> +events per stored batch \(default: "5000"\)/);
  assert.match(run(['help', 'serve']).stdout, /--port <port> +port \(PORT; default: 8080\)/);
});

test('a user error prints one line without a stack trace, and --debug adds the stack', () => {
  const r = run(['ingest', '/no/such/file']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'Error: The events file /no/such/file does not exist.\n');
  const zh = run(['simulate', '--merchants', 'x'], { TIANPING_LANG: 'zh-CN' });
  assert.equal(zh.status, 2);
  assert.equal(zh.stderr, '错误：--merchants 必须是正整数，收到的是 "x"。\n');
  const knob = run(['simulate', '--set', 'brushing.nosuch=1']);
  assert.equal(knob.status, 2);
  assert.match(knob.stderr, /^Error: Unknown knob "brushing\.nosuch"\. Knobs of brushing: .+\n$/);
  assert.doesNotMatch(knob.stderr, STACK_FRAME);

  const debug = run(['ingest', '/no/such/file', '--debug']);
  assert.equal(debug.status, 2);
  const [first, ...rest] = debug.stderr.split('\n');
  assert.equal(first, 'Error: The events file /no/such/file does not exist.');
  assert.match(rest.join('\n'), STACK_FRAME);
  // Source maps are on with --debug, so the frames name the TypeScript files.
  assert.match(rest.join('\n'), /src\/cli\/files\.ts:\d+:\d+/);
});

test('an unexpected error prints one line pointing to --debug, and --debug shows what happened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-cli-'));
  const notADir = join(dir, 'file');
  writeFileSync(notADir, '');
  const args = ['simulate', '--merchants', '10', '--buyers', '200', '--days', '1', '--no-progress'];
  const r = run([...args, '--out', join(notADir, 'sim')]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'Error: an unexpected error happened; re-run with --debug for details.\n');
  const debug = run(['--debug', ...args, '--out', join(notADir, 'sim')]);
  assert.equal(debug.status, 2);
  assert.match(debug.stderr, /^Error: an unexpected error happened; re-run with --debug for details\.\n/);
  assert.match(debug.stderr, /ENOTDIR/);
  assert.match(debug.stderr, STACK_FRAME);
});

test('without a build the command says to run npm run build, in Chinese too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-unbuilt-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(BIN, join(dir, 'bin', 'tianping.js'));
  const r = run(['--help'], {}, join(dir, 'bin', 'tianping.js'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /dist\/cli\/main\.js is missing\): run npm run build/);
  const zh = run(['--help'], { TIANPING_LANG: 'zh-CN' }, join(dir, 'bin', 'tianping.js'));
  assert.match(zh.stderr, /请在项目目录运行 npm run build/);
});
