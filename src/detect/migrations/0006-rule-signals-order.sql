-- The batch job reads the rules' signals oldest first, a page at a time (keyset on at, id).
create index signals_rule_at_idx on signals (at, id) where rule_id is not null;
