//! One insert per table, from plain rows.

use super::*;

/// Prepares `sql` once and runs it for each row (`put` binds the row), counting the rows and
/// reporting progress as `what`.
fn insert_each<R>(
    conn: &Connection,
    what: &str,
    sql: &str,
    rows: impl IntoIterator<Item = R>,
    mut put: impl FnMut(&mut rusqlite::Statement<'_>, R) -> Result<()>,
) -> Result<usize> {
    let mut stmt = conn.prepare(sql)?;
    let mut n = 0;
    for r in rows {
        put(&mut stmt, r)?;
        n += 1;
        super::progress(what, n);
    }
    Ok(n)
}

pub fn insert_staff<'a>(conn: &Connection, rows: impl IntoIterator<Item = StaffRow<'a>>) -> Result<usize> {
    insert_each(
        conn,
        "staff",
        "INSERT INTO staff (id, name, role, active, sort) VALUES (?1, ?2, ?3, 1, ?4)",
        rows,
        |stmt, r| {
            stmt.execute(params![r.id, clean(r.name), r.role.code(), r.sort])?;
            Ok(())
        },
    )
}

/// Patients; `name_initials` and `phone_digits` are derived here.
pub fn insert_patients<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = PatientRow<'a>>,
) -> Result<usize> {
    insert_each(
        conn,
        "patients",
        "INSERT INTO patients (id, chart_no, name, name_initials, phone, phone_digits, birth_date, sex,
                               referral_source, referral_channel, referrer_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        rows,
        |stmt, r| {
            let name = text::clean_line(r.name);
            let phone_text = text::clean_line(r.phone);
            let birth = r.birth_date.map(DateText::new);
            stmt.execute(params![
                r.id,
                text::chart_no(r.chart_no),
                name,
                text::initials(&name),
                phone_text,
                phone::digits_of(&phone_text),
                birth.as_ref().map(|d| d.as_str()),
                r.sex.map(|s| s.code()),
                r.referral_source,
                r.referral_channel,
                r.referrer_id,
                TimeText::new(r.created_at).as_str(),
            ])?;
            Ok(())
        },
    )
}

pub fn insert_tags(conn: &Connection, rows: impl IntoIterator<Item = TagRow>) -> Result<usize> {
    insert_each(
        conn,
        "tags",
        "INSERT INTO patient_tags (patient_id, tag, tagged_at) VALUES (?1, ?2, ?3)",
        rows,
        |stmt, r| {
            stmt.execute(params![r.patient_id, r.tag.code(), TimeText::new(r.tagged_at).as_str()])?;
            Ok(())
        },
    )
}

pub fn insert_notes<'a>(conn: &Connection, rows: impl IntoIterator<Item = NoteRow<'a>>) -> Result<usize> {
    insert_each(
        conn,
        "notes",
        "INSERT INTO notes (id, patient_id, body, author, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        rows,
        |stmt, r| {
            stmt.execute(params![
                r.id,
                r.patient_id,
                clean(r.body),
                clean(r.author),
                TimeText::new(r.created_at).as_str()
            ])?;
            Ok(())
        },
    )
}

pub fn insert_appointments<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = AppointmentRow<'a>>,
) -> Result<usize> {
    insert_each(
        conn,
        "appointments",
        "INSERT INTO appointments (id, patient_id, start, duration_min, provider_id, treatment_code, status,
                                   confirmed_at, booked_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rows,
        |stmt, r| {
            let confirmed = time_opt(r.confirmed_at);
            stmt.execute(params![
                r.id,
                r.patient_id,
                TimeText::new(r.start).as_str(),
                r.duration_min,
                r.provider_id,
                r.treatment_code,
                r.status.code(),
                confirmed.as_ref().map(|t| t.as_str()),
                TimeText::new(r.booked_at).as_str(),
                TimeText::new(r.updated_at).as_str(),
            ])?;
            Ok(())
        },
    )
}

pub fn insert_status_changes<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = StatusChangeRow<'a>>,
) -> Result<usize> {
    insert_each(conn, "status_changes", "INSERT INTO appointment_status_changes (id, appointment_id, from_status, to_status, changed_at, changed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)", rows, |stmt, r| {
        stmt.execute(params![
            r.id,
            r.appointment_id,
            r.from.code(),
            r.to.code(),
            TimeText::new(r.changed_at).as_str(),
            clean(r.changed_by)
        ])?;
        Ok(())
    })
}

pub fn insert_complaints<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = ComplaintRow<'a>>,
) -> Result<usize> {
    insert_each(conn, "complaints", "INSERT INTO complaints (id, patient_id, raised_at, category_code, description, owner_id, plan, status,
                                 resolved_at, resolution)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", rows, |stmt, r| {
        let resolved = time_opt(r.resolved_at);
        stmt.execute(params![
            r.id,
            r.patient_id,
            TimeText::new(r.raised_at).as_str(),
            r.category_code,
            clean(r.description),
            r.owner_id,
            clean(r.plan),
            if r.resolved_at.is_some() { "resolved" } else { "open" },
            resolved.as_ref().map(|t| t.as_str()),
            clean(r.resolution),
        ])?;
        Ok(())
    })
}

pub fn insert_consultations<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = ConsultationRow<'a>>,
) -> Result<usize> {
    insert_each(conn, "consultations", "INSERT INTO consultations (id, patient_id, consulted_at, treatment_code, quoted_krw, offered_krw, status,
                                    decided_at, recall_on, circumstances, reaction)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", rows, |stmt, r| {
        let decided = time_opt(r.decided_at);
        let recall = r.recall_on.map(DateText::new);
        stmt.execute(params![
            r.id,
            r.patient_id,
            TimeText::new(r.consulted_at).as_str(),
            r.treatment_code,
            r.quoted_krw,
            r.offered_krw,
            r.status.code(),
            decided.as_ref().map(|t| t.as_str()),
            recall.as_ref().map(|d| d.as_str()),
            clean(r.circumstances),
            clean(r.reaction),
        ])?;
        Ok(())
    })
}

