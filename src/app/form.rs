//! The one form widget every screen uses: text fields that take Korean IME input with the
//! terminal caret at the insertion point, pick lists chosen by arrow, key letter or digit,
//! multi-select lists, and date / time / phone / amount fields checked on save.
//!
//! Keys: `Tab`/`Shift-Tab` (and `↑`/`↓`) move between fields; `<-`/`->` move the caret or the
//! pick; `Ctrl-S`, or `Enter` on the last field, saves; `Esc` closes, asking first when
//! something was changed. A form can be turned into a draft (JSON) and back, so that what was
//! typed survives a dropped connection.

use std::cell::Cell;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::keymap::{self, Command, Context};
use super::theme::Theme;
use super::widgets;
use crate::domain::text::{fit, truncate, width};
use crate::domain::{Lang, dates, phone, text};

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
    /// The letter that picks it: its own key, else the code's first letter when that is a Latin
    /// letter. Codes that start otherwise (names, ids) are picked by their number in the list,
    /// shown in its place (`1:김원장`), as every pick takes digits.
    fn pick_key(&self) -> Option<char> {
        match self.key {
            Some(k) => Some(k.to_ascii_lowercase()),
            None => {
                self.code.chars().next().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase())
            }
        }
    }

    /// The key shown before the choice at `index`: its letter, else its number.
    fn shown_key(&self, index: usize) -> Option<char> {
        self.pick_key().or_else(|| if index < 9 { char::from_digit(index as u32 + 1, 10) } else { None })
    }

    /// True when a typed letter picks it: its letter (a jamo counts as its 두벌식 key), or the
    /// first character of its code typed as such (a whole syllable, `김`, for a name).
    fn answers(&self, c: char) -> bool {
        let latin = super::keymap::latin(c).unwrap_or(c).to_ascii_lowercase();
        self.pick_key() == Some(latin) || (self.key.is_none() && self.code.starts_with(c))
    }
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
    pub required: bool,
    pub hidden: bool,
    pub error: Option<String>,
    /// A hint shown dim after an empty value.
    pub hint: String,
}

