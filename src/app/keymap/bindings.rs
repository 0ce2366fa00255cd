//! The binding tables, one per context, and the notes for keys the widgets read themselves.

use crossterm::event::KeyCode;

use super::keys::{Binding, Command, Context, Key};

const fn b(
    keys: &'static [Key],
    command: Command,
    ko: &'static str,
    en: &'static str,
    footer: bool,
) -> Binding {
    Binding { keys, command, ko, en, footer }
}

use KeyCode as K;

pub const GLOBAL: &[Binding] = &[
    b(&[Key::ch('1')], Command::GoTab(0), "차트 리뷰 탭", "Today tab", false),
    b(&[Key::ch('2')], Command::GoTab(1), "진료 전 10분 탭", "Huddle tab", false),
    b(&[Key::ch('3')], Command::GoTab(2), "리콜 탭", "Callbacks tab", false),
    b(&[Key::ch('4')], Command::GoTab(3), "전화 문의 탭", "Inquiries tab", false),
    b(&[Key::ch('5')], Command::GoTab(4), "OKR 탭", "OKR tab", false),
    b(&[Key::plain(K::Tab)], Command::NextTab, "다음 탭", "Next tab", false),
    b(&[Key::plain(K::BackTab)], Command::PrevTab, "이전 탭", "Previous tab", false),
    b(&[Key::ctrl('f')], Command::PatientSearch, "환자 검색", "Patient search", true),
    b(
        &[Key::ctrl('o')],
        Command::Settings,
        "설정(직원/치료/내원경로/시간)",
        "Settings (staff, treatments, sources, hours)",
        false,
    ),
    b(
        &[Key::plain(K::F(2))],
        Command::PickStaff,
        "이 단말기의 직원 고르기(기록에 남는 이름, 어디서나)",
        "Who is at this terminal (the name on the records; works anywhere)",
        false,
    ),
    b(&[Key::ch('?')], Command::Help, "도움말", "Help", true),
    b(&[Key::ch('q')], Command::Quit, "종료", "Quit", true),
    b(
        &[Key::ctrl('c')],
        Command::Quit,
        "종료(입력 중에도; 저장 안 된 입력이 있으면 먼저 묻기)",
        "Quit (even in a field; asks first when input is unsaved)",
        false,
    ),
];

pub const LIST: &[Binding] = &[
    b(&[Key::plain(K::Up), Key::ch('k')], Command::Up, "위로", "Up", false),
    b(&[Key::plain(K::Down), Key::ch('j')], Command::Down, "아래로", "Down", false),
    b(&[Key::plain(K::PageUp)], Command::PageUp, "한 쪽 위", "Page up", false),
    b(&[Key::plain(K::PageDown)], Command::PageDown, "한 쪽 아래", "Page down", false),
    b(&[Key::plain(K::Home), Key::ch('g')], Command::Top, "맨 위", "First", false),
    b(&[Key::plain(K::End), Key::ch('G')], Command::Bottom, "맨 아래", "Last", false),
    b(&[Key::plain(K::Enter)], Command::Open, "열기", "Open", true),
    b(&[Key::plain(K::Esc)], Command::Back, "뒤로", "Back", false),
    b(&[Key::ch('/')], Command::Filter, "목록 거르기", "Filter the list", true),
];

pub const TODAY: &[Binding] = &[
    b(&[Key::ch('a')], Command::Arrived, "내원", "Arrived", true),
    b(&[Key::ch('d')], Command::Done, "진료 완료", "Done", true),
    b(&[Key::ch('x')], Command::NoShow, "부도", "No-show", true),
    b(&[Key::ch('c')], Command::Cancel, "예약 취소", "Cancel", false),
    b(&[Key::ch('f')], Command::Confirm, "예약 확인됨", "Confirmed", false),
    b(&[Key::ch('u')], Command::Undo, "상태 되돌리기", "Undo status", false),
    b(
        &[Key::ch('E')],
        Command::EndOfDay,
        "하루 마감: 지난 예약 부도(확인)",
        "End of day: the late no-show (asks)",
        false,
    ),
    b(&[Key::ch('n')], Command::New, "예약", "Book", true),
    b(&[Key::ch('m')], Command::Move, "예약 옮기기", "Move", false),
    b(&[Key::ch('e')], Command::Edit, "예약 고치기", "Edit", false),
    b(&[Key::ch('p')], Command::Note, "메모(포스트잇)", "Post-it note", false),
    b(&[Key::ch('t')], Command::Sticker, "스티커", "Sticker", false),
    b(&[Key::ch('!')], Command::Complaint, "불만 기록", "Complaint", false),
    b(&[Key::ch('[')], Command::PrevDay, "전날", "Previous day", false),
    b(&[Key::ch(']')], Command::NextDay, "다음날", "Next day", false),
    b(&[Key::ch('.')], Command::GoToday, "오늘로", "Back to today", false),
    b(&[Key::ch('v')], Command::FilterProvider, "원장별 보기", "Filter by provider", false),
    b(&[Key::ch('s')], Command::FilterSticker, "스티커별 보기", "Filter by sticker", false),
];

