// Chinese text: shop names, listing titles and descriptions, reviews and chats, honest and abusive, with variation.
import type { Random } from '../platform/random.ts';
import type { Category, ItemType } from './catalog.ts';

/** A real problem with an order, which honest buyers' reviews, chats and refunds reflect. */
export const Problem = { None: 0, Late: 1, Damaged: 2, Quality: 3, Spoiled: 4 } as const;
export type Problem = (typeof Problem)[keyof typeof Problem];

const SHOP_HEAD = [
  '小',
  '大',
  '阿',
  '老',
  '新',
  '优',
  '良',
  '悦',
  '乐',
  '星',
  '云',
  '晨',
  '暖',
  '禾',
  '木',
  '青',
  '橙',
  '蓝',
];
const SHOP_MID = [
  '家',
  '品',
  '选',
  '鲜',
  '物',
  '铺',
  '居',
  '记',
  '匠',
  '客',
  '森',
  '米',
  '兔',
  '猫',
  '熊',
  '鹿',
  '屋',
  '坊',
];
const SHOP_TAIL = [
  '旗舰店',
  '专营店',
  '小铺',
  '官方店',
  '工厂店',
  '生活馆',
  '精品店',
  '严选',
  '优品店',
  '店',
];

export function shopName(r: Random, cat: Category): string {
  if (r.chance(0.3)) return `${r.pick(cat.brands)}${r.pick(['旗舰店', '官方旗舰店', '专卖店', '直营店'])}`;
  const city = r.chance(0.25)
    ? r.pick(['杭州', '义乌', '广州', '深圳', '苏州', '成都', '泉州', '潮汕', '东北'])
    : '';
  return `${city}${r.pick(SHOP_HEAD)}${r.pick(SHOP_MID)}${r.chance(0.4) ? r.pick(SHOP_MID) : ''}${r.pick(SHOP_TAIL)}`;
}

const TITLE_TAIL = [
  '2026新款',
  '包邮',
  '现货速发',
  '官方正品',
  '秋冬款',
  '热卖',
  '学生党',
  '家用',
  '送礼',
  '',
  '',
  '',
];

export function listingTitle(r: Random, brand: string, item: ItemType): string {
  const w1 = r.pick(item.words);
  let w2 = r.pick(item.words);
  if (w2 === w1) w2 = '';
  const tail = r.pick(TITLE_TAIL);
  const head = r.chance(0.75) ? `${brand} ` : '';
  return `${head}${w1}${w2}${item.noun}${tail ? ` ${tail}` : ''}`.trim();
}

const DESC_COMMON = [
  '下单后48小时内发货。',
  '支持七天无理由退货。',
  '如有问题请联系在线客服。',
  '图片均为实物拍摄。',
  '默认发中通或圆通，偏远地区除外。',
  '收到货请先验货再签收。',
  '量大可联系客服。',
];

export function listingDescription(r: Random, cat: Category, item: ItemType): string {
  const n = r.int(2, 4);
  const used = new Set<string>();
  let s = `${r.pick(item.words)}${item.noun}，`;
  for (let i = 0; i < n; i++) {
    const x = i === 0 || r.chance(0.5) ? r.pick(cat.desc) : r.pick(DESC_COMMON);
    if (used.has(x)) continue;
    used.add(x);
    s += x;
  }
  return s;
}

