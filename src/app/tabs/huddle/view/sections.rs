//! Each huddle section as a kit table: lines above it (counts, the month's most frequent
//! complaints), its columns and its rows, laid out for a width.

use super::*;
use crate::app::kit::table::{self, Cell, Column};

/// A section ready to draw: lines above the table, the table's columns and rows.
pub(in crate::app::tabs::huddle) struct SectionTable<'a> {
    pub head: Vec<Line<'a>>,
    pub columns: Vec<Column>,
    /// The columns' titles on the table's first line.
    pub header: bool,
    pub rows: Vec<table::Row<'a>>,
}

/// From this width on the patient's phone shows beside the chart number and name.
const WIDE: u16 = 96;

/// Chart number, name and (from 96 columns) phone: the columns every patient row starts with.
fn ident_columns(lang: Lang) -> [Column; 3] {
    [
        Column::new(lang.pick("차트", "Chart"), 6),
        Column::new(lang.pick("이름", "Name"), 10),
        Column::new(lang.pick("전화", "Phone"), 13).hide_below(WIDE),
    ]
}

impl HuddleTab {
    /// The current section as a table `w` columns wide.
    pub(in crate::app::tabs::huddle) fn section_table(
        &self,
        view: &View<'_>,
        masked: bool,
        w: u16,
    ) -> SectionTable<'static> {
        let lang = view.lang;
        let theme = view.theme;
        // Free text (plans, actions) may name people or hold a phone number.
        let free = |s: &str| {
            if masked { crate::domain::mask::mask_text(s, view.mask_names) } else { s.to_string() }
        };
        let ident = |p: &PatientBrief| -> [Cell<'static>; 3] {
            let name = if masked { mask_name(&p.name) } else { p.name.clone() };
            let phone = if masked { mask_phone(&p.phone) } else { p.phone.clone() };
            [p.chart_no.clone().into(), name.into(), phone.into()]
        };
        let category = |c: &str| {
            view.catalog
                .complaint_categories
                .iter()
                .find(|x| x.code == c)
                .map(|x| x.label(lang).to_string())
                .unwrap_or_else(|| c.to_string())
        };
        let treatment =
            |t: Option<&str>| t.map(|t| view.catalog.treatment_label(t, lang)).unwrap_or_default();
        // The patient's open huddle action, after the row's last cell.
        let action_flag = |pid: i64| -> Option<Span<'static>> {
            let acts = self.agenda.open_actions.get(&pid).filter(|a| !a.is_empty())?;
            let a = &acts[0];
            let more = if acts.len() > 1 { format!(" +{}", acts.len() - 1) } else { String::new() };
            let owner = if a.owner.is_empty() { String::new() } else { format!("/{}", a.owner) };
            Some(Span::styled(format!(" [A: {}{owner}{more}]", free(&a.action)), theme.info))
        };
        let last = |first: Span<'static>, pid: i64| -> Cell<'static> {
            Cell::text(Line::from([Some(first), action_flag(pid)].into_iter().flatten().collect::<Vec<_>>()))
        };
        let patient_row = |lead: Vec<Cell<'static>>, p: &PatientBrief, rest: Vec<Cell<'static>>| {
            table::Row::new(lead.into_iter().chain(ident(p)).chain(rest).collect())
        };
        let [chart, name, phone] = ident_columns(lang);
        let with_ident = |lead: Vec<Column>, rest: Vec<Column>| -> Vec<Column> {
            lead.into_iter().chain([chart.clone(), name.clone(), phone.clone()]).chain(rest).collect()
        };
        let time_col = || Column::new(lang.pick("시간", "Time"), 5);
        let treatment_col = || Column::new(lang.pick("치료", "Treatment"), 14);
        let mut out = SectionTable { head: Vec::new(), columns: Vec::new(), header: true, rows: Vec::new() };
        match self.section {
            Section::Complaints => {
                out.columns = with_ident(
                    vec![Column::new(lang.pick("오늘", "Today"), 5)],
                    vec![
                        Column::new(lang.pick("유형", "Category"), 14),
                        Column::new(lang.pick("접수", "Date"), 5),
                        Column::new(lang.pick("상태", "State"), 6),
                        Column::new(lang.pick("해결 방안 (담당)", "Resolution plan (owner)"), 0).fill(),
                    ],
                );
                out.rows = self
                    .agenda
                    .complaints
                    .iter()
                    .map(|c| {
                        let coming = c
                            .coming_at
                            .map(|t| t.format("%H:%M").to_string())
                            .unwrap_or_else(|| "  -  ".into());
                        let state = if c.open {
                            lang.pick("미해결", "open")
                        } else {
                            lang.pick("해결", "closed")
                        };
                        let plan = if c.plan.is_empty() {
                            lang.pick("(방안 없음)", "(no plan)").to_string()
                        } else {
                            free(&c.plan)
                        };
                        let owner =
                            c.owner.clone().unwrap_or_else(|| lang.pick("담당 없음", "no owner").to_string());
                        patient_row(
                            vec![coming.into()],
                            &c.patient,
                            vec![
                                category(&c.category).into(),
                                c.raised_on.format("%m-%d").to_string().into(),
                                Cell::styled(state, if c.open { theme.warn } else { theme.ok }),
                                last(Span::raw(format!("{plan} ({owner})")), c.patient.id),
                            ],
                        )
                    })
                    .collect();
            }
            Section::RiskyProcesses => {
                let top: Vec<String> = self
                    .agenda
                    .risky_categories
                    .iter()
                    .take(hs::RISKY_CATEGORIES)
                    .map(|(c, n)| match lang {
                        Lang::Ko => format!("{} {n}건", category(c)),
                        Lang::En => format!("{} {n}", category(c)),
                    })
                    .collect();
                let summary = if top.is_empty() {
                    lang.pick("최근 30일 불만 없음", "No complaints in the last 30 days").to_string()
                } else {
                    format!(
                        "{}: {}",
                        lang.pick("최근 30일 많은 불만", "Most frequent in 30 days"),
                        top.join(", ")
                    )
                };
                let summary = match (self.agenda.risky_more, lang) {
                    (0, _) => summary,
                    (n, Lang::Ko) => format!("{summary} (외 {n}명)"),
                    (n, Lang::En) => format!("{summary} (+{n} more)"),
                };
                out.head = vec![Line::from(Span::styled(truncate(&summary, w as usize), theme.title))];
                out.columns = with_ident(
                    vec![time_col()],
                    vec![treatment_col(), Column::new(lang.pick("주의할 점", "Watch for"), 0).fill()],
                );
                out.rows = self
                    .agenda
                    .risky_visits
                    .iter()
                    .map(|r| {
                        let cats = r.categories.iter().map(|c| category(c)).collect::<Vec<_>>().join(", ");
                        patient_row(
                            vec![r.visit.start.format("%H:%M").to_string().into()],
                            &r.visit.patient,
                            vec![
                                treatment(r.visit.treatment.as_deref()).into(),
                                last(Span::styled(cats, theme.warn), r.visit.patient.id),
                            ],
                        )
                    })
                    .collect();
            }
            Section::ChartReview => {
                let c = &self.agenda.counts;
                let counts = match lang {
                    Lang::Ko => format!(
                        "오늘 {}명 / 초진 {} / 소개자 {} / 가망 {} / 생일 {}",
                        c.visits, c.first_visits, c.referrers, c.prospects, c.birthdays
                    ),
                    Lang::En => format!(
                        "{} patients today / first visits {} / referrers {} / prospects {} / birthdays {}",
                        c.visits, c.first_visits, c.referrers, c.prospects, c.birthdays
                    ),
                };
                let mut stickers =
                    vec![Span::styled(format!("{} ", lang.pick("스티커", "Stickers")), theme.dim)];
                for (tag, n) in &c.by_tag {
                    stickers
                        .push(Span::styled(format!(" {} ", tag.badge()), crate::app::theme::tag_style(*tag)));
                    stickers.push(Span::raw(format!(" {} {n}  ", tag.label(lang))));
                }
                out.head = vec![
                    Line::from(Span::styled(truncate(&counts, w as usize), theme.title)),
                    Line::from(stickers),
                ];
                out.columns = with_ident(
                    vec![time_col()],
                    vec![
                        treatment_col(),
                        Column::new(lang.pick("스티커", "Tags"), 10),
                        Column::new(lang.pick("볼 점", "Notes"), 0).fill(),
                    ],
                );
                out.rows = self
                    .agenda
                    .today
                    .iter()
                    .map(|v| {
                        let tags: Vec<Span<'static>> = v
                            .tags
                            .iter()
                            .flat_map(|t| {
                                [Span::styled(t.badge(), crate::app::theme::tag_style(*t)), Span::raw(" ")]
                            })
                            .collect();
                        let mut notes = Vec::new();
                        if v.first_visit {
                            notes.push(lang.pick("초진", "first visit").to_string());
                        }
                        if v.referred > 0 {
                            notes.push(match lang {
                                Lang::Ko => format!("소개 {}명", v.referred),
                                Lang::En => format!("referred {}", v.referred),
                            });
                        }
                        if v.prospect {
                            notes.push(lang.pick("가망", "prospect").to_string());
                        }
                        if v.birthday {
                            notes.push(lang.pick("생일", "birthday").to_string());
                        }
                        notes.extend(self.money.notes(v, lang));
                        patient_row(
                            vec![v.start.format("%H:%M").to_string().into()],
                            &v.patient,
                            vec![
                                treatment(v.treatment.as_deref()).into(),
                                Cell::text(Line::from(tags)).keep_style(),
                                last(Span::styled(notes.join(", "), theme.info), v.patient.id),
                            ],
                        )
                    })
                    .collect();
            }
            Section::Dropouts => {
                out.columns = with_ident(
                    vec![Column::new(lang.pick("점수", "Score"), 5).right()],
                    vec![
                        Column::new(lang.pick("최근", "Last"), 5),
                        Column::new(lang.pick("이유", "Why"), 0).fill(),
                    ],
                );
                // The reasons wrap below the row, from the chart number's column on.
                let at = table::layout(&out.columns, w);
                let why_w = at.last().copied().flatten().map_or(0, |(_, cw)| cw as usize);
                let rest_w = at[1].map_or(0, |(x, _)| w.saturating_sub(x) as usize);
                let label = |c: &str| {
                    if view.catalog.treatment(c).is_some() {
                        view.catalog.treatment_label(c, lang)
                    } else {
                        category(c)
                    }
                };
                out.rows = self
                    .agenda
                    .dropouts
                    .iter()
                    .map(|(d, p)| {
                        let reasons: Vec<String> = d.reasons.iter().map(|r| r.words(lang, &label)).collect();
                        let wrapped = wrap_items(&reasons, why_w, rest_w);
                        let style = if d.score >= 3 { theme.warn } else { theme.base };
                        patient_row(
                            vec![Cell::styled(d.score.to_string(), style)],
                            p,
                            vec![
                                d.last_visit.format("%m-%d").to_string().into(),
                                last(Span::raw(wrapped[0].clone()), p.id),
                            ],
                        )
                        .more(1, wrapped[1..].iter().map(|l| Line::from(l.clone())).collect())
                    })
                    .collect();
            }
            Section::OkrPulse => {
                let bar_w = if w >= 100 { 20 } else { 12 };
                out.header = false;
                // Each objective: its title, the OKR tab's bar (as wide as the bracketed one it
                // replaced) and its progress; below it, its key results across the row.
                out.columns = vec![
                    Column::new("", w.saturating_sub(bar_w + 10).min(50)),
                    Column::new("", bar_w + 2),
                    Column::new("", 4).right(),
                    Column::new("", 0).fill(),
                ];
                for o in &self.agenda.okr {
                    let pct = match o.progress {
                        Some(p) => format!("{:.0}%", p * 100.0),
                        None => "-".to_string(),
                    };
                    out.rows.push(table::Row::new(vec![
                        Cell::styled(o.title.clone(), theme.title),
                        Cell::bar(
                            crate::app::kit::progress::ProgressBar::new(
                                o.progress,
                                status_style(o.status, theme),
                                theme.dim,
                            )
                            .symbols(theme.sym),
                        ),
                        Cell::styled(pct, status_style(o.status, theme)),
                    ]));
                    for k in &o.key_results {
                        let target = format_target(&k.metric, k.target);
                        let dir = if k.direction == "at_most" { "<=" } else { ">=" };
                        let owner = if k.owner.is_empty() { String::new() } else { format!("  {}", k.owner) };
                        let met = if k.status == Status::Met { lang.pick("  달성!", "  Met!") } else { "" };
                        let today = match &k.today_text {
                            Some(t) => format!(" ({} {t})  ", lang.pick("오늘", "today")),
                            None => "  ".to_string(),
                        };
                        let line = Line::from(vec![
                            Span::raw(format!("  {} ", fit(&k.title, 28))),
                            Span::styled(
                                format!("{} {}", lang.pick("현재", "now"), k.value_text),
                                status_style(k.status, theme),
                            ),
                            Span::styled(today, theme.dim),
                            Span::raw(format!("{} {dir} {target}", lang.pick("목표", "target"))),
                            Span::styled(met, status_style(k.status, theme)),
                            Span::styled(owner, theme.dim),
                        ]);
                        out.rows.push(table::Row::new(vec![Cell::text(line).span(4)]));
                    }
                }
            }
        }
        out
    }
}
