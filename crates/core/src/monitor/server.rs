//! The monitor's server: it listens on an [`Endpoint`], accepts many
//! concurrent clients, reads each on its own named thread
//! (`mapi-monitor-conn-N`), decodes with the trace codec's limits, and
//! hands records over a bounded channel to the store thread
//! (`mapi-monitor-store`), which adds them to the [`SharedStore`], appends
//! them to the recording when one is asked for, and calls the "new data"
//! hook. The accept thread (`mapi-monitor-accept`) uses a non-blocking
//! listener and waits at most [`ACCEPT_POLL`] at a time, so stopping never
//! waits on the OS.
//!
//! A connection that sends nothing at all is not left to hold a slot: it
//! is closed after [`MonitorOptions::idle_timeout`] (30 s by default; a
//! MAPI client sends its `hello` as it connects), and when
//! [`MonitorOptions::max_connections`] clients are connected, a new
//! client takes the slot of the oldest one that has sent nothing yet. Such
//! a connection leaves no entry in the store, only a line in its log.
//!
//! A client that sends something the codec rejects (garbage, a line over
//! the limit, an unsupported protocol version, a record without a `hello`
//! first) is disconnected; the reason is logged and kept as its entry's
//! error, and every other client goes on undisturbed. A non-fatal
//! `Invalid` record is treated the same: a client that sends garbage is
//! not trusted with the rest of its stream.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::{Receiver, SendTimeoutError, Sender, bounded};

use super::analysis::TraceBatch;
use super::recording::{Recorder, RecordingError};
use super::store::{ConnId, LogKind, PUBLISH_INTERVAL, SharedStore, StoreOptions, StreamError};
use crate::i18n::text::Text;
use crate::trace::endpoint::{ConnCloser, Endpoint, EndpointError, EndpointListener, ServerConn};
use crate::trace::{DecodeError, Decoder};

/// How often the accept thread checks for a stop while no client comes
/// (Unix: a client is accepted as soon as it connects; Windows: this is
/// also how often it looks for one).
pub const ACCEPT_POLL: Duration = Duration::from_millis(20);

/// How long a reader waits for room in the queue to the store before it
/// drops (and counts) a batch: 1 s. Meanwhile the client is slowed by the
/// socket's own buffer, never blocked beyond its flush bound.
pub const QUEUE_STALL: Duration = Duration::from_secs(1);

/// The error of an entry whose client was still connected when the
/// monitor stopped (its stream did not end: its session was in progress).
pub const STOPPED_WHILE_CONNECTED: &str = "the monitor stopped while the client was connected";

/// Size of each connection's read buffer once the client has spoken: up
/// to this many bytes of lines are decoded and queued as one batch.
const READ_BUFFER_BYTES: usize = 128 * 1024;

/// Size of a connection's first read: a connection that sends nothing
/// holds this much buffer, not [`READ_BUFFER_BYTES`] (the buffer is
/// zeroed as it grows, so its pages are resident: 128 KiB per idle
/// connection before; `crates/core/benches/monitor_load.rs`).
const FIRST_READ_BYTES: usize = 4 * 1024;

/// How long [`MonitorHandle::shutdown`] waits for connection threads.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(2);

/// The "new data arrived" hook, called from the store thread after each
/// batch (the GUI requests a repaint in it). Keep it short.
pub type Notify = Box<dyn Fn() + Send + Sync>;

/// What to run a monitor with.
#[derive(Clone, Debug)]
pub struct MonitorOptions {
    /// Caps of the session store.
    pub store: StoreOptions,
    /// Also append every received line to this recording file (created or
    /// truncated), for `watch --out`.
    pub record_to: Option<PathBuf>,
    /// Capacity of the queue from readers to the store, in batches (one
    /// batch = the records of one read, up to 128 KiB). Default 1024.
    pub queue_capacity: usize,
    /// Most clients connected at once. When they are all connected, a
    /// new client takes the slot of the oldest connection that has sent
    /// nothing yet (closed, logged); with none such, the new client is
    /// refused (logged). Default 256.
    pub max_connections: usize,
    /// How long a connection may stay connected without sending a byte
    /// before the monitor closes it (logged; it leaves no entry). A MAPI
    /// client sends its `hello` as it connects, and a shutdown sequence
    /// never waits minutes before its first record, so only a stuck or
    /// hostile client is closed. Checked every [`ACCEPT_POLL`].
    /// Default [`IDLE_TIMEOUT`] (30 s).
    pub idle_timeout: Duration,
}