pub const HUDDLE: &[Binding] = &[
    b(&[Key::ch(' ')], Command::TimerToggle, "타이머 시작/멈춤", "Start/pause timer", true),
    b(&[Key::plain(K::Left)], Command::SectionPrev, "이전 안건", "Previous section", true),
    b(&[Key::plain(K::Right)], Command::SectionNext, "다음 안건", "Next section", true),
    b(&[Key::ch('a')], Command::AssignAction, "조치/담당 지정", "Assign action", true),
    b(&[Key::ch('x')], Command::TickAction, "조치 완료", "Tick action off", false),
    b(&[Key::ch('m')], Command::Unmask, "가림 해제(기록됨)", "Unmask (logged)", false),
    b(&[Key::ch('h')], Command::History, "지난 회의", "Earlier huddles", false),
];

pub const CALLBACKS: &[Binding] = &[
    b(&[Key::ch('l')], Command::LogContact, "연락 기록", "Log contact", true),
    b(&[Key::ch('z')], Command::Snooze, "미루기", "Snooze", true),
    b(&[Key::ch('t')], Command::FilterKind, "종류별 보기", "Filter by kind", false),
    b(&[Key::ch('o')], Command::FilterOwner, "담당자별 보기", "Filter by owner", false),
    b(&[Key::ch('c')], Command::Consultation, "상담 기록", "Record consultation", true),
    b(&[Key::ch('s')], Command::Texts, "오늘 보낼 문자", "Texts due today", false),
    b(&[Key::ch('m')], Command::FreeText, "문자 쓰기", "Write a text", false),
    b(
        &[Key::ch('b')],
        Command::Book,
        "이 사람 예약 (지난 원장/치료 채움, 저장하면 리콜 닫힘)",
        "Book this person (last provider and treatment filled in; saving closes the callback)",
        false,
    ),
];

pub const INQUIRIES: &[Binding] = &[
    b(&[Key::ch('n')], Command::New, "전화 문의 기록", "Log a call", true),
    b(&[Key::ch('r')], Command::Report, "내원경로 보고서", "Referral report", true),
    b(&[Key::plain(K::Left)], Command::SectionPrev, "보고서: 이전 달들", "Report: earlier months", false),
    b(&[Key::plain(K::Right)], Command::SectionNext, "보고서: 최근 달들", "Report: later months", false),
    b(&[Key::ch('a')], Command::QaManual, "전화응대 매뉴얼", "Q&A manual", true),
    b(&[Key::ch('e')], Command::Edit, "매뉴얼 답변 고치기", "Edit a manual answer", false),
    b(&[Key::ch('d')], Command::Delete, "매뉴얼 답변 지우기(확인)", "Delete a manual answer (asks)", false),
    b(
        &[Key::ch('c')],
        Command::Correct,
        "저장된 문의 고치기(기록됨)",
        "Correct a saved inquiry (recorded)",
        false,
    ),
];

pub const OKR: &[Binding] = &[
    b(&[Key::ch('n')], Command::New, "목표 추가", "New objective", true),
    b(&[Key::ch('a')], Command::AddKeyResult, "핵심결과 추가", "Add key result", false),
    b(&[Key::ch('e')], Command::Edit, "목표/핵심결과 고치기", "Edit objective or key result", true),
    b(&[Key::ch('c')], Command::CheckIn, "체크인(수동 핵심결과)", "Check in (manual results)", true),
    b(&[Key::ch('r')], Command::Report, "매출 보고서", "Revenue report", true),
];

