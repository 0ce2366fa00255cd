//! Text messages (issue 20): what is due, the outbox that never sends twice, SOLAPI against a
//! local HTTP server that checks the documented request and signature, two processes sending
//! at once, a crash between the request and the commit, the quiet hours on a fixed clock.

#[path = "messages/cli.rs"]
mod cli;
mod common;
#[path = "messages/planning.rs"]
mod planning;
#[path = "messages/sending.rs"]
mod sending;

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
