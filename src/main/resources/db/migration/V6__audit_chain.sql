-- Tamper evidence for the audit trail. Rows are sealed shortly after they commit, one node at a
-- time, in the order the sealer sees them (seal_seq): each row's HMAC covers its own content and the
-- previous sealed row's HMAC (prev_hmac), so an edited or deleted row breaks the chain at that point.
alter table audit_event add column seal_seq bigint unique;
alter table audit_event add column prev_hmac char(64);
alter table audit_event add column hmac char(64);
create index audit_event_unsealed on audit_event (id) where hmac is null;
create index audit_event_action_time on audit_event (action, occurred_at desc);
