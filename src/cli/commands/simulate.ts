// `tianping simulate`: writes a marketplace's events with planted abuse, and the truth of what was planted.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../platform/errors.ts';
import { t } from '../../platform/i18n.ts';
import {
  applyKnobOverride,
  applyMode,
  defaultSimOptions,
  SIM_MODES,
  type SimMode,
} from '../../sim/options.ts';
import { simulateToDir } from '../../sim/write.ts';
import { requireFile } from '../files.ts';
import { examples } from '../help.ts';
import { progress } from '../progress.ts';

const collect = (v: string, acc: string[]) => [...acc, v];

function readKnobFile(path: string): Record<string, unknown> {
  let cfg: unknown;
  try {
    cfg = JSON.parse(readFileSync(requireFile(path, 'knobs'), 'utf8'));
  } catch (e) {
    if (e instanceof SyntaxError)
      throw new AppError('invalid_input', {
        en: `${path} is not valid JSON: ${e.message}`,
        zh: `${path} 不是有效的 JSON：${e.message}`,
      });
    throw e;
  }
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) {
    throw new AppError('invalid_input', {
      en: `${path} must hold one JSON object, e.g. {"brushing.rings": 12}.`,
      zh: `${path} 必须是一个 JSON 对象，例如 {"brushing.rings": 12}。`,
    });
  }
  return cfg as Record<string, unknown>;
}

export function define(cmd: Command) {
  cmd
    .option('--merchants <n>', 'number of merchants', '2000')
    .option('--buyers <n>', 'number of buyer accounts', '100000')
    .option('--days <n>', 'days simulated', '30')
    .option('--seed <s>', 'random seed (same seed, same files)', '1')
    .option('--start <time>', 'first day, ISO-8601 with offset')
    .option('--out <dir>', 'output folder', 'out/sim')
    .option(
      '--mode <mode>',
      `abuser behaviour: ${SIM_MODES.join('|')} (sets every scheme's adaptiveRate to 0, 1 or 0.5 before --set/--config)`,
      'classic',
    )
    .option(
      '--set <knob=value>',
      'override a scheme knob, e.g. --set brushing.rings=12 (repeatable)',
      collect,
      [],
    )
    .option('--config <file>', 'JSON file of knob overrides: {"brushing.rings": 12, ...}')
    .option('--no-progress', 'no progress output')
    .action(
      async (o: {
        merchants: string;
        buyers: string;
        days: string;
        seed: string;
        start?: string;
        out: string;
        mode: string;
        set: string[];
        config?: string;
        progress: boolean;
      }) => {
        const num = (name: string, v: string) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1)
            throw new AppError('invalid_input', {
              en: `--${name} must be a positive integer, got "${v}".`,
              zh: `--${name} 必须是正整数，收到的是 "${v}"。`,
            });
          return n;
        };
        let opts = defaultSimOptions({
          merchants: num('merchants', o.merchants),
          buyers: num('buyers', o.buyers),
          days: num('days', o.days),
          seed: /^\d+$/.test(o.seed) ? Number(o.seed) : o.seed,
          ...(o.start ? { start: o.start } : {}),
        });
        if (!(SIM_MODES as readonly string[]).includes(o.mode))
          throw new AppError('invalid_input', {
            en: `--mode must be one of ${SIM_MODES.join(', ')}, got "${o.mode}".`,
            zh: `--mode 必须是 ${SIM_MODES.join('、')} 之一，收到的是 "${o.mode}"。`,
          });
        opts = applyMode(opts, o.mode as SimMode);
        const assignments = [...o.set];
        if (o.config) {
          const cfg = readKnobFile(o.config);
          for (const [k, v] of Object.entries(cfg))
            assignments.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        }
        for (const a of assignments) opts = applyKnobOverride(opts, a);
        const started = Date.now();
        const bar = progress('simulating (days)', opts.days, o.progress);
        const r = await simulateToDir(opts, o.out, (p) => bar.update(p.day, { events: p.events }));
        bar.stop();
        process.stderr.write(
          `${t('simulate.done', { events: r.events, truth: r.truth, dir: o.out, seconds: ((Date.now() - started) / 1000).toFixed(1) })}\n`,
        );
        process.stdout.write(
          `${JSON.stringify({ events: r.events, truth: r.truth, truthByScheme: r.truthByScheme, truthByMode: r.truthByMode })}\n`,
        );
      },
    );
  examples(cmd, [
    'tianping simulate --merchants 200 --buyers 10000 --days 14 --seed 7 --out out/sim',
    'tianping simulate --set brushing.rings=12 --set cashback.enabled=false --out out/no-cashback',
    'tianping simulate --mode mixed --set extortion.adaptiveRate=1 --seed 5 --out out/mixed',
  ]);
}
