//! Renders a ratatui buffer as an SVG screenshot with its colours (for screenshots/ and for
//! looking at a screen in a review). Each glyph is placed on the cell grid, so wide Korean
//! characters line up as they do in a terminal.

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const CELL_W: f32 = 9.0;
const CELL_H: f32 = 19.0;
const DEFAULT_FG: &str = "#d4d4d4";
const DEFAULT_BG: &str = "#1e1e1e";

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
        Color::Indexed(i) => return format!("#{0:02x}{0:02x}{0:02x}", i),
    };
    s.to_string()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The buffer as an SVG document.
pub fn buffer_to_svg(buf: &Buffer) -> String {
    let area = buf.area;
    let w = area.width as f32 * CELL_W;
    let h = area.height as f32 * CELL_H;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="D2Coding, 'Noto Sans Mono CJK KR', 'NanumGothicCoding', monospace" font-size="15">"#
    );
    let _ = write!(out, r#"<rect width="100%" height="100%" fill="{DEFAULT_BG}"/>"#);
    for y in 0..area.height {
        // Background runs.
        let mut x = 0;
        while x < area.width {
            let cell = &buf[(area.x + x, area.y + y)];
            let bg = if cell.modifier.contains(Modifier::REVERSED) { cell.fg } else { cell.bg };
            let start = x;
            while x < area.width {
                let c = &buf[(area.x + x, area.y + y)];
                let b = if c.modifier.contains(Modifier::REVERSED) { c.fg } else { c.bg };
                if b != bg {
                    break;
                }
                x += 1;
            }
            if bg != Color::Reset {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{CELL_H}" fill="{}"/>"#,
                    start as f32 * CELL_W,
                    y as f32 * CELL_H,
                    (x - start) as f32 * CELL_W,
                    hex(bg, DEFAULT_BG)
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
                let fg = if c.modifier.contains(Modifier::REVERSED) { c.bg } else { c.fg };
                let weight = if c.modifier.contains(Modifier::BOLD) { r#" font-weight="bold""# } else { "" };
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" fill="{}"{weight}>{}</text>"#,
                    x as f32 * CELL_W,
                    y as f32 * CELL_H + CELL_H * 0.75,
                    hex(fg, DEFAULT_FG),
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
