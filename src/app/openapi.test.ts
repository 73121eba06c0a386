// The OpenAPI document as a client generator and a reader get it (no store needed): every operation named,
// described in both languages, with its roles, named schemas and a problem for each error status; it
// passes `redocly lint`; and the /docs pages load nothing from outside the server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ROLES } from '../platform/auth/keys.ts';
import { DOCS_PAGES, OPENAPI_PATH } from './openapi.ts';
import { storelessServer } from './openapi-document.ts';

type Node = Record<string, unknown>;
interface Operation {
  operationId?: string;
  summary?: string;
  'x-summary-zh'?: string;
  description?: string;
  'x-roles'?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Node }> };
  responses: Record<string, { content?: Record<string, { schema: Node }> }>;
}

let app: FastifyInstance;
let doc: {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Node>; securitySchemes: Record<string, Node> };
};
const operations: { method: string; path: string; op: Operation }[] = [];

before(async () => {
  app = await storelessServer();
  doc = (await app.inject({ url: OPENAPI_PATH })).json();
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) operations.push({ method, path, op });
});
after(() => app?.close());

const HAN = /\p{Script=Han}/u;
const LATIN = /[A-Za-z]/;
const name = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
const SCHEMAS = '#/components/schemas/';

test('every operation has a unique operationId and its summary and description in both languages', () => {
  assert.ok(operations.length >= 21, `only ${operations.length} operations`);
  const ids = operations.map((o) => o.op.operationId);
  assert.equal(new Set(ids).size, ids.length, `operationIds repeat: ${ids.join(', ')}`);
  for (const o of operations) {
    const { operationId, summary, description } = o.op;
    assert.match(operationId ?? '', /^[a-z][A-Za-z]+$/, `${name(o)}: operationId`);
    assert.ok(summary && LATIN.test(summary) && !HAN.test(summary), `${name(o)}: English summary`);
    assert.match(o.op['x-summary-zh'] ?? '', HAN, `${name(o)}: x-summary-zh`);
    assert.ok(description && LATIN.test(description) && HAN.test(description), `${name(o)}: description`);
  }
});

test('every description and title a person reads is in English and Chinese', () => {
  const missing: string[] = [];
  const walk = (n: unknown, at: string) => {
    if (typeof n !== 'object' || n === null) return;
    for (const [k, v] of Object.entries(n)) {
      // Under `properties` a key is a field's name, not a keyword.
      if (k === 'description' && typeof v === 'string' && !(LATIN.test(v) && HAN.test(v)))
        missing.push(`${at}: ${v}`);
      walk(v, `${at}/${k}`);
    }
  };
  walk(doc, '#');
  assert.deepEqual(missing, []);
});

test('roles: the public operations are /health, /ready and the document; every other names its roles', () => {
  const publicOps = operations.filter((o) => o.op['x-roles']?.length === 0).map(name);
  assert.deepEqual(publicOps.sort(), ['GET /health', 'GET /openapi.json', 'GET /ready']);
  const scheme = Object.keys(doc.components.securitySchemes);
  assert.deepEqual(scheme, ['apiKey']);
  assert.equal(doc.components.securitySchemes.apiKey.scheme, 'bearer');
  for (const o of operations) {
    const roles = o.op['x-roles'];
    assert.ok(Array.isArray(roles), `${name(o)}: x-roles`);
    if (roles.length === 0) {
      assert.deepEqual(o.op.security, [], `${name(o)}: public, so no security`);
      assert.match(o.op.description ?? '', /\*\*Public:\*\*/);
    } else {
      assert.deepEqual(o.op.security, [{ apiKey: [] }], `${name(o)}: security`);
      assert.ok(roles.includes('admin'), `${name(o)}: admin may do everything`);
      for (const r of roles) assert.ok((ROLES as readonly string[]).includes(r), `${name(o)}: role ${r}`);
      for (const r of roles) assert.ok(o.op.description?.includes(`\`${r}\``), `${name(o)}: says ${r}`);
    }
  }
});

test('every error status an operation can answer is declared, as the Problem schema', () => {
  for (const o of operations) {
    const { op } = o;
    const isPublic = op['x-roles']?.length === 0;
    const expected = new Set(['500']);
    if (!isPublic) for (const s of ['401', '403']) expected.add(s);
    if (o.path !== '/health') expected.add('429');
    if ((op.parameters?.length ?? 0) > 0 || op.requestBody) expected.add('400');
    if (op.requestBody) for (const s of ['413', '415']) expected.add(s);
    if (op.parameters?.some((p) => p.in === 'path')) expected.add('404');
    const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
    for (const s of expected) assert.ok(errors.includes(s), `${name(o)} does not declare ${s}`);
    for (const s of errors) {
      assert.deepEqual(
        op.responses[s].content,
        { 'application/problem+json': { schema: { $ref: `${SCHEMAS}Problem` } } },
        `${name(o)} ${s}`,
      );
    }
    assert.ok(
      Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
      `${name(o)} has no success answer`,
    );
  }
});

