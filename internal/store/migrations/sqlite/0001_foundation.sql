-- Foundation: accounts, sessions, API tokens, the audit trail, settings,
-- wards, configurable lists and the unlock key.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'finance', 'viewer')),
    wards          TEXT NOT NULL DEFAULT '',       -- comma-separated ward numbers; empty = all wards
    can_unlock     BOOLEAN NOT NULL DEFAULT FALSE,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    lang           TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TIMESTAMP,
    last_login_at  TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,                -- SHA-256 of the cookie value
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,              -- absolute timeout
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL DEFAULT '',
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,                   -- first characters, to recognise a token in lists
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP,
    revoked_at    TIMESTAMP
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    user_id    INTEGER NOT NULL DEFAULT 0,         -- 0 = system or anonymous; no FK: the trail outlives accounts
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
    last_id    INTEGER NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
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
    set_at   TIMESTAMP NOT NULL,
    set_by   TEXT NOT NULL
);
