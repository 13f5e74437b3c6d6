//! The shortcode calls of the page being rendered, as the pass meets them: each call
//! arrives as an HTML event that `shortcodes::prepare` put in its place, and leaves as
//! trusted HTML (see [`crate::shortcodes`]). A call the pass never meets (inside a link's
//! destination or an image's text) is reported rather than lost.

use std::collections::HashMap;
use std::ops::Range;

use super::{Context, Flavour, Warning};
use crate::diag::Kind;
use crate::shortcodes::find::{Call, Form};
use crate::shortcodes::{self, Page, Shortcodes};

/// A piece of an HTML event that holds calls.
pub(crate) enum Piece {
    /// Raw HTML of the page, at this range of the body.
    Raw(Range<usize>),
    /// A call's output.
    Trusted(String),
}

pub(crate) struct PageCalls<'c> {
    shortcodes: &'c Shortcodes,
    page: Page<'c>,
    calls: Vec<Call>,
    /// For each `{% end %}`, the closing fragment its body's template wrote.
    closes: Vec<Option<String>>,
    met: Vec<bool>,
    /// How many calls of each name the page has made so far: a template's `nth`.
    counts: HashMap<String, usize>,
    problems: Vec<Warning>,
}

impl<'c> PageCalls<'c> {
    /// The calls of `body`, when the context expands shortcodes and the body has any.
    pub(crate) fn find(body: &str, context: &Context<'c>) -> Option<Self> {
        let shortcodes = context.shortcodes?;
        if matches!(context.options.flavour, Flavour::MdBook(_))
            || !shortcodes::may_have_calls(body)
        {
            return None;
        }
        let found = shortcodes::find(body);
        Some(Self {
            shortcodes,
            page: Page {
                content_dir: context.content_dir,
                content_path: context.page,
            },
            closes: vec![None; found.calls.len()],
            met: vec![false; found.calls.len()],
            calls: found.calls,
            counts: HashMap::new(),
            problems: found.problems,
        })
    }

    /// The body with each call replaced, for the parser.
    pub(crate) fn prepare(&self, body: &str) -> String {
        shortcodes::prepare(body, &self.calls)
    }

    /// Whether an event at `range` holds a call, or part of one.
    pub(crate) fn overlaps(&self, range: &Range<usize>) -> bool {
        let after = self.calls.partition_point(|c| c.range.end <= range.start);
        self.calls
            .get(after)
            .is_some_and(|c| c.range.start < range.end)
    }

    /// The HTML event at `range` of `body` as raw pieces and calls' output; `link` gives
    /// the placeholder of a link a call makes.
    pub(crate) fn expand(
        &mut self,
        range: Range<usize>,
        link: &mut dyn FnMut(&str, Range<usize>) -> String,
    ) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut at = range.start;
        let first = self.calls.partition_point(|c| c.range.end <= range.start);
        for index in first..self.calls.len() {
            let call_range = self.calls[index].range.clone();
            if call_range.start >= range.end {
                break;
            }
            if call_range.start > at {
                pieces.push(Piece::Raw(at..call_range.start));
            }
            if call_range.start >= range.start && !self.met[index] {
                self.met[index] = true;
                pieces.extend(self.output(index, link).map(Piece::Trusted));
            }
            at = at.max(call_range.end.min(range.end));
        }
        if at < range.end {
            pieces.push(Piece::Raw(at..range.end));
        }
        pieces
    }

    /// What call `index` writes, if it checks and renders.
    fn output(
        &mut self,
        index: usize,
        link: &mut dyn FnMut(&str, Range<usize>) -> String,
    ) -> Option<String> {
        let call = &self.calls[index];
        let end = match &call.form {
            Form::Escape(literal) => {
                let mut escaped = String::new();
                super::links::push_escaped_html(&mut escaped, literal);
                return Some(escaped);
            }
            Form::End => return self.closes[index].take(),
            Form::Open { end } => Some(*end),
            Form::Inline => None,
        };
        let problems = self.shortcodes.check(&self.calls, index);
        if !problems.is_empty() {
            self.problems.extend(problems);
            return None;
        }
        let nth = self.counts.entry(call.name.clone()).or_default();
        *nth += 1;
        match self.shortcodes.render(call, *nth, &self.page, link) {
            Ok(output) => {
                if let Some(end) = end {
                    self.closes[end] = Some(output.close);
                }
                Some(output.open)
            }
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// Every problem found, with the calls the pass never met.
    pub(crate) fn finish(mut self) -> Vec<Warning> {
        for (call, _) in self.calls.iter().zip(&self.met).filter(|(_, met)| !**met) {
            self.problems.push(Warning {
                kind: Kind::ShortcodeSyntax,
                range: call.range.clone(),
                message: "a shortcode call cannot stand here".to_string(),
                help: Some(
                    "a call is replaced by HTML: write it in running text or on a line of its own, not in a link's destination or an image's text".to_string(),
                ),
            });
        }
        self.problems
    }
}
