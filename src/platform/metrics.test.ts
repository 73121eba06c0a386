import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from './metrics.ts';

test('a metric registered twice is the same metric, counted once in the exposition', async () => {
  const m = new Metrics();
  const a = m.counter({ name: 'tianping_test_total', help: 'a test', labelNames: ['kind'] });
  const b = m.counter({ name: 'tianping_test_total', help: 'a test', labelNames: ['kind'] });
  assert.equal(a, b);
  a.inc({ kind: 'x' });
  b.inc({ kind: 'x' }, 2);
  const text = await m.text();
  assert.match(text, /^tianping_test_total\{kind="x"\} 3$/m);
  assert.equal(text.match(/# HELP tianping_test_total/g)?.length, 1);
});

test('gauges are worked out when scraped; process figures are added once on request', async () => {
  const m = new Metrics();
  let v = 1;
  m.gauge({
    name: 'tianping_test_gauge',
    help: 'a test',
    async collect() {
      this.set(v);
    },
  });
  assert.match(await m.text(), /^tianping_test_gauge 1$/m);
  v = 7;
  assert.match(await m.text(), /^tianping_test_gauge 7$/m);
  assert.doesNotMatch(await m.text(), /process_cpu/);
  m.collectProcessMetrics();
  m.collectProcessMetrics();
  const text = await m.text();
  assert.match(text, /^process_cpu_user_seconds_total /m);
  assert.equal(text.match(/# HELP process_cpu_user_seconds_total/g)?.length, 1);
  assert.match(m.contentType, /^text\/plain; version=0\.0\.4/);
});
