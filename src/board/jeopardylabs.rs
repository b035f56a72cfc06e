//! Importer for JeopardyLabs' plain-text export.
//!
//! The export is a list of lines: the category names, one per line; then for
//! each tile, row by row and left to right, a point value on its own line,
//! the clue, and the answer. Paragraphs are separated by blank lines. An
//! answer may run over several paragraphs; one that starts with the line
//! "multiple correct answers" lists several accepted answers, one paragraph
//! each. The page's vertical "M e n u" link comes out as one letter a line
//! at the very end and is dropped. Non-breaking spaces around text are
//! trimmed like ordinary spaces.
//!
//! The result goes through the same checks as a board file, by writing it in
//! the board format and parsing that, so an imported board is a valid board.

use super::format::{self, BoardError, MediaSource};
use super::{Board, BoardId, Category, Clue};

/// A tile as found in the export, before it is placed on the board.
struct RawTile {
    value: i64,
    clue: String,
    answer_paragraphs: Vec<String>,
    line: usize,
}

/// Converts a JeopardyLabs export into a board.
///
/// `file` names the export in error messages; `title` becomes the board's
/// title (the export does not carry one).
pub fn import(id: BoardId, title: &str, text: &str, file: &str) -> Result<Board, BoardError> {
    let error = |line: Option<usize>, message: String| BoardError {
        file: file.to_owned(),
        line,
        column: None,
        message,
    };
    let lines: Vec<&str> = text.lines().map(trim).collect();
    let lines = strip_menu_noise(&lines);

    // Category names: every non-blank line before the first point value.
    let first_value = lines
        .iter()
        .position(|l| parse_value(l).is_some())
        .ok_or_else(|| {
            error(
                None,
                "no point value found: a JeopardyLabs export lists the categories, then a value line (like 100) before each clue".into(),
            )
        })?;
    let names: Vec<String> = lines[..first_value]
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.to_string())
        .collect();
    if names.is_empty() {
        return Err(error(
            Some(first_value + 1),
            "the export starts with a value line; the category names must come first".into(),
        ));
    }

    let tiles = read_tiles(&lines, first_value).map_err(|(line, m)| error(Some(line), m))?;
    if tiles.len() % names.len() != 0 {
        return Err(error(
            None,
            format!(
                "found {} clues for {} categories; every category needs the same number of clues in this format",
                tiles.len(),
                names.len()
            ),
        ));
    }

    let mut categories: Vec<Category> = names
        .into_iter()
        .map(|name| Category {
            name,
            clues: Vec::new(),
        })
        .collect();
    let width = categories.len();
    for (index, tile) in tiles.into_iter().enumerate() {
        let (answer, also_accept) = split_answers(tile.answer_paragraphs).ok_or_else(|| {
            error(
                Some(tile.line),
                format!("clue \"{}\" has no answer", format::preview(&tile.clue)),
            )
        })?;
        categories[index % width].clues.push(Clue {
            value: tile.value,
            clue: tile.clue,
            answer,
            also_accept,
            image: None,
            audio: None,
            video: None,
            answer_image: None,
            daily_double: false,
        });
    }

    let board = Board::single_round(id.clone(), title.trim().to_owned(), None, categories);
    // Round-trip through the board format so the importer cannot produce a
    // board the loader would refuse.
    format::parse(id, &format::write(&board), file, &NoMedia)
}

struct NoMedia;
impl MediaSource for NoMedia {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        Err(format!("{path}: imported boards carry no media"))
    }
}

fn trim(line: &str) -> &str {
    // `str::trim` also removes U+00A0, which the export puts around answers.
    line.trim()
}

/// Drops trailing blank lines and the one-letter-per-line "Menu" at the end.
fn strip_menu_noise<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let mut end = lines.len();
    while end > 0 && lines[end - 1].is_empty() {
        end -= 1;
    }
    let tail: String = lines[end.saturating_sub(4)..end].concat();
    if end >= 4
        && tail.eq_ignore_ascii_case("menu")
        && lines[end - 4..end].iter().all(|l| l.chars().count() == 1)
    {
        end -= 4;
        while end > 0 && lines[end - 1].is_empty() {
            end -= 1;
        }
    }
    lines[..end].to_vec()
}

/// A point value line: digits, optionally with a leading `$` and separators.
fn parse_value(line: &str) -> Option<i64> {
    let digits = line.strip_prefix('$').unwrap_or(line);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    digits.replace(',', "").parse().ok()
}

/// Splits the body into tiles: a value line, the clue paragraph, then answer
/// paragraphs until the next value line.
fn read_tiles(lines: &[&str], start: usize) -> Result<Vec<RawTile>, (usize, String)> {
    let mut tiles: Vec<RawTile> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, tiles: &mut Vec<RawTile>| {
        if paragraph.is_empty() {
            return;
        }
        let text = paragraph.join("\n");
        paragraph.clear();
        if let Some(tile) = tiles.last_mut() {
            if tile.clue.is_empty() {
                tile.clue = text;
            } else {
                tile.answer_paragraphs.push(text);
            }
        }
    };
    for (offset, line) in lines[start..].iter().enumerate() {
        let line_number = start + offset + 1;
        let awaiting_answer = tiles
            .last()
            .is_some_and(|t| !t.clue.is_empty() && t.answer_paragraphs.is_empty());
        match parse_value(line) {
            // A number right after a clue is that clue's answer, not a new tile.
            Some(value) if paragraph.is_empty() && !awaiting_answer => {
                if let Some(last) = tiles.last()
                    && last.clue.is_empty()
                {
                    return Err((
                        last.line,
                        format!("value {} has no clue after it", last.value),
                    ));
                }
                tiles.push(RawTile {
                    value,
                    clue: String::new(),
                    answer_paragraphs: Vec::new(),
                    line: line_number,
                });
            }
            _ if line.is_empty() => flush(&mut paragraph, &mut tiles),
            _ => paragraph.push(line),
        }
    }
    flush(&mut paragraph, &mut tiles);
    if let Some(last) = tiles.last()
        && last.clue.is_empty()
    {
        return Err((
            last.line,
            format!("value {} has no clue after it", last.value),
        ));
    }
    Ok(tiles)
}

