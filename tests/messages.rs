//! Text messages (issue 20): what is due, the outbox that never sends twice, SOLAPI against a
//! local HTTP server that checks the documented request and signature, two processes sending
//! at once, a crash between the request and the commit, the quiet hours on a fixed clock.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDateTime;
use common::{at, fixed_now, open, open_at};
use frontdesk::desk::callbacks::generate_automatic;
use frontdesk::domain::messages::{MessageKind, SkipReason, Template};
use frontdesk::domain::{CallbackKind, Role};
use frontdesk::sms::solapi::{Solapi, signature};
use frontdesk::sms::{Credentials, Provider, Secret, send_due};
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::messages::{self as outbox, Outcome};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Store, settings};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");
const KEY: &str = "NCSTESTKEY000001";
const SECRET: &str = "s3cr3t-THAT-MUST-NEVER-SHOW-0123456789";

// ---------------------------------------------------------------------------------------
// A local stand-in for the provider.

use common::http::{Request, read_request};

#[derive(Clone, Copy)]
enum Reply {
    Status(u16),
    /// 200 after this many milliseconds (two senders then overlap).
    SlowOk(u64),
    /// Reads the request, then answers nothing for this long.
    Hang(u64),
    /// Reads the request, then closes the connection.
    Drop,
}

struct Server {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    /// Requests whose Authorization header did not check out.
    bad: Arc<Mutex<Vec<String>>>,
}

/// Checks the request against SOLAPI's documentation (sendMany.md, authentication/api-key.md).
fn check(r: &Request) -> Result<(), String> {
    if r.method != "POST" || r.path != "/messages/v4/send-many" {
        return Err(format!("{} {}", r.method, r.path));
    }
    if r.header("content-type") != Some("application/json") {
        return Err("content-type".into());
    }
    let auth = r.header("authorization").ok_or("no authorization")?;
    let rest = auth.strip_prefix("HMAC-SHA256 ").ok_or("not HMAC-SHA256")?;
    let mut fields = std::collections::HashMap::new();
    for part in rest.split(", ") {
        let (k, v) = part.split_once('=').ok_or("field")?;
        fields.insert(k.to_string(), v.to_string());
    }
    let names: Vec<&str> = rest.split(", ").map(|p| p.split('=').next().unwrap()).collect();
    if names != ["apiKey", "date", "salt", "signature"] {
        return Err(format!("fields {names:?}"));
    }
    if fields["apiKey"] != KEY {
        return Err("apiKey".into());
    }
    // ISO 8601 date and a 12-64 byte salt.
    chrono::DateTime::parse_from_rfc3339(&fields["date"]).map_err(|_| "date")?;
    if !(12..=64).contains(&fields["salt"].len()) {
        return Err("salt".into());
    }
    if fields["signature"] != signature(SECRET, &fields["date"], &fields["salt"]) {
        return Err("signature".into());
    }
    let v = r.json();
    let m = v["messages"].as_array().ok_or("messages")?;
    for m in m {
        for k in ["to", "from", "text", "type"] {
            if !m[k].is_string() {
                return Err(format!("message.{k}"));
            }
        }
    }
    Ok(())
}

fn serve(reply: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
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
                let Some(req) = read_request(&mut stream) else { return };
                if let Err(why) = check(&req) {
                    bads.lock().unwrap().push(why);
                }
                let n = {
                    let mut all = reqs.lock().unwrap();
                    all.push(req.clone());
                    all.len()
                };
                let reply = match reply(&req, n) {
                    Reply::SlowOk(ms) => {
                        std::thread::sleep(Duration::from_millis(ms));
                        Reply::Status(200)
                    }
                    other => other,
                };
                match reply {
                    Reply::SlowOk(_) => unreachable!(),
                    Reply::Status(code) => {
                        let body = match code {
                            200..=299 => {
                                format!(r#"{{"groupId":"G4V{n:05}","count":{{"registeredSuccess":1}}}}"#)
                            }
                            // An error that echoes the secret: it must not reach the desk.
                            400..=499 => format!(
                                r#"{{"errorCode":"ValidationError","errorMessage":"invalid to number (key {SECRET})"}}"#
                            ),
                            _ => r#"{"errorCode":"InternalError","errorMessage":"try later"}"#.to_string(),
                        };
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                    Reply::Hang(ms) => std::thread::sleep(Duration::from_millis(ms)),
                    Reply::Drop => {
                        let _ = stream.shutdown(std::net::Shutdown::Both);
                    }
                }
            });
        }
    });
    Server { url, requests, bad }
}

