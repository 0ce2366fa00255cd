//! Colours and drawing symbols in one place, chosen at start-up: a dark or a light palette
//! (config `theme = "dark" | "light" | "auto"`), `NO_COLOR`, and `borders = "ascii"`.
//!
//! Colours are ANSI 16 or xterm 256 values only, unless the terminal says it draws true colour
//! (`COLORTERM=truecolor|24bit`). No text colour vanishes on its palette's background: the
//! light palette has no grey, white or yellow text on the default background. Everything a
//! colour marks is also marked by a modifier (bold, reverse) or a symbol, so that `NO_COLOR`
//! (all colours dropped after drawing, modifiers kept; see [`strip_colours`]) still shows the
//! selected row and the active tab.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::domain::Tag;

/// Which palette: for a dark or for a light terminal background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    #[default]
    Dark,
    Light,
}

/// How this terminal draws: the palette, whether colours are wanted at all (`NO_COLOR`),
/// whether 24-bit colour may be used, and whether box drawing is replaced by ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub palette: Palette,
    pub color: bool,
    pub truecolor: bool,
    pub ascii: bool,
}

impl Default for Look {
    fn default() -> Look {
        Look { palette: Palette::Dark, color: true, truecolor: false, ascii: false }
    }
}

/// The symbols the screens draw besides text: box drawing, or ASCII for terminals that draw
/// East Asian ambiguous-width characters two columns wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbols {
    /// Frames of panels and popups.
    pub border: border::Set<'static>,
    /// A horizontal rule across a panel.
    pub rule: &'static str,
    /// A progress bar: the part done, the part to go, and the pace marker.
    pub bar_full: &'static str,
    pub bar_empty: &'static str,
    pub bar_marker: &'static str,
    /// What ends a text cut to fit (see `domain::text::truncate`, which uses `~` everywhere:
    /// it is one column wide in every terminal).
    pub cut: char,
}

pub const BOX_SYMBOLS: Symbols =
    Symbols {
        border: border::PLAIN, rule: "─", bar_full: "━", bar_empty: "─", bar_marker: "┃", cut: '~'
    };

pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

pub const ASCII_SYMBOLS: Symbols =
    Symbols { border: ASCII_BORDER, rule: "-", bar_full: "=", bar_empty: ".", bar_marker: "|", cut: '~' };

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub tab_active: Style,
    pub tab_inactive: Style,
    pub status_bar: Style,
    pub footer_key: Style,
    pub footer_text: Style,
    pub selected: Style,
    pub border: Style,
    pub error: Style,
    pub warn: Style,
    pub ok: Style,
    pub info: Style,
    pub met: Color,
    pub on_track: Color,
    pub behind: Color,
    pub off_track: Color,
    /// False under `NO_COLOR`: [`strip_colours`] runs over every drawn frame.
    pub color: bool,
    /// `borders = "ascii"`: [`Symbols`] are ASCII.
    pub ascii: bool,
    pub sym: Symbols,
}

/// For a dark background (the default). Its selected row's 24-bit colour is swapped for an
/// xterm-256 one unless the terminal says it draws true colour (see [`Theme::new`]).
pub const THEME: Theme = Theme {
    base: Style::new(),
    dim: Style::new().fg(Color::DarkGray),
    title: Style::new().add_modifier(Modifier::BOLD),
    tab_active: Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
    tab_inactive: Style::new().fg(Color::Gray),
    status_bar: Style::new().fg(Color::White).bg(Color::Blue),
    footer_key: Style::new().fg(Color::Black).bg(Color::Gray),
    footer_text: Style::new().fg(Color::Gray),
    selected: Style::new().bg(Color::Indexed(24)).add_modifier(Modifier::BOLD),
    border: Style::new().fg(Color::DarkGray),
    error: Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
    warn: Style::new().fg(Color::Yellow),
    ok: Style::new().fg(Color::Green),
    info: Style::new().fg(Color::Cyan),
    met: Color::Green,
    on_track: Color::Cyan,
    behind: Color::Yellow,
    off_track: Color::Red,
    color: true,
    ascii: false,
    sym: BOX_SYMBOLS,
};

