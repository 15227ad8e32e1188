//! The emitter: the client side's non-blocking path from the subsystem to a
//! [`Sink`]. Records go into a bounded queue with `try_send`; a named
//! writer thread drains it into the sink. A full queue drops the record and
//! counts it, never waits; the writer reports the count as a `dropped`
//! record. [`Emitter::flush`] waits at most a caller-given bound (the
//! subsystem uses [`FLUSH_BOUND`] at the end of `DoFastShutdown`).

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TrySendError, bounded};

use super::sink::Sink;
use super::{Dropped, Record};
use crate::clock::Clock;

/// The longest the subsystem waits for the writer at the end of
/// `DoFastShutdown` (and at client exit): 50 ms. A shutdown with no reader,
/// or a stalled one, is never delayed by more than this.
pub const FLUSH_BOUND: Duration = Duration::from_millis(50);

/// Default queue capacity, in records.
pub const DEFAULT_CAPACITY: usize = 4096;

enum Message {
    Record(Record),
    Flush(Sender<()>),
}

struct Shared {
    /// Records dropped because the queue was full or the sink failed.
    dropped: AtomicU64,
    /// Records the writer handed to the sink successfully.
    written: AtomicU64,
    /// The sink's first I/O error, after which it is no longer written.
    sink_error: Mutex<Option<String>>,
    /// What the sink is, for messages.
    description: String,
}

/// A cheap, cloneable handle to a writer thread. Dropping the last handle
/// lets the writer drain what is queued and stop.
#[derive(Clone)]
pub struct Emitter {
    tx: Option<Sender<Message>>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Emitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emitter")
            .field("sink", &self.shared.description)
            .field("dropped", &self.dropped())
            .finish()
    }
}

impl Emitter {
    /// Start a writer thread (`mapi-trace-writer`) that writes to `sink`,
    /// behind a queue of `capacity` records. `clock` stamps `dropped`
    /// records.
    ///
    /// # Errors
    /// The OS error if the thread cannot be spawned.
    pub fn spawn(
        sink: Box<dyn Sink>,
        capacity: usize,
        clock: Arc<dyn Clock>,
    ) -> io::Result<Emitter> {
        let (tx, rx) = bounded(capacity.max(1));
        let shared = Arc::new(Shared {
            dropped: AtomicU64::new(0),
            written: AtomicU64::new(0),
            sink_error: Mutex::new(None),
            description: sink.describe(),
        });
        let writer_shared = Arc::clone(&shared);
        thread::Builder::new()
            .name("mapi-trace-writer".to_string())
            .spawn(move || {
                Writer {
                    sink,
                    shared: &writer_shared,
                    clock: clock.as_ref(),
                    reported_dropped: 0,
                    failed: false,
                }
                .run(&rx);
            })?;
        Ok(Emitter {
            tx: Some(tx),
            shared,
        })
    }

    /// An emitter with no sink: every record is counted as dropped.
    pub fn discard() -> Emitter {
        Emitter {
            tx: None,
            shared: Arc::new(Shared {
                dropped: AtomicU64::new(0),
                written: AtomicU64::new(0),
                sink_error: Mutex::new(None),
                description: "nowhere".to_string(),
            }),
        }
    }

    /// Queue a record; never blocks. When the queue is full (or there is
    /// no sink) the record is dropped and counted.
    pub fn emit(&self, record: Record) {
        let Some(tx) = &self.tx else {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        };
        match tx.try_send(Message::Record(record)) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Wait until everything queued before this call is handed to the sink
    /// and flushed, for at most `bound`. Returns true when that happened in
    /// time, false on timeout (the records stay queued; nothing is lost by
    /// timing out, the writer goes on).
    pub fn flush(&self, bound: Duration) -> bool {
        let Some(tx) = &self.tx else {
            return true;
        };
        let deadline = Instant::now() + bound;
        let (ack_tx, ack_rx) = bounded(1);
        if tx.send_deadline(Message::Flush(ack_tx), deadline).is_err() {
            return false;
        }
        ack_rx.recv_deadline(deadline).is_ok()
    }

    /// Records dropped so far (queue full, no sink, or sink failed).
    pub fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// Records written to the sink so far.
    pub fn written(&self) -> u64 {
        self.shared.written.load(Ordering::Relaxed)
    }

    /// The sink's I/O error, if writing to it failed.
    pub fn sink_error(&self) -> Option<String> {
        match self.shared.sink_error.lock() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// What the sink is: `file /tmp/t.jsonl`, `memory`, `nowhere`.
    pub fn describe(&self) -> &str {
        &self.shared.description
    }
}

/// The writer thread's state: the sink, and what it has reported.
struct Writer<'a> {
    sink: Box<dyn Sink>,
    shared: &'a Shared,
    clock: &'a dyn Clock,
    reported_dropped: u64,
    failed: bool,
}

impl Writer<'_> {
    /// Block for a message, then drain without blocking; flush the sink
    /// whenever the queue runs dry so a killed process loses little.
    fn run(mut self, rx: &Receiver<Message>) {
        while let Ok(first) = rx.recv() {
            let mut next = Some(first);
            while let Some(message) = next {
                match message {
                    Message::Record(record) => {
                        self.report_drops();
                        self.write(&record);
                    }
                    Message::Flush(ack) => {
                        self.flush();
                        // The waiter may have timed out and gone: nothing to do.
                        let _ = ack.try_send(());
                    }
                }
                next = rx.try_recv().ok();
            }
            self.flush();
        }
    }