/// The default [`MonitorOptions::idle_timeout`]: 30 s.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for MonitorOptions {
    fn default() -> Self {
        MonitorOptions {
            store: StoreOptions::default(),
            record_to: None,
            queue_capacity: 1024,
            max_connections: 256,
            idle_timeout: IDLE_TIMEOUT,
        }
    }
}

/// Why a monitor could not start.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// The endpoint is in use, unsafe, or cannot be listened on.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The recording file cannot be created.
    #[error("cannot create the recording: {0}")]
    Recording(#[from] RecordingError),
    /// A thread could not be started.
    #[error("cannot start the monitor's {thread} thread: {source}")]
    Thread {
        /// Which thread.
        thread: &'static str,
        /// The OS error.
        source: io::Error,
    },
}

enum Event {
    Opened {
        conn: ConnId,
        peer_pid: Option<u32>,
        at: SystemTime,
    },
    Records {
        conn: ConnId,
        /// The records of one read, assembled by the reader.
        records: TraceBatch,
        /// The lines themselves, when a recording is made (else empty).
        raw: Vec<String>,
        bytes: u64,
        /// Records of earlier batches that could not be queued.
        dropped: u64,
    },
    Closed {
        conn: ConnId,
        error: Option<StreamError>,
        at: SystemTime,
        dropped: u64,
        /// The monitor closed it because it sent nothing: remove its
        /// (empty) entry rather than keep it.
        forget: bool,
    },
    Log {
        conn: Option<ConnId>,
        text: Text,
    },
    /// Sent by `shutdown` after every reader finished: the store thread
    /// applies what came before and stops.
    Stop,
}

/// Starts monitors.
#[derive(Debug)]
pub struct Monitor;

impl Monitor {
    /// Listen on `endpoint` and start the monitor's threads. `notify` is
    /// called after new data reached the store.
    ///
    /// # Errors
    /// [`MonitorError::Endpoint`] when another monitor listens on the
    /// endpoint ([`EndpointError::InUse`], naming it) or its directory is
    /// refused; [`MonitorError::Recording`] when the recording cannot be
    /// created; [`MonitorError::Thread`] when a thread cannot start.
    pub fn start(
        endpoint: &Endpoint,
        options: MonitorOptions,
        notify: Option<Notify>,
    ) -> Result<MonitorHandle, MonitorError> {
        let listener = endpoint.listen()?;
        let recorder = options
            .record_to
            .as_deref()
            .map(Recorder::create)
            .transpose()?;
        let keep_raw = Arc::new(AtomicBool::new(recorder.is_some()));
        let store = Arc::new(SharedStore::new(options.store));
        {
            let mut s = store.lock();
            s.push_log(
                None,
                LogKind::Listening,
                Text::new("monitor-log-listening").str("endpoint", endpoint),
            );
            if listener.replaced_stale() {
                s.push_log(
                    None,
                    LogKind::Event,
                    Text::new("monitor-log-stale-replaced").str("endpoint", endpoint),
                );
            }
            if let Some(r) = &recorder {
                s.push_log(
                    None,
                    LogKind::Recording,
                    Text::new("monitor-log-recording").str("file", r.path().display()),
                );
            }
        }
        let recorder = Arc::new(Mutex::new(recorder));
        let recording_failure: Arc<Mutex<Option<RecordingFailure>>> = Arc::default();
        let (tx, rx) = bounded::<Event>(options.queue_capacity.max(1));
        let stop = Arc::new(AtomicBool::new(false));
        let conns: Arc<Mutex<HashMap<ConnId, Slot>>> = Arc::default();

        let store_thread = {
            let store = Arc::clone(&store);
            let recorder = Arc::clone(&recorder);
            let keep_raw = Arc::clone(&keep_raw);
            let failure = Arc::clone(&recording_failure);
            thread::Builder::new()
                .name("mapi-monitor-store".to_string())
                .spawn(move || store_loop(&rx, &store, &recorder, &keep_raw, &failure, notify))
                .map_err(|source| MonitorError::Thread {
                    thread: "store",
                    source,
                })?
        };
        let accept_thread = {
            let ctx = AcceptCtx {
                listener,
                tx: tx.clone(),
                stop: Arc::clone(&stop),
                store: Arc::clone(&store),
                conns: Arc::clone(&conns),
                keep_raw: Arc::clone(&keep_raw),
                max_connections: options.max_connections.max(1),
                idle_timeout: options.idle_timeout,
            };
            match thread::Builder::new()
                .name("mapi-monitor-accept".to_string())
                .spawn(move || ctx.run())
            {
                Ok(h) => h,
                Err(source) => {
                    let _ = tx.send(Event::Stop);
                    let _ = store_thread.join();
                    return Err(MonitorError::Thread {
                        thread: "accept",
                        source,
                    });
                }
            }
        };
        Ok(MonitorHandle {
            endpoint: endpoint.clone(),
            store,
            recorder,
            recording_failure,
            keep_raw,
            stop,
            tx: Some(tx),
            conns,
            accept_thread: Some(accept_thread),
            store_thread: Some(store_thread),
        })
    }
}

