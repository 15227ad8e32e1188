//! Cost of the trace emitter on the client's thread: `emit` with the writer
//! keeping up (records reach a JSON Lines file), `emit` into a full queue
//! (records dropped and counted), and `flush` against a stalled writer (a
//! shutdown with no reader must not wait longer than `FLUSH_BOUND`).
//! Results and the command are in docs/benchmarks.md.

use std::hint::black_box;
use std::io;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, criterion_group, criterion_main};
use mapi_shutdown::clock::{Clock, ManualClock};
use mapi_shutdown::hresult::HRESULT;
use mapi_shutdown::trace::sink::{FileSink, Sink};
use mapi_shutdown::trace::{
    CallEnter, CallExit, Caller, Emitter, FLUSH_BOUND, Interface, Method, Record,
};

fn clock() -> Arc<dyn Clock> {
    Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH))
}

fn record(i: u64) -> Record {
    if i.is_multiple_of(2) {
        Record::Enter(CallEnter {
            t_ns: i * 1000,
            call: i,
            parent: Some(1),
            caller: Caller::Subsystem,
            interface: Interface::ProviderShutdown,
            method: Method::DoFastShutdown,
            session: Some(1),
            provider: Some(3),
        })
    } else {
        Record::Exit(CallExit {
            t_ns: i * 1000,
            call: i - 1,
            hresult: HRESULT::S_OK,
        })
    }
}

/// A sink that never returns from its first write: the queue fills up.
struct StalledSink(mpsc::Receiver<()>);

impl Sink for StalledSink {
    fn write(&mut self, _: &Record) -> io::Result<()> {
        let _ = self.0.recv();
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> String {
        "stalled".into()
    }
}

fn emit(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("mapi-shutdown-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bench.jsonl");
    const CAPACITY: usize = 4096;

    let mut group = c.benchmark_group("emitter");
    group.bench_function("emit, writer keeping up (file sink)", |b| {
        let sink = FileSink::create(&path).expect("trace file");
        let emitter = Emitter::spawn(Box::new(sink), CAPACITY, clock()).expect("writer thread");
        let mut i = 0u64;
        b.iter_custom(|iters| {
            // Batches that fit in the queue; the writer drains between them
            // (not timed), so no record is dropped.
            let mut spent = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                let batch = left.min(CAPACITY as u64 / 2);
                let start = Instant::now();
                for _ in 0..batch {
                    i += 1;
                    emitter.emit(black_box(record(i)));
                }
                spent += start.elapsed();
                left -= batch;
                assert!(emitter.flush(Duration::from_secs(10)), "writer stalled");
            }
            spent
        });
        assert_eq!(
            emitter.dropped(),
            0,
            "records dropped while the writer kept up"
        );
    });

    group.bench_function("emit, queue full (dropped and counted)", |b| {
        let (_keep_stalled, rx) = mpsc::channel();
        let emitter =
            Emitter::spawn(Box::new(StalledSink(rx)), CAPACITY, clock()).expect("writer thread");
        for i in 0..(CAPACITY as u64 + 2) {
            emitter.emit(record(i));
        }
        let mut i = 0u64;
        b.iter(|| {
            i += 1;
            emitter.emit(black_box(record(i)));
        });
        assert!(emitter.dropped() > 0);
    });

    group.sample_size(10);
    group.bench_function("flush(FLUSH_BOUND), writer stalled", |b| {
        let (_keep_stalled, rx) = mpsc::channel();
        let emitter =
            Emitter::spawn(Box::new(StalledSink(rx)), CAPACITY, clock()).expect("writer thread");
        for i in 0..(CAPACITY as u64 + 2) {
            emitter.emit(record(i));
        }
        b.iter(|| {
            let flushed = emitter.flush(FLUSH_BOUND);
            assert!(!flushed);
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, emit);
criterion_main!(benches);