/** Lawful uses of 最/第一/国家级 (usage tips, grades, true background, product specs, brand names, goals). */
export const LAWFUL_PHRASES: Record<string, readonly string[]> = {
  食品: [
    '最佳食用期：开封后3天内。',
    '最佳赏味期为生产日期起30天内。',
    '执行国家标准一级。',
    '龙井茶制作技艺为国家级非物质文化遗产，本品产自西湖产区。',
    '第一次冲泡建议用85℃的水。',
    '2024年获评浙江省名牌产品（省级认定，证书可查）。',
  ],
  美妆: [
    '第一次使用请先在耳后试用。',
    '建议最佳使用时间为晚间洁面后。',
    '第一步洁面，第二步涂抹精华。',
    '本店追求最好的服务体验。',
  ],
  家居: [
    '第一次使用前请用温水清洗。',
    '最大承重5公斤（实测数据）。',
    '执行国家标准一级品。',
    '本店追求最好的服务体验。',
  ],
  母婴: ['第一次使用前请煮沸消毒。', '最佳使用温度为37℃左右。', '执行国家标准一级。'],
  数码: [
    '最高支持65W快充（以实际机型为准）。',
    '适用于第一代至第三代机型。',
    '最大续航约30小时（实验室数据）。',
    '第一次使用请充满电。',
  ],
  服装: ['第一次洗涤请单独手洗。', '面料执行国家标准一等品。'],
  图书: ['本书为“第一辑”共五册中的第一册。', '荣获国家图书奖（国家新闻出版署颁发）。'],
  运动: ['第一次使用请展开平放24小时。', '最大承重150公斤（实测数据）。'],
  虚拟商品: ['第一次充值请核对账号。'],
};

/** Brand names that contain 最/第一 (trademarks are an allowed use). */
export const LAWFUL_BRANDS = ['最生活', '第一坊', '最食记'];

/** Banned absolute claims (广告法 Art. 9(3)), including spelled-around variants. */
export const BANNED_TITLE = [
  '【全网第一】',
  '销量第一',
  '全网最低价',
  '顶级',
  '最好用的',
  'NO.1',
  'TOP1',
  '国家级',
  '世界级',
  '史上最强',
  '第一品牌',
  '极品',
  '至尊',
  '万能',
  '全网第1',
  '销冠No.1',
  '最畅销',
  '唯一正品',
];
export const BANNED_DESC = [
  '全网销量第一，品质保证。',
  '本品效果100%有效，无效退款。',
  '国家级产品，品质最好。',
  '采用顶级原料，行业唯一。',
  '全网最低价，买贵退差。',
  '世界领先技术，最先进的工艺。',
  '永久不褪色，永久不变形。',
  '最受欢迎的爆款，销量遥遥领先排名第一。',
  '唯一指定正品，假一罚十。',
  '100%纯天然，绝对无副作用。',
  '同类产品中效果最好的一款。',
  '全国销量NO.1，明星同款。',
  '国家级认证品质，行业第一品牌。',
  '顶级工艺，极致体验，全网第一。',
];

/** Inserts a banned claim into a title at a varied place. */
export function bannedTitle(r: Random, title: string): string {
  const w = r.pick(BANNED_TITLE);
  const p = r.int(0, 2);
  if (p === 0) return `${w}${w.startsWith('【') ? '' : ' '}${title}`;
  if (p === 1) return `${title} ${w}`;
  const sp = title.indexOf(' ');
  return sp > 0 ? `${title.slice(0, sp)} ${w}${title.slice(sp + 1)}` : `${w}${title}`;
}

export function bannedDescription(r: Random, desc: string): string {
  const w = r.pick(BANNED_DESC);
  return r.chance(0.5) ? w + desc : desc + w;
}

/** Banned absolute claims as adaptive merchants write them: other wordings, still banned (广告法 Art. 9(3)). */
const BANNED_CORE = [
  '全网第一',
  '销量第一',
  '全国第一',
  '行业第一',
  '第一品牌',
  '全网销冠',
  '销量冠军',
  'NO.1',
  'TOP1',
  'No.1',
  '顶级',
  '国家级',
  '世界级',
  '最好',
  '最低价',
  '最畅销',
  '史上最强',
  '第壹',
  '唯一正品',
];

const FULL_WIDTH: Record<string, string> = { '.': '．', ' ': '　' };
function fullWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))
      out += String.fromCharCode(c + 0xfee0);
    else out += FULL_WIDTH[ch] ?? ch;
  }
  return out;
}

