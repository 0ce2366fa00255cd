//! The settings forms: one per section row, opened filled in and saved through the desk.

#[allow(unused_imports)]
use super::*;

impl SettingsState {
    pub(super) fn open_form(&mut self, adding: bool) {
        let lang = self.lang;
        let i = self.selected;
        let yes_no = || {
            vec![
                Choice::new("no", lang.pick("아니오", "No")).with_key('n'),
                Choice::new("yes", lang.pick("예", "Yes")).with_key('y'),
            ]
        };
        let form = Form::new("settings", "", lang, self.today);
        let (title, form, editing) = match self.section {
            Section::Clinic => {
                let c = &self.data.clinic;
                let kinds = ClinicKind::ALL.iter().map(|k| Choice::new(k.code(), k.label(lang))).collect();
                let days = DAYS.iter().zip(day_labels(lang)).map(|(d, l)| Choice::new(*d, l)).collect();
                let f = form
                    .field(Field::text("name", lang.pick("병원 이름", "Clinic name")).value(&c.name))
                    .field(Field::pick("kind", lang.pick("종류", "Kind"), kinds).selected(&c.kind))
                    .field(
                        Field::pick(
                            "lang",
                            lang.pick("언어", "Language"),
                            vec![
                                Choice::new("ko", "한국어").with_key('k'),
                                Choice::new("en", "English").with_key('e'),
                            ],
                        )
                        .selected(&c.lang),
                    )
                    .field(
                        Field::multi("open_days", lang.pick("진료일", "Open days"), days)
                            .selected(&c.open_days.join(",")),
                    )
                    .field(
                        Field::text("hours", lang.pick("진료시간", "Hours"))
                            .value(&c.hours)
                            .hint("09:30-19:00"),
                    )
                    .field(
                        Field::text("saturday_hours", lang.pick("토요일", "Saturday"))
                            .value(&c.saturday_hours)
                            .hint(lang.pick("평일과 같으면 비움", "empty: same as weekdays")),
                    )
                    .field(
                        Field::text("lunch", lang.pick("점심시간", "Lunch break"))
                            .value(&c.lunch)
                            .hint(lang.pick("없으면 비움", "empty: none")),
                    )
                    .field(Field::text("parking", lang.pick("주차/주소", "Parking")).value(&c.parking));
                (lang.pick("병원/진료시간", "Clinic and hours"), f, Some(String::new()))
            }
            Section::Staff => {
                let roles = Role::ALL.iter().map(|r| Choice::new(r.code(), r.label(lang))).collect();
                let cur = if adding { None } else { self.data.staff.get(i) };
                let mut name = Field::text("name", lang.pick("이름", "Name")).required();
                let mut role = Field::pick("role", lang.pick("역할", "Role"), roles).required();
                if let Some(s) = cur {
                    name = name.value(&s.name);
                    role = role.selected(&s.role);
                }
                let f = form.field(name).field(role);
                (lang.pick("원장/직원", "Staff"), f, cur.map(|s| s.name.clone()))
            }
            Section::Treatments => {
                let cur = if adding { None } else { self.data.treatments.get(i).cloned() };
                let cats = self
                    .data
                    .complaint_categories
                    .iter()
                    .map(|c| Choice::new(&c.code, c.label_in(lang)))
                    .collect();
                let t = cur.clone().unwrap_or(TreatmentEntry {
                    code: String::new(),
                    ko: String::new(),
                    en: String::new(),
                    aliases: Vec::new(),
                    happy_call: false,
                    interval_days: 7,
                    duration_min: 30,
                    course_visits: 0,
                    risky: Vec::new(),
                    active: true,
                    hourly_cap: None,
                });
                let mut code =
                    Field::text("code", lang.pick("코드", "Code")).required().value(&t.code).hint("chuna");
                code.hidden = cur.is_some();
                let f = form
                    .field(code)
                    .field(Field::text("ko", lang.pick("한국어 이름", "Korean name")).required().value(&t.ko))
                    .field(Field::text("en", lang.pick("영어 이름", "English name")).required().value(&t.en))
                    .field(
                        Field::pick("happy_call", lang.pick("해피콜", "Happy call"), yes_no())
                            .selected(if t.happy_call { "yes" } else { "no" }),
                    )
                    .field(
                        Field::number("interval_days", lang.pick("내원 간격(일)", "Interval days"))
                            .required()
                            .value(t.interval_days.to_string()),
                    )
                    .field(
                        Field::number("duration_min", lang.pick("소요(분)", "Minutes"))
                            .required()
                            .value(t.duration_min.to_string()),
                    )
                    .field(
                        Field::number("course_visits", lang.pick("한 과정 횟수", "Course visits"))
                            .value(t.course_visits.to_string()),
                    )
                    .field(
                        Field::multi("risky", lang.pick("불만 위험", "Risky for"), cats)
                            .selected(&t.risky.join(",")),
                    );
                (lang.pick("치료", "Treatment"), f, cur.map(|t| t.code))
            }
            Section::Sources => {
                let cur = if adding { None } else { self.data.referral_sources.get(i).cloned() };
                let mut code = Field::text("code", lang.pick("코드", "Code")).required();
                let (mut ko, mut en, mut key) = (
                    Field::text("ko", lang.pick("한국어 이름", "Korean name")).required(),
                    Field::text("en", lang.pick("영어 이름", "English name")).required(),
                    Field::text("key", lang.pick("단축키(한 글자)", "Key letter")).required(),
                );
                if let Some(s) = &cur {
                    code = code.value(&s.code);
                    code.hidden = true;
                    ko = ko.value(&s.ko);
                    en = en.value(&s.en);
                    key = key.value(&s.key);
                }
                (
                    lang.pick("내원경로", "Referral source"),
                    form.field(code).field(ko).field(en).field(key),
                    cur.map(|s| s.code),
                )
            }
            Section::Channels | Section::Categories => {
                let list = if self.section == Section::Channels {
                    &self.data.referral_channels
                } else {
                    &self.data.complaint_categories
                };
                let cur = if adding { None } else { list.get(i).cloned() };
                let mut code = Field::text("code", lang.pick("코드", "Code")).required();
                let (mut ko, mut en) = (
                    Field::text("ko", lang.pick("한국어 이름", "Korean name")).required(),
                    Field::text("en", lang.pick("영어 이름", "English name")).required(),
                );
                if let Some(s) = &cur {
                    code = code.value(&s.code);
                    code.hidden = true;
                    ko = ko.value(&s.ko);
                    en = en.value(&s.en);
                }
                (self.section.title(lang), form.field(code).field(ko).field(en), cur.map(|s| s.code))
            }
            Section::Weights => {
                let Some(reason) = DROPOUT_REASONS.get(i) else { return };
                let w = self.data.dropout_weights.get(*reason).copied().unwrap_or(0);
                let f = form.field(
                    Field::number("weight", reason_label(reason, lang)).required().value(w.to_string()),
                );
                (lang.pick("이탈 점수", "Dropout weight"), f, Some(reason.to_string()))
            }
            Section::Texts if adding => return,
            Section::Texts if i < TEXT_NUMBER_ROWS => {
                let t = &self.data.texts;
                let f = form
                    .field(
                        Field::text("clinic_phone", lang.pick("병원 전화", "Clinic phone"))
                            .value(&t.clinic_phone)
                            .hint("02-123-4567"),
                    )
                    .field(
                        Field::text("opt_out_number", lang.pick("수신거부 번호", "Opt-out number"))
                            .value(&t.opt_out_number)
                            .hint(lang.pick("무료 080 번호 (광고 문자 끝)", "free 080 number (ends ads)")),
                    );
                (lang.pick("문자 번호", "Text numbers"), f, Some(TEXT_NUMBERS.to_string()))
            }
            Section::Texts => {
                let Some(t) = self.data.message_templates.get(i - TEXT_NUMBER_ROWS) else { return };
                let kind = MessageKind::parse(&t.kind).map(|k| k.label(lang)).unwrap_or("?");
                let f = form.field(Field::text("body", kind).required().value(&t.body)).field(
                    Field::pick("advertising", lang.pick("광고", "Advertising"), yes_no())
                        .selected(if t.advertising { "yes" } else { "no" }),
                );
                (lang.pick("문자 문구", "Text template"), f, Some(t.kind.clone()))
            }
            Section::Calendar => {
                self.calendar_command(if adding { Command::New } else { Command::Edit });
                return;
            }
            Section::Audit => return,
        };
        if adding && self.section == Section::Weights {
            return;
        }
        let mut form = form;
        form.title = format!(
            "{} {}",
            title,
            if editing.is_some() { lang.pick("고치기", "edit") } else { lang.pick("추가", "add") }
        );
        form.focus = form.fields.iter().position(|f| !f.hidden).unwrap_or(0);
        self.editing = editing;
        self.form = Some(form);
    }