fn solapi(url: &str) -> Solapi {
    Solapi::new(
        url,
        Credentials { key: KEY.into(), secret: Secret::new(SECRET) },
        "0212345678",
        Duration::from_secs(1),
    )
}

// ---------------------------------------------------------------------------------------
// A small clinic: Monday 2026-11-23 09:20; Tuesday's appointments get reminders.

struct Clinic {
    store: Store,
    mobile: i64,
    landline: i64,
    opted_out: i64,
}

fn patient(store: &mut Store, name: &str, phone: &str) -> i64 {
    store
        .write(|tx| {
            insert_patient(
                tx,
                &NewPatient { name: name.into(), phone: phone.into(), ..NewPatient::default() },
            )
        })
        .unwrap()
}

fn book(store: &mut Store, patient_id: i64, start: NaiveDateTime, provider: Option<i64>) -> i64 {
    store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id,
                    start,
                    duration_min: 30,
                    provider_id: provider,
                    treatment_code: None,
                },
            )
        })
        .unwrap()
}

fn clinic(dir: &tempfile::TempDir) -> Clinic {
    let mut store = open(&dir.path().join("clinic.db"));
    let doc = store
        .write(|tx| {
            settings::set_setting(tx, "clinic_name", "바른한의원")?;
            settings::set_setting(tx, "clinic_phone", "02-123-4567")?;
            settings::set_setting(tx, "sms_opt_out_number", "080-123-4567")?;
            settings::add_staff(tx, "이원장", Role::Director)
        })
        .unwrap();
    let mobile = patient(&mut store, "김하나", "010-1111-2222");
    let landline = patient(&mut store, "박둘", "02-987-6543");
    let opted_out = patient(&mut store, "최셋", "010-3333-4444");
    store.write(|tx| outbox::set_texts_opted_out(tx, opted_out, true)).unwrap();
    book(&mut store, mobile, at(2026, 11, 24, 14, 30), Some(doc));
    book(&mut store, landline, at(2026, 11, 24, 10, 0), Some(doc));
    book(&mut store, opted_out, at(2026, 11, 24, 11, 0), Some(doc));
    generate_automatic(&mut store, fixed_now().date()).unwrap();
    Clinic { store, mobile, landline, opted_out }
}

fn status_of(store: &Store, patient_id: i64) -> Vec<String> {
    outbox::for_patient(store.conn(), patient_id).unwrap().into_iter().map(|r| r.status).collect()
}

// ---------------------------------------------------------------------------------------

#[test]
fn templates_are_seeded_in_korean_and_round_trip_through_setup() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let t = outbox::template(store.conn(), MessageKind::Reminder).unwrap();
    assert!(t.body.contains("{name}님") && !t.advertising, "{t:?}");

    let mut file = settings::read_setup(store.conn()).unwrap();
    let toml = file.to_toml();
    assert!(toml.contains("[[message_template]]") && toml.contains("kind = \"no_show\""), "{toml}");

    file.message_templates[3].body = "{name}님, 12월 추나 이벤트".into();
    file.message_templates[3].advertising = true;
    file.texts.opt_out_number = "080-123-4567".into();
    let today = fixed_now().date();
    store.write(|tx| settings::apply_setup(tx, &file, today)).unwrap();
    let t = outbox::template(store.conn(), MessageKind::Recall).unwrap();
    assert_eq!(
        t,
        Template {
            kind: MessageKind::Recall, body: "{name}님, 12월 추나 이벤트".into(), advertising: true
        }
    );
    assert_eq!(outbox::clinic_facts(store.conn()).unwrap().opt_out_number, "080-123-4567");

    // An unknown placeholder is refused with the entry and the placeholder named.
    let text = toml.replacen("{name}", "{nmae}", 1);
    let err = frontdesk::domain::setup::SetupFile::parse(&text).unwrap_err();
    assert!(err.contains("message_template") && err.contains("{nmae}"), "{err}");
}

