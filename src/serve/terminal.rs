//! What `folio serve` prints: the URL, each rebuild, and every diagnostic, rendered as
//! `folio build` renders them.

use std::io::IsTerminal;
use std::time::Duration;

use super::{Event, Reporter};
use crate::diag::{Diagnostic, Diagnostics};

/// Prints events to stderr, in colour when stderr is a terminal.
pub struct Terminal {
    styled: bool,
}

impl Default for Terminal {
    fn default() -> Self {
        Self {
            styled: std::io::stderr().is_terminal(),
        }
    }
}

impl Terminal {
    fn diagnostic(&self, diagnostic: &Diagnostic) {
        anstream::eprintln!("{}\n", diagnostic.render(self.styled));
    }

    fn diagnostics(&self, diagnostics: &Diagnostics) {
        for diagnostic in diagnostics {
            self.diagnostic(diagnostic);
        }
    }
}

impl Reporter for Terminal {
    fn report(&self, event: Event<'_>) {
        match event {
            Event::PortTaken { wanted, port } => {
                eprintln!("Port {wanted} is in use; using port {port} instead");
            }
            Event::Exposed { bind } => eprintln!(
                "warning: listening on {bind}: any machine that can reach this one can read the site"
            ),
            Event::Built {
                generation,
                pages,
                elapsed,
                warnings,
            } => {
                if let Some(warnings) = warnings {
                    self.diagnostics(warnings);
                }
                let verb = if generation == 1 { "Built" } else { "Rebuilt" };
                let plural = if pages == 1 { "" } else { "s" };
                eprintln!("{verb} {pages} page{plural} in {}", human(elapsed));
            }
            Event::BuildFailed {
                diagnostics,
                serving_last_good,
            } => {
                self.diagnostics(diagnostics);
                let errors = diagnostics.error_count();
                let plural = if errors == 1 { "" } else { "s" };
                let serving = if serving_last_good {
                    "still serving the last good build"
                } else {
                    "serving the errors until they are fixed"
                };
                eprintln!("error: build failed with {errors} error{plural}; {serving}");
            }
            Event::Listening { url } => {
                eprintln!("Serving on {url} (press Ctrl-C to stop)");
            }
            Event::RenderFailed(diagnostic) => self.diagnostic(diagnostic),
            Event::WatchFailed(error) => eprintln!("warning: watching for changes: {error}"),
            Event::OpenFailed(error) => eprintln!("warning: cannot open a browser: {error}"),
        }
    }
}

/// Elapsed time as a person reads it.
fn human(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.2} s", elapsed.as_secs_f64())
    }
}
