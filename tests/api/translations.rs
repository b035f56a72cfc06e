//! The translation catalogues stay complete and honest: every language has
//! every key the English one has, with the same placeholders and its plural
//! forms; every key a page uses and every refusal code the server sends has
//! English words.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

const LANGUAGES: [&str; 5] = ["en", "es", "fr", "de", "pt"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn catalogue(language: &str) -> BTreeMap<String, Value> {
    let path = root().join(format!("static/i18n/{language}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `{name}`s a text (or every form of a plural) fills in.
fn placeholders(entry: &Value) -> BTreeSet<String> {
    let texts: Vec<&str> = match entry {
        Value::String(s) => vec![s.as_str()],
        Value::Object(forms) => forms.values().filter_map(Value::as_str).collect(),
        other => panic!("a catalogue entry is text or plural forms, not {other}"),
    };
    let mut names = BTreeSet::new();
    for text in texts {
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                break;
            };
            names.insert(rest[start + 1..start + end].to_owned());
            rest = &rest[start + end + 1..];
        }
    }
    names
}

#[test]
fn every_language_has_every_english_key_with_the_same_placeholders() {
    let english = catalogue("en");
    assert!(english.len() > 300, "the English catalogue is the full set");
    for language in &LANGUAGES[1..] {
        let other = catalogue(language);
        let missing: Vec<&String> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{language} misses {missing:?}");
        let unknown: Vec<&String> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            unknown.is_empty(),
            "{language} has keys English lacks: {unknown:?}"
        );
        for (key, entry) in &other {
            let wanted = placeholders(&english[key]);
            let has = placeholders(entry);
            // A singular form may say "one" instead of `{count}`; nothing
            // else may be left out, and nothing unknown filled in.
            let needed: BTreeSet<_> = wanted.iter().filter(|p| *p != "count").cloned().collect();
            assert!(
                needed.is_subset(&has) && has.is_subset(&wanted),
                "{language} {key}: placeholders {has:?}, English has {wanted:?}"
            );
            assert_eq!(
                english[key].is_object(),
                entry.is_object(),
                "{language} {key}: plural in one language, not in the other"
            );
            if let Value::Object(forms) = entry {
                for form in ["one", "other"] {
                    assert!(
                        forms.contains_key(form),
                        "{language} {key} has no {form:?} form"
                    );
                }
                let text = entry.to_string();
                assert!(!text.trim().is_empty());
            }
            if let Value::String(text) = entry {
                assert!(!text.trim().is_empty(), "{language} {key} is empty");
            }
        }
    }
}

/// Every file under `dir` with one of these extensions.
fn files(dir: &Path, extensions: &[&str]) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files(&path, extensions));
        } else if path
            .extension()
            .is_some_and(|e| extensions.contains(&e.to_str().unwrap()))
        {
            found.push(path);
        }
    }
    found
}

/// The text after each `marker` up to the closing `end`, where the marker
/// starts a word (`t('` but not `split('`).
fn quoted_after<'a>(text: &'a str, marker: &str, end: char) -> Vec<&'a str> {
    text.match_indices(marker)
        .filter(|(at, _)| {
            !text[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        })
        .filter_map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            rest.find(end).map(|stop| &rest[..stop])
        })
        .collect()
}

#[test]
fn every_key_a_page_uses_has_english_words() {
    let english = catalogue("en");
    let mut used = BTreeSet::new();
    for path in files(&root().join("static"), &["js"])
        .into_iter()
        .chain(files(&root().join("templates"), &["html"]))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        for key in quoted_after(&text, "t('", '\'') {
            used.insert(key.to_owned());
        }
        for key in quoted_after(&text, "data-i18n=\"", '"') {
            if !key.contains("{{") {
                used.insert(key.to_owned());
            }
        }
        for pairs in quoted_after(&text, "data-i18n-attr=\"", '"') {
            for pair in pairs.split(';') {
                if let Some((_, key)) = pair.split_once('=') {
                    used.insert(key.trim().to_owned());
                }
            }
        }
    }
    assert!(used.len() > 200, "found the keys: {}", used.len());
    let missing: Vec<&String> = used.iter().filter(|k| !english.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys with no English words: {missing:?}"
    );
}

#[test]
fn every_error_the_server_sends_has_words_in_every_language() {
    let errors: Vec<buzzboard::protocol::WireError> =
        buzzboard::protocol::WireError::every().collect();
    assert!(errors.len() > 50, "{errors:?}");
    for language in ["en", "es", "fr", "de", "pt"] {
        let words = catalogue(language);
        let missing: Vec<&str> = errors
            .iter()
            .map(|e| e.code())
            .filter(|code| !words.contains_key(&format!("error.{code}")))
            .collect();
        assert!(
            missing.is_empty(),
            "{language}: codes with no words: {missing:?}"
        );
    }
}
