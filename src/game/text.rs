//! Text students type (names, team names, Final answers): cleaned before it
//! enters a game, so nothing invisible, reversed or drawn over its
//! neighbours reaches the projector.
//!
//! The pages always insert such text as text, never as HTML; this module is
//! about what the text *looks like*: Unicode normalised (NFC), without
//! invisible format characters (zero-width spaces and joiners, bidi
//! controls such as the right-to-left override, fillers, tags), and with at
//! most [`MAX_MARKS`] combining marks on one character (no "zalgo" text
//! drawn over the scoreboard). It also gives the form two names are
//! compared in: their confusable skeleton (Unicode TR39), so "Ana" written
//! with a Cyrillic "А" clashes with "Ana".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The most combining marks (accents) one character may carry. Real
/// writing needs two or three (Vietnamese, some Indic scripts).
pub const MAX_MARKS: usize = 3;

/// Why text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    /// A character carries more than [`MAX_MARKS`] accents.
    TooManyMarks,
}

/// Characters that draw nothing, or change how their neighbours are drawn:
/// zero-width spaces and joiners, direction controls (LRO/RLO and their
/// isolates), invisible fillers, variation selectors and tags, the byte
/// order mark. Emoji sequences joined with U+200D fall apart into their
/// emoji, which stay.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{2800}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FE00}'..='\u{FE0E}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Whether `c` is drawn as an emoji (for keeping the joiner between two).
fn is_pictograph(c: char) -> bool {
    let c = c as u32;
    c >= 0x1F000 || (0x2600..=0x27BF).contains(&c) || c == 0xFE0F
}

/// `raw` in NFC, without invisible characters, trimmed; refused if a
/// character carries too many marks. A zero-width joiner between two emoji
/// (a family, a flag sequence) stays: it draws one emoji, not nothing.
pub fn clean(raw: &str) -> Result<String, TextError> {
    let chars: Vec<char> = raw.nfc().collect();
    let mut text = String::with_capacity(raw.len());
    for (i, &c) in chars.iter().enumerate() {
        let joins_emoji = c == '\u{200D}'
            && i > 0
            && is_pictograph(chars[i - 1])
            && chars.get(i + 1).copied().is_some_and(is_pictograph);
        if joins_emoji || !is_invisible(c) {
            text.push(c);
        }
    }
    let mut run = 0;
    for c in text.chars() {
        if is_combining_mark(c) {
            run += 1;
            if run > MAX_MARKS {
                return Err(TextError::TooManyMarks);
            }
        } else {
            run = 0;
        }
    }
    Ok(text.trim().to_owned())
}

/// Typed text as one line: line breaks and tabs become spaces, other
/// control characters (escape, bell, NUL) go, as names have none either.
pub fn one_line(raw: &str) -> String {
    raw.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The form two names are compared in: lower case, and the same for
/// look-alike letters of other scripts (TR39 skeleton).
pub fn skeleton(text: &str) -> String {
    let lower = text.to_lowercase();
    unicode_security::skeleton(&lower)
        .collect::<String>()
        .to_lowercase()
}

/// Whether a Final answer may not go on the projector: a slur or strong
/// obscenity, or an address ([`super::words`]). Rooms check it when the
/// host leaves the filter on.
pub fn is_offensive(text: &str) -> bool {
    matches!(
        super::words::judge(text),
        super::words::Verdict::Refused | super::words::Verdict::Address
    )
}

#[cfg(test)]
mod tests {
    //! What students' text looks like once it is in the game.
    use super::*;

    #[test]
    fn invisible_and_direction_changing_characters_are_removed() {
        assert_eq!(clean("Ana\u{200B}").unwrap(), "Ana");
        // Issue 10: "x\u{202e}0001 :erocs" showed as "xscore: 1000".
        assert_eq!(clean("x\u{202E}0001 :erocs").unwrap(), "x0001 :erocs");
        assert_eq!(clean("\u{3164}\u{200B}\u{2800}").unwrap(), "");
    }

    #[test]
    fn an_emoji_family_keeps_its_joiners() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(clean(family).unwrap(), family);
        assert_eq!(clean("a\u{200D}b").unwrap(), "ab");
    }

    #[test]
    fn text_is_normalised_so_the_same_letters_are_the_same_text() {
        // "é" typed as e + combining accent, and as one character.
        assert_eq!(clean("Jose\u{301}").unwrap(), "Jos\u{E9}");
    }

    #[test]
    fn zalgo_text_is_refused_but_real_accents_are_not() {
        let zalgo = format!("a{}", "\u{300}\u{301}\u{302}\u{303}".repeat(50));
        assert_eq!(clean(&zalgo), Err(TextError::TooManyMarks));
        assert!(clean("Nguyễn").is_ok());
    }

    /// Issue 21: Final answers kept `\n \r \x1b \x00 \x07`.
    #[test]
    fn typed_text_loses_its_control_characters() {
        assert_eq!(one_line("the\nNile\r\x1b[31m\x00\x07!"), "the Nile [31m!");
    }

    #[test]
    fn look_alike_names_have_the_same_skeleton() {
        assert_eq!(skeleton("\u{410}na"), skeleton("Ana"));
        assert_eq!(skeleton("ANA"), skeleton("ana"));
        assert_ne!(skeleton("Ana"), skeleton("Ann"));
    }

    #[test]
    fn the_filter_catches_profanity_and_lets_ordinary_names_through() {
        assert!(is_offensive("fuck"));
        assert!(is_offensive("fuuuck"));
        assert!(!is_offensive("Ana"));
        assert!(!is_offensive("Team Blue"));
    }
}