/// A running monitor. Dropping it stops it like [`MonitorHandle::shutdown`].
pub struct MonitorHandle {
    endpoint: Endpoint,
    store: Arc<SharedStore>,
    /// The recording being written, shared with the store thread, which
    /// holds it while it applies a batch (so a recording started between
    /// batches misses nothing and repeats nothing).
    recorder: Arc<Mutex<Option<Recorder>>>,
    /// Whether readers keep each line as received (for the recorder).
    keep_raw: Arc<AtomicBool>,
    /// Why the recording stopped by itself, set by the store thread, taken
    /// by [`MonitorHandle::take_recording_failure`].
    recording_failure: Arc<Mutex<Option<RecordingFailure>>>,
    stop: Arc<AtomicBool>,
    tx: Option<Sender<Event>>,
    conns: Arc<Mutex<HashMap<ConnId, Slot>>>,
    accept_thread: Option<JoinHandle<()>>,
    store_thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MonitorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MonitorHandle")
            .field("endpoint", &self.endpoint.to_string())
            .field("connections", &self.connections())
            .finish_non_exhaustive()
    }
}

/// A recording that stopped by itself: the store thread could not write a
/// batch to it (disk full, file gone, pipe closed). The monitor goes on
/// receiving; the recording holds what was written before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingFailure {
    /// The recording's file.
    pub path: PathBuf,
    /// The write error, in the OS's words.
    pub error: String,
}

fn lock_recorder(
    recorder: &Mutex<Option<Recorder>>,
) -> std::sync::MutexGuard<'_, Option<Recorder>> {
    match recorder.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Why the monitor itself closed a connection that had sent nothing
/// ([`ConnWatch::ended`]).
const ENDED_NONE: u8 = 0;
/// It stayed silent for [`MonitorOptions::idle_timeout`].
const ENDED_IDLE: u8 = 1;
/// Its slot went to a new client ([`MonitorOptions::max_connections`]).
const ENDED_YIELDED: u8 = 2;

/// What the accept thread and a connection's reader share about it.
#[derive(Debug, Default)]
struct ConnWatch {
    /// Set by the reader at its first byte.
    spoke: AtomicBool,
    /// Set by the accept thread when it closes the connection for having
    /// sent nothing (`ENDED_*`).
    ended: AtomicU8,
}

/// One connected client, as the monitor tracks it.
#[derive(Debug)]
struct Slot {
    closer: ConnCloser,
    opened: Instant,
    watch: Arc<ConnWatch>,
}

impl Slot {
    /// Close it for having sent nothing (`why`: `ENDED_IDLE` or
    /// `ENDED_YIELDED`); false when it spoke or was already closed so.
    fn end_silent(&self, why: u8) -> bool {
        if self.watch.spoke.load(Ordering::SeqCst)
            || self
                .watch
                .ended
                .compare_exchange(ENDED_NONE, why, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
        {
            return false;
        }
        self.closer.close();
        true
    }

    /// Neither speaking nor being closed by the monitor.
    fn silent(&self) -> bool {
        !self.watch.spoke.load(Ordering::SeqCst)
            && self.watch.ended.load(Ordering::SeqCst) == ENDED_NONE
    }
}

fn lock_conns(
    conns: &Mutex<HashMap<ConnId, Slot>>,
) -> std::sync::MutexGuard<'_, HashMap<ConnId, Slot>> {
    match conns.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

impl MonitorHandle {
    /// The endpoint listened on.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The session store (shared; lock it briefly to read).
    pub fn store(&self) -> Arc<SharedStore> {
        Arc::clone(&self.store)
    }

    /// Clients connected right now.
    pub fn connections(&self) -> usize {
        lock_conns(&self.conns).len()
    }

