//! Callbacks in the simulation: opened (one open per patient and kind), attempted,
//! retried and closed, as the desk works the queue.

use super::*;

impl Sim {
    /// Opens a callback unless one of the same kind is already open for the patient (a new
    /// one would merge into it), and plans the first attempt.
    pub(super) fn open_callback(
        &mut self,
        p: u32,
        kind: CallbackKind,
        due: i32,
        created: Stamp,
        about: About,
        note: &'static str,
    ) -> Option<u32> {
        let (consultation, appointment) = match about {
            About::Nothing => (None, None),
            About::Consultation(c) => (Some(c), None),
            About::Appointment(a) => (None, Some(a)),
        };
        if self.open_callbacks.contains_key(&(p, kind)) {
            return None;
        }
        let created = created.min(self.now());
        let id = self.clinic.callbacks.len() as u32;
        let owner = self.desk_member();
        self.clinic.callbacks.push(Callback {
            patient: p,
            kind,
            due,
            created,
            owner,
            consultation,
            appointment,
            closed: None,
            note,
            attempts: 0,
        });
        self.open_callbacks.insert((p, kind), id);
        // Most calls are made on the day they are due; some slip.
        let late = if kind != CallbackKind::Reminder && self.rng.chance(0.22) {
            self.rng.range(1, 3) as i32
        } else {
            0
        };
        let attempt_day = self.clinic.cal.next_open(due.max(day_of(created)) + late);
        let (from, to) = match kind {
            CallbackKind::Reminder => (14 * 60, 18 * 60 + 30),
            CallbackKind::HappyCall => (10 * 60 + 30, 17 * 60),
            _ => (10 * 60, 18 * 60),
        };
        let minute = self.rng.range(from, to);
        self.schedule_attempt(id, attempt_day, minute, created);
        Some(id)
    }

    pub(super) fn schedule_attempt(&mut self, cb: u32, d: i32, minute: i64, not_before: Stamp) {
        if !self.running {
            return;
        }
        let minute =
            if d == day_of(not_before) { minute.max((not_before - stamp(d, 0)) / MIN + 5) } else { minute };
        if d < self.current_day {
            return;
        }
        if d == self.current_day && self.events_done {
            // Planned for later today, after the events of the day were run: run it now.
            self.attempt(cb, d, minute);
        } else {
            self.push_event(d, minute, Event::Attempt(cb));
        }
    }

    pub(super) fn close_callback(&mut self, cb: u32, outcome: CallbackOutcome, at: Stamp) {
        let c = &mut self.clinic.callbacks[cb as usize];
        c.closed = Some((outcome, at));
        let key = (c.patient, c.kind);
        self.open_callbacks.remove(&key);
    }

    pub(super) fn contact_channel(&mut self, kind: CallbackKind) -> ContactChannel {
        let weights: &[u32] = match kind {
            CallbackKind::Reminder => &[45, 25, 30, 0],
            CallbackKind::Prospect => &[70, 5, 17, 8],
            _ => &[66, 14, 17, 3],
        };
        match self.rng.weighted(weights) {
            0 => ContactChannel::Phone,
            1 => ContactChannel::Sms,
            2 => ContactChannel::Kakao,
            _ => ContactChannel::InPerson,
        }
    }

