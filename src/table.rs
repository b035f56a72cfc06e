//! Tables a teacher downloads (results, the clue log, the buzz audit), and
//! the two files they are written as: CSV and an Excel workbook (.xlsx).
//!
//! A [`Table`] is made once and written either way. Text from players
//! (names, team names) reaches a spreadsheet as text only: in the workbook
//! every text cell is a string, never a formula; in CSV every piece of a
//! field that a spreadsheet could split out (on `,` or `;`, which Excel
//! uses in German, French, Spanish and Portuguese, on tabs or line breaks)
//! is kept from starting with `=`, `+`, `-` or `@`.
//!
//! The workbook is written here, without a dependency: a ZIP archive of
//! stored (uncompressed) parts holding the few XML files SpreadsheetML
//! needs. What this module does not do: styles beyond a bold header row,
//! formulas, dates.

use std::fmt::Write as _;

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text, shown as written.
    Text(String),
    /// A whole number.
    Number(i64),
    /// Nothing.
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<i64> for Cell {
    fn from(number: i64) -> Cell {
        Cell::Number(number)
    }
}

impl From<usize> for Cell {
    fn from(number: usize) -> Cell {
        Cell::Number(number as i64)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, Into::into)
    }
}

/// A table with one header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The sheet's name in a workbook (at most 31 characters).
    pub name: &'static str,
    /// The column names.
    pub header: Vec<&'static str>,
    /// The rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as CSV (comma-separated, CRLF line ends, UTF-8).
    pub fn to_csv(&self) -> String {
        let mut csv = String::new();
        let header: Vec<Cell> = self.header.iter().map(|h| Cell::from(*h)).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let line: Vec<String> = row.iter().map(csv_cell).collect();
            csv.push_str(&line.join(","));
            csv.push_str("\r\n");
        }
        csv
    }
}

fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => csv_field(text),
        Cell::Number(n) => n.to_string(),
        Cell::Empty => String::new(),
    }
}

/// Characters that start a formula in Excel, LibreOffice or Google Sheets.
const FORMULA_START: [char; 4] = ['=', '+', '-', '@'];
/// Characters a spreadsheet may split a line on, whatever the file meant.
const SPLITS: [char; 6] = [',', ';', '\t', '\r', '\n', '|'];

