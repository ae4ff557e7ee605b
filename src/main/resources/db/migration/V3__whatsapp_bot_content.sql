-- WhatsApp Cloud API accounts. Secrets are AES-GCM encrypted by the application (WHATSAPP_SECRETS_KEY).
create table whatsapp_account (
    id                uuid primary key,
    workspace_id      uuid         not null references workspace (id),
    phone_number_id   varchar(32)  not null unique,
    access_token_enc  text         not null,
    app_secret_enc    text         not null,
    verify_token_enc  text         not null,
    graph_version     varchar(10)  not null,
    created_at        timestamptz  not null default now()
);
create index whatsapp_account_workspace on whatsapp_account (workspace_id);

-- A WhatsApp user of one workspace: Meta's business-scoped user id and/or the phone (wa_id).
-- fsm_state/fsm_data: the chatbot's position; version: the fence every bot write checks.
create table customer (
    id              uuid primary key,
    workspace_id    uuid         not null references workspace (id),
    bsuid           varchar(128),
    wa_id           varchar(32),
    name            varchar(200),
    fsm_state       varchar(40),
    fsm_data        jsonb        not null default '{}'::jsonb,
    last_inbound_at timestamptz,
    version         bigint       not null default 0,
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now(),
    check (bsuid is not null or wa_id is not null),
    unique (workspace_id, bsuid),
    unique (workspace_id, wa_id)
);

create table conversation (
    id                uuid primary key,
    workspace_id      uuid         not null references workspace (id),
    customer_id       uuid         not null references customer (id),
    status            varchar(10)  not null check (status in ('BOT', 'QUEUED', 'ACTIVE', 'CLOSED')),
    assigned_agent_id uuid         references app_user (id),
    queued_at         timestamptz,
    first_response_at timestamptz,
    created_at        timestamptz  not null default now(),
    closed_at         timestamptz,
    version           bigint       not null default 0
);
-- At most one open conversation per customer.
create unique index conversation_open_per_customer on conversation (customer_id) where status <> 'CLOSED';
create index conversation_workspace_status on conversation (workspace_id, status, queued_at);

-- Every message in or out. Inbound wamids are unique: Meta's duplicate deliveries insert nothing.
-- status rank only moves forward: pending < sent < delivered < read; failed is final.
create table message (
    id               bigint generated always as identity primary key,
    workspace_id     uuid         not null references workspace (id),
    conversation_id  uuid         not null references conversation (id),
    customer_id      uuid         not null references customer (id),
    direction        varchar(3)   not null check (direction in ('IN', 'OUT')),
    wamid            varchar(128) unique,
    type             varchar(20)  not null,
    body             text,
    media_ref        varchar(500),
    status           varchar(10)  not null
                     check (status in ('received', 'pending', 'sent', 'delivered', 'read', 'failed')),
    error_code       integer,
    error_title      varchar(200),
    sender_user_id   uuid         references app_user (id),
    processed_at     timestamptz,
    processed_seq    bigint,
    sent_at          timestamptz,
    created_at       timestamptz  not null default now(),
    updated_at       timestamptz  not null default now()
);
create index message_conversation on message (conversation_id, id desc);
create index message_customer_unprocessed on message (customer_id, id) where direction = 'IN' and processed_at is null;
create index message_pending_out on message (id) where direction = 'OUT' and status = 'pending';

-- Raw webhook deliveries, stored before processing so nothing is lost and everything can be replayed.
create table webhook_inbox (
    id            bigint generated always as identity primary key,
    received_at   timestamptz  not null default now(),
    workspace_id  uuid         references workspace (id),
    payload       text         not null,
    signature     varchar(80),
    processed_at  timestamptz,
    attempts      integer      not null default 0,
    last_error    varchar(500)
);
create index webhook_inbox_pending on webhook_inbox (id) where processed_at is null;

-- POST /api/whatsapp/send answers a repeated Idempotency-Key with the first answer for 24 h.
create table idempotent_request (
    workspace_id    uuid         not null references workspace (id),
    idempotency_key varchar(200) not null,
    request_hash    varchar(64)  not null,
    response        text         not null,
    status          integer      not null,
    created_at      timestamptz  not null default now(),
    primary key (workspace_id, idempotency_key)
);

create table cms_text (
    workspace_id  uuid         not null references workspace (id),
    key           varchar(100) not null check (key ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    locale        varchar(10)  not null default 'pt-BR',
    content       text         not null check (length(content) between 1 and 4096),
    updated_at    timestamptz  not null default now(),
    primary key (workspace_id, key, locale)
);

create table catalog_item (
    id           uuid primary key,
    workspace_id uuid          not null references workspace (id),
    sku          varchar(64)   not null,
    name         varchar(200)  not null,
    description  varchar(2000) not null default '',
    price        numeric(12, 2) not null check (price >= 0),
    stock        integer       not null check (stock >= 0),
    active       boolean       not null default true,
    created_at   timestamptz   not null default now(),
    updated_at   timestamptz   not null default now(),
    unique (workspace_id, sku)
);
create index catalog_item_workspace_name on catalog_item (workspace_id, name);
