// `tianping openapi`: writes the OpenAPI document the server serves at /openapi.json, without a store,
// for client generators and `npm run openapi` (which lints it with redocly.yaml).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { openapiDocument } from '../../app/openapi-document.ts';
import { t } from '../../platform/i18n.ts';
import { examples } from '../help.ts';

export function define(cmd: Command) {
  cmd
    .option('--out <file>', 'write the document to this file (default: standard output)')
    .option('--yaml', 'YAML instead of JSON')
    .action(async (o: { out?: string; yaml?: boolean }) => {
      const text = await openapiDocument({ yaml: o.yaml });
      if (!o.out) {
        process.stdout.write(text);
        return;
      }
      mkdirSync(dirname(o.out), { recursive: true });
      writeFileSync(o.out, text);
      process.stdout.write(`${t('openapi.written', { file: o.out })}\n`);
    });
  examples(cmd, ['tianping openapi --out openapi.json', 'tianping openapi --yaml > openapi.yaml']);
}
