// Progress for long commands: a bar on a terminal, a line every two seconds otherwise (CI logs).
import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, payload?: Record<string, number | string>): void;
  stop(): void;
}

export function progress(
  label: string,
  total: number,
  enabled = true,
  unit: 'bytes' | 'items' = 'items',
): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const fmt = (v: number) => (unit === 'bytes' ? `${(v / 1048576).toFixed(1)} MiB` : String(v));
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {done}/{all} | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { done: fmt(0), all: fmt(total) });
    return {
      update: (v, payload) => bar.update(v, { ...payload, done: fmt(v), all: fmt(total) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  const started = Date.now();
  return {
    update(v, payload) {
      const now = Date.now();
      if (now - last < 2000) return;
      last = now;
      const pct = total > 0 ? ((100 * v) / total).toFixed(0) : '?';
      const extra = payload
        ? ` ${Object.entries(payload)
            .map(([k, x]) => `${k}=${x}`)
            .join(' ')}`
        : '';
      process.stderr.write(
        `${label}: ${pct}% (${fmt(v)}/${fmt(total)}, ${((now - started) / 1000).toFixed(0)} s)${extra}\n`,
      );
    },
    stop() {},
  };
}