/// A CSV field: every piece a spreadsheet could split out that would
/// start with a formula character gets a `'` in front (shown, never run),
/// and the field is quoted when it holds a separator or a quote.
pub fn csv_field(text: &str) -> String {
    let mut guarded = String::with_capacity(text.len() + 2);
    let mut piece_start = true;
    for ch in text.chars() {
        if piece_start && FORMULA_START.contains(&ch) {
            guarded.push('\'');
        }
        guarded.push(ch);
        // Spaces before a formula character do not make it text.
        piece_start = SPLITS.contains(&ch) || (piece_start && ch == ' ');
    }
    if guarded.contains(['"', ',', ';', '\t', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The tables as one Excel workbook, a sheet each, the header row bold
/// and kept in view.
pub fn to_xlsx(tables: &[Table]) -> Vec<u8> {
    let mut zip = Zip::default();
    let sheets = tables.len();
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    );
    for i in 1..=sheets {
        let _ = write!(
            types,
            r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
    }
    types.push_str("</Types>");
    zip.add("[Content_Types].xml", types.as_bytes());
    zip.add(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    let mut workbook = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, table) in tables.iter().enumerate() {
        let n = i + 1;
        let name: String = xml_text(table.name).chars().take(31).collect();
        let _ = write!(
            workbook,
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        );
        let _ = write!(
            rels,
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
    }
    workbook.push_str("</sheets></workbook>");
    let _ = write!(
        rels,
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        sheets + 1
    );
    zip.add("xl/workbook.xml", workbook.as_bytes());
    zip.add("xl/_rels/workbook.xml.rels", rels.as_bytes());
    zip.add("xl/styles.xml", STYLES.as_bytes());
    for (i, table) in tables.iter().enumerate() {
        zip.add(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            sheet_xml(table).as_bytes(),
        );
    }
    zip.finish()
}

/// Two cell formats: plain (0) and bold (1, the header).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>"#;

fn sheet_xml(table: &Table) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#,
    );
    let header: Vec<Cell> = table.header.iter().map(|h| Cell::from(*h)).collect();
    for (r, row) in std::iter::once(&header).chain(&table.rows).enumerate() {
        let number = r + 1;
        let _ = write!(xml, r#"<row r="{number}">"#);
        let style = if r == 0 { r#" s="1""# } else { "" };
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{number}", column_name(c));
            match cell {
                Cell::Text(text) => {
                    let _ = write!(
                        xml,
                        r#"<c r="{at}" t="inlineStr"{style}><is><t xml:space="preserve">{}</t></is></c>"#,
                        xml_text(text)
                    );
                }
                Cell::Number(n) => {
                    let _ = write!(xml, r#"<c r="{at}"{style}><v>{n}</v></c>"#);
                }
                Cell::Empty => {}
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// "A", "B", ... "Z", "AA", ...
fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Text escaped for XML, without the characters XML 1.0 cannot hold.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A ZIP archive of stored (uncompressed) files.
#[derive(Default)]
pub(crate) struct Zip {
    bytes: Vec<u8>,
    directory: Vec<u8>,
    entries: u16,
}

impl Zip {
    /// Adds a file.
    pub(crate) fn add(&mut self, name: &str, data: &[u8]) {
        let offset = self.bytes.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        // 1980-01-01 00:00, the earliest a ZIP can say.
        let (time, date) = (0u16, 0x21u16);
        let name = name.as_bytes();
        let header = |signature: u32, central: bool| {
            let mut h = Vec::with_capacity(46 + name.len());
            h.extend_from_slice(&signature.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // needed
            h.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&time.to_le_bytes());
            h.extend_from_slice(&date.to_le_bytes());
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&0u16.to_le_bytes()); // comment
                h.extend_from_slice(&0u16.to_le_bytes()); // disk
                h.extend_from_slice(&0u16.to_le_bytes()); // internal
                h.extend_from_slice(&0u32.to_le_bytes()); // external
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name);
            h
        };
        self.bytes.extend(header(0x0403_4b50, false));
        self.bytes.extend_from_slice(data);
        self.directory.extend(header(0x0201_4b50, true));
        self.entries += 1;
    }

    /// The archive's bytes.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let start = self.bytes.len() as u32;
        let size = self.directory.len() as u32;
        self.bytes.append(&mut self.directory);
        self.bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.bytes.extend_from_slice(&[0; 4]); // disk numbers
        self.bytes.extend_from_slice(&self.entries.to_le_bytes());
        self.bytes.extend_from_slice(&self.entries.to_le_bytes());
        self.bytes.extend_from_slice(&size.to_le_bytes());
        self.bytes.extend_from_slice(&start.to_le_bytes());
        self.bytes.extend_from_slice(&0u16.to_le_bytes()); // comment
        self.bytes
    }
}

/// CRC-32 (IEEE), as ZIP needs it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    //! Fields a spreadsheet would run, and the workbook's pieces.
    use super::*;

    #[test]
    fn a_formula_at_the_start_of_a_field_is_shown_not_run() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("Ana"), "Ana");
    }

    /// Issue 21, hole 4: German, French, Spanish and Portuguese Excel split
    /// on `;`, so a name guarded at its first character only still ran.
    #[test]
    fn every_piece_a_spreadsheet_could_split_out_is_guarded() {
        let field = csv_field("b;=HYPERLINK(B2);");
        assert_eq!(field, "\"b;'=HYPERLINK(B2);\"");
        for split in [',', ';', '\t', '\n', '|'] {
            let field = csv_field(&format!("x{split} -2+3"));
            assert!(field.contains(" '-2+3"), "{field:?}");
        }
        assert_eq!(
            csv_field("Ana-Lucía"),
            "Ana-Lucía",
            "a hyphen inside a name is fine"
        );
    }

    #[test]
    fn a_field_with_a_quote_or_separator_is_quoted() {
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
    }

    #[test]
    fn the_crc_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn text_that_xml_cannot_hold_is_left_out() {
        assert_eq!(xml_text("a<b>&\u{1}\"c"), "a&lt;b&gt;&amp;&quot;c");
    }
}
