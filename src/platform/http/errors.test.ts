import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors.ts';
import { handleError, notFoundHandler, PROBLEMS, ProblemSchema, problem } from './errors.ts';

let app: FastifyInstance;
const logged: unknown[] = [];
const isProblem = Compile(ProblemSchema);

before(async () => {
  app = Fastify({
    bodyLimit: 1024,
    logger: {
      level: 'error',
      stream: { write: (line: string) => void logged.push(JSON.parse(line)) },
    },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(notFoundHandler);
  app.get('/throw/:code', async (req) => {
    const code = (req.params as { code: ErrorCode }).code;
    throw new AppError(code, { en: `English sentence for ${code}.`, zh: `${code} 的中文句子。` });
  });
  app.get('/rejected', async () => {
    throw new AppError('invalid_input', { en: 'Two records are bad.', zh: '两条记录有误。' }, [
      { index: 0, errors: [{ field: 'id', reason: 'is required' }] },
      { index: 3, errors: [{ field: 'time', reason: 'must have a zone' }] },
    ]);
  });
  app.post(
    '/typed',
    {
      schema: {
        body: Type.Object({ name: Type.String({ minLength: 1 }), n: Type.Integer({ minimum: 1 }) }),
      },
    },
    async () => ({ ok: true }),
  );
  app.get('/crash', async () => {
    throw new Error('duplicate key value violates unique constraint; insert into secrets values ($1)');
  });
  app.get('/crash-internal', async () => {
    throw new AppError('internal', { en: 'Could not open /var/lib/tianping/pg: disk', zh: '内部' });
  });
  await app.ready();
});
after(async () => {
  await app?.close();
});

test('every error code has a status, a title in both languages, and a 4xx or 5xx status', () => {
  for (const code of ERROR_CODES) {
    const p = PROBLEMS[code];
    assert.ok(p.status >= 400 && p.status < 600, code);
    assert.ok(p.title.length > 0 && p.title_zh.length > 0, code);
  }
});

test('maps each domain error code to its status as a problem+json body with both sentences', async () => {
  const expected: Record<ErrorCode, number> = {
    invalid_input: 400,
    unauthenticated: 401,
    forbidden: 403,
    not_found: 404,
    conflict: 409,
    payload_too_large: 413,
    unsupported_media_type: 415,
    rate_limited: 429,
    config_invalid: 500,
    internal: 500,
    data_dir_locked: 503,
    storage_unavailable: 503,
    not_ready: 503,
  };
  for (const code of ERROR_CODES) {
    const r = await app.inject({ method: 'GET', url: `/throw/${code}` });
    assert.equal(r.statusCode, expected[code], code);
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/, code);
    const body = r.json();
    assert.ok(isProblem.Check(body), `${code}: ${JSON.stringify(body)}`);
    assert.equal(body.type, `urn:tianping:problem:${code}`);
    assert.equal(body.code, code);
    assert.equal(body.status, expected[code]);
    assert.equal(body.title, PROBLEMS[code].title);
    assert.equal(body.title_zh, PROBLEMS[code].title_zh);
    assert.equal(body.instance, `/throw/${code}`);
    if (expected[code] < 500) {
      assert.equal(body.detail, `English sentence for ${code}.`);
      assert.equal(body.detail_zh, `${code} 的中文句子。`);
    }
  }
});

test('the details of an error travel as the errors member', async () => {
  const r = await app.inject({ method: 'GET', url: '/rejected' });
  assert.equal(r.statusCode, 400);
  assert.deepEqual(r.json().errors, [
    { index: 0, errors: [{ field: 'id', reason: 'is required' }] },
    { index: 3, errors: [{ field: 'time', reason: 'must have a zone' }] },
  ]);
});

test('schema validation failures are 400 with each field and reason', async () => {
  const r = await app.inject({ method: 'POST', url: '/typed', payload: { name: '', n: 0 } });
  assert.equal(r.statusCode, 400);
  const body = r.json();
  assert.equal(body.code, 'invalid_input');
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const fields = (body.errors as { field: string; reason: string }[]).map((e) => e.field).sort();
  assert.deepEqual(fields, ['body.n', 'body.name']);
  for (const e of body.errors) assert.ok(e.reason.length > 0);
  assert.match(body.detail, /invalid field\(s\): .*body\.(name|n) /);
  assert.match(body.detail_zh, /个字段不符合要求/);
});

test('a body over the limit is 413 naming the limit, in both languages', async () => {
  const r = await app.inject({
    method: 'POST',
    url: '/typed',
    payload: JSON.stringify({ name: 'x'.repeat(2000), n: 1 }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(r.statusCode, 413);
  assert.equal(r.json().code, 'payload_too_large');
  assert.match(r.json().detail, /limit of 1024 bytes/);
  assert.match(r.json().detail_zh, /1024 字节/);
});

test('an unsupported content type is 415 naming the type', async () => {
  const r = await app.inject({
    method: 'POST',
    url: '/typed',
    payload: 'name=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.statusCode, 415);
  assert.equal(r.json().code, 'unsupported_media_type');
  assert.match(r.json().detail, /application\/x-www-form-urlencoded/);
});

test('Fastify’s other client errors are 400 problems quoting its reason in both texts', async () => {
  const r = await app.inject({
    method: 'POST',
    url: '/typed',
    payload: '',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().code, 'invalid_input');
  assert.match(r.json().detail, /Body cannot be empty/);
  assert.match(r.json().detail_zh, /^请求内容不符合要求（Body cannot be empty.*）。$/);
});

test('an unknown route is a 404 problem naming method and path, without the query', async () => {
  const r = await app.inject({ method: 'DELETE', url: '/nowhere?token=abc' });
  assert.equal(r.statusCode, 404);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  assert.equal(r.json().code, 'not_found');
  assert.equal(r.json().instance, '/nowhere');
  assert.match(r.json().detail, /no route DELETE \/nowhere;/);
  assert.ok(!r.body.includes('token'));
});

test('an unexpected error is a 500 that hides SQL and stack but logs the cause', async () => {
  logged.length = 0;
  const r = await app.inject({ method: 'GET', url: '/crash' });
  assert.equal(r.statusCode, 500);
  const body = r.json();
  assert.equal(body.code, 'internal');
  assert.ok(isProblem.Check(body));
  assert.ok(!/insert|secrets|constraint|at .*\.ts/.test(r.body), r.body);
  assert.match(body.detail, /logged as request req-/);
  assert.match(body.detail_zh, /请求编号 req-/);
  assert.ok(JSON.stringify(logged).includes('duplicate key value'), 'the cause is in the log');
});

test('a domain error with a 5xx status does not pass its message to the caller', async () => {
  const r = await app.inject({ method: 'GET', url: '/crash-internal' });
  assert.equal(r.statusCode, 500);
  assert.ok(!r.body.includes('/var/lib'), r.body);
});

test('problem() leaves out instance and errors when there are none', () => {
  assert.deepEqual(problem('forbidden', { en: 'No.', zh: '不行。' }), {
    type: 'urn:tianping:problem:forbidden',
    title: 'Forbidden',
    status: 403,
    detail: 'No.',
    code: 'forbidden',
    title_zh: '无权执行此操作',
    detail_zh: '不行。',
  });
});
