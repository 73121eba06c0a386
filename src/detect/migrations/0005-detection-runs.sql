-- One row per batch run (rings and the learned scorer): what started it and who asked, when, how long,
-- which events it covered and what it changed; `error` when it failed.
create table detection_runs (
  id bigint generated always as identity primary key,
  trigger text not null check (trigger in ('start', 'schedule', 'events', 'request')),
  requested_by text,
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  seconds double precision,
  through_seq bigint,
  new_events bigint,
  rings integer,
  suspicious_rings integer,
  signals integer,
  signals_added integer,
  scored integer,
  error text
);
