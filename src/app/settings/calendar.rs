//! The settings screen's clinic calendar (issue 19 item 3): the clinic's own closed days, its
//! short days (hours for one date) and each treatment's hourly cap (e.g. 추나 at most 4 an
//! hour). Public holidays come from the built-in table and are not edited here.
//!
//! Keys (the settings keys): `n` adds a closed day or a short day, `e`/Enter changes a short
//! day's hours or a treatment's cap, `D` removes the closed day, the short day or the cap after
//! a yes/no question. Every change is one audited desk write (`desk::booking`).

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

#[allow(unused_imports)]
use super::*;
use crate::app::kit::confirm::{Answer, Confirm, ConfirmBox};
use crate::domain::calendar::parse_short_day;

/// The form's id (drafts, tests).
pub const CALENDAR_FORM: &str = "settings_calendar";

/// One row of the calendar section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarRow {
    /// The clinic's own closed day.
    Closure(NaiveDate),
    /// A short day and its hours (`09:30-13:00`).
    Short(NaiveDate, String),
    /// A treatment and its hourly cap (`None`: no cap).
    Cap { code: String, ko: String, en: String, cap: Option<i64> },
    /// A public holiday coming up (from the built-in table; shown, not edited).
    Holiday(NaiveDate, &'static str, &'static str),
}

/// How far ahead the page lists the public holidays, in days.
pub const HOLIDAYS_AHEAD: i64 = 120;

impl SettingsState {
    /// The section's rows: closed days, then short days (both by date), then every treatment's
    /// cap, then the public holidays of the next [`HOLIDAYS_AHEAD`] days.
    pub fn calendar_items(&self) -> Vec<CalendarRow> {
        let c = &self.data.clinic;
        let mut closures: Vec<NaiveDate> =
            c.closed_dates.iter().filter_map(|d| crate::domain::parse::parse_date(d).ok()).collect();
        closures.sort();
        let mut shorts: Vec<(NaiveDate, String)> = c
            .short_days
            .iter()
            .filter_map(|s| parse_short_day(s))
            .map(|(d, span)| (d, span.text()))
            .collect();
        shorts.sort();
        let mut rows: Vec<CalendarRow> = closures.into_iter().map(CalendarRow::Closure).collect();
        rows.extend(shorts.into_iter().map(|(d, h)| CalendarRow::Short(d, h)));
        rows.extend(self.data.treatments.iter().filter(|t| t.active).map(|t| CalendarRow::Cap {
            code: t.code.clone(),
            ko: t.ko.clone(),
            en: t.en.clone(),
            cap: t.hourly_cap,
        }));
        rows.extend(
            (0..HOLIDAYS_AHEAD)
                .map(|n| self.today + chrono::Duration::days(n))
                .filter_map(crate::domain::calendar::holiday)
                .map(|h| CalendarRow::Holiday(h.date, h.ko, h.en)),
        );
        rows
    }

    pub(super) fn calendar_rows(&self) -> Vec<(String, bool)> {
        let lang = self.lang;
        let date = |d: &NaiveDate| {
            format!("{} ({})", d.format("%Y-%m-%d"), crate::domain::calendar::weekday_name(d.weekday(), lang))
        };
        self.calendar_items()
            .iter()
            .map(|r| match r {
                CalendarRow::Closure(d) => {
                    (format!("{}{}", fit(lang.pick("휴진일", "Closed"), 16), date(d)), true)
                }
                CalendarRow::Short(d, h) => {
                    (format!("{}{}  {h}", fit(lang.pick("단축 진료", "Short day"), 16), date(d)), true)
                }
                CalendarRow::Holiday(d, ko, en) => (
                    format!("{}{}  {}", fit(lang.pick("공휴일", "Holiday"), 16), date(d), lang.pick(ko, en)),
                    false,
                ),
                CalendarRow::Cap { ko, en, cap, .. } => {
                    let shown = match cap {
                        Some(c) => match lang {
                            Lang::Ko => format!("시간당 {c}명까지"),
                            Lang::En => format!("at most {c} an hour"),
                        },
                        None => lang.pick("제한 없음", "no cap").into(),
                    };
                    (
                        format!(
                            "{}{}{shown}",
                            fit(lang.pick("시간당 상한", "Hourly cap"), 16),
                            fit(lang.pick(ko, en), 20)
                        ),
                        cap.is_some(),
                    )
                }
            })
            .collect()
    }

