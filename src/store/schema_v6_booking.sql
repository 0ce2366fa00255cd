-- Issue 19: why a visit was cancelled or missed. The reason code (domain::StatusReason:
-- reschedule, better, cost, other_clinic, unreachable, other) and an optional note go with
-- the status change, so undoing the change takes them away with it.
ALTER TABLE appointment_status_changes ADD COLUMN reason TEXT;
ALTER TABLE appointment_status_changes ADD COLUMN note TEXT NOT NULL DEFAULT '';
