//! The one keymap table. Footer hints and the `?` help overlay are both generated from it, so
//! they can never disagree with what the keys do.
//!
//! `keys.rs` holds the types (Key, Context, Command, Binding), `bindings.rs` the tables per
//! context, `jamo.rs` the 두벌식 layout; this file looks keys up and builds the footer.

use crossterm::event::KeyEvent;

use crate::domain::Lang;

mod bindings;
mod jamo;
mod keys;

pub use bindings::*;
pub use jamo::{DUBEOLSIK, is_no, is_yes, latin, latin_key};
pub use keys::{Binding, Command, Context, Key};

pub fn bindings(context: Context) -> &'static [Binding] {
    TABLE.iter().find(|(c, _)| *c == context).map(|(_, b)| *b).unwrap_or(&[])
}

/// The command a key means in the given contexts, searched in order.
pub fn lookup(contexts: &[Context], ev: &KeyEvent) -> Option<Command> {
    contexts
        .iter()
        .flat_map(|c| bindings(*c))
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.command)
}

/// The footer hints for the contexts, most specific first; help and quit come last, and the
/// number of them is returned: the footer pins those to the right edge and drops other hints
/// first when the window is narrow.
pub fn footer(contexts: &[Context], lang: Lang) -> (Vec<(String, &'static str)>, usize) {
    let pinned = |b: &Binding| matches!(b.command, Command::Help | Command::Quit);
    let shown = || contexts.iter().flat_map(|c| bindings(*c)).filter(|b| b.footer);
    let mut hints: Vec<_> =
        shown().filter(|b| !pinned(b)).map(|b| (b.keys_label(), b.describe(lang))).collect();
    let last: Vec<_> = shown().filter(|b| pinned(b)).map(|b| (b.keys_label(), b.describe(lang))).collect();
    let n = last.len();
    hints.extend(last);
    (hints, n)
}

#[cfg(test)]
mod tests;
