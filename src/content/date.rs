//! Dates as front matter writes them, at the precision the author gave: a year, a
//! month, a day or a full timestamp. Nothing is invented: "2016" stays "2016".
//!
//! The accepted shapes are checked here so that jiff's more liberal ISO 8601 grammar
//! (basic format, week dates, time zone annotations...) does not leak into front matter;
//! jiff then does the calendar validation and the timestamp parsing.

use std::cmp::Ordering;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;

/// How much of a date the author wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
    Time,
}

/// A date at the precision it was written with.
///
/// Every field is derived from `iso`, the canonical spelling, so the derived `Eq` and
/// `Hash` agree with `Ord`, whose last tie-breaker is that text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartialDate {
    precision: Precision,
    /// The first day of the period for years and months.
    date: Date,
    /// Only for `Precision::Time`.
    time: Option<Time>,
    /// `None` for a local time written without an offset.
    offset: Option<Offset>,
    iso: String,
}

const EXPECTED: &str = "expected a date such as 2016, 2016-03, 2016-03-01 or 2016-03-01T10:00:00Z";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// Parses `2016`, `2016-03`, `2016-03-01`, `2016-03-01T10:00:00Z`,
    /// `2016-03-01 10:00`, `2016-03-01T10:00:00+02:00`. The error says what was expected.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            b.get(range)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        };
        let dash = |i: usize| b.get(i) == Some(&b'-');
        if !digits(0..4) {
            return Err(format!("`{text}`: {EXPECTED}"));
        }
        match b.len() {
            4 => Self::from_parts(text, Precision::Year, 1, 1),
            7 if dash(4) && digits(5..7) => {
                Self::from_parts(text, Precision::Month, month_of(text)?, 1)
            }
            10 if dash(4) && digits(5..7) && dash(7) && digits(8..10) => {
                Self::from_parts(text, Precision::Day, month_of(text)?, number(&text[8..10]))
            }
            n if n > 10 && dash(4) && dash(7) && digits(5..7) && digits(8..10) => {
                Self::parse_timestamp(text)
            }
            _ => Err(format!("`{text}`: {EXPECTED}")),
        }
    }

    fn from_parts(
        text: &str,
        precision: Precision,
        month: i8,
        day: i8,
    ) -> Result<PartialDate, String> {
        let year: i16 = number(&text[..4]);
        let date = Date::new(year, month, day).map_err(|_| {
            format!(
                "`{text}` is not a real date: {} {year} has no day {day}",
                MONTHS[month as usize - 1]
            )
        })?;
        Ok(PartialDate {
            precision,
            date,
            time: None,
            offset: None,
            iso: text.to_string(),
        })
    }

    fn parse_timestamp(text: &str) -> Result<PartialDate, String> {
        let b = text.as_bytes();
        // jiff would accept an hour alone (`T10`); a time must at least give minutes.
        let time_shape = matches!(b[10], b'T' | b't' | b' ')
            && b.get(11..13)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && b.get(13) == Some(&b':')
            && b.get(14..16)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        if !time_shape {
            return Err(format!("`{text}`: {EXPECTED}"));
        }
        month_of(text)?;
        let pieces = Pieces::parse(text)
            .map_err(|e| format!("`{text}` is not a valid date and time: {e}"))?;
        let time = pieces
            .time()
            .ok_or_else(|| format!("`{text}`: {EXPECTED}"))?;
        if pieces.time_zone_annotation().is_some() {
            return Err(format!(
                "`{text}`: time zone names are not supported, write an offset such as +02:00"
            ));
        }
        let offset = match pieces.offset() {
            None => None,
            Some(PiecesOffset::Zulu) => Some(Offset::UTC),
            Some(PiecesOffset::Numeric(n)) if n.offset().seconds() % 60 == 0 => Some(n.offset()),
            Some(_) => {
                return Err(format!(
                    "`{text}`: the offset must be Z or hours and minutes such as +02:00"
                ));
            }
        };
        let zulu = matches!(pieces.offset(), Some(PiecesOffset::Zulu));
        let iso = format!("{}T{}{}", pieces.date(), time, offset_text(offset, zulu));
        Ok(PartialDate {
            precision: Precision::Time,
            date: pieces.date(),
            time: Some(time),
            offset,
            iso,
        })
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    pub fn year(&self) -> i16 {
        self.date.year()
    }

    /// The month (1-12), when the author gave one.
    pub fn month(&self) -> Option<i8> {
        (self.precision >= Precision::Month).then(|| self.date.month())
    }

    /// The day of the month, when the author gave one.
    pub fn day(&self) -> Option<i8> {
        (self.precision >= Precision::Day).then(|| self.date.day())
    }

    /// The time of day (`16:45`), when the author gave one.
    pub fn clock(&self) -> Option<String> {
        self.time.map(clock)
    }

    /// ISO 8601 at the author's precision, for `<time datetime>`: `2016`, `2016-03`,
    /// `2016-03-01`, or an RFC 3339 timestamp.
    pub fn iso(&self) -> String {
        self.iso.clone()
    }

    /// For readers, at the author's precision: "2016", "March 2016", "31 March 2022",
    /// "31 March 2022 16:45".
    pub fn human(&self) -> String {
        let d = self.date;
        let month = MONTHS[d.month() as usize - 1];
        match self.precision {
            Precision::Year => d.year().to_string(),
            Precision::Month => format!("{month} {}", d.year()),
            Precision::Day => format!("{} {month} {}", d.day(), d.year()),
            Precision::Time => {
                let clock = clock(self.time.unwrap_or_default());
                format!("{} {month} {} {clock}", d.day(), d.year())
            }
        }
    }

    /// A full RFC 3339 timestamp (the start of the period, UTC when no offset was given),
    /// for feeds and sitemaps that demand one.
    pub fn rfc3339(&self) -> String {
        match self.time {
            Some(_) if self.offset.is_some() => self.iso.clone(),
            Some(_) => format!("{}Z", self.iso),
            None => format!("{}T00:00:00Z", self.date),
        }
    }

    /// The start of the period as an instant; a date without an offset counts as UTC.
    fn instant(&self) -> Timestamp {
        let datetime = DateTime::from_parts(self.date, self.time.unwrap_or(Time::midnight()));
        let offset = self.offset.unwrap_or(Offset::UTC);
        // Only an offset pushing year 9999 (or 0) past jiff's range can fail.
        offset
            .to_timestamp(datetime)
            .unwrap_or(if self.date.year() > 5000 {
                Timestamp::MAX
            } else {
                Timestamp::MIN
            })
    }
}

