//! One clinic day in the simulation: calls coming in, planned events, walk-ins, the
//! afternoon's reminders and confirmations, and each appointment kept, missed or done.

use super::*;

impl Sim {
    pub(super) fn inquiries_of(&mut self, d: i32) {
        let cal = &self.clinic.cal;
        let mean = self.inquiry_rate * inquiry_day_factor(cal, d);
        let (from, to) =
            if cal.is_open(d) { (9 * 60, cal.closing_minute(d) + 30) } else { (10 * 60, 21 * 60) };
        let count = self.rng.poisson(mean);
        let mut times: Vec<Stamp> = (0..count).map(|_| self.time_between(d, from, to)).collect();
        times.sort_unstable();
        for received in times {
            if received > self.now() {
                continue;
            }
            self.inquiry(d, received);
        }
    }

    pub(super) fn questions(&mut self, topic: Option<&str>) -> String {
        let insurance = match topic {
            Some("car_insurance") => 70,
            Some("chuna") | Some("acupuncture") => 35,
            _ => 12,
        };
        let weights = [45, 25, 20, insurance, 20, 8];
        let n = self.rng.weighted(&[55, 35, 10]) + 1;
        let mut picked = [false; 6];
        for _ in 0..n {
            picked[self.rng.weighted(&weights)] = true;
        }
        QuestionKind::ALL
            .iter()
            .zip(picked)
            .filter(|(_, on)| *on)
            .map(|(k, _)| k.code())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub(super) fn inquiry(&mut self, d: i32, received: Stamp) {
        let taken_by = self.desk_member();
        let topic = if self.rng.chance(0.06) { None } else { Some(self.rng.weighted(&self.topic_weights)) };
        let topic_code = topic.map(|t| self.clinic.treatments[t].code.clone());
        let questions = self.questions(topic_code.as_deref());
        let note = *self.rng.pick(texts::inquiry_note(topic_code.as_deref()));
        let kakao = self.rng.chance(if self.clinic.cal.is_open(d) { 0.08 } else { 0.7 });
        let id = self.clinic.inquiries.len() as u32;

        if !self.visited.is_empty() && self.rng.chance(EXISTING_CALLER_SHARE) {
            // A patient calling about something new.
            let p = *self.rng.pick(&self.visited);
            let pat = &self.clinic.patients[p as usize];
            let (name, phone) = (pat.person.name.clone(), pat.person.phone.clone());
            // Recorded as a patient calling again, not under their original source.
            let (source, channel, referrer) =
                match self.clinic.sources.iter().position(|s| s == "existing_patient") {
                    Some(i) => (Some(i), None, None),
                    None => (pat.source, pat.channel, pat.referrer),
                };
            let mut appointment = None;
            let mut outcome = InquiryOutcome::Info;
            if pat.pending.is_none() && self.rng.chance(0.55) {
                let treatment = topic.unwrap_or_else(|| self.pick_episode_treatment());
                self.start_episode(p, treatment, None);
                let from = d + self.rng.range(0, 5) as i32;
                appointment = self.book(p, from, treatment, received, false);
                if appointment.is_some() {
                    outcome = InquiryOutcome::Booked;
                }
            }
            self.clinic.inquiries.push(Inquiry {
                received,
                caller_name: name,
                phone,
                patient: Some(p),
                kakao,
                topic,
                questions,
                source,
                channel,
                referrer,
                outcome,
                callback_on: None,
                appointment,
                note,
                taken_by,
                caller: None,
            });
            return;
        }

        let person = self.people.person(&mut self.rng, self.clinic.cal.date(self.clinic.cal.today));
        let (source, channel, referrer) = self.referral_of(false);
        let caller_name = if self.rng.chance(0.08) { String::new() } else { person.name.clone() };
        let phone = person.phone.clone();
        let roll = self.rng.unit();
        let mut inquiry = Inquiry {
            received,
            caller_name,
            phone,
            patient: None,
            kakao,
            topic,
            questions,
            source,
            channel,
            referrer,
            outcome: InquiryOutcome::Info,
            callback_on: None,
            appointment: None,
            note,
            taken_by,
            caller: Some(person),
        };
        if roll < 0.26 {
            // Books on the phone.
            let person = inquiry.caller.take().expect("caller");
            let p = self.new_patient(person, source, channel, referrer, received);
            let treatment = topic.unwrap_or_else(|| self.pick_episode_treatment());
            self.start_episode(p, treatment, None);
            let from = d + self.rng.weighted(&[25, 30, 20, 10, 7, 5, 3]) as i32;
            inquiry.patient = Some(p);
            inquiry.appointment = self.book(p, from, treatment, received, true);
            inquiry.outcome =
                if inquiry.appointment.is_some() { InquiryOutcome::Booked } else { InquiryOutcome::Callback };
        } else if roll < 0.33 {
            // To be called back; books then.
            let back = d + self.rng.range(1, 3) as i32;
            inquiry.outcome = InquiryOutcome::Callback;
            inquiry.callback_on = Some(back);
            let minute = self.rng.range(10 * 60, 18 * 60);
            self.push_event(self.clinic.cal.next_open(back), minute, Event::InquiryFollowUp(id));
        } else if roll < CALLER_CONVERSION {
            // Only asked; walks in some days later.
            let walk = d + self.rng.range(1, 12) as i32;
            let minute = self.rng.range(9 * 60 + 40, 18 * 60);
            self.push_event(self.clinic.cal.next_open(walk), minute, Event::InquiryWalkIn(id));
        } else if self.rng.chance(0.35) {
            inquiry.outcome = InquiryOutcome::Callback;
            inquiry.callback_on = Some(d + self.rng.range(1, 4) as i32);
        }
        self.clinic.inquiries.push(inquiry);
    }

    pub(super) fn events_of(&mut self, d: i32) {
        self.current_day = d;
        self.events_done = false;
        let mut events = std::mem::take(&mut self.events[d as usize]);
        events.sort_by_key(|(minute, _)| *minute);
        for (minute, event) in events {
            let at = stamp(d, minute) + self.rng.below(60) as i64;
            if at > self.now() {
                continue;
            }
            match event {
                Event::Attempt(cb) => self.attempt(cb, d, minute),
                Event::CallToBook(p) => {
                    if self.clinic.patients[p as usize].pending.is_none() {
                        let treatment = self.episode_treatment(p);
                        let from = d + self.rng.range(1, 4) as i32;
                        self.book(p, from, treatment, at, false);
                    }
                }
                Event::Return(p) => {
                    if self.clinic.patients[p as usize].pending.is_none() {
                        let last = self.clinic.patients[p as usize].last_treatment;
                        let treatment =
                            if self.rng.chance(0.5) { last } else { self.pick_episode_treatment() };
                        self.start_episode(p, treatment, None);
                        let from = d + self.rng.range(1, 5) as i32;
                        self.book(p, from, treatment, at, false);
                    }
                }
                Event::InquiryFollowUp(i) => {
                    let Some(person) = self.clinic.inquiries[i as usize].caller.take() else {
                        continue;
                    };
                    let q = &self.clinic.inquiries[i as usize];
                    let (source, channel, referrer, topic) = (q.source, q.channel, q.referrer, q.topic);
                    let p = self.new_patient(person, source, channel, referrer, at);
                    let treatment = topic.unwrap_or_else(|| self.pick_episode_treatment());
                    self.start_episode(p, treatment, None);
                    let from = d + self.rng.range(0, 4) as i32;
                    self.book(p, from, treatment, at, true);
                    self.clinic.inquiries[i as usize].patient = Some(p);
                }
                Event::InquiryWalkIn(i) => {
                    if !self.clinic.cal.is_open(d) {
                        continue;
                    }
                    let Some(person) = self.clinic.inquiries[i as usize].caller.take() else {
                        continue;
                    };
                    let q = &self.clinic.inquiries[i as usize];
                    let (source, channel, referrer, topic) = (q.source, q.channel, q.referrer, q.topic);
                    let p = self.new_patient(person, source, channel, referrer, at);
                    self.clinic.inquiries[i as usize].patient = Some(p);
                    let treatment = topic.unwrap_or_else(|| self.pick_episode_treatment());
                    self.walk_in(p, d, at, treatment);
                }
            }
        }
        self.events_done = true;
    }

    pub(super) fn walk_in(&mut self, p: u32, d: i32, at: Stamp, treatment: usize) {
        self.start_episode(p, treatment, None);
        self.clinic.patients[p as usize].pref_minute = (at - stamp(d, 0)) / MIN + 30;
        // Booked at the desk as they walk in: the first free start after a short wait, or
        // another day when today is full.
        self.book(p, d, treatment, at, true);
    }

    pub(super) fn walk_ins_of(&mut self, d: i32) {
        let weekday = if self.clinic.cal.is_saturday(d) { 0.7 } else { 1.08 };
        // Steer towards the patient count of the scale: more walk-ins while behind the
        // expected count so far, fewer while ahead.
        let today = self.clinic.cal.today as f64;
        let expected = self.tuning.patients * (d as f64 + 1.0) / (today + 1.0);
        let behind = expected - self.clinic.patients.len() as f64;
        let mean = (self.walk_in_rate * weekday + 0.08 * behind).max(0.0);
        let count = self.rng.poisson(mean);
        let close = self.clinic.cal.closing_minute(d) - 60;
        let mut times: Vec<Stamp> = (0..count).map(|_| self.time_between(d, 9 * 60 + 30, close)).collect();
        times.sort_unstable();
        for at in times {
            if at > self.now() {
                continue;
            }
            let person = self.people.person(&mut self.rng, self.clinic.cal.date(self.clinic.cal.today));
            let (source, channel, referrer) = self.referral_of(true);
            let p = self.new_patient(person, source, channel, referrer, at);
            let treatment = self.pick_episode_treatment();
            self.walk_in(p, d, at, treatment);
        }
    }

    /// The afternoon before: confirmation messages for the next clinic day, and reminder calls
    /// (by the app's rule, `domain::callbacks::reminder_due`: for tomorrow's appointments) to
    /// first visits, past no-shows and a few others. On the demo date every unconfirmed
    /// appointment of tomorrow gets a reminder, as the app would make.
    pub(super) fn reminders_for_next_day(&mut self, d: i32) {
        let next = self.clinic.cal.next_open(d + 1);
        if next > self.clinic.cal.horizon {
            return;
        }
        let is_today = d == self.clinic.cal.today;
        let list = self.day_appointments[next as usize].clone();
        for a in list {
            let (p, status, confirmed, cancelled, first) = {
                let appt = &self.clinic.appointments[a as usize];
                (appt.patient, appt.status, appt.confirmed_at, appt.cancel_at, appt.first_visit)
            };
            if status != AppointmentStatus::Booked || confirmed.is_some() || cancelled.is_some() {
                continue;
            }
            if self.rng.chance(0.45) {
                let at = self.time_between(d, 10 * 60, 13 * 60);
                if at <= self.now() && at > self.clinic.appointments[a as usize].booked_at {
                    let appt = &mut self.clinic.appointments[a as usize];
                    appt.confirmed_at = Some(at);
                    appt.updated_at = appt.updated_at.max(at);
                    continue;
                }
            }
            let pat = &self.clinic.patients[p as usize];
            // The app's rule: the reminder call is due the day before the appointment, and
            // made on that day (after a closed day there is none, as in the app).
            let due_today = reminder_due(self.clinic.cal.date(next)) == self.clinic.cal.date(d);
            let call = due_today && (is_today || first || pat.last_was_no_show);
            if call {
                let created = stamp(d, 9 * 60) + self.rng.below(600) as i64;
                self.open_callback(
                    p,
                    CallbackKind::Reminder,
                    d,
                    created,
                    About::Appointment(a),
                    "내일 예약 확인",
                );
            }
        }
    }

    pub(super) fn appointments_of(&mut self, d: i32) {
        // About four weeks of memory for the chuna share.
        self.recent_visits *= 27.0 / 28.0;
        self.recent_chuna *= 27.0 / 28.0;
        let mut list = std::mem::take(&mut self.day_appointments[d as usize]);
        list.sort_by_key(|&a| (self.clinic.appointments[a as usize].minute, a));
        for &a in &list {
            self.appointment(a, d);
        }
        self.day_appointments[d as usize] = list;
    }

    pub(super) fn appointment(&mut self, a: u32, d: i32) {
        let now = self.now();
        let (p, start, duration, booked_at, treatment, cancel_at, first_visit) = {
            let x = &self.clinic.appointments[a as usize];
            (x.patient, x.start(), x.duration, x.booked_at, x.treatment, x.cancel_at, x.first_visit)
        };
        let is_today = d == self.clinic.cal.today;
        if self.clinic.patients[p as usize].pending == Some(a) {
            self.clinic.patients[p as usize].pending = None;
        }
        // Cancelled by phone earlier.
        let cancel_at = cancel_at.or_else(|| {
            let earliest = booked_at.max(start - 3 * DAY) + 10 * MIN;
            let latest = if is_today { (start - 30 * MIN).min(now) } else { start - 30 * MIN };
            (latest > earliest && self.rng.chance(0.045))
                .then(|| earliest + self.rng.below((latest - earliest) as u64) as i64)
        });
        if let Some(at) = cancel_at.filter(|&at| at <= now) {
            let x = &mut self.clinic.appointments[a as usize];
            x.status = AppointmentStatus::Cancelled;
            x.updated_at = at;
            if is_today {
                self.change(a, AppointmentStatus::Booked, AppointmentStatus::Cancelled, at);
            }
            if self.clinic.patients[p as usize].pending.is_none() && self.rng.chance(0.75) {
                let from = d + self.rng.range(1, 6) as i32;
                self.book(p, from, treatment, at, first_visit);
            }
            return;
        }
        if is_today && start + (duration + 12) * MIN > now {
            // Not finished yet: in the treatment room, or still to come.
            if start <= now + 5 * MIN && self.rng.chance(0.9) {
                let arrived = (start - self.rng.range(0, 12) * MIN).min(now).max(booked_at + MIN);
                let x = &mut self.clinic.appointments[a as usize];
                x.status = AppointmentStatus::Arrived;
                x.updated_at = arrived;
                self.change(a, AppointmentStatus::Booked, AppointmentStatus::Arrived, arrived);
            }
            if self.clinic.patients[p as usize].pending.is_none() {
                self.clinic.patients[p as usize].pending = Some(a);
            }
            return;
        }
        let pat = &self.clinic.patients[p as usize];
        let no_show_p = pat.no_show_p * if first_visit { 1.4 } else { 1.0 };
        if self.rng.chance(no_show_p) {
            let at = (start + self.rng.range(30, 50) * MIN).min(now);
            let x = &mut self.clinic.appointments[a as usize];
            x.status = AppointmentStatus::NoShow;
            x.updated_at = at;
            if is_today {
                self.change(a, AppointmentStatus::Booked, AppointmentStatus::NoShow, at);
            }
            self.clinic.patients[p as usize].last_was_no_show = true;
            let due = if (at - stamp(d, 0)) / MIN < 16 * 60 { d } else { self.clinic.cal.next_open(d + 1) };
            self.open_callback(p, CallbackKind::NoShow, due, at, About::Appointment(a), "부도, 재예약 연락");
            return;
        }
        self.done(a, d, start, duration);
    }

    pub(super) fn change(&mut self, a: u32, from: AppointmentStatus, to: AppointmentStatus, at: Stamp) {
        let by = self.desk_member();
        self.clinic.status_changes.push(StatusChange { appointment: a, from, to, at, by });
    }

    pub(super) fn done(&mut self, a: u32, d: i32, start: Stamp, duration: i64) {
        let is_today = d == self.clinic.cal.today;
        let end =
            (start + (duration + self.rng.range(2, 10)) * MIN + self.rng.below(60) as i64).min(self.now());
        let (p, treatment, provider) = {
            let x = &mut self.clinic.appointments[a as usize];
            x.status = AppointmentStatus::Done;
            x.updated_at = end;
            (x.patient, x.treatment, x.provider)
        };
        if is_today {
            let arrived = start - self.rng.range(0, 12) * MIN;
            self.change(a, AppointmentStatus::Booked, AppointmentStatus::Arrived, arrived);
            self.change(a, AppointmentStatus::Arrived, AppointmentStatus::Done, end);
        }
        let t = &self.clinic.treatments[treatment];
        let (visit_price, car, happy_call) = (t.visit_price, t.is_car_insurance, t.happy_call);
        self.recent_visits += 1.0;
        if Some(treatment) == self.chuna {
            self.recent_chuna += 1.0;
        }
        let rev = &mut self.clinic.revenue[d as usize];
        rev.0 += visit_price;
        if car {
            rev.1 += 68_000;
        }
        // Checkout: car insurance pays the whole visit; otherwise the covered share, and the
        // non-covered price when the treatment has one.
        {
            use crate::domain::payments::PaymentCategory;
            let mut pay = |amount: i64, category| {
                self.clinic.payments.push(super::Payment {
                    patient: p,
                    appointment: Some(a),
                    at: end,
                    amount,
                    category,
                    treatment,
                    provider: Some(provider),
                })
            };
            if car {
                pay(68_000, PaymentCategory::CarInsurance);
            } else {
                pay(super::covered_copay(p, d), PaymentCategory::Covered);
                if visit_price > 0 {
                    pay(visit_price, PaymentCategory::NonCovered);
                }
            }
        }

        let first_ever = {
            let pat = &mut self.clinic.patients[p as usize];
            pat.visits += 1;
            pat.first_done.get_or_insert(end);
            pat.last_done = Some(end);
            pat.last_treatment = treatment;
            pat.last_was_no_show = false;
            pat.visits == 1
        };
        if first_ever {
            self.visited.push(p);
            self.referral_pool.push(p);
        }
        // The episode this visit belongs to (a visit booked for another course starts one).
        let matches =
            self.clinic.patients[p as usize].episode.as_ref().is_some_and(|e| e.treatment == treatment);
        if !matches {
            self.start_episode(p, treatment, None);
        }
        let visit_no = {
            let ep = self.clinic.patients[p as usize].episode.as_mut().expect("episode");
            ep.visit_no += 1;
            if let Some(r) = ep.remaining.as_mut() {
                *r -= 1;
            }
            ep.visit_no
        };
        if happy_call && visit_no == 1 {
            // Due by the app's rule: the day after the visit.
            let due = self.clinic.cal.index(happy_call_due(self.clinic.cal.date(d)));
            self.open_callback(
                p,
                CallbackKind::HappyCall,
                due,
                end,
                About::Appointment(a),
                "치료 다음 날 안부",
            );
        }
        let mut complained = false;
        if self.rng.chance(self.complaint_rate(d)) {
            let category = self.category_for(treatment, false);
            self.complain(p, end, category);
            complained = true;
        }
        if (first_ever && self.rng.chance(0.2)) || self.rng.chance(0.012) {
            let preferred = if first_ever { Some(treatment) } else { None };
            self.consult(p, (end + 5 * MIN).min(self.now()), preferred);
        }
        // The consultation may have started a package: follow it.
        let (treatment, remaining, visit_no) = {
            let ep = self.clinic.patients[p as usize].episode.as_ref().expect("episode");
            (ep.treatment, ep.remaining, ep.visit_no)
        };
        let continue_p = self.clinic.treatments[treatment].continue_p;
        let mut continuing = match remaining {
            Some(r) => r > 0 && self.rng.chance(0.97),
            None => visit_no == 0 || self.rng.chance(continue_p),
        };
        if complained && self.rng.chance(0.35) {
            continuing = false;
        }
        if continuing {
            let book_p = self.clinic.patients[p as usize].book_p;
            if self.clinic.patients[p as usize].pending.is_some() {
                // Already booked (a package just started).
            } else if self.rng.chance(book_p) {
                let from = d + self.interval_days(treatment);
                let booked_at = end + self.rng.range(1, 6) * MIN;
                self.book(p, from, treatment, booked_at, false);
            } else if self.rng.chance(0.6) {
                let interval = self.clinic.treatments[treatment].interval;
                let call = d + self.rng.range(1, interval.max(2)) as i32;
                let minute = self.rng.range(9 * 60 + 30, 18 * 60);
                self.push_event(call, minute, Event::CallToBook(p));
            } else if self.rng.chance(0.5) {
                let due = d + self.rng.range(21, 45) as i32;
                self.open_callback(p, CallbackKind::Recall, due, end, About::Nothing, "치료 중단, 경과 확인");
            }
        } else {
            self.clinic.patients[p as usize].episode = None;
            if self.rng.chance(0.12) {
                self.clinic.tags.entry((p, Tag::MoreCare)).or_insert(end);
            }
            if self.rng.chance(0.75) {
                let back = d + self.rng.range(14, 150) as i32;
                let minute = self.rng.range(9 * 60, 19 * 60);
                self.push_event(back, minute, Event::Return(p));
            } else if self.rng.chance(0.6) {
                let due = d + self.rng.range(45, 120) as i32;
                self.open_callback(p, CallbackKind::Recall, due, end, About::Nothing, "치료 종료 후 리콜");
            }
        }
    }
}
