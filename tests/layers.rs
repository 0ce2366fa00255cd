//! The layers of docs/ARCHITECTURE.md, held by reading the sources: the app reaches the
//! database only through the desk (writes) and `&impl store::Db` reads; no layer imports one
//! above it; the domain is pure.

use std::path::Path;

/// Every `.rs` file under `dir`, with its text, comments included (a mention in a comment
/// is worded so as not to match).
fn sources(dir: &str) -> Vec<(String, String)> {
    fn walk(p: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(p).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
    assert!(!out.is_empty(), "{dir}");
    out
}

fn hits(dir: &str, needle: &str) -> Vec<String> {
    sources(dir)
        .into_iter()
        .flat_map(|(path, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.contains(needle))
                .map(|(i, l)| format!("{path}:{}: {}", i + 1, l.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_app_writes_through_the_desk_and_never_holds_a_connection() {
    for needle in ["rusqlite", ".write(|", "Tx<", "execute(", "prepare("] {
        assert_eq!(hits("src/app", needle), Vec::<String>::new(), "{needle}");
    }
    // Reads pass the store itself (`&impl store::Db`).
    assert_eq!(hits("src/app", ".conn()"), Vec::<String>::new(), ".conn()");
}

#[test]
fn no_layer_imports_one_above_it() {
    for (dir, above) in [
        ("src/domain", &["crate::store", "crate::desk", "crate::app", "crate::cli", "crate::demo"][..]),
        ("src/store", &["crate::desk", "crate::app", "crate::cli", "crate::demo"][..]),
        ("src/desk", &["crate::app", "crate::cli", "crate::demo"][..]),
        ("src/demo", &["crate::desk", "crate::app", "crate::cli"][..]),
    ] {
        for needle in above {
            assert_eq!(hits(dir, needle), Vec::<String>::new(), "{dir} names {needle}");
        }
    }
}

#[test]
fn the_domain_and_the_desk_neither_draw_nor_query() {
    for dir in ["src/domain", "src/desk"] {
        for needle in ["use rusqlite", "rusqlite::", "use ratatui", "use crossterm"] {
            assert_eq!(hits(dir, needle), Vec::<String>::new(), "{dir}: {needle}");
        }
    }
}
