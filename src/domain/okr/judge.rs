//! Judging a key result: met, progress, status, objective summaries, and values as people read and type them.

use super::{Direction, EPSILON, Metric};

/// Where a key result stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Met,
    OnTrack,
    Behind,
    OffTrack,
    /// No value yet (a rate with nothing to divide by, a manual result with no check-in).
    NoData,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::Behind => "behind",
            Status::OffTrack => "off_track",
            Status::NoData => "no_data",
        }
    }

    pub fn label(self, lang: crate::domain::Lang) -> &'static str {
        lang.pick(
            match self {
                Status::Met => "달성!",
                Status::OnTrack => "순항",
                Status::Behind => "뒤처짐",
                Status::OffTrack => "위험",
                Status::NoData => "자료 없음",
            },
            match self {
                Status::Met => "Met!",
                Status::OnTrack => "On track",
                Status::Behind => "Behind",
                Status::OffTrack => "Off track",
                Status::NoData => "No data",
            },
        )
    }

    /// How bad it is, for "the worst status among them".
    fn severity(self) -> u8 {
        match self {
            Status::NoData => 0,
            Status::Met => 1,
            Status::OnTrack => 2,
            Status::Behind => 3,
            Status::OffTrack => 4,
        }
    }
}

/// True when `value` meets the target; inclusive (a 30% no-show rate meets "at most 30%").
pub fn is_met(direction: Direction, value: f64, target: f64) -> bool {
    match direction {
        Direction::AtLeast => value >= target - EPSILON,
        Direction::AtMost => value <= target + EPSILON,
    }
}

/// Progress from 0 to 1 (DESIGN §4).
///
/// `at_least`: (value − baseline) ÷ (target − baseline), clamped, baseline 0 by default.
/// `at_most`: 1 when met; else (baseline − value) ÷ (baseline − target) when a baseline above
/// the target is given; else 0 (without a starting point there is no way to say how close).
pub fn progress(direction: Direction, value: f64, target: f64, baseline: Option<f64>) -> f64 {
    if is_met(direction, value, target) {
        return 1.0;
    }
    match direction {
        Direction::AtLeast => {
            let base = baseline.unwrap_or(0.0);
            if target - base <= EPSILON {
                // Target at or below the baseline and not met: nothing gained yet.
                return 0.0;
            }
            ((value - base) / (target - base)).clamp(0.0, 1.0)
        }
        Direction::AtMost => match baseline {
            Some(base) if base > target + EPSILON => ((base - value) / (base - target)).clamp(0.0, 1.0),
            _ => 0.0,
        },
    }
}

/// Met; on track (progress at or past pace); behind (within 20 points of pace); off track.
pub fn status(met: bool, progress: f64, pace: f64) -> Status {
    if met {
        Status::Met
    } else if progress >= pace - EPSILON {
        Status::OnTrack
    } else if progress >= pace - 0.20 - EPSILON {
        Status::Behind
    } else {
        Status::OffTrack
    }
}

/// A key result judged at a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    pub value: Option<f64>,
    /// `None` when there is no value.
    pub progress: Option<f64>,
    pub pace: f64,
    pub status: Status,
}

/// Judges a value against its key result. No value: no progress, status `NoData`.
pub fn judge(
    direction: Direction,
    target: f64,
    baseline: Option<f64>,
    value: Option<f64>,
    pace: f64,
) -> Judgement {
    match value {
        None => Judgement { value, progress: None, pace, status: Status::NoData },
        Some(v) => {
            let p = progress(direction, v, target, baseline);
            Judgement {
                value,
                progress: Some(p),
                pace,
                status: status(is_met(direction, v, target), p, pace),
            }
        }
    }
}

/// An objective: the mean progress of its key results with a value, and the worst status among
/// them. It is met only when every key result is met: a key result without data is never met,
/// so an objective whose other key results are all met reads "no data" until it has some
/// (one accepted consultation must not turn a revenue objective with no check-in into "Met!").
pub fn objective_summary(krs: &[Judgement]) -> (Option<f64>, Status) {
    let with_value: Vec<f64> = krs.iter().filter_map(|j| j.progress).collect();
    let mean = (!with_value.is_empty()).then(|| with_value.iter().sum::<f64>() / with_value.len() as f64);
    let worst = krs.iter().map(|j| j.status).max_by_key(|s| s.severity()).unwrap_or(Status::NoData);
    let any_without_data = krs.iter().any(|j| j.status == Status::NoData);
    let status = if worst == Status::Met && any_without_data { Status::NoData } else { worst };
    (mean, status)
}

/// How many of an objective's key results have no value yet.
pub fn without_data(krs: &[Judgement]) -> usize {
    krs.iter().filter(|j| j.status == Status::NoData).count()
}

/// A value as people read it: rates as percentages, counts whole, averages with one decimal.
/// No value is "-" (plain ASCII: the en dash is ambiguous-width in CJK terminals).
pub fn format_value(metric: &Metric, value: Option<f64>, unit: &str) -> String {
    let Some(v) = value else { return "-".to_string() };
    if metric.is_rate() {
        let pct = v * 100.0;
        if (pct - pct.round()).abs() < 0.05 { format!("{:.0}%", pct) } else { format!("{:.1}%", pct) }
    } else if (v - v.round()).abs() < EPSILON {
        let n = crate::domain::text::format_won(v.round() as i64);
        if unit.is_empty() { n } else { format!("{n}{unit}") }
    } else {
        let n = format!("{v:.1}");
        if unit.is_empty() { n } else { format!("{n}{unit}") }
    }
}

/// A target or baseline as typed: `80%`, `0.8`, `50`, `3,000만원`. For a rate, a number above 1
/// without `%` is read as a percentage too (`80` -> 0.8), since rates are fractions.
pub fn parse_amount_input(input: &str, is_rate: bool) -> Option<f64> {
    let t = input.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(pct) = t.strip_suffix('%') {
        let v: f64 = pct.trim().replace(',', "").parse().ok()?;
        return v.is_finite().then_some(v / 100.0);
    }
    let v = match t.replace(',', "").parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => crate::domain::text::parse_won(t)? as f64,
    };
    Some(if is_rate && v > 1.0 { v / 100.0 } else { v })
}
