//! A line scan that tells, for most pages, that none of their `{{` and `{%` sits in
//! code, so [`find`](super::find) can skip the full Markdown parse that locates code
//! exactly. That parse cost a page with calls as much again as rendering its Markdown.
//!
//! The scan answers "outside code" only on shapes whose Markdown leaves no doubt, and
//! otherwise "ask the parser": a fence not at the first column (indented, quoted, in a
//! list), raw HTML on a page with fences, a tab or four spaces on a call's line, a
//! stray `\r`, and backticks in a call's paragraph that do not pair up on their own
//! lines or sit near `<`, `|`, `\` or `[^`. The calls found are the same either way: a
//! differential test over many generated pages holds it to that, as does the fuzzer.

use std::ops::Range;

use memchr::memchr;

/// Whether every `{{` and `{%` of `body` is certainly outside its code spans and
/// code blocks.
pub(super) fn calls_outside_code(body: &str) -> bool {
    if odd_line_end(body) {
        return false;
    }
    let mut scan = Scan::default();
    lines(body)
        .split(|line| is_blank(line))
        .all(|paragraph| scan.paragraph(paragraph))
        && !(scan.fenced && scan.html)
}

/// The lines of `body`, without their line ends (`\n` or `\r\n`).
fn lines(body: &str) -> Vec<&str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body.as_bytes()).chain([body.len()]);
    ends.map(|end| {
        let line = &body[start..end];
        start = end + 1;
        line.strip_suffix('\r').unwrap_or(line)
    })
    .collect()
}

/// The state of a scan, from the top of the body.
#[derive(Default)]
struct Scan {
    /// The fence the current line is inside, if any.
    fence: Option<Fence>,
    /// Whether any fence was opened.
    fenced: bool,
    /// Whether a line opens with `<`: an HTML block, which may hide a fence.
    html: bool,
}

/// What a line is to the fence tracker.
enum Line {
    /// A fence, or inside one.
    Code,
    Text,
    /// Something the scan does not read: ask the parser.
    Doubt,
}

impl Scan {
    /// Reads a run of non-blank lines; false if a call in it may be in code.
    fn paragraph(&mut self, lines: &[&str]) -> bool {
        if !lines.iter().any(|line| has_call(line)) {
            return lines
                .iter()
                .all(|line| !matches!(self.line(line), Line::Doubt));
        }
        let spans = paired_spans(lines);
        for (n, line) in lines.iter().enumerate() {
            let outside = match self.line(line) {
                Line::Doubt => false,
                Line::Code => !has_call(line),
                Line::Text if !has_call(line) => true,
                Line::Text => spans
                    .as_ref()
                    .is_some_and(|spans| calls_outside(line, &spans[n])),
            };
            if !outside {
                return false;
            }
        }
        true
    }

    /// Moves the fence tracker past `line`.
    fn line(&mut self, line: &str) -> Line {
        if let Some(open) = self.fence {
            if open.closed_by(line) {
                self.fence = None;
            }
            return Line::Code;
        }
        if let Some(open) = Fence::opened_by(line) {
            self.fence = Some(open);
            self.fenced = true;
            return Line::Code;
        }
        if has_fence_run(line.as_bytes()) {
            return Line::Doubt;
        }
        self.html |= line.trim_start().starts_with('<');
        Line::Text
    }
}

/// A fence opened at the first column of a line.
#[derive(Clone, Copy)]
struct Fence {
    mark: u8,
    len: usize,
}

impl Fence {
    /// Three or more backticks or tildes at the first column of `line`; a backtick
    /// fence's info string holds no backtick.
    fn opened_by(line: &str) -> Option<Fence> {
        let mark = *line.as_bytes().first()?;
        if !matches!(mark, b'`' | b'~') {
            return None;
        }
        let len = run(line.as_bytes(), mark);
        let info_ok = mark == b'~' || !line[len..].contains('`');
        (len >= 3 && info_ok).then_some(Fence { mark, len })
    }

    /// Up to three spaces, a run of the same mark at least as long, then only spaces
    /// and tabs.
    fn closed_by(self, line: &str) -> bool {
        let rest = line.trim_start_matches(' ');
        let len = run(rest.as_bytes(), self.mark);
        line.len() - rest.len() <= 3
            && len >= self.len
            && rest[len..].bytes().all(|b| b == b' ' || b == b'\t')
    }
}

/// The length of the run of `mark` that `bytes` starts with.
fn run(bytes: &[u8], mark: u8) -> usize {
    bytes.iter().take_while(|&&b| b == mark).count()
}

/// Whether `bytes` hold three backticks or three tildes in a row.
fn has_fence_run(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'`', b'~', bytes).any(|at| run(&bytes[at..], bytes[at]) >= 3)
}

/// A line end other than `\n` and `\r\n`, or a vertical tab or form feed, which
/// Markdown reads as blank where this scan would not.
fn odd_line_end(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr3_iter(b'\r', 0x0b, 0x0c, bytes)
        .any(|at| bytes[at] != b'\r' || bytes.get(at + 1) != Some(&b'\n'))
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

/// The offsets of the `{{` and `{%` of `line`.
fn calls_at(line: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = line.as_bytes();
    memchr::memchr_iter(b'{', bytes).filter(|&at| matches!(bytes.get(at + 1), Some(b'{' | b'%')))
}

fn has_call(line: &str) -> bool {
    calls_at(line).next().is_some()
}

/// Whether every call of `line` (not a fence) is outside its code `spans` and could
/// not be indented code.
fn calls_outside(line: &str, spans: &[Range<usize>]) -> bool {
    let bytes = line.as_bytes();
    let indented = memchr(b'\t', bytes).is_some() || bytes.windows(4).any(|w| w == b"    ");
    !indented && calls_at(line).all(|at| !spans.iter().any(|span| span.contains(&at)))
}

/// The code spans of each of `lines`, when each line pairs its backticks on its own
/// and holds nothing that could make a backtick mean something else; None otherwise.
fn paired_spans(lines: &[&str]) -> Option<Vec<Vec<Range<usize>>>> {
    lines.iter().map(|line| line_spans(line)).collect()
}

/// A line's code spans: each backtick run paired with the next run of its length.
/// None if a run is left unpaired (it may pair with another line's), or if the line
/// holds `<` (HTML and autolinks outrank code spans), `|` (table cells split them),
/// `\` (an escaped backtick opens nothing) or `[^` (a footnote's label).
fn line_spans(line: &str) -> Option<Vec<Range<usize>>> {
    let bytes = line.as_bytes();
    if memchr(b'`', bytes).is_none() {
        return Some(Vec::new());
    }
    if memchr::memchr3(b'<', b'|', b'\\', bytes).is_some() || bytes.windows(2).any(|w| w == b"[^") {
        return None;
    }
    let runs = backtick_runs(bytes);
    let mut spans = Vec::new();
    let mut next = 0;
    while let Some(open) = runs.get(next) {
        let close = next
            + 1
            + runs[next + 1..]
                .iter()
                .position(|r| r.len() == open.len())?;
        spans.push(open.start..runs[close].end);
        next = close + 1;
    }
    Some(spans)
}

/// The maximal runs of backticks of `bytes`.
fn backtick_runs(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr(b'`', &bytes[at..]) {
        let start = at + found;
        let end = start + run(&bytes[start..], b'`');
        runs.push(start..end);
        at = end;
    }
    runs
}

#[cfg(test)]
mod tests;
