// Help shared by the commands: every `--help` ends with examples a person can copy.
import type { Command } from 'commander';

export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
