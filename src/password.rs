//! Teachers' passwords: hashed with Argon2id (RFC 9106, the OWASP
//! recommendation), each with its own random salt, in the PHC string
//! format (`$argon2id$v=19$m=19456,t=2,p=1$...`), so the parameters travel
//! with the hash and can be raised later.
//!
//! Hashing is deliberately slow (tens of milliseconds and 19 MiB each): the
//! server runs it on blocking threads, at most [`AT_ONCE`] at a time
//! ([`hash_off_thread`], [`check_off_thread`]), so a flood of sign-ins
//! queues instead of taking every core and a gigabyte of memory. Checking a
//! password for an address with no account hashes anyway
//! ([`check_nobody`]), so the time taken does not tell which e-mail
//! addresses have accounts.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hashes computed at once, server-wide.
pub const AT_ONCE: usize = 2;

/// The permits for [`AT_ONCE`].
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);

/// Runs `work` (a hash or a check) on a blocking thread once one of the
/// [`AT_ONCE`] permits is free.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _permit = HASHING.acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// [`hash`], on a blocking thread, in turn with other hashes.
pub async fn hash_off_thread(password: String) -> Option<String> {
    off_thread(move || hash(&password)).await
}

/// [`check`] (or, with no stored hash, [`check_nobody`]) on a blocking
/// thread, in turn with other hashes; false if it could not run.
pub async fn check_off_thread(stored: Option<String>, password: String) -> bool {
    off_thread(move || match stored {
        Some(stored) => check(&stored, &password),
        None => check_nobody(&password),
    })
    .await
    .unwrap_or(false)
}

/// The shortest password a teacher may choose.
pub const MIN_LENGTH: usize = 10;
/// The longest (hashing a megabyte would be a cheap way to load the server).
pub const MAX_LENGTH: usize = 256;

/// Why a password is not accepted.
pub fn problem(password: &str) -> Option<&'static str> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Some("the password needs at least 10 characters")
    } else if password.len() > MAX_LENGTH {
        Some("the password is too long (at most 256 bytes)")
    } else {
        None
    }
}

/// The hash to store for `password`.
pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random source failed");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2id with its default parameters hashes any password")
        .to_string()
}

/// Whether `password` matches the stored `hash` (a hash that cannot be
/// read matches nothing).
pub fn check(hash: &str, password: &str) -> bool {
    if password.len() > MAX_LENGTH {
        return false;
    }
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Takes as long as [`check`] for an address with no account (or no
/// password), and is always false.
pub fn check_nobody(password: &str) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("no account has this password"));
    let _ = check(dummy, password);
    false
}

#[cfg(test)]
mod tests {
    //! Hashes: salted, Argon2id, checked.
    use super::*;

    #[test]
    fn a_password_matches_its_own_hash_only() {
        let stored = hash("correct horse battery");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(check(&stored, "correct horse battery"));
        assert!(!check(&stored, "correct horse batterY"));
        assert!(!check("not a hash", "correct horse battery"));
        assert_ne!(
            stored,
            hash("correct horse battery"),
            "each has its own salt"
        );
        assert!(!check_nobody("correct horse battery"));
    }

    #[test]
    fn short_and_huge_passwords_are_refused_with_a_reason() {
        assert!(problem("short").unwrap().contains("10 characters"));
        assert!(problem(&"x".repeat(300)).unwrap().contains("too long"));
        assert_eq!(problem("Ünïcödé pässwörd"), None);
    }
}
