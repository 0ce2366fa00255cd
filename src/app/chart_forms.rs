//! The chart's small forms, shared by Today and the patient card: a post-it note, the
//! stickers, a complaint. Built and saved in one place so both screens ask the same
//! questions and write through the same desk functions (`desk::patients`).

use super::Ctx;
use super::form::{Choice, Field, Form};
use crate::desk;
use crate::domain::Tag;
use crate::domain::mask::mask_name;
use crate::store::complaints::NewComplaint;

/// Which chart form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartForm {
    Note,
    Stickers,
    Complaint,
}

impl ChartForm {
    /// The form's id (drafts are kept under it).
    pub fn id(self) -> &'static str {
        match self {
            ChartForm::Note => "today_note",
            ChartForm::Stickers => "today_stickers",
            ChartForm::Complaint => "today_complaint",
        }
    }

    pub fn from_id(id: &str) -> Option<ChartForm> {
        [ChartForm::Note, ChartForm::Stickers, ChartForm::Complaint].into_iter().find(|k| k.id() == id)
    }

    /// The field the caret starts in.
    pub fn first_field(self) -> &'static str {
        match self {
            ChartForm::Note => "body",
            ChartForm::Stickers => "tags",
            ChartForm::Complaint => "category",
        }
    }

    /// The form for `patient_id` (its id rides along hidden), the caret in its first field.
    /// A masked screen masks the name in the form's title too.
    pub fn build(self, patient_id: i64, name: &str, current: &[Tag], ctx: &Ctx<'_>) -> Form {
        let mut form = build_form(self, patient_id, name, current, ctx);
        form.focus_on(self.first_field());
        form
    }

    /// Saves the form through the desk; the footer's words on success, the reason on failure
    /// (the caller keeps the form open with everything typed).
    pub fn save(self, form: &Form, ctx: &mut Ctx<'_>) -> Result<&'static str, String> {
        let lang = ctx.lang;
        let Some(patient_id) = form.number("patient_id") else {
            return Err(lang.pick("환자를 알 수 없습니다", "Unknown patient").into());
        };
        let now = ctx.now;
        let result = match self {
            ChartForm::Note => {
                desk::patients::add_note(ctx.store, patient_id, &form.text("body")).map(|_| ())
            }
            ChartForm::Stickers => {
                let want: Vec<Tag> = form.picked_all("tags").iter().filter_map(|c| Tag::parse(c)).collect();
                desk::patients::set_stickers(ctx.store, patient_id, &want)
            }
            ChartForm::Complaint => {
                let c = NewComplaint {
                    patient_id,
                    raised_at: now,
                    category_code: form.picked("category").unwrap_or_default(),
                    description: form.text("description"),
                    owner_id: form.picked("owner").and_then(|o| o.parse().ok()),
                    plan: form.text("plan"),
                };
                desk::patients::record_complaint(ctx.store, &c).map(|_| ())
            }
        };
        match result {
            Ok(()) => Ok(match self {
                ChartForm::Note => lang.pick("메모를 붙였습니다", "Note added"),
                ChartForm::Stickers => lang.pick("스티커를 바꿨습니다", "Stickers updated"),
                ChartForm::Complaint => lang.pick("불만을 기록했습니다", "Complaint recorded"),
            }),
            Err(e) => Err(e.words(lang)),
        }
    }
}

/// The form itself (the caret where the caller puts it).
pub fn build_form(kind: ChartForm, patient_id: i64, name: &str, current: &[Tag], ctx: &Ctx<'_>) -> Form {
    let name = if ctx.mask { mask_name(name) } else { name.to_string() };
    let lang = ctx.lang;
    let today = ctx.today();
    let hidden_id = {
        let mut f = Field::number("patient_id", "id").value(patient_id.to_string());
        f.hidden = true;
        f
    };
    match kind {
        ChartForm::Note => Form::new(
            kind.id(),
            format!("{} - {name}", lang.pick("메모(포스트잇)", "Post-it note")),
            lang,
            today,
        )
        .field(hidden_id)
        .field(Field::text("body", lang.pick("메모", "Note")).required().hint(
            lang.pick("성향, 원하는 것, 주의할 점", "what they are like, what they want, what to watch"),
        )),
        ChartForm::Stickers => {
            let choices = Tag::ALL
                .iter()
                .map(|t| Choice::new(t.code(), t.label(lang)).with_key(badge_key(*t)))
                .collect();
            let codes: Vec<&str> = current.iter().map(|t| t.code()).collect();
            Form::new(kind.id(), format!("{} - {name}", lang.pick("스티커", "Stickers")), lang, today)
                .field(hidden_id)
                .field(
                    Field::multi("tags", lang.pick("스티커", "Stickers"), choices).selected(&codes.join(",")),
                )
        }
        ChartForm::Complaint => {
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
            Form::new(kind.id(), format!("{} - {name}", lang.pick("불만 기록", "Complaint")), lang, today)
                .field(hidden_id)
                .field(Field::pick("category", lang.pick("분류", "Category"), categories).required())
                .field(Field::text("description", lang.pick("내용", "What happened")).required())
                .field(Field::pick("owner", lang.pick("담당", "Owner"), owners))
                .field(Field::text("plan", lang.pick("해결 계획", "Resolution plan")))
        }
    }
}

fn badge_key(t: Tag) -> char {
    t.badge().chars().next().unwrap_or('x').to_ascii_lowercase()
}
