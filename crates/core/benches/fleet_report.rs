//! The fleet report (issue 19, part 3): 10,000 spool files of 2,500
//! machines (about a million calls, [`corpus::write_spool`]) read in
//! parallel ([`gather`], summary detail as `report` chooses above 200
//! sessions), the model built, and rendered as HTML, CSV and JSON.
//!
//! Before criterion runs, one whole run is timed and the process's peak
//! RSS (`VmHWM` of `/proc/self/status`) printed; the `report` command's
//! own peak RSS over the same folder is measured with `/usr/bin/time -v`
//! (docs/benchmarks.md has the commands and the figures).

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use mapi_shutdown_core::clock::ManualClock;
use mapi_shutdown_core::report::gather::{GatherOptions, gather};
use mapi_shutdown_core::report::{
    Content, Detail, Format, HostInfo, RenderOptions, ReportModel, SessionChoice, Sources, corpus,
    render,
};

const SESSIONS: usize = 10_000;
const MACHINES: usize = 2_500;

/// Read, summarize and render the fleet in `dir`; the bytes of the three
/// formats.
fn fleet_report(dir: &Path) -> [usize; 3] {
    let options = GatherOptions {
        detail: Detail::Auto,
        ..GatherOptions::default()
    };
    let gathered = gather(&[dir.to_path_buf()], &options, &|_| {}).expect("the corpus reads");
    let content = Content {
        policy: false,
        processes: false,
        sessions: SessionChoice::All,
        detail: Detail::Auto,
    };
    let model = ReportModel::build_gathered(
        &ManualClock::new(std::time::SystemTime::UNIX_EPOCH),
        &HostInfo::gather(),
        &content,
        &Sources::default(),
        gathered,
    );
    assert!(model.summarized());
    [Format::Html, Format::Csv, Format::Json].map(|f| {
        render(&model, f, &RenderOptions::default())
            .expect("renders")
            .len()
    })
}

/// Peak resident set size of this process, bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let spool = dir.path().join("share");
    let started = Instant::now();
    let calls = corpus::write_spool(&spool, SESSIONS, MACHINES).expect("corpus written");
    println!(
        "fleet corpus: {SESSIONS} spool files, {calls} calls, written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let sizes = fleet_report(&spool);
    println!(
        "one fleet report: {:.2} s (html {} bytes, csv {} bytes, json {} bytes), peak RSS {} MB",
        started.elapsed().as_secs_f64(),
        sizes[0],
        sizes[1],
        sizes[2],
        peak_rss().map_or_else(|| "?".into(), |b| (b / (1024 * 1024)).to_string())
    );
    let mut g = c.benchmark_group("fleet_report");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(40));
    g.bench_function("10000_recordings_read_summarized_rendered", |b| {
        b.iter(|| fleet_report(&spool));
    });
    g.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