/// For a light background: dark text colours only (xterm-256 greys, dark orange for what is
/// yellow on dark), the selected row on a pale blue.
pub const LIGHT: Theme = Theme {
    base: Style::new(),
    dim: Style::new().fg(Color::Indexed(241)),
    title: Style::new().add_modifier(Modifier::BOLD),
    tab_active: Style::new().fg(Color::White).bg(Color::Blue).add_modifier(Modifier::BOLD),
    tab_inactive: Style::new().fg(Color::Indexed(238)),
    status_bar: Style::new().fg(Color::White).bg(Color::Blue),
    footer_key: Style::new().fg(Color::White).bg(Color::Indexed(240)),
    footer_text: Style::new().fg(Color::Indexed(238)),
    selected: Style::new().fg(Color::Black).bg(Color::Indexed(153)).add_modifier(Modifier::BOLD),
    border: Style::new().fg(Color::Indexed(244)),
    error: Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
    warn: Style::new().fg(Color::Indexed(130)),
    ok: Style::new().fg(Color::Indexed(28)),
    info: Style::new().fg(Color::Indexed(25)),
    met: Color::Indexed(28),
    on_track: Color::Indexed(25),
    behind: Color::Indexed(130),
    off_track: Color::Indexed(160),
    color: true,
    ascii: false,
    sym: BOX_SYMBOLS,
};

/// High contrast for the shared huddle screen.
pub const PRESENTATION: Theme = Theme {
    base: Style::new().fg(Color::White).bg(Color::Black),
    dim: Style::new().fg(Color::Gray).bg(Color::Black),
    title: Style::new().fg(Color::White).bg(Color::Black).add_modifier(Modifier::BOLD),
    tab_active: Style::new().fg(Color::Black).bg(Color::White).add_modifier(Modifier::BOLD),
    tab_inactive: Style::new().fg(Color::White).bg(Color::Black),
    status_bar: Style::new().fg(Color::Black).bg(Color::White),
    footer_key: Style::new().fg(Color::Black).bg(Color::White),
    footer_text: Style::new().fg(Color::White).bg(Color::Black),
    selected: Style::new().fg(Color::Black).bg(Color::Yellow),
    border: Style::new().fg(Color::White),
    error: Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
    warn: Style::new().fg(Color::Yellow).bg(Color::Black),
    ok: Style::new().fg(Color::LightGreen).bg(Color::Black),
    info: Style::new().fg(Color::LightCyan).bg(Color::Black),
    met: Color::LightGreen,
    on_track: Color::LightCyan,
    behind: Color::Yellow,
    off_track: Color::LightRed,
    color: true,
    ascii: false,
    sym: BOX_SYMBOLS,
};

/// Sticker colours, as on paper charts.
pub fn tag_style(tag: Tag) -> Style {
    let bg = match tag {
        Tag::Referrer => Color::Magenta,
        Tag::HighValue => Color::Yellow,
        Tag::Prospect => Color::Cyan,
        Tag::Satisfied => Color::Green,
        Tag::MoreCare => Color::Blue,
    };
    Style::new().fg(Color::Black).bg(bg).add_modifier(Modifier::BOLD)
}

/// The colour of an OKR status: met green, on track, behind amber, off track red.
pub fn status_style(status: crate::domain::okr::Status, theme: &Theme) -> Style {
    use crate::domain::okr::Status;
    match status {
        Status::Met => Style::new().fg(theme.met),
        Status::OnTrack => Style::new().fg(theme.on_track),
        Status::Behind => Style::new().fg(theme.behind),
        Status::OffTrack => Style::new().fg(theme.off_track),
        Status::NoData => theme.dim,
    }
}

impl Theme {
    /// The theme for a look: the palette (or the shared screen's high contrast), 24-bit colour
    /// only where the terminal has it, the symbol set.
    pub fn new(look: Look, presentation: bool) -> Theme {
        let mut t = match (presentation, look.palette) {
            (true, _) => PRESENTATION,
            (false, Palette::Dark) => THEME,
            (false, Palette::Light) => LIGHT,
        };
        if look.truecolor && !presentation {
            t.selected = match look.palette {
                Palette::Dark => t.selected.bg(Color::Rgb(40, 60, 90)),
                Palette::Light => t.selected.bg(Color::Rgb(200, 222, 248)),
            };
        }
        t.color = look.color;
        t.ascii = look.ascii;
        t.sym = if look.ascii { ASCII_SYMBOLS } else { BOX_SYMBOLS };
        t
    }
}

