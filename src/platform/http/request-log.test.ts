import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { redactUrl, requestId } from './request-log.ts';

const req = (id?: string) => ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as IncomingMessage;

test('a short id of safe characters is kept; anything else gets a fresh UUID', () => {
  for (const ok of [
    'abc',
    'trace-42.a:b',
    '0af7651916cd43dd8448eb211c80319c',
    'x'.repeat(64),
    'a/b+c=@d_e',
  ]) {
    assert.equal(requestId(req(ok)), ok);
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  for (const bad of [
    undefined,
    '',
    'x'.repeat(65),
    'two words',
    'new\nline',
    '"quoted"',
    '<b>',
    '中文',
    'a,b',
  ]) {
    assert.match(requestId(req(bad)), uuid, String(bad));
  }
  assert.notEqual(requestId(req()), requestId(req()));
});

test('secret-looking query parameters are hidden, the rest of the URL is kept', () => {
  assert.equal(redactUrl('/v1/events/x'), '/v1/events/x');
  assert.equal(redactUrl('/v1/signals?limit=5&kind=order'), '/v1/signals?limit=5&kind=order');
  assert.equal(
    redactUrl('/x?api_key=abc&access_token=t&Password=p&sig=s&receipt=r&limit=5'),
    '/x?api_key=[redacted]&access_token=[redacted]&Password=[redacted]&sig=[redacted]&receipt=r&limit=5',
  );
  assert.equal(redactUrl('/x?%6Bey=abc&flag'), '/x?%6Bey=[redacted]&flag', 'encoded names too');
});
