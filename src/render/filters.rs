//! The filters Zola's templates use that Tera 2 lacks (`striptags`, `json_encode`,
//! `date`, `markdown`, `slugify`, `urlencode`, `urlencode_strict`), with Zola's names,
//! arguments and defaults, so a theme written for Zola renders in folio. Tera 2 has
//! `truncate(length, end)` itself. A wrong argument is an error Tera locates in the
//! template, never a panic.

use std::borrow::Cow;
use std::sync::Arc;

use jiff::fmt::strtime::BrokenDownTime;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::markdown::{self, Glossary, Highlighter};
use crate::site::{Site, Target, urls};

/// Zola's `urlencode`: everything but RFC 3986's unreserved characters and `/`.
const URLENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~')
    .remove(b'/');

/// Every filter folio adds to Tera's own, by name.
pub const NAMES: [&str; 7] = [
    "striptags",
    "json_encode",
    "date",
    "slugify",
    "urlencode",
    "urlencode_strict",
    "markdown",
];

/// The filters that need no site.
fn register_site_free(tera: &mut Tera) {
    tera.register_filter("striptags", striptags);
    tera.register_filter("json_encode", json_encode);
    tera.register_filter("date", date);
    tera.register_filter("slugify", slugify);
    tera.register_filter("urlencode", urlencode);
    tera.register_filter("urlencode_strict", urlencode_strict);
}

/// Registers every filter folio adds to Tera's own.
pub fn register(tera: &mut Tera, site: &Arc<Site>) {
    register_site_free(tera);
    let site = Arc::clone(site);
    let highlighter = Arc::new(Highlighter::default());
    tera.register_filter("markdown", move |text: &str, kwargs: Kwargs, _: &State| {
        markdown(Some(&site), &highlighter, text, &kwargs)
    });
}

/// The filters a shortcode template gets: the site-free ones, and `markdown` with
/// folio's default options, its links left as written (a shortcode renders before the
/// site exists; a body, which is Markdown of the page, has its links resolved).
pub(crate) fn register_for_shortcodes(tera: &mut Tera) {
    register_site_free(tera);
    let highlighter = Arc::new(Highlighter::default());
    tera.register_filter("markdown", move |text: &str, kwargs: Kwargs, _: &State| {
        markdown(None, &highlighter, text, &kwargs)
    });
}

