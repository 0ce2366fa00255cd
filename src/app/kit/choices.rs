//! Form choices built from the catalog, the same way in every form that offers them.

use crate::app::form::Choice;
use crate::domain::Lang;
use crate::store::catalog::{Catalog, CodeLabel};

/// The active treatments, in catalog order.
pub fn treatments(catalog: &Catalog, lang: Lang) -> Vec<Choice> {
    catalog
        .treatments
        .iter()
        .filter(|t| t.code.active)
        .map(|t| Choice::new(t.code.code.clone(), t.code.label(lang)))
        .collect()
}

/// A catalog code as a choice, picked by its own key where it has one.
pub fn code(c: &CodeLabel, lang: Lang) -> Choice {
    let choice = Choice::new(c.code.clone(), c.label(lang));
    match c.key {
        Some(k) => choice.with_key(k),
        None => choice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_keeps_its_key_and_inactive_treatments_are_left_out() {
        let mut c = CodeLabel {
            code: "sign".into(),
            ko: "간판".into(),
            en: "Signboard".into(),
            aliases: Vec::new(),
            key: Some('s'),
            active: true,
        };
        let choice = code(&c, Lang::En);
        assert_eq!(choice, Choice::new("sign", "Signboard").with_key('s'));
        c.key = None;
        assert_eq!(code(&c, Lang::Ko), Choice::new("sign", "간판"));
        assert!(treatments(&Catalog::default(), Lang::Ko).is_empty());
    }
}