/** One banned claim, spelled around keyword filters when `obfuscate`: 全 网 第 一, ＮＯ.１, 全网第①, 销量·第一. */
export function adaptiveClaim(r: Random, obfuscate: boolean): string {
  let w = r.pick(BANNED_CORE);
  if (!obfuscate) return w;
  const ascii = /[A-Za-z0-9]/.test(w);
  const m = r.int(0, 3);
  if (ascii && m <= 1) w = fullWidth(w);
  else if (m === 0 || m === 1) w = [...w].join(r.chance(0.7) ? ' ' : '　');
  else if (m === 2) w = w.replace('一', r.pick(['①', '1', '壹', '１'])).replace('1', '１');
  else {
    const chars = [...w];
    const at = r.int(1, Math.max(1, chars.length - 1));
    w = chars.slice(0, at).join('') + r.pick(['·', '*', '-', ' ', '丨']) + chars.slice(at).join('');
  }
  return w;
}

const ADAPTIVE_DESC = [
  (c: string) => `本店${c}，品质有保障。`,
  (c: string) => `连续三年${c}，回头客超多。`,
  (c: string) => `选料讲究，${c}的口碑。`,
  (c: string) => `（${c}）放心下单。`,
  (c: string) => `同类产品${c}，买过都说好。`,
  (c: string) => `${c}！老顾客都知道。`,
];

/** A description carrying one banned claim in adaptive wording. */
export function adaptiveBannedDescription(r: Random, desc: string, obfuscate: boolean): string {
  const w = r.pick(ADAPTIVE_DESC)(adaptiveClaim(r, obfuscate));
  return r.chance(0.4) ? w + desc : desc + w;
}

/** A title carrying one banned claim in adaptive wording. */
export function adaptiveBannedTitle(r: Random, title: string, obfuscate: boolean): string {
  const w = adaptiveClaim(r, obfuscate);
  return r.chance(0.5) ? `${title} ${w}` : `【${w}】${title}`;
}

const OPENERS = [
  '',
  '',
  '',
  '',
  '收到了，',
  '第二次买了，',
  '帮家人买的，',
  '一直在这家买，',
  '用了几天才来评价，',
  '给老妈买的，',
  '回购好几次了，',
  '朋友推荐的，',
  '犹豫了很久才下单，',
  '活动价入的，',
];
const CLOSERS = [
  '',
  '',
  '推荐购买',
  '会回购的',
  '满意',
  '好评',
  '下次还来',
  '值得入手',
  '性价比高',
  '总体不错',
  '还会再买',
];
const SERVICE_GOOD = ['物流很快', '快递给力', '客服很耐心', '发货速度快', '包装很用心', '隔天就到了'];
const ENDS = ['', '。', '！', '～', '。', '', '!!', ' 👍'];

const NEG_ENDS = ['', '。', '！', '！！', '!!', '。。。', '', '？'];

function join(parts: string[], r: Random, ends: readonly string[] = ENDS): string {
  let s = '';
  for (const p of parts) {
    if (!p) continue;
    s += s && !s.endsWith('，') ? `，${p}` : p;
  }
  if (s.endsWith('，')) s = s.slice(0, -1);
  return s + r.pick(ends);
}

const BAD_OPENERS = ['说实话', '第一次在这家买', '本来挺期待的', '唉', '先说结论', '买给孩子的', '活动买的'];
const LATE = [
  '物流太慢了，等了一个多星期',
  '快递慢得离谱',
  '催了好几次才到',
  '说好48小时发货，结果拖了好几天',
  '下单五天才发货',
  '物流信息好几天不更新',
  '等到花儿都谢了',
  '快递在中转站躺了三天',
  '发货太慢，急用的都耽误了',
  '整整一周才收到',
];
const DAMAGED = [
  '收到的时候包装破了',
  '东西是坏的',
  '外箱压扁了，里面也碎了',
  '磕坏了一个角',
  '包装太简陋，东西摔变形了',
  '盒子湿透了，东西也受损了',
  '有明显划痕，像是被摔过',
];
const SPOILED = [
  '收到好几个坏的',
  '已经变质了',
  '有一股馊味',
  '一半都烂了',
  '打开就发霉了',
  '化了，黏在一起',
];
const BAD_CLOSERS = [
  '客服回复很慢',
  '联系客服也没解决',
  '很失望',
  '不会再买了',
  '大家谨慎购买',
  '申请了售后',
  '希望商家改进',
  '给个差评长长记性',
  '算了，懒得退了',
  '客服态度还行，给退了一部分',
];

