-- frontdesk schema, version 2: text messages (issue 20).

-- Consent. An informational opt-out recorded at the desk (NULL: texts allowed) and the day
-- marketing consent was given (NULL: no advertising texts).
ALTER TABLE patients ADD COLUMN texts_opted_out_at TEXT;
ALTER TABLE patients ADD COLUMN marketing_consent_on TEXT;

-- One template per kind of text, with placeholders ({name} {date} {time} {weekday} {provider}
-- {clinic} {clinic_phone}); seeded with the Korean defaults (domain::messages::default_body).
CREATE TABLE message_templates (
    kind         TEXT PRIMARY KEY CHECK (kind IN ('reminder', 'no_show', 'happy_call', 'recall', 'free')),
    body         TEXT NOT NULL CHECK (length(body) > 0),
    advertising  INTEGER NOT NULL DEFAULT 0 CHECK (advertising IN (0, 1))
);

-- The outbox: every text, keyed by what it is for (kind, the appointment, callback or patient
-- it is about, and the day), so that it is never queued twice. A row is claimed
-- (queued -> sending) in a write transaction before the provider is asked, and finished
-- (sent / failed / unknown) after; a network error puts it back to queued.
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('reminder', 'no_show', 'happy_call', 'recall', 'free')),
    ref_kind     TEXT NOT NULL CHECK (ref_kind IN ('appointment', 'callback', 'patient')),
    ref_id       INTEGER NOT NULL,
    for_date     TEXT NOT NULL,
    patient_id   INTEGER REFERENCES patients(id),
    callback_id  INTEGER REFERENCES callbacks(id) ON DELETE SET NULL,
    to_digits    TEXT NOT NULL,
    body         TEXT NOT NULL,
    msg_type     TEXT NOT NULL CHECK (msg_type IN ('SMS', 'LMS')),
    bytes        INTEGER NOT NULL,
    advertising  INTEGER NOT NULL DEFAULT 0 CHECK (advertising IN (0, 1)),
    status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
    provider     TEXT NOT NULL DEFAULT '',
    provider_ref TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    queued_at    TEXT NOT NULL,
    queued_by    TEXT NOT NULL DEFAULT '',
    claimed_at   TEXT,
    claim        TEXT NOT NULL DEFAULT '',
    finished_at  TEXT,
    UNIQUE (kind, ref_kind, ref_id, for_date)
);
CREATE INDEX messages_by_status ON messages(status, queued_at);
CREATE INDEX messages_by_patient ON messages(patient_id, queued_at);
CREATE INDEX messages_by_queued ON messages(queued_at);
