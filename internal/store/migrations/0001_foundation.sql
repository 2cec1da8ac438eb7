-- Foundation: accounts, sessions, API tokens, the audit trail, settings,
-- wards, configurable lists and the unlock key.

CREATE TABLE users (
    id             {{id}},
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'finance', 'viewer')),
    wards          TEXT NOT NULL DEFAULT '',       -- comma-separated ward numbers; empty = all wards
    can_unlock     BOOLEAN NOT NULL DEFAULT FALSE,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    lang           TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   {{timestamp}},
    last_login_at  {{timestamp}},
    created_at     {{timestamp}} NOT NULL,
    updated_at     {{timestamp}} NOT NULL
);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,                -- SHA-256 of the cookie value
    user_id       {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    {{timestamp}} NOT NULL,
    last_seen_at  {{timestamp}} NOT NULL,
    expires_at    {{timestamp}} NOT NULL,              -- absolute timeout
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
    id            {{id}},
    user_id       {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL DEFAULT '',
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,                   -- first characters, to recognise a token in lists
    created_at    {{timestamp}} NOT NULL,
    last_used_at  {{timestamp}},
    revoked_at    {{timestamp}}
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE audit_log (
    id         {{id}},
    at         {{timestamp}} NOT NULL,
    user_id    {{bigint}} NOT NULL DEFAULT 0,         -- 0 = system or anonymous; no FK: the trail outlives accounts
    username   TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  TEXT NOT NULL DEFAULT '',
    details    TEXT NOT NULL DEFAULT '{}',         -- JSON: before/after of changed fields, reasons
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user_id ON audit_log (user_id);

-- The head of the hash chain: removing the newest entries is detected too.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_id    {{bigint}} NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '');

-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- @postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- @end

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  {{timestamp}} NOT NULL
);

CREATE TABLE wards (
    number   INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 99),
    name_ne  TEXT NOT NULL,
    name_en  TEXT NOT NULL
);

CREATE TABLE list_values (
    list      TEXT NOT NULL,                       -- disaster_type | relief_item | allowance_type
    key       TEXT NOT NULL,
    label_ne  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    unit_ne   TEXT NOT NULL DEFAULT '',
    unit_en   TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (list, key)
);

CREATE TABLE unlock_key (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    hash     TEXT NOT NULL,                        -- argon2id; there is no default key
    set_at   {{timestamp}} NOT NULL,
    set_by   TEXT NOT NULL
);
