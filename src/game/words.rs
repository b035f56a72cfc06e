//! Which names (and Final answers) may go on the projector: a whole-word
//! filter over our own word lists, in the five languages the pages speak.
//!
//! A maintained general-purpose filter refused real students' names
//! ("Phuc", "Dong", "Analía", "Hancock", one in ten of "p0".."p1999")
//! because it matches inside words and is mostly English. This one
//! compares whole words only, after undoing the usual disguises (accents,
//! look-alike digits and symbols, stretched letters, letters spaced out or
//! run together in CamelCase), against:
//!
//! - `words/refused.txt`: slurs and strong obscenities: the name is refused;
//! - `words/held.txt`: words that are rude somewhere but also names or
//!   ordinary words ("Dick", "Fanny", "Cu"), and words that make a name
//!   pose as the teacher or the game ("Teacher", "HOST"): the name waits
//!   for the host's one tap instead of being refused;
//! - a few stems no name contains ("fuck", "nigger"), matched anywhere, so
//!   "ILoveFucking" is caught without "Scunthorpe" being refused.
//!
//! Web and mail addresses are refused in names outright: a name is not a
//! link ("answers at evil.example").
//!
//! What it does not do: catch every insult in every language (the host
//! still removes a player with one tap, and can turn the filter off), or
//! judge meaning.

use std::collections::HashSet;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What the filter says of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing to see.
    Fine,
    /// A slur or strong obscenity: refused.
    Refused,
    /// A web or mail address: refused.
    Address,
    /// Maybe rude, maybe a name: the host decides.
    Held(HoldReason),
}

/// Why a name waits for the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// It has a word that is rude somewhere (and a name elsewhere).
    MaybeRude,
    /// It poses as the teacher or the game ("Teacher", "HOST: paused").
    LooksLikeStaff,
}

struct Lists {
    refused: HashSet<String>,
    rude: HashSet<String>,
    staff: HashSet<String>,
}

/// Stems no real name contains, matched anywhere in the letters.
const STEMS: &[&str] = &[
    "fuck",
    "nigger",
    "nigga",
    "faggot",
    "motherf",
    "hijodeputa",
    "hijoputa",
    "hurensohn",
    "arschloch",
    "wichser",
    "scheiss",
    "connard",
    "salope",
    "caralho",
    "buceta",
    "bullshit",
    "pendejo",
    "gilipollas",
    "putain",
    "cocksuck",
];

/// Words of `held.txt` that pose as staff: everything after its "Posing"
/// heading.
const STAFF_HEADING: &str = "# Posing";

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let words = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(fold)
                .collect()
        };
        let held = include_str!("words/held.txt");
        let (rude, staff) = match held.split_once(STAFF_HEADING) {
            Some((rude, staff)) => {
                // The staff section ends at the next heading.
                let (staff, more_rude) =
                    staff.split_once("\n#").map_or((staff, ""), |(s, m)| (s, m));
                let mut rude = words(rude);
                rude.extend(words(&format!("#{more_rude}")));
                (rude, words(staff.split_once('\n').map_or("", |p| p.1)))
            }
            None => (words(held), Vec::new()),
        };
        Lists {
            refused: words(include_str!("words/refused.txt"))
                .into_iter()
                .collect(),
            rude: rude.into_iter().collect(),
            staff: staff.into_iter().collect(),
        }
    })
}

/// A word as the lists are compared in: lower case, without accents, with
/// look-alike digits and symbols read as letters ("sh1t", "$hit"). Digits
/// are read as letters only in a word that is mostly letters, so "p15"
/// stays "p15".
fn fold(word: &str) -> String {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let digits = word.chars().filter(|c| c.is_ascii_digit()).count();
    let read_digits = letters > digits;
    let mut out = String::with_capacity(word.len());
    for c in word
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        match c {
            '0' if read_digits => out.push('o'),
            '1' if read_digits => out.push('i'),
            '3' if read_digits => out.push('e'),
            '4' if read_digits => out.push('a'),
            '5' if read_digits => out.push('s'),
            '7' if read_digits => out.push('t'),
            '!' | '|' => out.push('i'),
            '@' => out.push('a'),
            '$' => out.push('s'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            other => out.push(other),
        }
    }
    out
}

/// The spellings of a word with its stretched letters undone: every run
/// of three or more of one letter cut to one, and to two ("fuuuck" ->
/// "fuck", "asssshole" -> "asshole"). Doubled letters are left alone, so
/// "Bob" is not read as "boob".
fn unstretched(word: &str) -> [String; 3] {
    let cut = |keep: usize| {
        let chars: Vec<char> = word.chars().collect();
        let mut out = String::with_capacity(word.len());
        let mut i = 0;
        while i < chars.len() {
            let mut j = i;
            while j < chars.len() && chars[j] == chars[i] {
                j += 1;
            }
            let run = j - i;
            let take = if run >= 3 { keep } else { run };
            out.extend(std::iter::repeat_n(chars[i], take));
            i = j;
        }
        out
    };
    [word.to_owned(), cut(1), cut(2)]
}

