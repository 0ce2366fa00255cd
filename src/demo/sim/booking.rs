//! People and bookings in the simulation: new patients and where they heard of the clinic,
//! courses of treatment, and finding a free slot for the next visit.

use super::*;

impl Sim {
    pub(super) fn new_patient(
        &mut self,
        person: Person,
        source: Option<usize>,
        channel: Option<usize>,
        referrer: Option<u32>,
        created: Stamp,
    ) -> u32 {
        let id = self.clinic.patients.len() as u32;
        let provider = if self.directors.len() <= DIRECTOR_LOAD.len() {
            self.directors[self.rng.weighted(&DIRECTOR_LOAD[..self.directors.len()])]
        } else {
            *self.rng.pick(&self.directors)
        };
        // Mornings and after work are busiest.
        let pref_minute = match self.rng.weighted(&[46, 22, 32]) {
            0 => self.rng.range(9 * 60 + 30, 12 * 60 + 30),
            1 => self.rng.range(14 * 60, 16 * 60 + 30),
            _ => self.rng.range(16 * 60 + 30, 18 * 60 + 30),
        };
        let no_show_p = if self.rng.chance(0.2) { 0.3 } else { 0.095 };
        let book_p = if self.rng.chance(0.2) { 0.7 } else { 0.93 };
        if let Some(r) = referrer {
            self.clinic.patients[r as usize].referrals += 1;
            if self.clinic.patients[r as usize].referrals == 2 {
                self.clinic.tags.entry((r, Tag::Referrer)).or_insert(created);
            }
            self.referral_pool.push(r);
        }
        self.clinic.patients.push(Patient {
            person,
            source,
            channel,
            referrer,
            created,
            provider,
            pref_minute,
            no_show_p,
            book_p,
            episode: None,
            pending: None,
            visits: 0,
            first_done: None,
            last_done: None,
            last_treatment: 0,
            referrals: 0,
            last_was_no_show: false,
            last_complaint: None,
            birthday_today: false,
        });
        id
    }

    /// Where a new person heard of the clinic: (source, channel, referrer).
    pub(super) fn referral_of(&mut self, walk_in: bool) -> (Option<usize>, Option<usize>, Option<u32>) {
        if self.clinic.sources.is_empty() {
            return (None, None, None);
        }
        let weights = if walk_in { &self.walk_in_source_weights } else { &self.source_weights };
        let mut source = self.rng.weighted(weights);
        let mut referrer = None;
        if Some(source) == self.referral {
            if self.referral_pool.is_empty() {
                source = self.clinic.sources.iter().position(|s| s == "signboard").unwrap_or(source);
            } else {
                referrer = Some(*self.rng.pick(&self.referral_pool));
            }
        }
        let channel = if Some(source) == self.internet && !self.clinic.channels.is_empty() {
            Some(self.rng.weighted(&self.channel_weights))
        } else {
            None
        };
        (Some(source), channel, referrer)
    }

    pub(super) fn pick_episode_treatment(&mut self) -> usize {
        // Steer chuna towards its usual share of visits (the OKR screen's 추나 비율), which
        // otherwise swings with a handful of long courses.
        let Some(chuna) = self.chuna else {
            return self.rng.weighted(&self.episode_weights);
        };
        let share =
            if self.recent_visits > 50.0 { self.recent_chuna / self.recent_visits } else { CHUNA_SHARE };
        let factor = (CHUNA_SHARE / share.max(0.01)).powi(3).clamp(0.3, 3.0);
        let mut weights = self.episode_weights.clone();
        weights[chuna] = (weights[chuna] as f64 * factor).round() as u32;
        self.rng.weighted(&weights)
    }

    pub(super) fn start_episode(&mut self, p: u32, treatment: usize, sessions: Option<i64>) {
        let t = &self.clinic.treatments[treatment];
        let remaining = match sessions {
            Some(s) => Some(s),
            None if t.course > 0 => Some(t.course),
            None => None,
        };
        self.clinic.patients[p as usize].episode = Some(Episode { treatment, remaining, visit_no: 0 });
    }

