import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../platform/errors.ts';
import { formatError } from './errors.ts';

test('an AppError prints its message on one line, after "Error: " or "错误："', () => {
  const e = new AppError('invalid_input', {
    en: '--days must be a positive integer, got "x".',
    zh: '--days 必须是正整数，收到的是 "x"。',
  });
  assert.equal(
    formatError(e, { debug: false, lang: 'en' }),
    'Error: --days must be a positive integer, got "x".\n',
  );
  assert.equal(
    formatError(e, { debug: false, lang: 'zh-CN' }),
    '错误：--days 必须是正整数，收到的是 "x"。\n',
  );
});

test('an AppError prints its Chinese sentence in Chinese, the English one otherwise', () => {
  const e = new AppError('not_found', { en: 'No API key with id 1.', zh: '没有 ID 为 1 的 API 密钥。' });
  assert.equal(formatError(e, { debug: false, lang: 'zh-CN' }), '错误：没有 ID 为 1 的 API 密钥。\n');
  assert.equal(formatError(e, { debug: false, lang: 'en' }), 'Error: No API key with id 1.\n');
});

test('any other error prints one line pointing to --debug and never its own message', () => {
  const e = new TypeError('select * from people where phone = 13800000000');
  const out = formatError(e, { debug: false, lang: 'en' });
  assert.equal(out, 'Error: an unexpected error happened; re-run with --debug for details.\n');
  assert.equal(formatError('a string', { debug: false, lang: 'en' }), out);
  assert.equal(
    formatError(e, { debug: false, lang: 'zh-CN' }),
    '错误：发生了意外错误；加上 --debug 重新运行可查看详情。\n',
  );
});

test('with --debug the stack, the code and the cause follow the line', () => {
  const e = new AppError('invalid_input', { en: 'bad knob', zh: '参数有误' }, { knob: 'brushing.rings' });
  const out = formatError(e, { debug: true, lang: 'en' });
  assert.match(out, /^Error: bad knob\nAppError: bad knob\n\s+at /);
  assert.match(out, /code: 'invalid_input'/);
  const wrapped = formatError(new Error('outer', { cause: new Error('the inner reason') }), {
    debug: true,
    lang: 'en',
  });
  assert.match(wrapped, /the inner reason/);
});
