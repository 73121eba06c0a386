// How the CLI reports a failure: an AppError is the user's to fix and gets its message; anything else is a
// bug or an outage, and its details (a stack, maybe SQL) are shown only with --debug.
import { inspect } from 'node:util';
import { isAppError } from '../platform/errors.ts';
import { currentLang, type Lang, t } from '../platform/i18n.ts';

const UNEXPECTED = {
  en: 'an unexpected error happened; re-run with --debug for details.',
  'zh-CN': '发生了意外错误；加上 --debug 重新运行可查看详情。',
} satisfies Record<Lang, string>;

export function formatError(e: unknown, opts: { debug: boolean; lang?: Lang }): string {
  const lang = opts.lang ?? currentLang();
  const prefix = `${t('error.prefix', {}, lang)}${lang === 'zh-CN' ? '：' : ': '}`;
  // AppError gains a Chinese message (`zh`) beside the English one; this reads it when it is there.
  const message = isAppError(e)
    ? lang === 'zh-CN' && 'zh' in e && typeof e.zh === 'string'
      ? e.zh
      : e.message
    : UNEXPECTED[lang];
  const line = `${prefix}${message}\n`;
  return opts.debug ? `${line}${inspect(e, { depth: 4 })}\n` : line;
}
