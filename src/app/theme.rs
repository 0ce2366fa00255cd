//! Colours in one place. Plain ASCII and box-drawing only for badges and borders: ambiguous-
//! width symbols break alignment in some terminal fonts.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::Tag;

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
}

pub const THEME: Theme = Theme {
    base: Style::new(),
    dim: Style::new().fg(Color::DarkGray),
    title: Style::new().add_modifier(Modifier::BOLD),
    tab_active: Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
    tab_inactive: Style::new().fg(Color::Gray),
    status_bar: Style::new().fg(Color::White).bg(Color::Blue),
    footer_key: Style::new().fg(Color::Black).bg(Color::Gray),
    footer_text: Style::new().fg(Color::Gray),
    selected: Style::new().bg(Color::Rgb(40, 60, 90)).add_modifier(Modifier::BOLD),
    border: Style::new().fg(Color::DarkGray),
    error: Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
    warn: Style::new().fg(Color::Yellow),
    ok: Style::new().fg(Color::Green),
    info: Style::new().fg(Color::Cyan),
    met: Color::Green,
    on_track: Color::Cyan,
    behind: Color::Yellow,
    off_track: Color::Red,
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
