-- Signals: what detectors found, one row per finding; ids are derived from the evidence so a replay never
-- doubles one. Alerts group live signals per subject.
create table signals (
  id text primary key,
  kind text not null,
  subject text not null,
  score double precision not null,
  detector text not null,
  detector_version text not null,
  rule_id text,
  mode text not null,
  evidence text[] not null,
  explanation jsonb not null,
  facts jsonb,
  at timestamptz not null,
  created_at timestamptz not null default now()
);
create index signals_subject_idx on signals (kind, subject);
create index signals_rule_idx on signals (rule_id, at desc);

create table alerts (
  kind text not null,
  subject text not null,
  score double precision not null,
  signals integer not null,
  top_explanation jsonb not null,
  first_at timestamptz not null,
  last_at timestamptz not null,
  status text not null default 'open',
  updated_at timestamptz not null default now(),
  primary key (kind, subject)
);
create index alerts_score_idx on alerts (score desc);

-- Per-rule hit counts survive restarts (the engine recounts on replay; stored counts are the max seen).
create table rule_hits (
  rule_id text primary key,
  kind text not null,
  mode text not null,
  hits bigint not null,
  last_hit_at timestamptz,
  updated_at timestamptz not null default now()
);

create table detector_checkpoints (
  name text primary key,
  last_seq bigint not null,
  updated_at timestamptz not null default now()
);

create table rings (
  id text primary key,
  method text not null,
  members text[] not null,
  merchants text[] not null,
  identifiers text[] not null,
  score double precision not null,
  density double precision not null,
  suspicion double precision not null,
  evidence text[] not null,
  found_at timestamptz not null default now()
);
