-- Sign-in throttle (issue 17, "lockout as a weapon"). Failures are counted
-- per (username, client address), which earns that address growing delays,
-- and per username across every address (client = ''), which only slows
-- answers: nobody can lock the real user out by guessing from elsewhere.
-- Rows are keyed by the username as typed (normalised), known or not, so
-- the answers never tell an unknown account from a real one.
CREATE TABLE login_throttle (
    username         TEXT NOT NULL,
    client           TEXT NOT NULL,
    failures         INTEGER NOT NULL,
    last_failure_at  {{timestamp}} NOT NULL,
    blocked_until    {{timestamp}} NOT NULL,
    PRIMARY KEY (username, client)
);
CREATE INDEX login_throttle_last_failure_at ON login_throttle (last_failure_at);

-- The old lock (users.failed_logins, users.locked_until) is no longer used.
UPDATE users SET failed_logins = 0, locked_until = NULL;
