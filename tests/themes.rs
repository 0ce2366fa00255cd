//! Themes (issue 18 item 6): the light palette has no text colour that vanishes on white,
//! `NO_COLOR` drops every colour but still shows the selected row and the active tab,
//! `borders = "ascii"` draws no box-drawing or other ambiguous-width symbol, the terminal's
//! OSC 11 answer and the config choose the palette. On the demo clinic's day at 80x24.

mod common;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::theme::{Look, Palette, Theme, palette_for, parse_osc11};
use frontdesk::app::{App, AppOptions, TabId};
use frontdesk::config::{Config, ThemeChoice};
use frontdesk::demo::{DemoOptions, Scale};
use frontdesk::domain::Lang;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

const LIGHT: Look = Look { palette: Palette::Light, color: true, truecolor: false, ascii: false };
const PLAIN_ASCII: Look = Look { palette: Palette::Dark, color: false, truecolor: false, ascii: true };

fn demo_db(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("demo.db");
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut store = common::open(&db);
    frontdesk::demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: 42, date }).unwrap();
    db
}

fn app(db: &std::path::Path, lang: Lang, tab: TabId, look: Look) -> App {
    let opts = AppOptions {
        lang,
        tab,
        mask: false,
        presentation: false,
        fixed_now: Some(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(11, 10, 0).unwrap()),
        db_label: "demo.db".into(),
    };
    let mut app = App::new(common::open(db), opts).unwrap();
    app.theme = Theme::new(look, false);
    app
}

/// Text colours that disappear (or nearly) on a white background when nothing is behind them.
fn vanishes_on_white(c: Color) -> bool {
    matches!(
        c,
        Color::Gray
            | Color::White
            | Color::Yellow
            | Color::LightYellow
            | Color::DarkGray
            | Color::LightCyan
            | Color::LightGreen
    ) || matches!(c, Color::Indexed(i) if (7..=15).contains(&i) || i >= 248 || (226..=231).contains(&i))
}

fn unreadable_cells(buf: &Buffer) -> Vec<String> {
    let mut bad = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if c.bg == Color::Reset && vanishes_on_white(c.fg) && c.symbol().trim() != "" {
                bad.push(format!("({x},{y}) {:?} {:?}", c.symbol(), c.fg));
            }
        }
    }
    bad
}

/// The symbols that break the layout where ambiguous-width characters are drawn wide.
fn ambiguous_symbols(screen: &str) -> Vec<char> {
    screen
        .chars()
        .filter(|&c| {
            matches!(c as u32, 0x2500..=0x259F | 0x25A0..=0x25FF | 0x2190..=0x21FF)
                || matches!(c, '…' | '·' | '●' | '▶' | '•' | '✓' | '★')
        })
        .collect()
}

#[test]
fn light_theme_today_and_okr_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    for lang in [Lang::Ko, Lang::En] {
        for tab in [TabId::Today, TabId::Okr] {
            let app = app(&db, lang, tab, LIGHT);
            let buf = common::render(&app, 80, 24);
            insta::assert_snapshot!(
                format!("light_{}_{}_80x24", tab.code(), lang.code()),
                common::text(&buf)
            );
        }
    }
}

#[test]
fn no_color_ascii_today_and_okr_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    for lang in [Lang::Ko, Lang::En] {
        for tab in [TabId::Today, TabId::Okr] {
            let app = app(&db, lang, tab, PLAIN_ASCII);
            let buf = common::render(&app, 80, 24);
            let screen = common::text(&buf);
            assert!(ambiguous_symbols(&screen).is_empty(), "{:?}\n{screen}", ambiguous_symbols(&screen));
            if tab == TabId::Okr {
                assert!(screen.contains("+---") && screen.contains("| "), "ASCII frames: {screen}");
            }
            insta::assert_snapshot!(format!("plain_ascii_{}_{}_80x24", tab.code(), lang.code()), screen);
        }
    }
}

#[test]
fn no_text_in_the_light_theme_vanishes_on_white() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    for lang in [Lang::Ko, Lang::En] {
        for tab in TabId::ALL {
            let mut app = app(&db, lang, tab, LIGHT);
            for (w, h) in [(80, 24), (120, 40)] {
                let bad = unreadable_cells(&common::render(&app, w, h));
                assert!(bad.is_empty(), "{tab:?} {lang:?} {w}x{h}: {bad:?}");
            }
            // Help, over the tab.
            app.on_key(key('?'));
            let bad = unreadable_cells(&common::render(&app, 80, 24));
            assert!(bad.is_empty(), "help over {tab:?}: {bad:?}");
        }
    }
    // The booking form and patient search, over Today.
    let mut today = app(&db, Lang::Ko, TabId::Today, LIGHT);
    today.on_key(key('n'));
    assert!(today.booking.is_some());
    let bad = unreadable_cells(&common::render(&today, 80, 24));
    assert!(bad.is_empty(), "booking form: {bad:?}");
    today.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    today.on_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    assert!(today.search.is_some());
    let bad = unreadable_cells(&common::render(&today, 80, 24));
    assert!(bad.is_empty(), "patient search: {bad:?}");
    // The dark palette's greys are exactly what the light one must not use: the check bites.
    let dark = app(&db, Lang::En, TabId::Today, Look::default());
    assert!(!unreadable_cells(&common::render(&dark, 80, 24)).is_empty());
}

