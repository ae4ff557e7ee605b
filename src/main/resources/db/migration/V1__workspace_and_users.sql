-- Tenants and the people who sign in to them. Every later table carries workspace_id.
create table workspace (
    id          uuid primary key,
    slug        varchar(63)  not null unique
                check (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name        varchar(120) not null check (length(btrim(name)) > 0),
    active      boolean      not null default true,
    settings    jsonb        not null default '{}'::jsonb,
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now(),
    version     bigint       not null default 0
);

create table app_user (
    id                  uuid primary key,
    workspace_id        uuid         not null references workspace (id),
    email               varchar(254) not null check (email = lower(email)),
    nome                varchar(100) not null,
    cpf                 char(11)     check (cpf ~ '^[0-9]{11}$'),
    role                varchar(20)  not null
                        check (role in ('PLATFORM_ADMIN', 'ADMIN', 'SUPERVISOR', 'AGENT')),
    password_hash       varchar(72)  not null,
    active              boolean      not null default true,
    failed_logins       integer      not null default 0 check (failed_logins >= 0),
    locked_until        timestamptz,
    password_changed_at timestamptz  not null default now(),
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now(),
    version             bigint       not null default 0,
    unique (workspace_id, email),
    unique (workspace_id, cpf)
);

create index app_user_workspace_role on app_user (workspace_id, role);