/// The revenue report over the OKR board (okr/revenue.rs): the board's keys wait until Esc.
/// `r` cycles category, treatment, provider, month; Left/Right this month, last month and the
/// selected key result's window. Kept short: all four fit the footer at 80 columns.
pub const OKR_REPORT: &[Binding] = &[
    b(&[Key::ch('r')], Command::Report, "구분 변경", "Grouping", true),
    b(&[Key::plain(K::Left)], Command::SectionPrev, "이전 기간", "Earlier", true),
    b(&[Key::plain(K::Right)], Command::SectionNext, "다음 기간", "Later", true),
    b(&[Key::plain(K::Esc)], Command::Back, "뒤로", "Back", true),
    b(&[Key::plain(K::Up), Key::ch('k')], Command::Up, "위로", "Up", false),
    b(&[Key::plain(K::Down), Key::ch('j')], Command::Down, "아래로", "Down", false),
    b(&[Key::plain(K::PageUp)], Command::PageUp, "한 쪽 위", "Page up", false),
    b(&[Key::plain(K::PageDown)], Command::PageDown, "한 쪽 아래", "Page down", false),
    b(&[Key::plain(K::Home), Key::ch('g')], Command::Top, "맨 위", "First", false),
    b(&[Key::plain(K::End), Key::ch('G')], Command::Bottom, "맨 아래", "Last", false),
];

/// The patient card's money keys; the card's other keys are [`CARD_NOTES`].
pub const CARD_MONEY: &[Binding] = &[
    b(&[Key::ch('w')], Command::RecordPayment, "수납 기록", "Record a payment", true),
    b(
        &[Key::ch('P')],
        Command::SellPackage,
        "패키지 판매(결제 함께)",
        "Sell a package (and its payment)",
        true,
    ),
    b(
        &[Key::ch('r')],
        Command::Refund,
        "환불(사유와 함께 새 줄)",
        "Refund (a new row, with the reason)",
        true,
    ),
    b(
        &[Key::ch('R')],
        Command::CorrectPayment,
        "수납 정정(사유와 함께 새 줄)",
        "Correct a payment (a new row, with the reason)",
        false,
    ),
];

pub const FORM: &[Binding] = &[
    b(&[Key::plain(K::Tab)], Command::NextField, "다음 칸", "Next field", true),
    b(&[Key::plain(K::BackTab)], Command::PrevField, "이전 칸", "Previous field", false),
    b(&[Key::ctrl('s')], Command::Save, "저장", "Save", true),
    b(&[Key::plain(K::Esc)], Command::Cancelled, "닫기(변경 시 확인)", "Close (asks if changed)", true),
    b(&[Key::plain(K::Down)], Command::NextField, "다음 칸", "Next field", false),
    b(&[Key::plain(K::Up)], Command::PrevField, "이전 칸", "Previous field", false),
    b(
        &[Key::plain(K::Enter)],
        Command::FieldEnter,
        "다음 칸 (마지막 칸에서 저장)",
        "Next field (saves on the last)",
        false,
    ),
];

pub const SEARCH: &[Binding] = &[
    b(&[Key::plain(K::Up)], Command::Up, "위로", "Up", false),
    b(&[Key::plain(K::Down)], Command::Down, "아래로", "Down", false),
    b(&[Key::plain(K::Enter)], Command::Open, "환자 카드 열기", "Open patient card", true),
    b(
        &[Key::ctrl('b')],
        Command::Book,
        "바로 예약 (지난 원장/치료 채움)",
        "Book at once (last provider and treatment filled in)",
        true,
    ),
    b(&[Key::plain(K::Esc)], Command::Back, "닫기", "Close", true),
];

