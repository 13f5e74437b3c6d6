//! A book's own preprocessors, run as mdBook 0.5.4 runs them. mdBook books lean on them
//! (The Rust Programming Language draws its notes and listings with two), so a book only
//! builds unchanged if every `[preprocessor.NAME]` of its book.toml runs, in mdBook's
//! order, and gets the very JSON mdBook would send it.
//!
//! The protocol: `COMMAND supports RENDERER` exits 0 when the preprocessor works for that
//! renderer; then `COMMAND` reads `[context, book]` as JSON on stdin and prints the
//! changed book as JSON on stdout, its stderr going straight to the user. The context
//! carries mdBook's own config type read from book.toml.
//!
//! mdBook's built-ins `links` and `index` take their place in that order but are not run
//! here: folio does their work itself, so [`Plan::run`] hands the book to the caller at
//! their turn.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::config::Config;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::CONFIG_FILE;
use crate::diag::{Diagnostic, Kind, Position, position_of};

/// The book after every preprocessor, with the warnings of the run; or every error and
/// warning up to the first failure (a later preprocessor would read a book that is not
/// there).
pub type Outcome = Result<(Book, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Runs the book's own preprocessors for `renderer` (folio renders as `html`) on `book`,
/// in the book's folder `root`, leaving the work of the built-ins to the caller.
pub fn run(root: &Path, book_toml_text: &str, renderer: &str, book: Book) -> Outcome {
    Plan::new(book_toml_text, renderer)?.run(root, book, |_, book| Ok(book))
}

/// mdBook's built-in preprocessors, which folio implements itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `links`: `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}` and `{{#title}}`.
    Links,
    /// `index`: a chapter file named `README.md` becomes its folder's `index.md`.
    Index,
}

impl Builtin {
    const ALL: [Builtin; 2] = [Builtin::Links, Builtin::Index];

    /// The name book.toml calls it by.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Links => "links",
            Builtin::Index => "index",
        }
    }

    fn named(name: &str) -> Option<Builtin> {
        Builtin::ALL
            .into_iter()
            .find(|builtin| builtin.name() == name)
    }
}

/// What book.toml asks to run for one renderer, in the order mdBook runs it.
#[derive(Debug)]
pub struct Plan {
    config: Config,
    renderer: String,
    steps: Vec<Step>,
    warnings: Vec<Diagnostic>,
}

#[derive(Debug)]
enum Step {
    Builtin(Builtin),
    Command(External),
}

impl Step {
    fn name(&self) -> &str {
        match self {
            Step::Builtin(builtin) => builtin.name(),
            Step::Command(external) => &external.name,
        }
    }
}

impl Plan {
    /// Reads the `[preprocessor]` tables and `[build] use-default-preprocessors` of
    /// book.toml and orders the preprocessors; errors are located in book.toml.
    pub fn new(book_toml_text: &str, renderer: &str) -> Result<Plan, Vec<Diagnostic>> {
        let source = Source::new(book_toml_text);
        let config: Config = toml::from_str(book_toml_text)
            .map_err(|error| vec![unreadable_config(&source, &error)])?;
        let tables = read_tables(&config, &source)?;
        let defaults = config.build.use_default_preprocessors;
        let mut warnings = Vec::new();
        let graph = Graph::new(&tables, defaults, &source, &mut warnings);
        let planned = graph
            .order()
            .map_err(|cycle| vec![cycle_error(&source, &cycle)])
            .and_then(|order| steps(order, &tables, defaults, renderer, &source));
        match planned {
            Ok(steps) => Ok(Plan {
                config,
                renderer: renderer.to_string(),
                steps,
                warnings,
            }),
            Err(errors) => {
                warnings.extend(errors);
                Err(warnings)
            }
        }
    }

    /// Whether the built-in runs for this renderer: on by default, off with
    /// `use-default-preprocessors = false` unless book.toml has its table.
    pub fn runs(&self, builtin: Builtin) -> bool {
        self.steps
            .iter()
            .any(|step| matches!(step, Step::Builtin(b) if *b == builtin))
    }

