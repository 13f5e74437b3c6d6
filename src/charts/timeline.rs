//! The timeline: events placed on a horizontal year axis.
//!
//! Dates become fractional years. A date missing its month or day stands for the
//! whole period it names, so where it is drawn depends on its role:
//!
//! | date          | a point event      | start of a range | end of a range  |
//! | ------------- | ------------------ | ---------------- | --------------- |
//! | year only     | 1 July (mid-year)  | 1 January        | 31 December     |
//! | year + month  | middle of month    | 1st of month     | end of month    |
//! | full date     | middle of that day | start of day     | end of day      |
//!
//! so "2016" sits in the middle of its year cell and "2016–2018" covers three whole
//! years. Events are packed into lanes above the axis, earliest first, so that marks
//! never overlap: two events on the same date get the same x but different lanes.

use std::fmt::Write as _;

use super::TimelineEvent;
use super::svg::{
    READING_WIDTH, TEXT_SIZE as FONT_SIZE, escape, id_prefix, num, open_link, open_svg, text_width,
};

/// The drawing width in user units: the reading column's, so the text is drawn at
/// its nominal size there.
const WIDTH: f64 = READING_WIDTH;
const MARGIN: f64 = 16.0;
const MARK_RADIUS: f64 = 5.0;
/// Vertical distance between lanes.
const LANE_HEIGHT: f64 = 16.0;
/// Horizontal room kept free between two marks in one lane.
const MARK_GAP: f64 = 3.0;
const TOP: f64 = 12.0;
const TICK_LENGTH: f64 = 5.0;
/// Space between a year label and the next one, in addition to its width.
const LABEL_GAP: f64 = 10.0;

/// Which end of an event a date is, to resolve a missing month or day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Point,
    Start,
    End,
}

/// An event laid out: its extent in years and, later, in user units.
struct Placed<'a> {
    event: &'a TimelineEvent,
    start: f64,
    end: Option<f64>,
}

pub fn timeline_svg(events: &[TimelineEvent], title: &str) -> String {
    if events.is_empty() {
        return String::new();
    }
    let title = if title.trim().is_empty() {
        "Timeline"
    } else {
        title
    };
    let first_year = events.iter().map(first_year).min().unwrap_or(0);
    let last_year = events.iter().map(last_year).max().unwrap_or(0);
    let axis = Axis::new(first_year, last_year);
    let placed = sorted(events);
    let (marks, lanes) = pack_lanes(&placed, &axis);
    let axis_y = TOP + lanes.max(1) as f64 * LANE_HEIGHT;
    let height = axis_y + TICK_LENGTH + FONT_SIZE + 8.0;

    let prefix = id_prefix("tl", &timeline_hash_parts(title, events));
    let desc = describe(events.len(), first_year, last_year);
    let mut out = String::with_capacity(512 + events.len() * 160);
    open_svg(
        &mut out,
        &prefix,
        "folio-timeline",
        "group",
        (WIDTH, height),
        title,
        &desc,
    );
    write_axis(&mut out, &axis, axis_y);
    write_marks(&mut out, &marks, axis_y);
    out.push_str("</svg>");
    out
}

/// The events placed, earliest first; equal dates keep their input order (the sort
/// is stable), so the lanes, and the output, depend only on the input.
fn sorted(events: &[TimelineEvent]) -> Vec<Placed<'_>> {
    let mut placed: Vec<Placed> = events.iter().map(place).collect();
    placed.sort_by(|a, b| {
        a.start.total_cmp(&b.start).then(
            a.end
                .unwrap_or(a.start)
                .total_cmp(&b.end.unwrap_or(b.start)),
        )
    });
    placed
}

/// A mark on the chart: its event, its extent in user units, and its lane.
struct Mark<'a> {
    placed: &'a Placed<'a>,
    x0: f64,
    x1: f64,
    lane: usize,
}

/// Lane packing: each lane remembers where its last mark ends, and a mark goes into
/// the lowest lane it fits in. Returns the marks and the number of lanes.
fn pack_lanes<'a>(placed: &'a [Placed<'a>], axis: &Axis) -> (Vec<Mark<'a>>, usize) {
    let mut lane_ends: Vec<f64> = Vec::new();
    let mut marks = Vec::with_capacity(placed.len());
    for p in placed {
        let (x0, x1) = match p.end {
            None => (axis.x(p.start), axis.x(p.start)),
            Some(end) => widen(axis.x(p.start), axis.x(end)),
        };
        let (left, right) = match p.end {
            None => (x0 - MARK_RADIUS, x1 + MARK_RADIUS),
            Some(_) => (x0, x1),
        };
        let lane = lane_ends
            .iter()
            .position(|&end| end + MARK_GAP <= left)
            .unwrap_or_else(|| {
                lane_ends.push(f64::NEG_INFINITY);
                lane_ends.len() - 1
            });
        lane_ends[lane] = right;
        marks.push(Mark {
            placed: p,
            x0,
            x1,
            lane,
        });
    }
    (marks, lane_ends.len())
}

