//! The OKR tab's forms as types (their fields are built in `forms.rs`): a new objective with
//! its first key result, an objective edited, a key result added or edited, a check-in.

use serde::{Deserialize, Serialize};

use super::*;
use crate::app::form::spec::{self, DeskForm, OpenForm, Submitted};

/// A save the desk refused leaves the form open with what was typed.
fn saved(result: Result<(), desk::DeskError>) -> Submitted {
    match result {
        // Every tab reloads, this one included: the bars move at once.
        Ok(()) => Submitted::Close(Outcome::Changed),
        Err(e) => Submitted::Stay(Outcome::Error(e.to_string())),
    }
}

/// `n`: a new objective and its first key result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewObjectiveForm {}

impl DeskForm for NewObjectiveForm {
    const ID: &'static str = FORM_OBJECTIVE;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        Ok(new_objective_form(ctx))
    }

    /// The filter fields the chosen metric takes.
    fn on_change(&mut self, form: &mut Form, field: &'static str, _ctx: &mut Ctx<'_>) {
        filters::on_change(form, field);
    }

    fn restored(&mut self, form: &mut Form, _ctx: &mut Ctx<'_>) {
        filters::show_allowed(form);
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        let Some((title, from, to)) = read_objective(form, lang) else {
            return Submitted::Stay(Outcome::Handled);
        };
        let Some(kr) = read_key_result(form, lang) else { return Submitted::Stay(Outcome::Handled) };
        let def = ObjectiveDef { title, from, to, key_results: vec![kr] };
        saved(desk::okr::create_objective(ctx.store, &def).map(|_| ()))
    }
}

/// `e` on an objective: its title and period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectiveForm {
    pub id: i64,
    /// The objective as the board showed it when the form opened (its values prefilled).
    #[serde(skip)]
    pub current: Option<ObjectiveStatus>,
}

impl DeskForm for ObjectiveForm {
    const ID: &'static str = FORM_OBJECTIVE_EDIT;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        Ok(objective_form(ctx, self.current.as_ref()))
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let Some((title, from, to)) = read_objective(form, ctx.lang) else {
            return Submitted::Stay(Outcome::Handled);
        };
        saved(desk::okr::update_objective(ctx.store, self.id, &title, from, to))
    }
}

/// `a` (a key result added to an objective) or `e` on a key result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyResultForm {
    pub objective_id: i64,
    /// The key result edited; `None` adds one.
    pub id: Option<i64>,
    /// The key result edited was narrowed by filters: an editor showing none clears them.
    #[serde(default)]
    pub had_filters: bool,
    #[serde(skip)]
    pub current: Option<KeyResultStatus>,
}

impl DeskForm for KeyResultForm {
    const ID: &'static str = FORM_KEY_RESULT;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        Ok(key_result_form(ctx, self.objective_id, self.current.as_ref()))
    }

    /// The filter fields the chosen metric takes.
    fn on_change(&mut self, form: &mut Form, field: &'static str, _ctx: &mut Ctx<'_>) {
        filters::on_change(form, field);
    }

    fn restored(&mut self, form: &mut Form, _ctx: &mut Ctx<'_>) {
        filters::show_allowed(form);
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let Some(kr) = read_key_result(form, ctx.lang) else { return Submitted::Stay(Outcome::Handled) };
        saved(match self.id {
            Some(id) => desk::okr::edit_key_result(ctx.store, id, &kr, self.had_filters),
            None => desk::okr::create_key_result(ctx.store, self.objective_id, &kr).map(|_| ()),
        })
    }
}

/// `c` on a manual key result: its value on a date.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckInForm {
    pub key_result_id: i64,
    #[serde(skip)]
    pub current: Option<KeyResultStatus>,
}

impl DeskForm for CheckInForm {
    const ID: &'static str = FORM_CHECKIN;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        Ok(match &self.current {
            Some(k) => checkin_form(ctx, k),
            None => {
                let lang = ctx.lang;
                Form::new(FORM_CHECKIN, lang.pick("체크인", "Check in"), lang, ctx.today())
                    .field(Field::date("on", lang.pick("날짜", "Date")).required())
                    .field(Field::text("value", lang.pick("현재 값", "Value to date")).required())
                    .field(Field::text("comment", lang.pick("메모", "Comment")))
            }
        })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        let Some(on) = form.date("on") else { return Submitted::Stay(Outcome::Handled) };
        let Some(value) = okr::parse_amount_input(&form.text("value"), false) else {
            form.set_error(
                "value",
                lang.pick("숫자로 적어 주세요 (예: 1,200만원)", "a number (e.g. 12,000,000)"),
            );
            return Submitted::Stay(Outcome::Handled);
        };
        let comment = form.text("comment");
        saved(desk::okr::check_in(ctx.store, self.key_result_id, on, value, &comment).map(|_| ()))
    }
}

impl OkrTab {
    fn key_result(&self, id: i64) -> Option<&KeyResultStatus> {
        self.board.iter().flat_map(|o| &o.key_results).find(|k| k.key_result.id == id)
    }

    /// Opens a form for what is selected (nothing when it vanished from the board).
    pub(super) fn open(&mut self, purpose: Purpose, ctx: &Ctx<'_>) -> Outcome {
        if ctx.store.access() != store::Access::ReadWrite {
            return Outcome::Error(ctx.lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into());
        }
        let open = match purpose {
            Purpose::NewObjective => OpenForm::open(NewObjectiveForm {}, ctx),
            Purpose::EditObjective(id) => {
                let Some(o) = self.board.iter().find(|o| o.objective.id == id) else {
                    return Outcome::Handled;
                };
                OpenForm::open(ObjectiveForm { id, current: Some(o.clone()) }, ctx)
            }
            Purpose::NewKeyResult(objective_id) => OpenForm::open(
                KeyResultForm { objective_id, id: None, had_filters: false, current: None },
                ctx,
            ),
            Purpose::EditKeyResult(id) => {
                let Some(kr) = self.key_result(id) else { return Outcome::Handled };
                let had_filters = kr.key_result.metric.as_ref().is_some_and(|m| m.filters().is_some());
                let spec = KeyResultForm {
                    objective_id: kr.key_result.objective_id,
                    id: Some(id),
                    had_filters,
                    current: Some(kr.clone()),
                };
                OpenForm::open(spec, ctx)
            }
            Purpose::CheckIn(id) => {
                let Some(kr) = self.key_result(id) else { return Outcome::Handled };
                OpenForm::open(CheckInForm { key_result_id: id, current: Some(kr.clone()) }, ctx)
            }
        };
        spec::open_in(&mut self.form, open)
    }

    /// A form restored from its draft; a check-in asks for what its key result is judged on,
    /// as when opened.
    pub(super) fn install(&mut self, mut open: OpenForm, lang: Lang) {
        let kr = open.spec::<CheckInForm>().and_then(|c| self.key_result(c.key_result_id)).cloned();
        if let Some(k) = kr {
            open.form.get_mut("value").label = checkin_value_label(lang, k.key_result.cadence).to_string();
            if let Some(spec) = open.spec_mut::<CheckInForm>() {
                spec.current = Some(k);
            }
        }
        self.form = Some(open);
    }
}
