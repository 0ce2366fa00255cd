//! SOLAPI (solapi.com), as its public documentation describes it (repository
//! `solapi/documents`):
//!
//! - `api-reference/messages/sendMany.md`: `POST {api_url}/messages/v4/send-many` with the body
//!   `{"messages": [{"to": "01000000001", "from": "029302266", "text": "내용", "type": "SMS"}]}`
//!   ("단문문자(SMS) 발송" sample), `Content-Type: application/json`.
//! - `authentication/api-key.md`: the header
//!   `Authorization: HMAC-SHA256 apiKey=<API Key>, date=<Date Time>, salt=<Salt>, signature=<Signature>`,
//!   the date in ISO 8601, the salt 12-64 random bytes new for every request, the signature the
//!   HMAC (SHA-256 here) of `<Date Time>` + `<Salt>` with the API secret as key, in hex (the
//!   sample signature is 64 hex digits). A date more than 15 minutes off, or a signature used
//!   twice, is refused with 403.
//!
//! One text per request, so the HTTP status says what became of that one row.

use std::time::Duration;

use super::{Credentials, Provider, Text};
use crate::store::messages::Outcome;

pub const DEFAULT_URL: &str = "https://api.solapi.com";
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;

pub struct Solapi {
    agent: ureq::Agent,
    url: String,
    creds: Credentials,
    sender: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signature: HMAC-SHA256 over `date` + `salt`, keyed with the API secret, in hex.
pub fn signature(secret: &str, date: &str, salt: &str) -> String {
    hex(&crate::store::audit::hmac_sha256(secret.as_bytes(), format!("{date}{salt}").as_bytes()))
}

/// The `Authorization` header value.
pub fn authorization(key: &str, secret: &str, date: &str, salt: &str) -> String {
    format!("HMAC-SHA256 apiKey={key}, date={date}, salt={salt}, signature={}", signature(secret, date, salt))
}

/// 32 random hex digits (16 bytes from the operating system; the clock and a counter if it
/// cannot be read), new for every request.
fn salt() -> String {
    use std::io::Read;
    let mut b = [0u8; 16];
    if std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b)).is_err() {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default();
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        b[..8].copy_from_slice(&nanos.to_le_bytes());
        b[8..].copy_from_slice(&(n ^ std::process::id() as u64).to_le_bytes());
    }
    hex(&b)
}

/// The request body for one text (sendMany.md's sample, with `type`).
pub fn request_body(text: &Text, sender: &str) -> String {
    let from = if text.from.is_empty() { sender } else { text.from.as_str() };
    serde_json::json!({
        "messages": [{ "to": text.to, "from": from, "text": text.body, "type": text.msg_type.code() }]
    })
    .to_string()
}

impl Solapi {
    /// `timeout` bounds the whole exchange; connecting gets at most 5 seconds of it.
    pub fn new(url: &str, creds: Credentials, sender: &str, timeout: Duration) -> Solapi {
        Solapi {
            agent: super::http_agent(timeout),
            url: url.trim_end_matches('/').to_string(),
            creds,
            sender: sender.to_string(),
        }
    }

    /// Removes the secret from any text that leaves this module (a server echoing headers).
    fn scrub(&self, s: &str) -> String {
        self.creds.secret.scrub(s)
    }

    fn reason_of(&self, status: u16, body: &str) -> String {
        // SOLAPI's errors carry errorCode / errorMessage (api-key.md: InvalidAPIKey,
        // SignatureDoesNotMatch, RequestTimeTooSkewed, DuplicatedSignature with 403).
        let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
        let field =
            |k: &str| parsed.as_ref().and_then(|v| v.get(k)).and_then(|v| v.as_str()).map(str::to_string);
        let why = match (field("errorCode"), field("errorMessage")) {
            (Some(c), Some(m)) => format!("{c}: {m}"),
            (Some(c), None) => c,
            (None, Some(m)) => m,
            (None, None) => body.trim().to_string(),
        };
        self.scrub(&format!("HTTP {status} {why}"))
    }
}

impl Provider for Solapi {
    fn name(&self) -> &'static str {
        "solapi"
    }

    fn send(&mut self, text: &Text) -> Outcome {
        // The date the server checks against its clock: the real time, in UTC.
        let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let auth = authorization(&self.creds.key, self.creds.secret.expose(), &date, &salt());
        let url = format!("{}/messages/v4/send-many", self.url);
        let result = self
            .agent
            .post(&url)
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(request_body(text, &self.sender));
        match result {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let body = resp.body_mut().read_to_string().unwrap_or_default();
                match status {
                    200..=299 => {
                        let v: Option<serde_json::Value> = serde_json::from_str(&body).ok();
                        let id = v
                            .as_ref()
                            .and_then(|v| v.get("groupId").or_else(|| v.get("messageId")))
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                            .to_string();
                        Outcome::Sent(self.scrub(&id))
                    }
                    400..=499 => Outcome::Rejected(self.reason_of(status, &body)),
                    _ => Outcome::Retry(self.reason_of(status, &body)),
                }
            }
            Err(e) => super::classify(&e, |s| self.scrub(s)),
        }
    }
}
