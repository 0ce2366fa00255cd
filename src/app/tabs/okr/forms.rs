//! The OKR tab's forms: objective, key result and check-in, built and read back.

use super::*;

pub(super) fn hidden_id(id: &'static str, value: i64) -> Field {
    let mut f = Field::text(id, "").value(value.to_string());
    f.hidden = true;
    f
}

pub(super) fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// A six-month period from the first of this month, as the OKR guide suggests.
pub(super) fn six_months_from(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = first_of_month(today);
    let to = from.checked_add_months(Months::new(6)).and_then(|d| d.pred_opt()).unwrap_or(from);
    (from, to)
}

pub(super) fn objective_fields(
    mut form: Form,
    lang: Lang,
    title: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Form {
    form = form
        .field(Field::text("title", lang.pick("목표", "Objective")).value(title).required().hint(lang.pick(
            "쉽지 않지만 해낼 수 있는 목표 (예: 평환 50명)",
            "hard but within reach (e.g. 50 patients a day)",
        )))
        .field(Field::date("from", lang.pick("시작일", "From")).value(from.to_string()).required())
        .field(
            Field::date("to", lang.pick("종료일", "To"))
                .value(to.to_string())
                .required()
                .hint(lang.pick("보통 6개월", "six months is usual")),
        );
    form
}

pub(super) fn new_objective_form(ctx: &Ctx<'_>) -> Form {
    let lang = ctx.lang;
    let (from, to) = six_months_from(ctx.today());
    let form = Form::new(
        FORM_OBJECTIVE,
        lang.pick("새 목표와 첫 핵심결과", "New objective and its first key result"),
        lang,
        ctx.today(),
    );
    let form = objective_fields(form, lang, "", from, to);
    key_result_fields(form, lang, ctx.catalog, None)
}

pub(super) fn objective_form(ctx: &Ctx<'_>, o: Option<&ObjectiveStatus>) -> Form {
    let lang = ctx.lang;
    let form = Form::new(FORM_OBJECTIVE_EDIT, lang.pick("목표 고치기", "Edit objective"), lang, ctx.today());
    match o {
        Some(o) => objective_fields(form, lang, &o.objective.title, o.objective.from, o.objective.to)
            .field(hidden_id("id", o.objective.id)),
        None => {
            let (from, to) = six_months_from(ctx.today());
            objective_fields(form, lang, "", from, to).field(hidden_id("id", 0))
        }
    }
}

/// The metric catalog as a pick list: every key of DESIGN §4, and a share per treatment.
pub(super) fn metric_choices(lang: Lang, catalog: &Catalog) -> Vec<Choice> {
    let mut out: Vec<Choice> = Metric::KEYS
        .iter()
        .filter_map(|k| Metric::parse(k))
        .map(|m| Choice::new(m.key(), format!("{} ({})", m.label(lang), m.key())))
        .collect();
    for t in catalog.treatments.iter().filter(|t| t.code.active) {
        let m = Metric::TreatmentShare(t.code.code.clone());
        out.push(Choice::new(m.key(), format!("{}: {}", m.label(lang), t.code.label(lang))));
    }
    out
}

pub(super) fn key_result_fields(form: Form, lang: Lang, catalog: &Catalog, k: Option<&KeyResultDef>) -> Form {
    // Then the optional filters (treatment, provider, category, source), shown as the metric allows.
    let form = own_key_result_fields(form, lang, catalog, k);
    super::filters::filter_fields(form, lang, catalog, k.and_then(|k| k.metric.filters()))
}

fn own_key_result_fields(form: Form, lang: Lang, catalog: &Catalog, k: Option<&KeyResultDef>) -> Form {
    let directions = vec![
        Choice::new("at_least", lang.pick("이상 (>=)", "at least (>=)")).with_key('>'),
        Choice::new("at_most", lang.pick("이하 (<=)", "at most (<=)")).with_key('<'),
    ];
    let number = |v: Option<f64>, rate: bool| match v {
        Some(v) if rate => format!("{}%", trim_number(v * 100.0)),
        Some(v) => trim_number(v),
        None => String::new(),
    };
    let rate = k.is_some_and(|k| k.metric.is_rate());
    form.field(
        Field::text("kr_title", lang.pick("핵심결과", "Key result"))
            .value(k.map(|k| k.title.clone()).unwrap_or_default())
            .required()
            .hint(lang.pick("예: 부도율 30% 이하", "e.g. no-shows at most 30%")),
    )
    .field(
        Field::pick("metric", lang.pick("지표", "Metric"), metric_choices(lang, catalog))
            .selected(&k.map(|k| k.metric.key()).unwrap_or_default())
            .required(),
    )
    .field(
        Field::pick("direction", lang.pick("방향", "Direction"), directions)
            .selected(k.map(|k| k.direction.code()).unwrap_or("at_least"))
            .required(),
    )
    .field(
        Field::text("target", lang.pick("목표값", "Target"))
            .value(number(k.map(|k| k.target), rate))
            .required()
            .hint(lang.pick("예: 80%, 50, 3,000만원", "e.g. 80%, 50, 30,000,000")),
    )
    .field(
        Field::text("baseline", lang.pick("출발값", "Baseline"))
            .value(number(k.and_then(|k| k.baseline), rate))
            .hint(lang.pick("비우면 0", "empty: 0")),
    )
    .field(
        Field::pick("cadence", lang.pick("판단 주기", "Judged over"), cadence_choices(lang))
            .selected(k.map(|k| k.cadence.code()).unwrap_or("period"))
            .required(),
    )
    .field(
        Field::text("unit", lang.pick("단위", "Unit"))
            .value(k.map(|k| k.unit.clone()).unwrap_or_default())
            .hint(lang.pick("예: 원, 명 (비율은 비움)", "e.g. 원 (leave empty for rates)")),
    )
    .field(
        Field::text("owner", lang.pick("책임자", "Owner"))
            .value(k.map(|k| k.owner.clone()).unwrap_or_default())
            .hint(lang.pick("예: 데스크", "e.g. desk")),
    )
    .field(
        Field::text("actions", lang.pick("실천 과업", "Action items"))
            .value(k.map(|k| k.actions.join("; ")).unwrap_or_default())
            .hint(lang.pick("; 로 나눠 적기", "separate with ;")),
    )
}

pub(super) fn cadence_choices(lang: Lang) -> Vec<Choice> {
    vec![
        Choice::new("period", lang.pick("기간 전체 (누적)", "the whole period")).with_key('p'),
        Choice::new("month", lang.pick("매월 (이번 달 값)", "each month (this month's value)")).with_key('m'),
    ]
}

/// What a check-in asks for: this month's value for a monthly key result, else the value to date.
pub(super) fn checkin_value_label(lang: Lang, cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::Month => lang.pick("이번 달 값", "This month"),
        Cadence::Period => lang.pick("현재 값", "Value to date"),
    }
}

