-- Snapshots of the stream engine's memory (src/detect/snapshots.ts), so a restart replays only the log
-- after `seq`. The bytes are kept in chunks; a snapshot is used only once `complete`, so one cut short by
-- a crash is never read. Every process on the store shares them; only the newest few are kept.
create table detection_snapshots (
  id bigint generated always as identity primary key,
  format integer not null,
  digest text not null,
  seq bigint not null,
  events bigint not null,
  bytes bigint not null,
  sha256 text not null,
  model text,
  created_at timestamptz not null default now(),
  complete boolean not null default false
);
create table detection_snapshot_chunks (
  snapshot_id bigint not null references detection_snapshots (id) on delete cascade,
  n integer not null,
  data bytea not null,
  primary key (snapshot_id, n)
);
-- The bytes are already dense: no compression attempt on write.
alter table detection_snapshot_chunks alter column data set storage external;