    /// The preprocessors in the order they run, built-ins included. A command still
    /// skips itself at its turn when it does not support the renderer.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().map(Step::name)
    }

    /// Runs every preprocessor on `book` in the book's folder `root`, calling `builtin`
    /// at each built-in's turn. Preprocessors' messages go to folio's stderr.
    pub fn run(
        self,
        root: &Path,
        book: Book,
        builtin: impl FnMut(Builtin, Book) -> Result<Book, Vec<Diagnostic>>,
    ) -> Outcome {
        self.run_with(root, book, builtin, &|| Ok(Stdio::from(io::stderr())))
    }

    /// [`Plan::run`], with the preprocessors' messages sent where `messages` says.
    fn run_with(
        self,
        root: &Path,
        mut book: Book,
        mut builtin: impl FnMut(Builtin, Book) -> Result<Book, Vec<Diagnostic>>,
        messages: &Messages<'_>,
    ) -> Outcome {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let context = PreprocessorContext::new(root, self.config, self.renderer);
        let mut diagnostics = self.warnings;
        for step in self.steps {
            let result = match step {
                Step::Builtin(which) => builtin(which, book),
                Step::Command(external) => external
                    .run(&context, book, messages, &mut diagnostics)
                    .map_err(|error| vec![error]),
            };
            match result {
                Ok(next) => book = next,
                Err(errors) => {
                    diagnostics.extend(errors);
                    return Err(diagnostics);
                }
            }
        }
        Ok((book, diagnostics))
    }
}

/// Where a preprocessor's messages go: its stderr, and the stdout of its `supports`
/// answer, which must not mix with what folio prints on stdout.
type Messages<'a> = dyn Fn() -> io::Result<Stdio> + 'a;

/// A `[preprocessor.NAME]` table as mdBook reads it; other keys are the preprocessor's own.
#[derive(Debug, Deserialize)]
struct Table {
    command: Option<String>,
    #[serde(default)]
    before: Vec<String>,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    optional: bool,
    renderers: Option<Vec<String>>,
}

fn read_tables(
    config: &Config,
    source: &Source,
) -> Result<BTreeMap<String, Table>, Vec<Diagnostic>> {
    let raw = config
        .preprocessors::<serde_json::Value>()
        .map_err(|error| {
            let message = format!("[preprocessor] must be a table of preprocessors: {error:#}");
            vec![Diagnostic::error(Kind::InvalidConfigValue, message).in_file(CONFIG_FILE)]
        })?;
    let mut tables = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, value) in raw {
        match serde_json::from_value::<Table>(value) {
            Ok(table) => {
                tables.insert(name, table);
            }
            Err(error) => {
                let message = format!("invalid [preprocessor.{name}]: {error}");
                let diagnostic = Diagnostic::error(Kind::InvalidConfigValue, message);
                problems.push(source.at(diagnostic, source.name_span(&name)));
            }
        }
    }
    if problems.is_empty() {
        Ok(tables)
    } else {
        Err(problems)
    }
}

/// The preprocessors of a book and which must run before which, as mdBook builds it:
/// the built-ins (unless `use-default-preprocessors = false`) and every table.
struct Graph {
    names: BTreeSet<String>,
    /// `(earlier, later)` pairs.
    edges: BTreeSet<(String, String)>,
}

impl Graph {
    fn new(
        tables: &BTreeMap<String, Table>,
        defaults: bool,
        source: &Source,
        warnings: &mut Vec<Diagnostic>,
    ) -> Graph {
        let mut names: BTreeSet<String> = tables.keys().cloned().collect();
        if defaults {
            names.extend(Builtin::ALL.map(|builtin| builtin.name().to_string()));
        }
        let mut edges = BTreeSet::new();
        for (name, table) in tables {
            let later = table.before.iter().map(|other| ("before", other));
            let earlier = table.after.iter().map(|other| ("after", other));
            for (key, other) in later.chain(earlier) {
                if !names.contains(other) {
                    warnings.push(unknown_neighbour(source, name, key, other));
                } else if key == "before" {
                    edges.insert((name.clone(), other.clone()));
                } else {
                    edges.insert((other.clone(), name.clone()));
                }
            }
        }
        Graph { names, edges }
    }

