//! The huddle's agenda and its ten-minute timer, as plain state over wall-clock times.

use chrono::NaiveDateTime;

use super::Lang;

/// The whole meeting.
pub const HUDDLE_SECONDS: i64 = 10 * 60;
/// The last stretch, shown amber.
pub const LAST_MINUTE_SECONDS: i64 = 60;

/// The agenda, in order (DESIGN §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Complaints,
    RiskyProcesses,
    ChartReview,
    Dropouts,
    OkrPulse,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Complaints,
        Section::RiskyProcesses,
        Section::ChartReview,
        Section::Dropouts,
        Section::OkrPulse,
    ];

    pub fn index(self) -> usize {
        Section::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Section {
        Section::ALL[(self.index() + 1).min(Section::ALL.len() - 1)]
    }

    pub fn prev(self) -> Section {
        Section::ALL[self.index().saturating_sub(1)]
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Section::Complaints => lang.pick("불만 환자", "Complaint patients"),
            Section::RiskyProcesses => lang.pick("위험 프로세스", "Risky processes"),
            Section::ChartReview => lang.pick("오늘의 차트 리뷰", "Today's chart review"),
            Section::Dropouts => lang.pick("예상 이탈 고객", "Expected dropouts"),
            Section::OkrPulse => lang.pick("OKR 현황", "OKR pulse"),
        }
    }

    /// The suggested share of the ten minutes: two minutes each.
    pub fn suggested_seconds(self) -> i64 {
        HUDDLE_SECONDS / Section::ALL.len() as i64
    }
}

/// Where the timer stands, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerPhase {
    NotStarted,
    Running,
    Paused,
    /// Running or paused with a minute or less left.
    LastMinute,
    /// Past ten minutes.
    Overtime,
}

/// A countdown that can be paused; time is measured from wall-clock instants the app passes in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timer {
    /// Seconds counted before the current run.
    banked: i64,
    /// When the current run started; `None` while paused or not started.
    running_since: Option<NaiveDateTime>,
    started: bool,
}

impl Timer {
    /// A timer paused at `elapsed` seconds (a huddle resumed after a restart).
    pub fn resumed(elapsed: i64) -> Timer {
        Timer { banked: elapsed.max(0), running_since: None, started: elapsed > 0 }
    }

    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    pub fn is_started(&self) -> bool {
        self.started
    }

    /// Starts or pauses; returns true when it is now running.
    pub fn toggle(&mut self, now: NaiveDateTime) -> bool {
        match self.running_since.take() {
            Some(since) => {
                self.banked += (now - since).num_seconds().max(0);
                false
            }
            None => {
                self.running_since = Some(now);
                self.started = true;
                true
            }
        }
    }

    pub fn elapsed(&self, now: NaiveDateTime) -> i64 {
        self.banked + self.running_since.map(|s| (now - s).num_seconds().max(0)).unwrap_or(0)
    }

    /// Seconds left; negative past time.
    pub fn remaining(&self, now: NaiveDateTime) -> i64 {
        HUDDLE_SECONDS - self.elapsed(now)
    }

    pub fn phase(&self, now: NaiveDateTime) -> TimerPhase {
        if !self.started {
            return TimerPhase::NotStarted;
        }
        let left = self.remaining(now);
        if left < 0 {
            TimerPhase::Overtime
        } else if left <= LAST_MINUTE_SECONDS {
            TimerPhase::LastMinute
        } else if self.is_running() {
            TimerPhase::Running
        } else {
            TimerPhase::Paused
        }
    }
}

/// `9:05`, `-0:12` past time.
pub fn clock(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.abs();
    format!("{sign}{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(min: u32, sec: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(8, min, sec).unwrap()
    }

    #[test]
    fn counts_down_pauses_and_goes_over() {
        let mut timer = Timer::default();
        assert_eq!(timer.phase(t(0, 0)), TimerPhase::NotStarted);
        assert_eq!(timer.remaining(t(5, 0)), 600);
        assert!(timer.toggle(t(0, 0)));
        assert_eq!(timer.remaining(t(1, 30)), 510);
        assert_eq!(timer.phase(t(1, 30)), TimerPhase::Running);
        assert!(!timer.toggle(t(2, 0)));
        // Paused: time does not move.
        assert_eq!(timer.remaining(t(7, 0)), 480);
        assert_eq!(timer.phase(t(7, 0)), TimerPhase::Paused);
        assert!(timer.toggle(t(7, 0)));
        assert_eq!(timer.remaining(t(15, 0)), 0);
        assert_eq!(timer.phase(t(14, 0)), TimerPhase::LastMinute);
        assert_eq!(timer.phase(t(15, 0)), TimerPhase::LastMinute);
        assert_eq!(timer.phase(t(15, 1)), TimerPhase::Overtime);
        assert_eq!(clock(timer.remaining(t(15, 12))), "-0:12");
        assert_eq!(clock(600), "10:00");
        assert_eq!(clock(65), "1:05");
    }

    #[test]
    fn resumed_timer_is_paused_where_it_was() {
        let timer = Timer::resumed(125);
        assert_eq!(timer.phase(t(0, 0)), TimerPhase::Paused);
        assert_eq!(timer.remaining(t(9, 0)), 475);
        assert_eq!(Timer::resumed(0).phase(t(0, 0)), TimerPhase::NotStarted);
    }

    #[test]
    fn sections_step_and_stop_at_the_ends() {
        assert_eq!(Section::Complaints.prev(), Section::Complaints);
        assert_eq!(Section::Complaints.next(), Section::RiskyProcesses);
        assert_eq!(Section::OkrPulse.next(), Section::OkrPulse);
        let total: i64 = Section::ALL.iter().map(|s| s.suggested_seconds()).sum();
        assert_eq!(total, HUDDLE_SECONDS);
    }
}
