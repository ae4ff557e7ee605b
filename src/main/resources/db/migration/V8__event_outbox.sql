-- The transactional outbox of live events: a conversation change writes its event here in the same
-- transaction, so a node that dies after the commit cannot lose it. The node publishes it at once
-- and deletes the row; rows left behind are published by whichever node's sweep claims them first.
create table event_outbox (
    id                bigserial primary key,
    workspace_id      uuid not null,
    conversation_id   uuid not null,
    kind              varchar(32) not null,
    agent_id          uuid,
    previous_agent_id uuid,
    created_at        timestamptz not null default now()
);
create index event_outbox_created on event_outbox (created_at);
