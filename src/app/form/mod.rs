//! The one form widget every screen uses: text fields that take Korean IME input with the
//! terminal caret at the insertion point, pick lists chosen by arrow, key letter or digit,
//! multi-select lists, and date / time / phone / amount fields checked on save.
//!
//! Keys (all from `keymap::FORM`, so help lists them): `Tab`/`Shift-Tab` (and `↑`/`↓`) move
//! between fields; `<-`/`->` move the caret or the pick; `Ctrl-S`, or `Enter` on the last
//! field, saves; `Esc` closes, asking first when something was changed. A form can be turned into a draft (JSON) and back, so that what was
//! typed survives a dropped connection.

use std::cell::Cell;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keymap::{self, Command, Context};
use super::theme::Theme;
use super::widgets;
pub use super::widgets::{clear_popup, popup};
use crate::domain::text::{fit, truncate};
use crate::domain::{Lang, dates, phone, rules, text};

/// One option of a pick list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub label: String,
    /// The letter that picks it; defaults to the first letter of the code.
    pub key: Option<char>,
}

impl Choice {
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice { code: code.into(), label: label.into(), key: None }
    }
    pub fn with_key(mut self, key: char) -> Choice {
        self.key = Some(key);
        self
    }
    /// The letter it asks for: its own key, else the code's first letter when that is a Latin
    /// letter. Digits 1-9 are not letters: they pick by number in every list.
    fn wanted_key(&self) -> Option<char> {
        let k = match self.key {
            Some(k) => Some(k.to_ascii_lowercase()),
            None => {
                self.code.chars().next().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase())
            }
        };
        k.filter(|k| !matches!(k, '1'..='9'))
    }
}

/// The letter that picks each choice of a list: the one it asks for, kept only where no other
/// choice of the same list asks for it (a shared letter picks nothing; its number still does).
pub fn pick_letters(choices: &[Choice]) -> Vec<Option<char>> {
    let wanted: Vec<Option<char>> = choices.iter().map(Choice::wanted_key).collect();
    wanted.iter().map(|w| w.filter(|k| wanted.iter().filter(|o| **o == Some(*k)).count() == 1)).collect()
}

/// The keys shown before each choice while the list has the focus: its number (1-9) and its
/// letter where it has one, e.g. `1/d:`.
pub fn pick_hotkeys(choices: &[Choice]) -> Vec<(Option<char>, Option<char>)> {
    pick_letters(choices)
        .into_iter()
        .enumerate()
        .map(|(i, l)| (if i < 9 { char::from_digit(i as u32 + 1, 10) } else { None }, l))
        .collect()
}

