//! The live-capture monitor under load, on the real local endpoint:
//!
//! 1. ingest from 8 concurrent clients (one thread and one connection each,
//!    writing pre-encoded lines of a real shutdown stream) into the store,
//!    beside the raw throughput of the same socket type (8 clients writing
//!    the same bytes; a server with one reader thread per connection that
//!    reads and splits the stream into lines, the least any consumer of
//!    JSON Lines must do, but decodes nothing), measured in the same run;
//!    the ratio is the figure;
//! 2. the store's memory per event after 1,000,000 records (its own
//!    accounting, and the process's RSS from `/proc/self/statm` on Linux);
//! 3. a client's shutdown (Query + Notify + DoFastShutdown + `exit`, real
//!    subsystem, 5 providers) with no monitor and with one listening.
//!
//! A plain `main` with manual timing (the figure of 1 is a ratio of two
//! throughputs, which criterion does not report). Results and the command
//! are in docs/benchmarks.md.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use mapi_shutdown::clock::{Clock, MonotonicClock};
use mapi_shutdown::hresult::HRESULT;
use mapi_shutdown::mapi::{
    ProcessInfo, Provider, ProviderBehaviour, ProviderKind, ScriptedProvider, ShutdownPolicy,
    Subsystem,
};
use mapi_shutdown::monitor::{Monitor, MonitorOptions, SharedStore, StoreOptions};
use mapi_shutdown::policy::{FastShutdownBehavior, OfficeVersion};
use mapi_shutdown::trace::codec::{encode, find_newline};
use mapi_shutdown::trace::sink::MemorySink;
use mapi_shutdown::trace::{Emitter, Endpoint, Record, connect_sink};

const CLIENTS: usize = 8;
/// Records per client in the ingest runs (8 × 62,500 = 500,000 per run).
const INGEST_RECORDS_PER_CLIENT: usize = 62_500;
/// Records per client for the memory measurement (8 × 125,000 = 1,000,000).
const MEMORY_RECORDS_PER_CLIENT: usize = 125_000;
const INGEST_RUNS: usize = 5;
const SHUTDOWN_ITERS: usize = 300;
const WRITE_CHUNK: usize = 16 * 1024;
const PATIENCE: Duration = Duration::from_secs(60);

const PROVIDERS: [(&str, ProviderKind, &str); 5] = [
    (
        "Microsoft Exchange",
        ProviderKind::Transport,
        "emsmdb32.dll",
    ),
    ("Contacts", ProviderKind::AddressBook, "contab32.dll"),
    (
        "Personal Folders",
        ProviderKind::MessageStore,
        "mspst32.dll",
    ),
    ("Archive", ProviderKind::MessageStore, "mspst32.dll"),
    (
        "Outlook Address Book",
        ProviderKind::AddressBook,
        "emsabp32.dll",
    ),
];

fn process(pid: u32) -> ProcessInfo {
    ProcessInfo {
        pid,
        exe: "OUTLOOK.EXE".into(),
        office_version: OfficeVersion::V16,
        subsystem_dll: "olmapi32.dll".into(),
        host: None,
    }
}

/// A client on the real subsystem with the 5 providers loaded; returns it,
/// its session's `IMAPIClientShutdown` and its emitter.
fn client(
    sink: Box<dyn mapi_shutdown::trace::sink::Sink>,
    pid: u32,
) -> (Subsystem, mapi_shutdown::mapi::ClientShutdown, Emitter) {
    let clock: Arc<dyn Clock> = Arc::new(MonotonicClock::new());
    let emitter = Emitter::spawn(sink, 4096, Arc::clone(&clock)).expect("writer thread");
    let subsystem = Subsystem::initialize(
        &process(pid),
        &ShutdownPolicy::forced(FastShutdownBehavior::OptOut),
        emitter.clone(),
        clock,
    );
    let session = subsystem.logon("Outlook").expect("logon");
    for (name, kind, dll) in PROVIDERS {
        session
            .load_provider(Provider {
                name: name.into(),
                kind,
                dll: dll.into(),
                shutdown: Some(Box::new(ScriptedProvider::new(
                    name,
                    ProviderBehaviour::Supports,
                ))),
            })
            .expect("provider");
    }
    let shutdown = session.client_shutdown();
    (subsystem, shutdown, emitter)
}

/// Query + Notify + DoFastShutdown + exit on `shutdown` / `subsystem`.
fn shut_down(subsystem: &Subsystem, shutdown: &mapi_shutdown::mapi::ClientShutdown) {
    assert_eq!(shutdown.query_fast_shutdown(), HRESULT::S_OK);
    shutdown.notify_process_shutdown();
    shutdown.do_fast_shutdown();
    subsystem.exit(0);
}

