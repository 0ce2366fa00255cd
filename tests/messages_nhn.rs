//! Issue 20: NHN Cloud SMS behind the same provider trait, against a local HTTP server that
//! checks the request shape of its public API v3.0 guide (TOAST-DOCS/SMS ko/api-guide.md) and
//! answers like it: success, a refusal in the header or in the recipient's result, 4xx, 5xx,
//! no server, no answer.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{at, fixed_now, open};
use frontdesk::desk::callbacks::generate_automatic;
use frontdesk::domain::Role;
use frontdesk::domain::messages::MessageType;
use frontdesk::sms::nhncloud::NhnCloud;
use frontdesk::sms::{Credentials, Provider, Secret, Text, send_due};
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::messages::{self as outbox, Outcome};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::settings;

const APP_KEY: &str = "nhnAppKey0001";
const SECRET: &str = "nhn-secret-THAT-MUST-NEVER-SHOW-42";

#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: Vec<(String, String)>,
    body: serde_json::Value,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone)]
enum Reply {
    /// HTTP status and body.
    Answer(u16, String),
    /// Reads the request, then answers nothing for this long.
    Hang(u64),
}

fn ok_body(n: usize) -> String {
    format!(
        r#"{{"header":{{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"}},"body":{{"data":{{"requestId":"20261123092000Req{n:04}","statusCode":"2","sendResultList":[{{"recipientNo":"01011112222","resultCode":0,"resultMessage":"SUCCESS","recipientSeq":1}}]}}}}}}"#
    )
}

struct Server {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    /// What did not match the documented request.
    bad: Arc<Mutex<Vec<String>>>,
}

/// The guide's request: POST /sms/v3.0/appKeys/{appKey}/sender/sms (or /mms with a title),
/// X-Secret-Key, JSON with body, sendNo and recipientList[].recipientNo.
fn check(method: &str, r: &Request) -> Result<(), String> {
    let sms = format!("/sms/v3.0/appKeys/{APP_KEY}/sender/sms");
    let mms = format!("/sms/v3.0/appKeys/{APP_KEY}/sender/mms");
    if method != "POST" || (r.path != sms && r.path != mms) {
        return Err(format!("{method} {}", r.path));
    }
    if r.header("x-secret-key") != Some(SECRET) {
        return Err("X-Secret-Key".into());
    }
    if !r.header("content-type").unwrap_or("").starts_with("application/json") {
        return Err("content-type".into());
    }
    for k in ["body", "sendNo"] {
        if !r.body[k].is_string() {
            return Err(k.into());
        }
    }
    if !r.body["recipientList"][0]["recipientNo"].is_string() {
        return Err("recipientList[].recipientNo".into());
    }
    if r.path == mms && !r.body["title"].is_string() {
        return Err("an LMS needs its title".into());
    }
    Ok(())
}

fn serve(reply: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let bad = Arc::new(Mutex::new(Vec::new()));
    let reply = Arc::new(reply);
    let (reqs, bads) = (requests.clone(), bad.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (reqs, bads, reply) = (reqs.clone(), bads.clone(), reply.clone());
            std::thread::spawn(move || {
                let Some(raw) = common::http::read_request(&mut stream) else { return };
                let req = Request {
                    path: raw.path,
                    headers: raw.headers,
                    body: serde_json::from_str(&raw.body).unwrap_or_default(),
                };
                if let Err(why) = check(&raw.method, &req) {
                    bads.lock().unwrap().push(why);
                }
                let n = {
                    let mut all = reqs.lock().unwrap();
                    all.push(req);
                    all.len()
                };
                match reply(n) {
                    Reply::Answer(code, body) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                    Reply::Hang(ms) => std::thread::sleep(Duration::from_millis(ms)),
                }
            });
        }
    });
    Server { url, requests, bad }
}

fn nhn(url: &str) -> NhnCloud {
    NhnCloud::new(
        url,
        Credentials { key: APP_KEY.into(), secret: Secret::new(SECRET) },
        "0212345678",
        Duration::from_secs(1),
    )
}

fn text(body: &str, msg_type: MessageType) -> Text {
    Text { to: "01011112222".into(), from: String::new(), body: body.into(), msg_type }
}

#[test]
fn an_sms_goes_to_the_sms_endpoint_in_the_documented_shape() {
    let server = serve(|n| Reply::Answer(200, ok_body(n)));
    let mut p = nhn(&server.url);
    assert_eq!(p.name(), "nhncloud");
    let out = p.send(&text("[바른한의원] 김하나님, 내일 14:30 예약입니다.", MessageType::Sms));
    assert_eq!(out, Outcome::Sent("20261123092000Req0001".into()));
    assert!(server.bad.lock().unwrap().is_empty(), "{:?}", server.bad.lock().unwrap());
    let r = server.requests.lock().unwrap()[0].clone();
    assert_eq!(r.path, format!("/sms/v3.0/appKeys/{APP_KEY}/sender/sms"));
    assert_eq!(r.body["sendNo"], "0212345678");
    assert_eq!(r.body["recipientList"][0]["recipientNo"], "01011112222");
    assert_eq!(r.body["body"], "[바른한의원] 김하나님, 내일 14:30 예약입니다.");
    assert!(r.body.get("title").is_none(), "an SMS has no title");
}

