// One SQL dialect (PostgreSQL) behind a small interface, so the same queries run on embedded PGlite and on
// a real server through `pg`.

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs one or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * `COPY … FROM STDIN` with `rows` in COPY's text format (see `copyTextField`). Only where the driver
   * streams COPY (PostgreSQL through `pg`); callers keep a plain-SQL path for the others.
   */
  copyFrom?(sql: string, rows: string): Promise<void>;
}

/** One field in COPY's text format: backslash, newline, carriage return and tab escaped; null as \N. */
export function copyTextField(v: string | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  return v.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages: a folder or a redacted URL. */
  readonly location: string;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