/// One real shutdown stream (captured from the subsystem), stretched to
/// `records` records by repeating its calls with fresh call ids: the
/// declarations once, the Query/Notify/Do calls many times, `client_exit`
/// last. Encoded as JSON lines.
fn stream_bytes(pid: u32, records: usize) -> Vec<u8> {
    let sink = MemorySink::new();
    let (subsystem, shutdown, emitter) = client(Box::new(sink.clone()), pid);
    shut_down(&subsystem, &shutdown);
    assert!(emitter.flush(Duration::from_secs(5)));
    let captured = sink.records();
    let (head, rest): (Vec<_>, Vec<_>) = captured.into_iter().partition(|r| {
        !matches!(
            r,
            Record::Enter(_) | Record::Exit(_) | Record::ClientExit(_)
        )
    });
    let calls: Vec<Record> = rest
        .iter()
        .filter(|r| matches!(r, Record::Enter(_) | Record::Exit(_)))
        .cloned()
        .collect();
    let exit = rest
        .iter()
        .find(|r| matches!(r, Record::ClientExit(_)))
        .cloned()
        .expect("client_exit");
    let span = calls.iter().map(Record::t_ns).max().unwrap_or(0) + 1_000;
    let max_call = calls
        .iter()
        .map(|r| match r {
            Record::Enter(e) => e.call,
            Record::Exit(x) => x.call,
            _ => 0,
        })
        .max()
        .unwrap_or(0);

    let mut out = Vec::new();
    let mut n = 0;
    for r in &head {
        out.extend_from_slice(encode(r).as_bytes());
        n += 1;
    }
    let mut round = 0u64;
    'fill: loop {
        for r in &calls {
            if n + 1 >= records {
                break 'fill;
            }
            let mut r = r.clone();
            match &mut r {
                Record::Enter(e) => {
                    e.call += round * max_call;
                    e.parent = e.parent.map(|p| p + round * max_call);
                    e.t_ns += round * span;
                }
                Record::Exit(x) => {
                    x.call += round * max_call;
                    x.t_ns += round * span;
                }
                _ => {}
            }
            out.extend_from_slice(encode(&r).as_bytes());
            n += 1;
        }
        round += 1;
    }
    let mut exit = exit;
    if let Record::ClientExit(x) = &mut exit {
        x.t_ns += round * span;
    }
    out.extend_from_slice(encode(&exit).as_bytes());
    out
}

fn fresh_endpoint(dir: &Path, name: &str) -> Endpoint {
    Endpoint::in_runtime_dir(dir, Some(name)).expect("endpoint")
}

/// 8 threads each connect and write their stream, in chunks; returns when
/// all have written and closed.
fn write_all_clients(endpoint: &Endpoint, streams: &Arc<Vec<Vec<u8>>>) {
    let handles: Vec<_> = (0..streams.len())
        .map(|i| {
            let endpoint = endpoint.clone();
            let streams = Arc::clone(streams);
            thread::Builder::new()
                .name("bench-writer".into())
                .spawn(move || {
                    let mut conn = endpoint.connect(Duration::from_secs(1)).expect("connect");
                    for chunk in streams[i].chunks(WRITE_CHUNK) {
                        conn.write_all(chunk).expect("write");
                    }
                    conn.flush().expect("flush");
                })
                .expect("writer thread")
        })
        .collect();
    for h in handles {
        h.join().expect("client thread");
    }
}

/// One raw reader: read the connection to its end in 128 KiB reads and
/// split what arrives into lines, a partial line carried over to the next
/// read; returns (lines, bytes).
fn raw_reader(mut conn: impl Read) -> (usize, u64) {
    let mut buf = vec![0u8; 128 * 1024];
    // Bytes of a line begun in an earlier read.
    let mut carried = 0usize;
    let (mut lines, mut total) = (0usize, 0u64);
    loop {
        let n = match conn.read(&mut buf) {
            Ok(0) => {
                assert_eq!(carried, 0, "raw: stream ended mid-line");
                return (lines, total);
            }
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => panic!("raw read: {e}"),
        };
        total += n as u64;
        let mut rest = &buf[..n];
        while let Some(i) = find_newline(rest) {
            // A line of carried + i bytes: count it.
            std::hint::black_box(carried + i);
            carried = 0;
            lines += 1;
            rest = &rest[i + 1..];
        }
        carried += rest.len();
    }
}

