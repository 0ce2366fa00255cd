//! Sending through SOLAPI against the local server: sent texts audited once, 4xx and 5xx,
//! timeouts and dropped connections, a crash before the commit, two processes at once.

use super::*;

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
