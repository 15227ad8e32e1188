//! The socket sink: the client side of live capture. A [`Sink`] that sends
//! a process's trace to the monitor listening on an [`Endpoint`], and when
//! there is none (or it goes away mid-stream) falls back to a spool file
//! ([`super::spool`]) or drops and counts. It never fails and never hangs
//! the client: it is only called from the emitter's writer thread, whose
//! queue the client fills with `try_send`, and whose flush the subsystem
//! waits for at most [`super::FLUSH_BOUND`].
//!
//! What happened is readable at any time through [`SinkStatus`]
//! ([`Delivery`]), for `simulate`'s summary.

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::codec::encode;
use super::endpoint::{ClientStream, Endpoint};
use super::sink::Sink;
use super::spool::SpoolFile;
use super::{Hello, Record};

/// How long a client waits to connect to a busy endpoint: 500 ms. A pipe
/// has one instance free at a time and the monitor makes the next one as
/// it accepts, so 16 clients starting at once under load (Wine in CI) did
/// not all get in within 100 ms. (With no monitor at all, connecting fails
/// at once.)
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);

/// Unix: a write to the monitor that makes no progress for this long (1 s)
/// means the monitor stalled; the sink then falls back as if it had gone.
/// Only the writer thread ever waits this long, never the client.
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(1);

/// Encoded bytes gathered before a write to the socket is forced (the
/// emitter also flushes whenever its queue runs dry).
const MAX_PENDING_BYTES: usize = 64 * 1024;

/// Declarations (`hello`, `policy`, `session`, `provider`) remembered to
/// start a spool file after a break, at most this many.
const MAX_PREAMBLE: usize = 1024;

/// Where a stream's records went, so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "to", rename_all = "kebab-case")]
pub enum Delivery {
    /// Every record went to the monitor.
    Monitor {
        /// The endpoint.
        endpoint: String,
        /// Records written to the monitor.
        records: u64,
    },
    /// The records went to a spool file from some point on: from the
    /// start (no monitor) or after the monitor went away.
    Spooled {
        /// The endpoint.
        endpoint: String,
        /// Why not (or no longer) to the monitor.
        reason: String,
        /// The spool file.
        file: PathBuf,
        /// Records written to the monitor before the break.
        to_monitor: u64,
        /// Records written to the spool file (declarations repeated at
        /// its start included).
        spooled: u64,
        /// Records lost (the spool file failed).
        dropped: u64,
    },
    /// The records were dropped and counted from some point on.
    Dropped {
        /// The endpoint.
        endpoint: String,
        /// Why not to the monitor (and why no spool file).
        reason: String,
        /// Records written to the monitor before the break.
        to_monitor: u64,
        /// Records dropped.
        dropped: u64,
    },
}

impl Delivery {
    /// Records lost by the sink.
    pub fn dropped(&self) -> u64 {
        match self {
            Delivery::Monitor { .. } => 0,
            Delivery::Spooled { dropped, .. } | Delivery::Dropped { dropped, .. } => *dropped,
        }
    }

    /// True while everything went to the monitor.
    pub fn is_monitor(&self) -> bool {
        matches!(self, Delivery::Monitor { .. })
    }

    /// One line for people: `trace sent to the monitor at X (N records)`,
    /// `no monitor is listening at X; trace spooled to F (N records)`,
    /// `no monitor is listening at X; N records dropped`.
    pub fn summary(&self) -> String {
        match self {
            Delivery::Monitor { endpoint, records } => {
                format!("trace sent to the monitor at {endpoint} ({records} records)")
            }
            Delivery::Spooled {
                reason,
                file,
                spooled,
                dropped,
                ..
            } => {
                let mut s = format!(
                    "{reason}; trace spooled to {} ({spooled} records)",
                    file.display()
                );
                if *dropped > 0 {
                    s.push_str(&format!(", then {dropped} records dropped"));
                }
                s
            }
            Delivery::Dropped {
                reason, dropped, ..
            } => format!(
                "{reason}; {dropped} records dropped (set {} to keep them)",
                super::spool::SPOOL_DIR_ENV
            ),
        }
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

/// A shared view of a socket sink's [`Delivery`], readable from any thread
/// while the writer thread owns the sink.
#[derive(Clone, Debug)]
pub struct SinkStatus(Arc<Mutex<Delivery>>);

impl SinkStatus {
    /// The delivery so far.
    pub fn get(&self) -> Delivery {
        match self.0.lock() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set(&self, delivery: Delivery) {
        match self.0.lock() {
            Ok(mut g) => *g = delivery,
            Err(poisoned) => *poisoned.into_inner() = delivery,
        }
    }
}

enum Target {
    Monitor(ClientStream),
    /// A spool directory is configured; the file is created at the next
    /// record (its name needs the stream's `hello`).
    SpoolPending(PathBuf),
    Spool(SpoolFile),
    Nowhere,
}

/// The socket sink (see the module docs). Create it with
/// [`SocketSink::connect`] or [`connect_sink`]. Its `write` and `flush`
/// always succeed: failures switch it to the spool or to counting, and
/// show in its [`SinkStatus`].
pub struct SocketSink {
    endpoint: String,
    target: Target,
    status: SinkStatus,
    /// Why the monitor is not (or no longer) the target.
    reason: Option<String>,
    /// Encoded records not yet written to the monitor, and those records.
    pending: Vec<u8>,
    pending_records: Vec<Record>,
    /// Declarations the monitor has received (to start a spool file).
    preamble: Vec<Record>,
    /// The stream's `hello`, once seen.
    hello: Option<Hello>,
    /// Where to spool when the monitor is (or goes) away.
    spool_dir: Option<PathBuf>,
    to_monitor: u64,
    spooled: u64,
    dropped: u64,
}

impl fmt::Debug for SocketSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketSink")
            .field("status", &self.status.get())
            .finish_non_exhaustive()
    }
}

impl SocketSink {
    /// Connect to the monitor at `endpoint`, waiting at most
    /// [`CONNECT_TIMEOUT`]. Never fails: without a monitor the sink spools
    /// to `spool_dir` when given, else drops and counts.
    pub fn connect(endpoint: &Endpoint, spool_dir: Option<PathBuf>) -> SocketSink {
        Self::connect_with_timeout(endpoint, spool_dir, CONNECT_TIMEOUT)
    }

