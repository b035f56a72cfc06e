//! Importer for boards kept in a spreadsheet, exported as CSV or TSV.
//!
//! The first row names the columns (any order, any case):
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `category` | yes | the column heading; rows with the same category form one column, in order of first appearance |
//! | `value` | yes | points |
//! | `clue` | yes | the clue text |
//! | `answer` | yes | the expected answer |
//! | `also_accept` | no | other accepted answers, separated by `|` |
//! | `round` | no | rows with the same round form one round, in order of first appearance; a number is named "Round N" |
//! | `daily_double` | no | `yes` marks a Daily Double |
//! | `image`, `audio`, `video`, `answer_image` | no | media files, relative to the spreadsheet |
//!
//! Tabs in the header row mean TSV; otherwise commas. Quoted fields follow
//! RFC 4180: `"a, b"`, `"say ""hi"""`, and line breaks inside quotes. The
//! result goes through the board format's checks (see [`super::format`]), so
//! an imported board is always valid; errors name the CSV line and column.

use super::format::{self, BoardError, MediaSource};
use super::{Board, BoardId, Category, Clue, Round};

/// A template teachers can fill in, offered for download on the start page.
pub const TEMPLATE: &str = "round,category,value,clue,answer,also_accept\n\
1,Capitals,100,The capital of France,Paris,\n\
1,Capitals,200,The capital of Italy,Rome,Roma\n\
1,Rivers,100,The river through London,The Thames,Thames\n\
1,Rivers,200,\"The longest river in Africa, flowing north\",The Nile,Nile\n";

/// One parsed cell, with the 1-based line it started on.
struct Cell {
    text: String,
    line: usize,
}

/// Splits CSV text into rows of cells.
fn rows(text: &str, delimiter: char) -> Result<Vec<Vec<Cell>>, (usize, String)> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut cell_line = 1;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    let mut quoted_cell = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() && !quoted_cell => {
                in_quotes = true;
                quoted_cell = true;
            }
            '"' => {
                return Err((
                    line,
                    "a quote (\") in the middle of a cell: put the whole cell in quotes and double the quote (\"\")"
                        .into(),
                ));
            }
            c if c == delimiter => {
                row.push(Cell {
                    text: std::mem::take(&mut cell),
                    line: cell_line,
                });
                quoted_cell = false;
                cell_line = line;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(Cell {
                    text: std::mem::take(&mut cell),
                    line: cell_line,
                });
                rows.push(std::mem::take(&mut row));
                quoted_cell = false;
                line += 1;
                cell_line = line;
            }
            c => cell.push(c),
        }
    }
    if in_quotes {
        return Err((
            cell_line,
            "a quoted cell is never closed: add the closing quote (\")".into(),
        ));
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(Cell {
            text: cell,
            line: cell_line,
        });
        rows.push(row);
    }
    Ok(rows)
}

/// Media for a spreadsheet uploaded on its own: there is none.
pub struct NoMedia;

impl MediaSource for NoMedia {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        Err(format!(
            "{path}: an uploaded spreadsheet cannot bring media; attach it in the editor"
        ))
    }
}

