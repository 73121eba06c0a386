import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

test('flags many accounts on one device ordering from one merchant', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 1000);
  for (let i = 0; i < 5; i++)
    s.account(`f${i}`, { device: 'farm' }).order(`o${i}`, `f${i}`, 'm', 'l1', {
      price: 1000,
      device: 'farm',
    });
  const f = s.run((r) =>
    r.kind === 'shared_identifier' && r.params.identifier === 'device' ? r : undefined,
  );
  assert.ok(f.has('account', 'f0') && f.has('account', 'f4'));
  assert.ok(f.has('order', 'o4'));
});

test('a campus network whose students buy everywhere is not judged', () => {
  const s = new MarketScript();
  for (let m = 0; m < 45; m++) s.merchant(`m${m}`, [`op${m}`]).listing(`l${m}`, `m${m}`, 1000);
  for (let i = 0; i < 90; i++)
    s.account(`s${i}`, { ip: '10.9.9.9' }).order(`o${i}`, `s${i}`, `m${i % 45}`, `l${i % 45}`, {
      price: 1000,
      ip: '10.9.9.9',
    });
  const f = s.run(only('shared_identifier'));
  assert.equal(f.signals.filter((x) => x.mode === 'live').length, 0);
});

test('a household of three sharing a device is not judged', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 1000);
  for (let i = 0; i < 3; i++)
    s.account(`h${i}`, { device: 'family' }).order(`o${i}`, `h${i}`, 'm', 'l1', {
      price: 1000,
      device: 'family',
      address: 'home',
    });
  assert.equal(s.run(only('shared_identifier')).signals.filter((x) => x.mode === 'live').length, 0);
});
