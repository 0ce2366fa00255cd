-- frontdesk schema, version 3: payments (수납, issue 21).

-- One row per payment taken at the desk or imported from the EMR. Rows are never edited nor
-- deleted: a refund or a correction is a new row with a negative (or further) amount and a
-- reason, pointing at the row it corrects when there is one. Money in whole won.
CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    paid_at         TEXT NOT NULL,
    amount_krw      INTEGER NOT NULL CHECK (amount_krw <> 0),
    category        TEXT NOT NULL CHECK (category IN ('covered', 'non_covered', 'car_insurance', 'other')),
    treatment_code  TEXT REFERENCES treatments(code),
    provider_id     INTEGER REFERENCES staff(id),
    appointment_id  INTEGER REFERENCES appointments(id),
    corrects_id     INTEGER REFERENCES payments(id),
    reason          TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL DEFAULT '',
    -- A refund or correction says why.
    CHECK (amount_krw > 0 OR length(reason) > 0)
);
-- Revenue by period and category is a read of this index alone.
CREATE INDEX payments_by_paid ON payments(paid_at, category, amount_krw, treatment_code, provider_id);
CREATE INDEX payments_by_patient ON payments(patient_id, paid_at);
CREATE INDEX payments_by_appointment ON payments(appointment_id) WHERE appointment_id IS NOT NULL;

CREATE TRIGGER payments_never_edited BEFORE UPDATE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are never edited: record a correction instead');
END;
CREATE TRIGGER payments_never_deleted BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'payments are never deleted: record a correction instead');
END;