/** Honest review text for a rating, reflecting the real problem if any; undefined means no text. */
export function honestReview(
  r: Random,
  cat: Category,
  rating: number,
  problem: Problem,
  quick: boolean,
): string | undefined {
  if (quick) {
    if (r.chance(0.25)) return undefined;
    return (
      r.pick(['好评', '不错', '满意', '很好', '可以', '挺好的', '还行', '好', '东西不错', '很满意，好评']) +
      r.pick(ENDS)
    );
  }
  if (rating >= 4 && r.chance(0.1)) return undefined;
  if (rating === 5) {
    const parts = [r.pick(OPENERS), r.pick(cat.good)];
    if (r.chance(0.6)) parts.push(r.pick(cat.good));
    if (r.chance(0.45)) parts.push(r.pick(SERVICE_GOOD));
    parts.push(r.pick(CLOSERS));
    return join(parts, r);
  }
  if (rating === 4) {
    const parts = [r.pick(OPENERS), r.pick(cat.good)];
    parts.push(problem === Problem.Late ? '就是物流有点慢' : r.pick(cat.meh));
    if (r.chance(0.3)) parts.push(r.pick(['总体还行', '可以接受', '还算满意', '']));
    return join(parts, r);
  }
  if (rating === 3) {
    const parts = [r.pick(['一般般', '还行吧', '中规中矩', '凑合用', '和描述有点差距', ''])];
    parts.push(problem === Problem.Late ? '物流太慢了' : r.pick(cat.meh));
    if (r.chance(0.4)) parts.push(r.pick(cat.good));
    return join(parts, r);
  }
  const parts: string[] = [];
  if (r.chance(0.3)) parts.push(r.pick(BAD_OPENERS));
  if (problem === Problem.Late) {
    parts.push(r.pick(LATE));
    // A late parcel can still hold decent goods.
    if (r.chance(0.4)) parts.push(r.chance(0.5) ? `东西倒是${r.pick(cat.good)}` : r.pick(cat.meh));
  } else if (problem === Problem.Damaged) parts.push(r.pick(DAMAGED));
  else if (problem === Problem.Spoiled) parts.push(r.pick(SPOILED));
  else {
    parts.push(r.pick(cat.bad));
    if (r.chance(0.35)) parts.push(r.pick(cat.meh));
  }
  if (r.chance(0.55)) parts.push(r.pick(BAD_CLOSERS));
  return join(parts, r, NEG_ENDS);
}

/** Seed sentences a brushing ring varies into its templates. */
const BRUSH_BASE = [
  '宝贝收到了，质量非常好，物流也很快，卖家服务态度好，五星好评',
  '东西很好，和描述的一样，包装也很仔细，下次还会再来的',
  '质量很好，性价比超高，推荐大家购买',
  '非常满意的一次购物，做工精细，客服热情',
  '收到货了，很喜欢，质量杠杠的，值得购买',
  '超级好，第二次购买了，一如既往的好',
  '商品质量很好，与卖家描述的完全一致，非常满意',
  '物流很快，包装完好，东西非常不错，好评',
  '很好用，质量也不错，卖家发货速度快，赞一个',
  '宝贝很漂亮，质量也很好，强烈推荐',
];
const BRUSH_SWAP: [string, string[]][] = [
  ['非常', ['很', '特别', '超级', '相当']],
  ['很好', ['不错', '挺好', '很棒', '超好']],
  ['好评', ['五星好评', '给好评', '必须好评', '好评！']],
  ['推荐', ['推荐推荐', '值得推荐', '强烈推荐']],
];