test('every request body and success answer is a named schema, and every $ref resolves', () => {
  for (const o of operations) {
    const bodies = Object.entries(o.op.requestBody?.content ?? {});
    const answers = Object.entries(o.op.responses)
      .filter(([s]) => /^2\d\d$/.test(s))
      .flatMap(([, r]) => Object.entries(r.content ?? {}));
    assert.ok(answers.length > 0, `${name(o)}: no answer content`);
    for (const [type, media] of [...bodies, ...answers]) {
      const ref = String(media.schema.$ref ?? '');
      assert.ok(ref.startsWith(SCHEMAS), `${name(o)} ${type}: ${JSON.stringify(media.schema)}`);
    }
  }
  const refs: string[] = [];
  const walk = (n: unknown) => {
    if (typeof n !== 'object' || n === null) return;
    for (const [k, v] of Object.entries(n)) {
      if (k === '$ref' && typeof v === 'string') refs.push(v);
      else if (k === 'mapping' && typeof v === 'object' && v) refs.push(...(Object.values(v) as string[]));
      else walk(v);
    }
  };
  walk(doc);
  assert.ok(refs.length > 100);
  for (const r of refs) {
    assert.ok(r.startsWith(SCHEMAS), r);
    assert.ok(doc.components.schemas[r.slice(SCHEMAS.length)], `${r} resolves to nothing`);
  }
  assert.equal(
    Object.keys(doc.components.schemas).some((n) => n.startsWith('def-')),
    false,
    'an unnamed schema',
  );
});

test('the NDJSON, YAML and compressed bodies are declared', () => {
  const ingest = doc.paths['/v1/events'].post;
  assert.deepEqual(Object.keys(ingest.requestBody?.content ?? {}).sort(), [
    'application/json',
    'application/ndjson',
    'application/x-ndjson',
    'text/plain',
  ]);
  assert.ok(ingest.parameters?.some((p) => p.in === 'header' && p.name === 'content-encoding'));
  const reload = doc.paths['/v1/rules/reload'].post;
  assert.equal(reload.requestBody?.content['application/yaml'].schema.$ref, `${SCHEMAS}RuleFile`);
  assert.equal((reload.requestBody as { required?: boolean }).required, false, 'a reload may have no body');
  const decide = doc.paths['/v1/decisions/order'].post;
  assert.equal(decide.requestBody?.content['application/json'].schema.$ref, `${SCHEMAS}OrderCreatedEvent`);
});

test('redocly lint passes with the project configuration (no error, no warning)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tianping-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const cli = join(import.meta.dirname, '../../node_modules/@redocly/cli/bin/cli.js');
    const config = join(import.meta.dirname, '../../redocly.yaml');
    const r = spawnSync(process.execPath, [cli, 'lint', file, '--config', config, '--format', 'json'], {
      encoding: 'utf8',
      // No telemetry and no update check: the lint works offline.
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
        NO_COLOR: '1',
      },
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const report = JSON.parse(r.stdout) as { totals: Record<string, number>; problems: unknown[] };
    assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 }, JSON.stringify(report.problems));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every URL a page names for the browser to load: src, href, CSS url() and ES imports. */
const assetUrls = (html: string) =>
  [
    ...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi),
    ...html.matchAll(/url\(\s*["']?([^"')]*)/gi),
    ...html.matchAll(/\bimport\b[^'"]*["']([^"']+)["']/g),
  ].map((m) => m[1]);

test('the /docs pages need no key and load only what the server serves', async () => {
  for (const page of DOCS_PAGES) {
    const moved = await app.inject({ url: page.prefix });
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, `${page.prefix}/`);
    const r = await app.inject({ url: `${page.prefix}/` });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    const urls = assetUrls(r.body);
    assert.deepEqual(urls, ['js/scalar.js'], `${page.prefix}: ${urls.join(', ')}`);
    assert.doesNotMatch(r.body, /https?:\/\//, 'the page names no outside address');
    // What the bundle would otherwise fetch from Scalar's servers is off; the document is ours.
    for (const setting of [
      '"url": "/openapi.json"',
      '"withDefaultFonts": false',
      '"telemetry": false',
      '"hideClientButton": true',
      `"locale": "${page.locale}"`,
    ])
      assert.ok(r.body.includes(setting), `${page.prefix}: ${setting}`);
    const js = await app.inject({ url: `${page.prefix}/js/scalar.js` });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.ok(js.body.length > 1_000_000, 'the whole renderer, from the package');
    assert.doesNotMatch(js.body, /cdn\.jsdelivr\.net|unpkg\.com|esm\.sh/, 'no script from a CDN');
  }
  assert.equal((await app.inject({ url: OPENAPI_PATH })).statusCode, 200);
});
