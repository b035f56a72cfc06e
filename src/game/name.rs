//! Player names: the only way a name gets into a game is [`PlayerName::parse`].

use std::fmt;

use unicode_segmentation::UnicodeSegmentation;

use super::text::{self, TextError};

/// Longest name, counted in characters a person sees (grapheme clusters), so
/// that an emoji flag or an accented letter counts as one.
pub const MAX_NAME_GRAPHEMES: usize = 32;
/// Longest name in bytes, whatever it looks like.
pub const MAX_NAME_BYTES: usize = 1024;

/// A trimmed, non-empty player name of at most [`MAX_NAME_GRAPHEMES`]
/// visible characters, without control characters. It is plain text: the
/// pages always insert it as text, never as HTML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlayerName(String);

impl TryFrom<String> for PlayerName {
    type Error = NameError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        PlayerName::parse(&raw)
    }
}

impl From<PlayerName> for String {
    fn from(name: PlayerName) -> String {
        name.0
    }
}

/// Why a name was refused, in words to show the student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Nothing but spaces.
    Empty,
    /// More than [`MAX_NAME_GRAPHEMES`] visible characters.
    TooLong,
    /// Contains a line break or another invisible control character.
    ControlCharacter,
    /// A character carries a pile of accents.
    TooManyMarks,
}

impl NameError {
    /// A stable name for this problem, for translated messages.
    pub fn code(&self) -> &'static str {
        match self {
            NameError::Empty => "name_empty",
            NameError::TooLong => "name_too_long",
            NameError::ControlCharacter => "name_control_character",
            NameError::TooManyMarks => "name_too_many_marks",
        }
    }

    /// The numbers a translated message needs, by name.
    pub fn params(&self) -> Vec<(&'static str, i64)> {
        match self {
            NameError::TooLong => vec![("count", MAX_NAME_GRAPHEMES as i64)],
            NameError::TooManyMarks => vec![("count", text::MAX_MARKS as i64)],
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => write!(f, "Please type a name."),
            NameError::TooLong => write!(
                f,
                "That name is too long: use at most {MAX_NAME_GRAPHEMES} characters."
            ),
            NameError::ControlCharacter => {
                write!(
                    f,
                    "A name cannot contain line breaks or control characters."
                )
            }
            NameError::TooManyMarks => write!(
                f,
                "A name cannot pile accents on one letter (at most {}).",
                text::MAX_MARKS
            ),
        }
    }
}

impl PlayerName {
    /// Cleans `raw` ([`text::clean`]: NFC, no invisible characters,
    /// trimmed) and checks it is a usable name.
    pub fn parse(raw: &str) -> Result<PlayerName, NameError> {
        if raw.len() > 4 * MAX_NAME_BYTES {
            return Err(NameError::TooLong);
        }
        let cleaned = text::clean(raw).map_err(|e| match e {
            TextError::TooManyMarks => NameError::TooManyMarks,
        })?;
        if cleaned.is_empty() {
            return Err(NameError::Empty);
        }
        if cleaned.chars().any(char::is_control) {
            return Err(NameError::ControlCharacter);
        }
        if cleaned.len() > MAX_NAME_BYTES || cleaned.graphemes(true).count() > MAX_NAME_GRAPHEMES {
            return Err(NameError::TooLong);
        }
        Ok(PlayerName(cleaned))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form two names are compared in, so "Ana", "ana " and "Аna"
    /// (with a Cyrillic А) clash.
    pub fn key(&self) -> String {
        text::skeleton(&self.0)
    }
}

impl fmt::Display for PlayerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    //! What counts as a name.
    use super::*;

    #[test]
    fn a_name_is_trimmed() {
        assert_eq!(PlayerName::parse("  Ana  ").unwrap().as_str(), "Ana");
    }

    #[test]
    fn a_blank_name_is_refused() {
        assert_eq!(PlayerName::parse(" \t "), Err(NameError::Empty));
    }

    #[test]
    fn a_name_longer_than_32_visible_characters_is_refused() {
        assert_eq!(PlayerName::parse(&"a".repeat(33)), Err(NameError::TooLong));
        assert!(PlayerName::parse(&"a".repeat(32)).is_ok());
    }

    #[test]
    fn emoji_and_accents_count_as_one_character_each() {
        // 32 family emoji (each several code points) and 32 e + combining accent.
        assert!(PlayerName::parse(&"👨‍👩‍👧".repeat(32)).is_ok());
        assert!(PlayerName::parse(&"e\u{301}".repeat(32)).is_ok());
    }

    #[test]
    fn html_in_a_name_is_kept_as_text() {
        let name = PlayerName::parse("<img src=x onerror=alert(1)>").unwrap();
        assert_eq!(name.as_str(), "<img src=x onerror=alert(1)>");
    }

    #[test]
    fn a_name_of_invisible_characters_only_is_blank() {
        assert_eq!(
            PlayerName::parse("\u{200B}\u{3164}\u{FEFF}"),
            Err(NameError::Empty)
        );
    }

    #[test]
    fn look_alike_names_share_a_key() {
        let latin = PlayerName::parse("Ana").unwrap();
        let cyrillic = PlayerName::parse("\u{410}na").unwrap();
        let hidden = PlayerName::parse("Ana\u{200B}").unwrap();
        assert_eq!(latin.key(), cyrillic.key());
        assert_eq!(latin.key(), hidden.key());
    }

    #[test]
    fn a_4000_byte_zalgo_name_is_refused() {
        let zalgo = format!("Z{}", "\u{301}".repeat(2000));
        assert!(PlayerName::parse(&zalgo).is_err());
    }

    #[test]
    fn a_line_break_inside_a_name_is_refused() {
        assert_eq!(PlayerName::parse("a\nb"), Err(NameError::ControlCharacter));
    }
}