impl Field {
    fn new(id: &'static str, label: impl Into<String>, kind: FieldKind) -> Field {
        Field {
            id,
            label: label.into(),
            kind,
            value: String::new(),
            caret: 0,
            required: false,
            hidden: false,
            error: None,
            hint: String::new(),
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

    /// Handles a key. Returns what the caller should act on.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormEvent {
        self.message = None;
        if self.confirm_discard {
            self.confirm_discard = false;
            return if keymap::is_yes(key) { FormEvent::Cancel } else { FormEvent::None };
        }
        match keymap::lookup(&[Context::Form], key) {
            Some(Command::Save) => return self.submit(),
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
        match key.code {
            KeyCode::Up => {
                self.move_focus(false);
                return FormEvent::Moved;
            }
            KeyCode::Down => {
                self.move_focus(true);
                return FormEvent::Moved;
            }
            KeyCode::Enter => {
                if self.on_last_field() {
                    return self.submit();
                }
                self.move_focus(true);
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

    /// The form as a draft: field id -> raw value, plus which field had the focus.
    pub fn to_draft(&self) -> String {
        let mut map: BTreeMap<&str, String> = self.fields.iter().map(|f| (f.id, f.raw())).collect();
        map.insert("__focus", self.focus.to_string());
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

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        self.render_aside_with(area, buf, theme, &|s: &str| s.to_string());
    }

    /// Draws the form with its side panel's text (data from the database: the Q&A manual,
    /// referrer matches) through `view.free`, so a masked screen masks it.
    pub fn render_in(&self, area: Rect, buf: &mut Buffer, view: &super::View<'_>) {
        self.render_aside_with(area, buf, view.theme, &|s: &str| view.free(s));
    }

    fn render_aside_with(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        aside_text: &dyn Fn(&str) -> String,
    ) {
        let lang = self.lang;
        let popup = self.popup_area(area);
        clear_popup(popup, area, buf, theme);
        let block = widgets::panel(Line::from(format!(" {} ", self.title)), theme);
        let inner = block.inner(popup);
        block.render(popup, buf);
        let (fields_area, aside_area) = if !self.aside.is_empty() && inner.width >= 90 {
            let left = Rect { width: 70, ..inner };
            let right = Rect { x: inner.x + 71, width: inner.width - 71, ..inner };
            (left, Some(right))
        } else {
            (inner, None)
        };
        let label_w = 14usize;
        let value_w = (fields_area.width as usize).saturating_sub(label_w + 1);
        let mut y = fields_area.y;
        let bottom = fields_area.y + fields_area.height.saturating_sub(2);
        self.caret_at.set(None);
        for (i, f) in self.fields.iter().enumerate() {
            if f.hidden || y >= bottom {
                continue;
            }
            let focused = i == self.focus;
            let label_style = if focused { theme.title } else { theme.dim };
            let mark = if f.required { "*" } else { " " };
            let label = fit(&format!("{mark}{}", f.label), label_w);
            let mut spans = vec![Span::styled(label, label_style), Span::raw(" ")];
            match &f.kind {
                FieldKind::Pick { choices, selected } => {
                    spans.extend(choice_spans(
                        choices,
                        |i| Some(i) == *selected,
                        None,
                        focused,
                        value_w,
                        theme,
                    ));
                }
                FieldKind::Multi { choices, selected, cursor } => {
                    spans.extend(choice_spans(
                        choices,
                        |i| selected[i],
                        Some(*cursor).filter(|_| focused),
                        focused,
                        value_w,
                        theme,
                    ));
                }
                _ => {
                    let shown = visible_text(&f.value, f.caret, value_w);
                    if f.value.is_empty() && !f.hint.is_empty() {
                        spans.push(Span::styled(truncate(&f.hint, value_w), theme.dim));
                    } else {
                        let style = if focused { theme.selected } else { theme.base };
                        spans.push(Span::styled(shown.0.clone(), style));
                    }
                    if focused {
                        let x = fields_area.x + (label_w + 1 + shown.1) as u16;
                        self.caret_at.set(Some((x.min(fields_area.right().saturating_sub(1)), y)));
                    }
                }
            }
            Paragraph::new(Line::from(spans)).render(Rect { y, height: 1, ..fields_area }, buf);
            y += 1;
            if let Some(err) = &f.error {
                if y < bottom {
                    let msg =
                        truncate(&format!("{}{err}", " ".repeat(label_w + 1)), fields_area.width as usize);
                    Paragraph::new(Span::styled(msg, theme.warn))
                        .render(Rect { y, height: 1, ..fields_area }, buf);
                    y += 1;
                }
            }
        }
        // Status line of the form: confirmation, message, or the keys.
        let status_y = fields_area.y + fields_area.height.saturating_sub(1);
        let status = if self.confirm_discard {
            Span::styled(
                lang.pick(
                    " 입력한 내용을 버릴까요? y 버리기 / 다른 키: 계속 쓰기",
                    " Discard what was typed? y discards / any other key keeps writing",
                ),
                theme.error,
            )
        } else if let Some(m) = &self.message {
            Span::styled(format!(" {m}"), theme.warn)
        } else {
            let hints: Vec<String> = keymap::bindings(Context::Form)
                .iter()
                .filter(|b| b.footer)
                .map(|b| format!("{} {}", b.keys_label(), b.describe(lang)))
                .collect();
            Span::styled(format!(" {}", hints.join("  ")), theme.dim)
        };
        Paragraph::new(Line::from(status)).render(Rect { y: status_y, height: 1, ..fields_area }, buf);
        if let Some(aside) = aside_area {
            for (j, line) in self.aside.iter().enumerate() {
                let yy = aside.y + j as u16;
                if yy >= aside.bottom() {
                    break;
                }
                Paragraph::new(Span::styled(truncate(&aside_text(line), aside.width as usize), theme.info))
                    .render(Rect { y: yy, height: 1, ..aside }, buf);
            }
        }
    }
}

fn phone_error(e: &str, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Ko => "전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567)".into(),
    }
}

/// The part of `value` that fits in `cols` around the caret, and the caret's column in it.
fn visible_text(value: &str, caret: usize, cols: usize) -> (String, usize) {
    let chars: Vec<char> = value.chars().collect();
    let caret = caret.min(chars.len());
    let before: String = chars[..caret].iter().collect();
    let mut start = 0;
    // Scroll so the caret stays visible.
    while width(&chars[start..caret].iter().collect::<String>()) + 1 > cols && start < caret {
        start += 1;
    }
    let _ = before;
    let shown: String = chars[start..].iter().collect();
    let caret_col = width(&chars[start..caret].iter().collect::<String>());
    (truncate(&shown, cols), caret_col)
}

fn edit_text(f: &mut Field, key: &KeyEvent) -> bool {
    let mut chars: Vec<char> = f.value.chars().collect();
    f.caret = f.caret.min(chars.len());
    match key.code {
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            chars.clear();
            f.caret = 0;
        }
        KeyCode::Char(_) if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            return false;
        }
        KeyCode::Char(c) => {
            chars.insert(f.caret, c);
            f.caret += 1;
        }
        KeyCode::Backspace if f.caret > 0 => {
            chars.remove(f.caret - 1);
            f.caret -= 1;
        }
        KeyCode::Delete if f.caret < chars.len() => {
            chars.remove(f.caret);
        }
        KeyCode::Left => {
            f.caret = f.caret.saturating_sub(1);
            return false;
        }
        KeyCode::Right => {
            f.caret = (f.caret + 1).min(chars.len());
            return false;
        }
        KeyCode::Home => {
            f.caret = 0;
            return false;
        }
        KeyCode::End => {
            f.caret = chars.len();
            return false;
        }
        _ => return false,
    }
    f.value = chars.into_iter().collect();
    true
}

fn edit_choice(f: &mut Field, key: &KeyEvent) -> bool {
    match &mut f.kind {
        FieldKind::Pick { choices, selected } => {
            let n = choices.len();
            if n == 0 {
                return false;
            }
            let new = match key.code {
                KeyCode::Right | KeyCode::Char(' ') => Some(selected.map_or(0, |i| (i + 1) % n)),
                KeyCode::Left => Some(selected.map_or(n - 1, |i| (i + n - 1) % n)),
                KeyCode::Backspace | KeyCode::Delete => None,
                KeyCode::Char(c) if c.is_ascii_digit() && c != '0' => {
                    let i = c as usize - '1' as usize;
                    if i < n { Some(i) } else { return false }
                }
                KeyCode::Char(c) => {
                    // Repeated letters step through the choices that share it.
                    let start = selected.map_or(0, |i| i + 1);
                    let found = (0..n).map(|k| (start + k) % n).find(|&i| choices[i].answers(c));
                    match found {
                        Some(i) => Some(i),
                        None => return false,
                    }
                }
                _ => return false,
            };
            if *selected == new {
                return false;
            }
            *selected = new;
            true
        }
        FieldKind::Multi { choices, selected, cursor } => {
            let n = choices.len();
            if n == 0 {
                return false;
            }
            match key.code {
                KeyCode::Right => {
                    *cursor = (*cursor + 1) % n;
                    false
                }
                KeyCode::Left => {
                    *cursor = (*cursor + n - 1) % n;
                    false
                }
                KeyCode::Char(' ') => {
                    selected[*cursor] = !selected[*cursor];
                    true
                }
                KeyCode::Char(c) if c.is_ascii_digit() && c != '0' => {
                    let i = c as usize - '1' as usize;
                    if i < n {
                        selected[i] = !selected[i];
                        *cursor = i;
                        true
                    } else {
                        false
                    }
                }
                KeyCode::Char(c) => match choices.iter().position(|ch| ch.answers(c)) {
                    Some(i) => {
                        selected[i] = !selected[i];
                        *cursor = i;
                        true
                    }
                    None => false,
                },
                _ => false,
            }
        }
        _ => false,
    }
}

fn choice_spans(
    choices: &[Choice],
    is_selected: impl Fn(usize) -> bool,
    cursor: Option<usize>,
    focused: bool,
    cols: usize,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let texts: Vec<String> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let key = c.shown_key(i).map(|k| format!("{k}:")).unwrap_or_default();
            let label = if focused { format!("{key}{}", c.label) } else { c.label.clone() };
            if is_selected(i) { format!("[{label}]") } else { format!(" {label} ") }
        })
        .collect();
    // Start late enough that the highlighted (or first picked) choice is on screen.
    let target = cursor.or_else(|| (0..choices.len()).find(|&i| is_selected(i))).unwrap_or(0);
    let mut start = 0;
    while start < target && texts[start..=target].iter().map(|t| width(t) + 1).sum::<usize>() + 2 > cols {
        start += 1;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    if start > 0 {
        spans.push(Span::styled("~", theme.dim));
        used += 1;
    }
    for (i, text) in texts.iter().enumerate().skip(start) {
        let w = width(text) + 1;
        if used + w > cols {
            spans.push(Span::styled("~", theme.dim));
            break;
        }
        used += w;
        let mut style = if is_selected(i) {
            theme.selected
        } else if focused {
            theme.base
        } else {
            theme.dim
        };
        if cursor == Some(i) {
            style = style.patch(Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED));
        }
        spans.push(Span::styled(text.clone(), style));
        spans.push(Span::raw(" "));
    }
    spans
}