/// Raw throughput: a server that accepts `CLIENTS` connections, one
/// reader thread each (as the monitor has), and reads each until it ends,
/// splitting what it reads into lines: the least any consumer of a JSON
/// Lines stream must do (the same 64 KiB-to-128 KiB reads, the same
/// newline scan as the monitor's decoder, a partial line carried over to
/// the next read), but no decoding and no store. Seconds from the first
/// byte written to the last connection's end.
fn raw_run(dir: &Path, run: usize, streams: &Arc<Vec<Vec<u8>>>, records: usize) -> Duration {
    let endpoint = fresh_endpoint(dir, &format!("raw{run}"));
    let listener = endpoint.listen().expect("listen");
    let server = thread::spawn(move || {
        let mut readers = Vec::new();
        while readers.len() < CLIENTS {
            match listener.accept().expect("accept") {
                Some(conn) => readers.push(
                    thread::Builder::new()
                        .name("bench-raw-reader".into())
                        .spawn(move || raw_reader(conn))
                        .expect("raw reader thread"),
                ),
                None => listener.wait(Duration::from_millis(20)),
            }
        }
        readers
            .into_iter()
            .map(|r| r.join().expect("reader"))
            .fold((0, 0), |(l, t), (rl, rt)| (l + rl, t + rt))
    });
    let start = Instant::now();
    write_all_clients(&endpoint, streams);
    let (lines, read) = server.join().expect("server");
    let spent = start.elapsed();
    let sent: usize = streams.iter().map(Vec::len).sum();
    assert_eq!(read, sent as u64, "raw server read everything");
    assert_eq!(lines, records, "raw server split every line");
    spent
}

/// Wait until the store holds (or has counted as dropped) `expected`
/// records; returns (records kept, dropped).
fn wait_store(store: &SharedStore, expected: usize) -> (usize, u64) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let stats = store.lock().stats();
        if stats.records + stats.dropped as usize >= expected {
            return (stats.records, stats.dropped);
        }
        assert!(
            Instant::now() < deadline,
            "store never got {expected} records: {stats:?}"
        );
        thread::sleep(Duration::from_micros(500));
    }
}

fn big_store() -> MonitorOptions {
    MonitorOptions {
        store: StoreOptions {
            max_records: 4_000_000,
            max_bytes: 4 << 30,
            ..StoreOptions::default()
        },
        ..MonitorOptions::default()
    }
}

/// Monitor throughput: from the first byte written until the store holds
/// every record.
fn monitor_run(dir: &Path, run: usize, streams: &Arc<Vec<Vec<u8>>>, records: usize) -> Duration {
    let endpoint = fresh_endpoint(dir, &format!("mon{run}"));
    let monitor = Monitor::start(&endpoint, big_store(), None).expect("monitor");
    let store = monitor.store();
    let start = Instant::now();
    write_all_clients(&endpoint, streams);
    let (kept, dropped) = wait_store(&store, records);
    let spent = start.elapsed();
    assert_eq!((kept, dropped), (records, 0), "every record kept");
    monitor.shutdown();
    spent
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// Resident set size, bytes (Linux).
#[cfg(unix)]
fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()?)
}

/// Resident set size: not measured here.
#[cfg(not(unix))]
fn rss_bytes() -> Option<u64> {
    None
}

fn streams_for(per_client: usize) -> (Arc<Vec<Vec<u8>>>, usize) {
    let streams: Vec<Vec<u8>> = (0..CLIENTS)
        .map(|i| stream_bytes(10_000 + i as u32, per_client))
        .collect();
    let records = streams
        .iter()
        .map(|s| s.iter().filter(|&&b| b == b'\n').count())
        .sum();
    (Arc::new(streams), records)
}

