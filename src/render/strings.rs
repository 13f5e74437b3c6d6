//! Theme strings: every word the built-in templates and scripts show, in the reader's
//! language. folio carries them for English, Chinese (simplified), French, Spanish,
//! German and Japanese in `i18n/CODE.toml`; a site's own `i18n/CODE.toml` changes
//! words or adds a language, key by key. English is the reference: a key it has that
//! a language lacks is a warning naming the key, and the English word is shown.
//! Templates read them with `t(key="on_this_page")` or `"on_this_page" | t`, and write
//! dates with `date | local_date` (`31 March 2022`, `2022年3月31日`).

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::config::SiteLanguage;
use crate::content::date::{PartialDate, Precision};
use crate::diag::{Diagnostic, Diagnostics, Kind, did_you_mean};

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/i18n");

/// The folder of a site's own theme strings.
pub const FOLDER: &str = "i18n";

/// The reference language, whose file has every key.
const REFERENCE: &str = "en";

/// The words of one language, every key of the reference present.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    words: BTreeMap<String, String>,
    months: Vec<String>,
}

impl Strings {
    /// Each language's strings, in the order of `languages`: the built-in file laid
    /// under the site's, the reference's words for what both lack.
    pub fn load(
        strings_dir: &Path,
        languages: &[SiteLanguage],
        diagnostics: &mut Diagnostics,
    ) -> Vec<Strings> {
        let reference = read(strings_dir, REFERENCE, diagnostics)
            .unwrap_or_else(|| built_in(REFERENCE).unwrap_or_default());
        (languages.iter())
            .map(|language| {
                let own = read(strings_dir, &language.code, diagnostics);
                let mut table = built_in(&language.code);
                let found = table.is_some() || own.is_some();
                if let Some(own) = own {
                    table.get_or_insert_default().extend(own);
                }
                let table = table.unwrap_or_default();
                match found {
                    true => {
                        missing_keys(&language.code, &table, &reference, strings_dir, diagnostics)
                    }
                    false => diagnostics.push(no_strings(&language.code)),
                }
                let mut complete = reference.clone();
                complete.extend(table);
                Strings::from_table(complete)
            })
            .collect()
    }

    fn from_table(table: toml::Table) -> Strings {
        let months = match table.get("months") {
            Some(toml::Value::Array(months)) => (months.iter())
                .filter_map(|m| m.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        let words = (table.into_iter())
            .filter_map(|(key, value)| Some((key, value.as_str()?.to_string())))
            .collect();
        Strings { words, months }
    }

    /// The word for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.words.get(key).map(String::as_str)
    }

    /// The word for `key` with each `{name}` replaced by its value in `values`.
    fn fill<'a>(&self, key: &str, values: impl IntoIterator<Item = (&'a str, String)>) -> String {
        let mut text = self.get(key).unwrap_or(key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), &value);
        }
        text
    }

    /// `date` as the language writes it, at the precision the author gave.
    pub fn date(&self, date: &PartialDate) -> String {
        let month = date.month().unwrap_or(1);
        let month_name = (self.months.get(usize::try_from(month - 1).unwrap_or(0)))
            .cloned()
            .unwrap_or_else(|| month.to_string());
        let values = [
            ("year", date.year().to_string()),
            ("month", month.to_string()),
            ("month_name", month_name),
            ("day", date.day().unwrap_or(1).to_string()),
        ];
        match date.precision() {
            Precision::Year => self.fill("date_year", values),
            Precision::Month => self.fill("date_month", values),
            Precision::Day => self.fill("date_day", values),
            Precision::Time => {
                let day = self.fill("date_day", values);
                format!("{day} {}", date.clock().unwrap_or_default())
            }
        }
    }

    /// Alerts' titles (`> [!NOTE]`), which the Markdown stage writes.
    pub fn alert_titles(&self) -> crate::markdown::alerts::AlertTitles {
        let title = |key: &str| self.get(key).unwrap_or(key).to_string();
        crate::markdown::alerts::AlertTitles(
            ["note", "tip", "important", "warning", "caution"].map(title),
        )
    }

    /// Every word the theme's scripts show, for `<script id="folio-strings">`.
    pub fn script_words(&self) -> BTreeMap<&str, &str> {
        const SCRIPT_KEYS: [&str; 12] = [
            "copy",
            "search_unavailable",
            "search_no_results",
            "search_showing",
            "search_one_result",
            "search_count",
            "show_hidden_lines",
            "hide_hidden_lines",
            "copy_code",
            "copied",
            "copy_refused",
            "dark_theme",
        ];
        (SCRIPT_KEYS.iter())
            .filter_map(|key| Some((*key, self.get(key)?)))
            .collect()
    }

    /// Every word, by key: the built-in templates read the words that take no
    /// arguments as `strings.KEY`, which costs a lookup where `t()` costs a call.
    pub fn words(&self) -> &BTreeMap<String, String> {
        &self.words
    }

    /// Registers `t` (as a function and a filter) and `local_date` with `tera`.
    pub fn register(self: &std::sync::Arc<Self>, tera: &mut Tera) {
        let strings = std::sync::Arc::clone(self);
        tera.register_function("t", move |kwargs: Kwargs, _: &State| {
            let key: &str = kwargs.must_get("key")?;
            strings.translate(key, &kwargs)
        });
        let strings = std::sync::Arc::clone(self);
        tera.register_filter("t", move |key: &str, kwargs: Kwargs, _: &State| {
            strings.translate(key, &kwargs)
        });
        let strings = std::sync::Arc::clone(self);
        tera.register_filter("local_date", move |date: Value, _: Kwargs, _: &State| {
            strings.local_date(&date)
        });
    }

    /// `t(key=…)`: the word, its `{name}`s filled from the other arguments; an unknown
    /// key is an error naming the closest one.
    fn translate(&self, key: &str, kwargs: &Kwargs) -> TeraResult<String> {
        if self.get(key).is_none() {
            let close = did_you_mean(key, self.words.keys().map(String::as_str));
            let hint = close
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(Error::message(format!(
                "t: no theme string `{key}`{hint}; add it to {FOLDER}/{REFERENCE}.toml"
            )));
        }
        let values = (kwargs.iter())
            .filter(|(name, _)| name.as_str() != Some("key"))
            .filter_map(|(name, value)| Some((name.as_str()?, value.to_string())));
        Ok(self.fill(key, values))
    }

    /// `date | local_date`: a front-matter date as the language writes it.
    fn local_date(&self, date: &Value) -> TeraResult<String> {
        let iso = (date.get_from_path("iso").and_then(Value::as_str))
            .or_else(|| date.as_str())
            .ok_or_else(|| {
                Error::message(format!("local_date: expected a date, got {}", date.name()))
            })?;
        let date = PartialDate::parse(iso).map_err(Error::message)?;
        Ok(self.date(&date))
    }
}