/** A ring's own review templates: a few seeds, each varied by word swaps. */
export function ringTemplates(r: Random, n: number): string[] {
  const seeds = r.shuffle(BRUSH_BASE.slice()).slice(0, n);
  return seeds.map((s) => varyTemplate(r, s));
}

/** Small variations of a template, as rings make to dodge exact-duplicate checks. */
export function varyTemplate(r: Random, s: string): string {
  // Drop the ending a previous variation added, so endings do not pile up.
  let out = s.replace(/(！|。|～|!!|👍|，赞| 五星)$/u, '');
  for (const [from, tos] of BRUSH_SWAP)
    if (out.includes(from) && r.chance(0.35)) out = out.replace(from, r.pick(tos));
  const end = r.pick(['', '！', '。', '～', '!!', '👍', '，赞', ' 五星']);
  return out + end;
}

export function genericPraise(r: Random): string | undefined {
  if (r.chance(0.2)) return undefined;
  return (
    r.pick([
      '好评',
      '很好',
      '不错不错',
      '满意',
      '质量很好',
      '物流快，质量好',
      '五星',
      '很喜欢',
      '好评好评',
      '东西收到了，不错',
    ]) + r.pick(ENDS)
  );
}

const EXT_CLAIM = [
  '假货',
  '和专柜的完全不一样',
  '质量极差',
  '收到就是坏的',
  '以次充好',
  '虚假宣传',
  '用了之后过敏',
  '有严重的安全隐患',
  '吃出异物',
  '三无产品',
  '包装被拆过，像是退货再卖的',
  '生产日期是涂改过的',
  '商标都印歪了，明显是仿的',
  '有刺鼻的化学味',
  '孩子用了起红疹',
];
const EXT_ACCUSE = [
  '商家欺诈消费者',
  '商家还不认账',
  '找商家也不管',
  '客服态度恶劣，还骂人',
  '商家拒绝退款',
  '客服一直踢皮球',
  '商家还威胁我',
  '',
];
const EXT_THREAT = [
  '已经保留证据',
  '已向12315举报',
  '会一直追究',
  '已截图留证',
  '准备起诉',
  '大家千万别买',
  '大家别上当',
  '已经联系媒体',
  '',
];

/** Fabricated grave complaints of professional bad reviewers, assembled so no two gangs write alike. */
export function extortionReview(r: Random, cat: Category): string {
  const parts = [r.chance(0.3) ? r.pick(cat.bad) : r.pick(EXT_CLAIM)];
  if (r.chance(0.5)) parts.push(r.pick(EXT_CLAIM));
  parts.push(r.pick(EXT_ACCUSE));
  if (r.chance(0.7)) parts.push(r.pick(EXT_THREAT));
  return join(parts, r, NEG_ENDS);
}

const ATTACK_BITS = [
  '垃圾产品',
  '质量太差了',
  '和图片完全不一样',
  '客服态度极差',
  '大家千万别买',
  '差评，一分都不想给',
  '买了就后悔',
  '骗人的，根本不是正品',
  '太坑了',
  '做工粗糙',
  '一看就是便宜货',
  '用了一次就坏',
  '店大欺客',
  '智商税',
  '后悔没看差评',
];

/** Attack reviews: short, angry, unspecific. */
export function attackReview(r: Random, cat: Category): string | undefined {
  if (r.chance(0.12)) return undefined;
  const parts = [r.chance(0.25) ? r.pick(cat.bad) : r.pick(ATTACK_BITS)];
  if (r.chance(0.45)) parts.push(r.pick(ATTACK_BITS));
  if (r.chance(0.2)) parts.push(r.pick(['避雷', '拉黑了', '退货了', '']));
  return join(parts, r, NEG_ENDS);
}

