-- frontdesk schema, version 5: money at the desk (issue 21, second part).

-- A key result aimed at one treatment, one provider (a staff name: who treated, sold or
-- consulted), one payment category or one referral source. NULL: not narrowed.
ALTER TABLE key_results ADD COLUMN filter_treatment TEXT;
ALTER TABLE key_results ADD COLUMN filter_provider TEXT;
ALTER TABLE key_results ADD COLUMN filter_category TEXT;
ALTER TABLE key_results ADD COLUMN filter_source TEXT;

-- Per-day payment totals by category, treatment and provider. Derived: payments are never
-- edited nor deleted, so one insert trigger keeps it exact (a bulk load fills it in one
-- grouped pass, store::bulk). Revenue over a period is then a read of a few rows per day
-- instead of every payment of the period (the board and the huddle after a change).
CREATE TABLE payment_days (
    day             TEXT NOT NULL,
    category        TEXT NOT NULL,
    treatment_code  TEXT NOT NULL DEFAULT '',
    provider_id     INTEGER NOT NULL DEFAULT 0,
    amount_krw      INTEGER NOT NULL DEFAULT 0,
    payments        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, category, treatment_code, provider_id)
) WITHOUT ROWID;
INSERT INTO payment_days (day, category, treatment_code, provider_id, amount_krw, payments)
    SELECT substr(paid_at, 1, 10), category, coalesce(treatment_code, ''), coalesce(provider_id, 0),
           sum(amount_krw), count(*)
    FROM payments GROUP BY 1, 2, 3, 4;
CREATE TRIGGER payments_by_day AFTER INSERT ON payments
BEGIN
    INSERT INTO payment_days (day, category, treatment_code, provider_id, amount_krw, payments)
    VALUES (substr(NEW.paid_at, 1, 10), NEW.category, coalesce(NEW.treatment_code, ''),
            coalesce(NEW.provider_id, 0), NEW.amount_krw, 1)
    ON CONFLICT (day, category, treatment_code, provider_id) DO UPDATE
        SET amount_krw = amount_krw + excluded.amount_krw, payments = payments + 1;
END;

-- Packages: who sold them, a note, and the payment taken when sold at the desk.
ALTER TABLE packages ADD COLUMN provider_id INTEGER REFERENCES staff(id);
ALTER TABLE packages ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE packages ADD COLUMN payment_id INTEGER REFERENCES payments(id);
CREATE INDEX packages_by_purchased ON packages(purchased_on);

-- The sessions used: one row per done visit that used a session of a package (the oldest
-- open package of the visit's treatment). Undoing the done deletes the row.
CREATE TABLE package_sessions (
    appointment_id  INTEGER PRIMARY KEY REFERENCES appointments(id),
    package_id      INTEGER NOT NULL REFERENCES packages(id)
);
CREATE INDEX package_sessions_by_package ON package_sessions(package_id);

-- Sticker suggestions the desk dismissed: not suggested again.
CREATE TABLE sticker_dismissals (
    patient_id    INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    tag           TEXT NOT NULL,
    dismissed_at  TEXT NOT NULL,
    dismissed_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (patient_id, tag)
) WITHOUT ROWID;

-- A visit marked done uses a session of the patient's oldest package of its treatment bought
-- by the visit's day with sessions left; undoing the done (any change away from done) gives
-- it back. In the status change's own transaction, whichever path made it (the desk, an
-- import, an undo).
CREATE TRIGGER appointments_use_package_session AFTER UPDATE OF status ON appointments
WHEN NEW.status = 'done' AND OLD.status <> 'done' AND NEW.treatment_code IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO package_sessions (appointment_id, package_id)
    SELECT NEW.id, k.id FROM packages k
    WHERE k.patient_id = NEW.patient_id AND k.treatment_code = NEW.treatment_code
      AND k.purchased_on < date(NEW.start, '+1 day')
      AND (SELECT count(*) FROM package_sessions s WHERE s.package_id = k.id) < k.sessions
    ORDER BY k.purchased_on, k.id LIMIT 1;
END;
CREATE TRIGGER appointments_inserted_done_use_package_session AFTER INSERT ON appointments
WHEN NEW.status = 'done' AND NEW.treatment_code IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO package_sessions (appointment_id, package_id)
    SELECT NEW.id, k.id FROM packages k
    WHERE k.patient_id = NEW.patient_id AND k.treatment_code = NEW.treatment_code
      AND k.purchased_on < date(NEW.start, '+1 day')
      AND (SELECT count(*) FROM package_sessions s WHERE s.package_id = k.id) < k.sessions
    ORDER BY k.purchased_on, k.id LIMIT 1;
END;
CREATE TRIGGER appointments_give_package_session_back AFTER UPDATE OF status ON appointments
WHEN OLD.status = 'done' AND NEW.status <> 'done'
BEGIN
    DELETE FROM package_sessions WHERE appointment_id = NEW.id;
END;