    /// Start recording everything received from now on to `path` (created
    /// or truncated), in the `watch --out` format. The clients connected
    /// now are written first, each with what it sent so far (re-encoded
    /// from the store, [`crate::monitor::analysis::ProcessTrace::to_records`]),
    /// so their sessions are whole in the recording; finished sessions
    /// are not (Save recording in the Live panel writes those).
    ///
    /// # Errors
    /// [`RecordingError::Io`] naming the file when it cannot be created or
    /// written, or when a recording is already being made (to that file).
    pub fn start_recording(&self, path: &Path) -> Result<(), RecordingError> {
        let mut slot = lock_recorder(&self.recorder);
        if let Some(current) = slot.as_ref() {
            return Err(RecordingError::Io {
                path: current.path().to_path_buf(),
                source: io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "already recording to this file; stop it first",
                ),
            });
        }
        let mut rec = Recorder::create(path)?;
        // A failure of an earlier recording is old news now.
        self.take_recording_failure();
        let io_err = |source| RecordingError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut store = self.store.lock();
        for e in store
            .entries()
            .iter()
            .filter(|e| e.state == super::store::ConnState::Connected)
        {
            rec.open(e.conn, e.peer_pid, e.opened_at).map_err(io_err)?;
            for r in e.trace.to_records() {
                rec.line(e.conn, crate::trace::codec::encode(&r).trim_end())
                    .map_err(io_err)?;
            }
        }
        rec.flush().map_err(io_err)?;
        store.push_log(
            None,
            LogKind::Recording,
            Text::new("monitor-log-recording").str("file", path.display()),
        );
        drop(store);
        self.keep_raw.store(true, Ordering::SeqCst);
        *slot = Some(rec);
        Ok(())
    }

    /// Stop the recording being made, flushing it. Returns its path and
    /// the result of the last flush; `None` when none was being made (or
    /// it stopped by itself after a write error, which the store's log
    /// tells).
    pub fn stop_recording(&self) -> Option<(PathBuf, io::Result<()>)> {
        let mut slot = lock_recorder(&self.recorder);
        let mut rec = slot.take()?;
        self.keep_raw.store(false, Ordering::SeqCst);
        let flushed = rec.flush();
        let path = rec.path().to_path_buf();
        drop(rec);
        self.store.lock().push_log(
            None,
            LogKind::Event,
            Text::new("monitor-log-recording-stopped").str("file", path.display()),
        );
        Some((path, flushed))
    }

    /// Why the last recording stopped by itself, once: `None` when it did
    /// not (it is still running, was stopped, or none was made) or when
    /// this was already asked. A recording that failed is no longer
    /// [`MonitorHandle::recording`].
    pub fn take_recording_failure(&self) -> Option<RecordingFailure> {
        self.recording_failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }

    /// The file being recorded to, if any.
    pub fn recording(&self) -> Option<PathBuf> {
        lock_recorder(&self.recorder)
            .as_ref()
            .map(|r| r.path().to_path_buf())
    }

    /// Stop listening (the endpoint is free again when this returns),
    /// disconnect every client (their entries are marked closed, "monitor
    /// stopped"), let the store take what was queued, and stop the
    /// threads. Bounded: a thread that does not finish within about 2 s is
    /// left behind.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.accept_thread.take() {
            // Returns within ACCEPT_POLL; drops the listener (socket file).
            let _ = h.join();
        }
        let deadline = Instant::now() + SHUTDOWN_WAIT;
        loop {
            {
                let conns = lock_conns(&self.conns);
                if conns.is_empty() {
                    break;
                }
                // Repeated: on Windows a read may start after a cancel.
                for slot in conns.values() {
                    slot.closer.close();
                }
            }
            if Instant::now() >= deadline {
                break;
            }
            thread::sleep(Duration::from_millis(5));
        }
        if let Some(tx) = self.tx.take() {
            let _ = tx.send_timeout(Event::Stop, SHUTDOWN_WAIT);
        }
        if let Some(h) = self.store_thread.take() {
            let _ = h.join();
        }
    }
}

impl Drop for MonitorHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

struct AcceptCtx {
    listener: EndpointListener,
    tx: Sender<Event>,
    stop: Arc<AtomicBool>,
    store: Arc<SharedStore>,
    conns: Arc<Mutex<HashMap<ConnId, Slot>>>,
    keep_raw: Arc<AtomicBool>,
    max_connections: usize,
    idle_timeout: Duration,
}