/// `NO_COLOR`: every colour of a drawn frame dropped, modifiers kept. What a background
/// colour marked (the selected row, the active tab, key badges, stickers, the huddle's large
/// timer) is drawn in reverse video instead, so it still shows. `base` is the theme's own
/// background (the shared screen's black), which is not a mark.
pub fn strip_colours(buf: &mut Buffer, base: Style) {
    let plain = base.bg.unwrap_or(Color::Reset);
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.bg != Color::Reset && cell.bg != plain {
                cell.modifier.insert(Modifier::REVERSED);
            }
            cell.fg = Color::Reset;
            cell.bg = Color::Reset;
        }
    }
}

/// What the environment says about colour: `NO_COLOR` set and not empty (no-color.org) turns
/// colours off; `COLORTERM=truecolor|24bit` allows 24-bit colour.
pub fn env_colours(no_color: Option<&str>, colorterm: Option<&str>) -> (bool, bool) {
    let color = no_color.is_none_or(str::is_empty);
    let truecolor =
        matches!(colorterm.map(|s| s.trim().to_ascii_lowercase()).as_deref(), Some("truecolor" | "24bit"));
    (color, truecolor)
}

/// The background colour in a terminal's reply to OSC 11 (`ESC ] 11 ; rgb:RRRR/GGGG/BBBB`
/// ended by BEL or ST; 1 to 4 hex digits a channel), as a luminance from 0 (black) to 1
/// (white). None when the reply is not one.
pub fn parse_osc11(reply: &[u8]) -> Option<f64> {
    let text = String::from_utf8_lossy(reply);
    let start = text.find("]11;")? + 4;
    let rest = &text[start..];
    let end = rest.find(['\x07', '\x1b']).unwrap_or(rest.len());
    let spec = rest[..end].trim();
    let spec = spec.strip_prefix("rgba:").or_else(|| spec.strip_prefix("rgb:"))?;
    let mut channels = spec.split('/').map(|c| {
        if c.is_empty() || c.len() > 4 || !c.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(c, 16).ok()?;
        Some(v as f64 / ((1u32 << (4 * c.len())) - 1) as f64)
    });
    let (r, g, b) = (channels.next()??, channels.next()??, channels.next()??);
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b)
}

/// The palette for a background luminance: light above one half.
pub fn palette_for(luminance: Option<f64>) -> Palette {
    match luminance {
        Some(l) if l > 0.5 => Palette::Light,
        _ => Palette::Dark,
    }
}

/// `theme = "auto"`: asks the terminal for its background colour (OSC 11, followed by a
/// device-attributes request every terminal answers, so that one which does not know OSC 11
/// costs no wait) and waits at most `timeout` for the replies. None without a terminal on
/// both stdin and stdout, or without an answer; the caller falls back to dark.
#[cfg(unix)]
pub fn query_background(timeout: std::time::Duration) -> Option<f64> {
    use std::io::{IsTerminal, Read, Write};
    use std::os::fd::AsRawFd;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return None;
    }
    let mut tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty").ok()?;
    let was_raw = crossterm::terminal::is_raw_mode_enabled().unwrap_or(false);
    if !was_raw {
        crossterm::terminal::enable_raw_mode().ok()?;
    }
    let mut reply = Vec::new();
    let deadline = std::time::Instant::now() + timeout;
    if tty.write_all(b"\x1b]11;?\x1b\\\x1b[c").and_then(|_| tty.flush()).is_ok() {
        let fd = tty.as_raw_fd();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            let mut pfd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd, for the duration of the call.
            let ready = unsafe { libc::poll(&mut pfd, 1, left.as_millis().max(1) as libc::c_int) };
            if ready <= 0 {
                break;
            }
            let mut chunk = [0u8; 256];
            match tty.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => reply.extend_from_slice(&chunk[..n]),
            }
            // The device attributes reply (ESC [ ? ... c) comes last.
            if da_reply_end(&reply) {
                break;
            }
        }
    }
    if !was_raw {
        let _ = crossterm::terminal::disable_raw_mode();
    }
    parse_osc11(&reply)
}

#[cfg(not(unix))]
pub fn query_background(_timeout: std::time::Duration) -> Option<f64> {
    None
}

/// Whether `reply` holds a complete device attributes reply (`ESC [ ? digits;... c`).
fn da_reply_end(reply: &[u8]) -> bool {
    let Some(i) = reply.windows(3).position(|w| w == b"\x1b[?") else { return false };
    reply[i + 3..].contains(&b'c')
}