    fn calendar_form(&self, title: &str, row: Option<&CalendarRow>) -> Form {
        let lang = self.lang;
        let kinds = vec![
            Choice::new("closure", lang.pick("휴진일", "Closed day")).with_key('c'),
            Choice::new("short", lang.pick("단축 진료", "Short day")).with_key('s'),
        ];
        let mut form = Form::new(CALENDAR_FORM, title, lang, self.today)
            .field(Field::pick("kind", lang.pick("종류", "Kind"), kinds).selected("closure"))
            .field(Field::date("date", lang.pick("날짜", "Date")).required().hint("2026-12-31, 1231"))
            .field(
                Field::text("hours", lang.pick("진료시간", "Hours"))
                    .hint(lang.pick("단축 진료일 때: 09:30-13:00", "for a short day: 09:30-13:00")),
            )
            .field(
                Field::number("cap", lang.pick("시간당 최대", "At most an hour"))
                    .range(crate::domain::rules::HOURLY_CAP)
                    .hint(lang.pick("비우면 제한 없음", "empty: no cap")),
            );
        form.set_hidden("cap", true);
        match row {
            Some(CalendarRow::Short(d, h)) => {
                form.get_mut("kind").select("short");
                form.get_mut("date").set_value(d.format("%Y-%m-%d").to_string());
                form.get_mut("hours").set_value(h.clone());
                // The date names the short day being changed.
                form.set_hidden("kind", true);
                form.set_hidden("date", true);
                form.focus_on("hours");
            }
            Some(CalendarRow::Cap { cap, .. }) => {
                for id in ["kind", "date", "hours"] {
                    form.set_hidden(id, true);
                }
                form.set_hidden("cap", false);
                form.get_mut("cap").set_value(cap.map(|c| c.to_string()).unwrap_or_default());
                form.focus_on("cap");
            }
            _ => form.focus_on("kind"),
        }
        form
    }

    /// A settings command on the calendar section (`n`, `e`/Enter, `D`; `x` does not apply).
    pub(super) fn calendar_command(&mut self, cmd: Command) -> Outcome {
        let lang = self.lang;
        let row = self.calendar_items().get(self.selected).cloned();
        match (cmd, &row) {
            (Command::New, _) => {
                self.editing = None;
                self.form = Some(
                    self.calendar_form(lang.pick("휴진일/단축 진료 추가", "Add a closed or short day"), None),
                );
            }
            (Command::Edit, Some(r @ CalendarRow::Short(d, _))) => {
                let title = match lang {
                    Lang::Ko => format!("단축 진료 {} 고치기", d.format("%Y-%m-%d")),
                    Lang::En => format!("Short day {} edit", d.format("%Y-%m-%d")),
                };
                self.editing = Some(d.format("%Y-%m-%d").to_string());
                self.form = Some(self.calendar_form(&title, Some(r)));
            }
            (Command::Edit, Some(r @ CalendarRow::Cap { code, ko, en, .. })) => {
                let title = match lang {
                    Lang::Ko => format!("{ko} 시간당 상한"),
                    Lang::En => format!("{en} hourly cap"),
                };
                self.editing = Some(code.clone());
                self.form = Some(self.calendar_form(&title, Some(r)));
            }
            (Command::Edit, Some(CalendarRow::Closure(_))) => {
                self.message = Some((
                    true,
                    lang.pick(
                        "휴진일은 고치지 않습니다: D로 지우고 n으로 새 날짜를 추가하세요",
                        "A closed day is not edited: remove it with D and add the new date with n",
                    )
                    .into(),
                ));
            }
            (Command::Edit | Command::Delete, Some(CalendarRow::Holiday(..))) => {
                self.message = Some((
                    true,
                    lang.pick(
                        "공휴일은 정해져 있어 고치거나 지우지 않습니다 (그날 진료하면 예약 때 경고만 나옵니다)",
                        "Public holidays are built in and not edited (booking on one only warns)",
                    )
                    .into(),
                ));
            }
            (Command::Delete, Some(CalendarRow::Cap { cap: None, .. })) => {
                self.message = Some((true, lang.pick("상한이 없습니다", "There is no cap to remove").into()));
            }
            (Command::Delete, Some(r)) => self.calendar_confirm = Some(Confirm::new(r.clone())),
            (Command::Retire, _) => {
                self.message = Some((
                    true,
                    lang.pick(
                        "달력 항목은 사용 중지가 없습니다: D로 지우세요",
                        "Calendar rows are not retired: remove them with D",
                    )
                    .into(),
                ));
            }
            _ => {}
        }
        Outcome::Handled
    }