impl AcceptCtx {
    fn log(&self, conn: Option<ConnId>, text: Text) {
        let _ = self.tx.send_timeout(Event::Log { conn, text }, QUEUE_STALL);
    }

    fn run(self) {
        let mut last_error: Option<String> = None;
        while !self.stop.load(Ordering::SeqCst) {
            match self.listener.accept() {
                Ok(Some(conn)) => {
                    last_error = None;
                    self.take(conn);
                }
                Ok(None) => self.listener.wait(ACCEPT_POLL),
                Err(e) => {
                    let message = e.to_string();
                    if last_error.as_deref() != Some(&message) {
                        self.log(
                            None,
                            Text::new("monitor-log-accept-failed").str("error", &message),
                        );
                        last_error = Some(message);
                    }
                    thread::sleep(ACCEPT_POLL);
                }
            }
            self.close_idle();
        }
        let endpoint = self.listener.endpoint().to_string();
        drop(self.listener);
        let _ = self.tx.send_timeout(
            Event::Log {
                conn: None,
                text: Text::new("monitor-log-stopped-listening").str("endpoint", endpoint),
            },
            QUEUE_STALL,
        );
    }

    /// Close the connections that have sent nothing for the idle timeout
    /// (their readers say why).
    fn close_idle(&self) {
        for slot in lock_conns(&self.conns).values() {
            if slot.silent() && slot.opened.elapsed() >= self.idle_timeout {
                slot.end_silent(ENDED_IDLE);
            }
        }
    }

    /// Room for one more client: true when fewer than the cap are
    /// connected (not counting those being closed), or when the oldest
    /// connection that has sent nothing could be closed to make room.
    fn make_room(&self) -> bool {
        let conns = lock_conns(&self.conns);
        let live = conns
            .values()
            .filter(|s| s.watch.ended.load(Ordering::SeqCst) == ENDED_NONE)
            .count();
        if live < self.max_connections {
            return true;
        }
        conns
            .values()
            .filter(|s| s.silent())
            .min_by_key(|s| s.opened)
            .is_some_and(|s| s.end_silent(ENDED_YIELDED))
    }

    fn take(&self, conn: ServerConn) {
        if !conn.peer_is_trusted() {
            let why = match (conn.peer_uid(), conn.peer_pid()) {
                (Some(uid), pid) => Text::new("monitor-log-refused-other-user")
                    .str("uid", uid)
                    .str(
                        "pid",
                        pid.map_or_else(|| "?".to_string(), |p| p.to_string()),
                    ),
                (None, Some(pid)) => Text::new("monitor-log-refused-no-user").str("pid", pid),
                (None, None) => Text::new("monitor-log-refused-unidentified"),
            };
            self.log(None, why);
            return;
        }
        if !self.make_room() {
            self.log(
                None,
                Text::new("monitor-log-refused-full")
                    .str(
                        "pid",
                        conn.peer_pid()
                            .map_or_else(|| "?".to_string(), |p| p.to_string()),
                    )
                    .num("max", self.max_connections as u64),
            );
            return;
        }
        let closer = match conn.closer() {
            Ok(c) => c,
            Err(e) => {
                self.log(None, Text::new("monitor-log-refused-error").str("error", e));
                return;
            }
        };
        let id = self.store.lock().allocate_conn();
        let peer_pid = conn.peer_pid();
        if self
            .tx
            .send(Event::Opened {
                conn: id,
                peer_pid,
                at: SystemTime::now(),
            })
            .is_err()
        {
            return;
        }
        let watch = Arc::new(ConnWatch::default());
        lock_conns(&self.conns).insert(
            id,
            Slot {
                closer,
                opened: Instant::now(),
                watch: Arc::clone(&watch),
            },
        );
        let reader = ConnReader {
            id,
            tx: self.tx.clone(),
            stop: Arc::clone(&self.stop),
            conns: Arc::clone(&self.conns),
            keep_raw: Arc::clone(&self.keep_raw),
            dropped: 0,
            watch,
            idle_timeout: self.idle_timeout,
            max_connections: self.max_connections,
        };
        let spawned = thread::Builder::new()
            .name(format!("mapi-monitor-conn-{id}"))
            .spawn(move || reader.run(conn));
        if let Err(e) = spawned {
            lock_conns(&self.conns).remove(&id);
            let _ = self.tx.send(Event::Closed {
                conn: id,
                error: Some(reason::no_reader(&e)),
                at: SystemTime::now(),
                dropped: 0,
                forget: false,
            });
        }
    }
}