#[test]
fn no_color_keeps_the_selected_row_and_the_active_tab_visible() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    for tab in [TabId::Today, TabId::Callbacks, TabId::Inquiries, TabId::Okr] {
        let coloured = app(&db, Lang::En, tab, Look::default());
        let plain = app(&db, Lang::En, tab, Look { color: false, ..Look::default() });
        let (a, b) = (common::render(&coloured, 80, 24), common::render(&plain, 80, 24));
        let selected_bg = coloured.theme.selected.bg.unwrap();
        let mut selected = 0;
        for y in 0..24 {
            for x in 0..80 {
                let (ca, cb) = (&a[(x, y)], &b[(x, y)]);
                // Not a single colour under NO_COLOR.
                assert_eq!((cb.fg, cb.bg), (Color::Reset, Color::Reset), "{tab:?} ({x},{y})");
                // Bold and the like stay.
                assert!(cb.modifier.contains(ca.modifier - Modifier::REVERSED), "{tab:?} ({x},{y})");
                if ca.bg == selected_bg {
                    selected += 1;
                    assert!(
                        cb.modifier.contains(Modifier::REVERSED),
                        "{tab:?}: selected cell ({x},{y}) unmarked"
                    );
                }
            }
        }
        if tab != TabId::Okr || selected > 0 {
            assert!(selected > 0, "{tab:?}: no selected row to check\n{}", common::text(&a));
        }
        // The active tab: reversed in the tab bar, the others not.
        let bar: Vec<bool> = (0..80).map(|x| b[(x, 0)].modifier.contains(Modifier::REVERSED)).collect();
        let title = tab.title(Lang::En);
        let line = common::text(&b).lines().next().unwrap().to_string();
        let at = line.find(title).unwrap();
        assert!(bar[at], "active tab not reversed: {line}");
        assert_eq!(bar.iter().filter(|r| **r).count(), title.len() + 4, "only the active tab: {line}");
    }
}

#[test]
fn ascii_borders_reach_popups_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let mut app = app(&db, Lang::Ko, TabId::Today, PLAIN_ASCII);
    app.on_key(key('?'));
    let screen = common::text(&common::render(&app, 80, 24));
    assert!(ambiguous_symbols(&screen).is_empty(), "help: {screen}");
    assert!(screen.contains('+'), "{screen}");
    let app = app_with_booking(&db);
    assert!(app.booking.is_some());
    let screen = common::text(&common::render(&app, 80, 24));
    assert!(ambiguous_symbols(&screen).is_empty(), "booking: {screen}");
    assert!(screen.contains("+--"), "booking frame: {screen}");
}

fn app_with_booking(db: &std::path::Path) -> App {
    let mut app = app(db, Lang::En, TabId::Today, PLAIN_ASCII);
    app.on_key(key('n'));
    app
}

#[test]
fn text_cut_to_fit_ends_with_a_marker() {
    assert_eq!(frontdesk::domain::text::truncate("홍길동 010-1234-5678", 8), "홍길동 ~");
    assert_eq!(frontdesk::domain::text::fit("abcdefgh", 5), "abcd~");
    assert_eq!(frontdesk::domain::text::fit("abc", 5), "abc  ");
    // The marker is one ASCII column: the same in both symbol sets.
    assert_eq!(Theme::new(PLAIN_ASCII, false).sym.cut, '~');
    assert_eq!(Theme::new(Look::default(), false).sym.cut, '~');
}

#[test]
fn osc11_replies_parse_to_a_luminance() {
    let white = parse_osc11(b"\x1b]11;rgb:ffff/ffff/ffff\x1b\\").unwrap();
    assert!((white - 1.0).abs() < 1e-9);
    let black = parse_osc11(b"\x1b]11;rgb:0000/0000/0000\x07").unwrap();
    assert!(black.abs() < 1e-9);
    // Two hex digits a channel, after other replies (the DA1 answer) and with rgba.
    let solarized_light = parse_osc11(b"\x1b[?62;22c\x1b]11;rgb:fd/f6/e3\x1b\\").unwrap();
    assert!(solarized_light > 0.9, "{solarized_light}");
    let dark_grey = parse_osc11(b"\x1b]11;rgba:1e1e/1e1e/1e1e/ffff\x1b\\").unwrap();
    assert!(dark_grey < 0.2);
    assert_eq!(palette_for(Some(white)), Palette::Light);
    assert_eq!(palette_for(Some(dark_grey)), Palette::Dark);
    assert_eq!(palette_for(None), Palette::Dark);
    for junk in [
        &b""[..],
        b"\x1b[?62c",
        b"\x1b]11;rgb:ff/ff\x1b\\",
        b"\x1b]11;rgb:zz/00/00\x07",
        b"\x1b]11;#ffffff\x07",
    ] {
        assert_eq!(parse_osc11(junk), None, "{junk:?}");
    }
}

