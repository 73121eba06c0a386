import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, ERROR_CODES, GENERIC_ZH, isAppError } from './errors.ts';

test('an AppError carries its code, the English message, the Chinese sentence and its details', () => {
  const details = [{ field: 'roles', reason: 'is required' }];
  const e = new AppError(
    'invalid_input',
    { en: 'A key needs a role.', zh: '密钥至少需要一个角色。' },
    details,
  );
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'AppError');
  assert.equal(e.code, 'invalid_input');
  assert.equal(e.message, 'A key needs a role.');
  assert.equal(e.zh, '密钥至少需要一个角色。');
  assert.equal(e.details, details);
  assert.ok(isAppError(e));
});

test('every code has a generic Chinese line', () => {
  for (const code of ERROR_CODES) assert.ok(GENERIC_ZH[code].endsWith('。'), code);
});

test('isAppError is false for other errors and values', () => {
  assert.ok(!isAppError(new Error('x')));
  assert.ok(!isAppError({ code: 'internal', message: 'x', zh: 'x' }));
  assert.ok(!isAppError(undefined));
});