/// Year grid, axis and ticks (one path each keeps the file small), then the year
/// labels, each just right of its tick: a label names the year that starts there,
/// and never crosses the next tick (the step guarantees the room).
fn write_axis(out: &mut String, axis: &Axis, axis_y: f64) {
    let mut grid = String::new();
    let mut ticks = String::new();
    for year in axis.tick_years() {
        let x = num(axis.x(year as f64));
        let _ = write!(grid, "M{x} {}V{}", num(TOP), num(axis_y));
        let _ = write!(ticks, "M{x} {}v{}", num(axis_y), num(TICK_LENGTH));
    }
    let _ = write!(
        out,
        "<g fill=\"none\" stroke=\"currentColor\">\
         <path class=\"tl-grid\" stroke-opacity=\"0.15\" d=\"{grid}\"/>\
         <path class=\"tl-axis\" d=\"M{} {y}H{}{ticks}\"/></g>",
        num(MARGIN),
        num(WIDTH - MARGIN),
        y = num(axis_y),
    );
    out.push_str("<g class=\"tl-labels\" fill=\"currentColor\">");
    let label_y = num(axis_y + TICK_LENGTH + FONT_SIZE);
    for year in axis.label_years() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{label_y}\">{year}</text>",
            num(axis.x(year as f64) + 3.0)
        );
    }
    out.push_str("</g>");
}

/// Each event as a linked dot, or a bar for a period, in its lane above the axis.
fn write_marks(out: &mut String, marks: &[Mark], axis_y: f64) {
    out.push_str("<g class=\"tl-events\" fill=\"currentColor\">");
    for mark in marks {
        let y = axis_y - LANE_HEIGHT * (mark.lane as f64 + 0.5);
        let is_range = mark.placed.end.is_some();
        let class = if is_range {
            "tl-event tl-range"
        } else {
            "tl-event"
        };
        let close = open_link(out, &mark.placed.event.href, class);
        let _ = write!(
            out,
            "<title>{}</title>",
            escape(&tooltip(mark.placed.event))
        );
        if is_range {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{d}\" rx=\"{r}\"/>",
                num(mark.x0),
                num(y - MARK_RADIUS),
                num(mark.x1 - mark.x0),
                d = num(2.0 * MARK_RADIUS),
                r = num(MARK_RADIUS),
            );
        } else {
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
                num(mark.x0),
                num(y),
                num(MARK_RADIUS)
            );
        }
        out.push_str(close);
    }
    out.push_str("</g>");
}

/// The text of a mark's tooltip: "label: summary", or whichever of the two exists.
fn tooltip(event: &TimelineEvent) -> String {
    let label = event.label.trim();
    let summary = event.summary.trim();
    match (label.is_empty(), summary.is_empty()) {
        (false, false) => format!("{label}: {summary}"),
        (false, true) => label.to_string(),
        (true, false) => summary.to_string(),
        (true, true) => String::from("Event"),
    }
}

fn describe(count: usize, first: i64, last: i64) -> String {
    let events = if count == 1 { "event" } else { "events" };
    if first == last {
        format!("Timeline of {count} {events} in {first}.")
    } else {
        format!("Timeline of {count} {events} from {first} to {last}.")
    }
}

fn timeline_hash_parts<'a>(title: &'a str, events: &'a [TimelineEvent]) -> Vec<&'a str> {
    let mut parts = vec![title];
    parts.extend(events.iter().map(|e| e.href.as_str()));
    parts
}

fn place(event: &TimelineEvent) -> Placed<'_> {
    match event.end {
        None => Placed {
            event,
            start: year_fraction(event.start, Role::Point),
            end: None,
        },
        Some(end) => {
            let a = year_fraction(event.start, Role::Start);
            let b = year_fraction(end, Role::End);
            // An end before its start is a data slip; draw the range it spans anyway.
            Placed {
                event,
                start: a.min(b),
                end: Some(a.max(b)),
            }
        }
    }
}

fn first_year(event: &TimelineEvent) -> i64 {
    let start = i64::from(event.start.0);
    event.end.map_or(start, |end| start.min(i64::from(end.0)))
}

fn last_year(event: &TimelineEvent) -> i64 {
    let start = i64::from(event.start.0);
    event.end.map_or(start, |end| start.max(i64::from(end.0)))
}

