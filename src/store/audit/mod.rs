//! The audit log: who did what, when, to which patient, chained by HMAC-SHA-256 so that a row
//! edited or deleted outside the app breaks the chain and `frontdesk check` says where.
//!
//! The chain and the tamper seal are keyed with a secret kept outside the database, in
//! `<db>.key` beside it (owner-only, made with the database): a copy of the database alone
//! cannot be re-sealed, and a script that rewrites the chain without the key is found.
//! An outside change found when frontdesk opens the file is recorded as an audit row of its
//! own (`outside_change`), never sealed over silently, and `check` reports it until an admin
//! acknowledges it (`frontdesk check --acknowledge`, itself an audit row).

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;

mod key;
pub use key::*;
mod rows;
pub use rows::*;
mod seal;
pub use seal::*;

/// Who is at the keyboard: the OS user, the staff name they chose, the SSH client address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub os_user: String,
    pub staff: String,
    pub ssh_client: String,
}

impl Actor {
    /// The actor of this process, from the environment.
    pub fn from_env() -> Actor {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .or_else(|_| std::env::var("USERNAME"))
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(os_user_from_id)
            .unwrap_or_else(|| "unknown".into());
        // SSH_CLIENT is "address port localport"; keep the address only.
        let ssh_client = std::env::var("SSH_CLIENT")
            .ok()
            .and_then(|s| s.split_whitespace().next().map(str::to_owned))
            .unwrap_or_default();
        let staff = std::env::var("FRONTDESK_STAFF").unwrap_or_default();
        Actor { os_user, staff, ssh_client }
    }

    pub fn named(os_user: &str) -> Actor {
        Actor { os_user: os_user.into(), ..Actor::default() }
    }
}

/// The login name when the environment does not say (containers, cron).
fn os_user_from_id() -> Option<String> {
    let out = std::process::Command::new("id").arg("-un").output().ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// One audit row to append.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub detail: String,
}

impl Entry {
    pub fn new(action: &str, entity: &str) -> Entry {
        Entry { action: action.into(), entity: entity.into(), ..Entry::default() }
    }
    pub fn id(mut self, id: i64) -> Entry {
        self.entity_id = Some(id);
        self
    }
    pub fn patient(mut self, id: i64) -> Entry {
        self.patient_id = Some(id);
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = detail.into();
        self
    }
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[allow(clippy::too_many_arguments)]
fn row_hash(
    key: &Key,
    prev: &str,
    at: &str,
    os_user: &str,
    staff: &str,
    ssh_client: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    patient_id: Option<i64>,
    detail: &str,
) -> String {
    let mut m = Vec::new();
    // Unit separators keep field boundaries unambiguous.
    for part in [prev, at, os_user, staff, ssh_client, action, entity] {
        m.extend_from_slice(part.as_bytes());
        m.push(0x1f);
    }
    m.extend_from_slice(entity_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    m.push(0x1f);
    m.extend_from_slice(patient_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    m.push(0x1f);
    m.extend_from_slice(detail.as_bytes());
    hex(&hmac_sha256(&key.0, &m))
}

/// Appends a row; must be called inside a write transaction so the chain cannot fork.
pub fn append(conn: &Connection, key: &Key, actor: &Actor, at: &str, entry: &Entry) -> Result<()> {
    // Cached statements: an import appends one row per record while it holds the write lock.
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let hash = row_hash(
        key,
        &prev,
        at,
        &actor.os_user,
        &actor.staff,
        &actor.ssh_client,
        &entry.action,
        &entry.entity,
        entry.entity_id,
        entry.patient_id,
        &entry.detail,
    );
    conn.prepare_cached(
        "INSERT INTO audit_log (at, os_user, staff, ssh_client, action, entity, entity_id, patient_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
            at,
            actor.os_user,
            actor.staff,
            actor.ssh_client,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.patient_id,
            entry.detail,
            prev,
            hash
        ],
    )?;
    Ok(())
}

/// The action of the row recorded when a database's key was missing and a new one was made:
/// rows before it were keyed with a key that is gone and cannot be verified.
pub const NEW_KEY: &str = "new_key";
/// The action of the row recorded when frontdesk opened the file and found it changed outside.
pub const OUTSIDE_CHANGE: &str = "outside_change";
/// The action of the row an admin writes to say the recorded findings were looked into.
pub const ACKNOWLEDGE: &str = "acknowledge";

/// What walking the audit chain found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChainReport {
    pub rows: i64,
    /// The first row that does not match (edited, deleted before it, or rewritten without the key).
    pub broken_at: Option<i64>,
    /// The row where the current key starts (a [`NEW_KEY`] row): rows before it cannot be verified.
    pub key_starts_at: Option<i64>,
}

/// Walks the chain. Returns the id of the first row that does not match, if any.
pub fn verify_chain(conn: &Connection, key: &Key) -> Result<Option<i64>> {
    Ok(walk_chain(conn, key)?.broken_at)
}

/// Walks the chain with `key`. Rows before the newest [`NEW_KEY`] row are only checked for their
/// links (their key is gone); from it on every row's HMAC must match.
pub fn walk_chain(conn: &Connection, key: &Key) -> Result<ChainReport> {
    let key_starts_at: Option<i64> = conn.query_row(
        "SELECT max(id) FROM audit_log WHERE action = ?1 AND entity = 'audit_key'",
        [NEW_KEY],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(
        "SELECT id, at, os_user, staff, ssh_client, action, entity, entity_id, patient_id, detail, prev_hash, hash
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut report = ChainReport { key_starts_at, ..ChainReport::default() };
    while let Some(r) = rows.next()? {
        report.rows += 1;
        if report.broken_at.is_some() {
            continue;
        }
        let id: i64 = r.get(0)?;
        let stored_prev: String = r.get(10)?;
        let stored_hash: String = r.get(11)?;
        let keyed = key_starts_at.is_none_or(|from| id >= from);
        let matches = stored_prev == prev
            && (!keyed
                || stored_hash
                    == row_hash(
                        key,
                        &prev,
                        &r.get::<_, String>(1)?,
                        &r.get::<_, String>(2)?,
                        &r.get::<_, String>(3)?,
                        &r.get::<_, String>(4)?,
                        &r.get::<_, String>(5)?,
                        &r.get::<_, String>(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        &r.get::<_, String>(9)?,
                    ));
        if !matches {
            report.broken_at = Some(id);
        }
        prev = stored_hash;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (5 is a truncated output).
    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 6] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (vec![0xaa; 20], vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (
                unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                vec![0xcd; 50],
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                vec![0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (key, data, want) in cases {
            assert_eq!(hex(&hmac_sha256(&key, &data)), want);
        }
    }

    #[test]
    fn a_key_reads_back_from_its_hex_and_rejects_anything_else() {
        let k = Key([7u8; 32]);
        assert_eq!(Key::from_hex(&format!("{}\n", k.to_hex())), Some(k));
        assert_eq!(Key::from_hex("abc"), None);
        assert_eq!(Key::from_hex(&"zz".repeat(32)), None);
        assert_eq!(format!("{:?}", Key([1u8; 32])), "Key(..)", "Debug never shows the secret");
    }
}
