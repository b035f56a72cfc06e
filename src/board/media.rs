//! Media files shown with clues: which kinds are accepted and how they are
//! recognised.
//!
//! The kind is decided by the file's content, not only its name: a file named
//! `.png` that is not a PNG is refused. SVG is accepted because diagrams are
//! common in classroom boards; it is served with a sandboxing
//! Content-Security-Policy so a script inside one can never run on our origin.

/// Largest media file a board may use.
pub const MAX_MEDIA_BYTES: usize = 5 * 1024 * 1024;

/// A media file held in memory, ready to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl Media {
    /// Recognises an image by its content and checks its size.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Media, String> {
        if bytes.len() > MAX_MEDIA_BYTES {
            return Err(format!(
                "image {name:?} is {} KiB; the limit is {} KiB",
                bytes.len() / 1024,
                MAX_MEDIA_BYTES / 1024
            ));
        }
        let content_type = sniff(&bytes)
            .ok_or_else(|| format!("image {name:?} is not a PNG, JPEG, GIF, WebP or SVG image"))?;
        let lower = name.to_ascii_lowercase();
        let extension_fits = match content_type {
            "image/png" => lower.ends_with(".png"),
            "image/jpeg" => lower.ends_with(".jpg") || lower.ends_with(".jpeg"),
            "image/gif" => lower.ends_with(".gif"),
            "image/webp" => lower.ends_with(".webp"),
            _ => lower.ends_with(".svg"),
        };
        if !extension_fits {
            return Err(format!(
                "image {name:?} holds {content_type} data but its name says otherwise; rename it"
            ));
        }
        Ok(Media {
            content_type,
            bytes,
        })
    }
}

/// The image type of `bytes`, from their first bytes.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        let head = std::str::from_utf8(&bytes[..bytes.len().min(1024)]).ok()?;
        let head = head.trim_start_matches('\u{feff}').trim_start();
        let looks_like_svg =
            (head.starts_with("<svg") || head.starts_with("<?xml")) && head.contains("<svg");
        looks_like_svg.then_some("image/svg+xml")
    }
}

/// Checks that a media path from a board file stays inside the board's folder.
pub fn check_relative_path(name: &str) -> Result<(), String> {
    let bad = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains(':')
        || name.split('/').any(|part| part.is_empty() || part == "..");
    if bad {
        Err(format!(
            "image path {name:?} must be relative to the board file, like \"media/picture.png\", without \"..\""
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! Media checks: content decides the type, and paths stay in the board folder.
    use super::*;

    #[test]
    fn a_png_is_recognised_by_its_signature() {
        let media = Media::from_bytes("a.png", b"\x89PNG\r\n\x1a\nrest".to_vec()).unwrap();
        assert_eq!(media.content_type, "image/png");
    }

    #[test]
    fn a_text_file_named_png_is_refused() {
        assert!(Media::from_bytes("a.png", b"hello".to_vec()).is_err());
    }

    #[test]
    fn a_gif_named_png_is_refused() {
        assert!(Media::from_bytes("a.png", b"GIF89a....".to_vec()).is_err());
    }

    #[test]
    fn paths_that_escape_the_folder_are_refused() {
        for bad in ["../x.png", "/etc/x.png", "a/../../x.png", "c:/x.png", ""] {
            assert!(check_relative_path(bad).is_err(), "{bad}");
        }
        assert!(check_relative_path("media/x.png").is_ok());
    }
}