/// The patient card: every action on the person, one key each (the next visit is the
/// earliest still booked from today on; `b` fills in the last provider and treatment; `u`
/// takes back the card's own last cancel or tick). Footer descriptions are kept short.
pub const CARD: &[Binding] = &[
    b(&[Key::plain(K::Esc)], Command::Back, "닫기", "Close", true),
    b(&[Key::ch('?')], Command::Help, "도움말 (카드의 키 먼저)", "Help (the card's keys first)", false),
    b(&[Key::ch('b')], Command::New, "예약", "Book", true),
    b(&[Key::ch('m')], Command::Move, "다음 예약 옮기기", "Move next visit", true),
    b(&[Key::ch('c')], Command::Cancel, "다음 예약 취소", "Cancel next visit", true),
    b(&[Key::ch('x')], Command::TickAction, "회의 조치 완료", "Tick action", true),
    b(&[Key::ch('u')], Command::Undo, "되돌리기", "Undo", true),
    b(&[Key::ch('p')], Command::Note, "메모", "Note", true),
    b(&[Key::ch('t')], Command::Sticker, "스티커", "Stickers", false),
    b(&[Key::ch('!')], Command::Complaint, "불만 기록", "Complaint", false),
    b(&[Key::ch('e')], Command::Edit, "이름/전화번호 고치기(기록됨)", "Correct name, phone (audited)", false),
    b(
        &[Key::ch('o')],
        Command::OptOut,
        "문자 수신 거부 기록/해제",
        "Record / lift the opt-out from texts",
        false,
    ),
    b(
        &[Key::ch('a')],
        Command::MarketingConsent,
        "광고 문자 수신 동의 기록/철회",
        "Record / withdraw marketing consent",
        false,
    ),
    b(&[Key::plain(K::Up), Key::ch('k')], Command::Up, "위로", "Scroll up", false),
    b(&[Key::plain(K::Down), Key::ch('j')], Command::Down, "아래로", "Scroll down", false),
    b(&[Key::plain(K::PageUp)], Command::PageUp, "한 쪽 위", "Page up", false),
    b(&[Key::plain(K::PageDown)], Command::PageDown, "한 쪽 아래", "Page down", false),
    b(&[Key::plain(K::Home), Key::ch('g')], Command::Top, "맨 위", "Top", false),
];

pub const SETTINGS: &[Binding] = &[
    b(&[Key::plain(K::Right), Key::plain(K::Tab)], Command::NextSection, "다음 항목", "Next section", false),
    b(
        &[Key::plain(K::Left), Key::plain(K::BackTab)],
        Command::PrevSection,
        "이전 항목",
        "Previous section",
        false,
    ),
    b(&[Key::plain(K::Up), Key::ch('k')], Command::Up, "위로", "Up", false),
    b(&[Key::plain(K::Down), Key::ch('j')], Command::Down, "아래로", "Down", false),
    b(&[Key::ch('n')], Command::New, "추가", "Add", true),
    b(&[Key::ch('e'), Key::plain(K::Enter)], Command::Edit, "고치기", "Edit", true),
    b(&[Key::ch('x')], Command::Retire, "사용 중지/재사용", "Retire / bring back", true),
    b(
        &[Key::ch('D')],
        Command::Delete,
        "삭제(쓰인 적 없을 때; 휴진/상한: 지우기, 확인 후)",
        "Delete (if never used; calendar: remove, asks first)",
        false,
    ),
    b(
        &[Key::ch('A')],
        Command::Acknowledge,
        "외부 변경 확인 처리(기록됨, 확인 후)",
        "Acknowledge outside changes (recorded, asks first)",
        false,
    ),
    b(&[Key::plain(K::Esc), Key::ch('q')], Command::Back, "설정 닫기", "Close settings", true),
    b(&[Key::ch('?')], Command::Help, "도움말 (설정의 키 먼저)", "Help (the settings keys first)", false),
];

pub const HELP: &[Binding] = &[
    b(&[Key::plain(K::Esc), Key::ch('?'), Key::ch('q')], Command::Close, "도움말 닫기", "Close help", true),
    b(&[Key::plain(K::Up), Key::ch('k')], Command::Up, "위로", "Up", false),
    b(&[Key::plain(K::Down), Key::ch('j')], Command::Down, "아래로", "Down", false),
    b(&[Key::plain(K::PageUp), Key::ch('b')], Command::PageUp, "한 쪽 위", "Page up", false),
    b(&[Key::plain(K::PageDown), Key::ch(' ')], Command::PageDown, "한 쪽 아래", "Page down", false),
    b(&[Key::plain(K::Home), Key::ch('g')], Command::Top, "맨 위", "First", false),
    b(&[Key::plain(K::End), Key::ch('G')], Command::Bottom, "맨 아래", "Last", false),
];

/// Keys handled by the widgets themselves rather than through a command (text fields, pick
/// lists, prompts, the patient card): listed in help so it names every key, written once here.
pub struct KeyNote {
    pub keys: &'static str,
    pub ko: &'static str,
    pub en: &'static str,
}

const fn note(keys: &'static str, ko: &'static str, en: &'static str) -> KeyNote {
    KeyNote { keys, ko, en }
}

