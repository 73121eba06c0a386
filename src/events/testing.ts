// One valid event of every contract type, for tests and examples.
import type { MarketEvent } from './contract.ts';

const T = '2026-11-20T08:15:00+08:00';
const H = 'a3f1c2d4e5b6a7980a1b2c3d4e5f6071';

export function sampleEvents(prefix = 'ev'): MarketEvent[] {
  const e = (n: number, type: MarketEvent['type'], data: Record<string, unknown>) =>
    ({ id: `${prefix}-${n}`, type, time: T, data }) as MarketEvent;
  return [
    e(1, 'account.registered', { account_id: 'a1', phone_hash: H, device_id: 'd1', ip: '10.1.2.3' }),
    e(2, 'account.login', { account_id: 'a1', device_id: 'd1', ip: '10.1.2.3' }),
    e(3, 'merchant.registered', {
      merchant_id: 'm1',
      name: '示例小店',
      uscc: '91330100MA2B3C4D5E',
      category: '数码',
      account_ids: ['op1'],
    }),
    e(4, 'listing.published', {
      listing_id: 'l1',
      merchant_id: 'm1',
      title: '手机壳',
      price: 1990,
      category: '数码',
    }),
    e(5, 'listing.updated', { listing_id: 'l1', merchant_id: 'm1', title: '手机壳 新款', price: 1890 }),
    e(6, 'order.created', {
      order_id: 'o1',
      buyer_id: 'a1',
      merchant_id: 'm1',
      items: [{ listing_id: 'l1', quantity: 2, unit_price: 1890 }],
      amount: 3780,
      device_id: 'd1',
      ip: '10.1.2.3',
      address_hash: H,
      province: '浙江',
      city: '杭州',
      district: '西湖区',
    }),
    e(7, 'order.paid', { order_id: 'o1', amount: 3780, instrument_hash: H }),
    e(8, 'order.shipped', { order_id: 'o1', carrier: 'SF', tracking_no: 'SF123', weight_grams: 120 }),
    e(9, 'order.delivered', { order_id: 'o1' }),
    e(10, 'order.cancelled', { order_id: 'o2', reason: 'changed mind' }),
    e(11, 'refund.requested', { refund_id: 'r1', order_id: 'o1', amount: 1890, reason: '破损' }),
    e(12, 'refund.completed', { refund_id: 'r1', order_id: 'o1', amount: 1890 }),
    e(13, 'review.posted', {
      review_id: 'rv1',
      order_id: 'o1',
      buyer_id: 'a1',
      merchant_id: 'm1',
      listing_id: 'l1',
      rating: 5,
      text: '很好',
      image_count: 1,
    }),
    e(14, 'review.removed', { review_id: 'rv1', by: 'buyer', reason: 'duplicate' }),
    e(15, 'transfer.made', { transfer_id: 't1', from_id: 'op1', to_id: 'a1', amount: 500, memo: '补偿' }),
    e(16, 'message.sent', {
      message_id: 'msg1',
      from_id: 'a1',
      to_id: 'op1',
      text: '什么时候发货？',
      order_id: 'o1',
    }),
    e(17, 'listing.removed', { listing_id: 'l1', reason: 'sold out' }),
  ];
}