/// The displayed answer and the other accepted answers.
fn split_answers(mut paragraphs: Vec<String>) -> Option<(String, Vec<String>)> {
    let is_list_marker = paragraphs
        .first()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("multiple correct answers"));
    if is_list_marker {
        paragraphs.remove(0);
        if paragraphs.is_empty() {
            return None;
        }
        let first = paragraphs.remove(0);
        Some((first, paragraphs))
    } else if paragraphs.is_empty() {
        None
    } else {
        Some((paragraphs.join("\n\n"), Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    //! The JeopardyLabs importer, on small exports that show each rule.
    use super::*;

    fn id() -> BoardId {
        BoardId::parse("t").unwrap()
    }

    #[test]
    fn categories_fill_row_by_row() {
        let text =
            "A\nB\n100\n\nqa\n\nra\n\n100\n\nqb\n\nrb\n\n200\n\nqa2\n\nra2\n\n200\n\nqb2\n\nrb2\n";
        let board = import(id(), "T", text, "x.txt").unwrap();
        assert_eq!(board.rounds[0].categories[0].name, "A");
        assert_eq!(board.rounds[0].categories[1].clues[0].clue, "qb");
        assert_eq!(board.rounds[0].categories[0].clues[1].answer, "ra2");
        assert_eq!(board.rounds[0].categories[1].clues[1].value, 200);
    }

    #[test]
    fn the_menu_noise_at_the_end_is_dropped() {
        let text = "A\n100\n\nq\n\nr\n\n\nM\ne\nn\nu";
        let board = import(id(), "T", text, "x.txt").unwrap();
        assert_eq!(board.rounds[0].categories[0].clues[0].answer, "r");
    }

    #[test]
    fn a_multiple_answer_list_becomes_accepted_answers() {
        let text = "A\n100\n\nq\n\nmultiple correct answers\n\none\n\ntwo\n\nthree\n";
        let board = import(id(), "T", text, "x.txt").unwrap();
        let clue = &board.rounds[0].categories[0].clues[0];
        assert_eq!(clue.answer, "one");
        assert_eq!(clue.also_accept, vec!["two", "three"]);
    }

    #[test]
    fn a_multi_paragraph_answer_keeps_its_paragraphs() {
        let text = "A\n100\n\nq\n\nfirst part\n\nsecond part\n";
        let board = import(id(), "T", text, "x.txt").unwrap();
        assert_eq!(
            board.rounds[0].categories[0].clues[0].answer,
            "first part\n\nsecond part"
        );
    }

    #[test]
    fn a_numeric_answer_is_not_taken_for_a_value() {
        let text = "A\n100\n\nHow many?\n\n42\n\n200\n\nq\n\nr\n";
        let board = import(id(), "T", text, "x.txt").unwrap();
        assert_eq!(board.rounds[0].categories[0].clues[0].answer, "42");
        assert_eq!(board.rounds[0].categories[0].clues[1].value, 200);
    }

    #[test]
    fn non_breaking_spaces_around_text_are_trimmed() {
        let text = "A\n100\n\nq\n\n\u{a0}answer\u{a0} \n";
        let board = import(id(), "T", text, "x.txt").unwrap();
        assert_eq!(board.rounds[0].categories[0].clues[0].answer, "answer");
    }

    #[test]
    fn a_clue_without_an_answer_is_reported_with_its_line() {
        let text = "A\n100\n\nlonely clue\n";
        let err = import(id(), "T", text, "x.txt").unwrap_err();
        assert!(err.message.contains("lonely clue"), "{err}");
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn text_without_values_is_refused() {
        let err = import(id(), "T", "just some\nwords\n", "x.txt").unwrap_err();
        assert!(err.message.contains("no point value"), "{err}");
    }

    #[test]
    fn a_ragged_export_is_refused() {
        let text = "A\nB\n100\n\nq\n\nr\n";
        let err = import(id(), "T", text, "x.txt").unwrap_err();
        assert!(err.message.contains("1 clues for 2 categories"), "{err}");
    }
}

#[cfg(test)]
mod seed {
    //! The shipped RLHF board is the seed export, imported.
    use super::*;
    use crate::board::BoardLibrary;

    #[test]
    fn importing_the_seed_export_gives_the_shipped_rlhf_board() {
        let text = include_str!("../../tests/data/rlhf-jeopardylabs.txt");
        let imported = import(BoardId::parse("rlhf").unwrap(), "RLHF", text, "seed").unwrap();
        let shipped = BoardLibrary::builtin().get("rlhf").unwrap();
        assert_eq!(imported.categories().len(), 5);
        assert_eq!(imported.clue_count(), 25);
        // The shipped board adds a title, a description and the diagram;
        // every category, value, clue and answer is the export's, word for word.
        let mut shipped_content = shipped.rounds[0].categories.clone();
        for category in &mut shipped_content {
            for clue in &mut category.clues {
                clue.image = None;
            }
        }
        assert_eq!(imported.rounds[0].categories, shipped_content);
        let diagram = &shipped.rounds[0].categories[2];
        assert_eq!(diagram.name, "Refer to the Diagram");
        assert!(diagram.clues.iter().all(|c| c.image.is_some()));
    }
}