#[test]
fn the_next_open_days_reminders_are_planned_with_reasons_for_the_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let c = clinic(&dir);
    let planned = outbox::plan_due(c.store.conn(), fixed_now()).unwrap();
    let reminders: Vec<_> = planned.iter().filter(|p| p.due.kind == MessageKind::Reminder).collect();
    assert_eq!(reminders.len(), 3, "{planned:#?}");
    let mine = reminders.iter().find(|p| p.due.patient_id == Some(c.mobile)).unwrap();
    assert_eq!(mine.to.as_deref(), Ok("01011112222"));
    assert_eq!(mine.text, "[바른한의원] 김하나님, 11월 24일(화) 14:30 예약 안내드립니다. 변경은 02-123-4567");
    assert_eq!(mine.length.bytes, 80);
    assert!(mine.due.callback_id.is_some(), "linked to the reminder callback");
    let landline = reminders.iter().find(|p| p.due.patient_id == Some(c.landline)).unwrap();
    assert_eq!(landline.to, Err(SkipReason::NotMobile));
    let opted = reminders.iter().find(|p| p.due.patient_id == Some(c.opted_out)).unwrap();
    assert_eq!(opted.to, Err(SkipReason::OptedOut));

    // Saturday's appointments are reminded on Friday; Sunday closed: Monday's on Saturday.
    let sat = at(2026, 11, 28, 9, 0);
    assert_eq!(outbox::next_open_day(c.store.conn(), sat.date()).unwrap(), at(2026, 11, 30, 0, 0).date());
}

