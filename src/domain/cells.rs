//! Spreadsheet cells that cannot run: a cell that starts like a formula (`=`, `+`, `-`, `@`,
//! a tab or a carriage return) is written with a leading `'`, as OWASP recommends against CSV
//! injection, and the importer takes that `'` off again so a round trip is exact. A plain
//! number (a negative amount, `-12000`) is left a number.

/// The characters a spreadsheet may take as the start of a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when `cell` is a number a spreadsheet reads as a number, formula or not: `-12000`,
/// `+3`, `-0.5`. Such a cell is not a formula and keeps its sign.
fn is_plain_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|&c| c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit())
}

/// The cell as it is safe to write to a CSV or spreadsheet file.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    // A cell that already looks guarded gets one more `'`, so that the importer's one `'` off
    // gives it back as it was.
    if looks_like_formula(cell) || is_guarded(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A cell read from a file, with the `'` that [`neutralize`] put before a formula start taken
/// off again. A `'` before anything else is the person's own text and stays.
pub fn unneutralize(cell: &str) -> &str {
    if is_guarded(cell) { &cell[1..] } else { cell }
}

fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_START) && !is_plain_number(cell)
}

/// `'` before a formula start, or before another guarded cell.
fn is_guarded(cell: &str) -> bool {
    match cell.strip_prefix('\'') {
        Some(rest) => looks_like_formula(rest) || is_guarded(rest),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_prefixed_and_numbers_are_not() {
        assert_eq!(neutralize("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(neutralize("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(neutralize("-2+3"), "'-2+3");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("\tx"), "'\tx");
        assert_eq!(neutralize("\rx"), "'\rx");
        assert_eq!(neutralize("-12000"), "-12000");
        assert_eq!(neutralize("+82"), "+82");
        assert_eq!(neutralize("-0.5"), "-0.5");
        assert_eq!(neutralize("홍길동"), "홍길동");
        assert_eq!(neutralize(""), "");
        assert_eq!(neutralize("-"), "'-");
        assert_eq!(neutralize("010-1234-5678"), "010-1234-5678");
    }

    #[test]
    fn a_round_trip_is_exact() {
        for cell in
            ["=1+1", "+cmd", "-x", "@a", "\tt", "'=already quoted", "''=x", "'plain", "-500", "it's", ""]
        {
            assert_eq!(unneutralize(&neutralize(cell)), cell, "{cell:?}");
        }
        assert_eq!(unneutralize("'hello"), "'hello", "a person's own apostrophe stays");
    }
}
