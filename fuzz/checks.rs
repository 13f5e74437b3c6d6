//! What each fuzz target asserts about one input. Shared by the fuzz targets and by the
//! test that replays every input the fuzzers ever found (tests/fixtures/fuzz/).

use std::borrow::Cow;
use std::path::Path;

use folio::content::Schema;
use folio::content::date::PartialDate;
use folio::content::front_matter;
use folio::markdown::{self, Context, Glossary, Highlighter, Options, Term};
use folio::site::urls;

/// Splitting and parsing front matter: no panic, and a body inside the file.
pub fn front_matter(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let schema = Schema {
        taxonomies: vec!["tags".into()],
        relations: vec!["partners".into()],
    };
    if let Ok(parsed) = front_matter::parse(Path::new("content/fuzz.md"), &text, &schema) {
        assert!(parsed.body_offset <= text.len());
        assert_eq!(&text[parsed.body_offset..], parsed.body);
    }
}

/// The built-in shortcodes, compiled once for every input.
static SHORTCODES: std::sync::LazyLock<folio::shortcodes::Shortcodes> =
    std::sync::LazyLock::new(folio::shortcodes::Shortcodes::builtins);

/// Rendering Markdown with glossary terms, wiki links and shortcodes, then resolving its
/// links: no panic, ranges inside the body, and no placeholder left behind. Shortcode
/// calls found with the line scan that skips the Markdown parse are the ones found with it.
pub fn markdown(bytes: &[u8], highlighter: &Highlighter) {
    let body = String::from_utf8_lossy(bytes);
    let glossary = Glossary::new(vec![Term {
        term: "IAEA".into(),
        expansion: "Agency".into(),
        dest: "@/iaea.md".into(),
    }]);
    let options = Options {
        smart_punctuation: bytes.first().is_some_and(|b| b & 1 == 1),
        ..Options::default()
    };
    let context = Context {
        options: &options,
        highlighter,
        glossary: &glossary,
        page: "fuzz.md",
        shortcodes: Some(&SHORTCODES),
        content_dir: None,
    };
    let rendered = markdown::render(&body, &context);
    let ranges =
        (rendered.links.iter().map(|l| &l.range)).chain(rendered.warnings.iter().map(|w| &w.range));
    for range in ranges {
        assert!(
            range.start <= range.end && body.get(range.clone()).is_some(),
            "{range:?} outside {}",
            body.len()
        );
    }
    let html = markdown::substitute_links(&rendered.html, |_| Cow::Borrowed("/x/"));
    assert!(!html.contains('\0'), "a placeholder survived");
    assert_eq!(
        folio::shortcodes::find(&body),
        folio::shortcodes::find::find_exact(&body),
        "the line scan disagrees with the parse about code"
    );
}

/// URL and date helpers: no panic, and encoding round-trips.
pub fn urls(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let _ = urls::slug_problem(&text);
    assert_eq!(urls::decode(&urls::encode_segment(&text)), text);
    if let Some(joined) = urls::join_relative("a/b", &text) {
        assert!(!joined.split('/').any(|s| s == ".."), "{joined}");
    }
    let _ = urls::collision_key(&text);
    let _ = folio::config::BaseUrl::parse(&text);
    let _ = markdown::heading_id(&text);
    if let Ok(date) = PartialDate::parse(&text) {
        let _ = (date.iso(), date.human(), date.rfc3339());
        assert_eq!(
            PartialDate::parse(&date.iso()).as_ref(),
            Ok(&date),
            "{text:?}"
        );
    }
}