#[test]
fn a_sent_text_is_audited_logged_on_its_callback_and_never_queued_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = clinic(&dir);
    let server = serve(|_, _| Reply::Status(200));
    let mut p = solapi(&server.url);
    let report = send_due(&mut c.store, Some(&mut p), false).unwrap();
    assert_eq!((report.queued, report.sent, report.skipped.len()), (1, 1, 2));
    assert!(server.bad.lock().unwrap().is_empty(), "{:?}", server.bad.lock().unwrap());
    let reqs = server.requests.lock().unwrap().clone();
    assert_eq!(reqs.len(), 1);
    let m = &reqs[0].json()["messages"][0];
    assert_eq!(m["to"], "01011112222");
    assert_eq!(m["from"], "0212345678");
    assert_eq!(m["type"], "SMS");
    assert!(m["text"].as_str().unwrap().starts_with("[바른한의원] 김하나님"));

    assert_eq!(status_of(&c.store, c.mobile), ["sent"]);
    // The audit row: who, which patient, which template.
    let (actor, detail): (String, String) = c
        .store
        .conn()
        .query_row(
            "SELECT os_user, detail FROM audit_log WHERE action = 'send' AND entity = 'message' AND patient_id = ?1",
            [c.mobile],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((actor.as_str(), detail.as_str()), ("desk1", "template reminder"));
    // A contact on the reminder callback, which stays open for the call.
    let (channel, open): (String, String) = c
        .store
        .conn()
        .query_row(
            "SELECT x.channel, c.status FROM callback_contacts x JOIN callbacks c ON c.id = x.callback_id
             WHERE c.patient_id = ?1 AND c.kind = 'reminder'",
            [c.mobile],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((channel.as_str(), open.as_str()), ("sms", "open"));

    // Running again sends nothing.
    let again = send_due(&mut c.store, Some(&mut p), false).unwrap();
    assert_eq!((again.queued, again.sent), (0, 0));
    assert_eq!(server.requests.lock().unwrap().len(), 1);
}

#[test]
fn a_4xx_fails_with_the_reason_and_never_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = clinic(&dir);
    let server = serve(|_, _| Reply::Status(400));
    let mut p = solapi(&server.url);
    let report = send_due(&mut c.store, Some(&mut p), false).unwrap();
    assert_eq!(report.failed, 1);
    let row = &outbox::for_patient(c.store.conn(), c.mobile).unwrap()[0];
    assert_eq!(row.status, "failed");
    assert!(row.reason.contains("400") && row.reason.contains("ValidationError"), "{}", row.reason);
    assert!(!row.reason.contains(SECRET), "{}", row.reason);
    // Nowhere in the database either.
    let dump: String = c
        .store
        .conn()
        .query_row("SELECT group_concat(detail, ' ') FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert!(!dump.contains(SECRET));
    let again = send_due(&mut c.store, Some(&mut p), false).unwrap();
    assert_eq!(again.sent + again.failed, 0, "a failed text is not retried");
}

#[test]
fn a_5xx_or_a_refused_connection_leaves_the_text_queued_for_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = clinic(&dir);
    let server = serve(|_, n| if n == 1 { Reply::Status(503) } else { Reply::Status(200) });
    let mut p = solapi(&server.url);
    let report = send_due(&mut c.store, Some(&mut p), false).unwrap();
    assert!(report.retry.as_deref().unwrap_or("").contains("503"), "{report:?}");
    assert_eq!(status_of(&c.store, c.mobile), ["queued"]);
    let report = send_due(&mut c.store, Some(&mut p), false).unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(status_of(&c.store, c.mobile), ["sent"]);

    // Nobody listening: queued again.
    let dir = tempfile::tempdir().unwrap();
    let mut c = clinic(&dir);
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut p = solapi(&url);
    let report = send_due(&mut c.store, Some(&mut p), false).unwrap();
    assert!(report.retry.is_some(), "{report:?}");
    assert_eq!(status_of(&c.store, c.mobile), ["queued"]);
}

#[test]
fn a_timeout_or_a_dropped_connection_after_the_request_is_unknown_and_not_retried() {
    for reply in [Reply::Hang(3000), Reply::Drop] {
        let dir = tempfile::tempdir().unwrap();
        let mut c = clinic(&dir);
        let server = serve(move |_, _| reply);
        let mut p = solapi(&server.url);
        let report = send_due(&mut c.store, Some(&mut p), false).unwrap();
        assert_eq!(report.unknown, 1, "{report:?}");
        assert_eq!(status_of(&c.store, c.mobile), ["unknown"]);
        let again = send_due(&mut c.store, Some(&mut p), false).unwrap();
        assert_eq!(again.sent + again.unknown, 0);
        assert_eq!(server.requests.lock().unwrap().len(), 1, "never sent twice");
    }
}

#[test]
fn a_crash_between_the_request_and_the_commit_ends_as_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut c = clinic(&dir);
    outbox::queue_due(&mut c.store).unwrap();
    // The sender claims the row and dies before it records the answer.
    let claimed = outbox::claim_next(&mut c.store, "dead-sender", "solapi").unwrap().unwrap();
    drop(c);
    let server = serve(|_, _| Reply::Status(200));
    let mut p = solapi(&server.url);
    // A minute later the claim may still be alive: left alone, not sent again.
    let mut store = open_at(&path, at(2026, 11, 23, 9, 21));
    let report = send_due(&mut store, Some(&mut p), false).unwrap();
    assert_eq!((report.sent, report.unknown), (0, 0));
    // Later: unknown, shown, never sent.
    let mut store = open_at(&path, at(2026, 11, 23, 9, 40));
    let report = send_due(&mut store, Some(&mut p), false).unwrap();
    assert_eq!((report.sent, report.unknown), (0, 1));
    let row = outbox::list(store.conn(), fixed_now().date(), fixed_now().date()).unwrap();
    assert_eq!(row.len(), 1);
    assert_eq!((row[0].id, row[0].status.as_str()), (claimed.id, "unknown"));
    assert!(server.requests.lock().unwrap().is_empty());
    // The dead sender's late answer cannot be recorded under another claim.
    assert!(outbox::finish(&mut store, claimed.id, "someone-else", &Outcome::Sent("x".into())).is_err());
}

