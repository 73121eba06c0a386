// Where snapshots are kept: in the store's `detection_snapshots` table (every process on one PostgreSQL
// shares them), or in a folder beside the embedded database. PGlite runs on the main thread and takes bytea
// slowly (its own parameter encoding, then ~25 MB/s of writes on this machine), which would hold up HTTP
// for seconds per snapshot; a file is written by libuv's threads instead, and the data folder is the whole
// store there anyway. Both write a snapshot so that it is seen whole or not at all.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../platform/db/db.ts';
import { type SnapshotHeader, snapshotHeader } from './snapshots.ts';

export interface StoredSnapshot {
  /** The store's name for it. */
  id: string;
  header: SnapshotHeader;
  /** Why it cannot even be read as a snapshot (its header), when so. */
  unreadable?: string;
}

export interface SnapshotStore {
  /** Where they are, for logs. */
  readonly where: string;
  /** Whole snapshots, newest (highest seq) first. */
  list(): Promise<StoredSnapshot[]>;
  read(id: string): Promise<Uint8Array>;
  /** Stores a snapshot durably; it is listed only once all of it is stored. */
  save(header: SnapshotHeader, bytes: Uint8Array): Promise<void>;
  /** Keeps the newest `keep` whole snapshots; removes the rest and any left half-written long ago. */
  prune(keep: number): Promise<void>;
}

/** Bytes per row: big enough for few statements, small enough that none holds the store up long. */
const CHUNK = 4 << 20;

export class TableSnapshotStore implements SnapshotStore {
  readonly where = 'table detection_snapshots';

  constructor(private readonly db: Db) {}

  async list(): Promise<StoredSnapshot[]> {
    const rows = await this.db.query<{
      id: string;
      format: number;
      digest: string;
      seq: string;
      events: string;
      bytes: string;
      sha256: string;
      model: string | null;
      created_at: string | Date;
    }>(
      `select id, format, digest, seq, events, bytes, sha256, model, created_at
       from detection_snapshots where complete order by seq desc, id desc`,
    );
    return rows.map((r) => ({
      id: String(r.id),
      header: {
        format: Number(r.format),
        digest: r.digest,
        seq: Number(r.seq),
        events: Number(r.events),
        bytes: Number(r.bytes),
        sha256: r.sha256,
        model: r.model,
        createdAt: new Date(r.created_at).toISOString(),
      },
    }));
  }

  async read(id: string): Promise<Uint8Array> {
    // One chunk per statement. Base64 through SQL: PGlite's own bytea parameters and results are slow.
    const parts: Buffer[] = [];
    for (let n = 0; ; n++) {
      const [row] = await this.db.query<{ d: string }>(
        `select encode(data, 'base64') as d from detection_snapshot_chunks where snapshot_id = $1 and n = $2`,
        [id, n],
      );
      if (!row) break;
      parts.push(Buffer.from(row.d, 'base64'));
    }
    return Buffer.concat(parts);
  }

  async save(header: SnapshotHeader, bytes: Uint8Array): Promise<void> {
    const [row] = await this.db.query<{ id: string }>(
      `insert into detection_snapshots (format, digest, seq, events, bytes, sha256, model)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [
        header.format,
        header.digest,
        header.seq,
        header.events,
        header.bytes,
        header.sha256,
        header.model ?? null,
      ],
    );
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let n = 0, at = 0; at < b.length; n++, at += CHUNK) {
      await this.db.query(
        `insert into detection_snapshot_chunks (snapshot_id, n, data) values ($1, $2, decode($3, 'base64'))`,
        [row.id, n, b.subarray(at, at + CHUNK).toString('base64')],
      );
    }
    await this.db.query('update detection_snapshots set complete = true where id = $1', [row.id]);
  }

  async prune(keep: number): Promise<void> {
    // Another process may be writing one now: half-written ones go only when an hour old.
    await this.db.query(
      `delete from detection_snapshots
       where id not in (select id from detection_snapshots where complete order by seq desc, id desc limit $1)
         and (complete or created_at < now() - interval '1 hour')`,
      [keep],
    );
  }
}

const SUFFIX = '.tpsnap';

/** Snapshots as files in a folder: written to a temporary name, flushed, then renamed into place. */
export class FolderSnapshotStore implements SnapshotStore {
  constructor(private readonly dir: string) {}

  get where(): string {
    return this.dir;
  }

  async list(): Promise<StoredSnapshot[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith(SUFFIX));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: StoredSnapshot[] = [];
    for (const id of names) {
      const head = await readHead(join(this.dir, id));
      try {
        out.push({ id, header: snapshotHeader(head) });
      } catch (e) {
        // Listed all the same, so that the restore says why it was passed over.
        out.push({ id, header: { ...NO_HEADER }, unreadable: (e as Error).message });
      }
    }
    return out.sort((a, b) => b.header.seq - a.header.seq || b.id.localeCompare(a.id));
  }

  read(id: string): Promise<Uint8Array> {
    return readFile(join(this.dir, id));
  }

  async save(header: SnapshotHeader, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `snapshot-${String(header.seq).padStart(12, '0')}-${randomBytes(4).toString('hex')}${SUFFIX}`;
    const tmp = join(this.dir, `.${name}.tmp`);
    const f = await open(tmp, 'w');
    try {
      await f.writeFile(bytes);
      await f.sync();
    } finally {
      await f.close();
    }
    await rename(tmp, join(this.dir, name));
    // The rename itself survives a power cut only once the folder is flushed.
    const d = await open(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  async prune(keep: number): Promise<void> {
    const all = await this.list();
    for (const s of all.slice(keep)) await rm(join(this.dir, s.id), { force: true });
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const hourAgo = Date.now() - 3_600_000;
    for (const n of names.filter((x) => x.endsWith('.tmp'))) {
      const f = await open(join(this.dir, n), 'r').catch(() => undefined);
      const mtime = f ? (await f.stat()).mtimeMs : 0;
      await f?.close();
      if (mtime < hourAgo) await rm(join(this.dir, n), { force: true });
    }
  }
}

/** The first bytes of a file: enough for any snapshot's header. */
async function readHead(path: string): Promise<Uint8Array> {
  const f = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 << 10);
    const { bytesRead } = await f.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

const NO_HEADER: SnapshotHeader = {
  format: 0,
  digest: '',
  seq: -1,
  events: 0,
  bytes: 0,
  sha256: '',
  createdAt: '',
};