#[test]
fn an_lms_goes_to_the_mms_endpoint_with_a_title_of_at_most_40_bytes() {
    let server = serve(|n| Reply::Answer(200, ok_body(n)));
    let mut p = nhn(&server.url);
    let body = format!("[바른한의원] 치료 후 안내드립니다\n{}", "가".repeat(60));
    assert_eq!(p.send(&text(&body, MessageType::Lms)), Outcome::Sent("20261123092000Req0001".into()));
    assert!(server.bad.lock().unwrap().is_empty(), "{:?}", server.bad.lock().unwrap());
    let r = server.requests.lock().unwrap()[0].clone();
    assert_eq!(r.path, format!("/sms/v3.0/appKeys/{APP_KEY}/sender/mms"));
    assert_eq!(r.body["title"], "[바른한의원] 치료 후 안내드립니다");
    assert_eq!(r.body["body"], body.as_str());
}

#[test]
fn refusals_fail_with_the_providers_reason_and_never_the_secret() {
    // A refusal in the header of a 200 (the guide's header.isSuccessful / resultMessage).
    let header_no = format!(
        r#"{{"header":{{"isSuccessful":false,"resultCode":-1000,"resultMessage":"Invalid sendNo ({SECRET})"}}}}"#
    );
    let server = serve(move |_| Reply::Answer(200, header_no.clone()));
    match nhn(&server.url).send(&text("안내", MessageType::Sms)) {
        Outcome::Rejected(why) => {
            assert!(why.contains("-1000") && why.contains("Invalid sendNo"), "{why}");
            assert!(!why.contains(SECRET), "{why}");
        }
        other => panic!("{other:?}"),
    }
    // A refusal in the one recipient's result.
    let recipient_no = r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},"body":{"data":{"requestId":"R1","statusCode":"2","sendResultList":[{"recipientNo":"01011112222","resultCode":-2000,"resultMessage":"invalid recipient","recipientSeq":1}]}}}"#;
    let server = serve(move |_| Reply::Answer(200, recipient_no.to_string()));
    match nhn(&server.url).send(&text("안내", MessageType::Sms)) {
        Outcome::Rejected(why) => {
            assert!(why.contains("-2000") && why.contains("invalid recipient"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    // A 4xx.
    let server = serve(|_| {
        Reply::Answer(
            401,
            r#"{"header":{"isSuccessful":false,"resultCode":-9,"resultMessage":"secret key is invalid"}}"#
                .into(),
        )
    });
    match nhn(&server.url).send(&text("안내", MessageType::Sms)) {
        Outcome::Rejected(why) => {
            assert!(why.contains("401") && why.contains("secret key is invalid"), "{why}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_5xx_or_no_server_is_retried_and_no_answer_is_unknown() {
    let server = serve(|_| Reply::Answer(503, "busy".into()));
    assert!(
        matches!(nhn(&server.url).send(&text("안내", MessageType::Sms)), Outcome::Retry(w) if w.contains("503"))
    );
    // Nobody listening: the request never went out.
    let url = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    assert!(matches!(nhn(&url).send(&text("안내", MessageType::Sms)), Outcome::Retry(_)));
    // The request went out and no answer came in time: nobody knows, not retried silently.
    let server = serve(|_| Reply::Hang(3000));
    assert!(matches!(nhn(&server.url).send(&text("안내", MessageType::Sms)), Outcome::Unknown(_)));
}

#[test]
fn the_days_reminders_go_out_through_nhn_cloud_once_and_are_logged_with_its_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let doc = store
        .write(|tx| {
            settings::set_setting(tx, "clinic_name", "바른한의원")?;
            settings::set_setting(tx, "clinic_phone", "02-123-4567")?;
            settings::add_staff(tx, "이원장", Role::Director)
        })
        .unwrap();
    let p = store
        .write(|tx| {
            let p = insert_patient(
                tx,
                &NewPatient {
                    name: "김하나".into(), phone: "010-1111-2222".into(), ..NewPatient::default()
                },
            )?;
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: p,
                    start: at(2026, 11, 24, 14, 30),
                    duration_min: 30,
                    provider_id: Some(doc),
                    treatment_code: None,
                },
            )?;
            Ok(p)
        })
        .unwrap();
    generate_automatic(&mut store, fixed_now().date()).unwrap();
    let server = serve(|n| Reply::Answer(200, ok_body(n)));
    let mut provider = nhn(&server.url);
    let report = send_due(&mut store, Some(&mut provider), false).unwrap();
    assert_eq!((report.queued, report.sent), (1, 1));
    assert!(server.bad.lock().unwrap().is_empty(), "{:?}", server.bad.lock().unwrap());
    let rows = outbox::for_patient(store.conn(), p).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, "sent");
    let (provider_name, reference): (String, String) = store
        .conn()
        .query_row("SELECT provider, provider_ref FROM messages WHERE patient_id = ?1", [p], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((provider_name.as_str(), reference.as_str()), ("nhncloud", "20261123092000Req0001"));
    let again = send_due(&mut store, Some(&mut provider), false).unwrap();
    assert_eq!((again.queued, again.sent), (0, 0));
    assert_eq!(server.requests.lock().unwrap().len(), 1, "never twice");
}

#[test]
fn the_config_names_nhn_cloud() {
    let cfg = frontdesk::config::MessagingConfig {
        provider: "nhncloud".into(),
        api_url: "http://example.com".into(),
        sender: "02-1234-5678".into(),
        ..Default::default()
    };
    // Known (it is refused for what is missing or wrong: no credentials here, or http://).
    let err = frontdesk::sms::provider_from_config(&cfg).err().unwrap();
    assert!(!err.contains("not known"), "{err}");
    let no_sender = frontdesk::config::MessagingConfig { sender: String::new(), ..cfg };
    assert!(frontdesk::sms::provider_from_config(&no_sender).err().unwrap().contains("sender"));
}