    /// mdBook's order: every preprocessor nothing waits on, sorted by name (code points),
    /// then those freed by them, and so on; or, on a cycle, the preprocessors in it.
    fn order(&self) -> Result<Vec<String>, Vec<String>> {
        let mut waiting: BTreeMap<&str, usize> =
            self.names.iter().map(|name| (name.as_str(), 0)).collect();
        for (_, later) in &self.edges {
            *waiting.entry(later).or_default() += 1;
        }
        let mut order = Vec::new();
        loop {
            let ready: Vec<&str> = waiting
                .iter()
                .filter(|(_, count)| **count == 0)
                .map(|(name, _)| *name)
                .collect();
            if ready.is_empty() {
                break;
            }
            for name in &ready {
                waiting.remove(name);
                for (_, later) in self.edges.iter().filter(|(earlier, _)| earlier == name) {
                    waiting.entry(later).and_modify(|count| *count -= 1);
                }
            }
            order.extend(ready.into_iter().map(str::to_string));
        }
        if waiting.is_empty() {
            Ok(order)
        } else {
            Err(self.cycle_among(waiting.into_keys().collect()))
        }
    }

    /// The preprocessors left waiting on each other, less those that only wait on the
    /// cycle without being in it.
    fn cycle_among(&self, mut left: BTreeSet<&str>) -> Vec<String> {
        loop {
            let waits_on_nothing_left = |name: &&str| {
                !self
                    .edges
                    .iter()
                    .any(|(earlier, later)| earlier == name && left.contains(later.as_str()))
            };
            let ends: Vec<&str> = left.iter().copied().filter(waits_on_nothing_left).collect();
            if ends.is_empty() {
                return left.into_iter().map(str::to_string).collect();
            }
            for end in ends {
                left.remove(end);
            }
        }
    }
}

/// The steps for `renderer`: a built-in runs unless `use-default-preprocessors = false`
/// and its table's `renderers` leaves the renderer out; a command is left out only by
/// its `renderers`, and asks the preprocessor itself when it has none.
fn steps(
    order: Vec<String>,
    tables: &BTreeMap<String, Table>,
    defaults: bool,
    renderer: &str,
    source: &Source,
) -> Result<Vec<Step>, Vec<Diagnostic>> {
    let mut steps = Vec::new();
    let mut problems = Vec::new();
    for name in order {
        let table = tables.get(&name);
        let listed = table.and_then(|table| table.renderers.as_ref());
        let for_renderer = listed.is_none_or(|list| list.iter().any(|r| r == renderer));
        if let Some(builtin) = Builtin::named(&name) {
            if defaults || for_renderer {
                steps.push(Step::Builtin(builtin));
            }
        } else if let Some(table) = table.filter(|_| for_renderer) {
            match External::new(name, table, source) {
                Ok(external) => steps.push(Step::Command(external)),
                Err(problem) => problems.push(problem),
            }
        }
    }
    if problems.is_empty() {
        Ok(steps)
    } else {
        Err(problems)
    }
}

/// A preprocessor run as a command.
#[derive(Debug)]
struct External {
    name: String,
    /// The command as book.toml gives it (or `mdbook-NAME`), for messages.
    command: String,
    program: String,
    args: Vec<String>,
    optional: bool,
    /// False when book.toml's `renderers` already said it runs for this renderer.
    ask_support: bool,
    /// Where book.toml names it.
    position: Option<Position>,
}

impl External {
    fn new(name: String, table: &Table, source: &Source) -> Result<External, Diagnostic> {
        let command = table
            .command
            .clone()
            .unwrap_or_else(|| format!("mdbook-{name}"));
        let words = shlex::split(&command);
        let Some((program, args)) = words.as_deref().and_then(<[String]>::split_first) else {
            let problem = match words {
                None => "has a quote that is never closed",
                Some(_) => "is empty",
            };
            let message = format!("the command of preprocessor `{name}` {problem}");
            let span = source.value_span(&name, "command");
            let diagnostic = Diagnostic::error(Kind::InvalidConfigValue, message);
            return Err(source.at(diagnostic, span.or_else(|| source.name_span(&name))));
        };
        Ok(External {
            position: source
                .name_span(&name)
                .map(|span| position_of(source.text, span)),
            program: program.clone(),
            args: args.to_vec(),
            optional: table.optional,
            ask_support: table.renderers.is_none(),
            command,
            name,
        })
    }

