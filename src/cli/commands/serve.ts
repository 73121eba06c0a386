// `tianping serve` (what `npm start` runs): the HTTP server on the embedded store or DATABASE_URL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createContext } from '../../app/context.ts';
import { buildServer } from '../../app/server.ts';
import { readNdjsonFile } from '../../events/index.ts';
import { loadConfig } from '../../platform/config.ts';
import { t } from '../../platform/i18n.ts';
import { defaultSimOptions } from '../../sim/options.ts';
import { simulateToDir } from '../../sim/write.ts';
import { examples } from '../help.ts';
import { fromConfig } from '../settings-help.ts';

export function define(cmd: Command) {
  cmd
    .option('--port <port>', `port ${fromConfig('port')}`)
    .option('--host <host>', `interface ${fromConfig('host')}`)
    .option('--data-dir <dir>', `data folder ${fromConfig('dataDir')}`)
    .option(
      '--demo',
      'start with a simulated marketplace already loaded (data folder ./data-demo unless given)',
    )
    .action(async (o: { port?: string; host?: string; dataDir?: string; demo?: boolean }) => {
      const config = loadConfig({
        port: o.port,
        host: o.host,
        dataDir: o.dataDir ?? (o.demo ? './data-demo' : undefined),
      });
      const ctx = await createContext(config, { serving: true });
      const first = await ctx.keys.ensureFirstAdmin();
      if (first) process.stdout.write(`\n${t('serve.first_key')}\n\n    ${first}\n\n`);
      if (o.demo) await loadDemo(ctx);
      const app = await buildServer(ctx);

      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        app.log.info({ signal }, 'shutting down');
        // Stop taking requests, let those in flight finish, then close the store cleanly.
        await app.close();
        await ctx.close();
        process.exit(0);
      };
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      process.on('SIGINT', () => void shutdown('SIGINT'));
      // SIGHUP reloads the rule file in force; a bad file is logged and the running rules stay.
      process.on('SIGHUP', () => {
        ctx.detect.reloadRules({ via: 'signal' }).then(
          (r) => app.log.info({ rules: r.rules, source: r.source, change: r.change.id }, 'rules reloaded'),
          (err: Error) => app.log.error({ err: err.message }, 'rules not reloaded'),
        );
      });

      const url = await app.listen({ port: config.port, host: config.host });
      app.log.info({ url, storage: ctx.db.kind, location: ctx.db.location }, 'listening');
      process.stderr.write(`${t('serve.listening', { url })}\n`);
      // The detection worker rebuilds the detectors' state from the stored log in the background, then
      // follows new events; /ready answers 200 once it is within the allowed lag. Batch runs follow the
      // schedule (the first once caught up); --demo asks for one whatever the schedule.
      const t0 = Date.now();
      ctx.detect.start();
      ctx.detect
        .caughtUp()
        .then(async () => {
          app.log.info(
            { events: (await ctx.detect.status()).events, ms: Date.now() - t0 },
            'detectors caught up',
          );
          if (o.demo) app.log.info(await ctx.detect.runBatch('demo'), 'batch detection done');
        })
        .catch((err: Error) => app.log.error({ err: err.message }, 'detection failed'));
    });
  examples(cmd, ['tianping serve', 'tianping serve --port 9000 --host 0.0.0.0', 'tianping serve --demo']);
}

async function loadDemo(ctx: Awaited<ReturnType<typeof createContext>>) {
  if ((await ctx.events.count()) === 0) {
    process.stderr.write(`${t('serve.demo_loading')}\n`);
    const dir = mkdtempSync(join(tmpdir(), 'tianping-demo-'));
    try {
      await simulateToDir(defaultSimOptions({ merchants: 200, buyers: 8000, days: 14, seed: 'demo' }), dir);
      for await (const batch of readNdjsonFile(join(dir, 'events.ndjson'))) {
        await ctx.events.ingest(batch.records, 'line');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { key } = await ctx.keys.create({ roles: ['admin'], name: 'demo admin key', createdBy: 'demo' });
  process.stdout.write(`\n${t('serve.demo_key')}\n\n    ${key}\n\n`);
}
