//! Credentials kept out of output, the CLI's log and dry run, the migration of a version 1
//! database, the outbox provider's CSV.

use super::*;

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
