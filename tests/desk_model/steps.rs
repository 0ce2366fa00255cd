//! The model's first steps: status keys and undo on Today, booking and moving, calls and
//! their callbacks, snoozes, consultations, bursts of keys, small windows, the clock and
//! restarts.

use super::*;

impl Session {
    pub(super) fn status_keys(&mut self) -> Step {
        self.go('1');
        let day = *self.rng.pick(&['.', '[', ']', ']', '.']);
        let k = *self.rng.pick(&['a', 'd', 'x', 'c', 'f', 'u', 'u', 'd', 'x']);
        self.note(format!("Today {day} status {k}"));
        self.ch(day);
        self.moves(4);
        self.ch(k);
        if self.app.tabs.today.prompt.is_some() {
            // After done with no next visit: book it?
            let answer = *self.rng.pick(&['y', 'n', 'x']);
            self.note(format!("  book next? {answer}"));
            match answer {
                'y' => self.ch('y'),
                'n' => self.ch('n'),
                _ => self.press(key(KeyCode::Esc)),
            }
            self.booking()?;
        }
        Ok(())
    }

    pub(super) fn undo(&mut self) -> Step {
        self.go('1');
        let day = *self.rng.pick(&['.', '[', ']']);
        self.note(format!("Today {day} undo"));
        self.ch(day);
        self.moves(4);
        self.ch('u');
        Ok(())
    }

    pub(super) fn book_or_move(&mut self) -> Step {
        self.go('1');
        let day = *self.rng.pick(&['.', '[', ']']);
        self.ch(day);
        if self.rng.chance(50) {
            self.note(format!("Today {day} new booking"));
            self.ch('n');
            self.maybe_esc(8)?;
            let n = *self.rng.pick(&NAMES);
            self.fill("name", n)?;
            let p = *self.rng.pick(&PHONES);
            self.fill("phone", p)?;
            if self.visible("existing") {
                let k = *self.rng.pick(&['e', 'r']);
                self.choose("existing", k)?;
            }
        } else {
            self.note(format!("Today {day} move"));
            self.moves(4);
            self.ch('m');
        }
        self.booking()
    }

    pub(super) fn inquiry(&mut self) -> Step {
        self.go('4');
        // Back to the call log if a burst left the report or the manual on screen.
        self.press(key(KeyCode::Esc));
        let outcome = *self.rng.pick(&['i', 'c', 'b', 'b']);
        self.note(format!("Inquiry outcome {outcome}"));
        self.ch('n');
        self.maybe_esc(6)?;
        if self.rng.chance(90) {
            let n = *self.rng.pick(&NAMES);
            self.fill("caller", n)?;
        }
        if self.rng.chance(90) {
            let p = *self.rng.pick(&PHONES);
            self.fill("phone", p)?;
        }
        if self.rng.chance(50) {
            self.choose("topic", '1')?;
        }
        self.choose("outcome", outcome)?;
        match outcome {
            'c' => {
                let d = *self.rng.pick(&DAYS);
                self.fill("callback_on", d)?;
            }
            'b' => {
                let d = *self.rng.pick(&DAYS);
                self.fill("book_date", d)?;
                if self.rng.chance(35) {
                    let t = *self.rng.pick(&TIMES);
                    self.fill("book_time", t)?;
                }
            }
            _ => {}
        }
        self.save()?;
        self.booking()
    }

    pub(super) fn contact(&mut self) -> Step {
        self.go('3');
        self.moves(5);
        let next = *self.rng.pick(&['n', 'b', 'b', 'a', 'd', 'u', 'c']);
        self.note(format!("Callback contact next {next}"));
        self.ch('l');
        self.maybe_esc(6)?;
        if self.app.open_form().is_none() {
            return Ok(());
        }
        let reached = *self.rng.pick(&['y', 'n']);
        self.choose("reached", reached)?;
        self.fill("reaction", "생각해 볼게요")?;
        self.choose("next", next)?;
        if self.visible("next_on") {
            let d = *self.rng.pick(&DAYS);
            self.fill("next_on", d)?;
        }
        self.save()?;
        self.booking()
    }

    pub(super) fn snooze(&mut self) -> Step {
        self.go('3');
        self.moves(5);
        self.note("Callback snooze");
        self.ch('z');
        let d = *self.rng.pick(&DAYS);
        self.fill("until", d)?;
        self.save()
    }

    pub(super) fn consultation(&mut self) -> Step {
        self.go('3');
        let i = self.rng.below(6);
        let decision = *self.rng.pick(&['1', '1', '2', '3']);
        self.note(format!("Consultation for {} decision {decision}", NAMES[i]));
        self.ch('c');
        self.maybe_esc(8)?;
        let last4 = &PHONES[i][PHONES[i].len() - 4..];
        self.type_text(last4);
        self.maybe_esc(8)?;
        self.press(key(KeyCode::Enter));
        if self.app.open_form().is_none() {
            return Ok(());
        }
        if self.rng.chance(50) {
            self.choose("treatment", '1')?;
        }
        self.fill("quoted", "90만원")?;
        self.choose("status", decision)?;
        if self.visible("recall_on") {
            let d = *self.rng.pick(&DAYS);
            self.fill("recall_on", d)?;
        }
        self.save()
    }

    /// Keys in quick succession, as a paste or a leaning elbow would send them, wherever the
    /// app is.
    pub(super) fn burst(&mut self) {
        const KEYS: &[char] =
            &['a', 'd', 'x', 'c', 'u', 'f', 'n', 'l', 'z', 'b', 'y', '1', '3', '4', '[', ']', '.', ' ', '7'];
        let n = 3 + self.rng.below(15);
        let mut sent = String::new();
        for _ in 0..n {
            let k = match self.rng.below(12) {
                0 => key(KeyCode::Esc),
                1 => key(KeyCode::Enter),
                2 => key(KeyCode::Tab),
                3 => key(KeyCode::Down),
                4 => ctrl('s'),
                _ => key(KeyCode::Char(*self.rng.pick(KEYS))),
            };
            sent.push_str(&format!("{:?} ", k.code));
            self.press(k);
        }
        self.note(format!("burst {sent}"));
    }

    pub(super) fn render_small(&mut self) {
        let (w, h) = *self.rng.pick(&[(80, 24), (79, 23), (60, 20), (40, 12), (120, 40)]);
        self.note(format!("render {w}x{h}"));
        let screen = text(&render(&self.app, w, h));
        if w < 80 || h < 24 {
            assert!(!screen.trim().is_empty(), "a small window still says something");
        }
    }

    /// The clock moves on: a few hours, or past midnight; the tick notices.
    pub(super) fn clock(&mut self) {
        let hours = *self.rng.pick(&[1, 3, 15, 24]);
        self.now += Duration::hours(hours);
        self.note(format!("clock +{hours}h -> {}", self.now));
        self.app.opts.fixed_now = Some(self.now);
        self.app.on_tick();
    }

    /// The terminal closes (the tick having kept the form as a draft) and the app starts
    /// again on the same file; the draft is offered.
    pub(super) fn restart(&mut self) {
        self.note("restart");
        self.app.save_draft_now();
        self.app = open_app(&self.path, self.app.opts.lang, self.now);
    }
}
