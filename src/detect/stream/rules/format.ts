// Small formatting helpers for explanations people read.
export const yuan = (fen: number) => (fen / 100).toFixed(2);
export const hours = (ms: number) => (ms / 3_600_000).toFixed(1);
export const minutes = (ms: number) => Math.round(ms / 60_000);
export const pct = (x: number) => `${Math.round(x * 100)}%`;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
