-- API keys: only a SHA-256 of the secret is kept; the key itself is shown once when created.
create table api_keys (
  id text primary key,
  name text not null,
  key_hash text not null unique,
  roles text[] not null,
  created_at timestamptz not null default now(),
  created_by text,
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Small settings the platform keeps for itself (e.g. whether the first admin key was issued).
create table platform_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
