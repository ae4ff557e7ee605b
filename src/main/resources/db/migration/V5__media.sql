-- Media files of a workspace: customers' media announced by Meta (downloaded afterwards) and agents'
-- uploads. The bytes live under UPLOAD_DIR, named by their SHA-256 (null until downloaded).
-- meta_media_id: Meta's id of the customer's media, or of our upload to Meta (set on first send).
create table media (
    id              uuid         primary key,
    workspace_id    uuid         not null references workspace (id),
    source          varchar(8)   not null check (source in ('INBOUND', 'UPLOAD')),
    meta_media_id   varchar(128),
    content_type    varchar(100) not null,
    size_bytes      bigint,
    sha256          char(64),
    file_name       varchar(255),
    uploaded_by     uuid         references app_user (id),
    fetch_attempts  integer      not null default 0,
    fetch_started_at timestamptz,
    fetch_error     varchar(200),
    created_at      timestamptz  not null default now(),
    stored_at       timestamptz,
    check (sha256 is not null or source = 'INBOUND')
);
create unique index media_inbound_once on media (workspace_id, meta_media_id) where source = 'INBOUND';
create index media_to_fetch on media (created_at) where sha256 is null;

alter table message add column media_id uuid references media (id);