fn config(text: &str) -> Config {
    toml::from_str(text).unwrap()
}

#[test]
fn config_and_environment_choose_the_look() {
    let none = |_: &str| None::<String>;
    let never = || -> Option<f64> { panic!("only auto asks the terminal") };
    // Nothing said: dark, colour, box drawing, no 24-bit colour.
    assert_eq!(config("").look(None, none, never).unwrap(), Look::default());
    assert_eq!(config("theme = \"light\"").look(None, none, never).unwrap().palette, Palette::Light);
    // --theme wins over the config.
    assert_eq!(
        config("theme = \"light\"").look(Some(ThemeChoice::Dark), none, never).unwrap().palette,
        Palette::Dark
    );
    // auto: the terminal's answer, dark without one.
    assert_eq!(config("theme = \"auto\"").look(None, none, || Some(0.93)).unwrap().palette, Palette::Light);
    assert_eq!(config("theme = \"auto\"").look(None, none, || Some(0.1)).unwrap().palette, Palette::Dark);
    assert_eq!(config("theme = \"auto\"").look(None, none, || None).unwrap().palette, Palette::Dark);
    assert!(config("borders = \"ascii\"").look(None, none, never).unwrap().ascii);
    assert!(!config("borders = \"box\"").look(None, none, never).unwrap().ascii);
    // Unknown values are refused with the choices named.
    let err = config("theme = \"solarized\"").look(None, none, never).unwrap_err();
    assert!(err.contains("dark") && err.contains("auto"), "{err}");
    assert!(config("borders = \"double\"").look(None, none, never).unwrap_err().contains("ascii"));
    // NO_COLOR: set and not empty.
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    };
    assert!(!config("").look(None, env(&[("NO_COLOR", "1")]), never).unwrap().color);
    assert!(config("").look(None, env(&[("NO_COLOR", "")]), never).unwrap().color);
    // 24-bit colour only when the terminal says so.
    assert!(config("").look(None, env(&[("COLORTERM", "truecolor")]), never).unwrap().truecolor);
    assert!(config("").look(None, env(&[("COLORTERM", "24bit")]), never).unwrap().truecolor);
    assert!(!config("").look(None, env(&[("COLORTERM", "yes")]), never).unwrap().truecolor);
}

#[test]
fn only_16_or_256_colours_without_true_colour() {
    for palette in [Palette::Dark, Palette::Light] {
        let plain = Theme::new(Look { palette, ..Look::default() }, false);
        assert!(!matches!(plain.selected.bg, Some(Color::Rgb(..))), "{palette:?}");
        let styles = [
            plain.base,
            plain.dim,
            plain.title,
            plain.tab_active,
            plain.tab_inactive,
            plain.status_bar,
            plain.footer_key,
            plain.footer_text,
            plain.selected,
            plain.border,
            plain.error,
            plain.warn,
            plain.ok,
            plain.info,
        ];
        for s in styles {
            assert!(!matches!(s.fg, Some(Color::Rgb(..))) && !matches!(s.bg, Some(Color::Rgb(..))), "{s:?}");
        }
        let rich = Theme::new(Look { palette, truecolor: true, ..Look::default() }, false);
        assert!(matches!(rich.selected.bg, Some(Color::Rgb(..))), "{palette:?}");
    }
}

/// The built binary in a terminal, with `theme = "light"` and `borders = "ascii"` in its
/// config and `NO_COLOR` set: ASCII frames on the screen, not one colour in any cell.
#[test]
fn the_binary_reads_theme_and_borders_from_its_config() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let config_home = dir.path().join("config");
    std::fs::create_dir_all(config_home.join("frontdesk")).unwrap();
    std::fs::write(config_home.join("frontdesk/config.toml"), "theme = \"light\"\nborders = \"ascii\"\n")
        .unwrap();
    let mut pty = common::pty::Pty::spawn(
        env!("CARGO_BIN_EXE_frontdesk"),
        &["--db", db.to_str().unwrap(), "--lang", "en"],
        80,
        24,
        &[("XDG_CONFIG_HOME", config_home.to_str().unwrap()), ("NO_COLOR", "1")],
    );
    pty.wait_for("Arrived", 20);
    // The OKR tab has frames and bars.
    pty.send("5");
    pty.wait_for("+---", 10);
    let screen = pty.screen();
    assert!(ambiguous_symbols(&screen).is_empty(), "{screen}");
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    for sgr in [
        "38;5;", "48;5;", "38;2;", "\x1b[30m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[34m", "\x1b[36m",
        "\x1b[44m", "\x1b[46m", "\x1b[90m",
    ] {
        assert!(!raw.contains(sgr), "colour {sgr:?} drawn under NO_COLOR");
    }
    // Reverse video marks the active tab.
    assert!(raw.contains("\x1b[7m"), "no reverse video");
    pty.send("q");
    pty.wait_exit(10);
}
