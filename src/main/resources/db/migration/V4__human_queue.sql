-- The human queue: priority (higher first, then longest wait), when an agent got the conversation,
-- who closed it. Handling time = closed_at - assigned_at; first response = first_response_at - assigned_at.
alter table conversation add column priority integer not null default 0;
alter table conversation add column assigned_at timestamptz;
alter table conversation add column closed_by uuid references app_user (id);
alter table conversation add constraint conversation_active_has_agent
    check (status <> 'ACTIVE' or assigned_agent_id is not null);
create index conversation_agent_active on conversation (workspace_id, assigned_agent_id) where status = 'ACTIVE';

-- A pending outbound message is claimed by one sender before the call to Meta, outside any
-- transaction; a claim older than two minutes (a crashed sender) may be taken over.
alter table message add column claimed_at timestamptz;
-- Deliveries from one sender are processed in order by one worker; the sweep needs to know which.
alter table webhook_inbox add column sender varchar(128);