    fn write(&mut self, record: &Record) {
        if self.failed {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        match self.sink.write(record) {
            Ok(()) => {
                self.shared.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                self.shared.dropped.fetch_add(1, Ordering::Relaxed);
                self.fail(&e);
            }
        }
    }

    /// Write a `dropped` record when the count moved since the last one.
    fn report_drops(&mut self) {
        let dropped = self.shared.dropped.load(Ordering::Relaxed);
        if dropped != self.reported_dropped && !self.failed {
            self.reported_dropped = dropped;
            let record = Record::Dropped(Dropped {
                t_ns: self.clock.now_ns(),
                count: dropped,
            });
            self.write(&record);
        }
    }

    fn flush(&mut self) {
        self.report_drops();
        if !self.failed
            && let Err(e) = self.sink.flush()
        {
            self.fail(&e);
        }
    }

    fn fail(&mut self, e: &io::Error) {
        self.failed = true;
        let mut slot = match self.shared.sink_error.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        slot.get_or_insert_with(|| format!("{}: {e}", self.shared.description));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::sink::MemorySink;
    use std::sync::mpsc;
    use std::time::SystemTime;

    fn dropped_record(n: u64) -> Record {
        Record::Dropped(Dropped { t_ns: n, count: n })
    }

    fn clock() -> Arc<dyn Clock> {
        Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH))
    }

    #[test]
    fn writes_in_order_and_flushes() {
        let sink = MemorySink::new();
        let e = Emitter::spawn(Box::new(sink.clone()), 64, clock()).unwrap();
        for i in 0..10 {
            e.emit(dropped_record(i));
        }
        assert!(e.flush(Duration::from_secs(5)));
        let got = sink.records();
        assert_eq!(got, (0..10).map(dropped_record).collect::<Vec<_>>());
        assert_eq!(e.dropped(), 0);
        assert_eq!(e.written(), 10);
    }

    /// A sink that blocks until released, to fill the queue.
    struct GateSink {
        gate: Arc<Mutex<mpsc::Receiver<()>>>,
        inner: MemorySink,
    }

    impl Sink for GateSink {
        fn write(&mut self, record: &Record) -> io::Result<()> {
            if let Ok(rx) = self.gate.lock() {
                let _ = rx.recv();
            }
            self.inner.write(record)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
        fn describe(&self) -> String {
            "gate".into()
        }
    }

    #[test]
    fn full_queue_drops_counts_and_reports() {
        let (open, gate) = mpsc::channel();
        let inner = MemorySink::new();
        let sink = GateSink {
            gate: Arc::new(Mutex::new(gate)),
            inner: inner.clone(),
        };
        let e = Emitter::spawn(Box::new(sink), 4, clock()).unwrap();
        for i in 0..100 {
            e.emit(dropped_record(i));
        }
        // The writer holds at most one record, the queue four: the rest drop.
        assert!(e.dropped() >= 95, "dropped {}", e.dropped());
        // A flush against a stalled writer returns within its bound.
        let start = Instant::now();
        assert!(!e.flush(Duration::from_millis(20)));
        assert!(start.elapsed() < Duration::from_secs(2));
        let dropped = e.dropped();
        for _ in 0..200 {
            let _ = open.send(());
        }
        assert!(e.flush(Duration::from_secs(5)));
        let records = inner.records();
        let reported = records.iter().rev().find_map(|r| match r {
            Record::Dropped(d) if d.t_ns == 0 && d.count >= dropped => Some(d.count),
            _ => None,
        });
        assert_eq!(reported, Some(e.dropped()));
    }

    struct FailingSink;

    impl Sink for FailingSink {
        fn write(&mut self, _: &Record) -> io::Result<()> {
            Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "monitor went away",
            ))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
        fn describe(&self) -> String {
            "broken".into()
        }
    }

    #[test]
    fn failing_sink_counts_drops_and_keeps_the_error() {
        let e = Emitter::spawn(Box::new(FailingSink), 16, clock()).unwrap();
        for i in 0..5 {
            e.emit(dropped_record(i));
        }
        assert!(e.flush(Duration::from_secs(5)));
        assert_eq!(e.dropped(), 5);
        assert_eq!(e.written(), 0);
        let err = e.sink_error().unwrap();
        assert!(
            err.contains("broken") && err.contains("monitor went away"),
            "{err}"
        );
    }

    #[test]
    fn discard_counts_everything() {
        let e = Emitter::discard();
        e.emit(dropped_record(1));
        assert!(e.flush(Duration::from_millis(1)));
        assert_eq!(e.dropped(), 1);
    }
}
