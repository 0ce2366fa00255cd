//! Drawing the settings screen: the sections, their rows, the message preview and the
//! outside-change findings.

#[allow(unused_imports)]
use super::*;

impl SettingsState {
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lang = self.lang;
        let inner = widgets::popup_panel(lang.pick(" 설정 ", " Settings "), area, area, buf, theme);
        let [nav, body, foot] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)])
                .areas(inner);
        // The section names, scrolled so the chosen one shows when they do not all fit.
        let titles: Vec<String> = Section::ALL.iter().map(|s| format!(" {} ", s.title(lang))).collect();
        let chosen = Section::ALL.iter().position(|s| *s == self.section).unwrap_or(0);
        let fits = |from: usize, to: usize| {
            titles[from..=to].iter().map(|t| crate::domain::text::width(t)).sum::<usize>()
                <= nav.width as usize
        };
        let mut first = 0;
        while first < chosen && !fits(first, chosen) {
            first += 1;
        }
        let mut spans = Vec::new();
        let mut used = 0;
        for (i, s) in Section::ALL.iter().enumerate().skip(first) {
            let w = crate::domain::text::width(&titles[i]);
            if used + w > nav.width as usize {
                break;
            }
            used += w;
            let style = if *s == self.section { theme.tab_active } else { theme.tab_inactive };
            spans.push(Span::styled(titles[i].clone(), style));
        }
        Paragraph::new(Line::from(spans)).render(nav, buf);
        if let Some(line) = self.findings_line() {
            let line = truncate(&line, body.width as usize);
            Paragraph::new(Span::styled(line, theme.error)).render(Rect { height: 1, ..body }, buf);
        }
        let rows = self.rows();
        let height = body.height.saturating_sub(1) as usize;
        let first = self.selected.saturating_sub(height.saturating_sub(1));
        for (n, (text, active)) in rows.iter().enumerate().skip(first).take(height) {
            let y = body.y + 1 + (n - first) as u16;
            let style = if n == self.selected {
                theme.selected
            } else if *active {
                theme.base
            } else {
                theme.dim
            };
            let line = truncate(text, body.width as usize);
            Paragraph::new(Span::styled(fit(&line, body.width as usize), style))
                .render(Rect { y, height: 1, ..body }, buf);
        }
        let foot_line = match &self.message {
            Some((true, m)) => Span::styled(format!(" {m}"), theme.error),
            Some((false, m)) => Span::styled(format!(" {m}"), theme.info),
            None if self.section == Section::Calendar => Span::styled(self.calendar_footer(), theme.dim),
            None => {
                let hints: Vec<String> = keymap::bindings(Context::Settings)
                    .iter()
                    .filter(|b| b.footer)
                    .map(|b| format!("{} {}", b.keys_label(), b.describe(lang)))
                    .collect();
                Span::styled(
                    format!(" Left/Right {}  {}", lang.pick("항목", "section"), hints.join("  ")),
                    theme.dim,
                )
            }
        };
        Paragraph::new(Line::from(foot_line)).render(foot, buf);
        if let Some(form) = &self.form {
            form.render(area, buf, theme);
            if self.section == Section::Texts && self.editing.as_deref() != Some(TEXT_NUMBERS) {
                self.render_preview(form, area, buf, theme);
            }
        }
        self.draw_calendar_confirm(area, buf, theme);
        if self.acknowledging {
            super::super::findings::render_prompt(&self.findings, area, buf, lang, theme);
        }
    }

    /// The template being edited as it would be sent to a sample patient, with its length as
    /// Korean carriers count it and the type it goes as; what is wrong with it, if anything.
    pub fn template_preview(&self, body: &str, advertising: bool) -> Vec<(bool, String)> {
        let lang = self.lang;
        let c = &self.data.clinic;
        let text_lang = Lang::parse(&c.lang).unwrap_or(Lang::Ko);
        let provider = self
            .data
            .staff
            .iter()
            .find(|s| s.active && s.role == Role::Director.code())
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "이원장".into());
        let values = Values {
            name: "김하나".into(),
            at: (self.today + chrono::Duration::days(1)).and_hms_opt(14, 30, 0),
            provider,
            clinic: if c.name.is_empty() { lang.pick("병원", "Clinic").into() } else { c.name.clone() },
            clinic_phone: if self.data.texts.clinic_phone.is_empty() {
                "02-123-4567".into()
            } else {
                self.data.texts.clinic_phone.clone()
            },
        };
        let mut out = vec![(
            false,
            lang.pick("미리보기 (예: 김하나님, 내일 14:30 예약)", "Preview (sample: 김하나, tomorrow 14:30)")
                .into(),
        )];
        if let Some(p) = template_problem(body) {
            out.push((true, p.words(lang)));
            return out;
        }
        let t = Template { kind: MessageKind::Free, body: body.to_string(), advertising };
        let text = compose(&t, &values, &self.data.texts.opt_out_number, text_lang);
        let m = measure(&text);
        out.push((false, text));
        out.push((
            false,
            match lang {
                Lang::Ko => format!("{} {}바이트 (SMS 90, LMS 2,000바이트까지)", m.kind, m.bytes),
                Lang::En => format!("{} {} bytes (SMS up to 90, LMS up to 2,000)", m.kind, m.bytes),
            },
        ));
        if m.bytes > LMS_MAX_BYTES {
            out.push((
                true,
                lang.pick("2,000바이트를 넘어 보낼 수 없습니다", "Over 2,000 bytes: cannot be sent").into(),
            ));
        }
        if !m.unencodable.is_empty() {
            let chars: String = m.unencodable.iter().collect();
            out.push((
                true,
                match lang {
                    Lang::Ko => format!("휴대폰에서 깨지는 글자: {chars} - 빼 주세요"),
                    Lang::En => format!("Shows broken on phones: {chars} - remove it"),
                },
            ));
        }
        if advertising && self.data.texts.opt_out_number.is_empty() {
            out.push((
                true,
                lang.pick(
                    "광고 문자는 수신거부 번호가 필요합니다 (이 항목의 두 번째 줄)",
                    "Advertising texts need the opt-out number (second row of this section)",
                )
                .into(),
            ));
        }
        out
    }

    /// The preview panel under (or, without room, over) the template form.
    pub(super) fn render_preview(&self, form: &Form, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lines =
            self.template_preview(&form.text("body"), form.picked("advertising").as_deref() == Some("yes"));
        let fp = form.popup_area(area);
        let inner_w = fp.width.saturating_sub(2).max(1) as usize;
        let wrapped: Vec<(bool, String)> =
            lines.into_iter().flat_map(|(e, l)| wrap(&l, inner_w).into_iter().map(move |w| (e, w))).collect();
        let want = wrapped.len() as u16 + 2;
        let below = area.bottom().saturating_sub(fp.bottom());
        let above = fp.y.saturating_sub(area.y);
        let (y, h) = if below >= want.min(4) {
            (fp.bottom(), want.min(below))
        } else if above >= 4 {
            (fp.y - want.min(above), want.min(above))
        } else {
            return;
        };
        let rect = Rect { y, height: h, ..fp };
        let inner = widgets::popup_panel(self.lang.pick(" 미리보기 ", " Preview "), rect, area, buf, theme);
        for (j, (err, l)) in wrapped.iter().enumerate().take(inner.height as usize) {
            let style = if *err {
                theme.error
            } else if j == 0 {
                theme.dim
            } else {
                theme.base
            };
            Paragraph::new(Span::styled(l.clone(), style))
                .render(Rect { y: inner.y + j as u16, height: 1, ..inner }, buf);
        }
    }

    /// The line above every section while outside changes (or a new key) are recorded and not
    /// acknowledged.
    pub(super) fn findings_line(&self) -> Option<String> {
        let last = self.findings.last()?;
        let at = last.at.get(..16).unwrap_or(&last.at).replace('T', " ");
        let n = self.findings.len();
        let (id, detail) = (last.id, &last.detail);
        let new_key = last.action == audit::NEW_KEY;
        Some(match self.lang {
            Lang::Ko => {
                let kind = if new_key { "새 감사 키 생성" } else { "외부 변경 발견" };
                format!(
                    "! 확인 안 된 기록 {n}건: {kind} {at} (감사 기록 #{id}) - 살펴본 뒤 A로 확인 처리 (`frontdesk check --acknowledge`와 같음) - {detail}"
                )
            }
            Lang::En => {
                let kind = if new_key { "new audit key made" } else { "outside change found" };
                format!(
                    "! {n} not acknowledged: {kind} {at} (audit row #{id}) - once looked into, A acknowledges (as `frontdesk check --acknowledge` does) - {detail}"
                )
            }
        })
    }

    /// The rows of the current section as text, with whether each is active.
    pub(super) fn rows(&self) -> Vec<(String, bool)> {
        let lang = self.lang;
        let retired = lang.pick("(사용 중지)", "(retired)");
        let mark = |active: bool| if active { String::new() } else { format!(" {retired}") };
        match self.section {
            Section::Clinic => {
                let c = &self.data.clinic;
                let kind = ClinicKind::parse(&c.kind).map(|k| k.label(lang)).unwrap_or("-");
                let days: Vec<&str> = DAYS
                    .iter()
                    .zip(day_labels(lang))
                    .filter(|(d, _)| c.open_days.iter().any(|o| o == *d))
                    .map(|(_, l)| l)
                    .collect();
                vec![
                    (format!("{}{}", fit(lang.pick("병원 이름", "Clinic name"), 16), c.name), true),
                    (format!("{}{kind}", fit(lang.pick("종류", "Kind"), 16)), true),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("언어", "Language"), 16),
                            if c.lang == "en" { "English" } else { "한국어" }
                        ),
                        true,
                    ),
                    (format!("{}{}", fit(lang.pick("진료일", "Open days"), 16), days.join(" ")), true),
                    (format!("{}{}", fit(lang.pick("진료시간", "Hours"), 16), c.hours), true),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("토요일", "Saturday"), 16),
                            if c.saturday_hours.is_empty() {
                                lang.pick("평일과 같음", "as weekdays")
                            } else {
                                &c.saturday_hours
                            }
                        ),
                        true,
                    ),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("점심시간", "Lunch break"), 16),
                            if c.lunch.is_empty() { lang.pick("없음", "none") } else { &c.lunch }
                        ),
                        true,
                    ),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("주차/주소", "Parking"), 16),
                            if c.parking.is_empty() { "-" } else { &c.parking }
                        ),
                        true,
                    ),
                ]
            }
            Section::Staff => self
                .data
                .staff
                .iter()
                .map(|s| {
                    let role = Role::parse(&s.role).map(|r| r.label(lang)).unwrap_or("-");
                    (format!("{}{}{}", fit(&s.name, 16), role, mark(s.active)), s.active)
                })
                .collect(),
            Section::Treatments => self
                .data
                .treatments
                .iter()
                .map(|t| {
                    let happy = if t.happy_call { lang.pick("해피콜", "happy call") } else { "" };
                    (
                        format!(
                            "{}{}{}{}{}{}",
                            fit(&t.code, 18),
                            fit(label(&t.ko, &t.en, lang), 20),
                            fit(&format!("{}{}", t.interval_days, lang.pick("일", "d")), 7),
                            fit(&format!("{}{}", t.duration_min, lang.pick("분", "m")), 6),
                            fit(happy, 11),
                            mark(t.active)
                        ),
                        t.active,
                    )
                })
                .collect(),
            Section::Sources => self
                .data
                .referral_sources
                .iter()
                .map(|s| {
                    (
                        format!(
                            "{} {}{}{}",
                            s.key,
                            fit(&s.code, 14),
                            label(&s.ko, &s.en, lang),
                            mark(s.active)
                        ),
                        s.active,
                    )
                })
                .collect(),
            Section::Channels => self
                .data
                .referral_channels
                .iter()
                .map(|s| {
                    (format!("{}{}{}", fit(&s.code, 16), label(&s.ko, &s.en, lang), mark(s.active)), s.active)
                })
                .collect(),
            Section::Categories => self
                .data
                .complaint_categories
                .iter()
                .map(|s| {
                    (format!("{}{}{}", fit(&s.code, 16), label(&s.ko, &s.en, lang), mark(s.active)), s.active)
                })
                .collect(),
            Section::Texts => {
                let t = &self.data.texts;
                let or_dash = |v: &str| if v.is_empty() { "-".to_string() } else { v.to_string() };
                let mut rows = vec![
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("병원 전화", "Clinic phone"), 16),
                            or_dash(&t.clinic_phone)
                        ),
                        true,
                    ),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("수신거부 번호", "Opt-out number"), 16),
                            or_dash(&t.opt_out_number)
                        ),
                        true,
                    ),
                ];
                for m in &self.data.message_templates {
                    let kind = MessageKind::parse(&m.kind).map(|k| k.label(lang)).unwrap_or("?");
                    let ad = if m.advertising { lang.pick("(광고) ", "(ad) ") } else { "" };
                    rows.push((
                        format!("{}{ad}{}", fit(kind, 16), crate::domain::text::clean_line(&m.body)),
                        true,
                    ));
                }
                rows
            }
            Section::Calendar => self.calendar_rows(),
            Section::Audit => self.audit.iter().map(|r| (audit_line(r, lang), true)).collect(),
            Section::Weights => DROPOUT_REASONS
                .iter()
                .map(|r| {
                    let w = self.data.dropout_weights.get(*r).copied().unwrap_or(0);
                    (
                        format!(
                            "{} {}",
                            crate::domain::text::fit_right(&w.to_string(), 3),
                            reason_label(r, lang)
                        ),
                        true,
                    )
                })
                .collect(),
        }
    }
}