    pub(super) fn save_form(&mut self, store: &mut Store) -> Outcome {
        let Some(form) = &mut self.form else { return Outcome::Handled };
        let lang = self.lang;
        let today = self.today;
        let editing = self.editing.clone();
        let r: Result<(), DeskError> = match self.section {
            Section::Clinic => {
                let hours = form.text("hours");
                if let Err(m) = setup::check_hours(&hours) {
                    form.set_error("hours", m);
                    return Outcome::Handled;
                }
                let sat = form.text("saturday_hours");
                if !sat.is_empty() {
                    if let Err(m) = setup::check_hours(&sat) {
                        form.set_error("saturday_hours", m);
                        return Outcome::Handled;
                    }
                }
                let lunch = form.text("lunch");
                if !lunch.is_empty() {
                    if let Err(m) = setup::check_hours(&lunch) {
                        form.set_error("lunch", m);
                        return Outcome::Handled;
                    }
                }
                let details = desk::settings::ClinicDetails {
                    kind: form
                        .picked("kind")
                        .and_then(|k| ClinicKind::parse(&k))
                        .unwrap_or(ClinicKind::Other),
                    name: form.text("name"),
                    lang: form.picked("lang").unwrap_or_else(|| "ko".into()),
                    open_days: form.picked_all("open_days").join(","),
                    hours,
                    saturday_hours: sat,
                    lunch,
                    parking: form.text("parking"),
                };
                desk::settings::save_clinic(store, &details, &self.data.clinic.kind, today)
            }
            Section::Staff => {
                let name = form.text("name");
                let role = form.picked("role").and_then(|r| Role::parse(&r)).unwrap_or(Role::Desk);
                let id = editing.as_ref().and_then(|n| {
                    self.data
                        .staff
                        .iter()
                        .position(|s| &s.name == n)
                        .and_then(|i| self.staff_ids.get(i).copied())
                });
                desk::settings::save_staff(store, id, &name, role)
            }
            Section::Treatments => {
                let code = editing.clone().unwrap_or_else(|| form.text("code"));
                if let Err(m) = setup::check_code(&code) {
                    form.set_error("code", m);
                    return Outcome::Handled;
                }
                if editing.is_none() && self.data.treatments.iter().any(|t| t.code == code) {
                    form.set_error("code", lang.pick("이미 있는 코드입니다", "this code already exists"));
                    return Outcome::Handled;
                }
                let interval = form.number("interval_days").unwrap_or(0);
                if !(1..=3650).contains(&interval) {
                    form.set_error("interval_days", lang.pick("1~3650일", "1 to 3650 days"));
                    return Outcome::Handled;
                }
                let duration = form.number("duration_min").unwrap_or(0);
                if !(1..=600).contains(&duration) {
                    form.set_error("duration_min", lang.pick("1~600분", "1 to 600 minutes"));
                    return Outcome::Handled;
                }
                let course = form.number("course_visits").unwrap_or(0);
                if course < 0 {
                    form.set_error("course_visits", lang.pick("0 이상", "0 or more"));
                    return Outcome::Handled;
                }
                let old = self.data.treatments.iter().find(|t| t.code == code);
                let entry = TreatmentEntry {
                    code: code.clone(),
                    ko: form.text("ko"),
                    en: form.text("en"),
                    aliases: old.map(|t| t.aliases.clone()).unwrap_or_default(),
                    happy_call: form.picked("happy_call").as_deref() == Some("yes"),
                    interval_days: interval,
                    duration_min: duration,
                    course_visits: course,
                    risky: form.picked_all("risky"),
                    active: old.is_none_or(|t| t.active),
                    hourly_cap: old.and_then(|t| t.hourly_cap),
                };
                desk::settings::save_treatment(store, &entry)
            }
            Section::Sources => {
                let code = editing.clone().unwrap_or_else(|| form.text("code"));
                if let Err(m) = setup::check_code(&code) {
                    form.set_error("code", m);
                    return Outcome::Handled;
                }
                let key = form.text("key").to_lowercase();
                if key.chars().count() != 1 || !key.chars().all(|c| c.is_ascii_lowercase()) {
                    form.set_error("key", lang.pick("영문 소문자 한 글자", "one lowercase letter"));
                    return Outcome::Handled;
                }
                let old = self.data.referral_sources.iter().find(|s| s.code == code);
                let entry = SourceEntry {
                    code: code.clone(),
                    ko: form.text("ko"),
                    en: form.text("en"),
                    key,
                    aliases: old.map(|s| s.aliases.clone()).unwrap_or_default(),
                    active: old.is_none_or(|s| s.active),
                };
                desk::settings::save_referral_source(store, &entry)
            }
            Section::Channels | Section::Categories => {
                let code = editing.clone().unwrap_or_else(|| form.text("code"));
                if let Err(m) = setup::check_code(&code) {
                    form.set_error("code", m);
                    return Outcome::Handled;
                }
                let channels = self.section == Section::Channels;
                let list =
                    if channels { &self.data.referral_channels } else { &self.data.complaint_categories };
                let old = list.iter().find(|s| s.code == code);
                if editing.is_none() && old.is_some() {
                    form.set_error("code", lang.pick("이미 있는 코드입니다", "this code already exists"));
                    return Outcome::Handled;
                }
                let entry = LabelEntry {
                    code,
                    ko: form.text("ko"),
                    en: form.text("en"),
                    active: old.is_none_or(|s| s.active),
                };
                if channels {
                    desk::settings::save_referral_channel(store, &entry)
                } else {
                    desk::settings::save_complaint_category(store, &entry)
                }
            }
            Section::Weights => {
                let reason = editing.unwrap_or_default();
                let w = form.number("weight").unwrap_or(-1);
                if !(0..=10).contains(&w) {
                    form.set_error("weight", lang.pick("0~10", "0 to 10"));
                    return Outcome::Handled;
                }
                desk::settings::set_dropout_weight(store, &reason, w)
            }
            Section::Texts => {
                let r = if editing.as_deref() == Some(TEXT_NUMBERS) {
                    desk::messages::save_texts_numbers(
                        store,
                        &form.text("clinic_phone"),
                        &form.text("opt_out_number"),
                    )
                } else {
                    let Some(kind) = editing.as_deref().and_then(MessageKind::parse) else {
                        return Outcome::Handled;
                    };
                    let t = Template {
                        kind,
                        body: form.text("body"),
                        advertising: form.picked("advertising").as_deref() == Some("yes"),
                    };
                    desk::messages::save_template(store, &t)
                };
                // A field the desk must correct is worded in the desk's language, on the field.
                if let Err(DeskError::Field { field, why }) = &r {
                    form.set_error(field, why.words(lang));
                    return Outcome::Handled;
                }
                r
            }
            Section::Calendar => return self.save_calendar(store),
            Section::Audit => return Outcome::Handled,
        };
        self.after_write(r, store)
    }
}