/** Pre-sale questions, each with the answers a shop gives to it. */
export const PRESALE: readonly (readonly [string, readonly string[]])[] = [
  ['在吗？这个有现货吗？', ['亲，有现货的，下单48小时内发货哦', '在的亲，现货，今天下单明天发']],
  ['什么时候能发货？', ['亲，下单后48小时内发货', '今天下午四点前下单当天发']],
  ['这个尺码偏大还是偏小？', ['亲，尺码是标准的，按平时穿的选就可以', '偏小一码，建议拍大一码哦']],
  ['能便宜点吗？', ['现在已经是活动价了哦，下单可以领店铺券', '亲，已经是最低折扣了，可以领券再减5元']],
  ['发什么快递呀？', ['默认中通快递，需要顺丰可以补运费', '默认圆通，偏远地区发邮政']],
  ['保质期到什么时候？', ['日期都是最新的，请放心', '都是本月生产的，保质期12个月']],
  ['可以开发票吗？', ['可以的，下单后备注抬头就行', '可以开电子发票，联系客服登记']],
  ['这个和另一款有什么区别？', ['主要是材质不一样，这款更耐用', '功能一样，颜色和包装不同']],
  ['包邮吗？', ['亲，全国大部分地区包邮的', '包邮的，新疆西藏除外']],
  ['颜色和图片一样吗？', ['图片是实拍的，可能有轻微色差', '实物拍摄，显示器不同会有一点色差']],
];
export const WHERE_Q = [
  '怎么还没发货？',
  '快递好几天没动了，什么情况？',
  '我的快递到哪了？',
  '物流一直不更新',
  '能帮我催一下快递吗',
];
export const WHERE_A = [
  '亲，我们马上帮您联系快递核实',
  '已经帮您催了，请再耐心等一下',
  '亲，这边查了一下，快递在路上了',
  '抱歉久等了，快递那边爆仓了',
];

/** Honest complaints with threat words, said after a real problem. */
export function complaint(r: Random, problem: Problem): string {
  if (problem === Problem.Late) {
    return r.pick([
      '快递一个星期还没到，再不处理我就投诉了',
      '等了五天都没发货，什么情况？不处理我就投诉到平台',
      '说好的48小时发货呢？再拖我就差评了',
      '物流一直不动，你们不解决我只能投诉了',
    ]);
  }
  if (problem === Problem.Spoiled)
    return r.pick(['水果一半都坏了，怎么处理？不然我只能差评了', '收到的东西已经变质了，要求退款，不然投诉']);
  if (problem === Problem.Damaged) {
    return r.pick([
      '收到的东西是碎的，你们不给解决我只能差评了',
      '包装破了，东西也坏了，请尽快处理，不然我投诉',
      '东西摔坏了，给个说法吧，不然差评',
    ]);
  }
  return r.pick([
    '东西有质量问题，要求退货，不然给差评',
    '和描述差太多了，不处理我就投诉',
    '用了两天就坏了，你们怎么说？不行就投诉到平台',
    '这质量也太差了吧，要么退款要么我给差评',
  ]);
}

export const APOLOGY = [
  '亲，非常抱歉给您带来不好的体验，我们马上为您处理',
  '您好，请提供一下照片，我们核实后给您处理',
  '抱歉亲，可以给您退货退款或者补发',
  '实在不好意思，这边给您登记售后',
];

export function compensationMsg(r: Random, yuan: number): string {
  return r.pick([
    `非常抱歉，已给您转账补偿${yuan}元，请查收`,
    `亲，给您补偿${yuan}元红包，实在抱歉`,
    `这边给您${yuan}元作为补偿，希望您谅解`,
    `抱歉让您久等了，补偿您${yuan}元运费`,
  ]);
}

export const COMPENSATION_MEMO = ['补偿', '售后补偿', '运费补偿', '赔偿', '红包', '', '退差价', '售后'];

const CN_NUM = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
function yuanText(r: Random, y: number): string {
  const p = r.int(0, 3);
  if (p === 0 && y <= 10) return `${CN_NUM[y]}元`;
  if (p === 1) return `${y}块`;
  if (p === 2) return `¥${y}`;
  return `${y}元`;
}

