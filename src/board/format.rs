//! The board file format: TOML, read and written.
//!
//! A board file looks like this (the full description is `docs/boards.md`):
//!
//! ```toml
//! title = "World Capitals"
//!
//! [[category]]
//! name = "Europe"
//!
//! [[category.clue]]
//! value = 100
//! clue = "The capital of France"
//! answer = "Paris"
//! ```
//!
//! This module turns text into a valid [`Board`] or a [`BoardError`] that
//! names the file, the line and column, and what to change. It also writes a
//! board back out, so imported boards can be saved and edited by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::media::{Media, MediaKind};
use super::{
    Board, BoardId, Category, Clue, FinalClue, MAX_CATEGORIES, MAX_CATEGORY_CHARS,
    MAX_CLUES_PER_CATEGORY, MAX_ROUNDS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_VALUE, Round,
};

/// What is wrong with a board file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardError {
    /// The file, as the teacher would find it (`boards/history.toml`).
    pub file: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl fmt::Display for BoardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            (Some(line), None) => write!(f, "{}:{line}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for BoardError {}

/// Reads media files a board refers to. The board loader reads them from the
/// directory next to the board file; tests and the built-in board read them
/// from memory.
pub trait MediaSource {
    /// The bytes of the file at `relative_path`, or why it cannot be read.
    fn read(&self, relative_path: &str) -> Result<Vec<u8>, String>;
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBoard {
    title: Option<Spanned<String>>,
    description: Option<String>,
    #[serde(default)]
    category: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    round: Vec<Spanned<RawRound>>,
    #[serde(rename = "final")]
    final_clue: Option<Spanned<RawFinal>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRound {
    name: Option<String>,
    #[serde(default)]
    category: Vec<Spanned<RawCategory>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinal {
    category: Option<Spanned<String>>,
    clue: Option<Spanned<String>>,
    answer: Option<Spanned<String>>,
    #[serde(default)]
    also_accept: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    name: Option<Spanned<String>>,
    #[serde(default)]
    clue: Vec<Spanned<RawClue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClue {
    value: Option<Spanned<i64>>,
    clue: Option<Spanned<String>>,
    answer: Option<Spanned<String>>,
    #[serde(default)]
    also_accept: Vec<Spanned<String>>,
    image: Option<Spanned<String>>,
    audio: Option<Spanned<String>>,
    video: Option<Spanned<String>>,
    answer_image: Option<Spanned<String>>,
    #[serde(default)]
    daily_double: bool,
}

/// Turns byte offsets into the line and column a text editor shows.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> BoardError {
        let (line, column) = match span {
            Some(span) => {
                let start = span.start.min(self.text.len());
                let before = &self.text[..floor_char_boundary(self.text, start)];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        BoardError {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Parses and validates a board file.
///
/// `file` is how errors name the file; `media` reads the images the clues
/// refer to (paths are relative to the board file).
pub fn parse(
    id: BoardId,
    text: &str,
    file: &str,
    media: &dyn MediaSource,
) -> Result<Board, BoardError> {
    let at = Locator { file, text };
    let raw: RawBoard = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_owned();
        at.error(
            e.span(),
            format!("{message} (see docs/boards.md for the format)"),
        )
    })?;

    let title = required_text(&at, raw.title, None, "the board has no `title`", |_| {
        "the board's `title` is empty".into()
    })?;
    check_length(&at, &title, MAX_TITLE_CHARS, "the title")?;
    let description = raw
        .description
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());

    let mut loaded_media = BTreeMap::new();
    let raw_rounds: Vec<(String, Vec<Spanned<RawCategory>>)> = if raw.round.is_empty() {
        vec![("Round 1".to_owned(), raw.category)]
    } else {
        if !raw.category.is_empty() {
            return Err(at.error(
                Some(raw.category[0].span()),
                "use either [[category]] (a one-round board) or [[round]] with [[round.category]], not both",
            ));
        }
        if raw.round.len() > MAX_ROUNDS {
            return Err(at.error(
                Some(raw.round[MAX_ROUNDS].span()),
                format!(
                    "the board has {} rounds; at most {MAX_ROUNDS} are allowed",
                    raw.round.len()
                ),
            ));
        }
        raw.round
            .into_iter()
            .enumerate()
            .map(|(index, round)| {
                let round = round.into_inner();
                let name = round
                    .name
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| format!("Round {}", index + 1));
                (name, round.category)
            })
            .collect()
    };
    let mut rounds = Vec::with_capacity(raw_rounds.len());
    for (name, raw_categories) in raw_rounds {
        check_length(&at, &name, MAX_CATEGORY_CHARS, "the round name")?;
        let categories = parse_categories(&at, raw_categories, &name, media, &mut loaded_media)?;
        rounds.push(Round { name, categories });
    }
    let final_clue = raw.final_clue.map(|f| parse_final(&at, f)).transpose()?;

    Ok(Board {
        id,
        title,
        description,
        rounds,
        final_clue,
        media: loaded_media,
    })
}

fn parse_final(at: &Locator<'_>, spanned: Spanned<RawFinal>) -> Result<FinalClue, BoardError> {
    let span = spanned.span();
    let raw = spanned.into_inner();
    let category = required_text(
        at,
        raw.category,
        Some(span.clone()),
        "the [final] clue has no `category`",
        |_| "the [final] clue has an empty `category`".into(),
    )?;
    check_length(at, &category, MAX_CATEGORY_CHARS, "the Final category")?;
    let clue = required_text(
        at,
        raw.clue,
        Some(span.clone()),
        "the [final] clue has no `clue` text",
        |_| "the [final] clue has empty `clue` text".into(),
    )?;
    check_length(at, &clue, MAX_TEXT_CHARS, "the Final clue")?;
    let answer = required_text(
        at,
        raw.answer,
        Some(span),
        "the [final] clue has no `answer`",
        |_| "the [final] clue has an empty `answer`".into(),
    )?;
    check_length(at, &answer, MAX_TEXT_CHARS, "the Final answer")?;
    let mut also_accept = Vec::new();
    for alt in raw.also_accept {
        let text = alt.get_ref().trim().to_owned();
        if text.is_empty() {
            return Err(at.error(
                Some(alt.span()),
                "the [final] clue has an empty entry in `also_accept`",
            ));
        }
        also_accept.push(text);
    }
    Ok(FinalClue {
        category,
        clue,
        answer,
        also_accept,
    })
}

/// The categories of one round.
fn parse_categories(
    at: &Locator<'_>,
    raw_categories: Vec<Spanned<RawCategory>>,
    round: &str,
    media: &dyn MediaSource,
    loaded_media: &mut BTreeMap<String, Arc<Media>>,
) -> Result<Vec<Category>, BoardError> {
    if raw_categories.is_empty() {
        return Err(at.error(
            None,
            format!(
                "{round} has no categories: add at least one [[category]] with a name and clues"
            ),
        ));
    }
    if raw_categories.len() > MAX_CATEGORIES {
        let span = raw_categories[MAX_CATEGORIES].span();
        return Err(at.error(
            Some(span),
            format!(
                "{round} has {} categories; at most {MAX_CATEGORIES} fit on a projector",
                raw_categories.len()
            ),
        ));
    }
    let mut categories = Vec::with_capacity(raw_categories.len());
    for (index, spanned) in raw_categories.into_iter().enumerate() {
        let span = spanned.span();
        let raw_category = spanned.into_inner();
        let name = required_text(
            at,
            raw_category.name,
            Some(span.clone()),
            &format!("category {} has no `name`", index + 1),
            |_| format!("category {} has an empty `name`", index + 1),
        )?;
        check_length(at, &name, MAX_CATEGORY_CHARS, "the category name")?;
        if raw_category.clue.is_empty() {
            return Err(at.error(
                Some(span),
                format!("category \"{name}\" has no clues: add [[category.clue]] entries under it"),
            ));
        }
        if raw_category.clue.len() > MAX_CLUES_PER_CATEGORY {
            return Err(at.error(
                Some(raw_category.clue[MAX_CLUES_PER_CATEGORY].span()),
                format!(
                    "category \"{name}\" has {} clues; at most {MAX_CLUES_PER_CATEGORY} are allowed",
                    raw_category.clue.len()
                ),
            ));
        }
        let mut values = BTreeSet::new();
        let mut clues = Vec::with_capacity(raw_category.clue.len());
        for spanned in raw_category.clue {
            let clue = parse_clue(at, spanned, &name, media, loaded_media)?;
            if !values.insert(clue.value) {
                return Err(at.error(
                    None,
                    format!(
                        "category \"{name}\" has two clues worth {}: give each clue in a category its own value",
                        clue.value
                    ),
                ));
            }
            clues.push(clue);
        }
        categories.push(Category { name, clues });
    }
    Ok(categories)
}

fn parse_clue(
    at: &Locator<'_>,
    spanned: Spanned<RawClue>,
    category: &str,
    media: &dyn MediaSource,
    loaded_media: &mut BTreeMap<String, Arc<Media>>,
) -> Result<Clue, BoardError> {
    let span = spanned.span();
    let raw = spanned.into_inner();
    let clue = required_text(
        at,
        raw.clue,
        Some(span.clone()),
        &format!("a clue in category \"{category}\" has no `clue` text"),
        |_| format!("a clue in category \"{category}\" has empty `clue` text"),
    )?;
    check_length(at, &clue, MAX_TEXT_CHARS, "the clue text")?;
    let short = preview(&clue);
    let answer = required_text(
        at,
        raw.answer,
        Some(span.clone()),
        &format!("clue \"{short}\" has no `answer`"),
        |_| format!("clue \"{short}\" has an empty `answer`"),
    )?;
    check_length(at, &answer, MAX_TEXT_CHARS, "the answer")?;
    let value = match raw.value {
        None => {
            return Err(at.error(
                Some(span),
                format!("clue \"{short}\" has no `value`: add e.g. `value = 100`"),
            ));
        }
        Some(v) if !(1..=MAX_VALUE).contains(v.get_ref()) => {
            return Err(at.error(
                Some(v.span()),
                format!(
                    "clue \"{short}\" is worth {}; a value must be between 1 and {MAX_VALUE}",
                    v.get_ref()
                ),
            ));
        }
        Some(v) => v.into_inner(),
    };
    let mut also_accept = Vec::with_capacity(raw.also_accept.len());
    for alt in raw.also_accept {
        let text = alt.get_ref().trim().to_owned();
        if text.is_empty() {
            return Err(at.error(
                Some(alt.span()),
                format!("clue \"{short}\" has an empty entry in `also_accept`"),
            ));
        }
        check_length(at, &text, MAX_TEXT_CHARS, "an accepted answer")?;
        also_accept.push(text);
    }
    let mut media_field = |field: Option<Spanned<String>>, kind: MediaKind, name: &str| {
        let Some(path) = field else {
            return Ok(None);
        };
        let file = path.get_ref().trim().to_owned();
        let fail = |why: String| at.error(Some(path.span()), format!("clue \"{short}\": {why}"));
        if !loaded_media.contains_key(&file) {
            let loaded = load_media(&file, media).map_err(fail)?;
            loaded_media.insert(file.clone(), Arc::new(loaded));
        }
        let found = loaded_media[&file].kind;
        if found != kind {
            return Err(fail(format!(
                "`{name}` is {file:?}, which is {}, not {}",
                describe(found),
                describe(kind)
            )));
        }
        Ok(Some(file))
    };
    let image = media_field(raw.image, MediaKind::Image, "image")?;
    let audio = media_field(raw.audio, MediaKind::Audio, "audio")?;
    let video = media_field(raw.video, MediaKind::Video, "video")?;
    let answer_image = media_field(raw.answer_image, MediaKind::Image, "answer_image")?;
    Ok(Clue {
        value,
        clue,
        answer,
        also_accept,
        image,
        audio,
        video,
        answer_image,
        daily_double: raw.daily_double,
    })
}

fn describe(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "a picture",
        MediaKind::Audio => "a sound",
        MediaKind::Video => "a video",
    }
}

fn load_media(name: &str, source: &dyn MediaSource) -> Result<Media, String> {
    super::media::check_relative_path(name)?;
    let bytes = source
        .read(name)
        .map_err(|why| format!("{name:?} cannot be read ({why})"))?;
    Media::from_bytes(name, bytes).map_err(String::from)
}

/// Reads a required text field: missing and blank are both errors.
fn required_text(
    at: &Locator<'_>,
    value: Option<Spanned<String>>,
    table: Option<Range<usize>>,
    missing: &str,
    empty: impl FnOnce(&str) -> String,
) -> Result<String, BoardError> {
    match value {
        None => Err(at.error(table, missing)),
        Some(v) => {
            let text = v.get_ref().trim();
            if text.is_empty() {
                Err(at.error(Some(v.span()), empty(text)))
            } else {
                Ok(text.to_owned())
            }
        }
    }
}

fn check_length(at: &Locator<'_>, text: &str, max: usize, what: &str) -> Result<(), BoardError> {
    let count = text.chars().count();
    if count > max {
        Err(at.error(
            None,
            format!(
                "{what} \"{}\" is {count} characters long; shorten it to at most {max}",
                preview(text)
            ),
        ))
    } else {
        Ok(())
    }
}

/// The start of a text, for naming a clue in an error message.
pub(crate) fn preview(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    let mut short: String = first_line.chars().take(40).collect();
    if short.len() < text.len() {
        short.push_str("...");
    }
    short
}

/// Writes a board in the file format, so that [`parse`] reads it back as the
/// same board.
pub fn write(board: &Board) -> String {
    let mut out = String::new();
    out.push_str("# A Buzzboard board. The format is described in docs/boards.md.\n");
    out.push_str(&format!("title = {}\n", quote(&board.title)));
    if let Some(description) = &board.description {
        out.push_str(&format!("description = {}\n", quote(description)));
    }
    // A one-round board is written the short way, as most are typed.
    let simple = board.rounds.len() == 1 && board.rounds[0].name == "Round 1";
    for round in &board.rounds {
        let prefix = if simple {
            ""
        } else {
            out.push_str(&format!("\n[[round]]\nname = {}\n", quote(&round.name)));
            "round."
        };
        for category in &round.categories {
            out.push_str(&format!(
                "\n[[{prefix}category]]\nname = {}\n",
                quote(&category.name)
            ));
            for clue in &category.clues {
                out.push_str(&format!("\n[[{prefix}category.clue]]\n"));
                write_clue(&mut out, clue);
            }
        }
    }
    if let Some(last) = &board.final_clue {
        out.push_str("\n[final]\n");
        out.push_str(&format!("category = {}\n", quote(&last.category)));
        out.push_str(&format!("clue = {}\n", quote(&last.clue)));
        out.push_str(&format!("answer = {}\n", quote(&last.answer)));
        write_also_accept(&mut out, &last.also_accept);
    }
    out
}

fn write_clue(out: &mut String, clue: &Clue) {
    out.push_str(&format!("value = {}\n", clue.value));
    if clue.daily_double {
        out.push_str("daily_double = true\n");
    }
    out.push_str(&format!("clue = {}\n", quote(&clue.clue)));
    out.push_str(&format!("answer = {}\n", quote(&clue.answer)));
    write_also_accept(out, &clue.also_accept);
    for (field, file) in [
        ("image", &clue.image),
        ("audio", &clue.audio),
        ("video", &clue.video),
        ("answer_image", &clue.answer_image),
    ] {
        if let Some(file) = file {
            out.push_str(&format!("{field} = {}\n", quote(file)));
        }
    }
}

fn write_also_accept(out: &mut String, also_accept: &[String]) {
    if !also_accept.is_empty() {
        out.push_str("also_accept = [\n");
        for alt in also_accept {
            out.push_str(&format!("  {},\n", quote(alt)));
        }
        out.push_str("]\n");
    }
}

/// A TOML string literal for `text`, escaped so that it reads back exactly.
/// Text with line breaks is written as a multi-line string, which is how a
/// person would type it.
fn quote(text: &str) -> String {
    let multiline = text.contains('\n');
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(if multiline { "\"\"\"\n" } else { "\"" });
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if multiline => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push_str(if multiline { "\"\"\"" } else { "\"" });
    out
}

#[cfg(test)]
mod tests {
    //! The board file format: what it accepts, and how it explains what it refuses.
    use super::*;

    struct NoMedia;
    impl MediaSource for NoMedia {
        fn read(&self, path: &str) -> Result<Vec<u8>, String> {
            Err(format!("{path} does not exist"))
        }
    }

    struct OneImage;
    impl MediaSource for OneImage {
        fn read(&self, path: &str) -> Result<Vec<u8>, String> {
            if path == "media/pic.svg" {
                Ok(b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".to_vec())
            } else {
                Err(format!("{path} does not exist"))
            }
        }
    }

    fn parse_text(text: &str) -> Result<Board, BoardError> {
        parse(
            BoardId::parse("test").unwrap(),
            text,
            "boards/test.toml",
            &OneImage,
        )
    }

    const SMALL: &str = r#"
title = "Capitals"

[[category]]
name = "Europe"

[[category.clue]]
value = 100
clue = "The capital of France"
answer = "Paris"
also_accept = ["Paree"]

[[category.clue]]
value = 200
clue = "The capital of Italy"
answer = "Rome"
image = "media/pic.svg"
"#;

    #[test]
    fn a_small_board_reads_as_written() {
        let board = parse_text(SMALL).unwrap();
        assert_eq!(board.title, "Capitals");
        assert_eq!(board.categories().len(), 1);
        assert_eq!(board.rounds[0].categories[0].clues[1].answer, "Rome");
        assert_eq!(
            board.rounds[0].categories[0].clues[0].also_accept,
            vec!["Paree"]
        );
        assert_eq!(
            board.rounds[0].categories[0].clues[1].image.as_deref(),
            Some("media/pic.svg")
        );
        assert!(board.media.contains_key("media/pic.svg"));
    }

    #[test]
    fn a_written_board_reads_back_the_same() {
        let mut board = parse_text(SMALL).unwrap();
        board.rounds[0].categories[0].clues[0].answer =
            "Two \"quoted\"\n\nparagraphs \\ here".into();
        let again = parse_text(&write(&board)).unwrap();
        assert_eq!(again, board);
    }

    #[test]
    fn a_clue_without_an_answer_is_named_with_its_line() {
        let text = SMALL.replace("answer = \"Rome\"\n", "");
        let err = parse_text(&text).unwrap_err();
        assert_eq!(err.file, "boards/test.toml");
        assert!(
            err.message
                .contains("\"The capital of Italy\" has no `answer`")
        );
        // The line of the `[[category.clue]]` header that starts the clue.
        assert_eq!(err.line, Some(13), "{err}");
    }

    #[test]
    fn a_toml_syntax_error_names_line_and_column() {
        let err = parse_text("title = \"x\"\n[[category]\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.to_string().starts_with("boards/test.toml:2:"), "{err}");
    }

    #[test]
    fn a_misspelled_field_is_refused() {
        let text = SMALL.replace("answer = \"Paris\"", "answr = \"Paris\"");
        let err = parse_text(&text).unwrap_err();
        assert!(err.message.contains("answr"), "{err}");
    }

    #[test]
    fn two_clues_with_the_same_value_in_a_category_are_refused() {
        let text = SMALL.replace("value = 200", "value = 100");
        let err = parse_text(&text).unwrap_err();
        assert!(err.message.contains("two clues worth 100"), "{err}");
    }

    #[test]
    fn a_missing_image_is_reported_with_the_clue() {
        let err = parse(
            BoardId::parse("test").unwrap(),
            SMALL,
            "boards/test.toml",
            &NoMedia,
        )
        .unwrap_err();
        assert!(err.message.contains("The capital of Italy"), "{err}");
        assert!(err.message.contains("media/pic.svg"), "{err}");
    }

    #[test]
    fn an_image_path_that_leaves_the_board_folder_is_refused() {
        let text = SMALL.replace("media/pic.svg", "../secret.svg");
        let err = parse_text(&text).unwrap_err();
        assert!(err.message.contains(".."), "{err}");
    }

    #[test]
    fn a_board_without_categories_is_refused() {
        let err = parse_text("title = \"Empty\"\n").unwrap_err();
        assert!(err.message.contains("no categories"), "{err}");
    }

    #[test]
    fn the_example_in_docs_boards_md_is_a_valid_board() {
        struct AnyPng;
        impl MediaSource for AnyPng {
            fn read(&self, _: &str) -> Result<Vec<u8>, String> {
                Ok(b"\x89PNG\r\n\x1a\n".to_vec())
            }
        }
        let doc = include_str!("../../docs/boards.md");
        let examples: Vec<&str> = doc
            .split("```toml")
            .skip(1)
            .filter_map(|rest| rest.split("```").next())
            .collect();
        assert!(examples.len() >= 2);
        for example in &examples[1..] {
            parse(
                BoardId::parse("doc").unwrap(),
                example,
                "docs/boards.md",
                &AnyPng,
            )
            .unwrap_or_else(|e| panic!("{e}\n{example}"));
        }
        let board = parse(
            BoardId::parse("doc").unwrap(),
            examples[0],
            "docs/boards.md",
            &AnyPng,
        )
        .unwrap();
        assert_eq!(board.categories().len(), 2);
        assert_eq!(
            board.rounds[0].categories[1].clues[1]
                .answer
                .split("\n\n")
                .count(),
            2
        );
    }

    #[test]
    fn a_sound_is_accepted_as_audio_but_not_as_a_picture() {
        struct Sounds;
        impl MediaSource for Sounds {
            fn read(&self, _: &str) -> Result<Vec<u8>, String> {
                Ok(b"ID3\x04 a sound".to_vec())
            }
        }
        let with_audio = SMALL.replace("image = \"media/pic.svg\"", "audio = \"media/tune.mp3\"");
        let board = parse(BoardId::parse("t").unwrap(), &with_audio, "t.toml", &Sounds).unwrap();
        assert_eq!(
            board.rounds[0].categories[0].clues[1].audio.as_deref(),
            Some("media/tune.mp3")
        );
        let as_picture = SMALL.replace("image = \"media/pic.svg\"", "image = \"media/tune.mp3\"");
        let err = parse(BoardId::parse("t").unwrap(), &as_picture, "t.toml", &Sounds).unwrap_err();
        assert!(
            err.message.contains("which is a sound, not a picture"),
            "{err}"
        );
    }

    const TWO_ROUNDS: &str = r#"
title = "Two rounds"

[[round]]
name = "First"

[[round.category]]
name = "A"

[[round.category.clue]]
value = 100
clue = "q1"
answer = "a1"

[[round]]
name = "Double"

[[round.category]]
name = "B"

[[round.category.clue]]
value = 400
daily_double = true
clue = "q2"
answer = "a2"

[final]
category = "Rivers"
clue = "The longest river"
answer = "The Nile"
also_accept = ["Nile"]
"#;

    #[test]
    fn a_board_with_rounds_a_daily_double_and_a_final_reads_and_writes_back() {
        let board = parse_text(TWO_ROUNDS).unwrap();
        assert_eq!(board.rounds.len(), 2);
        assert_eq!(board.rounds[1].name, "Double");
        assert!(board.rounds[1].categories[0].clues[0].daily_double);
        assert!(!board.rounds[0].categories[0].clues[0].daily_double);
        assert_eq!(board.final_clue.as_ref().unwrap().answer, "The Nile");
        assert_eq!(parse_text(&write(&board)).unwrap(), board);
    }

    #[test]
    fn categories_and_rounds_cannot_be_mixed() {
        let text = format!("{TWO_ROUNDS}\n[[category]]\nname = \"X\"\n");
        let err = parse_text(&text).unwrap_err();
        assert!(err.message.contains("not both"), "{err}");
    }

    #[test]
    fn a_final_without_an_answer_is_named() {
        let text = TWO_ROUNDS.replace("answer = \"The Nile\"\n", "");
        let err = parse_text(&text).unwrap_err();
        assert!(
            err.message.contains("[final] clue has no `answer`"),
            "{err}"
        );
    }

    #[test]
    fn a_zero_value_is_refused() {
        let err = parse_text(&SMALL.replace("value = 100", "value = 0")).unwrap_err();
        assert!(err.message.contains("between 1 and"), "{err}");
    }
}