/// `16:45`, or `16:45:07` when the author gave seconds.
fn clock(time: Time) -> String {
    let (hour, minute, second) = (time.hour(), time.minute(), time.second());
    if second == 0 {
        format!("{hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    }
}

/// The month of a `YYYY-MM...` text whose digits were already checked.
fn month_of(text: &str) -> Result<i8, String> {
    let month = number(&text[5..7]);
    if (1..=12).contains(&month) {
        Ok(month)
    } else {
        Err(format!(
            "`{text}` is not a real date: the month must be between 01 and 12"
        ))
    }
}

/// Two to four ASCII digits, already checked.
fn number<T: TryFrom<u16> + Default>(digits: &str) -> T {
    digits
        .parse::<u16>()
        .ok()
        .and_then(|n| T::try_from(n).ok())
        .unwrap_or_default()
}

fn offset_text(offset: Option<Offset>, zulu: bool) -> String {
    match offset {
        None => String::new(),
        Some(_) if zulu => "Z".to_string(),
        Some(o) => {
            let minutes = o.seconds() / 60;
            let sign = if minutes < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
        }
    }
}

impl Ord for PartialDate {
    /// Chronological by the start of the period; on a tie the less precise date first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant()
            .cmp(&other.instant())
            .then(self.precision.cmp(&other.precision))
            .then_with(|| self.iso.cmp(&other.iso))
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
        let mut s = serializer.serialize_struct("Date", 7)?;
        s.serialize_field("iso", &self.iso())?;
        s.serialize_field("display", &self.human())?;
        s.serialize_field("rfc3339", &self.rfc3339())?;
        s.serialize_field("precision", &self.precision())?;
        s.serialize_field("year", &self.year())?;
        s.serialize_field("month", &self.month())?;
        s.serialize_field("day", &self.day())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn precision_follows_what_was_written() {
        assert_eq!(date("2016").precision(), Precision::Year);
        assert_eq!(date("2016-03").precision(), Precision::Month);
        assert_eq!(date("2016-03-01").precision(), Precision::Day);
        for text in [
            "2016-03-01T10:00:00Z",
            "2016-03-01T10:00:00+02:00",
            "2016-03-01 10:00",
            "2016-03-01T10:00",
        ] {
            assert_eq!(date(text).precision(), Precision::Time, "{text}");
        }
    }

    #[test]
    fn iso_keeps_the_precision_and_the_offset() {
        assert_eq!(date("2016").iso(), "2016");
        assert_eq!(date("2016-03").iso(), "2016-03");
        assert_eq!(date("2016-03-01").iso(), "2016-03-01");
        assert_eq!(date("2016-03-01T10:00:00Z").iso(), "2016-03-01T10:00:00Z");
        assert_eq!(
            date("2016-03-01T10:00:00+02:00").iso(),
            "2016-03-01T10:00:00+02:00"
        );
        assert_eq!(
            date("2016-03-01T10:00:00-05:30").iso(),
            "2016-03-01T10:00:00-05:30"
        );
        assert_eq!(date("2016-03-01 10:00").iso(), "2016-03-01T10:00:00");
        assert_eq!(date("2016-03-01T10:00").iso(), "2016-03-01T10:00:00");
        assert_eq!(
            date("2016-03-01T10:00:00.5Z").iso(),
            "2016-03-01T10:00:00.5Z"
        );
        assert_eq!(date(" 2016-03 ").to_string(), "2016-03");
    }

    #[test]
    fn human_reads_naturally() {
        assert_eq!(date("2016").human(), "2016");
        assert_eq!(date("2016-03").human(), "March 2016");
        assert_eq!(date("2022-03-31").human(), "31 March 2022");
        assert_eq!(
            date("2022-03-31T16:45:00+02:00").human(),
            "31 March 2022 16:45"
        );
        assert_eq!(date("2022-03-31 16:45").human(), "31 March 2022 16:45");
        assert_eq!(
            date("2022-03-31 16:45:07").human(),
            "31 March 2022 16:45:07"
        );
    }

    #[test]
    fn rfc3339_is_the_start_of_the_period() {
        assert_eq!(date("2016").rfc3339(), "2016-01-01T00:00:00Z");
        assert_eq!(date("2016-03").rfc3339(), "2016-03-01T00:00:00Z");
        assert_eq!(date("2016-03-01").rfc3339(), "2016-03-01T00:00:00Z");
        assert_eq!(date("2016-03-01 10:00").rfc3339(), "2016-03-01T10:00:00Z");
        assert_eq!(
            date("2016-03-01T10:00:00+02:00").rfc3339(),
            "2016-03-01T10:00:00+02:00"
        );
    }

    #[test]
    fn ordering_is_chronological_then_less_precise_first() {
        let mut dates: Vec<_> = [
            "2016-03-01T10:00:00Z",
            "2016-03-02",
            "2016-03",
            "2015",
            "2016",
            "2016-03-01",
            "2016-03-01T11:00:00+02:00",
            "2016-01-01T00:00",
        ]
        .into_iter()
        .map(date)
        .collect();
        dates.sort();
        let isos: Vec<_> = dates.iter().map(PartialDate::iso).collect();
        assert_eq!(
            isos,
            [
                "2015",
                "2016",
                "2016-01-01T00:00:00",
                "2016-03",
                "2016-03-01",
                // 11:00+02:00 is 09:00 UTC, before 10:00Z.
                "2016-03-01T11:00:00+02:00",
                "2016-03-01T10:00:00Z",
                "2016-03-02",
            ]
        );
    }

    #[test]
    fn ordering_is_consistent_with_equality() {
        let a = date("2016-03-01T10:00:00Z");
        let b = date("2016-03-01T10:00:00+00:00");
        assert_ne!(a, b);
        assert_ne!(a.cmp(&b), Ordering::Equal);
        assert_eq!(a.cmp(&date("2016-03-01T10:00:00Z")), Ordering::Equal);
    }

    #[test]
    fn invalid_dates_are_rejected_with_the_reason() {
        let month = PartialDate::parse("2016-13").unwrap_err();
        assert!(month.contains("month must be between 01 and 12"), "{month}");
        let leap = PartialDate::parse("2015-02-29").unwrap_err();
        assert!(leap.contains("February 2015 has no day 29"), "{leap}");
        assert!(PartialDate::parse("2016-02-29").is_ok());
        assert!(PartialDate::parse("2016-04-31").is_err());
        assert!(PartialDate::parse("2016-00").is_err());
        assert!(PartialDate::parse("2016-03-01T25:00").is_err());
    }

    #[test]
    fn other_shapes_say_what_is_expected() {
        for text in [
            "",
            "16",
            "March 2016",
            "2016/03/01",
            "20160301",
            "2016-3-1",
            "2016-03-01T10",
            "2016-03-01T10:00[Europe/Paris]",
            "2016-03-01T10:00:00+02:00:30",
            "2016-03-01x10:00",
        ] {
            let error = PartialDate::parse(text).expect_err(text);
            assert!(error.starts_with(&format!("`{text}`")), "{text}: {error}");
        }
        assert!(
            PartialDate::parse("soon")
                .unwrap_err()
                .contains("such as 2016, 2016-03")
        );
    }

    #[test]
    fn templates_see_every_part() {
        let json = serde_json::to_value(date("2016-03")).unwrap();
        assert_eq!(json["iso"], "2016-03");
        assert_eq!(json["display"], "March 2016");
        assert_eq!(json["rfc3339"], "2016-03-01T00:00:00Z");
        assert_eq!(json["precision"], "month");
        assert_eq!(json["year"], 2016);
        assert_eq!(json["month"], 3);
        assert!(json["day"].is_null());
    }
}