pub(super) fn key_result_form(ctx: &Ctx<'_>, objective_id: i64, k: Option<&KeyResultStatus>) -> Form {
    let lang = ctx.lang;
    let title = if k.is_some() {
        lang.pick("핵심결과 고치기", "Edit key result")
    } else {
        lang.pick("핵심결과 추가", "Add key result")
    };
    let def = k.and_then(|k| k.key_result.def());
    let form = Form::new(FORM_KEY_RESULT, title, lang, ctx.today());
    key_result_fields(form, lang, ctx.catalog, def.as_ref())
        .field(hidden_id("objective_id", objective_id))
        .field(hidden_id("id", k.map(|k| k.key_result.id).unwrap_or(0)))
}

pub(super) fn checkin_form(ctx: &Ctx<'_>, k: &KeyResultStatus) -> Form {
    let lang = ctx.lang;
    let title = format!("{}: {}", lang.pick("체크인", "Check in"), k.key_result.title);
    Form::new(FORM_CHECKIN, title, lang, ctx.today())
        .field(Field::date("on", lang.pick("날짜", "Date")).value(ctx.today().to_string()).required())
        .field(
            Field::text("value", checkin_value_label(lang, k.key_result.cadence))
                .required()
                .hint(lang.pick("예: 1,200만원", "e.g. 12,000,000")),
        )
        .field(
            Field::text("comment", lang.pick("메모", "Comment"))
                .hint(lang.pick("잘된 점, 고칠 점", "what went well, what to improve")),
        )
        .field(hidden_id("id", k.key_result.id))
}

pub(super) fn read_objective(form: &mut Form, lang: Lang) -> Option<(String, NaiveDate, NaiveDate)> {
    let (from, to) = (form.date("from")?, form.date("to")?);
    if to < from {
        form.set_error("to", lang.pick("시작일보다 앞설 수 없습니다", "must not be before the start"));
        return None;
    }
    Some((form.text("title"), from, to))
}

pub(super) fn read_key_result(form: &mut Form, lang: Lang) -> Option<KeyResultDef> {
    let metric = form.picked("metric").and_then(|m| Metric::parse(&m))?;
    let filters = super::filters::read_filters(form, &metric, lang)?;
    let metric = metric.with_filters(filters);
    let direction = form.picked("direction").and_then(|d| Direction::parse(&d))?;
    let rate = metric.is_rate();
    let Some(target) = okr::parse_amount_input(&form.text("target"), rate) else {
        form.set_error("target", lang.pick("숫자로 적어 주세요 (예: 80%, 50)", "a number (e.g. 80%, 50)"));
        return None;
    };
    if rate && !(0.0..=1.0).contains(&target) {
        form.set_error("target", lang.pick("비율은 0%에서 100% 사이", "a rate is between 0% and 100%"));
        return None;
    }
    let baseline_text = form.text("baseline");
    let baseline = if baseline_text.is_empty() {
        None
    } else {
        match okr::parse_amount_input(&baseline_text, rate) {
            Some(b) => Some(b),
            None => {
                form.set_error(
                    "baseline",
                    lang.pick("숫자로 적거나 비워 두세요", "a number, or leave it empty"),
                );
                return None;
            }
        }
    };
    let actions =
        form.text("actions").split(';').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
    Some(KeyResultDef {
        title: form.text("kr_title"),
        metric,
        direction,
        target,
        baseline,
        unit: form.text("unit"),
        owner: form.text("owner"),
        cadence: form.picked("cadence").and_then(|c| Cadence::parse(&c)).unwrap_or_default(),
        actions,
    })
}

pub(super) fn trim_number(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
