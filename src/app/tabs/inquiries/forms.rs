//! The inquiries tab's forms: the call form (in the order a call goes) and the Q&A entry form.

use super::*;
use crate::app::kit::choices;

/// The call form, in the order a call goes. `typical_call` walks the same definition.
pub fn call_form(catalog: &Catalog, lang: Lang, today: NaiveDate) -> Form {
    let topics: Vec<Choice> = choices::treatments(catalog, lang);
    let questions: Vec<Choice> = QuestionKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label(lang)).with_key(k.code().chars().next().unwrap_or('o')))
        .collect();
    let sources: Vec<Choice> =
        catalog.referral_sources.iter().filter(|s| s.active).map(|s| choices::code(s, lang)).collect();
    let channels: Vec<Choice> = catalog
        .referral_channels
        .iter()
        .filter(|c| c.active)
        .map(|c| Choice::new(c.code.clone(), c.label(lang)))
        .collect();
    let outcomes: Vec<Choice> = InquiryOutcome::ALL
        .iter()
        .map(|o| {
            let key = match o {
                InquiryOutcome::Info => 'i',
                InquiryOutcome::Callback => 'c',
                InquiryOutcome::Booked => 'b',
            };
            Choice::new(o.code(), o.label(lang)).with_key(key)
        })
        .collect();
    let mut form = Form::new(CALL_FORM, lang.pick("전화 문의 기록", "Log a call"), lang, today)
        .field(Field::text("caller", lang.pick("문의자", "Caller")))
        .field(Field::phone("phone", lang.pick("전화", "Phone")))
        .field(Field::pick("topic", lang.pick("문의 치료", "Topic"), topics))
        .field(Field::multi("questions", lang.pick("질문", "Asked about"), questions))
        .field(Field::pick("source", lang.pick("내원경로", "Heard of us"), sources))
        .field(
            Field::text("referrer_q", lang.pick("소개자 검색", "Referrer search"))
                .hint(lang.pick("이름, 초성, 차트번호, 전화 끝 4자리", "name, chart no. or last 4 digits")),
        )
        .field(Field::pick("referrer", lang.pick("소개자", "Referred by"), Vec::new()))
        .field(Field::pick("channel", lang.pick("인터넷 경로", "Channel"), channels))
        .field(Field::text("note", lang.pick("메모", "Note")))
        .field(Field::pick("outcome", lang.pick("결과", "Outcome"), outcomes).selected("info"))
        .field(Field::date("callback_on", lang.pick("재연락일", "Call back on")).required().hint("+3, 1125"))
        .field(Field::date("book_date", lang.pick("예약일", "Booking date")).required().hint("+1, 1125"))
        .field(
            Field::time("book_time", lang.pick("예약 시각", "Booking time"))
                .hint(lang.pick("비우면 예약 양식이 열립니다", "empty: the booking form opens")),
        );
    for id in ["referrer_q", "referrer", "channel", "callback_on", "book_date", "book_time"] {
        form.set_hidden(id, true);
    }
    form
}

/// The keys of a typical call (name, phone, topic, one question, source, information only),
/// walked from the call form itself: text is typed, picks take their letter, Tab between
/// fields, and Ctrl-S saves as soon as everything after is left as it is.
pub fn typical_call(catalog: &Catalog, lang: Lang, today: NaiveDate) -> (String, usize) {
    let form = call_form(catalog, lang, today);
    let used = ["caller", "phone", "topic", "questions", "source"];
    let mut parts: Vec<String> = Vec::new();
    let mut keys = 0;
    for f in form.fields.iter().filter(|f| !f.hidden && used.contains(&f.id)) {
        if !parts.is_empty() {
            parts.push("Tab".into());
            keys += 1;
        }
        match &f.kind {
            crate::app::form::FieldKind::Pick { choices, .. }
            | crate::app::form::FieldKind::Multi { choices, .. } => {
                let c = match f.id {
                    "questions" => choices.iter().find(|c| c.code == "price"),
                    _ => choices.first(),
                };
                let key = c.and_then(|c| c.key.or_else(|| c.code.chars().next())).unwrap_or('1');
                parts.push(key.to_string());
                keys += 1;
            }
            _ => parts.push(format!("<{}>", f.label)),
        }
    }
    parts.push("Ctrl-S".into());
    keys += 1;
    (parts.join(" "), keys)
}

pub(super) fn qa_form(catalog: &Catalog, lang: Lang, today: NaiveDate, entry: Option<&QaEntry>) -> Form {
    let mut topics = vec![Choice::new("", lang.pick("공통", "Any topic")).with_key('0')];
    topics.extend(catalog.treatments.iter().map(|t| Choice::new(t.code.code.clone(), t.code.label(lang))));
    let kinds: Vec<Choice> = QuestionKind::ALL.iter().map(|k| Choice::new(k.code(), k.label(lang))).collect();
    let title = if entry.is_some() {
        lang.pick("매뉴얼 답변 고치기", "Edit a manual answer")
    } else {
        lang.pick("매뉴얼 답변 추가", "Add a manual answer")
    };
    let mut form = Form::new(QA_FORM, title, lang, today)
        .field(Field::pick("topic", lang.pick("치료", "Topic"), topics))
        .field(Field::pick("kind", lang.pick("질문 종류", "Question kind"), kinds).required())
        .field(Field::text("question", lang.pick("질문", "Question")).required())
        .field(Field::text("answer", lang.pick("답변", "Answer")).required());
    match entry {
        Some(e) => {
            form.get_mut("topic").select(e.treatment_code.as_deref().unwrap_or(""));
            form.get_mut("kind").select(e.kind.code());
            form.get_mut("question").set_value(e.question.clone());
            // The stored text: placeholders such as {hours} stay placeholders.
            form.get_mut("answer").set_value(e.template.clone());
        }
        None => form.get_mut("topic").select(""),
    }
    form
}

/// Lines of text wrapped to `cols` display columns (never splitting a character).
pub(super) fn wrap(text: &str, cols: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if width(&candidate) <= cols {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        // A word longer than the line is cut by characters.
        let mut piece = String::new();
        for c in word.chars() {
            if width(&piece) + width(&c.to_string()) > cols {
                out.push(std::mem::take(&mut piece));
            }
            piece.push(c);
        }
        line = piece;
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}
