//! The referrer look-up every form shares (booking a new patient, logging a call, correcting a
//! call): a text field where the desk types a name, initials (ㅎㄱㄷ), a phone number or part
//! of a chart number, and a pick list under it with the matches (`desk::booking::find_referrer`).
//! One match is picked at once; several wait for the desk to pick one by its number; none says
//! so. Saving with matches but none picked, or with no match, puts the reason on the field:
//! ambiguous input never silently picks someone.

use crate::app::form::{Choice, FieldKind, Form};
use crate::desk;
use crate::domain::Lang;
use crate::domain::mask::mask_name;
use crate::store::Db;
use crate::store::inquiries::PatientBrief;

/// How many matches the pick list offers (each has its digit).
pub const MATCHES: usize = 9;

/// Refills the pick field `pick` with the patients the text in `query` finds; returns them.
/// The pick list is hidden while the query is empty.
pub fn look_up(form: &mut Form, query: &str, pick: &str, db: &impl Db, mask: bool) -> Vec<PatientBrief> {
    let typed = form.text(query);
    let found = if typed.is_empty() {
        Vec::new()
    } else {
        desk::booking::find_referrer(db, &typed, MATCHES).unwrap_or_default()
    };
    let choices: Vec<Choice> = found
        .iter()
        .map(|p| {
            // Short enough for several on one line: the name, the chart and the phone's last
            // four digits (shown on a masked screen too).
            let name = if mask { mask_name(&p.name) } else { p.name.clone() };
            let digits: String = p.phone.chars().filter(char::is_ascii_digit).collect();
            let last4 = digits.get(digits.len().saturating_sub(4)..).unwrap_or("");
            Choice::new(p.id.to_string(), format!("{name} {} {last4}", p.chart_no).trim_end().to_string())
        })
        .collect();
    let one = (choices.len() == 1).then_some(0);
    let field = form.get_mut(pick);
    field.kind = FieldKind::Pick { choices, selected: one };
    field.error = None;
    field.hidden = typed.is_empty();
    found
}

/// Why a referrer cannot be taken as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotChosen {
    /// Several patients match and none is picked.
    Ambiguous(usize),
    /// Nobody matches.
    NoMatch,
}

impl NotChosen {
    pub fn words(self, lang: Lang) -> String {
        match (self, lang) {
            (NotChosen::Ambiguous(n), Lang::Ko) => {
                format!("소개한 환자 후보가 {n}명입니다 - 아래 목록에서 번호로 고르세요")
            }
            (NotChosen::Ambiguous(n), Lang::En) => {
                format!("{n} patients match - pick the referrer below by its number")
            }
            (NotChosen::NoMatch, Lang::Ko) => {
                "그런 환자가 없습니다 - 이름, 초성, 전화, 차트번호로 찾거나 비우세요".into()
            }
            (NotChosen::NoMatch, Lang::En) => {
                "No patient matches - search by name, initials, phone or chart number, or leave it empty"
                    .into()
            }
        }
    }
}

/// The referrer the desk chose: `Ok(None)` when the query is empty, the picked patient's id,
/// or why not (nothing is guessed).
pub fn chosen(form: &Form, query: &str, pick: &str) -> Result<Option<i64>, NotChosen> {
    if form.text(query).is_empty() {
        return Ok(None);
    }
    let field = form.get(pick);
    let FieldKind::Pick { choices, selected } = &field.kind else { return Ok(None) };
    match selected.and_then(|i| choices.get(i)) {
        Some(c) => Ok(c.code.parse().ok()),
        None if choices.is_empty() => Err(NotChosen::NoMatch),
        None => Err(NotChosen::Ambiguous(choices.len())),
    }
}

/// Checks the choice at save, putting the reason on the pick (or the query when nothing
/// matches) and moving the focus there; an error means the form must stay open.
pub fn check(form: &mut Form, query: &str, pick: &str, lang: Lang) -> Result<Option<i64>, NotChosen> {
    chosen(form, query, pick).inspect_err(|why| {
        let on = if *why == NotChosen::NoMatch { query } else { pick };
        let id: &'static str = form.fields.iter().find(|f| f.id == on).map(|f| f.id).unwrap_or("referrer");
        form.set_error(id, why.words(lang));
    })
}