/// `{{ html | striptags }}`: the text without its tags and comments.
fn striptags(html: &str, _: Kwargs, _: &State) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        let end = if tag.starts_with("<!--") {
            tag.find("-->").map(|i| i + 3)
        } else {
            tag.find('>').map(|i| i + 1)
        };
        match end {
            Some(end) => rest = &tag[end..],
            None => {
                out.push_str(tag);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `{{ value | json_encode(pretty=true) }}`: the value as JSON, indented when `pretty`.
/// Keys are sorted, as in Zola: Tera's maps have no stable order.
fn json_encode(value: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let pretty = kwargs.get::<bool>("pretty")?.unwrap_or(false);
    let encoded = serde_json::to_value(&value).and_then(|json| {
        if pretty {
            serde_json::to_string_pretty(&json)
        } else {
            serde_json::to_string(&json)
        }
    });
    encoded.map_err(|e| Error::message(format!("json_encode: {e}")))
}

/// `{{ page.date | date(format="%d %B %Y") }}`: a date formatted with strftime's
/// directives (`%Y-%m-%d` by default). It takes a date view of folio's, an ISO 8601
/// date or timestamp, or a number of seconds since 1970 (formatted in UTC), shown in
/// its own offset or, given `timezone="Europe/Paris"`, in that time zone.
fn date(value: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let time = match kwargs.get::<&str>("timezone")? {
        None => broken_down(&value)?,
        Some(zone) => in_zone(&broken_down(&value)?, zone)?,
    };
    time.to_string(format)
        .map_err(|e| Error::message(format!("date: cannot format with `{format}`: {e}")))
}

/// The moment `value` names, with its offset when it has one.
fn broken_down(value: &Value) -> TeraResult<BrokenDownTime> {
    if let Some(seconds) = value.as_i64() {
        return jiff::Timestamp::from_second(seconds)
            .map(BrokenDownTime::from)
            .map_err(|_| Error::message(format!("date: {seconds} seconds is out of range")));
    }
    let text = match value.get_from_path("rfc3339").and_then(Value::as_str) {
        Some(text) => text,
        None => value.as_str().ok_or_else(|| {
            Error::message(format!(
                "date: expected a date, a date string or a number of seconds, got {}",
                value.name()
            ))
        })?,
    };
    let rfc3339 = crate::content::date::PartialDate::parse(text)
        .map_err(|e| Error::message(format!("date: {e}")))?
        .rfc3339();
    let pieces = Pieces::parse(&rfc3339).map_err(|e| Error::message(format!("date: {e}")))?;
    let datetime = pieces.date().to_datetime(pieces.time().unwrap_or_default());
    let mut time = BrokenDownTime::from(datetime);
    time.set_offset(match pieces.offset() {
        Some(PiecesOffset::Numeric(n)) => Some(n.offset()),
        _ => Some(Offset::UTC),
    });
    Ok(time)
}

/// The same moment in the IANA time zone `zone`.
fn in_zone(time: &BrokenDownTime, zone: &str) -> TeraResult<BrokenDownTime> {
    time.to_timestamp()
        .and_then(|t| t.in_tz(zone))
        .map(|zoned| BrokenDownTime::from(&zoned))
        .map_err(|e| Error::message(format!("date: cannot use the time zone `{zone}`: {e}")))
}

/// `{{ text | markdown(inline=true) }}`: Markdown rendered by folio's Markdown stage
/// with the site's options; links to content files become their pages' URLs. `inline`
/// drops the paragraph around a one-paragraph text, as Zola does.
fn markdown(
    site: Option<&Site>,
    highlighter: &Highlighter,
    text: &str,
    kwargs: &Kwargs,
) -> TeraResult<Value> {
    let inline = kwargs.get::<bool>("inline")?.unwrap_or(false);
    let options = site.map_or_else(markdown::Options::default, |site| markdown::Options {
        smart_punctuation: site.config.markdown.smart_punctuation,
        math: site.config.markdown.math,
        trust_raw_html: site.config.markdown.trust_raw_html,
        flavour: markdown::Flavour::Folio,
        ..markdown::Options::default()
    });
    let glossary = Glossary::default();
    let context = markdown::Context {
        options: &options,
        highlighter,
        glossary: &glossary,
        page: "",
        shortcodes: None,
        content_dir: None,
    };
    let rendered = markdown::render(text, &context);
    let html = markdown::substitute_links(&rendered.html, |i| {
        let dest = &rendered.links[i].dest;
        site.map_or(Cow::Borrowed(dest.as_str()), |site| link_href(site, dest))
    });
    Ok(Value::safe_string(if inline {
        unwrap_paragraph(&html)
    } else {
        &html
    }))
}

/// `html` without the `<p>` around its first paragraph, as Zola's `inline` gives it.
fn unwrap_paragraph(html: &str) -> &str {
    let html = html.trim_end();
    let inner = html.strip_prefix("<p>").unwrap_or(html);
    inner.strip_suffix("</p>").unwrap_or(inner)
}

/// Where a link in a filtered text goes: a content file's page, else the link as written.
fn link_href<'a>(site: &Site, dest: &'a str) -> Cow<'a, str> {
    let (path, fragment) = dest
        .split_once('#')
        .map_or((dest, None), |(p, f)| (p, Some(f)));
    let url = match site.lookup(path) {
        Some(Target::Page(id)) => &site.pages[id].url,
        Some(Target::Section(id)) => &site.sections[id].url,
        _ => return Cow::Borrowed(dest),
    };
    let href = site.href(url);
    Cow::Owned(match fragment {
        Some(fragment) => format!("{href}#{fragment}"),
        None => href,
    })
}

/// `{{ term | slugify }}`: the slug folio gives a taxonomy term of that name.
fn slugify(text: &str, _: Kwargs, _: &State) -> String {
    urls::slugify(text)
}

/// `{{ path | urlencode }}`: percent-encoded, keeping `/` and RFC 3986's unreserved
/// characters.
fn urlencode(text: &str, _: Kwargs, _: &State) -> String {
    utf8_percent_encode(text, URLENCODE).to_string()
}