    /// [`SocketSink::connect`] with another connect timeout.
    pub fn connect_with_timeout(
        endpoint: &Endpoint,
        spool_dir: Option<PathBuf>,
        timeout: Duration,
    ) -> SocketSink {
        let name = endpoint.to_string();
        let connected = endpoint.connect(timeout).and_then(|stream| {
            stream
                .set_write_timeout(Some(WRITE_STALL_TIMEOUT))
                .map_err(|source| super::endpoint::EndpointError::Connect {
                    endpoint: name.clone(),
                    source,
                })?;
            Ok(stream)
        });
        let status = SinkStatus(Arc::new(Mutex::new(Delivery::Monitor {
            endpoint: name.clone(),
            records: 0,
        })));
        let mut sink = SocketSink {
            endpoint: name.clone(),
            target: Target::Nowhere,
            status,
            reason: None,
            pending: Vec::new(),
            pending_records: Vec::new(),
            preamble: Vec::new(),
            hello: None,
            spool_dir: spool_dir.clone(),
            to_monitor: 0,
            spooled: 0,
            dropped: 0,
        };
        match connected {
            Ok(stream) => sink.target = Target::Monitor(stream),
            Err(e) => {
                let reason = if e.is_no_monitor() {
                    format!("no monitor is listening at {name}")
                } else {
                    e.to_string()
                };
                sink.reason = Some(reason);
                sink.target = match spool_dir {
                    Some(dir) => Target::SpoolPending(dir),
                    None => Target::Nowhere,
                };
                sink.publish();
            }
        }
        sink
    }

    /// A handle on what happens to the records.
    pub fn status(&self) -> SinkStatus {
        self.status.clone()
    }

    fn publish(&self) {
        let endpoint = self.endpoint.clone();
        let reason = self.reason.clone().unwrap_or_default();
        let delivery = match &self.target {
            Target::Monitor(_) => Delivery::Monitor {
                endpoint,
                records: self.to_monitor,
            },
            Target::Spool(f) => Delivery::Spooled {
                endpoint,
                reason,
                file: f.path().to_path_buf(),
                to_monitor: self.to_monitor,
                spooled: self.spooled,
                dropped: self.dropped,
            },
            Target::SpoolPending(_) | Target::Nowhere => Delivery::Dropped {
                endpoint,
                reason,
                to_monitor: self.to_monitor,
                dropped: self.dropped,
            },
        };
        self.status.set(delivery);
    }

    /// Write what is pending to the monitor; on failure fall back with the
    /// unsent records.
    fn send_pending(&mut self) {
        let Target::Monitor(stream) = &mut self.target else {
            return;
        };
        if self.pending.is_empty() {
            return;
        }
        match stream
            .write_all(&self.pending)
            .and_then(|()| stream.flush())
        {
            Ok(()) => {
                self.pending.clear();
                self.to_monitor += self.pending_records.len() as u64;
                for r in self.pending_records.drain(..) {
                    if self.preamble.len() < MAX_PREAMBLE && is_declaration(&r) {
                        self.preamble.push(r);
                    }
                }
                self.publish();
            }
            Err(e) => {
                let reason = match e.kind() {
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => format!(
                        "the monitor at {} stopped reading ({} without progress) after {} records",
                        self.endpoint,
                        humantime::format_duration(WRITE_STALL_TIMEOUT),
                        self.to_monitor
                    ),
                    _ => format!(
                        "the monitor at {} went away after {} records ({e})",
                        self.endpoint, self.to_monitor
                    ),
                };
                self.pending.clear();
                let unsent = std::mem::take(&mut self.pending_records);
                self.fall_back(reason, unsent);
            }
        }
    }

