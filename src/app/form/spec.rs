//! Typed forms (issue 17 item 4): each form of the desk is a type ([`DeskForm`]) that holds
//! what the form is about (a patient, a callback, an appointment: its context, never a hidden
//! field), builds its fields, reacts to a changed field and submits one desk action.
//!
//! An open form is an [`OpenForm`]: the typed spec and the [`Form`] widget it built. Its draft is
//! the spec serialised beside the field values (`Form::to_draft` writes both), so any draft is
//! restored by one generic path ([`restore`]): read the spec back, build its form, put the
//! typed values back. The table of every drafted form is `app::registry`.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt::Debug;

use crossterm::event::KeyEvent;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Form, FormEvent};
use crate::app::Ctx;
use crate::app::layers::Effect;
use crate::domain::Lang;
use crate::store;

/// The key under which a draft keeps its form's spec, beside the field values.
pub const STATE_KEY: &str = "__state";

/// What a submit did with its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// Saved (or finished): the form closes and the effect follows.
    Close(Effect),
    /// The form stays open with everything typed (a field error, a refusal, another terminal
    /// writing); the effect follows.
    Stay(Effect),
}

/// One form of the desk, as a type.
pub trait DeskForm: Serialize + DeserializeOwned + Debug + Clone + 'static {
    /// The form's id: the name its drafts are saved under.
    const ID: &'static str;
    /// The form's fields, titled and prefilled from the spec and the store.
    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form>;
    /// A field's value changed: show or hide fields, look something up.
    fn on_change(&mut self, _form: &mut Form, _field: &'static str, _ctx: &mut Ctx<'_>) {}
    /// The form was filled from a draft: settle what depends on the values (hidden fields).
    fn restored(&mut self, _form: &mut Form, _ctx: &mut Ctx<'_>) {}
    /// Save was asked for and every field passed its own checks: call the desk.
    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted;
}

/// [`DeskForm`] without its type, so a tab can hold any of its forms in one slot.
pub trait AnyDeskForm: Debug {
    fn id(&self) -> &'static str;
    fn state(&self) -> String;
    fn on_change(&mut self, form: &mut Form, field: &'static str, ctx: &mut Ctx<'_>);
    fn restored(&mut self, form: &mut Form, ctx: &mut Ctx<'_>);
    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted;
    fn clone_box(&self) -> Box<dyn AnyDeskForm>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: DeskForm> AnyDeskForm for T {
    fn id(&self) -> &'static str {
        T::ID
    }
    fn state(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    fn on_change(&mut self, form: &mut Form, field: &'static str, ctx: &mut Ctx<'_>) {
        DeskForm::on_change(self, form, field, ctx)
    }
    fn restored(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) {
        DeskForm::restored(self, form, ctx)
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        DeskForm::submit(self, form, ctx)
    }
    fn clone_box(&self) -> Box<dyn AnyDeskForm> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// What a key did to an open form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The form is still open.
    Open(Effect),
    /// The form closed (saved or cancelled): drop it, then apply the effect.
    Closed(Effect),
}

/// An open form: its typed spec and the fields it built.
#[derive(Debug)]
pub struct OpenForm {
    spec: Box<dyn AnyDeskForm>,
    pub form: Form,
}

impl Clone for OpenForm {
    fn clone(&self) -> OpenForm {
        OpenForm { spec: self.spec.clone_box(), form: self.form.clone() }
    }
}

impl OpenForm {
    /// Builds the spec's form.
    pub fn open<S: DeskForm>(spec: S, ctx: &Ctx<'_>) -> store::Result<OpenForm> {
        let form = spec.build(ctx)?;
        Ok(OpenForm::with(spec, form))
    }

    /// A spec with a form already built (and perhaps filled in) by the caller.
    pub fn with<S: DeskForm>(spec: S, mut form: Form) -> OpenForm {
        form.state = Some(AnyDeskForm::state(&spec));
        OpenForm { spec: Box::new(spec), form }
    }

    pub fn id(&self) -> &'static str {
        self.spec.id()
    }

    /// The spec, when it is of type `S`.
    pub fn spec<S: DeskForm>(&self) -> Option<&S> {
        self.spec.as_any().downcast_ref::<S>()
    }

    /// The spec to change, when it is of type `S` (tab state it carries, not what was typed).
    pub fn spec_mut<S: DeskForm>(&mut self) -> Option<&mut S> {
        self.spec.as_any_mut().downcast_mut::<S>()
    }

    /// A key: the form's own editing keys, then the spec's reaction to a change or a save.
    pub fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Step {
        match self.form.handle_key(key) {
            FormEvent::Submit => self.submit(ctx),
            FormEvent::Cancel => Step::Closed(Effect::Handled),
            FormEvent::Changed(field) => {
                self.spec.on_change(&mut self.form, field, ctx);
                self.form.state = Some(self.spec.state());
                Step::Open(Effect::Handled)
            }
            FormEvent::Moved | FormEvent::None => Step::Open(Effect::Handled),
        }
    }

    /// Submits as if saved (the fields already passed their checks).
    pub fn submit(&mut self, ctx: &mut Ctx<'_>) -> Step {
        let step = match self.spec.submit(&mut self.form, ctx) {
            Submitted::Close(e) => Step::Closed(e),
            Submitted::Stay(e) => Step::Open(e),
        };
        self.form.state = Some(self.spec.state());
        step
    }
}

/// Puts a form that opened into a tab's slot for it (`Handled`), or says why it could not open.
pub fn open_in(slot: &mut Option<OpenForm>, opened: store::Result<OpenForm>) -> Effect {
    match opened {
        Ok(open) => {
            *slot = Some(open);
            Effect::Handled
        }
        Err(e) => Effect::Error(e.to_string()),
    }
}

/// A key to the form in a tab's slot; `None` when no form is open. A key that closes the form
/// (saved or cancelled) takes it out of the slot and hands it back beside the effect, for what
/// its spec learned.
pub fn key_in(
    slot: &mut Option<OpenForm>,
    key: &KeyEvent,
    ctx: &mut Ctx<'_>,
) -> Option<(Effect, Option<OpenForm>)> {
    match slot.as_mut()?.on_key(key, ctx) {
        Step::Open(effect) => Some((effect, None)),
        Step::Closed(effect) => Some((effect, slot.take())),
    }
}

/// Why a draft could not be opened again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unrestorable {
    /// No form of this version is called that.
    UnknownForm(String),
    /// Saved by an earlier version (no typed spec in it) or not readable.
    OldFormat,
    /// What the form was about is gone (a deleted patient, a closed callback).
    Gone(String),
    /// Not now: another terminal holds the database (opening the card is recorded first).
    /// The draft is kept and offered again.
    NotNow(String),
}

