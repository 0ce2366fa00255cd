//! The key result editor's filter fields (issue 21): treatment, provider, payment category and
//! referral source, each optional (empty: the whole clinic), shown only where
//! `Filters::allowed` lets the picked metric be narrowed, checked with `Filters::check`; and
//! the filters in words for the board and the drill-down (`비급여 / 김원장`).

use super::*;
use crate::app::form::FieldKind;
use crate::domain::okr::Filters;
use crate::domain::payments::PaymentCategory;

/// The filter fields, by the name `Filters` gives them.
pub(super) const FILTER_FIELDS: [(&str, &str); 4] = [
    ("treatment", "f_treatment"),
    ("provider", "f_provider"),
    ("category", "f_category"),
    ("source", "f_source"),
];

/// Adds the four filter fields, filled from `current`, shown as the metric allows.
pub(super) fn filter_fields(form: Form, lang: Lang, catalog: &Catalog, current: Option<&Filters>) -> Form {
    let none = Filters::default();
    let f = current.unwrap_or(&none);
    let hint = lang.pick("비우면 전체 (Bksp)", "empty: the whole clinic (Bksp)");
    let providers: Vec<Choice> = catalog
        .providers()
        .filter(|s| s.active || f.provider.as_deref() == Some(s.name.as_str()))
        .map(|s| Choice::new(s.name.clone(), s.name.clone()))
        .collect();
    let categories = PaymentCategory::ALL.iter().map(|c| Choice::new(c.code(), c.label(lang))).collect();
    let sources = catalog
        .referral_sources
        .iter()
        .filter(|s| s.active || f.source.as_deref() == Some(s.code.as_str()))
        .map(|s| crate::app::kit::choices::code(s, lang))
        .collect();
    let treatments = crate::app::kit::choices::treatments(catalog, lang);
    let pick = |id: &'static str, label: &str, choices: Vec<Choice>, v: &Option<String>| {
        Field::pick(id, label, choices).selected(v.as_deref().unwrap_or_default()).hint(hint)
    };
    let mut form = form
        .field(pick("f_treatment", lang.pick("치료만", "By treatment"), treatments, &f.treatment))
        .field(pick("f_provider", lang.pick("원장만", "By provider"), providers, &f.provider))
        .field(pick("f_category", lang.pick("수납 구분만", "By category"), categories, &f.category))
        .field(pick("f_source", lang.pick("내원경로만", "By source"), sources, &f.source));
    show_allowed(&mut form);
    form
}

/// A field of a key-result editor changed: a new metric shows the filter fields it allows.
pub(super) fn on_change(form: &mut Form, field: &str) {
    if field == "metric" {
        show_allowed(form);
    }
}

/// Shows the filter fields the picked metric can be narrowed by, hides the others (none
/// while no metric is picked). Call after the metric changes.
pub(super) fn show_allowed(form: &mut Form) {
    let metric = form.picked("metric").and_then(|m| Metric::parse(&m));
    let allowed = metric.as_ref().map(Filters::allowed).unwrap_or(&[]);
    for (name, id) in FILTER_FIELDS {
        // A list with nothing to pick (no provider yet) is not shown either.
        let empty = matches!(&form.get(id).kind, FieldKind::Pick { choices, .. } if choices.is_empty());
        form.set_hidden(id, empty || !allowed.contains(&name));
    }
}

/// The filters as the editor shows them (hidden fields left out), checked against `metric`.
/// `None` after putting the reason on the field at fault.
pub(super) fn read_filters(form: &mut Form, metric: &Metric, lang: Lang) -> Option<Filters> {
    let value = |form: &Form, id: &str| if form.get(id).hidden { None } else { form.picked(id) };
    let filters = Filters::from_parts(
        value(form, "f_treatment"),
        value(form, "f_provider"),
        value(form, "f_category"),
        value(form, "f_source"),
    );
    if let Err(why) = filters.check(metric) {
        let field = FILTER_FIELDS
            .iter()
            .find(|(name, _)| why.contains(&format!("`{name}`")))
            .map(|(_, id)| *id)
            .unwrap_or("metric");
        form.set_error(
            field,
            match lang {
                Lang::Ko => format!("이 지표에는 쓸 수 없는 조건입니다 ({why})"),
                Lang::En => why,
            },
        );
        return None;
    }
    Some(filters)
}

/// A metric's filters in words, category first (`비급여 / 김원장`); None without filters.
pub fn filter_label(metric: &Metric, catalog: &Catalog, lang: Lang) -> Option<String> {
    let f = metric.filters()?;
    let mut parts = Vec::new();
    if let Some(c) = &f.category {
        parts.push(PaymentCategory::parse(c).map(|c| c.label(lang).to_string()).unwrap_or_else(|| c.clone()));
    }
    if let Some(t) = &f.treatment {
        parts.push(catalog.treatment_label(t, lang));
    }
    if let Some(p) = &f.provider {
        parts.push(p.clone());
    }
    if let Some(s) = &f.source {
        parts.push(catalog.source_label(s, lang));
    }
    (!parts.is_empty()).then(|| parts.join(" / "))
}
