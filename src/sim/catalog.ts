// Static marketplace data: categories with realistic prices and parcel weights, brands, places and carriers.

/** One kind of goods a listing can sell; prices in fen, weights in grams per unit. */
export interface ItemType {
  noun: string;
  price: readonly [number, number];
  weight: readonly [number, number];
  /** Most units one order line usually takes. */
  qtyMax: number;
  /** Title words placed before the noun. */
  words: readonly string[];
  /** Parcel under ~150 g: honest look-alikes of empty parcels. */
  light?: boolean;
  /** No parcel at all (vouchers, top-ups, memberships). */
  virtual?: boolean;
  perishable?: boolean;
}

export interface Category {
  name: string;
  /** Share of merchants in this category. */
  share: number;
  items: readonly ItemType[];
  brands: readonly string[];
  /** Review aspects: praise, neutral remarks, honest complaints. */
  good: readonly string[];
  meh: readonly string[];
  bad: readonly string[];
  /** Description sentences a merchant of this category writes. */
  desc: readonly string[];
}

export const CATEGORIES: readonly Category[] = [
  {
    name: '服装',
    share: 0.19,
    items: [
      {
        noun: 'T恤',
        price: [2900, 12900],
        weight: [160, 320],
        qtyMax: 3,
        words: ['纯棉', '宽松', '短袖', '圆领', '印花', '情侣款'],
      },
      {
        noun: '卫衣',
        price: [7900, 25900],
        weight: [380, 700],
        qtyMax: 2,
        words: ['加绒', '连帽', 'oversize', '秋冬', '百搭'],
      },
      {
        noun: '牛仔裤',
        price: [8900, 29900],
        weight: [480, 800],
        qtyMax: 2,
        words: ['直筒', '高腰', '弹力', '阔腿', '修身'],
      },
      {
        noun: '连衣裙',
        price: [9900, 39900],
        weight: [220, 520],
        qtyMax: 1,
        words: ['法式', '碎花', '收腰', '长款', '气质'],
      },
      {
        noun: '羽绒服',
        price: [29900, 99900],
        weight: [700, 1400],
        qtyMax: 1,
        words: ['白鸭绒', '轻薄', '长款', '保暖', '连帽'],
      },
      {
        noun: '袜子',
        price: [990, 3990],
        weight: [25, 60],
        qtyMax: 5,
        words: ['纯棉', '中筒', '船袜', '五双装', '防臭'],
        light: true,
      },
      {
        noun: '内裤',
        price: [2990, 6990],
        weight: [90, 220],
        qtyMax: 3,
        words: ['莫代尔', '无痕', '三条装', '透气'],
      },
      {
        noun: '帽子',
        price: [2990, 8990],
        weight: [70, 200],
        qtyMax: 2,
        words: ['棒球帽', '渔夫帽', '针织', '防晒'],
      },
    ],
    brands: ['衣朵', '森屿', '简约派', '城市男孩', '暖小象', '棉语', '北岸', '素色'],
    good: [
      '面料很舒服',
      '尺码标准',
      '版型好看',
      '颜色和图片一样',
      '做工不错，没有线头',
      '穿着很显瘦',
      '洗了一次没掉色',
      '上身效果很好',
      '很透气',
      '厚度刚好',
    ],
    meh: ['尺码稍微偏大', '颜色比图片暗一点', '有点线头', '面料一般', '有点起球', '味道有点大，洗了就好'],
    bad: ['洗了一次就缩水了', '掉色严重', '线头很多，做工粗糙', '尺码偏小很多', '和图片差别很大', '开线了'],
    desc: [
      '采用优质面料，亲肤透气。',
      '平铺测量，误差1-3厘米属正常。',
      '建议手洗，不可暴晒。',
      '模特身高165cm，穿M码。',
      '尺码不合适可以联系客服换货。',
    ],
  },
  {
    name: '数码',
    share: 0.14,
    items: [
      {
        noun: '手机壳',
        price: [990, 4990],
        weight: [20, 55],
        qtyMax: 2,
        words: ['全包', '防摔', '透明', '磨砂', '磁吸'],
        light: true,
      },
      {
        noun: '钢化膜',
        price: [590, 2990],
        weight: [12, 35],
        qtyMax: 3,
        words: ['高清', '防窥', '全屏', '两片装'],
        light: true,
      },
      {
        noun: '数据线',
        price: [990, 3990],
        weight: [35, 90],
        qtyMax: 3,
        words: ['快充', 'Type-C', '编织', '1.5米'],
        light: true,
      },
      {
        noun: '蓝牙耳机',
        price: [9900, 69900],
        weight: [110, 300],
        qtyMax: 1,
        words: ['降噪', '真无线', '入耳式', '运动', '长续航'],
      },
      {
        noun: '充电宝',
        price: [5900, 19900],
        weight: [220, 450],
        qtyMax: 1,
        words: ['20000毫安', '自带线', '快充', '轻薄'],
      },
      {
        noun: '机械键盘',
        price: [15900, 59900],
        weight: [800, 1300],
        qtyMax: 1,
        words: ['RGB', '茶轴', '无线', '87键', '热插拔'],
      },
      {
        noun: '鼠标',
        price: [4900, 29900],
        weight: [80, 200],
        qtyMax: 1,
        words: ['静音', '无线', '游戏', '人体工学'],
      },
      {
        noun: '智能手表',
        price: [19900, 159900],
        weight: [180, 420],
        qtyMax: 1,
        words: ['心率', '血氧', 'NFC', '运动'],
      },
    ],
    brands: ['极客猫', '速连', '声悦', '青柠', '米粒', '电小二', '原色', '酷派客'],
    good: [
      '音质很好',
      '续航给力',
      '手感不错',
      '做工精致',
      '充电很快',
      '连接很稳定',
      '包装很严实',
      '屏幕贴合度高',
      '按键手感好',
    ],
    meh: ['续航一般', '有点硌手', '说明书不太清楚', '颜色有色差', '声音稍微小了点'],
    bad: ['用了两天就坏了', '充不进电', '连接老是断', '有杂音', '贴上去全是气泡', '按键失灵'],
    desc: [
      '支持一年质保，非人为损坏免费换新。',
      '兼容主流机型，下单前请确认型号。',
      '出厂前逐个检测。',
      '如有质量问题请联系客服。',
      '下单后48小时内发货。',
    ],
  },
  {
    name: '食品',
    share: 0.15,
    items: [
      {
        noun: '坚果礼盒',
        price: [5900, 19900],
        weight: [900, 2000],
        qtyMax: 2,
        words: ['每日', '混合', '中秋', '送礼', '独立小包'],
      },
      {
        noun: '茶叶',
        price: [3900, 59900],
        weight: [250, 600],
        qtyMax: 2,
        words: ['明前', '龙井', '铁观音', '红茶', '罐装'],
      },
      {
        noun: '零食大礼包',
        price: [2990, 9990],
        weight: [800, 1800],
        qtyMax: 2,
        words: ['网红', '整箱', '办公室', '休闲'],
      },
      {
        noun: '大米',
        price: [3990, 9990],
        weight: [5000, 10200],
        qtyMax: 2,
        words: ['东北', '五常', '新米', '10斤装'],
      },
      {
        noun: '蜂蜜',
        price: [3900, 12900],
        weight: [500, 1100],
        qtyMax: 2,
        words: ['土蜂蜜', '农家', '槐花', '百花'],
      },
      {
        noun: '牛肉干',
        price: [2990, 8990],
        weight: [200, 600],
        qtyMax: 3,
        words: ['内蒙古', '风干', '手撕', '麻辣'],
      },
      {
        noun: '新鲜水果',
        price: [2990, 12900],
        weight: [2500, 5500],
        qtyMax: 2,
        words: ['当季', '产地直发', '5斤装', '脐橙', '猕猴桃'],
        perishable: true,
      },
      {
        noun: '咖啡豆',
        price: [4900, 15900],
        weight: [250, 1000],
        qtyMax: 2,
        words: ['中度烘焙', '意式', '云南', '阿拉比卡'],
      },
    ],
    brands: ['山野集', '田园记', '老农家', '小鹿坊', '谷香', '茶语山房', '果先生', '豆匠'],
    good: [
      '口感很好',
      '很新鲜',
      '包装很严实',
      '分量足',
      '味道正宗',
      '甜度刚好',
      '没有坏果',
      '香味很浓',
      '日期很新',
    ],
    meh: ['有点偏甜', '个头大小不一', '味道一般', '分量比想象少一点', '有两个小磕碰'],
    bad: ['收到好几个坏的', '有股怪味', '日期不新鲜', '包装漏了', '和描述的产地不一样', '受潮了'],
    desc: [
      '产地直发，新鲜到家。',
      '保质期12个月，请存放于阴凉干燥处。',
      '收到如有破损请拍照联系客服。',
      '开封后请尽快食用。',
      '独立小包装，方便携带。',
    ],
  },
  {
    name: '美妆',
    share: 0.12,
    items: [
      {
        noun: '面膜',
        price: [2900, 12900],
        weight: [180, 450],
        qtyMax: 3,
        words: ['补水', '保湿', '10片装', '修护'],
      },
      {
        noun: '口红',
        price: [5900, 35900],
        weight: [50, 150],
        qtyMax: 2,
        words: ['哑光', '滋润', '不沾杯', '显白'],
      },
      {
        noun: '精华液',
        price: [9900, 59900],
        weight: [120, 350],
        qtyMax: 1,
        words: ['烟酰胺', '玻尿酸', '修护', '提亮'],
      },
      {
        noun: '防晒霜',
        price: [4900, 19900],
        weight: [70, 200],
        qtyMax: 2,
        words: ['SPF50', '清爽', '防水', '隔离'],
      },
      {
        noun: '洗面奶',
        price: [2900, 9900],
        weight: [130, 300],
        qtyMax: 2,
        words: ['氨基酸', '温和', '控油', '深层清洁'],
      },
      {
        noun: '香水小样',
        price: [990, 4990],
        weight: [8, 40],
        qtyMax: 3,
        words: ['试香', '2ml', '淡香', '清新'],
        light: true,
      },
    ],
    brands: ['花屿', '净研', '水光集', '若素', '初肌', '半亩花田园', '蔻丽'],
    good: [
      '很保湿',
      '不油腻',
      '吸收很快',
      '味道淡淡的很好闻',
      '用了皮肤变好了',
      '颜色很正',
      '很温和不刺激',
      '质地清爽',
    ],
    meh: ['效果一般般', '有点黏', '味道有点重', '颜色和试色有差距'],
    bad: ['用了过敏起痘', '搓泥严重', '有刺痛感', '包装有破损，漏了', '味道刺鼻'],
    desc: [
      '敏感肌请先在耳后试用。',
      '已通过皮肤测试。',
      '开封后请于12个月内使用。',
      '正品保障，假一赔三。',
      '避光保存。',
    ],
  },
  {
    name: '家居',
    share: 0.13,
    items: [
      {
        noun: '四件套',
        price: [9900, 49900],
        weight: [1500, 3000],
        qtyMax: 1,
        words: ['纯棉', '全棉', '简约', '1.8米床', '水洗棉'],
      },
      {
        noun: '收纳盒',
        price: [1990, 6990],
        weight: [300, 1500],
        qtyMax: 3,
        words: ['抽屉式', '透明', '可叠加', '大号'],
      },
      {
        noun: '墙贴',
        price: [590, 2990],
        weight: [15, 80],
        qtyMax: 3,
        words: ['自粘', '卧室', '装饰', '防水'],
        light: true,
      },
      {
        noun: '挂钩',
        price: [390, 1990],
        weight: [20, 100],
        qtyMax: 5,
        words: ['免打孔', '强力', '粘钩', '十个装'],
        light: true,
      },
      {
        noun: '香薰',
        price: [3900, 15900],
        weight: [300, 700],
        qtyMax: 2,
        words: ['无火', '卧室', '持久', '藤条'],
      },
      {
        noun: '毛巾',
        price: [1990, 5990],
        weight: [150, 400],
        qtyMax: 4,
        words: ['纯棉', '加厚', '吸水', '两条装'],
      },
      {
        noun: '台灯',
        price: [4900, 19900],
        weight: [600, 1500],
        qtyMax: 1,
        words: ['护眼', 'LED', '充电', '学生'],
      },
    ],
    brands: ['木森森', '家的味道', '简居', '拾光', '棉田', '小窝', '暖居'],
    good: ['质量很好', '很结实', '颜色很正', '安装简单', '没有异味', '性价比高', '很厚实', '大小合适'],
    meh: ['有点小味道，晾晾就好', '比想象的小一点', '颜色偏暗', '做工一般'],
    bad: ['收到就是裂的', '粘不住，掉了好几次', '异味很重', '掉毛严重', '灯不亮'],
    desc: [
      '环保材质，无甲醛。',
      '尺寸为手工测量，略有误差。',
      '破损包赔，请拍照联系客服。',
      '支持七天无理由退换。',
      '家居生活好物。',
    ],
  },
  {
    name: '母婴',
    share: 0.08,
    items: [
      {
        noun: '纸尿裤',
        price: [5900, 19900],
        weight: [1800, 4000],
        qtyMax: 3,
        words: ['超薄', '透气', 'L码', '拉拉裤'],
      },
      {
        noun: '奶瓶',
        price: [3900, 15900],
        weight: [150, 350],
        qtyMax: 2,
        words: ['玻璃', '宽口径', '防胀气', 'PPSU'],
      },
      {
        noun: '婴儿湿巾',
        price: [1990, 5990],
        weight: [600, 1500],
        qtyMax: 4,
        words: ['手口专用', '80抽', '加厚', '无香'],
      },
      {
        noun: '儿童玩具',
        price: [2990, 19900],
        weight: [200, 1200],
        qtyMax: 2,
        words: ['益智', '积木', '早教', '拼图'],
      },
      {
        noun: '婴儿袜',
        price: [990, 2990],
        weight: [30, 90],
        qtyMax: 4,
        words: ['防滑', '纯棉', '三双装', '新生儿'],
        light: true,
      },
    ],
    brands: ['贝乐宝', '小豆苗', '暖贝', '萌萌哒', '安心宝贝', '米乐'],
    good: ['宝宝很喜欢', '很柔软', '没有异味', '质量放心', '很好用', '吸水性好', '不漏尿'],
    meh: ['尺码有点偏小', '味道有一点', '比超市贵一点'],
    bad: ['宝宝用了红屁股', '漏尿', '有异味不敢用', '零件缺了', '瓶盖拧不紧'],
    desc: ['母婴级材质，安全放心。', '请在成人监护下使用。', '质量问题七天包退。', '适用年龄见包装说明。'],
  },
  {
    name: '图书',
    share: 0.06,
    items: [
      {
        noun: '图书',
        price: [1990, 9900],
        weight: [250, 900],
        qtyMax: 3,
        words: ['正版', '畅销', '小说', '儿童绘本', '考研'],
      },
      {
        noun: '笔记本',
        price: [590, 2990],
        weight: [100, 400],
        qtyMax: 5,
        words: ['A5', '加厚', '活页', '牛皮纸'],
      },
      {
        noun: '贴纸',
        price: [190, 1500],
        weight: [5, 40],
        qtyMax: 5,
        words: ['手账', '可爱', '防水', '卡通'],
        light: true,
      },
      {
        noun: '电子书兑换码',
        price: [990, 4990],
        weight: [0, 0],
        qtyMax: 1,
        words: ['电子版', '兑换码', '即买即用'],
        virtual: true,
      },
      {
        noun: '明信片',
        price: [500, 2000],
        weight: [30, 80],
        qtyMax: 3,
        words: ['风景', '手绘', '30张'],
        light: true,
      },
    ],
    brands: ['书香阁', '纸上', '一页', '青藤书屋', '墨点'],
    good: ['正版，印刷清晰', '纸张很好', '包装完好', '内容很好', '孩子很爱看', '发货很快'],
    meh: ['书角有点压痕', '纸张一般', '塑封破了'],
    bad: ['印刷模糊，像盗版', '缺页', '书被压坏了', '兑换码用不了'],
    desc: ['正版图书，支持验货。', '快递包装加厚，防止压角。', '虚拟商品，付款后自动发码。', '学生党必备。'],
  },
  {
    name: '运动',
    share: 0.08,
    items: [
      {
        noun: '瑜伽垫',
        price: [4900, 19900],
        weight: [800, 1800],
        qtyMax: 1,
        words: ['加厚', '防滑', 'TPE', '加宽'],
      },
      {
        noun: '跳绳',
        price: [990, 4990],
        weight: [120, 400],
        qtyMax: 2,
        words: ['计数', '负重', '钢丝', '儿童'],
      },
      {
        noun: '运动袜',
        price: [990, 3990],
        weight: [40, 150],
        qtyMax: 4,
        words: ['毛巾底', '吸汗', '跑步', '三双装'],
        light: true,
      },
      {
        noun: '哑铃',
        price: [4900, 29900],
        weight: [2000, 10000],
        qtyMax: 2,
        words: ['可调节', '包胶', '家用'],
      },
      {
        noun: '运动水壶',
        price: [2990, 9990],
        weight: [200, 500],
        qtyMax: 2,
        words: ['大容量', '吸管', '便携', 'Tritan'],
      },
      {
        noun: '护膝',
        price: [1990, 7990],
        weight: [80, 220],
        qtyMax: 2,
        words: ['跑步', '篮球', '登山', '透气'],
      },
    ],
    brands: ['动力派', '跃动', '野风', '轻燃', '速跑', '山行'],
    good: ['质量不错', '很防滑', '做工扎实', '很轻便', '弹性好', '用着很舒服', '没有异味'],
    meh: ['有点味道', '比想象薄', '颜色一般'],
    bad: ['用了一次就断了', '漏水', '脱胶了', '味道刺鼻'],
    desc: ['运动健身好帮手。', '加厚设计，防滑耐磨。', '质量问题包换。', '适合居家训练。'],
  },
  {
    name: '虚拟商品',
    share: 0.04,
    items: [
      {
        noun: '话费充值',
        price: [1000, 20000],
        weight: [0, 0],
        qtyMax: 1,
        words: ['全国', '三网', '快充'],
        virtual: true,
      },
      {
        noun: '视频会员月卡',
        price: [1500, 2500],
        weight: [0, 0],
        qtyMax: 3,
        words: ['官方', '直充', '月卡'],
        virtual: true,
      },
      {
        noun: '游戏点卡',
        price: [1000, 10000],
        weight: [0, 0],
        qtyMax: 2,
        words: ['自动发货', '秒到'],
        virtual: true,
      },
      {
        noun: '电子礼品卡',
        price: [5000, 50000],
        weight: [0, 0],
        qtyMax: 2,
        words: ['超市', '购物卡', '电子'],
        virtual: true,
      },
    ],
    brands: ['速充', '秒到', '卡券通', '易充'],
    good: ['秒到账', '很方便', '充值很快', '靠谱', '客服很耐心'],
    meh: ['到账慢了几分钟', '有点小贵'],
    bad: ['等了半天没到账', '卡密用不了', '客服不回复'],
    desc: [
      '虚拟商品，付款后自动发货。',
      '充值高峰期可能延迟到账。',
      '虚拟商品一经售出不支持无理由退款。',
      '请核对账号后下单。',
    ],
  },
];

