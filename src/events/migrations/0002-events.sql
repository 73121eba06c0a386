-- The event log. `id` is the platform's id (idempotency key); `seq` is our arrival order, which
-- detectors replay from. `merchant_id` is the partition key when the event names a merchant; it gets an
-- index (or physical partitions) when a reader needs one — until then it would only slow intake.
create table events (
  seq bigint generated always as identity primary key,
  id text not null unique,
  type text not null,
  occurred_at timestamptz not null,
  merchant_id text,
  data jsonb not null,
  received_at timestamptz not null default now()
);