/// A range narrower than a point mark is widened around its middle, so it stays
/// visible and clickable.
fn widen(x0: f64, x1: f64) -> (f64, f64) {
    let min = 2.0 * MARK_RADIUS;
    if x1 - x0 >= min {
        (x0, x1)
    } else {
        let mid = (x0 + x1) / 2.0;
        (mid - min / 2.0, mid + min / 2.0)
    }
}

/// The date as a fractional year, per the table in the module docs. Months above 12
/// and days past the month's end are clamped rather than rejected.
fn year_fraction((year, month, day): (i32, u8, u8), role: Role) -> f64 {
    let year_f = f64::from(year);
    if month == 0 {
        return year_f
            + match role {
                Role::Point => 0.5,
                Role::Start => 0.0,
                Role::End => 1.0,
            };
    }
    let month = month.min(12);
    let leap = is_leap(year);
    let year_days = if leap { 366.0 } else { 365.0 };
    let before: u32 = (1..month).map(|m| days_in_month(m, leap)).sum();
    let month_days = days_in_month(month, leap);
    let (offset, length) = if day == 0 {
        (f64::from(before), f64::from(month_days))
    } else {
        let day = u32::from(day).min(month_days);
        (f64::from(before + day - 1), 1.0)
    };
    let within = match role {
        Role::Point => length / 2.0,
        Role::Start => 0.0,
        Role::End => length,
    };
    year_f + (offset + within) / year_days
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(month: u8, leap: bool) -> u32 {
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The year axis: from the start of the first year to the end of the last, widened to
/// whole steps, where the step is the smallest "nice" number of years whose labels
/// fit side by side.
struct Axis {
    start: i64,
    end: i64,
    step: i64,
}

impl Axis {
    fn new(first: i64, last: i64) -> Self {
        let plot = WIDTH - 2.0 * MARGIN;
        // The widest label decides the spacing: "-12345" needs more room than "2016".
        let widest = first.to_string().len().max(last.to_string().len());
        let needed = text_width(&"0".repeat(widest), FONT_SIZE) + LABEL_GAP;
        let mut magnitude: i64 = 1;
        loop {
            for factor in [1, 2, 5] {
                let step = magnitude.saturating_mul(factor);
                let start = first.div_euclid(step) * step;
                let end = (last + 1).div_euclid(step) * step
                    + if (last + 1).rem_euclid(step) == 0 {
                        0
                    } else {
                        step
                    };
                let span = (end - start).max(1) as f64;
                if plot * step as f64 / span >= needed || step >= end - start {
                    return Axis { start, end, step };
                }
            }
            magnitude = magnitude.saturating_mul(10);
        }
    }

    fn x(&self, year: f64) -> f64 {
        let span = (self.end - self.start).max(1) as f64;
        MARGIN + (year - self.start as f64) / span * (WIDTH - 2.0 * MARGIN)
    }

    /// Every step, including the closing tick at the end of the last year.
    fn tick_years(&self) -> impl Iterator<Item = i64> + '_ {
        (0..=(self.end - self.start) / self.step).map(|i| self.start + i * self.step)
    }

    /// Every tick but the closing one: a label names the period to its right.
    fn label_years(&self) -> impl Iterator<Item = i64> + '_ {
        self.tick_years().filter(|&y| y < self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_only_dates_sit_mid_year_as_points_and_span_the_year_as_ranges() {
        assert_eq!(year_fraction((2016, 0, 0), Role::Point), 2016.5);
        assert_eq!(year_fraction((2016, 0, 0), Role::Start), 2016.0);
        assert_eq!(year_fraction((2016, 0, 0), Role::End), 2017.0);
        assert_eq!(year_fraction((2015, 1, 1), Role::Start), 2015.0);
        assert_eq!(year_fraction((2015, 12, 31), Role::End), 2016.0);
        let march = year_fraction((2016, 3, 0), Role::Point);
        assert!(march > 2016.0 + 59.0 / 366.0 && march < 2016.0 + 91.0 / 366.0);
    }

    #[test]
    fn out_of_range_months_and_days_are_clamped() {
        assert_eq!(
            year_fraction((2015, 13, 40), Role::End),
            year_fraction((2015, 12, 31), Role::End)
        );
        assert_eq!(
            year_fraction((2015, 2, 30), Role::Start),
            year_fraction((2015, 2, 28), Role::Start)
        );
    }

    #[test]
    fn axis_step_grows_with_the_span() {
        assert_eq!(Axis::new(2010, 2020).step, 1);
        let long = Axis::new(1800, 2020);
        assert!(long.step >= 10, "step {}", long.step);
        assert!(long.start <= 1800 && long.end >= 2021);
        let extreme = Axis::new(i64::from(i32::MIN), i64::from(i32::MAX));
        assert!(extreme.label_years().count() <= 20);
    }
}