    /// Stop sending to the monitor: start a spool file (declarations the
    /// monitor already has, then `unsent`) or count `unsent` as dropped.
    /// The declarations repeated are not counted as dropped when they
    /// cannot be spooled: the monitor has them, so the records sent and
    /// the records dropped add up to the records written.
    fn fall_back(&mut self, reason: String, unsent: Vec<Record>) {
        // Closing the stream here tells the monitor we are gone.
        self.target = Target::Nowhere;
        self.reason = Some(reason);
        if let Some(dir) = self.spool_dir.clone() {
            self.target = Target::SpoolPending(dir);
            for r in std::mem::take(&mut self.preamble) {
                self.write_fallback(&r, true);
            }
        }
        for r in &unsent {
            self.write_fallback(r, false);
        }
        self.publish();
    }

    /// Create the spool file when one is pending, named from the stream's
    /// `hello`; a file started by a record other than `hello` gets the
    /// `hello` first, so that it is a valid stream of its own.
    fn open_spool(&mut self, first: &Record) {
        let Target::SpoolPending(dir) = &self.target else {
            return;
        };
        let hello = match first {
            Record::Hello(h) => Some(h.clone()),
            _ => self.hello.clone(),
        };
        match SpoolFile::create(dir, hello.as_ref()) {
            Ok(mut file) => {
                if !matches!(first, Record::Hello(_))
                    && let Some(h) = hello
                {
                    if let Err(e) = file.write_record(&Record::Hello(h)) {
                        self.spool_failed(&e);
                        return;
                    }
                    self.spooled += 1;
                }
                self.target = Target::Spool(file);
            }
            Err(e) => self.spool_failed(&e),
        }
    }

    /// Write one record to the spool (opening it if needed) or count it
    /// as dropped, unless the monitor already `delivered` it.
    fn write_fallback(&mut self, record: &Record, delivered: bool) {
        self.open_spool(record);
        let lost = u64::from(!delivered);
        match &mut self.target {
            Target::Spool(file) => match file.write_record(record) {
                Ok(()) => self.spooled += 1,
                Err(e) => {
                    self.dropped += lost;
                    self.spool_failed(&e);
                }
            },
            Target::Monitor(_) | Target::SpoolPending(_) | Target::Nowhere => self.dropped += lost,
        }
    }

    fn spool_failed(&mut self, e: &io::Error) {
        let reason = self.reason.take().unwrap_or_default();
        self.reason = Some(format!("{reason}; spooling failed: {e}"));
        self.target = Target::Nowhere;
    }
}

fn is_declaration(record: &Record) -> bool {
    matches!(
        record,
        Record::Hello(_) | Record::Policy(_) | Record::Session(_) | Record::Provider(_)
    )
}

impl Sink for SocketSink {
    /// Never fails (see the type's docs).
    fn write(&mut self, record: &Record) -> io::Result<()> {
        if let Record::Hello(h) = record {
            self.hello = Some(h.clone());
        }
        if matches!(self.target, Target::Monitor(_)) {
            self.pending.extend_from_slice(encode(record).as_bytes());
            self.pending_records.push(record.clone());
            if self.pending.len() >= MAX_PENDING_BYTES {
                self.send_pending();
            }
        } else {
            self.write_fallback(record, false);
            self.publish();
        }
        Ok(())
    }

    /// Never fails (see the type's docs).
    fn flush(&mut self) -> io::Result<()> {
        self.send_pending();
        if let Target::Spool(file) = &mut self.target
            && let Err(e) = file.flush()
        {
            self.spool_failed(&e);
            self.publish();
        }
        Ok(())
    }

    fn describe(&self) -> String {
        format!("monitor {}", self.endpoint)
    }
}

impl Drop for SocketSink {
    fn drop(&mut self) {
        // The emitter flushes before it lets go of the sink; this is for a
        // sink used on its own.
        let _ = Sink::flush(self);
    }
}

/// The constructor the subsystem's users call: a sink to the monitor at
/// `endpoint` that never fails (it falls back to spooling in `spool_dir`,
/// or to counting), and the handle that says which happened.
pub fn connect_sink(
    endpoint: &Endpoint,
    spool_dir: Option<PathBuf>,
) -> (Box<dyn Sink>, SinkStatus) {
    let sink = SocketSink::connect(endpoint, spool_dir);
    let status = sink.status();
    (Box::new(sink), status)
}
