-- Every change to the rules in force: who made it (the API key, or a signal to the process), when, why,
-- and the file itself, so any earlier rule set can be read back. Rows are only ever added.
create table rule_changes (
  id bigserial primary key,
  at timestamptz not null,
  via text not null,
  key_id text,
  key_name text,
  reason text,
  source text not null,
  stored_path text,
  sha256 text not null,
  rules integer not null,
  rules_text text not null
);
create index rule_changes_at_idx on rule_changes (at desc, id desc);
