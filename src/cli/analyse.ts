// The detection step `tianping detect` and `tianping eval` share: an events file through the rules (the
// bundled ones, or a rule file), with a progress bar.

import { loadRulesFile } from '../detect/index.ts';
import { analyseFile } from '../lab/index.ts';
import { requireFile } from './files.ts';
import { progress } from './progress.ts';

function bar(label: string, enabled: boolean) {
  const b = progress(label, 100, enabled);
  return {
    step: (msg: string, fraction?: number) => b.update(Math.round(100 * (fraction ?? 0)), { step: msg }),
    stop: () => b.stop(),
  };
}

export async function analyse(o: { events: string; rules?: string; progress: boolean }) {
  const p = bar('detecting', o.progress);
  const run = await analyseFile(requireFile(o.events, 'events'), {
    rules: o.rules ? loadRulesFile(o.rules) : undefined,
    onProgress: p.step,
  });
  p.stop();
  return run;
}
