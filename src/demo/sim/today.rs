//! The demo date itself: the morning under way, recent complaints, open prospects and
//! callbacks kept for the screens, a few future cancellations.

use chrono::Datelike;

use super::*;

impl Sim {
    /// Before the demo day runs: make sure it is a full day (about 60 appointments at small
    /// scale) and that some of the people coming in have a recent complaint.
    pub(super) fn fill_today(&mut self) {
        let today = self.clinic.cal.today;
        let target = self.tuning.today_min as usize;
        let recent = stamp(today - 30, 0);
        let mut complainers: Vec<u32> =
            self.clinic.complaints.iter().filter(|c| c.raised >= recent).map(|c| c.patient).collect();
        complainers.dedup();
        let coming: Vec<u32> = self.day_appointments[today as usize]
            .iter()
            .map(|&a| self.clinic.appointments[a as usize].patient)
            .collect();
        let mut wanted = 2usize.saturating_sub(complainers.iter().filter(|p| coming.contains(p)).count());
        for p in complainers {
            if wanted == 0 {
                break;
            }
            if self.clinic.patients[p as usize].pending.is_none() && self.book_today(p) {
                wanted -= 1;
            }
        }
        let mut tries = 0;
        while self.day_appointments[today as usize].len() < target
            && tries < target * 20
            && !self.visited.is_empty()
        {
            tries += 1;
            let p = *self.rng.pick(&self.visited);
            if self.clinic.patients[p as usize].pending.is_none() {
                self.book_today(p);
            }
        }
        self.recent_complaints(today, recent);
    }

    /// The huddle's complaint agenda needs material: a few complaints in the last 30 days,
    /// some of them from people coming in today. Where chance gave too few, some recent
    /// visits are the ones complained about.
    pub(super) fn recent_complaints(&mut self, today: i32, recent: Stamp) {
        let coming: Vec<u32> = self.day_appointments[today as usize]
            .iter()
            .map(|&a| self.clinic.appointments[a as usize].patient)
            .collect();
        let complained_lately =
            |sim: &Sim, p: u32| sim.clinic.patients[p as usize].last_complaint.is_some_and(|c| c >= recent);
        let mut coming_with_complaint = coming.iter().filter(|&&p| complained_lately(self, p)).count();
        for &p in &coming {
            if coming_with_complaint >= 2 {
                break;
            }
            let pat = &self.clinic.patients[p as usize];
            let Some(last) = pat.last_done.filter(|&t| t >= recent) else {
                continue;
            };
            if complained_lately(self, p) {
                continue;
            }
            let category = self.category_for(pat.last_treatment, false);
            self.complain(p, last, category);
            coming_with_complaint += 1;
        }
        let mut lately = self.clinic.complaints.iter().filter(|c| c.raised >= recent).count();
        let mut visits: Vec<u32> = ((today - 30).max(0)..today)
            .flat_map(|d| self.day_appointments[d as usize].iter().copied())
            .filter(|&a| self.clinic.appointments[a as usize].status == AppointmentStatus::Done)
            .collect();
        while lately < self.tuning.recent_complaints_min && !visits.is_empty() {
            let i = self.rng.below(visits.len() as u64) as usize;
            let a = visits.swap_remove(i);
            let x = &self.clinic.appointments[a as usize];
            let (p, treatment, at) = (x.patient, x.treatment, x.updated_at);
            let category = self.category_for(treatment, false);
            self.complain(p, at, category);
            lately += 1;
        }
    }

    /// A booking for the demo date made by phone in the days before.
    pub(super) fn book_today(&mut self, p: u32) -> bool {
        let today = self.clinic.cal.today;
        let back = self.rng.range(1, 6) as i32;
        let call_day = self.clinic.cal.next_open(today - back);
        let booked_at = if call_day >= today {
            self.time_between(today, 8 * 60 + 40, 9 * 60 + 20)
        } else {
            self.time_between(call_day, 10 * 60, 18 * 60)
        };
        let treatment = self.episode_treatment(p);
        if self.clinic.patients[p as usize].episode.is_none() {
            self.start_episode(p, treatment, None);
        }
        match self.book(p, today, treatment, booked_at, false) {
            Some(a) if self.clinic.appointments[a as usize].day == today => true,
            Some(a) => {
                // No room today after all: take the booking back.
                self.unbook_last(a);
                false
            }
            None => false,
        }
    }

    /// Takes back the appointment just made.
    pub(super) fn unbook_last(&mut self, a: u32) {
        debug_assert_eq!(a as usize + 1, self.clinic.appointments.len());
        let x = self.clinic.appointments.pop().expect("the last appointment");
        let slots = self.clinic.cal.slots(x.day);
        if let Some(i) = slots.iter().position(|&m| m == x.minute) {
            let cell = x.day as usize * self.directors.len() * SLOTS_PER_DAY + x.provider * SLOTS_PER_DAY + i;
            self.slot_use[cell] -= 1;
        }
        self.day_count[x.day as usize] -= 1;
        self.day_appointments[x.day as usize].retain(|&y| y != a);
        self.clinic.patients[x.patient as usize].pending = None;
    }

