//! The words the desk writes: complaint descriptions, plans, call notes, post-its. Short,
//! plausible, and never about a real person.

/// Words of a complaint: descriptions, plans, resolutions.
pub type ComplaintWords = (&'static [&'static str], &'static [&'static str], &'static [&'static str]);

/// Description, plan and resolution for a complaint, by category code; `None` for a category
/// the demo clinic (a 한의원) has no words for, such as a dental one, so it never raises it.
pub fn complaint(category: &str) -> Option<ComplaintWords> {
    let words: ComplaintWords = match category {
        "wait_time" => (
            &[
                "예약 시간보다 30분 넘게 기다림",
                "대기실에서 순서가 밀렸다고 항의",
                "점심 직전 예약인데 많이 기다렸다고 함",
            ],
            &["도착 즉시 대기 예상 시간 안내", "예약 간격 조정, 해당 시간대 추나 1건 줄이기"],
            &["사과 후 다음 예약 우선 안내", "대기 안내 문자 보내기로 하고 이해함"],
        ),
        "pain" => (
            &["침 맞은 뒤 통증이 하루 넘게 지속", "추나 받을 때 너무 아팠다고 함", "도침 후 욱신거림 호소"],
            &["원장님이 강도 조절 설명, 다음 내원 때 먼저 확인", "시술 전 통증 정도 물어보고 기록"],
            &["다음 치료에서 강도 낮추고 만족", "원장님 통화 후 안심함"],
        ),
        "side_effect" => (
            &["약침 부위 멍이 오래감", "봉침 후 가려움과 부기", "부항 자국이 오래 남음"],
            &["원장님 경과 확인, 냉찜질 안내", "다음 시술 전 반응 검사 다시 하기"],
            &["부기 가라앉고 치료 계속하기로 함", "경과 확인 후 문제 없음"],
        ),
        "cost" => (
            &[
                "비급여 비용 설명을 못 들었다고 함",
                "패키지 금액이 생각보다 높다고 항의",
                "실비 청구 서류 누락",
            ],
            &["상담 때 비용표 보여 주고 서명받기", "실비 서류 목록 수납 때 확인"],
            &["차액 설명 후 이해함", "서류 재발급해 드림"],
        ),
        "communication" => (
            &[
                "치료 계획을 제대로 못 들었다고 함",
                "자보 처리 절차 설명 부족",
                "한약 복용법 안내가 헷갈렸다고 함",
            ],
            &["원장님 진료 끝에 계획 다시 설명", "안내문 출력해서 드리기"],
            &["재설명 후 납득", "안내문 받고 만족"],
        ),
        "booking" => (
            &["예약이 다른 날로 잡혀 있었음", "리마인드 문자와 예약 시간이 다름", "변경한 예약이 반영 안 됨"],
            &["예약 변경 시 문자 재발송 확인", "데스크 이중 확인"],
            &["사과 후 원하는 시간으로 예약", "다음 예약 직접 확인 전화"],
        ),
        "attitude" => (
            &["전화 응대가 불친절했다고 함", "접수 때 설명 없이 기다리게 했다고 함"],
            &["응대 매뉴얼 다시 보기, 실장님 사과 전화", "접수 때 첫 마디 인사 확인"],
            &["실장님 사과 전화 후 풀림", "다음 내원 때 감사 인사 받음"],
        ),
        "result" => (
            &[
                "다이어트 효과가 없다고 함",
                "한약 먹어도 나아지지 않는다고 함",
                "추나 5회째인데 차이를 모르겠다고 함",
            ],
            &["원장님 상담 다시 잡기, 처방 조정", "경과 사진과 체성분 비교해서 설명"],
            &["처방 조정 후 계속하기로", "비교 자료 보고 계속하기로 함"],
        ),
        "facility" => (
            &["주차 등록을 못 받았다고 함", "치료실이 춥다고 함", "화장실 청결 불만"],
            &["접수 때 차량번호 먼저 묻기", "치료실 온도 점검표 만들기"],
            &["주차비 환불해 드림", "조치 후 안내"],
        ),
        _ => return None,
    };
    Some(words)
}

/// What a prospect said about their situation at the consultation, by treatment code.
pub fn circumstances(treatment: &str) -> &'static [&'static str] {
    match treatment {
        "chuna" => &[
            "허리 디스크 진단, 직장 때문에 주 1회만 가능",
            "골반 틀어짐, 오래 앉아서 일함",
            "거북목, 컴퓨터 작업 많음",
        ],
        "herbal" => &[
            "만성 피로, 회사 건강검진 이상 없음",
            "시험 준비 중인 자녀 보약 문의",
            "출산 후 회복, 모유 수유 중이라 한약 걱정",
        ],
        "diet" => &["출산 후 체중 증가", "결혼 준비 중, 3개월 안에 감량 원함", "예전에 요요 경험 있음"],
        "gongjindan" => &["부모님 공진단 선물 고민", "수술 후 기력 회복", "만성 피로, 야근 많음"],
        _ => &[
            "무릎 통증 오래됨, 병원 주사 치료 효과 없었음",
            "교통사고 후 목, 어깨 통증, 합의 전",
            "어깨 통증으로 잠을 못 잠, 빨리 낫고 싶어 함",
        ],
    }
}

