//! Translations: a page's translation into a declared language sits beside it, the
//! language's code before `.md` (`areas/iaea.zh.md` translates `areas/iaea.md`, and
//! `_index.zh.md` translates `_index.md`), as in Zola and Hugo: a missing or stale
//! translation shows in one folder listing, and moving a page moves its translations.
//! This module tells translations from pages and picks the files each language's site
//! reads: a page's translation, or where there is none the page itself (a fallback).

use std::collections::HashSet;

use super::{Content, Source};
use crate::config::language_code_problem;
use crate::diag::{Diagnostic, Kind, position_of};

/// The languages a site declares, as the content stage needs them.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    /// `[book] language`: its pages have no suffix.
    pub default: String,
    /// The codes of the other languages.
    pub others: Vec<String>,
}

/// What a file's name says about its language.
#[derive(Debug, PartialEq, Eq)]
enum Named<'a> {
    /// A page in the default language.
    Page,
    /// A translation of the page at `base` into the declared language `code`.
    Translation { base: String, code: &'a str },
    /// A name ending in a language code the site does not declare.
    Undeclared { code: &'a str },
}

/// Reads `content_path`'s language from its name.
fn named<'a>(content_path: &'a str, languages: &Languages) -> Named<'a> {
    let Some(stem) = content_path.strip_suffix(".md") else {
        return Named::Page;
    };
    let name_start = stem.rfind('/').map_or(0, |slash| slash + 1);
    let Some((name, code)) = stem[name_start..].rsplit_once('.') else {
        return Named::Page;
    };
    if name.is_empty() || language_code_problem(code).is_some() {
        return Named::Page;
    }
    if languages.others.iter().any(|other| other == code) {
        let base = format!("{}{name}.md", &stem[..name_start]);
        return Named::Translation { base, code };
    }
    Named::Undeclared { code }
}

impl Source {
    /// Makes a translation's content path that of the page it translates and records
    /// its language; a name ending in an undeclared language's code is a warning.
    pub(super) fn identify_language(&mut self, languages: &Languages) -> Option<Diagnostic> {
        match named(&self.content_path, languages) {
            Named::Page => None,
            Named::Translation { base, code } => {
                self.language = Some(code.to_string());
                self.content_path = base;
                None
            }
            Named::Undeclared { code } => Some(self.undeclared(code, languages)),
        }
    }

    fn undeclared(&self, code: &str, languages: &Languages) -> Diagnostic {
        let (message, help) = if code == languages.default {
            (
                format!(
                    "`.{code}.md`: {code} is the default language, whose pages have no language suffix"
                ),
                format!("rename the file without `.{code}`"),
            )
        } else {
            (
                format!(
                    "`.{code}.md` reads as a translation into `{code}`, which book.toml does not declare: it is built as a page of its own"
                ),
                format!(
                    "declare the language in book.toml with `[languages.{code}]` and a `name`, or rename the file"
                ),
            )
        };
        let mut diagnostic = Diagnostic::warning(Kind::UndeclaredLanguage, message)
            .in_file(&self.file)
            .help(help);
        diagnostic.position = Some(position_of(&self.text, 0..0));
        diagnostic
    }

    /// Whether the source is in the default language.
    pub fn is_default_language(&self) -> bool {
        self.language.is_none()
    }
}

/// What a translation records of the page it was made from (`translated-from`): a
/// digest of the page's whole file, front matter included (its title and events are
/// translated too), as 16 hexadecimal digits.
pub fn digest(text: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// `text` (a page's file) with `translated-from: "DIGEST"` first in its front matter,
/// as `folio new --translate` writes a translation to start from.
pub fn with_translated_from(text: &str, digest: &str) -> String {
    for (fence, line) in [
        ("---", format!("translated-from: \"{digest}\"")),
        ("+++", format!("translated-from = \"{digest}\"")),
    ] {
        if let Some(rest) = text.strip_prefix(fence)
            && let Some(rest) = rest
                .strip_prefix('\n')
                .or_else(|| rest.strip_prefix("\r\n"))
        {
            return format!("{fence}\n{line}\n{rest}");
        }
    }
    format!("---\ntranslated-from: \"{digest}\"\n---\n\n{text}")
}

impl Content {
    /// The content the site of `language` (None for the default one) is built from:
    /// every page's translation into it, the page itself where it has none, and the
    /// translations of pages the default language does not have. Also returns, for each
    /// of its sources, its index in `self.sources`.
    pub fn for_language(&self, language: Option<&str>) -> (Content, Vec<usize>) {
        let translated: HashSet<&str> = (self.sources.iter())
            .filter(|source| source.language.as_deref() == language && language.is_some())
            .map(|source| source.content_path.as_str())
            .collect();
        let picked: Vec<usize> = (0..self.sources.len())
            .filter(|&i| {
                let source = &self.sources[i];
                match &source.language {
                    None => !translated.contains(source.content_path.as_str()),
                    Some(code) => Some(code.as_str()) == language,
                }
            })
            .collect();
        let sources: Vec<Source> = picked.iter().map(|&i| self.sources[i].clone()).collect();
        let content = Content {
            folders: super::folders_with_pages(self.folders.clone(), &sources),
            sources,
            assets: self.assets.clone(),
            drafts: self.drafts.clone(),
            book: None,
        };
        (content, picked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn languages() -> Languages {
        Languages {
            default: "en".into(),
            others: vec!["zh".into(), "pt-br".into()],
        }
    }

    #[test]
    fn a_declared_code_before_md_makes_a_translation_of_the_page_beside_it() {
        let languages = languages();
        assert_eq!(
            named("areas/iaea.zh.md", &languages),
            Named::Translation {
                base: "areas/iaea.md".into(),
                code: "zh"
            }
        );
        assert_eq!(
            named("_index.pt-br.md", &languages),
            Named::Translation {
                base: "_index.md".into(),
                code: "pt-br"
            }
        );
    }

    #[test]
    fn the_digest_goes_first_in_the_front_matter_whatever_its_kind() {
        assert_eq!(
            with_translated_from("---\ntitle: A\n---\nText\n", "00ff"),
            "---\ntranslated-from: \"00ff\"\ntitle: A\n---\nText\n"
        );
        assert_eq!(
            with_translated_from("+++\ntitle = \"A\"\n+++\n", "00ff"),
            "+++\ntranslated-from = \"00ff\"\ntitle = \"A\"\n+++\n"
        );
        assert_eq!(
            with_translated_from("# A\n", "00ff"),
            "---\ntranslated-from: \"00ff\"\n---\n\n# A\n"
        );
        assert_eq!(digest("a"), digest("a"));
        assert_eq!(digest("a").len(), 16);
        assert_ne!(digest("a"), digest("b"));
    }

    #[test]
    fn other_dotted_names_are_pages_and_undeclared_codes_are_named() {
        let languages = languages();
        for page in [
            "a.md",
            "v1.2.md",
            "areas/.zh.md",
            "notes.Final.md",
            "a.zh.txt",
        ] {
            assert_eq!(named(page, &languages), Named::Page, "{page}");
        }
        assert_eq!(
            named("page.fr.md", &languages),
            Named::Undeclared { code: "fr" }
        );
        assert_eq!(
            named("page.en.md", &languages),
            Named::Undeclared { code: "en" }
        );
    }
}