    /// The removal question's answer; `None` when no question is open.
    pub(super) fn calendar_confirm_key(&mut self, key: &KeyEvent, store: &mut Store) -> Option<Outcome> {
        let prompt = self.calendar_confirm.take()?;
        match prompt.on_key(key) {
            Some(Answer::Yes) => {
                let refused = store.staff_refusals();
                let r = match &prompt.subject {
                    CalendarRow::Closure(d) => desk::booking::remove_closure(store, *d),
                    CalendarRow::Short(d, _) => desk::booking::set_short_day(store, *d, None),
                    CalendarRow::Cap { code, .. } => desk::booking::set_hourly_cap(store, code, None),
                    CalendarRow::Holiday(..) => Ok(()),
                };
                if store.staff_refusals() != refused {
                    // Asked who is here first: the question stays for the same key again.
                    self.calendar_confirm = Some(prompt);
                }
                Some(self.calendar_written(r, store))
            }
            Some(Answer::No) => Some(Outcome::Handled),
            None => {
                self.calendar_confirm = Some(prompt);
                Some(Outcome::Handled)
            }
        }
    }

    /// Saves the calendar form: a closed day, a short day, or a treatment's cap.
    pub(super) fn save_calendar(&mut self, store: &mut Store) -> Outcome {
        let Some(form) = &mut self.form else { return Outcome::Handled };
        let lang = self.lang;
        let r = if !form.get("cap").hidden {
            let Some(code) = self.editing.clone() else { return Outcome::Handled };
            let cap = form.number("cap");
            desk::booking::set_hourly_cap(store, &code, cap)
        } else {
            let Some(date) = form.date("date") else { return Outcome::Handled };
            if form.picked("kind").as_deref() == Some("short") {
                let hours = form.text("hours");
                if hours.is_empty() {
                    form.set_error(
                        "hours",
                        lang.pick("단축 진료 시간을 적어 주세요", "enter the short day's hours"),
                    );
                    return Outcome::Handled;
                }
                desk::booking::set_short_day(store, date, Some(&hours))
            } else {
                desk::booking::add_closure(store, date)
            }
        };
        self.calendar_written(r, store)
    }

    fn calendar_written(&mut self, r: Result<(), DeskError>, store: &Store) -> Outcome {
        let lang = self.lang;
        match r {
            Ok(()) => {
                self.form = None;
                let _ = self.reload(store);
                self.message = Some((false, lang.pick("저장했습니다", "Saved").into()));
                Outcome::Changed
            }
            Err(DeskError::Field { field, why }) if self.form.is_some() => {
                let id = if field == "hourly_cap" { "cap" } else { field };
                if let Some(f) = self.form.as_mut() {
                    if f.fields.iter().any(|x| x.id == id && !x.hidden) {
                        f.set_error(id, why.words(lang));
                    } else {
                        f.message = Some(why.words(lang));
                    }
                }
                Outcome::Handled
            }
            Err(e) => {
                match &mut self.form {
                    // Keep the form and everything typed; say what is wrong.
                    Some(f) => f.message = Some(e.words(lang)),
                    None => self.message = Some((true, e.words(lang))),
                }
                Outcome::Handled
            }
        }
    }

    /// The page's own key hints for the footer (its keys differ from the code lists').
    pub(super) fn calendar_footer(&self) -> String {
        let lang = self.lang;
        format!(
            " Left/Right {}  n {}  e/Enter {}  D {}  Esc {}",
            lang.pick("항목", "section"),
            lang.pick("추가", "add"),
            lang.pick("고치기", "edit"),
            lang.pick("지우기(확인)", "remove (asks)"),
            lang.pick("닫기", "close"),
        )
    }

    /// The removal question over the screen.
    pub(super) fn draw_calendar_confirm(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let Some(prompt) = &self.calendar_confirm else { return };
        let lang = self.lang;
        let question = match (&prompt.subject, lang) {
            (CalendarRow::Closure(d), Lang::Ko) => {
                format!("휴진일 {}을 지울까요? 그날은 다시 진료일이 됩니다", d.format("%Y-%m-%d"))
            }
            (CalendarRow::Closure(d), Lang::En) => {
                format!("Remove the closed day {}? The clinic is open that day again", d.format("%Y-%m-%d"))
            }
            (CalendarRow::Short(d, h), Lang::Ko) => {
                format!("단축 진료 {} {h}를 지울까요? 평소 시간으로 돌아갑니다", d.format("%Y-%m-%d"))
            }
            (CalendarRow::Short(d, h), Lang::En) => {
                format!("Remove the short day {} {h}? The usual hours apply again", d.format("%Y-%m-%d"))
            }
            (CalendarRow::Cap { ko, .. }, Lang::Ko) => format!("{ko}의 시간당 상한을 없앨까요?"),
            (CalendarRow::Cap { en, .. }, Lang::En) => format!("Remove the hourly cap of {en}?"),
            (CalendarRow::Holiday(..), _) => return,
        };
        ConfirmBox::new(
            lang.pick("지우기", "Remove"),
            question,
            lang.pick("지우기", "remove"),
            lang.pick("그대로 두기", "keep"),
        )
        .width(64)
        .style(theme.error)
        .render(area, buf, theme);
    }
}

use chrono::Datelike;