fn ingest(dir: &Path) {
    let (streams, records) = streams_for(INGEST_RECORDS_PER_CLIENT);
    let bytes: usize = streams.iter().map(Vec::len).sum();
    // MONITOR_BENCH_RUNS=N: more pairs, for comparing two builds.
    let runs: usize = std::env::var("MONITOR_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(INGEST_RUNS);
    println!(
        "== 1. ingest: {CLIENTS} clients, {records} records, {:.1} MB ({:.0} bytes/record) per run, {runs} runs each",
        bytes as f64 / 1e6,
        bytes as f64 / records as f64
    );
    let mut raw = Vec::new();
    let mut mon = Vec::new();
    // Interleaved, so both see the same background load.
    for run in 0..runs {
        let r = raw_run(dir, run, &streams, records).as_secs_f64();
        let m = monitor_run(dir, run, &streams, records).as_secs_f64();
        println!(
            "   run {run}: raw {:>9.0} records/s {:>7.1} MB/s | monitor {:>9.0} records/s {:>7.1} MB/s | ratio {:.2}",
            records as f64 / r,
            bytes as f64 / r / 1e6,
            records as f64 / m,
            bytes as f64 / m / 1e6,
            r / m
        );
        raw.push(r);
        mon.push(m);
    }
    let ratios: Vec<f64> = raw.iter().zip(&mon).map(|(r, m)| r / m).collect();
    let r = median(&mut raw);
    let m = median(&mut mon);
    let mut ratios = ratios;
    println!(
        "   median: raw {:.0} records/s ({:.1} MB/s); monitor into the store {:.0} records/s ({:.1} MB/s)",
        records as f64 / r,
        bytes as f64 / r / 1e6,
        records as f64 / m,
        bytes as f64 / m / 1e6
    );
    println!(
        "   ratio monitor/raw: median {:.2} (min {:.2}, max {:.2}); goal >= 0.5",
        median(&mut ratios),
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

fn memory(dir: &Path) {
    let (streams, records) = streams_for(MEMORY_RECORDS_PER_CLIENT);
    let bytes: usize = streams.iter().map(Vec::len).sum();
    println!(
        "== 2. store memory: {records} records ({:.1} MB of JSON lines) from {CLIENTS} clients",
        bytes as f64 / 1e6
    );
    let endpoint = fresh_endpoint(dir, "mem");
    let monitor = Monitor::start(&endpoint, big_store(), None).expect("monitor");
    let store = monitor.store();
    // Hand back what building the streams freed, so it is not reused
    // unseen by the store (glibc keeps freed memory in the process).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
    let before = rss_bytes();
    write_all_clients(&endpoint, &streams);
    let (kept, dropped) = wait_store(&store, records);
    assert_eq!((kept, dropped), (records, 0));
    // Let the readers' and the queue's buffers go.
    thread::sleep(Duration::from_millis(200));
    let after = rss_bytes();
    let stats = store.lock().stats();
    println!(
        "   store accounting: {} bytes = {:.0} bytes/event = {:.0} MB per million events",
        stats.approx_bytes,
        stats.approx_bytes as f64 / records as f64,
        stats.approx_bytes as f64 / records as f64
    );
    if let (Some(b), Some(a)) = (before, after) {
        let grew = a.saturating_sub(b);
        println!(
            "   process RSS: {:.1} MB before, {:.1} MB after: +{:.1} MB = {:.0} bytes/event",
            b as f64 / 1e6,
            a as f64 / 1e6,
            grew as f64 / 1e6,
            grew as f64 / records as f64
        );
    }
    monitor.shutdown();
}

fn timed_shutdowns(endpoint: &Endpoint, iters: usize, expect_monitor: bool) -> Vec<Duration> {
    let mut times = Vec::with_capacity(iters);
    for i in 0..iters {
        let (sink, status) = connect_sink(endpoint, None);
        let (subsystem, shutdown, emitter) = client(sink, 20_000 + i as u32);
        // A client that has been running: nothing queued when it shuts down.
        assert!(emitter.flush(Duration::from_secs(5)));
        let start = Instant::now();
        shut_down(&subsystem, &shutdown);
        times.push(start.elapsed());
        assert_eq!(
            status.get().is_monitor(),
            expect_monitor,
            "{}",
            status.get().summary()
        );
        drop(shutdown);
        drop(subsystem);
        drop(emitter);
    }
    times
}

fn shutdown_cost(dir: &Path) {
    println!(
        "== 3. client shutdown (Query + Notify + DoFastShutdown + exit, 5 providers), {SHUTDOWN_ITERS} clients each"
    );
    let endpoint = fresh_endpoint(dir, "shut");
    let mut none = Vec::new();
    let mut with = Vec::new();
    // Alternate blocks, so both see the same background load.
    for _ in 0..3 {
        none.extend(timed_shutdowns(&endpoint, SHUTDOWN_ITERS / 3, false));
        let monitor = Monitor::start(&endpoint, MonitorOptions::default(), None).expect("monitor");
        with.extend(timed_shutdowns(&endpoint, SHUTDOWN_ITERS / 3, true));
        monitor.shutdown();
    }
    for (label, t) in [
        ("no monitor (dropped)", &none),
        ("monitor listening", &with),
    ] {
        println!(
            "   {label:<22} median {:>7.1} µs  p10 {:>7.1} µs  p90 {:>7.1} µs",
            percentile(t, 0.5).as_secs_f64() * 1e6,
            percentile(t, 0.1).as_secs_f64() * 1e6,
            percentile(t, 0.9).as_secs_f64() * 1e6
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any filter is ignored.
    let dir = tempfile::Builder::new()
        .prefix("mapi-bench-")
        .tempdir()
        .expect("temp dir");
    let started = Instant::now();
    // MONITOR_BENCH_PARTS=ingest (a comma-separated list of memory,
    // ingest, shutdown) runs only those parts; all by default.
    let parts = std::env::var("MONITOR_BENCH_PARTS")
        .unwrap_or_else(|_| "memory,ingest,shutdown".to_string());
    let wanted = |part: &str| parts.split(',').any(|p| p.trim() == part);
    if wanted("memory") {
        memory(dir.path());
    }
    if wanted("ingest") {
        ingest(dir.path());
    }
    if wanted("shutdown") {
        shutdown_cost(dir.path());
    }
    println!("total {:.1} s", started.elapsed().as_secs_f64());
}