/// `{{ text | urlencode_strict }}`: every character but ASCII letters and digits
/// percent-encoded, `/` included.
fn urlencode_strict(text: &str, _: Kwargs, _: &State) -> String {
    utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{{ input | filter }}` rendered with the filters that need no site.
    fn render(template: &str, context: &tera::Context) -> TeraResult<String> {
        let mut tera = Tera::new();
        register_site_free(&mut tera);
        tera.render_str(template, context, false)
    }

    fn ok(template: &str) -> String {
        render(template, &tera::Context::new()).unwrap_or_else(|e| panic!("{template}: {e:?}"))
    }

    /// Tera lists its filters nowhere but in its `Debug` count: the filters a shortcode
    /// template gets (the same names as a page's) must be Tera's own and `NAMES`.
    #[test]
    fn names_lists_every_filter_registered() {
        let count = |tera: &Tera| {
            let debug = format!("{tera:?}");
            let after = &debug[debug.find("filters: ").unwrap() + 9..];
            after[..after.find(',').unwrap()].parse::<usize>().unwrap()
        };
        let mut tera = Tera::new();
        let own = count(&tera);
        register_for_shortcodes(&mut tera);
        assert_eq!(count(&tera), own + NAMES.len());
        for name in NAMES {
            let template = format!("{{{{ '2016-03-01' | {name} }}}}");
            let rendered = tera.render_str(&template, &tera::Context::new(), false);
            assert!(
                !format!("{rendered:?}").contains("Unknown filter"),
                "{name}: {rendered:?}"
            );
        }
    }

    #[test]
    fn striptags_drops_tags_and_comments_and_keeps_a_stray_bracket() {
        assert_eq!(
            ok(r#"{{ "<p>A <b>bold</b><!-- x > y --> move</p>" | striptags }}"#),
            "A bold move"
        );
        assert_eq!(ok(r#"{{ "1 < 2" | striptags }}"#), "1 < 2");
    }

    #[test]
    fn json_encode_is_compact_unless_pretty() {
        let mut context = tera::Context::new();
        context.insert("v", &serde_json::json!({"a": [1, "b"]}));
        context.insert("m", &serde_json::json!({"z": 1, "y": 2, "x": 3}));
        let compact = render("{{ v | json_encode }}", &context).unwrap();
        assert_eq!(compact, r#"{"a":[1,"b"]}"#);
        let sorted = render("{{ m | json_encode }}", &context).unwrap();
        assert_eq!(sorted, r#"{"x":3,"y":2,"z":1}"#);
        let pretty = render("{{ v | json_encode(pretty=true) }}", &context).unwrap();
        assert_eq!(pretty, "{\n  \"a\": [\n    1,\n    \"b\"\n  ]\n}");
    }

    #[test]
    fn date_takes_a_view_a_string_or_seconds() {
        let mut context = tera::Context::new();
        let view = crate::content::date::PartialDate::parse("2016-03-01T10:00:00+02:00");
        context.insert("d", &view.unwrap());
        let template = r#"{{ d | date(format="%d %B %Y %H:%M %:z") }}"#;
        assert_eq!(
            render(template, &context).unwrap(),
            "01 March 2016 10:00 +02:00"
        );
        assert_eq!(ok(r#"{{ "2016-03" | date }}"#), "2016-03-01");
        let paris =
            r#"{{ "2016-07-01T10:00:00Z" | date(format="%H:%M %Z", timezone="Europe/Paris") }}"#;
        assert_eq!(ok(paris), "12:00 CEST");
        assert_eq!(
            ok(r#"{{ 86400 | date(format="%Y-%m-%d %H:%M") }}"#),
            "1970-01-02 00:00"
        );
    }

    #[test]
    fn date_errors_name_what_was_wrong() {
        for (template, message) in [
            ("{{ true | date }}", "got bool"),
            (r#"{{ "soon" | date }}"#, "expected a date such as"),
            (r#"{{ "2016" | date(format=3) }}"#, "format"),
            (
                r#"{{ "2016" | date(format="%Y %") }}"#,
                "cannot format with `%Y %`",
            ),
        ] {
            let error = render(template, &tera::Context::new()).unwrap_err();
            let text = format!("{error:?}");
            assert!(text.contains(message), "{template}: {text}");
        }
    }

    #[test]
    fn slugify_gives_taxonomy_term_slugs() {
        assert_eq!(ok(r#"{{ "Peer Review!" | slugify }}"#), "peer-review");
        assert_eq!(ok(r#"{{ "C++" | slugify }}"#), "c");
        assert_eq!(ok(r#"{{ "Café au lait" | slugify }}"#), "café-au-lait");
    }

    #[test]
    fn urlencode_keeps_slashes_and_strict_does_not() {
        assert_eq!(
            ok(r#"{{ "/a b/c?d=é" | urlencode }}"#),
            "/a%20b/c%3Fd%3D%C3%A9"
        );
        assert_eq!(
            ok(r#"{{ "/a-b_c.d~" | urlencode_strict }}"#),
            "%2Fa%2Db%5Fc%2Ed%7E"
        );
    }

    #[test]
    fn inline_markdown_loses_its_paragraph() {
        assert_eq!(unwrap_paragraph("<p>A <em>b</em></p>\n"), "A <em>b</em>");
        assert_eq!(
            unwrap_paragraph("<ul><li>x</li></ul>"),
            "<ul><li>x</li></ul>"
        );
    }
}