/// One audit row on one line: when, who (staff, OS user, SSH address), what, which patient.
/// The patient is named by chart number only: the log view shows no names or phones.
pub(super) fn audit_line(r: &AuditRow, lang: Lang) -> String {
    let who = match (r.staff.is_empty(), r.ssh_client.is_empty()) {
        (true, true) => r.os_user.clone(),
        (false, true) => format!("{} ({})", r.staff, r.os_user),
        (true, false) => format!("{}@{}", r.os_user, r.ssh_client),
        (false, false) => format!("{} ({}@{})", r.staff, r.os_user, r.ssh_client),
    };
    let what = match r.entity_id {
        Some(id) => format!("{} {} #{id}", r.action, r.entity),
        None => format!("{} {}", r.action, r.entity),
    };
    let patient = match (&r.chart_no, r.patient_id) {
        (Some(c), _) => format!("{} {c}", lang.pick("차트", "chart")),
        (None, Some(id)) => format!("{} #{id}", lang.pick("환자", "patient")),
        (None, None) => String::new(),
    };
    format!(
        "{} {}{}{}{}",
        fit(r.at.get(..16).unwrap_or(&r.at), 16),
        fit(&who, 20),
        fit(&what, 28),
        fit(&patient, 13),
        r.detail
    )
}

/// Splits text into lines of at most `cols` columns (wide characters count two).
pub(super) fn wrap(text: &str, cols: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for c in para.chars() {
            let cw = crate::domain::text::width(c.encode_utf8(&mut [0u8; 4]));
            if w + cw > cols && !line.is_empty() {
                out.push(std::mem::take(&mut line));
                w = 0;
            }
            line.push(c);
            w += cw;
        }
        out.push(line);
    }
    out
}
