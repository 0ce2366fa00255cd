-- frontdesk schema, version 8: a package session given back goes to the visit that found the
-- package full.
--
-- Undoing a done visit gave its session back to the package, but a later done visit of the
-- same patient and treatment, marked while the package was full, still used none: the package
-- showed a session left though every visit since the sale but one was counted. The session
-- given back now goes to the earliest such visit (done, since the sale, using no session), as
-- if the undone visit had never been marked. In the status change's own transaction.
DROP TRIGGER IF EXISTS appointments_give_package_session_back;
CREATE TRIGGER appointments_give_package_session_back AFTER UPDATE OF status ON appointments
WHEN OLD.status = 'done' AND NEW.status <> 'done'
BEGIN
    DELETE FROM package_sessions WHERE appointment_id = NEW.id;
    INSERT OR IGNORE INTO package_sessions (appointment_id, package_id)
    SELECT a.id, k.id FROM appointments a
    JOIN packages k ON k.patient_id = a.patient_id AND k.treatment_code = a.treatment_code
    WHERE a.patient_id = NEW.patient_id AND a.treatment_code = NEW.treatment_code AND a.status = 'done'
      AND k.purchased_on < date(a.start, '+1 day')
      AND NOT EXISTS (SELECT 1 FROM package_sessions s WHERE s.appointment_id = a.id)
      AND (SELECT count(*) FROM package_sessions s WHERE s.package_id = k.id) < k.sessions
    ORDER BY a.start, k.purchased_on, k.id LIMIT 1;
END;
