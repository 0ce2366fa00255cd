//! Complaints and consultations in the simulation: what is quoted, who decides what.

use super::*;

impl Sim {
    pub(super) fn category_for(&mut self, treatment: usize, care_related: bool) -> usize {
        let risky = &self.clinic.treatments[treatment].risky;
        if !risky.is_empty() && (care_related || self.rng.chance(0.65)) {
            risky[self.rng.below(risky.len() as u64) as usize]
        } else {
            self.rng.below(self.clinic.categories.len().max(1) as u64) as usize
        }
    }

    pub(super) fn complain(&mut self, p: u32, raised: Stamp, category: usize) {
        if self.clinic.categories.is_empty() {
            return;
        }
        let code = self.clinic.categories[category].clone();
        // Every category in the list has words (see `simulate`).
        let Some((descriptions, plans, resolutions)) = texts::complaint(&code) else { return };
        let description = *self.rng.pick(descriptions);
        let plan = *self.rng.pick(plans);
        let resolution = *self.rng.pick(resolutions);
        let owner = match code.as_str() {
            "pain" | "side_effect" | "result" => self.clinic.patients[p as usize].provider,
            _ => self.desk_member(),
        };
        let delay = self.rng.range(0, 14) as i32;
        let resolve_day = self.clinic.cal.next_open(day_of(raised) + delay);
        let resolved_at = stamp(resolve_day, self.rng.range(12 * 60, 18 * 60 + 30));
        // A few are never closed: the stale open complaints every clinic has.
        let resolved = if resolved_at <= self.now() && resolved_at > raised && self.rng.chance(0.975) {
            Some(resolved_at)
        } else {
            None
        };
        self.clinic.complaints.push(Complaint {
            patient: p,
            raised,
            category,
            description,
            owner,
            plan,
            resolved,
            resolution: if resolved.is_some() { resolution } else { "" },
        });
        self.clinic.patients[p as usize].last_complaint = Some(raised);
    }

    pub(super) fn quote(&mut self, treatment: usize) -> (i64, Option<i64>) {
        let (lo, hi) = self.clinic.treatments[treatment].quote;
        let (lo, hi) = if hi == 0 { (30, 100) } else { (lo, hi) };
        let quoted = if hi >= 100 {
            self.rng.range(lo / 10, hi / 10) * 100_000
        } else {
            self.rng.range(lo, hi) * 10_000
        };
        let unit = if quoted >= 1_000_000 { 100_000 } else { 10_000 };
        let offered = match self.rng.weighted(&[25, 15, 30, 30]) {
            0 => None,
            1 => Some(quoted),
            2 => Some(((quoted as f64 * 0.95) / unit as f64).round() as i64 * unit),
            _ => Some(((quoted as f64 * 0.88) / unit as f64).round() as i64 * unit),
        };
        (quoted, offered)
    }

    pub(super) fn consult(&mut self, p: u32, at: Stamp, preferred: Option<usize>) {
        let roll = self.rng.unit();
        self.consult_with(p, at, preferred, roll);
    }

    /// A consultation that ends undecided.
    pub(super) fn consult_undecided(&mut self, p: u32, at: Stamp) {
        self.consult_with(p, at, None, 0.99);
    }

    /// `roll` in `[0, 1)` decides the outcome: accepted, declined or undecided.
    pub(super) fn consult_with(&mut self, p: u32, at: Stamp, preferred: Option<usize>, roll: f64) {
        let treatment = match preferred {
            Some(t) if self.clinic.treatments[t].consult_weight > 0 => t,
            _ => {
                if self.consult_weights.iter().all(|&w| w == 0) {
                    return;
                }
                self.rng.weighted(&self.consult_weights)
            }
        };
        let (quoted, offered) = self.quote(treatment);
        let id = self.clinic.consultations.len() as u32;
        let circumstances = *self.rng.pick(texts::circumstances(&self.clinic.treatments[treatment].code));
        let (status, reaction) = if roll < 0.3 {
            (ConsultationStatus::Accepted, "바로 결정")
        } else if roll < 0.42 {
            (ConsultationStatus::Declined, "비용 부담으로 안 하기로")
        } else {
            (ConsultationStatus::Undecided, *self.rng.pick(texts::CONSULT_REACTIONS))
        };
        let d = day_of(at);
        let recall_on = (status == ConsultationStatus::Undecided).then(|| d + self.rng.range(3, 10) as i32);
        self.clinic.consultations.push(Consultation {
            patient: p,
            at,
            treatment,
            quoted,
            offered,
            status: ConsultationStatus::Undecided,
            decided: None,
            recall_on,
            circumstances,
            reaction,
        });
        match status {
            ConsultationStatus::Undecided => {
                let due = recall_on.unwrap_or(d + 7);
                self.open_callback(
                    p,
                    CallbackKind::Prospect,
                    due,
                    at,
                    About::Consultation(id),
                    "비용 상담 보류",
                );
            }
            decided => self.decide(id, decided, at),
        }
    }

    pub(super) fn decide(&mut self, c: u32, status: ConsultationStatus, at: Stamp) {
        let (p, treatment, price) = {
            let con = &mut self.clinic.consultations[c as usize];
            con.status = status;
            con.decided = Some(at);
            (con.patient, con.treatment, con.offered.unwrap_or(con.quoted))
        };
        if status != ConsultationStatus::Accepted {
            return;
        }
        let t = &self.clinic.treatments[treatment];
        let sessions = if t.course > 0 {
            t.course
        } else if t.interval >= 30 {
            self.rng.range(1, 3)
        } else {
            5
        };
        let d = day_of(at);
        self.clinic.packages.push(Package { patient: p, treatment, sessions, price, day: d });
        self.clinic.payments.push(super::Payment {
            patient: p,
            appointment: None,
            at,
            amount: price,
            category: crate::domain::payments::PaymentCategory::NonCovered,
            treatment,
            provider: None,
        });
        self.clinic.revenue[d as usize].0 += price;
        if price >= 1_000_000 {
            self.clinic.tags.entry((p, Tag::HighValue)).or_insert(at);
        }
        self.start_episode(p, treatment, Some(sessions));
        if self.clinic.patients[p as usize].pending.is_none() && day_of(at) < self.clinic.cal.horizon {
            let from = d + self.rng.range(1, 7) as i32;
            self.book(p, from, treatment, at, false);
        }
    }
}