pub const CONSULT_REACTIONS: &[&str] = &[
    "가격 부담, 배우자와 상의 후 결정",
    "실비 되는지 확인해 보고 연락 준다고 함",
    "다른 한의원 견적과 비교 중",
    "효과 있으면 바로 하겠다고 함",
    "분할 결제 가능한지 문의",
    "일정 보고 다음 주에 결정",
    "설명 듣고 긍정적",
];

/// (reaction, next plan) after a call that reached the person, by callback kind code.
pub fn contact_reached(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        "prospect" => (
            &[
                "아직 고민 중, 가격이 부담",
                "가족과 상의했는데 조금 더 생각해 본다고 함",
                "다음 달 월급 후에 시작하고 싶다고 함",
            ],
            &["다음 주 다시 연락", "할인 이벤트 시작하면 안내", "월초에 재연락"],
        ),
        "reminder" => (&["내일 예약 확인함", "시간 맞다고 함, 주차 문의"], &["", "주차 등록 안내"]),
        "no_show" => (
            &["깜빡했다고 함, 죄송하다고", "회사 일이 늦게 끝났다고 함", "아이가 아파서 못 왔다고 함"],
            &["재예약 안내", "다음 예약 전날 리마인드"],
        ),
        "happy_call" => (
            &[
                "통증 많이 줄었다고 함",
                "조금 뻐근하지만 괜찮다고 함",
                "한약 잘 먹고 있다고 함",
                "잠을 잘 잤다고 함, 만족",
            ],
            &["", "다음 내원 때 경과 확인"],
        ),
        _ => (
            &[
                "요즘 괜찮아서 안 왔다고 함",
                "다시 아파지면 오겠다고 함",
                "바빠서 못 왔는데 다음 주 예약 원함",
            ],
            &["한 달 뒤 다시 안부 연락", "", "시즌 이벤트 때 안내"],
        ),
    }
}

pub const UNREACHED: &[&str] = &["부재중", "전원 꺼짐", "문자 읽음, 답 없음", "통화 중"];
pub const UNREACHED_PLAN: &[&str] = &["내일 오전 재통화", "저녁 시간에 다시 연락", "카톡으로 안내 남김"];

/// Post-it notes on charts.
pub const NOTES: &[&str] = &[
    "침 공포 있음 — 천천히 설명하고 시작",
    "주차 등록 필요 (차량번호 접수 때 확인)",
    "오후 6시 이후만 내원 가능",
    "보호자(딸) 동반, 결과 설명은 보호자에게도",
    "낮은 침대 선호, 허리 숙이기 힘듦",
    "한약 복용 중 — 다른 약 먹는지 매번 확인",
    "임신 준비 중, 약침, 봉침 주의",
    "실비 서류 매번 요청함",
    "말씀 많으심, 예약 시간 여유 있게",
    "자보 접수번호 확인 필요",
    "카톡 안내 선호, 전화 잘 안 받음",
    "사투리 심함, 천천히 말씀드리기",
    "가족 소개 많이 해 주심 — 감사 인사",
    "피 뽑는 것처럼 바늘 보면 어지러워함",
];

/// What the huddle asks someone to do for a patient coming in today.
pub const HUDDLE_ACTIONS: &[&str] = &[
    "원장님이 먼저 경과 설명",
    "지난번 대기 불만 — 도착하면 바로 안내",
    "패키지 남은 횟수 안내",
    "생일 축하 인사 (데스크)",
    "보류 상담 다시 권유",
    "소개해 주신 분께 감사 인사",
    "실비 서류 미리 준비",
];

/// Short notes on phone inquiries, by topic code.
pub fn inquiry_note(topic: Option<&str>) -> &'static [&'static str] {
    match topic {
        Some("chuna") => &["허리 통증, 추나 보험 되는지", "거북목, 주 몇 회 와야 하는지", "골반 교정 문의"],
        Some("car_insurance") => {
            &["교통사고 3일 전, 목, 허리 통증", "동승자도 치료 가능한지", "접수번호 받음, 오늘 가능한지"]
        }
        Some("diet") => &["출산 후 다이어트 문의", "결혼 전 3개월 감량", "다이어트 한약 부작용 문의"],
        Some("herbal") => &["수험생 보약", "부모님 보약 가격", "갱년기 한약 문의"],
        Some("gongjindan") => &["공진단 선물용 가격", "공진단 10환 가격"],
        Some("acupuncture") => &["손목 통증, 침 보험 적용", "발목 삐끗, 오늘 가능한지"],
        Some("pharmacopuncture") => &["약침 비용", "어깨 약침 효과"],
        Some("bee_venom") => &["봉침 알레르기 걱정"],
        Some("dochim") => &["도침 통증 문의"],
        _ => &["주차 가능한지", "일요일 진료 여부", "위치 문의"],
    }
}