/// Why a connection ended badly, as the entry keeps it (English words:
/// data) and as people read it (the same sentence through the
/// catalogues; a decoder error through
/// [`decode_error_text`](super::recording::decode_error_text)). One
/// function per reason, so the two cannot drift apart (test
/// `reasons_say_in_english_what_the_entry_keeps`).
mod reason {
    use std::io;
    use std::time::Duration;

    use super::super::recording::decode_error_text;
    use super::super::store::StreamError;
    use super::STOPPED_WHILE_CONNECTED;
    use crate::i18n::text::Text;
    use crate::trace::DecodeError;

    /// The client sent something that is not the protocol.
    pub(super) fn disconnected(e: &DecodeError) -> StreamError {
        StreamError::new(
            format!("disconnected: {e}"),
            Text::new("monitor-reason-disconnected").text("error", decode_error_text(e)),
        )
    }

    /// The stream ended inside a line (or another decoder complaint at
    /// the end).
    pub(super) fn ended_badly(e: &DecodeError) -> StreamError {
        StreamError::new(
            format!("the stream ended badly: {e}"),
            Text::new("monitor-reason-ended-badly").text("error", decode_error_text(e)),
        )
    }

    /// Reading the connection failed (the OS's words).
    pub(super) fn read_error(e: &io::Error) -> StreamError {
        StreamError::new(
            format!("read error: {e}"),
            Text::new("monitor-reason-read-error").str("error", e),
        )
    }

    /// The store thread is gone.
    pub(super) fn store_stopped() -> StreamError {
        StreamError::new(
            "the monitor's store stopped".to_string(),
            Text::new("monitor-reason-store-stopped"),
        )
    }

    /// The monitor stopped with the client still connected.
    pub(super) fn monitor_stopped() -> StreamError {
        StreamError::new(
            STOPPED_WHILE_CONNECTED.to_string(),
            Text::new("monitor-reason-stopped"),
        )
    }

    /// No thread could be started to read the connection.
    pub(super) fn no_reader(e: &io::Error) -> StreamError {
        StreamError::new(
            format!("cannot start a reader thread: {e}"),
            Text::new("monitor-reason-no-reader").str("error", e),
        )
    }

    /// The client sent nothing within `timeout` of connecting.
    pub(super) fn idle(timeout: Duration) -> StreamError {
        let after = humantime::format_duration(timeout);
        StreamError::new(
            format!("sent nothing in {after} after connecting: disconnected"),
            Text::new("monitor-log-reason-idle").str("after", after),
        )
    }

    /// The client had sent nothing when `max` clients were connected and
    /// a new one came.
    pub(super) fn yielded(max: usize) -> StreamError {
        StreamError::new(
            format!(
                "sent nothing while {max} clients were connected: disconnected to make room for a new client"
            ),
            Text::new("monitor-log-reason-yielded").num("max", max as u64),
        )
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::i18n::Lang;

        #[test]
        fn reasons_say_in_english_what_the_entry_keeps() {
            let invalid = DecodeError::Invalid {
                line: 2,
                reason: "expected value at line 1 column 1".into(),
            };
            let truncated = DecodeError::Truncated { line: 3, bytes: 17 };
            let io = io::Error::new(io::ErrorKind::ConnectionReset, "connection reset");
            let all = [
                disconnected(&invalid),
                ended_badly(&truncated),
                read_error(&io),
                store_stopped(),
                monitor_stopped(),
                no_reader(&io),
                idle(Duration::from_secs(120)),
                yielded(256),
            ];
            for r in &all {
                assert_eq!(r.text.render(Lang::En), r.message);
                // Worded in French and Chinese, not English words shown as
                // written.
                for lang in [Lang::Fr, Lang::ZhCn] {
                    assert_ne!(r.text.render(lang), r.message, "{lang:?}");
                }
            }
            assert_eq!(
                all[0].message,
                "disconnected: line 2: invalid record: expected value at line 1 column 1"
            );
            assert_eq!(
                all[0].text.render(Lang::Fr),
                "déconnecté : ligne 2 : pas un enregistrement valide : expected value at line 1 column 1"
            );
        }
    }
}

