// Help shared by the commands: every `--help` ends with examples a person can copy.
import type { Command } from 'commander';
import { describeSettings, type SettingName } from '../platform/config.ts';

export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** "(PORT; default: 8080)": where a setting comes from when its flag is not given. */
export function fromConfig(key: SettingName): string {
  const s = describeSettings().find((x) => x.name === key)!;
  return `(${s.env}; default: ${s.default.replace(/`/g, '')})`;
}
