-- The sender claims a customer's oldest pending reply. message_pending_out was ordered by id alone,
-- so finding one customer's oldest meant walking the pending replies of every customer before it:
-- the longer the backlog, the slower each send. Keyed by customer, each claim reads one entry.
-- The sweep for stale pending replies reads the same partial index whole; it holds only pending rows.
-- Built in the migration's transaction: writes to message wait for one scan of the table. Not
-- CONCURRENTLY: that would wait on Flyway's own lock and on a second node waiting for it.
create index message_pending_out_by_customer on message (customer_id, id)
    where direction = 'OUT' and status = 'pending';
drop index message_pending_out;
