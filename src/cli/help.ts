// Help shared by the commands: every `--help` ends with examples a person can copy.
import type { Command } from 'commander';
import { CONFIG_DOC } from '../platform/config.ts';

export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** "(PORT; default: 8080)": where a setting comes from when its flag is not given. */
export function fromConfig(key: keyof typeof CONFIG_DOC): string {
  return `(${CONFIG_DOC[key].env}; default: ${CONFIG_DOC[key].default})`;
}