/** A cash-for-five-stars offer (好评返现), varied. */
export function cashbackOffer(r: Random, yuan: number): string {
  const y = yuanText(r, yuan);
  const k = r.pick([10, 15, 20, 30]);
  return r.pick([
    `亲，收到宝贝满意的话麻烦给个五星好评哦，好评截图发给客服返现${y}～`,
    `五星好评+${k}字+晒图，联系客服领${y}红包`,
    `好评返现${y}，截图找客服`,
    `亲亲，给个全五星评价，私聊客服有${y}红包答谢哦`,
    `感谢支持！晒图好评后联系客服领取${y}现金红包`,
    `好评后截图发我，返${y}，感谢亲的支持`,
    `五星好评截图返${y}红包哦，记得带图${k}字以上`,
    `亲，评价五星+带图，客服这边返您${y}`,
  ]);
}
export const CASHBACK_CLAIM = [
  '已经好评了，截图发你了',
  '好评了，麻烦返一下',
  '评价好了',
  '五星已给，红包呢',
  '晒图了哦',
];
export const CASHBACK_MEMO = ['好评返现', '红包', '返现', '', '感谢支持', '售后', '返利', '活动奖励'];

export function extortionDemand(r: Random, yuan: number): string {
  return r.pick([
    `你们卖的东西有问题，给我转${yuan}，我就把差评删了`,
    `不想要差评就赔${yuan}块，不然我天天投诉`,
    `${yuan}元，转过来我马上删评，不然就12315见`,
    `我已经给了差评，赔偿${yuan}元可以删除，否则后果自负`,
    `你家东西是假货吧？赔${yuan}，不然我找媒体曝光`,
    `转${yuan}到这个账号，差评和投诉我都撤了`,
    `给你个机会，${yuan}块钱私了，不然我们好几个人一起给你差评`,
  ]);
}
export const EXTORTION_FOLLOWUP = [
  '考虑得怎么样了？',
  '再不回复我就去平台投诉你们卖假货',
  '我已经截图了，别逼我',
  '不给的话我们会一直投诉',
];
export const MERCHANT_REFUSAL = [
  '我们的商品都是正品，可以提供检测报告',
  '请走平台售后流程',
  '您的要求我们无法接受，会向平台申诉',
  '亲，请提供问题照片',
];
export const MERCHANT_GIVE_IN = [
  '好吧，转给你了，请把评价删了',
  '已经转了，麻烦删一下评价',
  '行，钱转你了',
  '钱已转，希望您说话算话',
];

export const P2P_MEMO = [
  'AA',
  '饭钱',
  '还你',
  '',
  '',
  '',
  '车费',
  '生日快乐',
  '奶茶钱',
  '房租',
  '代付',
  '红包',
  '电费',
  '货款',
  '转账',
  '结算',
];
export const PAYBACK_MEMO = [
  '',
  '',
  '',
  '',
  '货款',
  '红包',
  '转账',
  '结算',
  '返款',
  '还款',
  '佣金',
  '本金+佣金',
];
export const RELAY_MEMO = ['', '', '结算', '转账', '还款', '货款', '代付', '借款'];