/// Converts a CSV or TSV export into a board titled `title`. `file` names
/// the export in error messages; `media` reads the pictures, sounds and
/// videos its media columns name.
pub fn import(
    id: BoardId,
    title: &str,
    text: &str,
    file: &str,
    media: &dyn MediaSource,
) -> Result<Board, BoardError> {
    let fail = |line: Option<usize>, message: String| BoardError {
        file: file.to_owned(),
        line,
        column: None,
        message,
    };
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.contains('\t') {
        '\t'
    } else {
        ','
    };
    let mut rows = rows(text, delimiter).map_err(|(line, m)| fail(Some(line), m))?;
    rows.retain(|row| row.iter().any(|c| !c.text.trim().is_empty()));
    if rows.is_empty() {
        return Err(fail(
            None,
            "the file is empty: start with a header row like `category,value,clue,answer`".into(),
        ));
    }
    let header: Vec<String> = rows[0]
        .iter()
        .map(|c| c.text.trim().to_ascii_lowercase().replace([' ', '-'], "_"))
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let required = |name: &str| {
        column(name).ok_or_else(|| {
            fail(
                Some(1),
                format!(
                    "the header row has no `{name}` column; the columns are: round (optional), category, value, clue, answer, also_accept (optional)"
                ),
            )
        })
    };
    let (category_col, value_col, clue_col, answer_col) = (
        required("category")?,
        required("value")?,
        required("clue")?,
        required("answer")?,
    );
    let optional = |name: &str| column(name);
    let (round_col, also_col, dd_col) = (
        optional("round"),
        optional("also_accept"),
        optional("daily_double"),
    );
    let media_cols = [
        ("image", optional("image")),
        ("audio", optional("audio")),
        ("video", optional("video")),
        ("answer_image", optional("answer_image")),
    ];
    if let Some(unknown) = header
        .iter()
        .find(|h| !COLUMNS.contains(&h.as_str()) && !h.is_empty())
    {
        return Err(fail(
            Some(1),
            format!(
                "unknown column `{unknown}`; the columns are: {}",
                COLUMNS.join(", ")
            ),
        ));
    }

    // Rounds in the order they first appear; a numeric round is named "Round N".
    let mut rounds: Vec<(String, Vec<Category>)> = Vec::new();
    for row in &rows[1..] {
        let line = row.first().map(|c| c.line).unwrap_or(0);
        let get = |index: usize| row.get(index).map(|c| c.text.trim()).unwrap_or("");
        let round_key = round_col.map(|c| get(c).to_owned()).unwrap_or_default();
        let category = get(category_col);
        if category.is_empty() {
            return Err(fail(Some(line), "the `category` cell is empty".into()));
        }
        let value_text = get(value_col).trim_start_matches('$').replace(',', "");
        let value: i64 = value_text.parse().map_err(|_| {
            fail(
                Some(line),
                format!(
                    "the `value` cell {:?} is not a whole number of points",
                    get(value_col)
                ),
            )
        })?;
        let also_accept = also_col
            .map(|col| {
                get(col)
                    .split('|')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let daily_double = match dd_col.map(|c| get(c).to_ascii_lowercase()) {
            None => false,
            Some(cell) => match cell.as_str() {
                "" | "no" | "false" | "0" | "n" => false,
                "yes" | "true" | "1" | "x" | "y" => true,
                _ => {
                    return Err(fail(
                        Some(line),
                        format!("the `daily_double` cell {cell:?} should be yes or no (or empty)"),
                    ));
                }
            },
        };
        let media = |field: &str| {
            media_cols
                .iter()
                .find(|(name, _)| *name == field)
                .and_then(|(_, col)| *col)
                .map(get)
                .filter(|cell| !cell.is_empty())
                .map(str::to_owned)
        };
        let clue = Clue {
            value,
            clue: get(clue_col).to_owned(),
            answer: get(answer_col).to_owned(),
            also_accept,
            image: media("image"),
            audio: media("audio"),
            video: media("video"),
            answer_image: media("answer_image"),
            daily_double,
        };
        if clue.clue.is_empty() {
            return Err(fail(Some(line), "the `clue` cell is empty".into()));
        }
        if clue.answer.is_empty() {
            return Err(fail(
                Some(line),
                format!(
                    "clue \"{}\" has an empty `answer` cell",
                    format::preview(&clue.clue)
                ),
            ));
        }
        let index = match rounds.iter().position(|(key, _)| *key == round_key) {
            Some(index) => index,
            None => {
                rounds.push((round_key.clone(), Vec::new()));
                rounds.len() - 1
            }
        };
        let categories = &mut rounds[index].1;
        match categories.iter_mut().find(|c| c.name == category) {
            Some(existing) => existing.clues.push(clue),
            None => categories.push(Category {
                name: category.to_owned(),
                clues: vec![clue],
            }),
        }
    }
    let rounds: Vec<Round> = rounds
        .into_iter()
        .enumerate()
        .map(|(index, (key, categories))| Round {
            name: if key.is_empty() || key.chars().all(|c| c.is_ascii_digit()) {
                format!("Round {}", index + 1)
            } else {
                key
            },
            categories,
        })
        .collect();
    let board = Board {
        id: id.clone(),
        title: title.trim().to_owned(),
        description: None,
        rounds,
        final_clue: None,
        media: Default::default(),
    };
    // Through the board format, so every rule of a board file applies (and
    // media paths are checked and read, relative to the spreadsheet).
    format::parse(id, &format::write(&board), file, media)
}

/// The columns a spreadsheet may have.
const COLUMNS: [&str; 11] = [
    "round",
    "category",
    "value",
    "clue",
    "answer",
    "also_accept",
    "daily_double",
    "image",
    "audio",
    "video",
    "answer_image",
];
#[cfg(test)]
mod tests {
    //! The spreadsheet importer.
    use super::*;

    fn id() -> BoardId {
        BoardId::parse("sheet").unwrap()
    }

    #[test]
    fn the_template_imports_as_a_two_category_board() {
        let board = import(id(), "Template", TEMPLATE, "template.csv", &NoMedia).unwrap();
        assert_eq!(board.categories().len(), 2);
        assert_eq!(board.rounds[0].categories[1].name, "Rivers");
        assert_eq!(
            board.rounds[0].categories[1].clues[1].clue,
            "The longest river in Africa, flowing north"
        );
        assert_eq!(
            board.rounds[0].categories[0].clues[1].also_accept,
            vec!["Roma"]
        );
    }

    #[test]
    fn tab_separated_files_and_quoted_line_breaks_work() {
        let text = "Category\tValue\tClue\tAnswer\nA\t100\t\"two\nlines\"\tyes\n";
        let board = import(id(), "T", text, "x.tsv", &NoMedia).unwrap();
        assert_eq!(board.rounds[0].categories[0].clues[0].clue, "two\nlines");
    }

    #[test]
    fn doubled_quotes_are_one_quote() {
        let text = "category,value,clue,answer\nA,100,\"say \"\"hi\"\"\",hi\n";
        let board = import(id(), "T", text, "x.csv", &NoMedia).unwrap();
        assert_eq!(board.rounds[0].categories[0].clues[0].clue, "say \"hi\"");
    }

    #[test]
    fn a_missing_answer_names_its_line() {
        let text = "category,value,clue,answer\nA,100,q1,a1\nA,200,q2,\n";
        let err = import(id(), "T", text, "x.csv", &NoMedia).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(
            err.message.contains("\"q2\" has an empty `answer`"),
            "{err}"
        );
    }

    #[test]
    fn a_value_that_is_not_a_number_is_refused() {
        let text = "category,value,clue,answer\nA,lots,q,a\n";
        let err = import(id(), "T", text, "x.csv", &NoMedia).unwrap_err();
        assert!(err.message.contains("\"lots\""), "{err}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = import(id(), "T", "category,value,clue\nA,1,q\n", "x.csv", &NoMedia).unwrap_err();
        assert!(err.message.contains("no `answer` column"), "{err}");
    }

    #[test]
    fn rows_form_rounds_in_order_and_daily_doubles_are_marked() {
        let text = "round,category,value,clue,answer,daily_double\n1,A,100,q,a,\nDouble,B,400,q2,a2,yes\n1,A,200,q3,a3,no\n";
        let board = import(id(), "T", text, "x.csv", &NoMedia).unwrap();
        assert_eq!(board.rounds.len(), 2);
        assert_eq!(board.rounds[0].name, "Round 1");
        assert_eq!(board.rounds[0].categories[0].clues.len(), 2);
        assert_eq!(board.rounds[1].name, "Double");
        assert!(board.rounds[1].categories[0].clues[0].daily_double);
    }

    #[test]
    fn a_daily_double_cell_that_is_not_yes_or_no_is_refused() {
        let text = "category,value,clue,answer,daily_double\nA,100,q,a,maybe\n";
        let err = import(id(), "T", text, "x.csv", &NoMedia).unwrap_err();
        assert!(err.message.contains("yes or no"), "{err}");
    }

    #[test]
    fn a_media_column_without_the_file_is_refused_with_the_clue() {
        let text = "category,value,clue,answer,image\nA,100,Which flag?,Japan,media/flag.png\n";
        let err = import(id(), "T", text, "x.csv", &NoMedia).unwrap_err();
        assert!(
            err.message.contains("Which flag?") && err.message.contains("attach it in the editor"),
            "{err}"
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported() {
        let err = import(
            id(),
            "T",
            "category,value,clue,answer\nA,1,\"q,a\n",
            "x.csv",
            &NoMedia,
        )
        .unwrap_err();
        assert!(err.message.contains("never closed"), "{err}");
    }

    #[test]
    fn an_import_written_out_reads_back_as_the_same_board() {
        let board = import(id(), "Template", TEMPLATE, "template.csv", &NoMedia).unwrap();
        let again = format::parse(id(), &format::write(&board), "again.toml", &NoMedia).unwrap();
        assert_eq!(again, board);
    }
}