/// The built-in strings of `code`, when folio has them.
fn built_in(code: &str) -> Option<toml::Table> {
    let file = BUILT_IN.get_file(format!("{code}.toml"))?;
    toml::from_str(file.contents_utf8()?).ok()
}

/// The site's own `i18n/CODE.toml`, when it has one; one that does not parse is an
/// error located in it.
fn read(strings_dir: &Path, code: &str, diagnostics: &mut Diagnostics) -> Option<toml::Table> {
    let file = Path::new(FOLDER).join(format!("{code}.toml"));
    let text = std::fs::read_to_string(strings_dir.join(format!("{code}.toml"))).ok()?;
    match toml::from_str(&text) {
        Ok(table) => Some(table),
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            diagnostics.push(
                Diagnostic::error(
                    Kind::ConfigSyntax,
                    format!("invalid theme strings: {}", error.message().trim()),
                )
                .at(&file, &text, span),
            );
            None
        }
    }
}

/// A warning for each key of the reference that `table` lacks.
fn missing_keys(
    code: &str,
    table: &toml::Table,
    reference: &toml::Table,
    strings_dir: &Path,
    diagnostics: &mut Diagnostics,
) {
    let file = Path::new(FOLDER).join(format!("{code}.toml"));
    let shown = match strings_dir.join(format!("{code}.toml")).is_file() {
        true => file,
        false => Path::new(crate::config::CONFIG_FILE).to_path_buf(),
    };
    for key in reference.keys().filter(|key| !table.contains_key(*key)) {
        diagnostics.push(
            Diagnostic::warning(
                Kind::MissingThemeString,
                format!(
                    "the theme string `{key}` has no `{code}` translation: the English one is shown"
                ),
            )
            .in_file(&shown)
            .help(format!("add `{key} = \"…\"` to {FOLDER}/{code}.toml")),
        );
    }
}

fn no_strings(code: &str) -> Diagnostic {
    Diagnostic::warning(
        Kind::MissingThemeString,
        format!("folio has no theme strings for `{code}`: the theme is shown in English"),
    )
    .in_file(crate::config::CONFIG_FILE)
    .help(format!(
        "copy folio's {FOLDER}/{REFERENCE}.toml to {FOLDER}/{code}.toml in the site and translate it"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(code: &str) -> Strings {
        let mut reference = built_in(REFERENCE).unwrap();
        reference.extend(built_in(code).unwrap());
        Strings::from_table(reference)
    }

    #[test]
    fn every_built_in_language_has_every_key_of_the_reference() {
        let reference = built_in(REFERENCE).unwrap();
        for code in ["zh", "fr", "es", "de", "ja"] {
            let table = built_in(code).unwrap_or_else(|| panic!("{code}"));
            let missing: Vec<&String> = reference
                .keys()
                .filter(|k| !table.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            assert_eq!(table["months"].as_array().map(Vec::len), Some(12), "{code}");
        }
    }

    #[test]
    fn dates_are_written_the_way_the_language_writes_them() {
        let day = PartialDate::parse("2022-03-31").unwrap();
        let month = PartialDate::parse("2016-03").unwrap();
        assert_eq!(strings("zh").date(&day), "2022年3月31日");
        assert_eq!(strings("zh").date(&month), "2016年3月");
        assert_eq!(strings("en").date(&day), "31 March 2022");
        assert_eq!(strings("fr").date(&month), "mars 2016");
        assert_eq!(strings("de").date(&day), "31. März 2022");
        assert_eq!(strings("es").date(&day), "31 de marzo de 2022");
    }
}