    // ----- booking ------------------------------------------------------------------------

    pub(super) fn day_cap(&self, d: i32) -> u32 {
        let t = &self.tuning;
        let base = if d == self.clinic.cal.today {
            t.today_max
        } else if self.clinic.cal.is_saturday(d) {
            t.saturday_cap
        } else {
            t.weekday_cap
        };
        base.max(1.0) as u32
    }

    /// A free start on day `d` near the patient's usual time, preferably with their director.
    pub(super) fn find_slot(
        &mut self,
        d: i32,
        pref_minute: i64,
        provider: usize,
        not_before: i64,
    ) -> Option<(i64, usize)> {
        let cal = &self.clinic.cal;
        if !cal.is_open(d) || self.day_count[d as usize] >= self.day_cap(d) {
            return None;
        }
        let slots = cal.slots(d);
        let jitter = self.rng.range(-4, 4);
        let target = slots.partition_point(|&m| m < pref_minute) as i64 + jitter;
        let n = slots.len() as i64;
        let providers = self.directors.len();
        let base = d as usize * providers * SLOTS_PER_DAY;
        let cap = self.tuning.slot_cap;
        let mut order = Vec::with_capacity(providers);
        order.push(provider);
        let offset = self.rng.below(providers as u64) as usize;
        for k in 0..providers {
            let other = (offset + k) % providers;
            if other != provider {
                order.push(other);
            }
        }
        for prov in order {
            for step in 0..(2 * n) {
                let delta = if step % 2 == 0 { step / 2 } else { -(step / 2) - 1 };
                let i = target + delta;
                if i < 0 || i >= n {
                    continue;
                }
                let minute = slots[i as usize];
                if minute < not_before {
                    continue;
                }
                let cell = base + prov * SLOTS_PER_DAY + i as usize;
                if self.slot_use[cell] < cap {
                    self.slot_use[cell] += 1;
                    self.day_count[d as usize] += 1;
                    return Some((minute, prov));
                }
            }
        }
        None
    }

    /// Books the patient on the first clinic day from `from_day` that has room; returns the
    /// appointment. `booked_at` is when the booking was made.
    pub(super) fn book(
        &mut self,
        p: u32,
        from_day: i32,
        treatment: usize,
        booked_at: Stamp,
        first_visit: bool,
    ) -> Option<u32> {
        let (pref, provider) = {
            let pat = &self.clinic.patients[p as usize];
            (pat.pref_minute, pat.provider)
        };
        let mut d = from_day.max(day_of(booked_at));
        for _ in 0..21 {
            d = self.clinic.cal.next_open(d);
            if d > self.clinic.cal.horizon {
                return None;
            }
            // Same-day bookings need a start after the call.
            let not_before = if d == day_of(booked_at) { (booked_at - stamp(d, 0)) / MIN + 30 } else { 0 };
            if let Some((minute, prov)) = self.find_slot(d, pref, provider, not_before) {
                let t = &self.clinic.treatments[treatment];
                let duration = t.duration + if first_visit { 10 } else { 0 };
                let id = self.clinic.appointments.len() as u32;
                self.clinic.appointments.push(Appointment {
                    patient: p,
                    day: d,
                    minute,
                    duration,
                    provider: prov,
                    treatment,
                    status: AppointmentStatus::Booked,
                    booked_at,
                    confirmed_at: None,
                    updated_at: booked_at,
                    cancel_at: None,
                    first_visit,
                });
                self.day_appointments[d as usize].push(id);
                self.clinic.patients[p as usize].pending = Some(id);
                return Some(id);
            }
            d += 1;
        }
        None
    }

    pub(super) fn interval_days(&mut self, treatment: usize) -> i32 {
        let interval = self.clinic.treatments[treatment].interval;
        let jitter = (interval / 5).max(1);
        (interval + self.rng.range(-jitter, jitter)).max(1) as i32
    }

    pub(super) fn push_event(&mut self, d: i32, minute: i64, event: Event) {
        if d >= 0 && d <= self.clinic.cal.today {
            self.events[d as usize].push((minute, event));
        }
    }
}