    fn run(
        &self,
        context: &PreprocessorContext,
        book: Book,
        messages: &Messages<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Book, Diagnostic> {
        if self.ask_support && !self.supports(context, messages, diagnostics)? {
            return Ok(book);
        }
        let input = serde_json::to_vec(&(context, &book))
            .map_err(|error| self.failure(format!("cannot be sent the book: {error}")))?;
        let mut command = self.command(&context.root);
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(self.messages(messages)?);
        let Some(child) = self.start(&mut command, diagnostics)? else {
            return Ok(book);
        };
        let (output, sent) = exchange(child, &input);
        let output = output.map_err(|error| self.failure(format!("did not finish: {error}")))?;
        if !output.status.success() {
            return Err(self
                .failure(format!("failed with {}", output.status))
                .help(format!(
                    "its messages are above; it ran as `{}`",
                    self.command
                )));
        }
        if let Err(error) = sent {
            let message = format!("stopped reading the book before its end: {error}");
            diagnostics.push(self.locate(Diagnostic::warning(Kind::Preprocessor, message)));
        }
        self.answer(&output)
    }

    /// `COMMAND supports RENDERER`: exit code 0 means yes, any other answer no.
    fn supports(
        &self,
        context: &PreprocessorContext,
        messages: &Messages<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<bool, Diagnostic> {
        let mut command = self.command(&context.root);
        command
            .arg("supports")
            .arg(&context.renderer)
            .stdin(Stdio::null())
            .stdout(self.messages(messages)?)
            .stderr(self.messages(messages)?);
        let Some(mut child) = self.start(&mut command, diagnostics)? else {
            return Ok(false);
        };
        let status = child
            .wait()
            .map_err(|error| self.failure(format!("did not finish: {error}")))?;
        Ok(status.code() == Some(0))
    }

    /// The book the preprocessor printed.
    fn answer(&self, output: &Output) -> Result<Book, Diagnostic> {
        serde_json::from_slice(&output.stdout).map_err(|error| {
            self.failure(format!("did not answer with a book: {error}"))
                .help("a preprocessor prints only the book, as JSON, on stdout; messages go to stderr")
        })
    }

    /// The command, run in the book's folder: a program named with a folder is found
    /// from there, a bare name on the PATH.
    fn command(&self, root: &Path) -> Command {
        let program = Path::new(&self.program);
        let program = match program.components().count() {
            1 => program.to_path_buf(),
            _ => root.join(program),
        };
        let mut command = Command::new(program);
        command.args(&self.args).current_dir(root);
        command
    }

    /// Starts `command`; `None` when it is not installed but optional, which is a
    /// warning, as in mdBook. Only a missing command is forgiven.
    fn start(
        &self,
        command: &mut Command,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<Child>, Diagnostic> {
        match command.spawn() {
            Ok(child) => Ok(Some(child)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                let missing = self.missing();
                if self.optional {
                    diagnostics.push(missing);
                    Ok(None)
                } else {
                    Err(missing)
                }
            }
            Err(error) => Err(self.failure(format!("could not be started: {error}"))),
        }
    }

    fn missing(&self) -> Diagnostic {
        let name = &self.name;
        let message = format!(
            "the command `{}` of preprocessor `{name}` was not found",
            self.program
        );
        let install = match self.command == format!("mdbook-{name}") {
            true => format!("install it with `cargo install mdbook-{name}`"),
            false => format!("install `{}`", self.program),
        };
        let diagnostic = match self.optional {
            true => Diagnostic::warning(Kind::PreprocessorMissing, message).help(format!(
                "the book is built without it, as it is optional; {install}"
            )),
            false => Diagnostic::error(Kind::PreprocessorMissing, message)
                .help(format!("{install}, or mark it `optional = true`")),
        };
        self.locate(diagnostic)
    }

    fn messages(&self, messages: &Messages<'_>) -> Result<Stdio, Diagnostic> {
        messages().map_err(|error| self.failure(format!("has nowhere to print: {error}")))
    }

    fn failure(&self, what: String) -> Diagnostic {
        let message = format!("preprocessor `{}` {what}", self.name);
        self.locate(Diagnostic::error(Kind::Preprocessor, message))
    }

    fn locate(&self, diagnostic: Diagnostic) -> Diagnostic {
        let diagnostic = diagnostic.in_file(CONFIG_FILE);
        match &self.position {
            Some(position) => diagnostic.with_position(position.clone()),
            None => diagnostic,
        }
    }
}

/// Sends `input` to the child's stdin while reading its stdout, so that neither waits
/// on the other's full pipe: the result of the run, and whether all the input went in.
fn exchange(mut child: Child, input: &[u8]) -> (io::Result<Output>, io::Result<()>) {
    let stdin = child.stdin.take();
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || match stdin {
            Some(mut stdin) => stdin.write_all(input),
            None => Ok(()),
        });
        let output = child.wait_with_output();
        let sent = writer.join().unwrap_or(Ok(()));
        (output, sent)
    })
}

