//! Renders a ratatui buffer as an SVG screenshot with its colours (for screenshots/ and for
//! looking at a screen in a review). Each glyph is placed on the cell grid, so wide Korean
//! characters line up as they do in a terminal.

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const CELL_W: f32 = 9.0;
const CELL_H: f32 = 19.0;
const DARK_FG: &str = "#d4d4d4";
const DARK_BG: &str = "#1e1e1e";
const LIGHT_FG: &str = "#1e1e1e";
const LIGHT_BG: &str = "#ffffff";

fn hex(c: Color, default: &'static str) -> String {
    let s = match c {
        Color::Reset => default,
        Color::Black => "#000000",
        Color::Red => "#cd3131",
        Color::Green => "#0dbc79",
        Color::Yellow => "#e5e510",
        Color::Blue => "#2472c8",
        Color::Magenta => "#bc3fbc",
        Color::Cyan => "#11a8cd",
        Color::Gray => "#c0c0c0",
        Color::DarkGray => "#767676",
        Color::LightRed => "#f14c4c",
        Color::LightGreen => "#23d18b",
        Color::LightYellow => "#f5f543",
        Color::LightBlue => "#3b8eea",
        Color::LightMagenta => "#d670d6",
        Color::LightCyan => "#29b8db",
        Color::White => "#ffffff",
        Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => return indexed(i, default),
    };
    s.to_string()
}

/// An xterm-256 colour: 0-15 the ANSI ones, 16-231 the 6x6x6 cube, 232-255 the grey ramp.
fn indexed(i: u8, default: &'static str) -> String {
    const ANSI: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => hex(ANSI[i as usize], default),
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let n = i - 16;
            format!("#{:02x}{:02x}{:02x}", level(n / 36), level((n / 6) % 6), level(n % 6))
        }
        232..=255 => {
            let v = 8 + 10 * (i - 232);
            format!("#{v:02x}{v:02x}{v:02x}")
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The buffer as an SVG document, on a dark terminal.
pub fn buffer_to_svg(buf: &Buffer) -> String {
    svg_on(buf, DARK_FG, DARK_BG)
}

/// The buffer as an SVG document, on a light terminal (black text on white by default).
pub fn buffer_to_svg_light(buf: &Buffer) -> String {
    svg_on(buf, LIGHT_FG, LIGHT_BG)
}

fn svg_on(buf: &Buffer, default_fg: &'static str, default_bg: &'static str) -> String {
    let area = buf.area;
    let w = area.width as f32 * CELL_W;
    let h = area.height as f32 * CELL_H;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="D2Coding, 'Noto Sans Mono CJK KR', 'NanumGothicCoding', monospace" font-size="15">"#
    );
    let _ = write!(out, r#"<rect width="100%" height="100%" fill="{default_bg}"/>"#);
    for y in 0..area.height {
        // Background runs (a reversed cell shows its foreground, the default one included).
        let paint = |c: &ratatui::buffer::Cell| {
            if c.modifier.contains(Modifier::REVERSED) {
                (hex(c.bg, default_bg), hex(c.fg, default_fg))
            } else {
                (hex(c.fg, default_fg), hex(c.bg, default_bg))
            }
        };
        let mut x = 0;
        while x < area.width {
            let (_, bg) = paint(&buf[(area.x + x, area.y + y)]);
            let start = x;
            while x < area.width && paint(&buf[(area.x + x, area.y + y)]).1 == bg {
                x += 1;
            }
            if bg != default_bg {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{CELL_H}" fill="{bg}"/>"#,
                    start as f32 * CELL_W,
                    y as f32 * CELL_H,
                    (x - start) as f32 * CELL_W,
                );
            }
        }
        // Glyphs, each placed on its own cell: SVG renderers differ on per-glyph x lists, and
        // a Korean glyph in a fallback font is not exactly two cells wide.
        let mut x = 0;
        while x < area.width {
            let c = &buf[(area.x + x, area.y + y)];
            let sym = c.symbol();
            if !sym.is_empty() && sym != " " {
                let (fg, _) = paint(c);
                let weight = if c.modifier.contains(Modifier::BOLD) { r#" font-weight="bold""# } else { "" };
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" fill="{}"{weight}>{}</text>"#,
                    x as f32 * CELL_W,
                    y as f32 * CELL_H + CELL_H * 0.75,
                    fg,
                    escape(sym)
                );
            }
            // A wide character covers the next cell too.
            x += (crate::domain::text::width(sym) as u16).max(1);
        }
    }
    out.push_str("</svg>\n");
    out
}

/// The buffer as plain text lines (for tests and snapshots), trailing spaces trimmed.
pub fn buffer_to_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut x = 0;
        while x < area.width {
            let sym = buf[(area.x + x, area.y + y)].symbol();
            line.push_str(sym);
            // A wide character covers the next cell too.
            x += (crate::domain::text::width(sym) as u16).max(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
