//! Today's small forms over the list, as typed forms: a post-it note, the stickers and a
//! complaint, each about one patient.

use serde::{Deserialize, Serialize};

use super::*;
use crate::app::form::spec::{DeskForm, Submitted};

/// An empty form about one patient, titled "<what> - <name>" (the name masked on a masked
/// screen).
fn about_patient(ctx: &Ctx<'_>, id: &'static str, patient_id: i64, what: &str) -> store::Result<Form> {
    let name = store::patients::get_patient(&*ctx.store, patient_id)?.name;
    let name = if ctx.mask { mask_name(&name) } else { name };
    Ok(Form::new(id, format!("{what} - {name}"), ctx.lang, ctx.today()))
}

/// A saved form closes with its word; a refused one stays open with everything typed and the
/// message saying why.
fn saved(result: Result<(), DeskError>, form: &mut Form, done: &str) -> Submitted {
    match result {
        Ok(()) => Submitted::Close(Outcome::Message(done.into())),
        Err(e) => {
            form.message = Some(e.to_string());
            Submitted::Stay(Outcome::Handled)
        }
    }
}

/// `p`: a post-it note on the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteForm {
    pub patient_id: i64,
}

impl DeskForm for NoteForm {
    const ID: &'static str = "today_note";

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let lang = ctx.lang;
        let form =
            about_patient(ctx, Self::ID, self.patient_id, lang.pick("메모(포스트잇)", "Post-it note"))?;
        Ok(form.field(Field::text("body", lang.pick("메모", "Note")).required().hint(
            lang.pick("성향, 원하는 것, 주의할 점", "what they are like, what they want, what to watch"),
        )))
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let result = desk::patients::add_note(ctx.store, self.patient_id, &form.text("body")).map(|_| ());
        saved(result, form, ctx.lang.pick("메모를 붙였습니다", "Note added"))
    }
}

/// `t`: the chart's stickers, the current ones ticked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StickersForm {
    pub patient_id: i64,
}

impl DeskForm for StickersForm {
    const ID: &'static str = "today_stickers";

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let lang = ctx.lang;
        let form = about_patient(ctx, Self::ID, self.patient_id, lang.pick("스티커", "Stickers"))?;
        let current = store::tags::patient_tags(&*ctx.store, self.patient_id)?;
        let choices =
            Tag::ALL.iter().map(|t| Choice::new(t.code(), t.label(lang)).with_key(badge_key(*t))).collect();
        let codes: Vec<&str> = current.iter().map(|t| t.code()).collect();
        Ok(form
            .field(Field::multi("tags", lang.pick("스티커", "Stickers"), choices).selected(&codes.join(","))))
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let want: Vec<Tag> = form.picked_all("tags").iter().filter_map(|c| Tag::parse(c)).collect();
        let result = desk::patients::set_stickers(ctx.store, self.patient_id, &want);
        saved(result, form, ctx.lang.pick("스티커를 바꿨습니다", "Stickers updated"))
    }
}

/// `!`: a complaint, its category, owner and plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintForm {
    pub patient_id: i64,
}

impl DeskForm for ComplaintForm {
    const ID: &'static str = "today_complaint";

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let lang = ctx.lang;
        let form = about_patient(ctx, Self::ID, self.patient_id, lang.pick("불만 기록", "Complaint"))?;
        let categories = ctx
            .catalog
            .complaint_categories
            .iter()
            .filter(|c| c.active)
            .map(|c| Choice::new(c.code.clone(), c.label(lang)))
            .collect();
        let owners = ctx
            .catalog
            .staff
            .iter()
            .filter(|s| s.active)
            .map(|s| Choice::new(s.id.to_string(), &s.name))
            .collect();
        Ok(form
            .field(Field::pick("category", lang.pick("분류", "Category"), categories).required())
            .field(Field::text("description", lang.pick("내용", "What happened")).required())
            .field(Field::pick("owner", lang.pick("담당", "Owner"), owners))
            .field(Field::text("plan", lang.pick("해결 계획", "Resolution plan"))))
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let c = NewComplaint {
            patient_id: self.patient_id,
            raised_at: ctx.now,
            category_code: form.picked("category").unwrap_or_default(),
            description: form.text("description"),
            owner_id: form.picked("owner").and_then(|o| o.parse().ok()),
            plan: form.text("plan"),
        };
        let result = desk::patients::record_complaint(ctx.store, &c).map(|_| ());
        saved(result, form, ctx.lang.pick("불만을 기록했습니다", "Complaint recorded"))
    }
}

fn badge_key(t: Tag) -> char {
    t.badge().chars().next().unwrap_or('x').to_ascii_lowercase()
}