struct ConnReader {
    id: ConnId,
    tx: Sender<Event>,
    stop: Arc<AtomicBool>,
    conns: Arc<Mutex<HashMap<ConnId, Slot>>>,
    /// Keep each line as received while a recording is made.
    keep_raw: Arc<AtomicBool>,
    /// Records read but not queued (queue full for too long).
    dropped: u64,
    /// Shared with the accept thread: whether it spoke, whether the
    /// monitor closed it for not speaking.
    watch: Arc<ConnWatch>,
    idle_timeout: Duration,
    max_connections: usize,
}

impl ConnReader {
    fn run(mut self, mut conn: ServerConn) {
        let error = self.read_all(&mut conn);
        let error = if self.stop.load(Ordering::SeqCst) && error.is_none() {
            Some(reason::monitor_stopped())
        } else {
            error
        };
        if let Some(reason) = &error {
            // The entry keeps the English words (data, compared and
            // serialized); the log line says them in words to render.
            let _ = self.tx.send_timeout(
                Event::Log {
                    conn: Some(self.id),
                    text: Text::new("monitor-log-connection-ended")
                        .str("conn", self.id)
                        .text("reason", reason.text.clone()),
                },
                QUEUE_STALL,
            );
        }
        // Closes the connection: a rejected client's next write fails.
        drop(conn);
        let forget = self.watch.ended.load(Ordering::SeqCst) != ENDED_NONE;
        let _ = self.tx.send(Event::Closed {
            conn: self.id,
            error,
            at: SystemTime::now(),
            dropped: self.dropped,
            forget,
        });
        lock_conns(&self.conns).remove(&self.id);
    }

    /// Read and decode until the end of the stream or an error; `Some`
    /// reason when the connection ends badly. Each read's records go to
    /// the store thread as one batch (one channel send); lines are decoded
    /// in place in the decoder's buffer.
    fn read_all(&mut self, conn: &mut ServerConn) -> Option<StreamError> {
        let error = self.read_stream(conn);
        // Closed by the monitor for sending nothing: that is the reason,
        // whatever the read said.
        match self.watch.ended.load(Ordering::SeqCst) {
            ENDED_IDLE => Some(reason::idle(self.idle_timeout)),
            ENDED_YIELDED => Some(reason::yielded(self.max_connections)),
            _ => error,
        }
    }

