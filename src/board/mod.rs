//! Boards: the quiz content a game is played with.
//!
//! This module owns the board model and the rules that make a board valid.
//! A [`Board`] can only be built through [`format::parse`] (or the importers,
//! which go through the same checks), so code holding a `Board` never has to
//! re-check it: every category has clues, every clue has an answer, every
//! media file exists and is a known type.
//!
//! It does not own games or rooms; a running game shares the board read-only
//! through an `Arc`.

pub mod csv;
pub mod format;
pub mod jeopardylabs;
pub mod library;
pub mod media;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub use library::{BoardLibrary, Source};
pub use media::{Media, MediaKind};

/// Most categories a board may have; more would not fit a projector.
pub const MAX_CATEGORIES: usize = 8;
/// Most clues a category may have.
pub const MAX_CLUES_PER_CATEGORY: usize = 10;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest category name, in characters.
pub const MAX_CATEGORY_CHARS: usize = 60;
/// Longest clue or answer text, in characters.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Highest value a clue may be worth.
pub const MAX_VALUE: i64 = 100_000;

/// A board's identifier: its file name without the extension (`rlhf` for
/// `boards/rlhf.toml`). Lowercase ASCII letters, digits, `-` and `_` only,
/// so it is safe in URLs and file names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct BoardId(String);

impl BoardId {
    /// Checks that `raw` is a usable board id.
    pub fn parse(raw: &str) -> Result<BoardId, String> {
        let ok = !raw.is_empty()
            && raw.len() <= 64
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if ok {
            Ok(BoardId(raw.to_owned()))
        } else {
            Err(format!(
                "{raw:?} is not a usable board id: use 1-64 lowercase letters, digits, '-' or '_'"
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BoardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A valid quiz board.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    /// Where the board came from and how it is addressed.
    pub id: BoardId,
    /// Shown on the landing page and the projector.
    pub title: String,
    /// Optional one-line description for the landing page.
    pub description: Option<String>,
    /// The columns of the board, left to right.
    pub categories: Vec<Category>,
    /// Media files the clues refer to, by the name used in the board file.
    pub media: BTreeMap<String, Arc<Media>>,
}

/// One column of the board.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// The heading of the column.
    pub name: String,
    /// The tiles of the column, top to bottom.
    pub clues: Vec<Clue>,
}

/// One tile: what the host reads out and what counts as right.
#[derive(Debug, Clone, PartialEq)]
pub struct Clue {
    /// Points for a right answer (and lost for a wrong one).
    pub value: i64,
    /// The text shown on the projector when the tile is opened.
    pub clue: String,
    /// The expected answer. May hold several paragraphs separated by a blank line.
    pub answer: String,
    /// Other answers the host should also accept.
    pub also_accept: Vec<String>,
    /// A picture shown with the clue, by its name in [`Board::media`].
    pub image: Option<String>,
    /// A sound the host plays on the projector.
    pub audio: Option<String>,
    /// A video the host plays on the projector.
    pub video: Option<String>,
    /// A picture shown with the answer, once it is revealed.
    pub answer_image: Option<String>,
}

/// Largest board file a teacher may upload.
pub const MAX_UPLOAD_BYTES: usize = 1024 * 1024;

/// Reads an uploaded board file of any supported kind, chosen by its name:
/// `.toml` is the board format, `.csv` / `.tsv` a spreadsheet export, and
/// anything else a JeopardyLabs text export. `title` names boards whose file
/// carries no title (defaulting to the file name).
pub fn import_any(
    id: BoardId,
    file_name: &str,
    title: Option<&str>,
    text: &str,
) -> Result<Board, format::BoardError> {
    let lower = file_name.to_ascii_lowercase();
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(stem);
    if lower.ends_with(".toml") {
        struct NoMedia;
        impl format::MediaSource for NoMedia {
            fn read(&self, path: &str) -> Result<Vec<u8>, String> {
                Err(format!("{path}: uploaded boards cannot use pictures yet"))
            }
        }
        format::parse(id, text, file_name, &NoMedia)
    } else if lower.ends_with(".csv") || lower.ends_with(".tsv") {
        csv::import(id, title, text, file_name)
    } else {
        jeopardylabs::import(id, title, text, file_name)
    }
}

/// Where a tile is on the board.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct TileId {
    /// Column, from 0.
    pub category: usize,
    /// Row, from 0.
    pub row: usize,
}

impl Board {
    /// The clue at `tile`, if the board has one there.
    pub fn clue(&self, tile: TileId) -> Option<&Clue> {
        self.categories.get(tile.category)?.clues.get(tile.row)
    }

    /// Every tile on the board, column by column.
    pub fn tiles(&self) -> impl Iterator<Item = TileId> + '_ {
        self.categories
            .iter()
            .enumerate()
            .flat_map(|(category, c)| (0..c.clues.len()).map(move |row| TileId { category, row }))
    }

    /// How many clues the board holds.
    pub fn clue_count(&self) -> usize {
        self.categories.iter().map(|c| c.clues.len()).sum()
    }

    /// The number of rows of the tallest category.
    pub fn rows(&self) -> usize {
        self.categories
            .iter()
            .map(|c| c.clues.len())
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod fuzz {
    //! The parsers never panic, whatever they are fed: random bytes, and
    //! every truncation of real files.
    use super::format::MediaSource;
    use super::*;

    struct NoMedia;
    impl MediaSource for NoMedia {
        fn read(&self, path: &str) -> Result<Vec<u8>, String> {
            Err(path.to_owned())
        }
    }

    fn feed(text: &str) {
        let id = BoardId::parse("fuzz").unwrap();
        let _ = format::parse(id.clone(), text, "fuzz.toml", &NoMedia);
        let _ = jeopardylabs::import(id.clone(), "Fuzz", text, "fuzz.txt");
        let _ = csv::import(id, "Fuzz", text, "fuzz.csv");
    }

    #[test]
    fn every_truncation_of_real_files_is_handled_without_panicking() {
        let seeds = [
            include_str!("../../boards/rlhf.toml"),
            include_str!("../../tests/data/rlhf-jeopardylabs.txt"),
            csv::TEMPLATE,
        ];
        for seed in seeds {
            let cuts: Vec<usize> = seed.char_indices().map(|(i, _)| i).step_by(7).collect();
            for cut in cuts {
                feed(&seed[..cut]);
            }
        }
    }

    #[test]
    fn random_text_is_handled_without_panicking() {
        // A fixed-seed xorshift: the same inputs on every run.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let alphabet: Vec<char> = "[]=\"'\\\n\t ,.|#$0123456789abcxyz{}\u{a0}é👍\r"
            .chars()
            .collect();
        for _ in 0..3_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 200) as usize;
            let text: String = (0..len)
                .map(|i| {
                    let k = state.rotate_left(i as u32 % 64) as usize;
                    alphabet[k % alphabet.len()]
                })
                .collect();
            feed(&text);
            // Also splice random text into a valid file.
            let base = csv::TEMPLATE;
            let at = (state as usize) % base.len();
            if base.is_char_boundary(at) {
                feed(&format!("{}{}{}", &base[..at], text, &base[at..]));
            }
        }
    }
}
