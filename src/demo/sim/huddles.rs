//! Stickers, post-it notes and the morning huddles with their actions.

use super::*;

impl Sim {
    pub(super) fn tag_and_note(&mut self) {
        let now = self.now();
        // Prospects: undecided, with an open prospect callback.
        for cb in &self.clinic.callbacks {
            if cb.kind != CallbackKind::Prospect || cb.closed.is_some() {
                continue;
            }
            if let Some(c) = cb.consultation {
                let at = self.clinic.consultations[c as usize].at;
                self.clinic.tags.entry((cb.patient, Tag::Prospect)).or_insert(at);
            }
        }
        for p in 0..self.clinic.patients.len() as u32 {
            let (visits, first, last) = {
                let pat = &self.clinic.patients[p as usize];
                (pat.visits, pat.first_done, pat.last_done)
            };
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            if visits >= 8
                && self.clinic.patients[p as usize].last_complaint.is_none()
                && self.rng.chance(0.15)
            {
                self.clinic.tags.entry((p, Tag::Satisfied)).or_insert(last);
            }
            if self.rng.chance(0.07) {
                let body = *self.rng.pick(texts::NOTES);
                let author = self.desk_member();
                self.clinic.notes.push(Note { patient: p, body, author, at: first + 2 * MIN });
                if visits > 3 && self.rng.chance(0.2) {
                    let body = *self.rng.pick(texts::NOTES);
                    let author = self.clinic.patients[p as usize].provider;
                    self.clinic.notes.push(Note { patient: p, body, author, at: last.min(now) });
                }
            }
        }
    }

    pub(super) fn huddles(&mut self) {
        let today = self.clinic.cal.today;
        let mut days = Vec::new();
        let mut d = today - 1;
        while days.len() < 5 && d > 0 {
            if self.clinic.cal.is_open(d) {
                days.push(d);
            }
            d -= 1;
        }
        days.reverse();
        for &d in &days {
            let id = self.clinic.huddles.len() as u32;
            let started = stamp(d, 9 * 60 + 12) + self.rng.below(300) as i64;
            let length_sec = self.rng.range(480, 720);
            self.clinic.huddles.push(Huddle { day: d, started, length_sec });
            // One or two actions from that morning, ticked off during the day.
            let list = &self.day_appointments[d as usize];
            if list.is_empty() {
                continue;
            }
            for _ in 0..self.rng.range(1, 2) {
                let a = *self.rng.pick(&self.day_appointments[d as usize]);
                let patient = self.clinic.appointments[a as usize].patient;
                let action = *self.rng.pick(&texts::HUDDLE_ACTIONS[..3]);
                let owner = self.desk_member();
                let done = Some(stamp(d, self.rng.range(11 * 60, 18 * 60)));
                let created = started + 5 * MIN;
                self.clinic.huddle_actions.push(HuddleAction {
                    huddle: Some(id),
                    patient,
                    action,
                    owner,
                    created,
                    done,
                });
            }
        }
        // Open actions, agreed at the last huddle, for people coming today.
        let Some(&last_day) = days.last() else { return };
        let huddle = Some(self.clinic.huddles.len() as u32 - 1);
        let created =
            self.clinic.huddles.last().map(|h| h.started + 6 * MIN).unwrap_or(stamp(last_day, 9 * 60 + 20));
        let mut coming: Vec<u32> = self.day_appointments[today as usize]
            .iter()
            .filter(|&&a| self.clinic.appointments[a as usize].status != AppointmentStatus::Cancelled)
            .map(|&a| self.clinic.appointments[a as usize].patient)
            .collect();
        coming.dedup();
        let mut chosen: Vec<(u32, &'static str)> = Vec::new();
        for &p in &coming {
            let pat = &self.clinic.patients[p as usize];
            if pat.last_complaint.is_some_and(|c| c >= stamp(today - 30, 0)) {
                chosen.push((p, texts::HUDDLE_ACTIONS[1]));
            } else if pat.birthday_today {
                chosen.push((p, texts::HUDDLE_ACTIONS[3]));
            } else if self.clinic.tags.contains_key(&(p, Tag::Prospect)) {
                chosen.push((p, texts::HUDDLE_ACTIONS[4]));
            } else if pat.referrals >= 3 {
                chosen.push((p, texts::HUDDLE_ACTIONS[5]));
            }
        }
        chosen.truncate(self.tuning.open_huddle_actions);
        while chosen.len() < self.tuning.open_huddle_actions && !coming.is_empty() {
            let p = *self.rng.pick(&coming);
            if chosen.iter().any(|(q, _)| *q == p) {
                if chosen.len() >= coming.len() {
                    break;
                }
                continue;
            }
            let action = *self.rng.pick(&[
                texts::HUDDLE_ACTIONS[0],
                texts::HUDDLE_ACTIONS[2],
                texts::HUDDLE_ACTIONS[6],
            ]);
            chosen.push((p, action));
        }
        for (patient, action) in chosen {
            let owner = if action == texts::HUDDLE_ACTIONS[0] {
                self.clinic.patients[patient as usize].provider
            } else {
                self.desk_member()
            };
            self.clinic.huddle_actions.push(HuddleAction {
                huddle,
                patient,
                action,
                owner,
                created,
                done: None,
            });
        }
    }
}
