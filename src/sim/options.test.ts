import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyKnobOverride,
  DEFAULT_START,
  defaultSimOptions,
  describeKnobs,
  validateOptions,
} from './options.ts';

test('defaults scale with the marketplace size', () => {
  const big = defaultSimOptions();
  assert.equal(big.merchants, 2000);
  assert.equal(big.buyers, 100_000);
  assert.equal(big.start, DEFAULT_START);
  assert.equal(big.schemes.brushing.rings, 12);
  const tiny = defaultSimOptions({ merchants: 60, buyers: 3000 });
  assert.ok(tiny.schemes.brushing.rings >= 1 && tiny.schemes.brushing.rings < big.schemes.brushing.rings);
  assert.ok(tiny.schemes.cashback.merchants >= 1);
  assert.ok(tiny.schemes.brushing.accountsPerRing[1] < big.schemes.brushing.accountsPerRing[1]);
});

test('partial scheme knobs merge over the defaults', () => {
  const o = defaultSimOptions({ schemes: { brushing: { rings: 2 } }, baseline: { householdShare: 0.1 } });
  assert.equal(o.schemes.brushing.rings, 2);
  assert.equal(o.baseline.householdShare, 0.1);
  assert.deepEqual(o.schemes.brushing.accountsPerRing, [20, 60]);
});

test('overrides accept integers, rates, booleans and ranges in several spellings', () => {
  let o = defaultSimOptions({ merchants: 60, buyers: 3000 });
  o = applyKnobOverride(o, 'brushing.rings=12');
  o = applyKnobOverride(o, 'brushing.camouflageRate=0.5');
  o = applyKnobOverride(o, 'cashback.enabled=false');
  o = applyKnobOverride(o, 'brushing.accountsPerRing=8..20');
  o = applyKnobOverride(o, 'extortion.membersPerGang=[3,9]');
  o = applyKnobOverride(o, 'brushing.emptyParcelRate=0.2-0.4');
  o = applyKnobOverride(o, 'baseline.campuses=2');
  o = applyKnobOverride(o, 'review_attack.attackersPerAttack=10');
  assert.equal(o.schemes.brushing.rings, 12);
  assert.equal(o.schemes.brushing.camouflageRate, 0.5);
  assert.equal(o.schemes.cashback.enabled, false);
  assert.deepEqual(o.schemes.brushing.accountsPerRing, [8, 20]);
  assert.deepEqual(o.schemes.extortion.membersPerGang, [3, 9]);
  assert.deepEqual(o.schemes.brushing.emptyParcelRate, [0.2, 0.4]);
  assert.deepEqual(o.schemes.review_attack.attackersPerAttack, [10, 10]);
  assert.equal(o.baseline.campuses, 2);
});

test('an override returns new options and leaves the input untouched', () => {
  const o = defaultSimOptions();
  const p = applyKnobOverride(o, 'brushing.rings=3');
  assert.equal(o.schemes.brushing.rings, 12);
  assert.equal(p.schemes.brushing.rings, 3);
});

test('bad overrides are rejected with the knob named', () => {
  const o = defaultSimOptions();
  assert.throws(() => applyKnobOverride(o, 'brushing.ringz=3'), /brushing\.ringz/);
  assert.throws(() => applyKnobOverride(o, 'nosuch.rings=3'), /nosuch\.rings/);
  assert.throws(() => applyKnobOverride(o, 'brushing.rings=many'), /brushing\.rings.*integer/);
  assert.throws(() => applyKnobOverride(o, 'brushing.rings=2.5'), /brushing\.rings/);
  assert.throws(
    () => applyKnobOverride(o, 'brushing.camouflageRate=1.5'),
    /brushing\.camouflageRate.*between 0 and 1/,
  );
  assert.throws(() => applyKnobOverride(o, 'brushing.enabled=maybe'), /brushing\.enabled.*true or false/);
  assert.throws(() => applyKnobOverride(o, 'brushing.accountsPerRing=20..8'), /brushing\.accountsPerRing/);
  assert.throws(() => applyKnobOverride(o, 'brushing.rings'), /scheme\.knob=value/);
  assert.throws(() => applyKnobOverride(o, 'brushing.toString=1'), /brushing\.toString/);
});

test('validation names the bad option or knob', () => {
  const o = defaultSimOptions();
  assert.throws(() => validateOptions({ ...o, days: 0 }), /"days"/);
  assert.throws(() => validateOptions({ ...o, start: '2026-10-01' }), /"start"/);
  const bad = structuredClone(o);
  bad.schemes.extortion.payRate = 2;
  assert.throws(() => validateOptions(bad), /extortion\.payRate/);
});

test('every knob is described with its value', () => {
  const docs = describeKnobs();
  assert.ok(docs.length > 60);
  const rings = docs.find((d) => d.name === 'brushing.rings');
  assert.equal(rings?.value, 12);
  for (const d of docs) assert.ok(d.doc.length > 5, d.name);
});