impl Unrestorable {
    /// One line for the desk: what happened and that the draft was put away.
    pub fn words(&self, lang: Lang) -> String {
        match (self, lang) {
            (Unrestorable::UnknownForm(id), Lang::Ko) => {
                format!("이 입력 양식({id})은 임시 저장에서 다시 열 수 없습니다. 남은 입력은 지웠습니다")
            }
            (Unrestorable::UnknownForm(id), Lang::En) => {
                format!(
                    "This form ({id}) cannot be reopened from a draft in this version; the draft was discarded"
                )
            }
            (Unrestorable::OldFormat, Lang::Ko) => {
                "이전 버전에서 저장한 입력이라 복구할 수 없습니다. 남은 입력은 지웠습니다".into()
            }
            (Unrestorable::OldFormat, Lang::En) => {
                "This draft was saved by an earlier version and cannot be restored; it was discarded".into()
            }
            (Unrestorable::Gone(why), Lang::Ko) => {
                format!("입력 양식의 대상이 없어 복구할 수 없습니다 ({why}). 남은 입력은 지웠습니다")
            }
            (Unrestorable::NotNow(why), Lang::Ko) => {
                format!("지금은 다시 열지 못했습니다 ({why}). 입력은 그대로 두었고 잠시 후 다시 묻습니다")
            }
            (Unrestorable::NotNow(why), Lang::En) => {
                format!("Not reopened just now ({why}); the draft is kept and offered again in a moment")
            }
            (Unrestorable::Gone(why), Lang::En) => {
                format!(
                    "What this form was about is gone ({why}), so it cannot be restored; the draft was discarded"
                )
            }
        }
    }
}

/// The spec a draft was saved with.
pub fn state_of<S: DeserializeOwned>(payload: &str) -> Result<S, Unrestorable> {
    let map: BTreeMap<String, String> = serde_json::from_str(payload).map_err(|_| Unrestorable::OldFormat)?;
    let state = map.get(STATE_KEY).ok_or(Unrestorable::OldFormat)?;
    serde_json::from_str(state).map_err(|_| Unrestorable::OldFormat)
}

/// Opens the form a draft was saved from, filled in as it was: the one way every typed form
/// comes back.
pub fn restore<S: DeskForm>(payload: &str, ctx: &mut Ctx<'_>) -> Result<OpenForm, Unrestorable> {
    let mut spec: S = state_of(payload)?;
    let mut form = spec.build(ctx).map_err(|e| Unrestorable::Gone(e.to_string()))?;
    if !form.restore_draft(payload) {
        return Err(Unrestorable::OldFormat);
    }
    spec.restored(&mut form, ctx);
    Ok(OpenForm::with(spec, form))
}
