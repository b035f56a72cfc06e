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
//! | `round` | no | must be the same on every row for now (boards have one round) |
//!
//! Tabs in the header row mean TSV; otherwise commas. Quoted fields follow
//! RFC 4180: `"a, b"`, `"say ""hi"""`, and line breaks inside quotes. The
//! result goes through the board format's checks (see [`super::format`]), so
//! an imported board is always valid; errors name the CSV line and column.

use super::format::{self, BoardError, MediaSource};
use super::{Board, BoardId, Category, Clue};

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

struct NoMedia;

impl MediaSource for NoMedia {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        Err(format!("{path}: spreadsheet imports carry no media"))
    }
}

/// Converts a CSV or TSV export into a board titled `title`. `file` names
/// the export in error messages.
pub fn import(id: BoardId, title: &str, text: &str, file: &str) -> Result<Board, BoardError> {
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
    let (round_col, also_col) = (column("round"), column("also_accept"));
    if let Some(unknown) = header.iter().find(|h| {
        ![
            "round",
            "category",
            "value",
            "clue",
            "answer",
            "also_accept",
            "",
        ]
        .contains(&h.as_str())
    }) {
        return Err(fail(
            Some(1),
            format!(
                "unknown column `{unknown}`; the columns are: round, category, value, clue, answer, also_accept"
            ),
        ));
    }

    let mut categories: Vec<Category> = Vec::new();
    let mut first_round: Option<String> = None;
    for row in &rows[1..] {
        let line = row.first().map(|c| c.line).unwrap_or(0);
        let get = |index: usize| row.get(index).map(|c| c.text.trim()).unwrap_or("");
        if let Some(round_col) = round_col {
            let round = get(round_col).to_owned();
            match &first_round {
                None => first_round = Some(round),
                Some(first) if *first != round => {
                    return Err(fail(
                        Some(line),
                        format!(
                            "round {round:?} differs from round {first:?} above; boards have a single round for now, so give every row the same round"
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
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
        let clue = Clue {
            value,
            clue: get(clue_col).to_owned(),
            answer: get(answer_col).to_owned(),
            also_accept,
            image: None,
            audio: None,
            video: None,
            answer_image: None,
            daily_double: false,
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
        match categories.iter_mut().find(|c| c.name == category) {
            Some(existing) => existing.clues.push(clue),
            None => categories.push(Category {
                name: category.to_owned(),
                clues: vec![clue],
            }),
        }
    }
    let board = Board::single_round(id.clone(), title.trim().to_owned(), None, categories);
    // Through the board format, so every rule of a board file applies.
    format::parse(id, &format::write(&board), file, &NoMedia)
}

#[cfg(test)]
mod tests {
    //! The spreadsheet importer.
    use super::*;

    fn id() -> BoardId {
        BoardId::parse("sheet").unwrap()
    }

    #[test]
    fn the_template_imports_as_a_two_category_board() {
        let board = import(id(), "Template", TEMPLATE, "template.csv").unwrap();
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
        let board = import(id(), "T", text, "x.tsv").unwrap();
        assert_eq!(board.rounds[0].categories[0].clues[0].clue, "two\nlines");
    }

    #[test]
    fn doubled_quotes_are_one_quote() {
        let text = "category,value,clue,answer\nA,100,\"say \"\"hi\"\"\",hi\n";
        let board = import(id(), "T", text, "x.csv").unwrap();
        assert_eq!(board.rounds[0].categories[0].clues[0].clue, "say \"hi\"");
    }

    #[test]
    fn a_missing_answer_names_its_line() {
        let text = "category,value,clue,answer\nA,100,q1,a1\nA,200,q2,\n";
        let err = import(id(), "T", text, "x.csv").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(
            err.message.contains("\"q2\" has an empty `answer`"),
            "{err}"
        );
    }

    #[test]
    fn a_value_that_is_not_a_number_is_refused() {
        let text = "category,value,clue,answer\nA,lots,q,a\n";
        let err = import(id(), "T", text, "x.csv").unwrap_err();
        assert!(err.message.contains("\"lots\""), "{err}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = import(id(), "T", "category,value,clue\nA,1,q\n", "x.csv").unwrap_err();
        assert!(err.message.contains("no `answer` column"), "{err}");
    }

    #[test]
    fn two_rounds_are_refused_for_now_with_the_line() {
        let text = "round,category,value,clue,answer\n1,A,100,q,a\n2,A,200,q,a\n";
        let err = import(id(), "T", text, "x.csv").unwrap_err();
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn an_unclosed_quote_is_reported() {
        let err = import(
            id(),
            "T",
            "category,value,clue,answer\nA,1,\"q,a\n",
            "x.csv",
        )
        .unwrap_err();
        assert!(err.message.contains("never closed"), "{err}");
    }

    #[test]
    fn an_import_written_out_reads_back_as_the_same_board() {
        let board = import(id(), "Template", TEMPLATE, "template.csv").unwrap();
        let again = format::parse(id(), &format::write(&board), "again.toml", &NoMedia).unwrap();
        assert_eq!(again, board);
    }
}