/// The words of a name: split at anything that is not a letter, a digit or
/// a look-alike symbol, and at CamelCase ("BigDick" -> "Big", "Dick");
/// letters spaced out one by one ("f u c k", "F.U.C.K") are put together.
fn words_of(text: &str) -> Vec<String> {
    let looks_like_letter = |c: char| c.is_alphanumeric() || matches!(c, '@' | '$' | '!' | '|');
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if !looks_like_letter(c) {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase();
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    // Letters spaced out: runs of one-letter words become one word too.
    let mut joined = Vec::new();
    let mut run = String::new();
    for word in &words {
        if word.chars().count() == 1 {
            run.push_str(word);
        } else {
            if run.chars().count() >= 3 {
                joined.push(std::mem::take(&mut run));
            }
            run.clear();
        }
    }
    if run.chars().count() >= 3 {
        joined.push(run);
    }
    words.extend(joined);
    words.iter().map(|w| fold(w)).collect()
}

/// Whether `text` holds a web or mail address.
fn has_address(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.contains("://") || lower.contains("www.") {
        return true;
    }
    // "evil.example", "x.com", "a@b.org": a dot between two runs of
    // letters or digits, the last two to six letters long.
    lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '<' | '>'))
        .any(|piece| {
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            match piece.rsplit_once('.') {
                Some((before, tld)) => {
                    let label = before.rsplit(['.', '@']).next().unwrap_or("");
                    !label.is_empty()
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && (2..=7).contains(&tld.len())
                        && tld.chars().all(|c| c.is_ascii_alphabetic())
                        && label.chars().any(|c| c.is_ascii_alphabetic())
                }
                None => false,
            }
        })
}

/// What the filter says of `text` (a name or a Final answer).
pub fn judge(text: &str) -> Verdict {
    if has_address(text) {
        return Verdict::Address;
    }
    let lists = lists();
    let spellings: Vec<String> = words_of(text).iter().flat_map(|w| unstretched(w)).collect();
    let any = |set: &HashSet<String>| spellings.iter().any(|w| set.contains(w));
    if any(&lists.refused) {
        return Verdict::Refused;
    }
    let letters: String = fold(
        &text
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '@' | '$' | '!'))
            .collect::<String>(),
    );
    if unstretched(&letters)
        .iter()
        .any(|letters| STEMS.iter().any(|stem| letters.contains(stem)))
    {
        return Verdict::Refused;
    }
    if any(&lists.staff) {
        return Verdict::Held(HoldReason::LooksLikeStaff);
    }
    if any(&lists.rude) {
        return Verdict::Held(HoldReason::MaybeRude);
    }
    Verdict::Fine
}

#[cfg(test)]
mod tests {
    //! The filter on names teachers reported, and on disguises.
    use super::*;

    #[test]
    fn real_names_that_a_substring_filter_refused_pass() {
        for name in [
            "Phuc",
            "Bich",
            "Ho",
            "Dong",
            "Analía",
            "Ana-Lucía",
            "Arsène",
            "Assunção",
            "Hancock",
            "Hitchcock",
            "Sexton",
            "Weiner",
            "Fagan",
            "Negrete",
            "Scunthorpe",
            "p95",
            "p96",
            "p900",
            "p15",
            "Bob",
            "Nguyễn Thị Bích",
            "김민준",
            "محمد",
            "Chidi Okonkwo",
        ] {
            assert_eq!(judge(name), Verdict::Fine, "{name}");
        }
    }

    #[test]
    fn slurs_and_obscenities_are_refused_even_disguised() {
        for name in [
            "fuck",
            "FUCK",
            "fuuuuck",
            "f u c k",
            "F.U.C.K",
            "ILoveFucking",
            "sh1t",
            "$hit",
            "putain",
            "Hijo de puta",
            "Scheiße",
            "caralho",
            "n1gger",
        ] {
            assert_eq!(judge(name), Verdict::Refused, "{name}");
        }
    }

    #[test]
    fn a_name_that_may_be_rude_or_may_be_a_name_waits_for_the_host() {
        assert_eq!(judge("Dick"), Verdict::Held(HoldReason::MaybeRude));
        assert_eq!(judge("BigDick"), Verdict::Held(HoldReason::MaybeRude));
        assert_eq!(judge("Fanny"), Verdict::Held(HoldReason::MaybeRude));
    }

    #[test]
    fn a_name_posing_as_the_teacher_waits_for_the_host() {
        for name in [
            "Teacher",
            "HOST: game paused",
            "Mr Smith (teacher)",
            "Profesora",
        ] {
            assert_eq!(
                judge(name),
                Verdict::Held(HoldReason::LooksLikeStaff),
                "{name}"
            );
        }
    }

    #[test]
    fn a_name_with_an_address_in_it_is_refused() {
        for name in [
            "answers at evil.example",
            "go to x.com",
            "http://a",
            "www.cheat",
            "me@mail.org",
        ] {
            assert_eq!(judge(name), Verdict::Address, "{name}");
        }
        for name in ["J. R. Smith", "Ana B.", "3.14", "Dr. No"] {
            assert_ne!(judge(name), Verdict::Address, "{name}");
        }
    }
}
