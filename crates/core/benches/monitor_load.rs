//! The monitor under many connections (issue 17, item 7):
//!
//! 1. **RSS per empty connection held**: 200 connections opened on a real
//!    monitor (the Unix socket the clients use) that send nothing, held
//!    until the store has an entry for each; the growth of the process's
//!    RSS (`/proc/self/statm`, after `malloc_trim`), per connection. It
//!    covers both ends (this process holds the client side too), the
//!    reader thread's stack pages touched, the entry and the published
//!    snapshot.
//! 2. **RSS per closed entry**: 10,000 closed streams of one `hello` in a
//!    store, published; RSS growth per entry, beside the store's own count
//!    (`stats().approx_bytes`, what the byte cap measures).
//! 3. **One `watch` round** (`SnapshotCursor::round`, what `watch` runs
//!    each time the published snapshot moves) over N = 1,000 and 10,000
//!    held closed entries (10,000 is the default cap on closed entries):
//!    with nothing changed since the last round, and with one session new
//!    (criterion).
//!
//! The RSS figures are printed before criterion runs. Results and the
//! command are in docs/benchmarks.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group};
use mapi_shutdown_core::monitor::analysis::StreamState;
use mapi_shutdown_core::monitor::{
    Monitor, MonitorOptions, SharedStore, SnapshotCursor, StoreOptions, StoreSnapshot,
};
use mapi_shutdown_core::trace::Endpoint;
use mapi_shutdown_core::trace::test_records::hello;

/// Resident set size, bytes (Linux), after giving freed memory back.
#[cfg(target_os = "linux")]
fn rss_bytes() -> Option<u64> {
    // SAFETY: malloc_trim has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()?)
}

/// Resident set size: not measured here.
#[cfg(not(target_os = "linux"))]
fn rss_bytes() -> Option<u64> {
    None
}

fn per(before: Option<u64>, after: Option<u64>, n: usize) -> String {
    match (before, after) {
        (Some(b), Some(a)) => format!("{:.0} bytes", a.saturating_sub(b) as f64 / n as f64),
        _ => "not measured on this OS".into(),
    }
}

/// Part 1: empty connections held by a real monitor.
fn rss_per_empty_connection() {
    const N: usize = 200;
    let dir = tempfile::tempdir().expect("tempdir");
    let endpoint = Endpoint::in_runtime_dir(dir.path(), Some("load")).expect("endpoint");
    let monitor =
        Monitor::start(&endpoint, MonitorOptions::default(), None).expect("monitor listens");
    let store = monitor.store();
    // Let the monitor's threads settle before the baseline.
    std::thread::sleep(Duration::from_millis(200));
    let before = rss_bytes();
    let held: Vec<_> = (0..N)
        .map(|_| endpoint.connect(Duration::from_secs(5)).expect("connect"))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while store.lock().entries().len() < N && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let after = rss_bytes();
    let entries = store.lock().entries().len();
    println!(
        "RSS per empty connection held ({entries} of {N} held): {}",
        per(before, after, N)
    );
    drop(held);
    monitor.shutdown();
}

/// A store of `n` closed streams of one `hello` each, published.
fn closed_store(n: usize) -> SharedStore {
    let shared = SharedStore::new(StoreOptions {
        // Room for the one added by the "one new" case.
        max_closed_entries: n + 1,
        ..StoreOptions::default()
    });
    {
        let mut s = shared.lock();
        for pid in 0..n {
            s.add_stream(vec![hello(pid as u32)], None, StreamState::Closed);
        }
    }
    shared.publish();
    shared
}

/// Part 2: closed entries held (the store and its published snapshot).
fn rss_per_closed_entry() {
    const N: usize = 10_000;
    let before = rss_bytes();
    let shared = closed_store(N);
    let after = rss_bytes();
    let counted = shared.snapshot().stats.approx_bytes;
    println!(
        "RSS per closed entry ({N} closed streams of one hello, published): {}; the store counts {} bytes each",
        per(before, after, N),
        counted / N
    );
}

fn watch_round(c: &mut Criterion) {
    let mut group = c.benchmark_group("watch_round");
    for n in [1_000usize, 10_000] {
        let shared = closed_store(n);
        let snapshot: Arc<StoreSnapshot> = shared.publish();
        let mut cursor = SnapshotCursor::new();
        assert_eq!(cursor.round(&snapshot).len(), n);
        group.bench_function(format!("{n} entries, nothing changed"), |b| {
            b.iter(|| cursor.round(&snapshot).len());
        });
        // One session new since the last round.
        group.bench_function(format!("{n} entries, one new"), |b| {
            b.iter_batched(
                || {
                    let extra =
                        shared
                            .lock()
                            .add_stream(vec![hello(u32::MAX)], None, StreamState::Closed);
                    let snap = shared.publish();
                    shared.lock().remove(extra);
                    snap
                },
                |snap| {
                    let got = cursor.round(&snap).len();
                    assert_eq!(got, 1);
                    (got, snap)
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, watch_round);

fn main() {
    rss_per_empty_connection();
    rss_per_closed_entry();
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
