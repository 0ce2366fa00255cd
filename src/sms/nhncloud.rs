//! NHN Cloud Notification SMS, as its public documentation describes it (repository
//! `TOAST-DOCS/SMS`, `ko/api-guide.md`, "API v3.0 Guide"):
//!
//! - domain `https://sms.api.nhncloudservice.com`;
//! - a short text: `POST /sms/v3.0/appKeys/{appKey}/sender/sms` with
//!   `{"body": "본문", "sendNo": "15446859", "recipientList": [{"recipientNo": "01000000000"}]}`;
//! - a long text (LMS, no attachment): `POST /sms/v3.0/appKeys/{appKey}/sender/mms` with a
//!   required `title` (standard 40 bytes, at most 120 characters) besides the same fields;
//! - `Content-Type: application/json;charset=UTF-8` and the header `X-Secret-Key: {secret}`;
//! - the answer `{"header": {"isSuccessful", "resultCode", "resultMessage"}, "body": {"data":
//!   {"requestId", "statusCode", "sendResultList": [{"recipientNo", "resultCode",
//!   "resultMessage", "recipientSeq"}]}}}`.
//!
//! The app key is the credentials' `key`, the secret key their `secret`. One text per request,
//! so the answer says what became of that one row: a refusal in the header or in the
//! recipient's result fails it with the provider's message; a 5xx leaves it queued.

use std::time::Duration;

use super::{Credentials, Provider, Text};
use crate::domain::messages::{MessageType, measure};
use crate::store::messages::Outcome;

pub const DEFAULT_URL: &str = "https://sms.api.nhncloudservice.com";

/// The LMS title's standard length, in EUC-KR bytes (the documentation's "MMS 제목 40바이트").
pub const TITLE_BYTES: usize = 40;

pub struct NhnCloud {
    agent: ureq::Agent,
    url: String,
    creds: Credentials,
    sender: String,
}

/// The LMS title: the text's first line, cut to [`TITLE_BYTES`].
pub fn title_of(body: &str) -> String {
    let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let mut out = String::new();
    for c in first.chars() {
        let mut next = out.clone();
        next.push(c);
        if measure(&next).bytes > TITLE_BYTES {
            break;
        }
        out = next;
    }
    out
}

/// The request path and body for one text.
pub fn request(text: &Text, app_key: &str, sender: &str) -> (String, String) {
    let from = if text.from.is_empty() { sender } else { text.from.as_str() };
    let recipients = serde_json::json!([{ "recipientNo": text.to }]);
    match text.msg_type {
        MessageType::Sms => (
            format!("/sms/v3.0/appKeys/{app_key}/sender/sms"),
            serde_json::json!({ "body": text.body, "sendNo": from, "recipientList": recipients }).to_string(),
        ),
        _ => (
            format!("/sms/v3.0/appKeys/{app_key}/sender/mms"),
            serde_json::json!({
                "title": title_of(&text.body),
                "body": text.body,
                "sendNo": from,
                "recipientList": recipients,
            })
            .to_string(),
        ),
    }
}

impl NhnCloud {
    /// `timeout` bounds the whole exchange; connecting gets at most 5 seconds of it.
    pub fn new(url: &str, creds: Credentials, sender: &str, timeout: Duration) -> NhnCloud {
        NhnCloud {
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

    /// What a 2xx answer says: sent (with the request id), or refused in the header or in
    /// the one recipient's result.
    fn outcome_of(&self, body: &str) -> Outcome {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(body) else {
            // The provider took the request but its answer cannot be read: nobody knows.
            return Outcome::Unknown(self.scrub(&format!("unreadable answer: {}", body.trim())));
        };
        let header = &v["header"];
        let code = header["resultCode"].as_i64().unwrap_or(0);
        let message = header["resultMessage"].as_str().unwrap_or("");
        if header["isSuccessful"].as_bool() != Some(true) {
            return Outcome::Rejected(self.scrub(&format!("NHN Cloud {code}: {message}")));
        }
        let data = &v["body"]["data"];
        if let Some(r) = data["sendResultList"].as_array().and_then(|l| l.first()) {
            let rc = r["resultCode"].as_i64().unwrap_or(0);
            if rc != 0 {
                let m = r["resultMessage"].as_str().unwrap_or("");
                return Outcome::Rejected(self.scrub(&format!("NHN Cloud {rc}: {m}")));
            }
        }
        Outcome::Sent(self.scrub(data["requestId"].as_str().unwrap_or("")))
    }
}

impl Provider for NhnCloud {
    fn name(&self) -> &'static str {
        "nhncloud"
    }

    fn send(&mut self, text: &Text) -> Outcome {
        let (path, body) = request(text, &self.creds.key, &self.sender);
        let result = self
            .agent
            .post(&format!("{}{path}", self.url))
            .header("X-Secret-Key", self.creds.secret.expose())
            .header("Content-Type", "application/json;charset=UTF-8")
            .send(body);
        match result {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let body = resp.body_mut().read_to_string().unwrap_or_default();
                match status {
                    200..=299 => self.outcome_of(&body),
                    400..=499 => Outcome::Rejected(self.scrub(&format!("HTTP {status} {}", reason(&body)))),
                    _ => Outcome::Retry(self.scrub(&format!("HTTP {status} {}", reason(&body)))),
                }
            }
            Err(e) => super::classify(&e, |s| self.scrub(s)),
        }
    }
}

/// The header's message of an error answer, else the body.
fn reason(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            let h = &v["header"];
            h["resultMessage"].as_str().map(|m| format!("{}: {m}", h["resultCode"].as_i64().unwrap_or(0)))
        })
        .unwrap_or_else(|| body.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lms_title_is_the_first_line_cut_to_40_bytes() {
        assert_eq!(title_of("[한의원] 안내\n둘째 줄"), "[한의원] 안내");
        let long = "가".repeat(30);
        assert_eq!(title_of(&long), "가".repeat(20));
    }
}