/// A centred popup of at most `w`x`h` inside `area`, starting on an even column.
pub fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2)).max(1);
    let h = h.min(area.height.saturating_sub(2)).max(1);
    let x = (area.x + (area.width.saturating_sub(w)) / 2) & !1;
    let y = area.y + (area.height.saturating_sub(h)) / 2;
    Rect { x, y, width: w, height: h }
}

/// Clears a popup and one column either side, so no half of a wide character is left at its edge.
pub fn clear_popup(popup: Rect, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let x = popup.x.saturating_sub(1).max(area.x);
    let right = (popup.right() + 1).min(area.right());
    let clear = Rect { x, width: right - x, ..popup };
    Clear.render(clear, buf);
    buf.set_style(clear, theme.base);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::from(c)
    }

    fn typed(form: &mut Form, s: &str) {
        for c in s.chars() {
            form.handle_key(&key(KeyCode::Char(c)));
        }
    }

    fn sample() -> Form {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        Form::new("sample", "Sample", Lang::En, today)
            .field(Field::text("name", "Name").required())
            .field(Field::phone("phone", "Phone"))
            .field(Field::pick(
                "source",
                "Source",
                vec![
                    Choice::new("signboard", "Signboard").with_key('s'),
                    Choice::new("referral", "Referral").with_key('r'),
                ],
            ))
            .field(Field::multi(
                "questions",
                "Questions",
                vec![Choice::new("price", "Price"), Choice::new("method", "Method")],
            ))
            .field(Field::date("recall", "Recall"))
    }

    #[test]
    fn korean_text_and_caret() {
        let mut f = sample();
        typed(&mut f, "홍동");
        f.handle_key(&key(KeyCode::Left));
        typed(&mut f, "길");
        assert_eq!(f.text("name"), "홍길동");
        assert_eq!(f.get("name").caret, 2);
        f.handle_key(&key(KeyCode::Backspace));
        assert_eq!(f.text("name"), "홍동");
        assert!(f.dirty);
    }

    #[test]
    fn picks_by_letter_digit_and_arrow() {
        let mut f = sample();
        f.focus_on("source");
        f.handle_key(&key(KeyCode::Char('r')));
        assert_eq!(f.picked("source").as_deref(), Some("referral"));
        f.handle_key(&key(KeyCode::Char('1')));
        assert_eq!(f.picked("source").as_deref(), Some("signboard"));
        f.handle_key(&key(KeyCode::Right));
        assert_eq!(f.picked("source").as_deref(), Some("referral"));
        f.focus_on("questions");
        f.handle_key(&key(KeyCode::Char('p')));
        f.handle_key(&key(KeyCode::Char('2')));
        assert_eq!(f.picked_all("questions"), vec!["price", "method"]);
        f.handle_key(&key(KeyCode::Char('p')));
        assert_eq!(f.picked_all("questions"), vec!["method"]);
    }

    #[test]
    fn picks_take_the_jamo_on_the_letters_key() {
        let mut f = sample();
        f.focus_on("source");
        // ㄱ sits on r: referral.
        f.handle_key(&key(KeyCode::Char('ㄱ')));
        assert_eq!(f.picked("source").as_deref(), Some("referral"));
        f.focus_on("questions");
        // ㅔ sits on p: price.
        f.handle_key(&key(KeyCode::Char('ㅔ')));
        assert_eq!(f.picked_all("questions"), vec!["price"]);
    }

    #[test]
    fn choices_named_in_korean_are_numbered_and_still_take_their_first_syllable() {
        let owners = vec![
            Choice::new("김원장", "김원장"),
            Choice::new("정원장", "정원장"),
            Choice::new("desk", "Desk"),
        ];
        let mut f = Form::new("t", "t", Lang::Ko, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
            .field(Field::pick("owner", "Owner", owners));
        let FieldKind::Pick { choices, .. } = &f.get("owner").kind else { panic!() };
        let shown: Vec<_> = choices.iter().enumerate().map(|(i, c)| c.shown_key(i)).collect();
        assert_eq!(
            shown,
            vec![Some('1'), Some('2'), Some('d')],
            "names are shown by number, as the booking form does"
        );
        f.handle_key(&key(KeyCode::Char('2')));
        assert_eq!(f.picked("owner").as_deref(), Some("정원장"));
        f.handle_key(&key(KeyCode::Char('김')));
        assert_eq!(f.picked("owner").as_deref(), Some("김원장"));
        // ㅇ is d: Desk.
        f.handle_key(&key(KeyCode::Char('ㅇ')));
        assert_eq!(f.picked("owner").as_deref(), Some("desk"));
    }

    #[test]
    fn validation_keeps_the_form_and_focuses_the_bad_field() {
        let mut f = sample();
        typed(&mut f, "홍길동");
        f.handle_key(&key(KeyCode::Tab));
        typed(&mut f, "12345");
        f.focus_on("recall");
        typed(&mut f, "2026-02-30");
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(f.handle_key(&ctrl_s), FormEvent::None);
        assert_eq!(f.focused().id, "phone");
        assert!(f.get("phone").error.is_some());
        assert!(f.get("recall").error.is_some());
        assert_eq!(f.text("name"), "홍길동", "nothing typed is lost");
        f.focus_on("phone");
        f.get_mut("phone").set_value("010-1234-5678");
        f.get_mut("recall").set_value("+7");
        assert_eq!(f.handle_key(&ctrl_s), FormEvent::Submit);
        assert_eq!(f.phone("phone").as_deref(), Some("010-1234-5678"));
        assert_eq!(f.date("recall"), NaiveDate::from_ymd_opt(2026, 11, 30));
    }

    #[test]
    fn enter_moves_on_and_saves_on_the_last_field() {
        let mut f = sample();
        typed(&mut f, "Kim");
        for _ in 0..4 {
            assert_eq!(f.handle_key(&key(KeyCode::Enter)), FormEvent::Moved);
        }
        assert_eq!(f.handle_key(&key(KeyCode::Enter)), FormEvent::Submit);
    }

    #[test]
    fn esc_asks_before_discarding_a_changed_form() {
        let mut f = sample();
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::Cancel, "unchanged closes at once");
        typed(&mut f, "x");
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::None);
        assert!(f.confirm_discard);
        assert_eq!(f.handle_key(&key(KeyCode::Char('n'))), FormEvent::None);
        assert_eq!(f.text("name"), "x");
        f.handle_key(&key(KeyCode::Esc));
        assert_eq!(f.handle_key(&key(KeyCode::Char('y'))), FormEvent::Cancel);
    }

    #[test]
    fn drafts_round_trip() {
        let mut f = sample();
        typed(&mut f, "남궁민수");
        f.focus_on("source");
        f.handle_key(&key(KeyCode::Char('r')));
        f.focus_on("questions");
        f.handle_key(&key(KeyCode::Char('2')));
        let draft = f.to_draft();
        let mut g = sample();
        assert!(g.restore_draft(&draft));
        assert_eq!(g.text("name"), "남궁민수");
        assert_eq!(g.picked("source").as_deref(), Some("referral"));
        assert_eq!(g.picked_all("questions"), vec!["method"]);
        assert_eq!(g.focused().id, "questions");
    }

    #[test]
    fn a_picked_choice_beyond_the_width_stays_visible() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let many: Vec<Choice> = (0..12).map(|i| Choice::new(format!("c{i}"), format!("선택지{i}"))).collect();
        let mut f = Form::new("t", "T", Lang::Ko, today).field(Field::pick("p", "P", many));
        f.handle_key(&key(KeyCode::Char('9')));
        let mut buf = Buffer::empty(Rect::new(0, 0, 60, 12));
        f.render(buf.area, &mut buf, &super::super::theme::THEME);
        let text = super::super::svg::buffer_to_text(&buf);
        assert!(text.contains("[c:선택지8]"), "{text}");
    }

    #[test]
    fn the_caret_sits_after_wide_characters() {
        let mut f = sample();
        typed(&mut f, "홍길");
        let mut buf = Buffer::empty(Rect::new(0, 0, 100, 30));
        f.render(buf.area, &mut buf, &super::super::theme::THEME);
        let (x, _y) = f.caret().unwrap();
        let popup = f.popup_area(buf.area);
        // Border (1) + label (14) + space (1) + two wide syllables (4).
        assert_eq!(x, popup.x + 1 + 14 + 1 + 4);
    }
}