export const CARRIERS = [
  '中通快递',
  '圆通速递',
  '韵达快递',
  '申通快递',
  '顺丰速运',
  '极兔速递',
  '京东物流',
  '邮政EMS',
] as const;
/** Relative use of each carrier by honest merchants. */
export const CARRIER_SHARE = [0.22, 0.18, 0.16, 0.12, 0.1, 0.12, 0.05, 0.05];
export const VIRTUAL_CARRIER = '虚拟发货';

export interface Province {
  name: string;
  weight: number;
  cities: readonly { name: string; districts: readonly string[]; uscc: string }[];
}

/** Coarse places with rough population weights; `uscc` is the 6-digit region code used in 统一社会信用代码. */
export const PROVINCES: readonly Province[] = [
  {
    name: '广东省',
    weight: 12,
    cities: [
      { name: '广州市', districts: ['天河区', '越秀区', '海珠区', '白云区', '番禺区'], uscc: '440100' },
      { name: '深圳市', districts: ['南山区', '福田区', '宝安区', '龙岗区'], uscc: '440300' },
      { name: '东莞市', districts: ['南城街道', '东城街道', '长安镇'], uscc: '441900' },
      { name: '佛山市', districts: ['禅城区', '南海区', '顺德区'], uscc: '440600' },
    ],
  },
  {
    name: '浙江省',
    weight: 7,
    cities: [
      { name: '杭州市', districts: ['西湖区', '余杭区', '滨江区', '拱墅区'], uscc: '330100' },
      { name: '宁波市', districts: ['鄞州区', '海曙区'], uscc: '330200' },
      { name: '金华市', districts: ['义乌市', '婺城区'], uscc: '330700' },
      { name: '温州市', districts: ['鹿城区', '瓯海区'], uscc: '330300' },
    ],
  },
  {
    name: '江苏省',
    weight: 8,
    cities: [
      { name: '南京市', districts: ['鼓楼区', '玄武区', '江宁区', '栖霞区'], uscc: '320100' },
      { name: '苏州市', districts: ['姑苏区', '吴中区', '昆山市'], uscc: '320500' },
      { name: '无锡市', districts: ['梁溪区', '滨湖区'], uscc: '320200' },
    ],
  },
  {
    name: '上海市',
    weight: 5,
    cities: [
      { name: '上海市', districts: ['浦东新区', '徐汇区', '闵行区', '静安区', '杨浦区'], uscc: '310115' },
    ],
  },
  {
    name: '北京市',
    weight: 5,
    cities: [{ name: '北京市', districts: ['朝阳区', '海淀区', '丰台区', '昌平区'], uscc: '110105' }],
  },
  {
    name: '山东省',
    weight: 8,
    cities: [
      { name: '济南市', districts: ['历下区', '槐荫区', '历城区'], uscc: '370100' },
      { name: '青岛市', districts: ['市南区', '黄岛区', '崂山区'], uscc: '370200' },
      { name: '临沂市', districts: ['兰山区', '罗庄区'], uscc: '371300' },
    ],
  },
  {
    name: '河南省',
    weight: 7,
    cities: [
      { name: '郑州市', districts: ['金水区', '二七区', '中原区'], uscc: '410100' },
      { name: '洛阳市', districts: ['洛龙区', '西工区'], uscc: '410300' },
    ],
  },
  {
    name: '四川省',
    weight: 6,
    cities: [
      { name: '成都市', districts: ['武侯区', '锦江区', '郫都区', '双流区'], uscc: '510100' },
      { name: '绵阳市', districts: ['涪城区', '游仙区'], uscc: '510700' },
    ],
  },
  {
    name: '湖北省',
    weight: 5,
    cities: [
      { name: '武汉市', districts: ['洪山区', '武昌区', '江汉区', '江夏区'], uscc: '420100' },
      { name: '宜昌市', districts: ['西陵区'], uscc: '420500' },
    ],
  },
  {
    name: '湖南省',
    weight: 5,
    cities: [{ name: '长沙市', districts: ['岳麓区', '雨花区', '开福区'], uscc: '430100' }],
  },
  {
    name: '福建省',
    weight: 4,
    cities: [
      { name: '福州市', districts: ['鼓楼区', '仓山区'], uscc: '350100' },
      { name: '厦门市', districts: ['思明区', '湖里区', '集美区'], uscc: '350200' },
      { name: '泉州市', districts: ['丰泽区', '晋江市'], uscc: '350500' },
    ],
  },
  {
    name: '河北省',
    weight: 5,
    cities: [
      { name: '石家庄市', districts: ['长安区', '裕华区'], uscc: '130100' },
      { name: '保定市', districts: ['竞秀区', '莲池区'], uscc: '130600' },
    ],
  },
  {
    name: '陕西省',
    weight: 3,
    cities: [{ name: '西安市', districts: ['雁塔区', '未央区', '长安区'], uscc: '610100' }],
  },
  {
    name: '安徽省',
    weight: 4,
    cities: [{ name: '合肥市', districts: ['蜀山区', '包河区', '庐阳区'], uscc: '340100' }],
  },
  {
    name: '辽宁省',
    weight: 3,
    cities: [
      { name: '沈阳市', districts: ['和平区', '浑南区'], uscc: '210100' },
      { name: '大连市', districts: ['沙河口区', '甘井子区'], uscc: '210200' },
    ],
  },
  {
    name: '重庆市',
    weight: 3,
    cities: [{ name: '重庆市', districts: ['渝北区', '江北区', '沙坪坝区'], uscc: '500112' }],
  },
  {
    name: '广西壮族自治区',
    weight: 3,
    cities: [{ name: '南宁市', districts: ['青秀区', '西乡塘区'], uscc: '450100' }],
  },
  {
    name: '云南省',
    weight: 2,
    cities: [{ name: '昆明市', districts: ['五华区', '呈贡区'], uscc: '530100' }],
  },
];

/** First octets of residential broadband ranges (coarse, for plausible-looking addresses). */
export const RESIDENTIAL_A = [
  58, 59, 60, 61, 101, 106, 110, 111, 113, 114, 115, 116, 117, 118, 119, 121, 122, 123, 124, 125, 171, 175,
  180, 182, 183, 218, 219, 220, 221, 222,
];
/** Mobile carrier NAT ranges: many subscribers share each address. */
export const MOBILE_AB = ['223.104', '223.88', '117.136', '112.96', '39.144', '111.55', '120.230', '36.112'];
/** Cloud and hosting ranges (proxies, offices on VPN, server-side tools). */
export const DATACENTER_AB = ['47.98', '47.104', '119.29', '106.75', '139.196', '121.40', '42.193', '8.135'];
/** Education network ranges. */
export const CAMPUS_AB = ['202.120', '210.32', '219.245', '166.111', '202.114', '222.20'];
