//! Keys pressed on an app in a test.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::App;

pub fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

/// Each character of `s` as its key.
pub fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

pub fn ctrl_s(app: &mut App) {
    ctrl(app, 's');
}

/// Presses keys and counts them; typing a date or a time is not counted.
pub struct Keys<'a> {
    pub app: &'a mut App,
    pub pressed: usize,
}

impl Keys<'_> {
    pub fn key(&mut self, code: KeyCode) {
        key(self.app, code);
        self.pressed += 1;
    }

    pub fn ctrl(&mut self, c: char) {
        ctrl(self.app, c);
        self.pressed += 1;
    }

    pub fn typed(&mut self, s: &str) {
        typed(self.app, s);
    }
}