#[test]
fn two_processes_sending_at_once_send_each_text_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = clinic(&dir);
    // Twenty more patients with appointments tomorrow.
    for i in 0..20 {
        let id = patient(&mut c.store, &format!("환자{i:02}"), &format!("010-5555-{i:04}"));
        book(&mut c.store, id, at(2026, 11, 24, 9, 0) + chrono::Duration::minutes(10 * i), None);
    }
    drop(c);
    let server = serve(|_, _| Reply::SlowOk(40));
    let cfg = dir.path().join("frontdesk");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        format!(
            "[messaging]\nprovider = \"solapi\"\napi_url = \"{}\"\nsender = \"02-1234-5678\"\n",
            server.url
        ),
    )
    .unwrap();
    let spawn = || {
        std::process::Command::new(BIN)
            .args([
                "--db",
                dir.path().join("clinic.db").to_str().unwrap(),
                "--lang",
                "en",
                "messages",
                "send",
            ])
            .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
            .env("XDG_CONFIG_HOME", dir.path())
            .env("HOME", dir.path())
            .env("FRONTDESK_SMS_KEY", KEY)
            .env("FRONTDESK_SMS_SECRET", SECRET)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let mut sent_by_both = 0;
    for o in [&a, &b] {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        assert!(!out.contains(SECRET));
        let n: usize = out.split("sent ").nth(1).and_then(|t| t.split(',').next()).unwrap().parse().unwrap();
        sent_by_both += n;
    }
    // Between them (each reports what it sent), every text once.
    assert_eq!(sent_by_both, 21);
    let reqs = server.requests.lock().unwrap().clone();
    let mut to: Vec<String> =
        reqs.iter().map(|r| r.json()["messages"][0]["to"].as_str().unwrap().to_string()).collect();
    to.sort();
    let n = to.len();
    to.dedup();
    assert_eq!((n, to.len()), (21, 21), "each of the 21 mobile numbers exactly once");
    assert!(server.bad.lock().unwrap().is_empty());
}

#[test]
fn advertising_waits_for_the_morning_on_the_stores_clock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut c = clinic(&dir);
    let consented = patient(&mut c.store, "정넷", "010-7777-8888");
    let today = fixed_now().date();
    c.store
        .write(|tx| {
            outbox::set_template(
                tx,
                &Template {
                    kind: MessageKind::Recall,
                    body: "{name}님, 12월 추나 패키지 안내".into(),
                    advertising: true,
                },
            )?;
            outbox::set_marketing_consent(tx, consented, Some(today))?;
            open_callback(tx, &NewCallback::new(consented, CallbackKind::Recall, today))?;
            open_callback(tx, &NewCallback::new(c.mobile, CallbackKind::Recall, today))
        })
        .unwrap();
    drop(c);
    let server = serve(|_, _| Reply::Status(200));
    let mut p = solapi(&server.url);

    // 22:00 by the store's clock: the advertising texts wait.
    let mut night = open_at(&path, at(2026, 11, 23, 22, 0));
    let report = send_due(&mut night, Some(&mut p), false).unwrap();
    let why: Vec<_> =
        report.skipped.iter().filter(|s| s.due.kind == MessageKind::Recall).map(|s| s.to.clone()).collect();
    assert!(why.contains(&Err(SkipReason::QuietHours)), "{why:?}");
    assert!(server.requests.lock().unwrap().iter().all(|r| !r.body.contains("(광고)")));
    drop(night);

    // The next morning at 08:00 (the recall moved to that day): sent with the marks, only to
    // the patient who consented.
    let mut morning = open_at(&path, at(2026, 11, 24, 8, 0));
    morning.conn().execute("UPDATE callbacks SET due_on = '2026-11-24' WHERE kind = 'recall'", []).unwrap();
    let report = send_due(&mut morning, Some(&mut p), false).unwrap();
    let ads: Vec<String> = server
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.json()["messages"][0]["text"].as_str().unwrap().to_string())
        .filter(|t| t.contains("(광고)"))
        .collect();
    assert_eq!(ads, ["(광고)바른한의원 정넷님, 12월 추나 패키지 안내\n무료수신거부 080-123-4567"]);
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.due.patient_id == Some(c_mobile(&morning))
                && s.to == Err(SkipReason::NoMarketingConsent)),
        "{:?}",
        report.skipped
    );
}

