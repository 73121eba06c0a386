#!/usr/bin/env node
// Runs the JavaScript that `npm run build` compiles into dist/ (npm ci builds it), so a start compiles nothing.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  // The same choice of language as src/platform/i18n.ts, which is not built yet.
  const lang = process.env.TIANPING_LANG ?? process.env.LC_ALL ?? process.env.LANG ?? '';
  process.stderr.write(
    /^zh/i.test(lang)
      ? '天平尚未构建（缺少 dist/cli/main.js）：请在项目目录运行 npm run build。\n'
      : 'Tianping is not built (dist/cli/main.js is missing): run npm run build in the project folder.\n',
  );
  process.exit(2);
}
// With --debug, stack traces point into src/*.ts rather than the compiled files.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
await import(main.href);
