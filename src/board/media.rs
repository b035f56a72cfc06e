//! Media files shown with clues: which kinds are accepted and how they are
//! recognised.
//!
//! The kind is decided by the file's content, not only its name: a file named
//! `.png` that is not a PNG is refused. SVG is accepted because diagrams are
//! common in classroom boards; it is served with a sandboxing
//! Content-Security-Policy so a script inside one can never run on our origin.

/// Largest picture a board may use.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// Largest media file (sound or video) a board may use.
pub const MAX_MEDIA_BYTES: usize = 25 * 1024 * 1024;

/// What a media file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A picture.
    Image,
    /// A sound.
    Audio,
    /// A video.
    Video,
}

/// A media file held in memory, ready to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// Picture, sound or video.
    pub kind: MediaKind,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The name it is served under: derived from its content, so an address
    /// says nothing about what the picture shows ("mona-lisa.png") and
    /// cannot be guessed without having the picture.
    pub address: String,
}

/// A 128-bit fingerprint of `bytes`, in hex: the first half of their
/// SHA-256, the same on every server of a cluster whatever compiler built
/// it (Rust's `DefaultHasher` promises no such thing between releases).
fn fingerprint(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a media file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaError {
    /// Over the size limit for its kind.
    TooLarge(String),
    /// Not a kind we accept, or named as another kind.
    Unrecognised(String),
}

impl std::fmt::Display for MediaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MediaError::TooLarge(why) | MediaError::Unrecognised(why) => f.write_str(why),
        }
    }
}

impl From<MediaError> for String {
    fn from(e: MediaError) -> String {
        e.to_string()
    }
}

impl Media {
    /// Recognises a picture, sound or video by its content and checks its size.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Media, MediaError> {
        if bytes.len() > MAX_MEDIA_BYTES {
            return Err(MediaError::TooLarge(format!(
                "{name:?} is {} KiB; the limit is {} KiB",
                bytes.len() / 1024,
                MAX_MEDIA_BYTES / 1024
            )));
        }
        let (content_type, kind) = sniff(&bytes).ok_or_else(|| {
            let what = match known_as(&bytes) {
                Some("image/heif") => " (it is a HEIC photo, as iPhones take them: export it as JPEG)".to_owned(),
                Some(other) => format!(" (it is {other})"),
                None => String::new(),
            };
            MediaError::Unrecognised(format!(
                "{name:?} is not a PNG, JPEG, GIF, WebP or SVG picture, an MP3, Ogg or WAV sound, or an MP4 or WebM video{what}"
            ))
        })?;
        if kind == MediaKind::Image && bytes.len() > MAX_IMAGE_BYTES {
            return Err(MediaError::TooLarge(format!(
                "picture {name:?} is {} KiB; the limit is {} KiB",
                bytes.len() / 1024,
                MAX_IMAGE_BYTES / 1024
            )));
        }
        let lower = name.to_ascii_lowercase();
        let extensions: &[&str] = match content_type {
            "image/png" => &[".png"],
            "image/jpeg" => &[".jpg", ".jpeg"],
            "image/gif" => &[".gif"],
            "image/webp" => &[".webp"],
            "image/svg+xml" => &[".svg"],
            "audio/mpeg" => &[".mp3"],
            "audio/ogg" => &[".ogg", ".oga"],
            "audio/wav" => &[".wav"],
            "video/mp4" => &[".mp4", ".m4v"],
            _ => &[".webm"],
        };
        if !extensions.iter().any(|e| lower.ends_with(e)) {
            return Err(MediaError::Unrecognised(format!(
                "{name:?} holds {content_type} data but its name says otherwise; rename it"
            )));
        }
        let address = format!("{}{}", fingerprint(&bytes), extensions[0]);
        Ok(Media {
            content_type,
            kind,
            bytes,
            address,
        })
    }
}

/// The type of `bytes`, from their content: binary formats by a
/// maintained sniffer (`infer`), SVG by its opening tag. Formats browsers
/// cannot all show (an iPhone's HEIC photo, a QuickTime video) are not
/// mistaken for one they can.
fn sniff(bytes: &[u8]) -> Option<(&'static str, MediaKind)> {
    use MediaKind::{Audio, Image, Video};
    if let Some(found) = infer::get(bytes) {
        return match found.mime_type() {
            "image/png" => Some(("image/png", Image)),
            "image/jpeg" => Some(("image/jpeg", Image)),
            "image/gif" => Some(("image/gif", Image)),
            "image/webp" => Some(("image/webp", Image)),
            "audio/mpeg" => Some(("audio/mpeg", Audio)),
            "audio/ogg" => Some(("audio/ogg", Audio)),
            "audio/x-wav" | "audio/wav" => Some(("audio/wav", Audio)),
            "video/mp4" => Some(("video/mp4", Video)),
            "video/webm" => Some(("video/webm", Video)),
            _ => None,
        };
    }
    // An MP3 without a tag starts straight with a frame.
    if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0 {
        return Some(("audio/mpeg", Audio));
    }
    let head = std::str::from_utf8(&bytes[..bytes.len().min(1024)]).ok()?;
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let looks_like_svg =
        (head.starts_with("<svg") || head.starts_with("<?xml")) && head.contains("<svg");
    looks_like_svg.then_some(("image/svg+xml", Image))
}

/// What a refused file is, when the sniffer knows it: said in the error.
fn known_as(bytes: &[u8]) -> Option<&'static str> {
    infer::get(bytes).map(|found| found.mime_type())
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
    fn sounds_and_videos_are_recognised_by_their_signatures() {
        let mp3 = Media::from_bytes("a.mp3", b"ID3\x04rest".to_vec()).unwrap();
        assert_eq!(
            (mp3.content_type, mp3.kind),
            ("audio/mpeg", MediaKind::Audio)
        );
        let mp4 = Media::from_bytes("a.mp4", b"\0\0\0\x18ftypmp42rest".to_vec()).unwrap();
        assert_eq!(mp4.kind, MediaKind::Video);
        assert!(Media::from_bytes("a.mp4", b"ID3\x04rest".to_vec()).is_err());
    }

    /// Issue 22: any `ftyp` box was taken for MP4, so an iPhone's HEIC photo
    /// was refused as "video/mp4 data".
    #[test]
    fn an_iphone_heic_photo_is_named_as_such_not_as_a_video() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        match Media::from_bytes("IMG_0001.heic", heic) {
            Err(MediaError::Unrecognised(why)) => assert!(why.contains("HEIC"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_fingerprint_is_the_same_on_every_build() {
        // SHA-256 of "abc", first 16 bytes: fixed by the standard.
        assert_eq!(fingerprint(b"abc"), "ba7816bf8f01cfea414140de5dae2223");
    }

    #[test]
    fn a_picture_over_5_mib_is_refused_even_though_videos_may_be_larger() {
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_IMAGE_BYTES + 1, 0);
        assert!(matches!(
            Media::from_bytes("a.png", big),
            Err(MediaError::TooLarge(why)) if why.contains("picture")
        ));
    }

    #[test]
    fn paths_that_escape_the_folder_are_refused() {
        for bad in ["../x.png", "/etc/x.png", "a/../../x.png", "c:/x.png", ""] {
            assert!(check_relative_path(bad).is_err(), "{bad}");
        }
        assert!(check_relative_path("media/x.png").is_ok());
    }
}