/// Form fields and pick lists.
pub const FIELD_NOTES: &[KeyNote] = &[
    note("Ctrl-U", "입력칸 비우기", "Clear the field"),
    note(
        "Ctrl-W / Ctrl-K",
        "앞 낱말 지우기 / 커서 뒤 지우기",
        "Delete the word before / the rest after the caret",
    ),
    note(
        "Left/Right Home/End",
        "입력칸 안에서 움직이기 (처음 누르면 선택만 풀림)",
        "Move inside the field (the first press only drops the selection)",
    ),
    note("Ctrl-A / Ctrl-E", "입력칸 처음 / 끝으로", "To the start / end of the field"),
    note(
        "(typing)",
        "미리 채운 값은 선택되어 있어 입력하면 바뀝니다",
        "A prefilled value is selected: typing replaces it",
    ),
    note("1-9", "고르기: 번호로 (모든 선택 목록)", "Pick by number (every pick list)"),
    note(
        "a-z",
        "고르기: 보기 앞 글자로, 목록에서 하나뿐일 때 (한글 자판 그대로: ㅁ=a)",
        "Pick by the letter shown, where it is unique (한글 mode too: ㅁ=a)",
    ),
    note("Space/Left/Right", "고르기: 다음/이전 보기", "Pick: next / previous choice"),
    note("Bksp", "고르기 비우기", "Clear the pick"),
    note(
        "12-05 14:30",
        "예약 날짜 칸: 날짜 뒤에 시각을 적으면 시각 칸도 채워짐 (1205 1430, 내일 14:30)",
        "Booking date field: a time after the date fills the time too (1205 1430, tomorrow 14:30)",
    ),
    note(
        "F3",
        "예약: 그날 일정표로/양식으로 (화살표 빈 시간, Tab 다음 빈 시간, Enter 채우기)",
        "Booking: to the day's grid and back (arrows, Tab next free, Enter fills in)",
    ),
];

/// Every y/n question (discard a form, delete, book the next visit, restore a draft).
pub const PROMPT_NOTES: &[KeyNote] = &[note("y/ㅛ/Enter", "예", "Yes"), note("n/ㅜ/Esc", "아니오", "No")];

/// The patient card's keys its money section reads itself (card_money.rs).
pub const CARD_NOTES: &[KeyNote] =
    &[note("+ / -", "스티커 제안 붙이기 / 넘기기", "Accept / dismiss the sticker suggestion")];

/// The shared huddle screen's keys: the timer, the agenda and scrolling, help and quit. No
/// unmask, no other tab, no form, no patient card: whoever stands at the TV keyboard can show
/// the meeting and nothing else.
pub const SHARED_SCREEN: &[Binding] = &[
    b(&[Key::ch(' ')], Command::TimerToggle, "타이머 시작/멈춤", "Start/pause timer", true),
    b(&[Key::plain(K::Left)], Command::SectionPrev, "이전 안건", "Previous section", true),
    b(&[Key::plain(K::Right)], Command::SectionNext, "다음 안건", "Next section", true),
    b(&[Key::plain(K::Up), Key::ch('k')], Command::Up, "위로", "Up", false),
    b(&[Key::plain(K::Down), Key::ch('j')], Command::Down, "아래로", "Down", false),
    b(&[Key::plain(K::PageUp)], Command::PageUp, "한 쪽 위", "Page up", false),
    b(&[Key::plain(K::PageDown)], Command::PageDown, "한 쪽 아래", "Page down", false),
    b(&[Key::ch('?')], Command::Help, "도움말", "Help", true),
    b(&[Key::ch('q')], Command::Quit, "종료", "Quit", true),
    b(
        &[Key::ctrl('c')],
        Command::Quit,
        "종료(입력 중에도; 저장 안 된 입력이 있으면 먼저 묻기)",
        "Quit (even in a field; asks first when input is unsaved)",
        false,
    ),
];

/// The whole table, by context.
pub const TABLE: &[(Context, &[Binding])] = &[
    (Context::Global, GLOBAL),
    (Context::List, LIST),
    (Context::Today, TODAY),
    (Context::Huddle, HUDDLE),
    (Context::Callbacks, CALLBACKS),
    (Context::Inquiries, INQUIRIES),
    (Context::Okr, OKR),
    (Context::Form, FORM),
    (Context::Search, SEARCH),
    (Context::Card, CARD),
    (Context::Settings, SETTINGS),
    (Context::Help, HELP),
    (Context::SharedScreen, SHARED_SCREEN),
    (Context::CardMoney, CARD_MONEY),
    (Context::OkrReport, OKR_REPORT),
];
