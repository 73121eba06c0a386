import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Neighbourhood } from './neighbourhood.ts';
import { MarketScript } from './stream/testing.ts';

const DAY = 86_400_000;
const params = {
  poolMaxAccounts: 12,
  complaintWindowMs: 7 * DAY,
  orderWindowMs: 14 * DAY,
  moneyWindowMs: 7 * DAY,
  lowRatingMax: 2,
};

function complain(s: MarketScript, who: string, shop: string, n: number) {
  s.fullOrder(`o-${who}-${shop}`, who, shop, `l-${shop}`, { price: 990, ip: `ip-${who}` }).review(
    `r-${who}-${shop}`,
    `o-${who}-${shop}`,
    who,
    shop,
    `l-${shop}`,
    1,
    '质量太差',
  );
  s.wait(60 * n);
}

test('silent gang members who share a device and complain at the same shops are linked complainers', () => {
  const s = new MarketScript();
  for (const m of ['s1', 's2', 's3']) s.merchant(m, [`op-${m}`]).listing(`l-${m}`, m, 990);
  for (const g of ['g1', 'g2', 'g3']) s.account(g, { device: 'gang-phone', ip: `ip-${g}` });
  s.account('h', { device: 'own', ip: 'ip-h' });
  for (const shop of ['s1', 's2']) for (const g of ['g1', 'g2', 'g3']) complain(s, g, shop, 5);
  complain(s, 'h', 's3', 5);
  const state = s.run().engine.state;
  const n = new Neighbourhood(state, params);
  const g1 = n.coComplaint(state.accounts.get('g1')!);
  assert.deepEqual(g1, { partners: 2, linkedPartners: 2, linkedShops: 2 });
  assert.deepEqual(n.coComplaint(state.accounts.get('h')!), {
    partners: 0,
    linkedPartners: 0,
    linkedShops: 0,
  });
  assert.deepEqual([...n.linked('g1')].sort(), ['g2', 'g3']);
});

test('an identifier shared by more accounts than the pool limit (a campus network) links nobody', () => {
  const s = new MarketScript();
  s.merchant('s1', ['op']).listing('l-s1', 's1', 990);
  for (let i = 0; i < 15; i++) s.account(`c${i}`, { device: `d${i}`, ip: 'campus' });
  for (let i = 0; i < 15; i++)
    s.fullOrder(`o${i}`, `c${i}`, 's1', 'l-s1', { price: 990, ip: 'campus' }).review(
      `r${i}`,
      `o${i}`,
      `c${i}`,
      's1',
      'l-s1',
      1,
      '差',
    );
  const state = s.run().engine.state;
  const n = new Neighbourhood(state, params);
  assert.equal(n.linked('c0').size, 0);
  const co = n.coComplaint(state.accounts.get('c0')!);
  assert.equal(co.linkedPartners, 0);
  assert.ok(co.partners > 0, 'they still complained near each other, but nothing links them');
});

test('linked accounts buying at one shop together are counted on each of their orders there', () => {
  const s = new MarketScript();
  s.merchant('client', ['op'])
    .listing('l-client', 'client', 5000)
    .merchant('popular', ['op2'])
    .listing('l-pop', 'popular', 5000);
  for (const a of ['r1', 'r2', 'r3']) s.account(a, { device: 'farm', ip: `ip-${a}` });
  for (const a of ['r1', 'r2', 'r3'])
    s.fullOrder(`c-${a}`, a, 'client', 'l-client', { price: 5000, device: 'farm', ip: `ip-${a}` });
  s.fullOrder('camouflage', 'r1', 'popular', 'l-pop', { price: 5000, device: 'farm', ip: 'ip-r1' });
  const state = s.run().engine.state;
  const n = new Neighbourhood(state, params);
  assert.equal(n.linkedBuyersHere(state.orders.get('c-r1')!), 2);
  assert.equal(
    n.linkedBuyersHere(state.orders.get('camouflage')!),
    0,
    'a camouflage order elsewhere is not a ring order',
  );
});
