-- A login session: every refresh token of one login belongs to one family. Revoking the family
-- (logout, reuse of a dead refresh token, password or role change) kills its access tokens too.
create table token_family (
    id            uuid primary key,
    workspace_id  uuid        not null references workspace (id),
    user_id       uuid        not null references app_user (id),
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoke_reason varchar(40)
);
create index token_family_user on token_family (workspace_id, user_id) where revoked_at is null;

-- Each refresh token may be used once; a second use means it was stolen.
create table refresh_token (
    id          uuid primary key,
    family_id   uuid        not null references token_family (id),
    issued_at   timestamptz not null default now(),
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index refresh_token_family on refresh_token (family_id);

-- Critical actions and their outcome. The security issue adds the hash chain.
create table audit_event (
    id            bigint generated always as identity primary key,
    occurred_at   timestamptz  not null default now(),
    workspace_id  uuid         references workspace (id),
    actor_id      uuid,
    action        varchar(60)  not null,
    outcome       varchar(20)  not null check (outcome in ('SUCCESS', 'FAILURE', 'DENIED')),
    target        varchar(200),
    client_ip     varchar(64),
    request_id    varchar(128),
    details       jsonb        not null default '{}'::jsonb
);
create index audit_event_workspace_time on audit_event (workspace_id, occurred_at desc);

-- Workspaces created before settings had a shape get the defaults of WorkspaceSettings.defaults().
update workspace set settings = '{"businessHours":{"timezone":"America/Sao_Paulo","week":{"mon":[{"open":"09:00","close":"18:00"}],"tue":[{"open":"09:00","close":"18:00"}],"wed":[{"open":"09:00","close":"18:00"}],"thu":[{"open":"09:00","close":"18:00"}],"fri":[{"open":"09:00","close":"18:00"}],"sat":[{"open":"09:00","close":"18:00"}],"sun":[]}},"bot":{"enabled":true,"handoffKeywords":["atendente","humano","pessoa"],"maxUnrecognized":3},"corsOrigins":[],"whatsappPhoneNumberId":null}'::jsonb where settings = '{}'::jsonb;
alter table workspace alter column settings drop default;
