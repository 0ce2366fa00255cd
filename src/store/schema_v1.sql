-- frontdesk schema, version 1.
-- Times are local wall-clock ISO text ('2026-11-22T09:30:00'), dates 'YYYY-MM-DD',
-- money whole won (INTEGER), text NFC.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE staff (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    role    TEXT NOT NULL CHECK (role IN ('director', 'desk', 'treatment')),
    active  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE referral_sources (
    code      TEXT PRIMARY KEY,
    label_ko  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    aliases   TEXT NOT NULL DEFAULT '',
    key       TEXT NOT NULL DEFAULT '',
    sort      INTEGER NOT NULL DEFAULT 0,
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE referral_channels (
    code         TEXT PRIMARY KEY,
    source_code  TEXT NOT NULL REFERENCES referral_sources(code),
    label_ko     TEXT NOT NULL,
    label_en     TEXT NOT NULL,
    sort         INTEGER NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE treatments (
    code           TEXT PRIMARY KEY,
    label_ko       TEXT NOT NULL,
    label_en       TEXT NOT NULL,
    aliases        TEXT NOT NULL DEFAULT '',
    happy_call     INTEGER NOT NULL DEFAULT 0 CHECK (happy_call IN (0, 1)),
    interval_days  INTEGER NOT NULL DEFAULT 7 CHECK (interval_days > 0),
    duration_min   INTEGER NOT NULL DEFAULT 30 CHECK (duration_min > 0),
    course_visits  INTEGER NOT NULL DEFAULT 0 CHECK (course_visits >= 0),
    risky          TEXT NOT NULL DEFAULT '',
    sort           INTEGER NOT NULL DEFAULT 0,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE complaint_categories (
    code      TEXT PRIMARY KEY,
    label_ko  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    sort      INTEGER NOT NULL DEFAULT 0,
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- The phone manual: prepared answers per treatment and question kind.
CREATE TABLE qa_entries (
    id              INTEGER PRIMARY KEY,
    treatment_code  TEXT REFERENCES treatments(code),
    question_kind   TEXT NOT NULL CHECK (question_kind IN
                        ('price', 'method', 'duration', 'insurance', 'hours', 'other')),
    question        TEXT NOT NULL,
    answer          TEXT NOT NULL,
    sort            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE dropout_weights (
    reason  TEXT PRIMARY KEY,
    weight  INTEGER NOT NULL CHECK (weight >= 0)
);

CREATE TABLE patients (
    id                INTEGER PRIMARY KEY,
    chart_no          TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL CHECK (length(name) > 0),
    -- Korean initial consonants of the name (ㅎㄱㄷ for 홍길동), for search.
    name_initials     TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    phone_digits      TEXT NOT NULL DEFAULT '',
    birth_date        TEXT,
    sex               TEXT CHECK (sex IN ('M', 'F')),
    referral_source   TEXT REFERENCES referral_sources(code),
    referral_channel  TEXT REFERENCES referral_channels(code),
    referrer_id       INTEGER REFERENCES patients(id),
    created_at        TEXT NOT NULL,
    -- Day (YYYY-MM-DD) of the patient's first `done` appointment, NULL before it. Derived:
    -- the appointments triggers below keep it exact on every write (a bulk load computes it
    -- once, store::bulk). "New patients in a period" is then a range read of
    -- patients_by_first_visit instead of a "no earlier done visit?" check per visit.
    first_visit_on    TEXT,
    -- Day of the latest `done` appointment, and how many distinct days had one. Derived and
    -- kept like first_visit_on: the huddle's dropout scoring (seen lately? away for more
    -- than twice the usual interval?) reads them instead of ten years of visits.
    last_visit_on     TEXT,
    visit_days        INTEGER NOT NULL DEFAULT 0,
    -- Start of the latest appointment kept or to keep (booked, arrived, done), and of the
    -- latest no-show. Derived (appointments_latest_* triggers): "nothing booked from today
    -- on" and "missed the last appointment" without reading the history.
    last_kept_at      TEXT,
    last_missed_at    TEXT,
    -- The canonical form chart numbers compare on (domain::text::chart_key): all digits
    -- without leading zeros (`918` = `0918` = `000918`), anything else upper-cased. Unique,
    -- so the same chart cannot be registered twice under two spellings.
    chart_key         TEXT GENERATED ALWAYS AS (
                          CASE WHEN chart_no <> '' AND chart_no NOT GLOB '*[^0-9]*'
                               THEN coalesce(nullif(ltrim(chart_no, '0'), ''), '0')
                               ELSE upper(chart_no) END) VIRTUAL
);
CREATE UNIQUE INDEX patients_by_chart_key ON patients(chart_key);
-- The largest numeric chart number (the next one is one more) in numeric order: by length,
-- then text, read from the end of this index.
CREATE INDEX patients_by_chart_number ON patients(length(chart_key), chart_key)
    WHERE chart_key NOT GLOB '*[^0-9]*';
CREATE INDEX patients_by_phone_digits ON patients(phone_digits);
CREATE INDEX patients_by_phone_last4 ON patients(substr(phone_digits, -4));
CREATE INDEX patients_by_name ON patients(name);
CREATE INDEX patients_by_initials ON patients(name_initials);
CREATE INDEX patients_by_referrer ON patients(referrer_id) WHERE referrer_id IS NOT NULL;
CREATE INDEX patients_by_first_visit ON patients(first_visit_on) WHERE first_visit_on IS NOT NULL;
-- Covering for the dropout candidates: everyone seen in the last 90 days, a range read.
CREATE INDEX patients_by_last_visit
    ON patients(last_visit_on, last_kept_at, last_missed_at, first_visit_on, visit_days)
    WHERE last_visit_on IS NOT NULL;

-- The CRM stickers.
CREATE TABLE patient_tags (
    patient_id  INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    tag         TEXT NOT NULL CHECK (tag IN
                    ('referrer', 'high_value', 'prospect', 'satisfied', 'more_care')),
    tagged_at   TEXT NOT NULL,
    PRIMARY KEY (patient_id, tag)
) WITHOUT ROWID;
CREATE INDEX patient_tags_by_tag ON patient_tags(tag, patient_id);

-- Post-it notes.
CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    body        TEXT NOT NULL CHECK (length(body) > 0),
    author      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX notes_by_patient ON notes(patient_id, created_at);

CREATE TABLE appointments (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    start           TEXT NOT NULL,
    duration_min    INTEGER NOT NULL CHECK (duration_min > 0),
    provider_id     INTEGER REFERENCES staff(id),
    treatment_code  TEXT REFERENCES treatments(code),
    status          TEXT NOT NULL DEFAULT 'booked' CHECK (status IN
                        ('booked', 'arrived', 'done', 'no_show', 'cancelled')),
    confirmed_at    TEXT,
    booked_at       TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- 1 when the same patient has a later, not-cancelled appointment booked no later than the
    -- end of this one's day: for a `done` visit, "left with the next visit booked" (the
    -- booking rate, DESIGN 4). Derived: the appointments_rebooked_* triggers keep it exact.
    rebooked        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appointments_by_start ON appointments(start);
-- Covering for a patient's history (dropout scoring, "booked again?"), so ten years of visits
-- are read from the index without a table lookup per row.
CREATE INDEX appointments_by_patient
    ON appointments(patient_id, start, status, treatment_code, booked_at, rebooked);
-- Not covering for patients on purpose: with patient_id in it, the planner (which has no
-- statistics) takes it for "this patient's done visits before X" and walks every done visit
-- instead. `rebooked` and `treatment_code` make the booking rate and the treatment shares
-- reads of this index alone.
CREATE INDEX appointments_by_status_start ON appointments(status, start, rebooked, treatment_code);

-- Done visits per patient and treatment (derived, like first_visit_on): whether a course of
-- treatment is unfinished is read from here instead of from the patient's whole history.
CREATE TABLE patient_treatments (
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    treatment_code  TEXT NOT NULL,
    done_visits     INTEGER NOT NULL,
    PRIMARY KEY (patient_id, treatment_code)
) WITHOUT ROWID;

-- patients.first_visit_on, last_visit_on, visit_days and patient_treatments follow every
-- change that can move a patient's done visits, recomputed from the patient's own rows.
-- `+status` keeps the look-ups on appointments_by_patient (this patient's rows only): on
-- (status, start) the planner would walk every done visit in start order.
CREATE TRIGGER appointments_visits_ai AFTER INSERT ON appointments WHEN NEW.status = 'done'
BEGIN
    UPDATE patients SET (first_visit_on, last_visit_on, visit_days) =
        (SELECT substr(min(start), 1, 10), substr(max(start), 1, 10), count(DISTINCT substr(start, 1, 10))
         FROM appointments WHERE patient_id = NEW.patient_id AND +status = 'done')
    WHERE id = NEW.patient_id;
    DELETE FROM patient_treatments WHERE patient_id = NEW.patient_id;
    INSERT INTO patient_treatments (patient_id, treatment_code, done_visits)
        SELECT patient_id, treatment_code, count(*) FROM appointments
        WHERE patient_id = NEW.patient_id AND +status = 'done' AND treatment_code IS NOT NULL
        GROUP BY treatment_code;
END;
CREATE TRIGGER appointments_visits_au AFTER UPDATE OF status, start, patient_id, treatment_code ON appointments
WHEN OLD.status = 'done' OR NEW.status = 'done'
BEGIN
    UPDATE patients SET (first_visit_on, last_visit_on, visit_days) =
        (SELECT substr(min(a.start), 1, 10), substr(max(a.start), 1, 10), count(DISTINCT substr(a.start, 1, 10))
         FROM appointments a WHERE a.patient_id = patients.id AND +a.status = 'done')
    WHERE id IN (OLD.patient_id, NEW.patient_id);
    DELETE FROM patient_treatments WHERE patient_id IN (OLD.patient_id, NEW.patient_id);
    INSERT INTO patient_treatments (patient_id, treatment_code, done_visits)
        SELECT patient_id, treatment_code, count(*) FROM appointments
        WHERE patient_id IN (OLD.patient_id, NEW.patient_id) AND +status = 'done' AND treatment_code IS NOT NULL
        GROUP BY patient_id, treatment_code;
END;
CREATE TRIGGER appointments_visits_ad AFTER DELETE ON appointments WHEN OLD.status = 'done'
BEGIN
    UPDATE patients SET (first_visit_on, last_visit_on, visit_days) =
        (SELECT substr(min(start), 1, 10), substr(max(start), 1, 10), count(DISTINCT substr(start, 1, 10))
         FROM appointments WHERE patient_id = OLD.patient_id AND +status = 'done')
    WHERE id = OLD.patient_id;
    DELETE FROM patient_treatments WHERE patient_id = OLD.patient_id;
    INSERT INTO patient_treatments (patient_id, treatment_code, done_visits)
        SELECT patient_id, treatment_code, count(*) FROM appointments
        WHERE patient_id = OLD.patient_id AND +status = 'done' AND treatment_code IS NOT NULL
        GROUP BY treatment_code;
END;

-- patients.last_kept_at and last_missed_at follow every appointment that is not cancelled.
CREATE TRIGGER appointments_latest_ai AFTER INSERT ON appointments WHEN NEW.status <> 'cancelled'
BEGIN
    UPDATE patients SET
        last_kept_at = (SELECT max(start) FROM appointments
                        WHERE patient_id = NEW.patient_id AND +status IN ('booked', 'arrived', 'done')),
        last_missed_at = (SELECT max(start) FROM appointments WHERE patient_id = NEW.patient_id AND +status = 'no_show')
    WHERE id = NEW.patient_id;
END;
CREATE TRIGGER appointments_latest_au AFTER UPDATE OF status, start, patient_id ON appointments
WHEN OLD.status <> 'cancelled' OR NEW.status <> 'cancelled'
BEGIN
    UPDATE patients SET
        last_kept_at = (SELECT max(a.start) FROM appointments a
                        WHERE a.patient_id = patients.id AND +a.status IN ('booked', 'arrived', 'done')),
        last_missed_at = (SELECT max(a.start) FROM appointments a WHERE a.patient_id = patients.id AND +a.status = 'no_show')
    WHERE id IN (OLD.patient_id, NEW.patient_id);
END;
CREATE TRIGGER appointments_latest_ad AFTER DELETE ON appointments WHEN OLD.status <> 'cancelled'
BEGIN
    UPDATE patients SET
        last_kept_at = (SELECT max(start) FROM appointments
                        WHERE patient_id = OLD.patient_id AND +status IN ('booked', 'arrived', 'done')),
        last_missed_at = (SELECT max(start) FROM appointments WHERE patient_id = OLD.patient_id AND +status = 'no_show')
    WHERE id = OLD.patient_id;
END;

-- appointments.rebooked. An appointment X can only change the flag of its own row (its start
-- and patient) and of the same patient's appointments from the day X was booked up to X's
-- start (X counts for those only), so each write recomputes a handful of rows.
CREATE TRIGGER appointments_rebooked_ai AFTER INSERT ON appointments
BEGIN
    UPDATE appointments SET rebooked = EXISTS (SELECT 1 FROM appointments n
            WHERE n.patient_id = appointments.patient_id AND n.start > appointments.start
              AND n.status <> 'cancelled' AND n.booked_at < date(appointments.start, '+1 day'))
    WHERE id = NEW.id;
    UPDATE appointments SET rebooked = EXISTS (SELECT 1 FROM appointments n
            WHERE n.patient_id = appointments.patient_id AND n.start > appointments.start
              AND n.status <> 'cancelled' AND n.booked_at < date(appointments.start, '+1 day'))
    WHERE patient_id = NEW.patient_id AND start >= substr(NEW.booked_at, 1, 10) AND start < NEW.start;
END;
CREATE TRIGGER appointments_rebooked_au AFTER UPDATE OF status, start, patient_id, booked_at ON appointments
WHEN OLD.start IS NOT NEW.start OR OLD.patient_id IS NOT NEW.patient_id OR OLD.booked_at IS NOT NEW.booked_at
    OR ((OLD.status = 'cancelled') <> (NEW.status = 'cancelled'))
BEGIN
    UPDATE appointments SET rebooked = EXISTS (SELECT 1 FROM appointments n
            WHERE n.patient_id = appointments.patient_id AND n.start > appointments.start
              AND n.status <> 'cancelled' AND n.booked_at < date(appointments.start, '+1 day'))
    WHERE id = NEW.id;
    UPDATE appointments SET rebooked = EXISTS (SELECT 1 FROM appointments n
            WHERE n.patient_id = appointments.patient_id AND n.start > appointments.start
              AND n.status <> 'cancelled' AND n.booked_at < date(appointments.start, '+1 day'))
    WHERE patient_id = NEW.patient_id AND start >= substr(NEW.booked_at, 1, 10) AND start < NEW.start;
    UPDATE appointments SET rebooked = EXISTS (SELECT 1 FROM appointments n
            WHERE n.patient_id = appointments.patient_id AND n.start > appointments.start
              AND n.status <> 'cancelled' AND n.booked_at < date(appointments.start, '+1 day'))
    WHERE patient_id = OLD.patient_id AND start >= substr(OLD.booked_at, 1, 10) AND start < OLD.start;
END;
CREATE TRIGGER appointments_rebooked_ad AFTER DELETE ON appointments
BEGIN
    UPDATE appointments SET rebooked = EXISTS (SELECT 1 FROM appointments n
            WHERE n.patient_id = appointments.patient_id AND n.start > appointments.start
              AND n.status <> 'cancelled' AND n.booked_at < date(appointments.start, '+1 day'))
    WHERE patient_id = OLD.patient_id AND start >= substr(OLD.booked_at, 1, 10) AND start < OLD.start;
END;

-- Every status change, so the desk can undo the last one.
CREATE TABLE appointment_status_changes (
    id              INTEGER PRIMARY KEY,
    appointment_id  INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    from_status     TEXT NOT NULL,
    to_status       TEXT NOT NULL,
    changed_at      TEXT NOT NULL,
    changed_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX appointment_status_changes_by_appointment
    ON appointment_status_changes(appointment_id, id);

CREATE TABLE complaints (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patients(id),
    raised_at        TEXT NOT NULL,
    category_code    TEXT NOT NULL REFERENCES complaint_categories(code),
    description      TEXT NOT NULL DEFAULT '',
    owner_id         INTEGER REFERENCES staff(id),
    plan             TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolved_at      TEXT,
    resolution       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaints_by_patient ON complaints(patient_id, raised_at);
CREATE INDEX complaints_by_status ON complaints(status, raised_at);
CREATE INDEX complaints_by_raised ON complaints(raised_at);

CREATE TABLE consultations (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    consulted_at    TEXT NOT NULL,
    treatment_code  TEXT REFERENCES treatments(code),
    quoted_krw      INTEGER CHECK (quoted_krw >= 0),
    offered_krw     INTEGER CHECK (offered_krw >= 0),
    status          TEXT NOT NULL DEFAULT 'undecided' CHECK (status IN
                        ('accepted', 'undecided', 'declined')),
    decided_at      TEXT,
    recall_on       TEXT,
    circumstances   TEXT NOT NULL DEFAULT '',
    reaction        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consultations_by_patient ON consultations(patient_id, consulted_at);
CREATE INDEX consultations_by_consulted ON consultations(consulted_at);

-- Packages and courses sold (for "course unfinished" and revenue).
CREATE TABLE packages (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    treatment_code  TEXT NOT NULL REFERENCES treatments(code),
    sessions        INTEGER NOT NULL CHECK (sessions > 0),
    price_krw       INTEGER NOT NULL DEFAULT 0 CHECK (price_krw >= 0),
    purchased_on    TEXT NOT NULL
);
CREATE INDEX packages_by_patient ON packages(patient_id, purchased_on);

CREATE TABLE callbacks (
    id               INTEGER PRIMARY KEY,
    -- The patient to call; NULL for a caller who is not a patient yet (no chart number until
    -- booked or seen): then `inquiry_id` is the call they made, with their name and phone.
    patient_id       INTEGER REFERENCES patients(id),
    inquiry_id       INTEGER REFERENCES inquiries(id),
    kind             TEXT NOT NULL CHECK (kind IN
                         ('prospect', 'reminder', 'no_show', 'happy_call', 'recall')),
    due_on           TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    outcome          TEXT CHECK (outcome IN
                         ('booked', 'accepted', 'declined', 'unreachable', 'done')),
    owner_id         INTEGER REFERENCES staff(id),
    consultation_id  INTEGER REFERENCES consultations(id),
    appointment_id   INTEGER REFERENCES appointments(id),
    created_at       TEXT NOT NULL,
    closed_at        TEXT,
    note             TEXT NOT NULL DEFAULT '',
    CHECK (patient_id IS NOT NULL OR inquiry_id IS NOT NULL)
);
-- One open callback per patient and kind: a new one merges into the open one.
CREATE UNIQUE INDEX callbacks_one_open ON callbacks(patient_id, kind) WHERE status = 'open';
-- The open queue and its counters in due order; covering for the Callbacks tab's queue
-- entries (kind and owner for its filters), so building the queue reads no table rows. Not
-- patient_id: with it, "this patient's open callbacks" (Today's list) walks every open
-- callback through this index instead of callbacks_by_patient.
CREATE INDEX callbacks_by_status_due ON callbacks(status, due_on, kind, owner_id);
CREATE INDEX callbacks_by_due ON callbacks(due_on);
-- A patient's callbacks, open and closed (patient card, Today).
CREATE INDEX callbacks_by_patient ON callbacks(patient_id, due_on);
-- A caller's callbacks (no patient yet): linked to the patient when the inquiry is booked.
CREATE INDEX callbacks_by_inquiry ON callbacks(inquiry_id) WHERE inquiry_id IS NOT NULL;
-- An appointment's callbacks: the automatic rules' "reminder or happy call made for it yet?"
-- (one look-up per appointment of tomorrow and of the last days) and the foreign key check
-- when an appointment is deleted.
CREATE INDEX callbacks_by_appointment ON callbacks(appointment_id, kind) WHERE appointment_id IS NOT NULL;
-- Closed this month (conversion counter), covering it.
CREATE INDEX callbacks_by_closed ON callbacks(closed_at, kind, outcome);

CREATE TABLE callback_contacts (
    id            INTEGER PRIMARY KEY,
    callback_id   INTEGER NOT NULL REFERENCES callbacks(id) ON DELETE CASCADE,
    contacted_at  TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('phone', 'sms', 'kakao', 'in_person')),
    reached       INTEGER NOT NULL DEFAULT 1 CHECK (reached IN (0, 1)),
    reaction      TEXT NOT NULL DEFAULT '',
    next_plan     TEXT NOT NULL DEFAULT '',
    by_staff      TEXT NOT NULL DEFAULT '',
    -- 만족도: the score the patient gave on this call (1-5), when asked.
    satisfaction  INTEGER CHECK (satisfaction BETWEEN 1 AND 5)
);
CREATE INDEX callback_contacts_by_callback ON callback_contacts(callback_id, contacted_at);
CREATE INDEX callback_contacts_by_time ON callback_contacts(contacted_at);

CREATE TABLE inquiries (
    id                INTEGER PRIMARY KEY,
    received_at       TEXT NOT NULL,
    caller_name       TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    phone_digits      TEXT NOT NULL DEFAULT '',
    patient_id        INTEGER REFERENCES patients(id),
    contact_channel   TEXT NOT NULL DEFAULT 'phone',
    topic_code        TEXT REFERENCES treatments(code),
    -- Comma-separated question kinds: price,method,duration,insurance,hours,other.
    questions         TEXT NOT NULL DEFAULT '',
    referral_source   TEXT REFERENCES referral_sources(code),
    referral_channel  TEXT REFERENCES referral_channels(code),
    referrer_id       INTEGER REFERENCES patients(id),
    outcome           TEXT NOT NULL DEFAULT 'info' CHECK (outcome IN ('info', 'callback', 'booked')),
    callback_on       TEXT,
    appointment_id    INTEGER REFERENCES appointments(id),
    note              TEXT NOT NULL DEFAULT '',
    taken_by          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inquiries_by_received ON inquiries(received_at);
CREATE INDEX inquiries_by_patient ON inquiries(patient_id, received_at);
CREATE INDEX inquiries_by_phone ON inquiries(phone_digits);

CREATE TABLE objectives (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL CHECK (length(title) > 0),
    from_date  TEXT NOT NULL,
    to_date    TEXT NOT NULL CHECK (to_date >= from_date),
    sort       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE key_results (
    id            INTEGER PRIMARY KEY,
    objective_id  INTEGER NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,
    title         TEXT NOT NULL CHECK (length(title) > 0),
    metric        TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('at_least', 'at_most')),
    target        REAL NOT NULL,
    baseline      REAL,
    unit          TEXT NOT NULL DEFAULT '',
    owner         TEXT NOT NULL DEFAULT '',
    sort          INTEGER NOT NULL DEFAULT 0,
    -- 'month': judged on the current month's value; 'period': over the whole period.
    cadence       TEXT NOT NULL DEFAULT 'period' CHECK (cadence IN ('period', 'month'))
);
CREATE INDEX key_results_by_objective ON key_results(objective_id, sort);

-- 실천 과업: the action items under a key result.
CREATE TABLE key_result_actions (
    id             INTEGER PRIMARY KEY,
    key_result_id  INTEGER NOT NULL REFERENCES key_results(id) ON DELETE CASCADE,
    body           TEXT NOT NULL,
    owner          TEXT NOT NULL DEFAULT '',
    sort           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE checkins (
    id             INTEGER PRIMARY KEY,
    key_result_id  INTEGER NOT NULL REFERENCES key_results(id) ON DELETE CASCADE,
    on_date        TEXT NOT NULL,
    value          REAL NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
CREATE INDEX checkins_by_key_result ON checkins(key_result_id, on_date);

CREATE TABLE huddles (
    id          INTEGER PRIMARY KEY,
    held_on     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    length_sec  INTEGER NOT NULL DEFAULT 0,
    notes       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX huddles_by_day ON huddles(held_on);

CREATE TABLE huddle_actions (
    id          INTEGER PRIMARY KEY,
    huddle_id   INTEGER REFERENCES huddles(id),
    patient_id  INTEGER NOT NULL REFERENCES patients(id),
    action      TEXT NOT NULL CHECK (length(action) > 0),
    owner       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    done_at     TEXT
);
CREATE INDEX huddle_actions_open ON huddle_actions(patient_id) WHERE done_at IS NULL;
CREATE INDEX huddle_actions_by_huddle ON huddle_actions(huddle_id);

-- Who did what, chained by hash so that edits made outside the app show up in `check`.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    os_user      TEXT NOT NULL,
    staff        TEXT NOT NULL DEFAULT '',
    ssh_client   TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    INTEGER,
    patient_id   INTEGER,
    detail       TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_by_patient ON audit_log(patient_id) WHERE patient_id IS NOT NULL;

-- Forms being filled: restored after a crash; never in the real tables until saved.
-- Forms being filled, one row per terminal session and form (store::drafts). A session is
-- one run of the app; it holds an advisory lock on `<db>-sessions/<session>` while it runs,
-- so a draft whose session's lock is free was left by a terminal that hung up (pid and host
-- are the fallback when there is no lock file).
CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    session     TEXT NOT NULL,
    os_user     TEXT NOT NULL,
    host        TEXT NOT NULL DEFAULT '',
    pid         INTEGER NOT NULL DEFAULT 0,
    form        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (session, form)
);
CREATE INDEX drafts_by_user ON drafts(os_user, updated_at);

-- Tamper evidence. Triggers on every other table bump `changes` on each row written, by the
-- app or by anyone with the sqlite3 shell; each transaction the app commits seals the count
-- together with the audit chain's head. `frontdesk check` recomputes the seal: a change made
-- outside the app leaves the count ahead of the seal.
CREATE TABLE integrity (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    changes  INTEGER NOT NULL,
    seal     TEXT NOT NULL
);
INSERT INTO integrity (id, changes, seal) VALUES (1, 0, '');
