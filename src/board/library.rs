//! The set of boards a server offers: loaded at start-up, and grown by
//! boards teachers upload.
//!
//! Every `*.toml` file in the boards directory is loaded, then every board
//! saved in the data folder (uploads). Shipped boards are read-only; saved
//! boards are written atomically (a temporary file renamed into place), so a
//! failed save leaves the earlier version intact. A broken file is
//! recorded as a [`BoardError`] and shown on the landing page; it never stops
//! the server or hides the good boards. The RLHF board is compiled into the
//! binary, so a server started anywhere (say, a copied binary or a Docker
//! image without the `boards/` folder) still has it; a file with the same id
//! in the boards directory takes its place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::format::{self, BoardError, MediaSource};
use super::{Board, BoardId};

/// The id of the board a game uses when none is named.
pub const DEFAULT_BOARD: &str = "rlhf";

const BUILTIN_RLHF: &str = include_str!("../../boards/rlhf.toml");
const BUILTIN_RLHF_DIAGRAM: &[u8] = include_bytes!("../../boards/media/rlhf-pipeline.svg");

/// Where a board came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Compiled into the binary.
    BuiltIn,
    /// The boards folder shipped with the server: read-only.
    Shipped,
    /// Uploaded by a teacher and saved in the data folder.
    Saved,
}

/// Boards by id, plus the files that could not be loaded.
#[derive(Debug, Default)]
pub struct BoardLibrary {
    boards: BTreeMap<BoardId, (Arc<Board>, Source)>,
    problems: Vec<BoardError>,
}

/// Reads media from the folder that holds a board file (or spreadsheet).
pub struct DirMedia<'a>(pub &'a Path);

impl MediaSource for DirMedia<'_> {
    fn read(&self, relative_path: &str) -> Result<Vec<u8>, String> {
        let path = self.0.join(relative_path);
        let meta = std::fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.len() > super::media::MAX_MEDIA_BYTES as u64 {
            return Err(format!(
                "{} is larger than {} KiB",
                path.display(),
                super::media::MAX_MEDIA_BYTES / 1024
            ));
        }
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Reads the built-in board's media from the binary.
struct BuiltinMedia;

impl MediaSource for BuiltinMedia {
    fn read(&self, relative_path: &str) -> Result<Vec<u8>, String> {
        match relative_path {
            "media/rlhf-pipeline.svg" => Ok(BUILTIN_RLHF_DIAGRAM.to_vec()),
            other => Err(format!("{other} is not part of the built-in board")),
        }
    }
}

impl BoardLibrary {
    /// The built-in boards only.
    pub fn builtin() -> BoardLibrary {
        let mut library = BoardLibrary::default();
        let id = BoardId::parse(DEFAULT_BOARD).expect("the built-in id is valid");
        match format::parse(id, BUILTIN_RLHF, "built-in boards/rlhf.toml", &BuiltinMedia) {
            Ok(board) => {
                library.insert(board, Source::BuiltIn);
            }
            // Unreachable in a tested build: a unit test loads the built-in board.
            Err(e) => library.problems.push(e),
        }
        library
    }

    /// The built-in boards, then every `*.toml` board in `dir` (which may be
    /// missing: a server without a boards folder still runs).
    pub fn load(dir: &Path) -> BoardLibrary {
        let mut library = BoardLibrary::builtin();
        library.load_folder(dir, Source::Shipped);
        library
    }

    /// [`BoardLibrary::load`], then the boards saved in `saved` (uploads).
    pub fn load_with_saved(dir: &Path, saved: &Path) -> BoardLibrary {
        let mut library = BoardLibrary::load(dir);
        library.load_folder(saved, Source::Saved);
        library
    }

    fn load_folder(&mut self, dir: &Path, source: Source) {
        let library = self;
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                library.problems.push(BoardError {
                    file: dir.display().to_string(),
                    line: None,
                    column: None,
                    message: format!("the boards folder cannot be read: {e}"),
                });
                return;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            match load_file(&path) {
                Ok(board)
                    if source == Source::Saved
                        && library
                            .source(board.id.as_str())
                            .is_some_and(|s| s != Source::Saved) =>
                {
                    library.problems.push(BoardError {
                        file: path.display().to_string(),
                        line: None,
                        column: None,
                        message: format!(
                            "a shipped board is already called \"{}\"; rename this file",
                            board.id
                        ),
                    });
                }
                Ok(board) => {
                    library.insert(board, source);
                }
                Err(e) => {
                    tracing::warn!("skipping board: {e}");
                    library.problems.push(e);
                }
            }
        }
    }

    fn insert(&mut self, board: Board, source: Source) -> Arc<Board> {
        let board = Arc::new(board);
        self.boards
            .insert(board.id.clone(), (board.clone(), source));
        board
    }

    /// The board with this id.
    pub fn get(&self, id: &str) -> Option<Arc<Board>> {
        self.boards
            .iter()
            .find(|(k, _)| k.as_str() == id)
            .map(|(_, (b, _))| b.clone())
    }

    /// Where the board with this id came from.
    pub fn source(&self, id: &str) -> Option<Source> {
        self.boards
            .iter()
            .find(|(k, _)| k.as_str() == id)
            .map(|(_, (_, s))| *s)
    }

    /// All boards, ordered by id.
    pub fn boards(&self) -> impl Iterator<Item = &Arc<Board>> {
        self.boards.values().map(|(b, _)| b)
    }

    /// An id no board has yet, made from `wanted` (a title or file name):
    /// lowercase letters, digits and dashes, with `-2`, `-3`... if taken.
    pub fn unused_id(&self, wanted: &str) -> BoardId {
        let mut slug = String::new();
        for c in wanted.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let slug: String = slug.trim_matches('-').chars().take(40).collect();
        let base = if slug.is_empty() {
            "board".to_owned()
        } else {
            slug
        };
        let taken = |candidate: &str| self.get(candidate).is_some();
        let mut candidate = base.clone();
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        // Only letters, digits and dashes, 1 to 44 characters: always valid.
        BoardId::parse(&candidate).unwrap_or_else(|_| BoardId::parse("board").expect("valid"))
    }

    /// Saves an uploaded board in `dir` as `<id>.toml` and offers it. The
    /// file is written to a temporary name and renamed into place, so a
    /// failed save never leaves a half-written board. Shipped boards cannot
    /// be replaced.
    pub fn save(&mut self, board: Board, dir: &Path) -> Result<Arc<Board>, String> {
        if self
            .source(board.id.as_str())
            .is_some_and(|s| s != Source::Saved)
        {
            return Err(format!(
                "\"{}\" is a shipped board and cannot be replaced; save under another name",
                board.id
            ));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join(format!("{}.toml", board.id));
        let temporary = dir.join(format!(".{}.toml.partial", board.id));
        std::fs::write(&temporary, format::write(&board))
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temporary);
                format!("cannot save {}: {e}", path.display())
            })?;
        Ok(self.insert(board, Source::Saved))
    }

    /// Offers the board in `path`, a file of the saved-boards folder written
    /// by another server of a cluster (replacing an older version of it). A
    /// shipped board keeps its id.
    pub fn load_saved_file(&mut self, path: &Path) -> Result<Arc<Board>, BoardError> {
        let board = load_file(path)?;
        if self
            .source(board.id.as_str())
            .is_some_and(|s| s != Source::Saved)
        {
            return Err(BoardError {
                file: path.display().to_string(),
                line: None,
                column: None,
                message: format!("a shipped board is already called \"{}\"", board.id),
            });
        }
        Ok(self.insert(board, Source::Saved))
    }

    /// The files that could not be loaded, and why.
    pub fn problems(&self) -> &[BoardError] {
        &self.problems
    }
}