    /// After the demo date's morning: at least one cancellation on the day, and birthdays.
    pub(super) fn finish_today(&mut self) {
        let today = self.clinic.cal.today;
        let now = self.now();
        let list = self.day_appointments[today as usize].clone();
        let has_cancel =
            list.iter().any(|&a| self.clinic.appointments[a as usize].status == AppointmentStatus::Cancelled);
        if !has_cancel {
            let later: Vec<u32> = list
                .iter()
                .copied()
                .filter(|&a| {
                    let x = &self.clinic.appointments[a as usize];
                    x.status == AppointmentStatus::Booked
                        && x.start() > now
                        && x.booked_at < now - 2 * 60 * MIN
                })
                .collect();
            if !later.is_empty() {
                let a = *self.rng.pick(&later);
                let at = now - self.rng.range(20, 90) * MIN;
                let x = &mut self.clinic.appointments[a as usize];
                x.status = AppointmentStatus::Cancelled;
                x.updated_at = at;
                let p = x.patient;
                self.change(a, AppointmentStatus::Booked, AppointmentStatus::Cancelled, at);
                if self.clinic.patients[p as usize].pending == Some(a) {
                    self.clinic.patients[p as usize].pending = None;
                }
            }
        }
        // Birthdays on the day.
        let mut birthdays = 0;
        for &a in &list {
            if birthdays >= self.tuning.birthdays {
                break;
            }
            let x = &self.clinic.appointments[a as usize];
            if x.status == AppointmentStatus::Cancelled || !self.rng.chance(0.2) {
                continue;
            }
            let pat = &mut self.clinic.patients[x.patient as usize];
            if pat.birthday_today || !pat.person.name.chars().any(|c| ('가'..='힣').contains(&c)) {
                continue;
            }
            let date = self.clinic.cal.date(today);
            pat.person.birth = crate::demo::people::birthday_in(pat.person.birth.year(), date);
            if pat.person.birth > date {
                pat.person.birth = crate::demo::people::birthday_in(pat.person.birth.year() - 1, date);
            }
            pat.birthday_today = true;
            birthdays += 1;
        }
    }

    /// The callback queue shows prospects: if chance left too few undecided consultations
    /// with an open call, some patients seen lately were quoted a price and are thinking.
    pub(super) fn keep_some_prospects_open(&mut self) {
        let today = self.clinic.cal.today;
        let open = |sim: &Sim| {
            sim.clinic
                .callbacks
                .iter()
                .filter(|c| c.kind == CallbackKind::Prospect && c.closed.is_none())
                .count()
        };
        let mut visits: Vec<u32> = ((today - 10).max(0)..today)
            .flat_map(|d| self.day_appointments[d as usize].iter().copied())
            .filter(|&a| self.clinic.appointments[a as usize].status == AppointmentStatus::Done)
            .collect();
        while open(self) < self.tuning.open_prospects_min && !visits.is_empty() {
            let i = self.rng.below(visits.len() as u64) as usize;
            let a = visits.swap_remove(i);
            let x = &self.clinic.appointments[a as usize];
            let (p, at) = (x.patient, x.updated_at + 5 * MIN);
            if self.open_callbacks.contains_key(&(p, CallbackKind::Prospect)) {
                continue;
            }
            self.consult_undecided(p, at);
        }
    }

    /// The callback queue shows every kind: if chance closed all of one kind, the latest
    /// call that never reached the person is still being tried.
    pub(super) fn keep_one_open(&mut self, kind: CallbackKind) {
        let open = self.clinic.callbacks.iter().any(|c| c.kind == kind && c.closed.is_none());
        if open {
            return;
        }
        let candidate = (0..self.clinic.callbacks.len())
            .filter(|&i| {
                let c = &self.clinic.callbacks[i];
                c.kind == kind
                    && matches!(c.closed, Some((CallbackOutcome::Unreachable, _)))
                    && !self.open_callbacks.contains_key(&(c.patient, kind))
            })
            .max_by_key(|&i| (self.clinic.callbacks[i].due, i));
        if let Some(i) = candidate {
            let c = &mut self.clinic.callbacks[i];
            c.closed = None;
            self.open_callbacks.insert((c.patient, kind), i as u32);
        }
    }

    /// The huddle starts with open complaints: make sure there are a few, by leaving the
    /// most recent ones unresolved.
    pub(super) fn keep_some_complaints_open(&mut self) {
        let open = self.clinic.complaints.iter().filter(|c| c.resolved.is_none()).count();
        let wanted = self.tuning.open_complaints_min.saturating_sub(open);
        let mut recent: Vec<usize> = (0..self.clinic.complaints.len())
            .filter(|&i| self.clinic.complaints[i].resolved.is_some())
            .collect();
        recent.sort_by_key(|&i| std::cmp::Reverse((self.clinic.complaints[i].raised, i)));
        for i in recent.into_iter().take(wanted) {
            let c = &mut self.clinic.complaints[i];
            c.resolved = None;
            c.resolution = "";
        }
    }

    /// A few of the future bookings were already cancelled by phone.
    pub(super) fn cancel_some_future(&mut self) {
        let today = self.clinic.cal.today;
        let now = self.now();
        for d in (today + 1)..=self.clinic.cal.horizon {
            for i in 0..self.day_appointments[d as usize].len() {
                let a = self.day_appointments[d as usize][i];
                let booked_at = self.clinic.appointments[a as usize].booked_at;
                if booked_at < now - 60 * MIN && self.rng.chance(0.02) {
                    let at = booked_at + self.rng.below((now - booked_at) as u64) as i64;
                    let x = &mut self.clinic.appointments[a as usize];
                    x.status = AppointmentStatus::Cancelled;
                    x.updated_at = at.max(x.updated_at);
                }
            }
        }
    }
}
