// Messages people read (CLI, console) in zh-CN and en. The language comes from TIANPING_LANG, then LANG.
export type Lang = 'en' | 'zh-CN';

export function currentLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const v = env.TIANPING_LANG ?? env.LC_ALL ?? env.LANG ?? '';
  return /^zh/i.test(v) ? 'zh-CN' : 'en';
}

/** A text for documents both read (the OpenAPI document, schema descriptions): English, then Chinese. */
export const bi = (en: string, zh: string) => `${en}\n\n${zh}`;

type Params = Record<string, string | number>;
type Catalogue = Record<string, { en: string; 'zh-CN': string }>;

export const MESSAGES = {
  'ingest.summary': {
    en: 'accepted {accepted}, duplicates {duplicates}, rejected {rejected}',
    'zh-CN': '已接收 {accepted}，重复 {duplicates}，拒收 {rejected}',
  },
  'ingest.rejected_line': { en: 'line {line}: {field} {reason}', 'zh-CN': '第 {line} 行：{field} {reason}' },
  'ingest.more_rejected': {
    en: '… and {n} more rejected records (use --rejects FILE to write them all)',
    'zh-CN': '……另有 {n} 条被拒收（使用 --rejects FILE 写出全部）',
  },
  'ingest.progress': { en: 'ingesting', 'zh-CN': '导入中' },
  'serve.listening': { en: 'Tianping is listening on {url}', 'zh-CN': '天平已启动：{url}' },
  'serve.first_key': {
    en: 'First admin API key (shown once, store it now):',
    'zh-CN': '首个管理员 API 密钥（仅显示一次，请立即保存）：',
  },
  'serve.demo_key': { en: 'Demo admin API key:', 'zh-CN': '演示用管理员 API 密钥：' },
  'serve.demo_loading': {
    en: 'Loading a simulated marketplace for the demo…',
    'zh-CN': '正在为演示加载模拟市场数据……',
  },
  'keys.created': {
    en: 'Created key {id} with role(s) {roles}:',
    'zh-CN': '已创建密钥 {id}，角色：{roles}：',
  },
  'keys.revoked': { en: 'Revoked key {id}.', 'zh-CN': '已吊销密钥 {id}。' },
  'migrate.done': { en: 'Applied migrations: {list}', 'zh-CN': '已应用迁移：{list}' },
  'migrate.none': { en: 'The schema is up to date.', 'zh-CN': '数据库结构已是最新。' },
  'openapi.written': { en: 'Wrote the OpenAPI document to {file}', 'zh-CN': '已将 OpenAPI 文档写入 {file}' },
  'simulate.done': {
    en: 'Wrote {events} events and {truth} truth records to {dir} in {seconds} s',
    'zh-CN': '已写出 {events} 条事件和 {truth} 条真值记录到 {dir}，用时 {seconds} 秒',
  },
  'error.prefix': { en: 'Error', 'zh-CN': '错误' },
} satisfies Catalogue;

export type MessageKey = keyof typeof MESSAGES;

export function t(key: MessageKey, params: Params = {}, lang: Lang = currentLang()): string {
  const template = (MESSAGES as Catalogue)[key][lang];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}