/// Loads one board file; its id is the file name without `.toml`.
pub fn load_file(path: &Path) -> Result<Board, BoardError> {
    let shown = path.display().to_string();
    let fail = |message: String| BoardError {
        file: shown.clone(),
        line: None,
        column: None,
        message,
    };
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| fail("the file name is not valid text".into()))?;
    let id = BoardId::parse(stem).map_err(|why| fail(format!("bad file name: {why}")))?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| fail(format!("cannot be read as UTF-8 text: {e}")))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    format::parse(id, &text, &shown, &DirMedia(folder))
}

#[cfg(test)]
mod tests {
    //! Loading the boards folder: good boards load, broken ones are reported.
    use super::*;

    #[test]
    fn the_built_in_rlhf_board_has_five_categories_of_five_clues() {
        let library = BoardLibrary::builtin();
        assert!(library.problems().is_empty(), "{:?}", library.problems());
        let board = library.get("rlhf").unwrap();
        assert_eq!(board.categories().len(), 5);
        assert!(board.categories().iter().all(|c| c.clues.len() == 5));
    }

    #[test]
    fn a_broken_board_is_reported_and_the_good_ones_still_load() {
        let dir = std::env::temp_dir().join(format!("buzzboard-lib-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("broken.toml"),
            "title = \"Broken\"\n[[category]]\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("good.toml"),
            "title = \"Good\"\n[[category]]\nname = \"C\"\n[[category.clue]]\nvalue = 1\nclue = \"q\"\nanswer = \"a\"\n",
        )
        .unwrap();
        let library = BoardLibrary::load(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(library.get("good").is_some());
        assert!(library.get("rlhf").is_some());
        assert_eq!(library.problems().len(), 1);
        assert!(library.problems()[0].file.ends_with("broken.toml"));
        assert!(library.problems()[0].message.contains("no `name`"));
    }
}
