//! The huddle's one form, as a type: an action on a patient of the agenda, with its owner.

use serde::{Deserialize, Serialize};

use super::*;
use crate::app::form::spec::{self, DeskForm, OpenForm, Submitted};

/// `a`: an action (and who does it) on a patient of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionForm {
    pub patient_id: i64,
    /// The name was unmasked (`m`) when the form opened.
    #[serde(skip)]
    pub unmasked: bool,
    /// Today's huddle record, when the meeting has started (else the action starts it).
    #[serde(skip)]
    pub huddle_id: Option<i64>,
}

impl DeskForm for ActionForm {
    const ID: &'static str = "huddle_action";

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let patient = hs::patient_brief(&*ctx.store, self.patient_id)?;
        let lang = ctx.lang;
        let name = if ctx.mask && !self.unmasked { mask_name(&patient.name) } else { patient.name.clone() };
        let mut owners: Vec<Choice> = ctx
            .catalog
            .staff
            .iter()
            .filter(|s| s.active)
            .map(|s| Choice::new(s.name.clone(), s.name.clone()))
            .collect();
        for role in Role::ALL {
            let label = role.label(lang).to_string();
            if !owners.iter().any(|c| c.code == label) {
                owners.push(Choice::new(label.clone(), label));
            }
        }
        Ok(Form::new(
            Self::ID,
            format!("{} - {} {name}", lang.pick("조치 지정", "Assign action"), patient.chart_no),
            lang,
            ctx.today(),
        )
        .field(
            Field::text("action", lang.pick("조치", "Action"))
                .required()
                .hint(lang.pick("예: 원장님이 직접 전화", "e.g. director calls them")),
        )
        .field(Field::pick("owner", lang.pick("담당", "Owner"), owners).required()))
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let action = form.text("action");
        let owner = form.picked("owner").unwrap_or_default();
        let (day, now) = (ctx.today(), ctx.now);
        match crate::desk::huddle::add_action(
            ctx.store,
            self.huddle_id,
            day,
            now,
            self.patient_id,
            &action,
            &owner,
        ) {
            Ok(id) => {
                self.huddle_id = Some(id);
                Submitted::Close(Outcome::Changed)
            }
            Err(e) => {
                form.message = Some(e.to_string());
                Submitted::Stay(Outcome::Handled)
            }
        }
    }
}

impl HuddleTab {
    pub(super) fn open_action(&mut self, patient_id: i64, ctx: &mut Ctx<'_>) -> Outcome {
        let action = ActionForm { patient_id, unmasked: self.unmasked, huddle_id: self.huddle_id };
        spec::open_in(&mut self.form, OpenForm::open(action, ctx))
    }

    /// A key to the action form; the huddle it started (its first action) stays the tab's.
    pub(super) fn form_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        if let Some(spec) = self.form.as_mut().and_then(|o| o.spec_mut::<ActionForm>()) {
            spec.huddle_id = self.huddle_id;
        }
        let Some((effect, closed)) = spec::key_in(&mut self.form, key, ctx) else { return Outcome::Ignored };
        if let Some(id) = closed.as_ref().and_then(|o| o.spec::<ActionForm>()).and_then(|s| s.huddle_id) {
            self.huddle_id = Some(id);
        }
        effect
    }
}
