//! The audit key: HMAC-SHA-256, and the `<db>.key` file beside the database.

use sha2::{Digest, Sha256};
use std::path::Path;
use std::path::PathBuf;

/// The secret the audit chain and the seal are keyed with (32 random bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct Key(pub(super) [u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A key from its 64 hex digits (the key file's content, surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Option<Key> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Key(out))
    }

    pub(super) fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A new random key from the operating system.
    fn generate() -> std::io::Result<Key> {
        use std::io::Read;
        let mut out = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut out)?;
        Ok(Key(out))
    }
}

/// Lower-case hex, without a `format!` per byte (an import hashes a row per record).
pub(super) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// HMAC-SHA-256 (RFC 2104) over sha2, checked against RFC 4231's test vectors below. Twenty
/// lines here instead of another crate.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// Where the key of the database at `db` lives: `<db>.key`, beside it.
pub fn key_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_os_string();
    p.push(".key");
    PathBuf::from(p)
}

/// The key of the database at `db`: `Ok(None)` when its file is missing, an error naming the
/// file when it cannot be read or is not a key.
pub fn load_key(db: &Path) -> std::result::Result<Option<Key>, String> {
    let path = key_path(db);
    match std::fs::read_to_string(&path) {
        Ok(text) => Key::from_hex(&text).map(Some).ok_or_else(|| {
            format!(
                "{}: not a frontdesk audit key (64 hex digits expected); put back the key saved with \
                 this database, or move this file away to have a new one made (recorded in the audit log)",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: cannot read the audit key ({e})", path.display())),
    }
}

/// The key of the database at `db`, made (owner-only) when it has none. Made under a temporary
/// name and linked into place, so two processes creating it at once end up with one key and
/// nobody reads a half-written file; an existing key is never replaced.
pub fn load_or_create_key(db: &Path) -> std::result::Result<Key, String> {
    if let Some(key) = load_key(db)? {
        return Ok(key);
    }
    let path = key_path(db);
    let fail = |e: std::io::Error| format!("{}: cannot create the audit key ({e})", path.display());
    let key = Key::generate().map_err(fail)?;
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.new-{}-{seq}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        writeln!(f, "{}", key.to_hex())?;
        f.sync_all()?;
        match std::fs::hard_link(&tmp, &path) {
            Ok(()) => Ok(()),
            // Another process made it first: theirs is read below.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(_) if std::fs::symlink_metadata(&path).is_err() => std::fs::rename(&tmp, &path),
            Err(e) => Err(e),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    written.map_err(fail)?;
    load_key(db)?.ok_or_else(|| format!("{}: the audit key vanished after it was made", path.display()))
}
