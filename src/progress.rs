//! The progress bar of long rebuilds and refreshes: on stderr, only on a terminal, and
//! only once the work has taken longer than a moment, so quick runs print nothing.

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use migdev::build::Observer;

/// Work that ends sooner than this shows no bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// An [`Observer`] that draws an indicatif bar once the work runs long.
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: OnceLock<()>,
}

impl Bar {
    /// A bar for `what` ("indexing"); drawn only when stderr is a terminal and not `quiet`.
    pub fn new(what: &'static str, quiet: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} records ({eta} left)")
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        bar.set_message(what);
        Bar {
            bar,
            started: Instant::now(),
            enabled: !quiet && std::io::stderr().is_terminal(),
            shown: OnceLock::new(),
        }
    }

    fn show_if_slow(&self) {
        if self.enabled && self.shown.get().is_none() && self.started.elapsed() >= SHOW_AFTER {
            self.shown.get_or_init(|| {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
            });
        }
    }
}

impl Observer for Bar {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn advance(&self) {
        self.bar.inc(1);
        self.show_if_slow();
    }

    fn committing(&self) {
        self.bar.set_message("committing");
        self.show_if_slow();
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
