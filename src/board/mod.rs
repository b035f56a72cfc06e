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
pub(crate) mod jeopardylabs;
pub mod library;
pub(crate) mod media;

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
/// Most rounds a board may have (the Final clue not counted).
pub const MAX_ROUNDS: usize = 4;
/// Highest value a clue may be worth.
pub const MAX_VALUE: i64 = 100_000;

/// A board's identifier: its file name without the extension (`rlhf` for
/// `boards/rlhf.toml`). Lowercase ASCII letters, digits, `-` and `_` only,
/// so it is safe in URLs and file names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct BoardId(String);

/// A board id that is not usable: empty, too long, or with characters
/// other than lowercase letters, digits, '-' and '_'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBoardId(pub String);

impl std::fmt::Display for BadBoardId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} is not a usable board id: use 1-64 lowercase letters, digits, '-' or '_'",
            self.0
        )
    }
}

impl std::error::Error for BadBoardId {}

impl BoardId {
    /// Checks that `raw` is a usable board id.
    pub fn parse(raw: &str) -> Result<BoardId, BadBoardId> {
        let ok = !raw.is_empty()
            && raw.len() <= 64
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if ok {
            Ok(BoardId(raw.to_owned()))
        } else {
            Err(BadBoardId(raw.to_owned()))
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
    /// The rounds, played in order; most boards have one.
    pub rounds: Vec<Round>,
    /// The Final clue, played after the last round, if the board has one.
    pub final_clue: Option<FinalClue>,
    /// Media files the clues refer to, by the name used in the board file.
    pub media: BTreeMap<String, Arc<Media>>,
}

/// One board of categories, played until its tiles are used up.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Shown on the projector, e.g. "Double Round".
    pub name: String,
    /// The columns of the board, left to right.
    pub categories: Vec<Category>,
}

/// The last clue: every player with points wagers, then writes an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FinalClue {
    /// Shown before the wagers.
    pub category: String,
    /// Shown once the wagers are in.
    pub clue: String,
    /// What counts as right.
    pub answer: String,
    /// Other answers the host should also accept.
    pub also_accept: Vec<String>,
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
    /// A Daily Double: only the player who picked it plays, for a wager.
    pub daily_double: bool,
}

/// Largest board file a teacher may upload.
pub const MAX_UPLOAD_BYTES: usize = 1024 * 1024;

/// Reads a board file of any supported kind, chosen by its name: `.toml` is
/// the board format, `.csv` / `.tsv` a spreadsheet export, and anything else
/// a JeopardyLabs text export. `title` names boards whose file carries no
/// title (defaulting to the file name); `media` reads the files it names.
pub fn import_any(
    id: BoardId,
    file_name: &str,
    title: Option<&str>,
    text: &str,
    media: &dyn format::MediaSource,
) -> Result<Board, format::BoardError> {
    let lower = file_name.to_ascii_lowercase();
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = stem.rsplit_once('.').map_or(stem, |(stem, _)| stem);
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(stem);
    if lower.ends_with(".toml") {
        format::parse(id, text, file_name, media)
    } else if lower.ends_with(".csv") || lower.ends_with(".tsv") {
        csv::import(id, title, text, file_name, media)
    } else {
        jeopardylabs::import(id, title, text, file_name)
    }
}

/// Where a tile is on the board.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct TileId {
    /// Round, from 0. (Absent in games saved before boards had rounds.)
    #[serde(default)]
    pub round: usize,
    /// Column, from 0.
    pub category: usize,
    /// Row, from 0.
    pub row: usize,
}

impl Board {
    /// A one-round board with no Final clue.
    pub fn single_round(
        id: BoardId,
        title: String,
        description: Option<String>,
        categories: Vec<Category>,
    ) -> Board {
        Board {
            id,
            title,
            description,
            rounds: vec![Round {
                name: "Round 1".into(),
                categories,
            }],
            final_clue: None,
            media: Default::default(),
        }
    }

    /// The clue at `tile`, if the board has one there.
    pub fn clue(&self, tile: TileId) -> Option<&Clue> {
        self.rounds
            .get(tile.round)?
            .categories
            .get(tile.category)?
            .clues
            .get(tile.row)
    }

    /// Every tile of a round, column by column.
    pub fn tiles(&self, round: usize) -> impl Iterator<Item = TileId> + '_ {
        self.rounds.get(round).into_iter().flat_map(move |r| {
            r.categories
                .iter()
                .enumerate()
                .flat_map(move |(category, c)| {
                    (0..c.clues.len()).map(move |row| TileId {
                        round,
                        category,
                        row,
                    })
                })
        })
    }

    /// The first round's categories (every board has at least one round).
    pub fn categories(&self) -> &[Category] {
        self.rounds
            .first()
            .map(|r| r.categories.as_slice())
            .unwrap_or(&[])
    }

    /// The board's size in words, as teachers count it: "5 categories, 25
    /// clues", or "2 rounds, 9 clues and a Final".
    pub fn size(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let tiles: usize = (0..self.rounds.len())
            .map(|r| self.round_clue_count(r))
            .sum();
        let mut text = if self.rounds.len() == 1 {
            format!(
                "{}, {}",
                plural(self.categories().len(), "category", "categories"),
                plural(tiles, "clue", "clues")
            )
        } else {
            format!(
                "{}, {}",
                plural(self.rounds.len(), "round", "rounds"),
                plural(tiles, "clue", "clues")
            )
        };
        if self.final_clue.is_some() {
            text.push_str(" and a Final");
        }
        text
    }

    /// How many clues a round holds.
    pub fn round_clue_count(&self, round: usize) -> usize {
        self.rounds
            .get(round)
            .map(|r| r.categories.iter().map(|c| c.clues.len()).sum())
            .unwrap_or(0)
    }

    /// How many clues the board holds, in all rounds, plus the Final.
    pub fn clue_count(&self) -> usize {
        (0..self.rounds.len())
            .map(|r| self.round_clue_count(r))
            .sum::<usize>()
            + usize::from(self.final_clue.is_some())
    }

    /// The highest value in a round (the Daily Double wager cap for a
    /// player with fewer points).
    pub fn top_value(&self, round: usize) -> i64 {
        self.rounds
            .get(round)
            .into_iter()
            .flat_map(|r| r.categories.iter())
            .flat_map(|c| c.clues.iter())
            .map(|c| c.value)
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
        let _ = csv::import(id, "Fuzz", text, "fuzz.csv", &NoMedia);
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
        // A fixed seed: the same inputs on every run.
        let mut numbers = crate::seeded::SplitMix64::new(0x2545_f491_4f6c_dd1d);
        let alphabet: Vec<char> = "[]=\"'\\\n\t ,.|#$0123456789abcxyz{}\u{a0}é👍\r"
            .chars()
            .collect();
        for _ in 0..3_000 {
            let state = numbers.next_u64();
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
