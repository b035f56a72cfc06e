//! Entry points for fuzzing: each takes arbitrary bytes, as an attacker or
//! a broken file would supply them, and must return without panicking.
//!
//! The same functions back the cargo-fuzz targets in `fuzz/` (run with a
//! nightly toolchain: `cargo +nightly fuzz run client_message`) and the
//! stable, time-bounded `cargo bench --bench fuzz`.

use crate::board::format::{self, MediaSource};
use crate::board::{BoardId, csv, jeopardylabs};
use crate::protocol::ClientMsg;

struct NoMedia;

impl MediaSource for NoMedia {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        Err(path.to_owned())
    }
}

fn id() -> BoardId {
    // A fixed, valid id: the parse cannot fail.
    BoardId::parse("fuzz").expect("\"fuzz\" is a valid board id")
}

/// A WebSocket message from a page: decoding and, when it decodes, encoding
/// it again.
pub fn client_message(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(msg) = serde_json::from_str::<ClientMsg>(text)
    {
        let again = serde_json::to_string(&msg).expect("a decoded message encodes");
        let back: ClientMsg = serde_json::from_str(&again).expect("an encoded message decodes");
        // Floats may print differently; the variant and its other fields
        // must survive.
        assert_eq!(std::mem::discriminant(&back), std::mem::discriminant(&msg));
    }
}

/// A board file in the board format.
pub fn board_file(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = format::parse(id(), text, "fuzz.toml", &NoMedia);
    }
}

/// A spreadsheet saved as CSV or TSV.
pub fn spreadsheet(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = csv::import(id(), "Fuzz", text, "fuzz.csv", &NoMedia);
    }
}

/// A JeopardyLabs text export.
pub fn jeopardylabs_export(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = jeopardylabs::import(id(), "Fuzz", text, "fuzz.txt");
    }
}
