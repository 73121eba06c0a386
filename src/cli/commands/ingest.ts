// `tianping ingest FILE`: loads NDJSON into the store. Safe to re-run after a crash: every batch is one
// statement and ids are idempotent, so each event ends up stored once.
import { createWriteStream, statSync } from 'node:fs';
import type { Command } from 'commander';
import { createContext } from '../../app/context.ts';
import type { IngestResult, Rejection } from '../../events/index.ts';
import { readNdjsonFile } from '../../events/index.ts';
import { loadConfig } from '../../platform/config.ts';
import { t } from '../../platform/i18n.ts';
import { requireFile } from '../files.ts';
import { examples } from '../help.ts';
import { progress } from '../progress.ts';
import { fromConfig } from '../settings-help.ts';

const SHOWN = 20;

export function formatRejection(r: Rejection): string[] {
  const where = r.line ?? r.index ?? '?';
  return r.errors.map((e) => t('ingest.rejected_line', { line: where, field: e.field, reason: e.reason }));
}

export function define(cmd: Command) {
  cmd
    .argument('<file>', 'NDJSON file, one event per line')
    .option('--data-dir <dir>', `data folder of the embedded database ${fromConfig('dataDir')}`)
    .option('--batch <n>', 'events per stored batch', '5000')
    .option('--rejects <file>', 'write every rejected record, with line, field and reason, as NDJSON')
    .option('--no-progress', 'no progress bar')
    .action(
      async (file: string, o: { dataDir?: string; batch: string; rejects?: string; progress: boolean }) => {
        const config = loadConfig({ dataDir: o.dataDir });
        const size = statSync(requireFile(file, 'events')).size;
        const ctx = await createContext(config);
        const bar = progress(t('ingest.progress'), size, o.progress, 'bytes');
        const rejectsOut = o.rejects ? createWriteStream(o.rejects) : undefined;
        let accepted = 0;
        let duplicates = 0;
        let rejected = 0;
        const shown: string[] = [];
        const tally = (r: IngestResult, bytes: number) => {
          accepted += r.accepted;
          duplicates += r.duplicates;
          rejected += r.rejected.length;
          for (const rej of r.rejected) {
            if (shown.length < SHOWN) shown.push(...formatRejection(rej));
            rejectsOut?.write(`${JSON.stringify(rej)}\n`);
          }
          bar.update(bytes, { accepted, rejected });
        };
        try {
          // Reading and checking the next batch overlaps with storing the previous one; batches commit in order.
          let pending: { result: Promise<IngestResult>; bytes: number } | undefined;
          for await (const batch of readNdjsonFile(file, Number(o.batch))) {
            const checked = ctx.events.check(batch.records, 'line');
            if (pending) tally(await pending.result, pending.bytes);
            const result = ctx.events.commit(checked);
            // Handled when awaited on the next turn; this stops Node calling it unhandled in between.
            result.catch(() => {});
            pending = { result, bytes: batch.bytesRead };
          }
          if (pending) tally(await pending.result, pending.bytes);
        } finally {
          bar.stop();
          rejectsOut?.end();
          await ctx.close();
        }
        for (const line of shown.slice(0, SHOWN)) process.stderr.write(`${line}\n`);
        if (rejected > shown.length && shown.length >= SHOWN) {
          process.stderr.write(`${t('ingest.more_rejected', { n: rejected - SHOWN })}\n`);
        }
        process.stdout.write(`${t('ingest.summary', { accepted, duplicates, rejected })}\n`);
        if (rejected > 0) process.exitCode = 1;
      },
    );
  examples(cmd, [
    'tianping ingest out/sim/events.ndjson',
    'tianping ingest events.ndjson --rejects rejected.ndjson --data-dir /var/lib/tianping',
  ]);
}