fn c_mobile(store: &Store) -> i64 {
    store.conn().query_row("SELECT id FROM patients WHERE name = '김하나'", [], |r| r.get(0)).unwrap()
}

#[test]
fn credentials_never_show_in_errors_or_debug_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sms.toml");
    std::fs::write(&file, format!("key = \"{KEY}\"\nsecret = \"{SECRET}\"\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = frontdesk::sms::read_credentials_file(&file).unwrap_err();
        assert!(err.contains("chmod 600") && !err.contains(SECRET), "{err}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let creds = frontdesk::sms::read_credentials_file(&file).unwrap();
    assert_eq!(creds.key, KEY);
    assert!(!format!("{creds:?}").contains(SECRET));
    // A malformed file: the error names the file, not its content.
    std::fs::write(&file, format!("secret = \"{SECRET}\"\n")).unwrap();
    let err = frontdesk::sms::read_credentials_file(&file).unwrap_err();
    assert!(!err.contains(SECRET), "{err}");
    // A provider error never carries it either (the server echoes it in its 4xx body).
    let server = serve(|_, _| Reply::Status(401));
    let mut p = solapi(&server.url);
    let text = frontdesk::sms::Text {
        to: "01011112222".into(),
        from: String::new(),
        body: "x".into(),
        msg_type: frontdesk::domain::messages::MessageType::Sms,
    };
    match p.send(&text) {
        Outcome::Rejected(why) => assert!(!why.contains(SECRET) && why.contains("***"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_cli_lists_the_log_masked_on_request_and_dry_run_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let mut c = clinic(&dir);
    let server = serve(|_, _| Reply::Status(200));
    let mut p = solapi(&server.url);
    send_due(&mut c.store, Some(&mut p), false).unwrap();
    // Another appointment for tomorrow: due, not sent by a dry run.
    let id = patient(&mut c.store, "윤다섯", "010-9999-0000");
    book(&mut c.store, id, at(2026, 11, 24, 16, 0), None);
    drop(c);
    let run = |args: &[&str]| {
        let o = std::process::Command::new(BIN)
            .args(["--db", db.to_str().unwrap(), "--lang", "en"])
            .args(args)
            .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
            .env("XDG_CONFIG_HOME", dir.path())
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let out = run(&["messages", "list"]);
    assert!(out.contains("sent") && out.contains("김하나 010-1111-2222") && out.contains("80B"), "{out}");
    let masked = run(&["messages", "list", "--mask"]);
    assert!(!masked.contains("김하나") && !masked.contains("1111-2222"), "{masked}");
    let dry = run(&["messages", "send", "--dry-run"]);
    assert!(dry.contains("윤다섯") && dry.contains("SMS") && dry.contains("nothing was sent"), "{dry}");
    assert!(dry.contains("not a mobile number"), "{dry}");
    assert_eq!(server.requests.lock().unwrap().len(), 1);
    // Without [messaging], send refuses and says what to set.
    let o = std::process::Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "--lang", "en", "messages", "send"])
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .env("XDG_CONFIG_HOME", dir.path())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("[messaging]"));
}

#[test]
fn a_version_1_database_is_migrated_with_the_outbox_consent_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let c = clinic(&dir);
    let id = c.mobile;
    drop(c);
    // What a file made before texts looks like.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE payments; DROP TABLE messages; DROP TABLE message_templates;
             ALTER TABLE patients DROP COLUMN texts_opted_out_at;
             ALTER TABLE patients DROP COLUMN marketing_consent_on;
             ALTER TABLE treatments DROP COLUMN hourly_cap;
             ALTER TABLE appointment_status_changes DROP COLUMN reason;
             ALTER TABLE appointment_status_changes DROP COLUMN note;
             DROP TRIGGER appointments_use_package_session;
             DROP TRIGGER appointments_inserted_done_use_package_session;
             DROP TRIGGER appointments_give_package_session_back;
             DROP TABLE package_sessions; DROP TABLE payment_days; DROP TABLE sticker_dismissals;
             DROP TABLE packages;
             CREATE TABLE packages (
                 id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL REFERENCES patients(id),
                 treatment_code TEXT NOT NULL REFERENCES treatments(code),
                 sessions INTEGER NOT NULL CHECK (sessions > 0),
                 price_krw INTEGER NOT NULL DEFAULT 0 CHECK (price_krw >= 0), purchased_on TEXT NOT NULL);
             CREATE INDEX packages_by_patient ON packages(patient_id, purchased_on);
             ALTER TABLE key_results DROP COLUMN filter_treatment;
             ALTER TABLE key_results DROP COLUMN filter_provider;
             ALTER TABLE key_results DROP COLUMN filter_category;
             ALTER TABLE key_results DROP COLUMN filter_source;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = open(&path);
    assert_eq!(store.schema_version().unwrap(), frontdesk::store::SCHEMA_VERSION);
    const { assert!(frontdesk::store::SCHEMA_VERSION >= 2) };
    let n: i64 = store.conn().query_row("SELECT count(*) FROM message_templates", [], |r| r.get(0)).unwrap();
    assert_eq!(n, MessageKind::ALL.len() as i64);
    // The patient kept, with no opt-out recorded.
    assert!(!outbox::consent(store.conn(), id).unwrap().texts_opted_out);
    assert!(
        outbox::plan_due(store.conn(), fixed_now()).unwrap().iter().any(|p| p.due.patient_id == Some(id))
    );
}

#[test]
fn the_outbox_provider_writes_a_csv_for_a_web_upload_once_per_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = clinic(&dir);
    let csv = dir.path().join("outbox.csv");
    let cfg = frontdesk::config::MessagingConfig {
        provider: "outbox".into(),
        sender: "02-1234-5678".into(),
        outbox_file: Some(csv.clone()),
        ..Default::default()
    };
    let mut p = frontdesk::sms::provider_from_config(&cfg).unwrap();
    let report = send_due(&mut c.store, Some(p.as_mut()), false).unwrap();
    assert_eq!(report.sent, 1);
    send_due(&mut c.store, Some(p.as_mut()), false).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), ["to", "from", "text", "type"]);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert_eq!(&rows[0][0], "01011112222");
    assert_eq!(&rows[0][1], "0212345678");
    assert!(rows[0][2].starts_with("[바른한의원] 김하나님"));
    assert_eq!(&rows[0][3], "SMS");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // A provider that is not known, or SOLAPI without a sender, is refused with what to set.
    let bad = frontdesk::config::MessagingConfig { provider: "smsco".into(), ..Default::default() };
    assert!(frontdesk::sms::provider_from_config(&bad).err().unwrap().contains("solapi, nhncloud or outbox"));
    let no_sender = frontdesk::config::MessagingConfig { provider: "solapi".into(), ..Default::default() };
    assert!(frontdesk::sms::provider_from_config(&no_sender).err().unwrap().contains("sender"));
    // Texts never travel in clear over the network: http:// only to this machine.
    assert!(frontdesk::sms::check_url("https://api.solapi.com").is_ok());
    assert!(frontdesk::sms::check_url("http://127.0.0.1:8080").is_ok());
    assert!(frontdesk::sms::check_url("http://api.solapi.com").unwrap_err().contains("https://"));
}