    fn read_stream(&mut self, conn: &mut ServerConn) -> Option<StreamError> {
        let mut decoder = Decoder::new();
        // Records per batch, learnt from the previous read, so the batch's
        // vector is allocated once at about the right size.
        let mut expect = 64;
        let mut read_size = FIRST_READ_BYTES;
        loop {
            let n = match decoder.read_from(conn, read_size) {
                // The monitor closed the connection to stop: a partial
                // line is its doing, not the client's.
                Ok(0) if self.stop.load(Ordering::SeqCst) => return None,
                Ok(0) => {
                    return match decoder.finish() {
                        Ok(()) => None,
                        Err(e) => Some(reason::ended_badly(&e)),
                    };
                }
                Ok(n) => {
                    self.watch.spoke.store(true, Ordering::SeqCst);
                    read_size = READ_BUFFER_BYTES;
                    n
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    if self.stop.load(Ordering::SeqCst) {
                        return None;
                    }
                    return Some(reason::read_error(&e));
                }
            };
            let mut batch = TraceBatch::with_capacity(expect);
            let mut raw = Vec::new();
            let keep_raw = self.keep_raw.load(Ordering::Relaxed);
            let mut failure: Option<DecodeError> = None;
            loop {
                match decoder.next_compact() {
                    Ok(Some(record)) => {
                        let line = decoder.last_line();
                        if keep_raw {
                            raw.push(String::from_utf8_lossy(line.trim_ascii_end()).into_owned());
                        }
                        // The line and its newline.
                        batch.push(record, line.len() + 1);
                    }
                    Ok(None) => break,
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
            expect = batch.records().max(16);
            if !self.queue(batch, raw, n as u64) {
                return Some(reason::store_stopped());
            }
            if let Some(e) = failure {
                return Some(reason::disconnected(&e));
            }
        }
    }

    /// Hand a batch to the store thread, waiting at most [`QUEUE_STALL`];
    /// a batch that cannot be queued is counted. False when the store
    /// thread is gone.
    fn queue(&mut self, records: TraceBatch, raw: Vec<String>, bytes: u64) -> bool {
        let count = records.records() as u64;
        let event = Event::Records {
            conn: self.id,
            records,
            raw,
            bytes,
            dropped: self.dropped,
        };
        match self.tx.send_timeout(event, QUEUE_STALL) {
            Ok(()) => {
                self.dropped = 0;
                true
            }
            Err(SendTimeoutError::Timeout(_)) => {
                self.dropped += count;
                true
            }
            Err(SendTimeoutError::Disconnected(_)) => false,
        }
    }
}

/// The store thread: apply batches, record them, notify.
fn store_loop(
    rx: &Receiver<Event>,
    store: &SharedStore,
    recorder: &Mutex<Option<Recorder>>,
    keep_raw: &AtomicBool,
    recording_failure: &Mutex<Option<RecordingFailure>>,
    notify: Option<Notify>,
) {
    const MAX_BATCH: usize = 256;
    let mut stopping = false;
    let mut published_at: Option<std::time::Instant> = None;
    while !stopping {
        let Ok(first) = rx.recv() else {
            break;
        };
        let mut events = vec![first];
        while events.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(e) => events.push(e),
                Err(_) => break,
            }
        }
        // Held until the batch is in the store: see MonitorHandle::recorder.
        let mut recorder = lock_recorder(recorder);
        let mut record_error = None;
        if let Some(rec) = recorder.as_mut()
            && let Err(e) = record(rec, &events).and_then(|()| rec.flush())
        {
            record_error = Some(
                Text::new("monitor-log-recording-failed")
                    .str("file", rec.path().display())
                    .str("error", &e),
            );
            *recording_failure
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(RecordingFailure {
                path: rec.path().to_path_buf(),
                error: e.to_string(),
            });
        }
        if record_error.is_some() {
            *recorder = None;
            keep_raw.store(false, Ordering::SeqCst);
        }
        {
            let mut s = store.lock();
            if let Some(text) = record_error {
                s.push_log(None, LogKind::Event, text);
            }
            for event in events {
                match event {
                    Event::Opened { conn, peer_pid, at } => {
                        s.open(conn, peer_pid, at);
                        let text = match peer_pid {
                            Some(pid) => Text::new("monitor-log-connected-pid").str("pid", pid),
                            None => Text::new("monitor-log-connected"),
                        };
                        s.push_log(Some(conn), LogKind::Event, text.str("conn", conn));
                    }
                    Event::Records {
                        conn,
                        mut records,
                        bytes,
                        dropped,
                        ..
                    } => s.append(conn, &mut records, bytes, dropped),
                    Event::Closed { conn, forget, .. } if forget => {
                        // Its reader logged why; it said nothing to keep.
                        s.remove(conn);
                    }
                    Event::Closed {
                        conn,
                        error,
                        at,
                        dropped,
                        ..
                    } => {
                        s.count_dropped(conn, dropped);
                        s.close_with(conn, error, at);
                        if let Some(e) = s.entry(conn) {
                            let text = Text::new("monitor-log-closed")
                                .str("conn", conn)
                                .str("label", e.label())
                                .num("records", e.records);
                            s.push_log(Some(conn), LogKind::Event, text);
                        }
                    }
                    Event::Log { conn, text } => s.push_log(conn, LogKind::Event, text),
                    Event::Stop => stopping = true,
                }
            }
        }
        drop(recorder);
        // Publish when the queue is drained, and under load at most every
        // PUBLISH_INTERVAL (each publication analyses what changed); the
        // last batch of a burst always finds the queue empty.
        let due = published_at.is_none_or(|t| t.elapsed() >= PUBLISH_INTERVAL);
        if rx.is_empty() || due || stopping {
            store.publish();
            published_at = Some(std::time::Instant::now());
            if let Some(n) = &notify {
                n();
            }
        }
    }
    if let Some(rec) = lock_recorder(recorder).as_mut() {
        let _ = rec.flush();
    }
}

fn record(rec: &mut Recorder, events: &[Event]) -> io::Result<()> {
    for event in events {
        match event {
            Event::Opened { conn, peer_pid, at } => rec.open(*conn, *peer_pid, *at)?,
            Event::Records {
                conn, records, raw, ..
            } => {
                if raw.len() == records.records() {
                    for line in raw {
                        rec.line(*conn, line)?;
                    }
                } else {
                    // Read before the recording started: re-encode, in
                    // time order.
                    for r in records.to_records() {
                        rec.line(*conn, crate::trace::codec::encode(&r).trim_end())?;
                    }
                }
            }
            Event::Closed {
                conn, error, at, ..
            } => rec.close(*conn, error.as_ref().map(|e| e.message.as_str()), *at)?,
            Event::Log { .. } | Event::Stop => {}
        }
    }
    Ok(())
}