/// book.toml's text with its tables parsed for their spans, so that each diagnostic
/// points at what it is about.
struct Source<'a> {
    text: &'a str,
    document: Option<Spanned<DeTable<'a>>>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Self {
        Source {
            text,
            document: DeTable::parse(text).ok(),
        }
    }

    /// `NAME` and its value, wherever book.toml writes `[preprocessor.NAME]`.
    fn entry(&self, name: &str) -> Option<(Range<usize>, &DeValue<'a>)> {
        let document = self.document.as_ref()?.get_ref();
        let DeValue::Table(preprocessors) = document.get("preprocessor")?.get_ref() else {
            return None;
        };
        let (key, value) = preprocessors
            .iter()
            .find(|(key, _)| key.get_ref() == name)?;
        Some((key.span(), value.get_ref()))
    }

    fn table(&self, name: &str) -> Option<&DeTable<'a>> {
        match self.entry(name)?.1 {
            DeValue::Table(table) => Some(table),
            _ => None,
        }
    }

    fn name_span(&self, name: &str) -> Option<Range<usize>> {
        self.entry(name).map(|(span, _)| span)
    }

    fn value_span(&self, name: &str, key: &str) -> Option<Range<usize>> {
        Some(self.table(name)?.get(key)?.span())
    }

    /// The item `item` of the list `key` of `[preprocessor.NAME]`.
    fn item_span(&self, name: &str, key: &str, item: &str) -> Option<Range<usize>> {
        let DeValue::Array(items) = self.table(name)?.get(key)?.get_ref() else {
            return None;
        };
        let found = items
            .iter()
            .find(|value| value.get_ref().as_str() == Some(item))?;
        Some(found.span())
    }

    fn at(&self, diagnostic: Diagnostic, span: Option<Range<usize>>) -> Diagnostic {
        match span {
            Some(span) => diagnostic.at(CONFIG_FILE, self.text, span),
            None => diagnostic.in_file(CONFIG_FILE),
        }
    }
}

fn unreadable_config(source: &Source, error: &toml::de::Error) -> Diagnostic {
    let message = format!(
        "{CONFIG_FILE} is not a configuration mdBook reads: {}",
        error.message().trim()
    );
    source.at(Diagnostic::error(Kind::ConfigSyntax, message), error.span())
}

fn unknown_neighbour(source: &Source, name: &str, key: &str, other: &str) -> Diagnostic {
    let message =
        format!("preprocessor `{name}` is to run {key} `{other}`, which this book does not have");
    let diagnostic = Diagnostic::warning(Kind::PreprocessorOrder, message)
        .help("the order is kept for the others; add the preprocessor or remove the name");
    let span = source.item_span(name, key, other);
    source.at(diagnostic, span.or_else(|| source.name_span(name)))
}

