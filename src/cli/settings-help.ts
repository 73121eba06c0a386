// Help texts that quote the config schema, kept apart from help.ts so `tianping --help` never loads the
// schema (and its validator) just to print the command list.
import { describeSettings, type SettingName } from '../platform/config.ts';

/** "(PORT; default: 8080)": where a setting comes from when its flag is not given. */
export function fromConfig(key: SettingName): string {
  const s = describeSettings().find((x) => x.name === key)!;
  return `(${s.env}; default: ${s.default.replace(/`/g, '')})`;
}
