//! Dates as front matter writes them, at the precision the author gave: a year, a
//! month, a day or a full timestamp. Nothing is invented: "2016" stays "2016".

use std::cmp::Ordering;
use std::fmt;

/// How much of a date the author wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
    Time,
}

/// STUB: to be implemented (see the front-matter task).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartialDate {
    text: String,
}

impl PartialDate {
    /// Parses `2016`, `2016-03`, `2016-03-01`, `2016-03-01T10:00:00Z`,
    /// `2016-03-01 10:00`, `2016-03-01T10:00:00+02:00`. The error says what was expected.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        Ok(PartialDate {
            text: text.to_string(),
        })
    }

    pub fn precision(&self) -> Precision {
        Precision::Day
    }

    /// ISO 8601 at the author's precision, for `<time datetime>`: `2016`, `2016-03`,
    /// `2016-03-01`, or an RFC 3339 timestamp.
    pub fn iso(&self) -> String {
        self.text.clone()
    }

    /// For readers, at the author's precision: "2016", "March 2016", "31 March 2022",
    /// "31 March 2022 16:45".
    pub fn human(&self) -> String {
        self.text.clone()
    }

    /// A full RFC 3339 timestamp (the start of the period, UTC when no offset was given),
    /// for feeds and sitemaps that demand one.
    pub fn rfc3339(&self) -> String {
        self.text.clone()
    }
}

impl Ord for PartialDate {
    /// Chronological by the start of the period; on a tie the less precise date first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// What templates see of a date.
impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Date", 4)?;
        s.serialize_field("iso", &self.iso())?;
        s.serialize_field("display", &self.human())?;
        s.serialize_field("rfc3339", &self.rfc3339())?;
        s.serialize_field("precision", &self.precision())?;
        s.end()
    }
}