/// The choice a typed character picks: a digit by number, a letter (a jamo counts as its
/// 두벌식 key) where it is unique in the list, or the first character of exactly one code
/// typed as such (a whole syllable, `김`, for a name).
pub fn pick_index(choices: &[Choice], c: char) -> Option<usize> {
    if let Some(d) = c.to_digit(10).filter(|d| (1..=9).contains(d)) {
        let i = d as usize - 1;
        return (i < choices.len()).then_some(i);
    }
    let latin = keymap::latin(c).unwrap_or(c).to_ascii_lowercase();
    if let Some(i) = pick_letters(choices).iter().position(|l| *l == Some(latin)) {
        return Some(i);
    }
    let by_code: Vec<usize> =
        (0..choices.len()).filter(|&i| choices[i].key.is_none() && choices[i].code.starts_with(c)).collect();
    (by_code.len() == 1).then(|| by_code[0])
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text,
    /// A Korean phone number, checked and formatted on save.
    Phone,
    /// A date as the desk types it (2026-11-23, 1123, +7, 오늘).
    Date,
    /// A time of day (14:30, 1430).
    Time,
    /// Whole won (4,900,000, 490만원).
    Amount,
    /// A whole number.
    Number,
    /// One of the choices; `selected` is its index.
    Pick {
        choices: Vec<Choice>,
        selected: Option<usize>,
    },
    /// Any number of the choices; `cursor` is the highlighted one.
    Multi {
        choices: Vec<Choice>,
        selected: Vec<bool>,
        cursor: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub id: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub value: String,
    /// Caret position in characters.
    pub caret: usize,
    /// The whole value is selected (set on entering the field): typing replaces it.
    pub selected: bool,
    pub required: bool,
    pub hidden: bool,
    pub error: Option<String>,
    /// A hint shown dim after an empty value.
    pub hint: String,
    /// The named rule a number or amount must keep (`domain::rules`), checked on save.
    pub range: Option<rules::Range>,
}

impl Field {
    fn new(id: &'static str, label: impl Into<String>, kind: FieldKind) -> Field {
        Field {
            id,
            label: label.into(),
            kind,
            value: String::new(),
            caret: 0,
            selected: false,
            required: false,
            hidden: false,
            error: None,
            hint: String::new(),
            range: None,
        }
    }
    pub fn text(id: &'static str, label: impl Into<String>) -> Field {
        Field::new(id, label, FieldKind::Text)
    }
    pub fn phone(id: &'static str, label: impl Into<String>) -> Field {
        Field::new(id, label, FieldKind::Phone)
    }
    pub fn date(id: &'static str, label: impl Into<String>) -> Field {
        Field::new(id, label, FieldKind::Date)
    }
    pub fn time(id: &'static str, label: impl Into<String>) -> Field {
        Field::new(id, label, FieldKind::Time)
    }
    pub fn amount(id: &'static str, label: impl Into<String>) -> Field {
        Field::new(id, label, FieldKind::Amount)
    }
    pub fn number(id: &'static str, label: impl Into<String>) -> Field {
        Field::new(id, label, FieldKind::Number)
    }
    pub fn pick(id: &'static str, label: impl Into<String>, choices: Vec<Choice>) -> Field {
        Field::new(id, label, FieldKind::Pick { choices, selected: None })
    }
    pub fn multi(id: &'static str, label: impl Into<String>, choices: Vec<Choice>) -> Field {
        let n = choices.len();
        Field::new(id, label, FieldKind::Multi { choices, selected: vec![false; n], cursor: 0 })
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Field {
        self.hint = hint.into();
        self
    }
    /// A number or amount that must keep this rule (e.g. `rules::DURATION_MINUTES`).
    pub fn range(mut self, range: rules::Range) -> Field {
        self.range = Some(range);
        self
    }
    pub fn value(mut self, v: impl Into<String>) -> Field {
        self.set_value(v);
        self
    }
    /// Preselects the choice with this code (pick lists) or these codes (multi).
    pub fn selected(mut self, code: &str) -> Field {
        self.select(code);
        self
    }

    pub fn set_value(&mut self, v: impl Into<String>) {
        self.value = v.into();
        self.caret = self.value.chars().count();
        self.selected = false;
    }

    pub fn select(&mut self, codes: &str) {
        match &mut self.kind {
            FieldKind::Pick { choices, selected } => *selected = choices.iter().position(|c| c.code == codes),
            FieldKind::Multi { choices, selected, .. } => {
                let want: Vec<&str> = codes.split(',').map(str::trim).collect();
                for (i, c) in choices.iter().enumerate() {
                    selected[i] = want.contains(&c.code.as_str());
                }
            }
            _ => self.set_value(codes),
        }
    }

    fn is_text(&self) -> bool {
        !matches!(self.kind, FieldKind::Pick { .. } | FieldKind::Multi { .. })
    }

    /// What the field holds, as stored in a draft: text, a pick's code, or codes joined by commas.
    pub fn raw(&self) -> String {
        match &self.kind {
            FieldKind::Pick { choices, selected } => {
                selected.and_then(|i| choices.get(i)).map(|c| c.code.clone()).unwrap_or_default()
            }
            FieldKind::Multi { choices, selected, .. } => choices
                .iter()
                .zip(selected)
                .filter(|(_, s)| **s)
                .map(|(c, _)| c.code.as_str())
                .collect::<Vec<_>>()
                .join(","),
            _ => self.value.clone(),
        }
    }

    fn is_empty(&self) -> bool {
        self.raw().trim().is_empty()
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEvent {
    /// Nothing the caller needs to act on.
    None,
    /// The value of this field changed (the caller may look something up, e.g. a phone).
    Changed(&'static str),
    /// Focus moved to another field.
    Moved,
    /// Save was asked for and every field passed its own checks.
    Submit,
    /// The form is closed without saving.
    Cancel,
}

/// A form: a title, fields, the focused field, and whether anything was changed.
#[derive(Debug, Clone)]
pub struct Form {
    pub id: &'static str,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// Esc was pressed on a changed form: waiting for y/n.
    pub confirm_discard: bool,
    /// A message about the whole form (e.g. "another terminal is writing").
    pub message: Option<String>,
    /// A side panel of text to show beside the fields (e.g. the Q&A manual).
    pub aside: Vec<String>,
    pub lang: Lang,
    pub today: NaiveDate,
    /// The typed form's spec, serialised (set by [`spec::OpenForm`]): saved in the draft so the
    /// form can be built again for the same patient, callback or visit.
    pub state: Option<String>,
    /// The field the desk is in: its selection is live. When focus lands on another field,
    /// that field's value is selected on the next key, so typing replaces a prefilled value.
    entered: Option<usize>,
    caret_at: Cell<Option<(u16, u16)>>,
}

impl Form {
    pub fn new(id: &'static str, title: impl Into<String>, lang: Lang, today: NaiveDate) -> Form {
        Form {
            id,
            title: title.into(),
            fields: Vec::new(),
            focus: 0,
            dirty: false,
            confirm_discard: false,
            message: None,
            aside: Vec::new(),
            lang,
            today,
            state: None,
            entered: None,
            caret_at: Cell::new(None),
        }
    }

    pub fn field(mut self, f: Field) -> Form {
        self.fields.push(f);
        self
    }

    pub fn get(&self, id: &str) -> &Field {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("form {} has no field {id}", self.id))
    }

    pub fn get_mut(&mut self, id: &str) -> &mut Field {
        let form = self.id;
        self.fields.iter_mut().find(|f| f.id == id).unwrap_or_else(|| panic!("form {form} has no field {id}"))
    }

    /// The text of a field, trimmed and NFC.
    pub fn text(&self, id: &str) -> String {
        text::clean(&self.get(id).raw())
    }

    /// The code of a pick list, if one is picked.
    pub fn picked(&self, id: &str) -> Option<String> {
        let r = self.get(id).raw();
        (!r.is_empty()).then_some(r)
    }

    /// The codes picked in a multi-select.
    pub fn picked_all(&self, id: &str) -> Vec<String> {
        self.get(id).raw().split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
    }

    pub fn date(&self, id: &str) -> Option<NaiveDate> {
        dates::parse_date_input(&self.get(id).value, self.today).ok()
    }

    pub fn time(&self, id: &str) -> Option<chrono::NaiveTime> {
        dates::parse_time_input(&self.get(id).value).ok()
    }

    pub fn amount(&self, id: &str) -> Option<i64> {
        text::parse_won(&self.get(id).value)
    }

    pub fn number(&self, id: &str) -> Option<i64> {
        self.get(id).value.trim().parse().ok()
    }

    /// The phone number formatted with dashes, if valid.
    pub fn phone(&self, id: &str) -> Option<String> {
        phone::Phone::parse(&self.get(id).value).ok().map(|p| p.formatted())
    }

    pub fn set_hidden(&mut self, id: &str, hidden: bool) {
        self.get_mut(id).hidden = hidden;
    }

    /// Puts an error on a field and moves the focus there; the form stays open.
    pub fn set_error(&mut self, id: &str, msg: impl Into<String>) {
        let idx = self.fields.iter().position(|f| f.id == id);
        if let Some(i) = idx {
            self.fields[i].error = Some(msg.into());
            self.focus = i;
        }
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus.min(self.fields.len().saturating_sub(1))]
    }

    pub fn focus_on(&mut self, id: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id) {
            self.focus = i;
        }
    }

    fn visible(&self) -> Vec<usize> {
        (0..self.fields.len()).filter(|&i| !self.fields[i].hidden).collect()
    }

    fn move_focus(&mut self, forward: bool) {
        let vis = self.visible();
        if vis.is_empty() {
            return;
        }
        let pos = vis.iter().position(|&i| i == self.focus).unwrap_or(0);
        let next = if forward { (pos + 1).min(vis.len() - 1) } else { pos.saturating_sub(1) };
        self.focus = vis[next];
    }

    fn on_last_field(&self) -> bool {
        self.visible().last() == Some(&self.focus)
    }

    /// Checks every visible field's own rules (required, phone, date ~). On failure the
    /// first bad field gets the focus and its message.
    pub fn validate(&mut self) -> bool {
        let lang = self.lang;
        let today = self.today;
        let mut first_bad = None;
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.error = None;
            if f.hidden {
                continue;
            }
            if f.is_empty() {
                if f.required {
                    f.error = Some(lang.pick("꼭 채워 주세요", "required").into());
                }
            } else {
                let v = f.value.trim();
                f.error = match f.kind {
                    FieldKind::Phone => phone::Phone::parse(v).err().map(|e| phone_error(e, lang)),
                    FieldKind::Date => dates::parse_date_input(v, today).err().map(|_| {
                        lang.pick(
                            "날짜가 아닙니다 (예: 2026-11-23, 1123, +7)",
                            "not a date (e.g. 2026-11-23, 1123, +7)",
                        )
                        .into()
                    }),
                    FieldKind::Time => dates::parse_time_input(v)
                        .err()
                        .map(|_| lang.pick("시각이 아닙니다 (예: 14:30)", "not a time (e.g. 14:30)").into()),
                    FieldKind::Amount => text::parse_won(v).is_none().then(|| {
                        lang.pick(
                            "금액이 아닙니다 (예: 4,900,000 또는 490만원)",
                            "not an amount (e.g. 4,900,000 or 490만원)",
                        )
                        .into()
                    }),
                    FieldKind::Number => v
                        .parse::<i64>()
                        .is_err()
                        .then(|| lang.pick("숫자로 적어 주세요", "must be a whole number").into()),
                    _ => None,
                };
                if f.error.is_none()
                    && let Some(r) = f.range
                {
                    let n = match f.kind {
                        FieldKind::Amount => text::parse_won(v),
                        _ => v.parse::<i64>().ok(),
                    };
                    f.error = n.filter(|n| !r.contains(*n)).map(|_| match lang {
                        Lang::Ko => format!("{}~{} 사이로 적어 주세요", r.min, r.max),
                        Lang::En => r.must_be(),
                    });
                }
            }
            if f.error.is_some() && first_bad.is_none() {
                first_bad = Some(i);
            }
        }
        if let Some(i) = first_bad {
            self.focus = i;
            false
        } else {
            true
        }
    }

    /// Enters the focused field: its value is selected so typing replaces it.
    fn enter_focused(&mut self) {
        if self.entered == Some(self.focus) {
            return;
        }
        if let Some(old) = self.entered.and_then(|i| self.fields.get_mut(i)) {
            old.selected = false;
        }
        self.entered = Some(self.focus);
        if let Some(f) = self.fields.get_mut(self.focus).filter(|f| f.is_text()) {
            f.caret = f.value.chars().count();
            f.selected = !f.value.is_empty();
        }
    }

    /// Whether field `i` shows its value selected (the focused one before the first key too).
    fn shows_selected(&self, i: usize) -> bool {
        let f = &self.fields[i];
        if self.entered == Some(i) {
            f.selected
        } else {
            i == self.focus && f.is_text() && !f.value.is_empty()
        }
    }

    /// Handles a key. Returns what the caller should act on.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormEvent {
        self.message = None;
        self.enter_focused();
        if self.confirm_discard {
            self.confirm_discard = false;
            return if keymap::is_yes(key) { FormEvent::Cancel } else { FormEvent::None };
        }
        match keymap::lookup(&[Context::Form], key) {
            Some(Command::Save) => return self.submit(),
            Some(Command::FieldEnter) => {
                if self.on_last_field() {
                    return self.submit();
                }
                self.move_focus(true);
                return FormEvent::Moved;
            }
            Some(Command::Cancelled) => {
                if self.dirty {
                    self.confirm_discard = true;
                    return FormEvent::None;
                }
                return FormEvent::Cancel;
            }
            Some(Command::NextField) => {
                self.move_focus(true);
                return FormEvent::Moved;
            }
            Some(Command::PrevField) => {
                self.move_focus(false);
                return FormEvent::Moved;
            }
            _ => {}
        }
        if self.fields.is_empty() {
            return FormEvent::None;
        }
        let idx = self.focus;
        let field = &mut self.fields[idx];
        let changed = if field.is_text() { edit_text(field, key) } else { edit_choice(field, key) };
        if changed {
            field.error = None;
            self.dirty = true;
            FormEvent::Changed(self.fields[idx].id)
        } else {
            FormEvent::None
        }
    }

    fn submit(&mut self) -> FormEvent {
        if self.validate() { FormEvent::Submit } else { FormEvent::None }
    }

    /// The form as a draft: field id -> raw value, plus which field had the focus and the
    /// typed form's spec ([`spec::STATE_KEY`]).
    pub fn to_draft(&self) -> String {
        let mut map: BTreeMap<&str, String> = self.fields.iter().map(|f| (f.id, f.raw())).collect();
        map.insert("__focus", self.focus.to_string());
        if let Some(state) = &self.state {
            map.insert(spec::STATE_KEY, state.clone());
        }
        serde_json::to_string(&map).unwrap_or_default()
    }

    /// Fills the form from a draft made by [`Form::to_draft`]; unknown ids are ignored.
    pub fn restore_draft(&mut self, draft: &str) -> bool {
        let Ok(map) = serde_json::from_str::<BTreeMap<String, String>>(draft) else { return false };
        for f in &mut self.fields {
            if let Some(v) = map.get(f.id) {
                f.select(v);
            }
        }
        if let Some(focus) = map.get("__focus").and_then(|f| f.parse::<usize>().ok()) {
            self.focus = focus.min(self.fields.len().saturating_sub(1));
        }
        self.dirty = true;
        true
    }

    /// Where the terminal caret was drawn last (inside the focused text field).
    pub fn caret(&self) -> Option<(u16, u16)> {
        self.caret_at.get()
    }

    /// The popup rectangle this form takes inside `area`.
    pub fn popup_area(&self, area: Rect) -> Rect {
        let rows =
            self.visible().iter().map(|&i| 1 + usize::from(self.fields[i].error.is_some())).sum::<usize>();
        let want_h = (rows + 5) as u16;
        let want_w = if self.aside.is_empty() { 76 } else { 116 };
        popup(area, want_w, want_h)
    }
}

mod edit;
pub mod spec;
mod view;
use super::kit::line_input::visible as visible_text;
use edit::{choice_spans, edit_choice, edit_text, phone_error};
pub use view::{ChoiceHit, begin_frame, choice_at};

#[cfg(test)]
mod tests;