fn cycle_error(source: &Source, cycle: &[String]) -> Diagnostic {
    let names: Vec<String> = cycle.iter().map(|name| format!("`{name}`")).collect();
    let message = format!(
        "preprocessors {} are each to run before the other",
        names.join(", ")
    );
    let diagnostic = Diagnostic::error(Kind::PreprocessorOrder, message)
        .help("their `before` and `after` lists form a cycle: remove one of the names");
    let first = cycle.iter().find_map(|name| source.name_span(name));
    source.at(diagnostic, first)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use mdbook_preprocessor::book::{BookItem, Chapter};

    use super::*;
    use crate::diag::Severity;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mdbook_preprocess")
    }

    /// A chapter `x` with a sub-chapter `y`.
    fn book() -> Book {
        let mut one = Chapter::new("One", "x".into(), "one.md", vec![]);
        let two = Chapter::new("Two", "y".into(), "one/two.md", vec!["One".into()]);
        one.sub_items.push(BookItem::Chapter(two));
        Book::new_with_items(vec![BookItem::Chapter(one)])
    }

    fn contents(book: &Book) -> Vec<String> {
        book.chapters().map(|c| c.content.clone()).collect()
    }

    /// Runs the preprocessors of `toml` on [`book`]: the chapters' contents after them,
    /// and the diagnostics.
    fn preprocess(toml: &str) -> Result<(Vec<String>, Vec<Diagnostic>), Vec<Diagnostic>> {
        run(&root(), toml, "html", book()).map(|(book, found)| (contents(&book), found))
    }

    /// Severity, kind and 1-based place of each diagnostic.
    fn summary(diagnostics: &[Diagnostic]) -> Vec<(Severity, Kind, String)> {
        let place = |d: &Diagnostic| d.location().unwrap_or_default();
        diagnostics
            .iter()
            .map(|d| (d.severity, d.kind, place(d)))
            .collect()
    }

    #[test]
    fn a_preprocessor_changes_every_chapter() {
        let toml = "[preprocessor.upper]\ncommand = \"python3 pp.py upper\"\n";
        assert_eq!(preprocess(toml), Ok((vec!["X".into(), "Y".into()], vec![])));
    }

    #[test]
    fn a_preprocessor_is_sent_what_mdbook_sends() {
        let toml = "[book]\ntitle = \"Tome\"\n\n\
                    [preprocessor.context]\ncommand = \"python3 pp.py context\"\nextra = 7\n";
        let (found, _) = preprocess(toml).expect("runs");
        assert_eq!(found[0], "html|0.5.4|Tome|7|root is cwd");
    }

    #[cfg(unix)]
    #[test]
    fn a_program_named_with_a_folder_is_found_from_the_book_root() {
        let toml = "[preprocessor.upper]\ncommand = \"./pp.py upper\"\n";
        assert_eq!(preprocess(toml), Ok((vec!["X".into(), "Y".into()], vec![])));
    }

    #[test]
    fn a_preprocessor_that_does_not_support_the_renderer_is_skipped() {
        let toml = "[preprocessor.picky]\ncommand = \"python3 pp.py no-html\"\n";
        assert_eq!(preprocess(toml), Ok((vec!["x".into(), "y".into()], vec![])));
    }

    #[test]
    fn renderers_decide_without_asking_the_preprocessor() {
        let toml = "[preprocessor.picky]\ncommand = \"python3 pp.py no-html\"\n\
                    renderers = [\"html\"]\n\
                    [preprocessor.elsewhere]\nrenderers = [\"epub\"]\n";
        assert_eq!(preprocess(toml), Ok((vec!["X".into(), "Y".into()], vec![])));
    }

    #[test]
    fn before_and_after_order_as_mdbook_does() {
        // c before b, a after b, z free: mdBook runs c and z first (nothing waits on
        // them, sorted by name), then b, then a.
        let toml = "[preprocessor.a]\ncommand = \"python3 pp.py append a\"\nafter = [\"b\"]\n\
                    [preprocessor.b]\ncommand = \"python3 pp.py append b\"\n\
                    [preprocessor.c]\ncommand = \"python3 pp.py append c\"\nbefore = [\"b\"]\n\
                    [preprocessor.z]\ncommand = \"python3 pp.py append z\"\n";
        let (found, diagnostics) = preprocess(toml).expect("runs");
        assert_eq!(found, ["x c z b a", "y c z b a"]);
        assert_eq!(diagnostics, []);
    }

    #[test]
    fn builtins_take_their_turn_in_the_order() {
        let toml = "[preprocessor.admonish]\ncommand = \"python3 pp.py append admonish\"\n\
                    [preprocessor.gettext]\ncommand = \"python3 pp.py append gettext\"\n\
                    after = [\"links\"]\n";
        let plan = Plan::new(toml, "html").expect("plans");
        let names: Vec<&str> = plan.names().collect();
        assert_eq!(names, ["admonish", "index", "links", "gettext"]);
        let mark = |builtin: Builtin, mut book: Book| {
            book.for_each_chapter_mut(|c| c.content = format!("{} {}", c.content, builtin.name()));
            Ok(book)
        };
        let (book, diagnostics) = plan.run(&root(), book(), mark).expect("runs");
        assert_eq!(contents(&book)[0], "x admonish index links gettext");
        assert_eq!(diagnostics, []);
    }

    #[test]
    fn builtins_run_by_default_or_when_their_table_asks() {
        let runs = |toml: &str| {
            let plan = Plan::new(toml, "html").expect("plans");
            (plan.runs(Builtin::Links), plan.runs(Builtin::Index))
        };
        let off = "[build]\nuse-default-preprocessors = false\n";
        assert_eq!(runs(""), (true, true));
        assert_eq!(
            runs("[preprocessor.links]\nrenderers = [\"epub\"]\n"),
            (true, true)
        );
        assert_eq!(runs(off), (false, false));
        assert_eq!(runs(&format!("{off}[preprocessor.links]\n")), (true, false));
        let epub_only = format!("{off}[preprocessor.index]\nrenderers = [\"epub\"]\n");
        assert_eq!(runs(&epub_only), (false, false));
    }

    #[test]
    fn an_unknown_name_in_before_is_a_warning() {
        let toml = "[preprocessor.upper]\ncommand = \"python3 pp.py upper\"\n\
                    before = [\"links\", \"nowhere\"]\n";
        let (found, diagnostics) = preprocess(toml).expect("runs");
        assert_eq!(found, ["X", "Y"]);
        assert_eq!(
            summary(&diagnostics),
            [(
                Severity::Warning,
                Kind::PreprocessorOrder,
                "book.toml:3:20".into()
            )]
        );
        assert_eq!(
            diagnostics[0].message,
            "preprocessor `upper` is to run before `nowhere`, which this book does not have"
        );
    }

    #[test]
    fn a_cycle_is_an_error_naming_the_preprocessors_in_it() {
        let toml = "[preprocessor.b]\nbefore = [\"a\"]\n\n\
                    [preprocessor.a]\nbefore = [\"b\"]\n\
                    [preprocessor.c]\nafter = [\"a\"]\n";
        let errors = preprocess(toml).expect_err("a cycle");
        assert_eq!(
            summary(&errors),
            [(
                Severity::Error,
                Kind::PreprocessorOrder,
                "book.toml:4:15".into()
            )]
        );
        assert_eq!(
            errors[0].message,
            "preprocessors `a`, `b` are each to run before the other"
        );
    }

    #[test]
    fn a_preprocessor_before_itself_is_a_cycle() {
        let toml = "[preprocessor.a]\nbefore = [\"a\"]\n";
        let errors = preprocess(toml).expect_err("a cycle");
        assert_eq!(
            errors[0].message,
            "preprocessors `a` are each to run before the other"
        );
    }

    #[test]
    fn a_missing_command_is_an_error_at_its_table() {
        let toml = "[book]\ntitle = \"T\"\n\n[preprocessor.folio-test-absent]\n";
        let errors = preprocess(toml).expect_err("missing");
        assert_eq!(
            summary(&errors),
            [(
                Severity::Error,
                Kind::PreprocessorMissing,
                "book.toml:4:15".into()
            )]
        );
        assert_eq!(
            errors[0].message,
            "the command `mdbook-folio-test-absent` of preprocessor `folio-test-absent` was not found"
        );
        assert_eq!(
            errors[0].help.as_deref(),
            Some(
                "install it with `cargo install mdbook-folio-test-absent`, or mark it `optional = true`"
            )
        );
    }

    #[test]
    fn a_missing_optional_command_is_a_warning() {
        let toml = "[preprocessor.gone]\ncommand = \"folio-test-absent --flag\"\noptional = true\n\
                    [preprocessor.upper]\ncommand = \"python3 pp.py upper\"\n";
        let (found, diagnostics) = preprocess(toml).expect("runs");
        assert_eq!(found, ["X", "Y"]);
        assert_eq!(
            summary(&diagnostics),
            [(
                Severity::Warning,
                Kind::PreprocessorMissing,
                "book.toml:1:15".into()
            )]
        );
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("the book is built without it, as it is optional; install `folio-test-absent`")
        );
    }

    #[test]
    fn a_missing_command_chosen_by_renderers_is_forgiven_when_optional() {
        let toml = "[preprocessor.gone]\noptional = true\nrenderers = [\"html\"]\n";
        let (found, diagnostics) = preprocess(toml).expect("runs");
        assert_eq!(found, ["x", "y"]);
        assert_eq!(
            summary(&diagnostics),
            [(
                Severity::Warning,
                Kind::PreprocessorMissing,
                "book.toml:1:15".into()
            )]
        );
    }

    /// Runs `toml` with the preprocessors' messages caught: the errors and the messages.
    fn failing(toml: &str) -> (Vec<Diagnostic>, String) {
        let caught = tempfile::NamedTempFile::new().expect("a temporary file");
        let messages = || caught.as_file().try_clone().map(Stdio::from);
        let plan = Plan::new(toml, "html").expect("plans");
        let outcome = plan.run_with(&root(), book(), |_, book| Ok(book), &messages);
        let errors = outcome.expect_err("fails");
        let text = std::fs::read_to_string(caught.path()).expect("readable");
        (errors, text)
    }

    #[test]
    fn a_failing_preprocessor_is_an_error_and_its_stderr_passes_through() {
        let toml = "[preprocessor.broken]\ncommand = \"python3 pp.py fail\"\n";
        let (errors, messages) = failing(toml);
        assert_eq!(
            summary(&errors),
            [(Severity::Error, Kind::Preprocessor, "book.toml:1:15".into())]
        );
        assert_eq!(
            errors[0].message,
            "preprocessor `broken` failed with exit status: 1"
        );
        assert_eq!(messages, "fail: something broke\n");
    }

    #[test]
    fn optional_forgives_only_a_missing_command() {
        let toml = "[preprocessor.broken]\ncommand = \"python3 pp.py fail\"\noptional = true\n";
        let (errors, _) = failing(toml);
        assert_eq!(errors[0].kind, Kind::Preprocessor);
    }

    #[test]
    fn an_answer_that_is_not_a_book_is_an_error() {
        let toml = "[preprocessor.upper]\ncommand = \"python3 pp.py upper\"\n\
                    [preprocessor.wrong]\ncommand = \"python3 pp.py bad-json\"\n";
        let (errors, _) = failing(toml);
        assert_eq!(
            summary(&errors),
            [(Severity::Error, Kind::Preprocessor, "book.toml:3:15".into())]
        );
        assert_eq!(
            errors[0].message,
            "preprocessor `wrong` did not answer with a book: expected ident at line 1 column 2"
        );
    }

    #[test]
    fn a_command_that_cannot_be_split_is_an_error_at_its_value() {
        let errors = preprocess("[preprocessor.q]\ncommand = \"run 'this\"\n").expect_err("bad");
        assert_eq!(
            summary(&errors),
            [(
                Severity::Error,
                Kind::InvalidConfigValue,
                "book.toml:2:11".into()
            )]
        );
        assert_eq!(
            errors[0].message,
            "the command of preprocessor `q` has a quote that is never closed"
        );
        let errors = preprocess("[preprocessor.e]\ncommand = \"  \"\n").expect_err("empty");
        assert_eq!(
            errors[0].message,
            "the command of preprocessor `e` is empty"
        );
    }

    #[test]
    fn a_table_of_the_wrong_shape_is_an_error_at_its_name() {
        let errors = preprocess("[preprocessor.a]\nbefore = \"b\"\n").expect_err("bad");
        assert_eq!(
            summary(&errors),
            [(
                Severity::Error,
                Kind::InvalidConfigValue,
                "book.toml:1:15".into()
            )]
        );
    }

    #[test]
    fn a_book_toml_mdbook_cannot_read_is_an_error_at_the_fault() {
        let errors = preprocess("[book]\ntitle = 3\n").expect_err("bad");
        assert_eq!(
            summary(&errors),
            [(Severity::Error, Kind::ConfigSyntax, "book.toml:2:9".into())]
        );
    }

    #[test]
    fn the_rust_book_s_configuration_plans_its_two_preprocessors() {
        let toml = "[book]\ntitle = \"The Rust Programming Language\"\n\
                    [output.html.redirect]\n\"ch17-00-oop.html\" = \"ch18-00-oop.html\"\n\
                    [preprocessor.trpl-note]\ncommand = \"cargo run --bin mdbook-trpl-note\"\n\
                    [preprocessor.trpl-listing]\ncommand = \"cargo run --bin mdbook-trpl-listing\"\n\
                    output-mode = \"default\"\n[rust]\nedition = \"2024\"\n\
                    [build]\nextra-watch-dirs = [\"packages/mdbook-trpl\"]\n";
        let plan = Plan::new(toml, "html").expect("plans");
        let names: Vec<&str> = plan.names().collect();
        assert_eq!(names, ["index", "links", "trpl-listing", "trpl-note"]);
    }
}
