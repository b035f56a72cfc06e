//! Random room codes and secret tokens.
//!
//! Tokens are 128 bits from the operating system's random source, written as
//! hex: unguessable, and safe in URLs and local storage. Room codes are short
//! and easy to read aloud; they are not secret (anyone in the classroom sees
//! them), so the host key, not the code, guards the host's controls.

use std::fmt;

/// Letters a room code is made of: no I or O, which read as 1 and 0.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Letters in a room code: 24^5 is nearly 8 million codes.
pub const CODE_LENGTH: usize = 5;

/// A secret that grants a role: the host key, or a player's seat token.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Token(String);

impl Token {
    /// A fresh random token.
    pub fn generate() -> Token {
        let mut bytes = [0u8; 16];
        fill(&mut bytes);
        Token(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// A token read back from the database.
    pub fn from_saved(text: String) -> Token {
        Token(text)
    }

    /// The token as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares with a token a client presented, in time that does not depend
    /// on where they first differ, so the comparison leaks nothing.
    pub fn matches(&self, presented: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), presented.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print a secret into a log.
        f.write_str("Token(..)")
    }
}

/// The SHA-256 digest of a secret, as hex: what the database keeps of a
/// session id or a host key that opened a room, so that reading the
/// database does not hand out sessions.
pub fn digest(secret: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh random room code such as `KXQTR`.
pub fn room_code() -> String {
    let mut out = String::with_capacity(CODE_LENGTH);
    while out.len() < CODE_LENGTH {
        let mut byte = [0u8; 1];
        fill(&mut byte);
        // Reject bytes past the largest multiple of the alphabet size so
        // every letter is equally likely.
        let limit = 256 - 256 % CODE_ALPHABET.len();
        if (byte[0] as usize) < limit {
            out.push(CODE_ALPHABET[byte[0] as usize % CODE_ALPHABET.len()] as char);
        }
    }
    out
}

/// A random number, for draws the game makes (saved with the command, so a
/// replay draws the same).
pub fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    fill(&mut bytes);
    u64::from_le_bytes(bytes)
}

/// Normalises a code a person typed: trimmed and upper-cased.
pub fn normalise_code(typed: &str) -> String {
    typed.trim().to_ascii_uppercase()
}

fn fill(bytes: &mut [u8]) {
    // The OS random source failing means the machine is unusable for
    // anything secret; refusing to continue is the only safe choice.
    getrandom::fill(bytes).expect("the operating system's random source failed");
}

#[cfg(test)]
mod tests {
    //! Codes and tokens.
    use super::*;

    #[test]
    fn tokens_are_32_hex_digits_and_differ() {
        let (a, b) = (Token::generate(), Token::generate());
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn a_token_matches_only_itself() {
        let token = Token::generate();
        assert!(token.matches(token.as_str()));
        assert!(!token.matches(""));
        assert!(!token.matches(Token::generate().as_str()));
    }

    #[test]
    fn room_codes_use_only_unambiguous_capitals() {
        for _ in 0..100 {
            let code = room_code();
            assert_eq!(code.len(), CODE_LENGTH);
            assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        }
    }
}
