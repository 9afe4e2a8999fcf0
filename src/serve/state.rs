//! The index the server answers from, kept in step with `data/` as the CLI keeps it: the same
//! stale check ([`store::open_fresh`]), run at most once a second and off the request path, so
//! an edited, added or removed record shows within a second or two without slowing answers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::build::Unobserved;
use crate::catalogue::Paths;
use crate::error::Error;
use crate::facets::{Count, Facet};
use crate::note::Note;
use crate::storage::Opened;
use crate::store::{self, Refresh};

/// How old the last stale check may be before a request starts another.
pub const CHECK_INTERVAL: Duration = Duration::from_millis(700);
/// A check that takes long (a very large catalogue) waits this many times its own duration
/// before the next, so that checking never takes more than a fifth of a core.
const CHECK_SPACING: u32 = 4;

/// One opened index and what the user should know about it.
pub struct Snapshot {
    pub opened: Opened,
    /// Counts up whenever the index or its warnings change, so that an answer cached for an
    /// older snapshot is never served for a newer one.
    pub version: u64,
    /// Why the index could not be refreshed (a broken record), as the CLI would warn.
    pub warnings: Vec<String>,
    /// Facet and chart counts of recent searches, by search without its page and sort:
    /// paging through a search recounts nothing. It goes with this snapshot, so a changed
    /// index never answers from it.
    pub counts: CountCache,
}

/// Facet and chart counts of one search, shared by all its pages.
pub struct Counts {
    pub facets: Vec<Facet>,
    pub charts: Vec<Facet>,
}

pub type CountCache = quick_cache::sync::Cache<String, Arc<Counts>, CountWeight>;

/// Memory the counts of one snapshot may take (a page's counts, with every country for the
/// map, are tens of kilobytes).
const COUNTS_BYTES: u64 = 32 * 1024 * 1024;
/// About how many searches' counts fit in [`COUNTS_BYTES`] (sizes the cache's table).
const COUNTS_KEPT: usize = 2048;

/// Weighs kept counts by about the memory they take.
#[derive(Clone)]
pub struct CountWeight;

impl quick_cache::Weighter<String, Arc<Counts>> for CountWeight {
    fn weight(&self, key: &String, counts: &Arc<Counts>) -> u64 {
        fn bytes(counts: &[Count]) -> usize {
            counts
                .iter()
                .map(|c| {
                    std::mem::size_of::<Count>()
                        + c.value.len()
                        + c.label.len()
                        + bytes(&c.children)
                })
                .sum()
        }
        let facets = counts.facets.iter().chain(&counts.charts);
        let total: usize = key.len() + facets.map(|f| bytes(&f.counts)).sum::<usize>();
        u64::try_from(total).unwrap_or(u64::MAX)
    }
}

fn count_cache() -> CountCache {
    CountCache::with_weighter(COUNTS_KEPT, COUNTS_BYTES, CountWeight)
}

/// What every request shares: where the catalogue is, and its current snapshot.
pub struct Live {
    pub paths: Paths,
    refresh: Refresh,
    current: RwLock<Arc<Snapshot>>,
    /// When the last check ended, and how long to wait after it before the next.
    last_check: Mutex<(Instant, Duration)>,
    checking: AtomicBool,
}

impl Live {
    /// Opens (and if needed refreshes) the index once, before the server answers anything.
    pub fn open(paths: Paths, refresh: Refresh) -> Result<(Live, Vec<Note>), Error> {
        let fresh = store::open_fresh(&paths, refresh, &Unobserved)?;
        let notes = fresh.notes.clone();
        let (warnings, _) = split_notes(fresh.notes);
        let snapshot = Snapshot {
            opened: fresh.opened,
            version: 0,
            warnings: warnings.clone(),
            counts: count_cache(),
        };
        let live = Live {
            paths,
            refresh,
            current: RwLock::new(Arc::new(snapshot)),
            last_check: Mutex::new((Instant::now(), CHECK_INTERVAL)),
            checking: AtomicBool::new(false),
        };
        Ok((live, notes))
    }

    /// The snapshot to answer from. Starts a stale check in the background when the last
    /// one is older than [`CHECK_INTERVAL`]; this request does not wait for it.
    pub fn snapshot(self: &Arc<Self>) -> Arc<Snapshot> {
        if self.refresh == Refresh::Auto && self.check_due() {
            let live = Arc::clone(self);
            std::thread::spawn(move || live.check());
        }
        Arc::clone(&self.current.read().expect("snapshot lock"))
    }

    /// True (once) when a check should start: none is running and the last is old enough.
    fn check_due(&self) -> bool {
        let (ended, wait) = *self.last_check.lock().expect("check clock lock");
        ended.elapsed() >= wait && !self.checking.swap(true, Ordering::AcqRel)
    }

    /// Runs the CLI's stale check and swaps in the result when the index or the warnings
    /// changed. Progress notes go to the server's stderr, as the CLI prints them.
    fn check(&self) {
        let started = Instant::now();
        let outcome = store::open_fresh(&self.paths, self.refresh, &Unobserved);
        match outcome {
            Ok(fresh) => {
                let (warnings, notes) = split_notes(fresh.notes);
                for note in &notes {
                    eprintln!("{note}");
                }
                let mut current = self.current.write().expect("snapshot lock");
                let same_index = current.opened.dir == fresh.opened.dir;
                if !same_index || current.warnings != warnings {
                    if current.warnings != warnings {
                        for warning in &warnings {
                            eprintln!("{warning}");
                        }
                    }
                    *current = Arc::new(Snapshot {
                        opened: fresh.opened,
                        version: current.version + 1,
                        warnings,
                        counts: count_cache(),
                    });
                }
            }
            // No usable index at all (it was deleted and cannot be rebuilt): keep answering
            // from the one already open, which the operating system keeps readable.
            Err(err) => eprintln!("warning: the index could not be checked: {err}"),
        }
        let spacing = started.elapsed() * CHECK_SPACING;
        *self.last_check.lock().expect("check clock lock") =
            (Instant::now(), spacing.max(CHECK_INTERVAL));
        self.checking.store(false, Ordering::Release);
    }
}

/// Warnings (shown to every reader, with their `warning: ` prefix) apart from progress
/// notes (only for the operator).
fn split_notes(notes: Vec<Note>) -> (Vec<String>, Vec<Note>) {
    let (warnings, notes): (Vec<Note>, Vec<Note>) = notes.into_iter().partition(Note::is_warning);
    (warnings.iter().map(ToString::to_string).collect(), notes)
}