export const REFUND_RETURN = ['七日无理由退货', '不想要了', '尺码不合适', '拍错了', '买多了'];
export const REFUND_PROBLEM: Record<number, readonly string[]> = {
  [Problem.Damaged]: ['商品破损', '收到商品破损，申请退货退款', '包装破损，商品损坏'],
  [Problem.Quality]: ['质量问题', '与商品描述不符', '商品有瑕疵'],
  [Problem.Spoiled]: ['仅退款：收到商品已变质', '仅退款：坏果', '仅退款：生鲜变质'],
  [Problem.Late]: ['未按约定时间发货', '物流停滞，申请退款'],
};
export const REFUND_ONLY_CLAIM = [
  '仅退款：商品与描述不符',
  '仅退款：质量问题',
  '仅退款：假冒品牌',
  '仅退款：收到商品破损',
  '仅退款：商品有异味',
  '仅退款：未收到货',
];
export const CANCEL_UNPAID = ['超时未支付', '买家取消', '不想买了', '重新下单'];
/** Reasons a buyer gives cancelling an unpaid order before the payment timeout. */
export const CANCEL_SELF = ['不想要了', '拍错了', '不想买了', '重新下单', '信息填写错误', '地址填错了'];
export const CANCEL_PAID = ['买家申请取消', '拍错了', '卖家缺货', '地址填错了'];
export const REVIEW_REMOVED_BUYER = ['问题已解决', '', '不想显示了', '误评'];
export const LISTING_REMOVED = ['商家下架', '库存不足', '商品更新换代', '停产'];

/** A merchant's genuine fix: a resend or a refund, said in chat. */
export const LOOKALIKE_FIX = [
  '亲，已经给您补发了，单号稍后发您',
  '给您申请了退款，实在抱歉',
  '已安排重新发货，给您添麻烦了',
  '退款已经处理了，您查收一下',
  '换货已寄出，请注意查收',
];

/** Honest refund reasons for a real label or description problem (no compensation demanded). */
export const LOOKALIKE_LABEL_REFUND = [
  '包装上没有生产日期',
  '标签信息不全，不敢吃',
  '收到的和页面描述的规格不一样',
  '中文标签缺失',
  '快过期了，和描述不符',
  '色号不对，与描述不符',
];

/** Ordinary title edits. */
export const TITLE_REFRESH = ['2026新款', '包邮', '热卖', '现货速发', '官方', '升级款', '秋冬款'];

/** 职业索赔 refund-only reasons: label defects and "false advertising". */
export const CLAIM_REFUND = [
  '仅退款：标签不符合食品安全国家标准',
  '仅退款：无中文标签',
  '仅退款：虚假宣传',
  '仅退款：宣传用语违反广告法',
  '仅退款：未标注生产许可证编号',
  '仅退款：配料表与实物不符',
  '仅退款：功效宣传夸大',
];

/** Demands for punitive compensation citing the law (退一赔十 / 退一赔三). */
export function punitiveDemand(r: Random, food: boolean, yuan: number): string {
  const law = food
    ? r.pick(['根据《食品安全法》第一百四十八条', '按食品安全法规定', '依据食安法148条'])
    : r.pick(['根据《消费者权益保护法》第五十五条', '按消法规定', '依据消法55条']);
  const ask = food
    ? r.pick(['退一赔十', '十倍赔偿', '价款十倍赔偿'])
    : r.pick(['退一赔三', '三倍赔偿', '假一赔三']);
  const tail = r.pick([
    `，最低赔${yuan}元，否则向市场监管局投诉`,
    `，不处理我就打12315`,
    `，已保留证据，赔${yuan}元私了`,
    `，三天内答复，否则举报到市监局`,
  ]);
  return `你家商品${r.pick(['标签不合格', '涉嫌虚假宣传', '没有中文标签', '宣传违反广告法'])}，${law}要求${ask}${tail}`;
}

/** Low reviews of claimants: accusations of label defects and false advertising. */
export const CLAIM_REVIEW = [
  '标签不合格，已经投诉',
  '虚假宣传，大家注意',
  '没有中文标签，三无产品',
  '宣传和实物不符，已举报',
  '配料表有问题，不建议购买',
  '夸大宣传，差评',
];

/** A merchant offering money for the removal of a low review. */
export function removalOffer(r: Random, yuan: number): string {
  return r.pick([
    `亲，能把评价删一下吗？给您返${yuan}元`,
    `麻烦删除一下评价，补偿您${yuan}元红包`,
    `亲删掉差评我们给您${yuan}元，谢谢理解`,
    `差评能删吗，给您转${yuan}块`,
  ]);
}