pub fn insert_packages<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = PackageRow<'a>>,
) -> Result<usize> {
    insert_each(
        conn,
        "packages",
        "INSERT INTO packages (id, patient_id, treatment_code, sessions, price_krw, purchased_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rows,
        |stmt, r| {
            stmt.execute(params![
                r.id,
                r.patient_id,
                r.treatment_code,
                r.sessions,
                r.price_krw,
                DateText::new(r.purchased_on).as_str()
            ])?;
            Ok(())
        },
    )
}

pub fn insert_payments<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = PaymentRow<'a>>,
) -> Result<usize> {
    insert_each(
        conn,
        "payments",
        "INSERT INTO payments (id, patient_id, paid_at, amount_krw, category, treatment_code, provider_id,
                               appointment_id, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?3, ?9)",
        rows,
        |stmt, r| {
            stmt.execute(params![
                r.id,
                r.patient_id,
                TimeText::new(r.paid_at).as_str(),
                r.amount_krw,
                r.category.code(),
                r.treatment_code,
                r.provider_id,
                r.appointment_id,
                clean(r.recorded_by),
            ])?;
            Ok(())
        },
    )
}

pub fn insert_callbacks<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = CallbackRow<'a>>,
) -> Result<usize> {
    insert_each(
        conn,
        "callbacks",
        "INSERT INTO callbacks (id, patient_id, kind, due_on, status, outcome, owner_id, consultation_id,
                                appointment_id, created_at, closed_at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        rows,
        |stmt, r| {
            let closed_at = r.closed.map(|(_, t)| TimeText::new(t));
            stmt.execute(params![
                r.id,
                r.patient_id,
                r.kind.code(),
                DateText::new(r.due_on).as_str(),
                if r.closed.is_some() { "closed" } else { "open" },
                r.closed.map(|(o, _)| o.code()),
                r.owner_id,
                r.consultation_id,
                r.appointment_id,
                TimeText::new(r.created_at).as_str(),
                closed_at.as_ref().map(|t| t.as_str()),
                clean(r.note),
            ])?;
            Ok(())
        },
    )
}

pub fn insert_contacts<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = ContactRow<'a>>,
) -> Result<usize> {
    insert_each(conn, "contacts", "INSERT INTO callback_contacts (id, callback_id, contacted_at, channel, reached, reaction, next_plan, by_staff)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", rows, |stmt, r| {
        stmt.execute(params![
            r.id,
            r.callback_id,
            TimeText::new(r.contacted_at).as_str(),
            r.channel.code(),
            r.reached,
            clean(r.reaction),
            clean(r.next_plan),
            clean(r.by_staff),
        ])?;
        Ok(())
    })
}

/// Inquiries; `phone_digits` is derived here.
pub fn insert_inquiries<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = InquiryRow<'a>>,
) -> Result<usize> {
    insert_each(conn, "inquiries", "INSERT INTO inquiries (id, received_at, caller_name, phone, phone_digits, patient_id, contact_channel,
                                topic_code, questions, referral_source, referral_channel, referrer_id, outcome,
                                callback_on, appointment_id, note, taken_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)", rows, |stmt, r| {
        let phone_text = clean(r.phone);
        let callback_on = r.callback_on.map(DateText::new);
        stmt.execute(params![
            r.id,
            TimeText::new(r.received_at).as_str(),
            clean(r.caller_name),
            phone_text,
            phone::digits_of(&phone_text),
            r.patient_id,
            r.contact_channel,
            r.topic_code,
            r.questions,
            r.referral_source,
            r.referral_channel,
            r.referrer_id,
            r.outcome.code(),
            callback_on.as_ref().map(|d| d.as_str()),
            r.appointment_id,
            clean(r.note),
            clean(r.taken_by),
        ])?;
        Ok(())
    })
}

pub fn insert_huddles<'a>(conn: &Connection, rows: impl IntoIterator<Item = HuddleRow<'a>>) -> Result<usize> {
    insert_each(
        conn,
        "huddles",
        "INSERT INTO huddles (id, held_on, started_at, length_sec, notes) VALUES (?1, ?2, ?3, ?4, ?5)",
        rows,
        |stmt, r| {
            stmt.execute(params![
                r.id,
                DateText::new(r.held_on).as_str(),
                TimeText::new(r.started_at).as_str(),
                r.length_sec,
                clean(r.notes)
            ])?;
            Ok(())
        },
    )
}

pub fn insert_huddle_actions<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = HuddleActionRow<'a>>,
) -> Result<usize> {
    insert_each(
        conn,
        "huddle_actions",
        "INSERT INTO huddle_actions (id, huddle_id, patient_id, action, owner, created_at, done_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rows,
        |stmt, r| {
            let done = time_opt(r.done_at);
            stmt.execute(params![
                r.id,
                r.huddle_id,
                r.patient_id,
                clean(r.action),
                clean(r.owner),
                TimeText::new(r.created_at).as_str(),
                done.as_ref().map(|t| t.as_str()),
            ])?;
            Ok(())
        },
    )
}

pub fn insert_checkins<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = CheckinRow<'a>>,
) -> Result<usize> {
    insert_each(
        conn,
        "checkins",
        "INSERT INTO checkins (key_result_id, on_date, value, comment, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        rows,
        |stmt, r| {
            stmt.execute(params![
                r.key_result_id,
                DateText::new(r.on_date).as_str(),
                r.value,
                clean(r.comment),
                TimeText::new(r.created_at).as_str()
            ])?;
            Ok(())
        },
    )
}