    pub(super) fn attempt(&mut self, cb: u32, d: i32, minute: i64) {
        if self.clinic.callbacks[cb as usize].closed.is_some() {
            return;
        }
        let at = stamp(d, minute) + self.rng.below(60) as i64;
        if at > self.now() {
            return;
        }
        let kind = self.clinic.callbacks[cb as usize].kind;
        let p = self.clinic.callbacks[cb as usize].patient;
        self.clinic.callbacks[cb as usize].attempts += 1;
        let attempts = self.clinic.callbacks[cb as usize].attempts;
        let channel = self.contact_channel(kind);
        let by = self.desk_member();
        let reached = self.rng.chance(0.78);
        if !reached {
            let reaction = *self.rng.pick(texts::UNREACHED);
            let next_plan = *self.rng.pick(texts::UNREACHED_PLAN);
            self.clinic.contacts.push(Contact {
                callback: cb,
                at,
                channel,
                reached: false,
                reaction,
                next_plan,
                by,
            });
            // A reminder is not chased into the day of the appointment itself.
            if attempts >= 3 || kind == CallbackKind::Reminder {
                self.close_callback(cb, CallbackOutcome::Unreachable, at);
                self.lapse_after_callback(p, kind, d);
            } else {
                let next = self.clinic.cal.next_open(d + 1);
                self.retry(cb, next);
            }
            return;
        }
        let (reactions, plans) = texts::contact_reached(kind.code());
        let mut reaction = *self.rng.pick(reactions);
        let mut next_plan = *self.rng.pick(plans);
        let outcome: Option<CallbackOutcome> = match kind {
            CallbackKind::Prospect => {
                let consultation = self.clinic.callbacks[cb as usize].consultation;
                let roll = self.rng.unit();
                if roll < 0.36 {
                    reaction = "결정, 다음 주부터 시작하기로";
                    next_plan = "첫 치료 예약";
                    if let Some(c) = consultation {
                        self.decide(c, ConsultationStatus::Accepted, at);
                    }
                    Some(CallbackOutcome::Accepted)
                } else if roll < 0.62 {
                    reaction = "이번에는 안 하기로 함";
                    next_plan = "";
                    if let Some(c) = consultation {
                        self.decide(c, ConsultationStatus::Declined, at);
                    }
                    Some(CallbackOutcome::Declined)
                } else if attempts < 3 {
                    let next = self.clinic.cal.next_open(d + 7);
                    self.retry(cb, next);
                    None
                } else {
                    Some(CallbackOutcome::Done)
                }
            }
            CallbackKind::Reminder => {
                let appointment = self.clinic.callbacks[cb as usize].appointment;
                if self.rng.chance(0.9) {
                    if let Some(a) = appointment {
                        let appt = &mut self.clinic.appointments[a as usize];
                        appt.confirmed_at.get_or_insert(at);
                        appt.updated_at = appt.updated_at.max(at);
                    }
                    Some(CallbackOutcome::Done)
                } else {
                    reaction = "일이 생겨 못 온다고 함";
                    if let Some(a) = appointment {
                        self.clinic.appointments[a as usize].cancel_at = Some(at);
                    }
                    if self.rng.chance(0.6) {
                        next_plan = "다른 날로 예약 변경";
                        let treatment = self.episode_treatment(p);
                        let from = d + self.rng.range(2, 6) as i32;
                        if self.clinic.patients[p as usize].pending == appointment {
                            self.clinic.patients[p as usize].pending = None;
                        }
                        self.book(p, from, treatment, at, false);
                        Some(CallbackOutcome::Booked)
                    } else {
                        next_plan = "다시 연락 주기로";
                        Some(CallbackOutcome::Declined)
                    }
                }
            }
            CallbackKind::NoShow => {
                let roll = self.rng.unit();
                if roll < 0.72 && self.clinic.patients[p as usize].pending.is_none() {
                    let treatment = self.episode_treatment(p);
                    let from = d + self.rng.range(1, 5) as i32;
                    self.book(p, from, treatment, at, false);
                    Some(CallbackOutcome::Booked)
                } else if roll < 0.86 {
                    reaction = "당분간 못 온다고 함";
                    next_plan = "";
                    self.lapse_after_callback(p, kind, d);
                    Some(CallbackOutcome::Declined)
                } else {
                    self.lapse_after_callback(p, kind, d);
                    Some(CallbackOutcome::Done)
                }
            }
            CallbackKind::HappyCall => {
                if self.rng.chance(0.03) {
                    reaction = "시술 부위가 아프다고 함";
                    next_plan = "원장님께 전달, 다음 내원 때 확인";
                    let category = self.category_for(self.episode_treatment(p), true);
                    self.complain(p, at, category);
                } else if self.rng.chance(0.08) {
                    self.clinic.tags.entry((p, Tag::Satisfied)).or_insert(at);
                }
                Some(CallbackOutcome::Done)
            }
            CallbackKind::Recall => {
                let roll = self.rng.unit();
                if roll < 0.42 && self.clinic.patients[p as usize].pending.is_none() {
                    reaction = "예약 원함";
                    let last = self.clinic.patients[p as usize].last_treatment;
                    let treatment = if self.rng.chance(0.6) { last } else { self.pick_episode_treatment() };
                    self.start_episode(p, treatment, None);
                    let from = d + self.rng.range(1, 8) as i32;
                    self.book(p, from, treatment, at, false);
                    Some(CallbackOutcome::Booked)
                } else if roll < 0.75 {
                    Some(CallbackOutcome::Declined)
                } else {
                    Some(CallbackOutcome::Done)
                }
            }
        };
        self.clinic.contacts.push(Contact {
            callback: cb,
            at,
            channel,
            reached: true,
            reaction,
            next_plan,
            by,
        });
        if let Some(outcome) = outcome {
            self.close_callback(cb, outcome, at);
        }
    }

    /// The call sets the next date: the callback is due again then.
    pub(super) fn retry(&mut self, cb: u32, next: i32) {
        self.clinic.callbacks[cb as usize].due = next;
        let minute = self.rng.range(10 * 60, 18 * 60);
        self.push_event(next, minute, Event::Attempt(cb));
    }

    /// After a failed no-show call the patient may still come back some day, or be recalled.
    pub(super) fn lapse_after_callback(&mut self, p: u32, kind: CallbackKind, d: i32) {
        if kind != CallbackKind::NoShow {
            return;
        }
        if self.rng.chance(0.5) {
            let back = d + self.rng.range(14, 90) as i32;
            let minute = self.rng.range(9 * 60, 19 * 60);
            self.push_event(back, minute, Event::Return(p));
        } else if self.rng.chance(0.4) {
            let due = d + self.rng.range(30, 60) as i32;
            let created = stamp(d, 18 * 60);
            self.open_callback(p, CallbackKind::Recall, due, created, About::Nothing, "부도 후 연락 안 됨");
        }
    }

    pub(super) fn episode_treatment(&self, p: u32) -> usize {
        let pat = &self.clinic.patients[p as usize];
        pat.episode.as_ref().map(|e| e.treatment).unwrap_or(pat.last_treatment)
    }
}
