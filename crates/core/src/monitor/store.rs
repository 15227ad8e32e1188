//! The session store: what the monitor has received, for the GUI and the
//! CLI to read from other threads. It owns one [`Entry`] per client
//! connection (one process stream: its [`ProcessTrace`] plus the
//! connection's state, error, counts), their grouping by process, the caps
//! on records and memory with eviction of the oldest completed entries, a
//! short log of what the monitor did, and the generation counter that
//! tells readers whether anything changed ([`SharedStore`]).
//!
//! Readers do not draw from the locked store: [`SharedStore::publish`]
//! (called by the monitor's store thread after it applies what arrived,
//! at most every [`PUBLISH_INTERVAL`] under load, and by whoever else
//! changes the store) turns it into an immutable [`StoreSnapshot`], one
//! `Arc<`[`SessionSnapshot`]`>` per entry with its [`Verdict`], which a
//! reader takes with [`SharedStore::snapshot`] (a pointer copy) and keeps
//! as long as it likes. An unchanged entry keeps its `Arc` from one
//! snapshot to the next, so a reader tells what changed by pointer.
//!
//! A connection that closes before its `client_exit` keeps its entry,
//! marked closed: the analysis then says `incomplete` or
//! `data-loss-risk`. Entries are never dropped for that, only evicted
//! (oldest completed first) when the store is full.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use super::analysis::{AnalysisOptions, ProcessTrace, StreamState, TraceBatch, Verdict, analyze};
use super::footprint;
use crate::i18n::text::Text;
use crate::trace::codec::encode;
use crate::trace::{CompactRecord, Record};

/// Identifies one client connection (one stream), from 1, unique within a
/// store.
pub type ConnId = u64;

/// Caps and sizes of a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StoreOptions {
    /// Most records kept over all entries (default 1,000,000).
    pub max_records: usize,
    /// Most memory kept, bytes (default 256 MiB), measured in what the
    /// store holds: each entry's [`Entry::approx_bytes`] (the decoded
    /// records' strings and vectors by capacity, the call index, the
    /// entry itself and its bookkeeping; see [`super::footprint`]), not
    /// the bytes of the lines received.
    pub max_bytes: usize,
    /// Lines of the monitor's log kept (default 500).
    pub max_log_lines: usize,
    /// Most closed entries kept (default 10,000): past it, the entry
    /// closed first is evicted (counted in [`StoreStats::evicted_entries`]),
    /// whatever room is left under the other caps, so that clients that
    /// connect and go away in a loop cannot make the store, and every
    /// reader's pass over it, grow without end. Connected entries are not
    /// counted.
    pub max_closed_entries: usize,
    /// The rules' thresholds for the verdicts of published snapshots.
    pub analysis: AnalysisOptions,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_records: 1_000_000,
            max_bytes: 256 * 1024 * 1024,
            max_log_lines: 500,
            max_closed_entries: 10_000,
            analysis: AnalysisOptions::default(),
        }
    }
}

/// Whether a connection is still open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnState {
    /// The client is connected: more may come.
    Connected,
    /// The connection ended (cleanly or not; see [`Entry::error`]).
    Closed,
}

/// Why a live connection ended badly: the English words an entry keeps as
/// data ([`Entry::error`]: `watch --json`'s `error`, recordings, the
/// checks that compare it) and the same sentence for people, rendered in
/// their language at the edge ([`Entry::error_text`]: the monitor's log,
/// `watch`'s text, the Live panel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamError {
    /// The English words, as data.
    pub message: String,
    /// The same for people.
    pub text: Text,
}

impl StreamError {
    /// `message` (English) said as `text`.
    pub fn new(message: String, text: Text) -> StreamError {
        StreamError { message, text }
    }

    /// Words that exist only as written (a reason read back from a
    /// recording): the same in every language.
    pub fn plain(message: impl Into<String>) -> StreamError {
        let message = message.into();
        StreamError {
            text: Text::plain(message.as_str()),
            message,
        }
    }
}

/// One client connection: one process's stream and its connection state.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The connection id.
    pub conn: ConnId,
    /// What the stream said so far. Shared with the snapshots that show
    /// it; the store copies it on its next change while one does.
    pub trace: Arc<ProcessTrace>,
    /// Connected or closed.
    pub state: ConnState,
    /// Why the connection ended badly (protocol error, read error, monitor
    /// stopped), if it did: English, as data (see [`StreamError`]).
    pub error: Option<String>,
    /// The same for people, when the monitor worded it (else
    /// [`Entry::error_text`] shows `error` as written).
    error_text: Option<Text>,
    /// Records received and kept.
    pub records: u64,
    /// Bytes received on the connection.
    pub bytes: u64,
    /// Records received but not kept (store full, or the monitor's queue
    /// was full for too long).
    pub dropped: u64,
    /// The client's pid as the OS reported it at connect time.
    pub peer_pid: Option<u32>,
    /// When the connection was accepted (or the stream loaded).
    pub opened_at: SystemTime,
    /// When it closed.
    pub closed_at: Option<SystemTime>,
    /// The store generation of this entry's last change.
    pub changed: u64,
    approx_bytes: usize,
    /// Heap bytes of the strings of the trace's sessions, providers and
    /// anomalies (kept up to date as they are appended).
    owned_bytes: usize,
    /// Heap bytes of the trace's `hello` and policy (recounted when a
    /// batch brings a declaration).
    header_bytes: usize,
    closed_seq: u64,
    /// Added from a file whose end is not the process's end (a trace or
    /// spool file, a recorded stream the monitor stopped).
    cut: bool,
    /// When its last records were applied: at the close, the trace is
    /// known to last that much longer (a call that never returned lasts
    /// until the connection closed, e.g. the client was killed).
    last_append_at: Option<SystemTime>,
}

impl Entry {
    fn new(conn: ConnId, peer_pid: Option<u32>, at: SystemTime) -> Entry {
        Entry {
            conn,
            trace: Arc::new(ProcessTrace::new()),
            state: ConnState::Connected,
            error: None,
            error_text: None,
            records: 0,
            bytes: 0,
            dropped: 0,
            peer_pid,
            opened_at: at,
            closed_at: None,
            changed: 0,
            approx_bytes: footprint::ENTRY_BYTES,
            owned_bytes: 0,
            header_bytes: 0,
            closed_seq: 0,
            cut: false,
            last_append_at: None,
        }
    }

    /// The process id: what the OS reported for the connection
    /// (`SO_PEERCRED`, `GetNamedPipeClientProcessId`), else what the
    /// stream's `hello` claims (a stream read from a file has only that).
    /// A client cannot pose as another process by writing another pid.
    pub fn pid(&self) -> Option<u32> {
        self.peer_pid.or_else(|| self.claimed_pid())
    }

    /// The pid the stream's `hello` claims, once it arrived.
    pub fn claimed_pid(&self) -> Option<u32> {
        self.trace.hello.as_ref().map(|h| h.pid)
    }

    /// When the `hello` claims another pid than the OS reported: the
    /// claimed one (the OS's is [`pid`](Self::pid)). Shown beside the
    /// process everywhere it is named.
    pub fn pid_mismatch(&self) -> Option<u32> {
        match (self.peer_pid, self.claimed_pid()) {
            (Some(os), Some(claimed)) if os != claimed => Some(claimed),
            _ => None,
        }
    }

    /// The client's executable name, once its `hello` arrived.
    pub fn exe(&self) -> Option<&str> {
        self.trace.hello.as_ref().map(|h| h.exe.as_str())
    }

    /// `OUTLOOK.EXE (pid 42)`, `pid 42`, or `connection 3`; with
    /// `; its trace claims pid 7` inside the brackets when the `hello`
    /// claims another pid than the OS reported.
    pub fn label(&self) -> String {
        let claim = self
            .pid_mismatch()
            .map_or_else(String::new, |c| format!("; its trace claims pid {c}"));
        match (self.exe(), self.pid()) {
            (Some(exe), Some(pid)) => format!("{exe} (pid {pid}{claim})"),
            (None, Some(pid)) => format!("pid {pid}{claim}"),
            _ => format!("connection {}", self.conn),
        }
    }

    /// The stream's state for [`analyze`].
    ///
    /// A connection the client closed is the process's end
    /// ([`StreamState::Closed`]); one the monitor closed as it stopped
    /// ([`STOPPED_WHILE_CONNECTED`](crate::monitor::STOPPED_WHILE_CONNECTED)),
    /// or a stream added from a file that does not show the process's end,
    /// is [`StreamState::Cut`].
    pub fn stream_state(&self) -> StreamState {
        match self.state {
            ConnState::Connected => StreamState::Open,
            ConnState::Closed
                if self.cut
                    || self.error.as_deref() == Some(crate::monitor::STOPPED_WHILE_CONNECTED) =>
            {
                StreamState::Cut
            }
            ConnState::Closed => StreamState::Closed,
        }
    }

    /// Analyse this entry's trace.
    pub fn analyze(&self, options: &AnalysisOptions) -> Verdict {
        analyze(&self.trace, self.stream_state(), options)
    }

    /// Memory the store holds for this entry, bytes, as last counted:
    /// [`footprint::ENTRY_BYTES`], the trace's vectors and call index by
    /// capacity, the strings of its declarations and anomalies, and the
    /// error message (the figure [`footprint::trace_heap_bytes`] gives by
    /// walking the trace, plus the fixed and error parts).
    pub fn approx_bytes(&self) -> usize {
        self.approx_bytes
    }

    /// Why the connection ended badly, for people (in the language the
    /// caller renders it in); a reason read from a file, as written.
    pub fn error_text(&self) -> Option<Text> {
        self.error_text
            .clone()
            .or_else(|| self.error.as_deref().map(Text::plain))
    }

    /// [`Entry::error`] with its [`Entry::error_text`].
    pub fn stream_error(&self) -> Option<StreamError> {
        let message = self.error.clone()?;
        let text = self.error_text()?;
        Some(StreamError { message, text })
    }

    /// What [`approx_bytes`](Self::approx_bytes) should be now, in
    /// constant time. The worded error counts as its English words once
    /// more (its arguments hold the same names and numbers).
    fn footprint(&self) -> usize {
        footprint::ENTRY_BYTES
            + footprint::trace_container_bytes(&self.trace)
            + self.owned_bytes
            + self.header_bytes
            + self.error_bytes()
    }

    /// Heap bytes of the error: its English words, and once more when it
    /// is worded for people too.
    fn error_bytes(&self) -> usize {
        let words = self.error.as_ref().map_or(0, footprint::string_bytes);
        if self.error_text.is_some() {
            2 * words
        } else {
            words
        }
    }
}

/// The entries of one process, in connection order.
#[derive(Clone, Debug)]
pub struct ProcessGroup<'a> {
    /// The pid (`None` for connections that said nothing yet and whose
    /// pid the OS did not tell).
    pub pid: Option<u32>,
    /// Its entries.
    pub entries: Vec<&'a Entry>,
}

/// Totals of a store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StoreStats {
    /// Entries held.
    pub entries: usize,
    /// Of which connected.
    pub connected: usize,
    /// Records held.
    pub records: usize,
    /// Bytes held, as the byte cap counts them ([`Entry::approx_bytes`]
    /// summed).
    pub approx_bytes: usize,
    /// Completed entries evicted to make room.
    pub evicted_entries: u64,
    /// Records in them.
    pub evicted_records: u64,
    /// Records received but not kept, over all entries (evicted ones
    /// included).
    pub dropped: u64,
}

/// What a line of the monitor's log is about, for a reader that says
/// some of them its own way (`watch` says once that it listens and
/// records; it must not repeat the monitor's lines for those).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    /// The monitor listens on its endpoint (logged as it starts).
    Listening,
    /// The monitor records to a file (as it starts, or when asked).
    Recording,
    /// Anything else.
    Event,
}

/// One line of the monitor's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// Sequence number, from 1, for "what is new since".
    pub seq: u64,
    /// When.
    pub at: SystemTime,
    /// The connection concerned, if any.
    pub conn: Option<ConnId>,
    /// What it is about.
    pub kind: LogKind,
    /// What happened, in English (as JSON and logs say it).
    pub message: String,
    /// What happened, to render in the reader's language.
    pub text: Text,
}

/// The store (see the module docs). Readers normally hold it through a
/// [`SharedStore`].
#[derive(Debug)]
pub struct Store {
    options: StoreOptions,
    entries: Vec<Entry>,
    generation: u64,
    next_conn: ConnId,
    records: usize,
    bytes: usize,
    evicted_entries: u64,
    evicted_records: u64,
    evicted_dropped: u64,
    closed_seq: u64,
    /// Closed entries in the order they closed, `(closed_seq, conn)`; an
    /// item whose entry is gone or closed again later is skipped.
    closed_order: VecDeque<(u64, ConnId)>,
    /// Closed entries held.
    closed: usize,
    /// Whether the closed-entries cap was logged.
    closed_cap_logged: bool,
    log: VecDeque<LogLine>,
    log_seq: u64,
}

impl Store {
    /// An empty store.
    pub fn new(options: StoreOptions) -> Store {
        Store {
            options,
            entries: Vec::new(),
            generation: 0,
            next_conn: 1,
            records: 0,
            bytes: 0,
            evicted_entries: 0,
            evicted_records: 0,
            evicted_dropped: 0,
            closed_seq: 0,
            closed_order: VecDeque::new(),
            closed: 0,
            closed_cap_logged: false,
            log: VecDeque::new(),
            log_seq: 0,
        }
    }

    /// The options it was made with.
    pub fn options(&self) -> &StoreOptions {
        &self.options
    }

    /// Incremented on every change: a reader that saw generation `g` has
    /// nothing new to read while it is still `g`.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Every entry, in connection order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry of connection `conn`.
    pub fn entry(&self, conn: ConnId) -> Option<&Entry> {
        self.index(conn).map(|i| &self.entries[i])
    }

    fn index(&self, conn: ConnId) -> Option<usize> {
        self.entries.binary_search_by_key(&conn, |e| e.conn).ok()
    }

    /// Entries grouped by process, in order of each process's first entry.
    pub fn processes(&self) -> Vec<ProcessGroup<'_>> {
        let mut groups: Vec<ProcessGroup<'_>> = Vec::new();
        for e in &self.entries {
            let pid = e.pid();
            match groups.iter_mut().find(|g| g.pid == pid) {
                Some(g) => g.entries.push(e),
                None => groups.push(ProcessGroup {
                    pid,
                    entries: vec![e],
                }),
            }
        }
        groups
    }

    /// Totals.
    pub fn stats(&self) -> StoreStats {
        StoreStats {
            entries: self.entries.len(),
            connected: self
                .entries
                .iter()
                .filter(|e| e.state == ConnState::Connected)
                .count(),
            records: self.records,
            approx_bytes: self.bytes,
            evicted_entries: self.evicted_entries,
            evicted_records: self.evicted_records,
            dropped: self.evicted_dropped + self.entries.iter().map(|e| e.dropped).sum::<u64>(),
        }
    }

    /// The log lines kept, oldest first.
    pub fn log(&self) -> impl Iterator<Item = &LogLine> {
        self.log.iter()
    }

    /// Log lines with a sequence number above `seq`.
    pub fn log_since(&self, seq: u64) -> impl Iterator<Item = &LogLine> {
        self.log.iter().filter(move |l| l.seq > seq)
    }

    /// Add a line to the log: a message of the catalogues (see
    /// [`LogLine::text`]), or words that are the same in every language
    /// ([`Text::plain`]: a reason from the OS or a reader thread).
    pub fn push_log(&mut self, conn: Option<ConnId>, kind: LogKind, text: Text) {
        self.log_seq += 1;
        self.log.push_back(LogLine {
            seq: self.log_seq,
            at: SystemTime::now(),
            conn,
            kind,
            message: text.render(crate::i18n::Lang::En),
            text,
        });
        while self.log.len() > self.options.max_log_lines {
            self.log.pop_front();
        }
        self.generation += 1;
    }

    /// Reserve a connection id.
    pub fn allocate_conn(&mut self) -> ConnId {
        let id = self.next_conn;
        self.next_conn += 1;
        id
    }

    /// Add a complete stream read from a file (a recording, a spool file):
    /// a closed entry with `error` (why reading stopped early, if it did);
    /// `state` says whether the file shows the process's end
    /// ([`StreamState::Closed`]) or not ([`StreamState::Cut`], also for
    /// [`StreamState::Open`]: nothing more will come from a file).
    /// Subject to the caps like received records. Returns its id.
    pub fn add_stream(
        &mut self,
        records: Vec<Record>,
        error: Option<String>,
        state: StreamState,
    ) -> ConnId {
        let conn = self.allocate_conn();
        self.open(conn, None, SystemTime::now());
        let mut batch = TraceBatch::with_capacity(records.len());
        for r in records {
            let len = encode(&r).len();
            batch.push(CompactRecord::from(r), len);
        }
        self.append(conn, &mut batch, 0, 0);
        // A file's stream ends where its records end: the time between
        // reading it and closing its entry says nothing of the process
        // (for a live connection it does; see `close`).
        if let Some(i) = self.index(conn) {
            self.entries[i].last_append_at = None;
        }
        self.close(conn, error, SystemTime::now());
        if state != StreamState::Closed
            && let Some(i) = self.index(conn)
        {
            self.entries[i].cut = true;
        }
        conn
    }

    /// Remove an entry (connected or not). Returns whether it existed.
    pub fn remove(&mut self, conn: ConnId) -> bool {
        match self.index(conn) {
            Some(i) => {
                let e = self.entries.remove(i);
                self.forget(&e);
                self.generation += 1;
                true
            }
            None => false,
        }
    }

    /// Remove every closed entry. Returns how many.
    pub fn clear_closed(&mut self) -> usize {
        let closed: Vec<ConnId> = self
            .entries
            .iter()
            .filter(|e| e.state == ConnState::Closed)
            .map(|e| e.conn)
            .collect();
        for conn in &closed {
            self.remove(*conn);
        }
        closed.len()
    }

    /// Take a removed entry out of the totals.
    fn forget(&mut self, e: &Entry) {
        self.records -= e.records as usize;
        self.bytes -= e.approx_bytes;
        if e.state == ConnState::Closed {
            self.closed -= 1;
        }
        // Stale items of `closed_order` are skipped when met; drop them
        // when they outnumber the live ones.
        if self.closed_order.len() > 2 * self.closed + 64 {
            let entries = &self.entries;
            self.closed_order.retain(|(seq, conn)| {
                entries
                    .binary_search_by_key(conn, |e| e.conn)
                    .is_ok_and(|i| entries[i].closed_seq == *seq)
            });
        }
    }

    /// Evict the entries closed first while more than
    /// [`StoreOptions::max_closed_entries`] are held.
    fn cap_closed(&mut self) {
        while self.closed > self.options.max_closed_entries {
            let Some((seq, conn)) = self.closed_order.pop_front() else {
                return;
            };
            let Some(i) = self.index(conn) else {
                continue;
            };
            if self.entries[i].closed_seq != seq || self.entries[i].state != ConnState::Closed {
                continue;
            }
            let e = self.evict(i);
            if !self.closed_cap_logged {
                self.closed_cap_logged = true;
                let label = e.label();
                self.push_log(
                    None,
                    LogKind::Event,
                    Text::new("monitor-log-closed-cap")
                        .num("max", self.options.max_closed_entries as u64)
                        .str("label", label),
                );
            }
        }
    }

    /// A connection was accepted.
    pub(crate) fn open(&mut self, conn: ConnId, peer_pid: Option<u32>, at: SystemTime) {
        self.generation += 1;
        let mut entry = Entry::new(conn, peer_pid, at);
        entry.changed = self.generation;
        self.bytes += entry.approx_bytes;
        match self.entries.binary_search_by_key(&conn, |e| e.conn) {
            Ok(i) => {
                let old = std::mem::replace(&mut self.entries[i], entry);
                self.forget(&old);
            }
            Err(i) => self.entries.insert(i, entry),
        }
        self.make_room(conn, 0, 0);
    }

    /// Count entry `i`'s memory again ([`Entry::approx_bytes`]) after a
    /// change, and the store's total with it.
    fn recount(&mut self, i: usize) {
        let entry = &mut self.entries[i];
        let now = entry.footprint();
        self.bytes = self.bytes - entry.approx_bytes + now;
        entry.approx_bytes = now;
    }

    /// Records arrived on `conn`, assembled by its reader ([`TraceBatch`]);
    /// `bytes` read from the connection; `dropped` records the monitor
    /// could not queue. When the store is full even after evicting the
    /// oldest completed entries, the rest of the batch (in stream order)
    /// is refused and counted as dropped. Leaves `batch` empty.
    pub(crate) fn append(
        &mut self,
        conn: ConnId,
        batch: &mut TraceBatch,
        bytes: u64,
        dropped: u64,
    ) {
        let need_records = batch.records();
        let need_bytes = batch.retained_estimate();
        self.make_room(conn, need_records, need_bytes);
        let Some(i) = self.index(conn) else {
            batch.clear();
            return;
        };
        self.generation += 1;
        let generation = self.generation;
        let refused = batch.truncate_to(
            self.options.max_records.saturating_sub(self.records),
            self.options.max_bytes.saturating_sub(self.bytes),
        ) as u64;
        let kept = batch.records();
        let declarations = batch.has_declarations();
        let entry = &mut self.entries[i];
        let had_hello = entry.trace.hello.is_some();
        entry.bytes += bytes;
        entry.dropped += dropped;
        entry.changed = generation;
        let (sessions, providers, anomalies) = (
            entry.trace.sessions.len(),
            entry.trace.providers.len(),
            entry.trace.anomalies.len(),
        );
        let trace = Arc::make_mut(&mut entry.trace);
        trace.append_batch(batch);
        entry.owned_bytes += trace.sessions[sessions..]
            .iter()
            .map(footprint::session_bytes)
            .chain(
                trace.providers[providers..]
                    .iter()
                    .map(footprint::provider_bytes),
            )
            .chain(
                trace.anomalies[anomalies..]
                    .iter()
                    .map(footprint::string_bytes),
            )
            .sum::<usize>();
        if declarations {
            entry.header_bytes = footprint::header_bytes(trace);
        }
        let mismatch = (!had_hello)
            .then(|| entry.pid_mismatch().zip(entry.peer_pid))
            .flatten();
        entry.last_append_at = Some(SystemTime::now());
        entry.records += kept as u64;
        self.records += kept;
        if refused > 0 {
            let first = entry.dropped == 0;
            entry.dropped += refused;
            let label = entry.label();
            self.recount(i);
            if first {
                self.push_log(
                    Some(conn),
                    LogKind::Event,
                    Text::new("monitor-log-store-full-refused")
                        .num("records", self.options.max_records as u64)
                        .num("bytes", self.options.max_bytes as u64)
                        .str("label", label),
                );
            }
        } else {
            self.recount(i);
        }
        if let Some((claimed, os)) = mismatch {
            self.push_log(
                Some(conn),
                LogKind::Event,
                Text::new("monitor-log-pid-claim")
                    .str("conn", conn)
                    .str("claimed", claimed)
                    .str("os", os),
            );
        }
        // The estimate does not see a vector doubling or new anomalies:
        // what the trace really took may need more room.
        self.make_room(conn, 0, 0);
    }

    /// Remove entry `i` to make room, counting it as evicted (its records
    /// and drops go to the store's totals). Returns it, for the log.
    fn evict(&mut self, i: usize) -> Entry {
        let e = self.entries.remove(i);
        self.forget(&e);
        self.evicted_entries += 1;
        self.evicted_records += e.records;
        self.evicted_dropped += e.dropped;
        self.generation += 1;
        e
    }

    /// Evict the oldest closed entries (other than `conn`) until the new
    /// records fit, or none is left.
    fn make_room(&mut self, conn: ConnId, records: usize, bytes: usize) {
        while self.records + records > self.options.max_records
            || self.bytes + bytes > self.options.max_bytes
        {
            let oldest = self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.state == ConnState::Closed && e.conn != conn)
                .min_by_key(|(_, e)| e.closed_seq)
                .map(|(i, _)| i);
            let Some(i) = oldest else {
                return;
            };
            let e = self.evict(i);
            let label = e.label();
            self.push_log(
                None,
                LogKind::Event,
                Text::new("monitor-log-store-full-evicted")
                    .str("label", label)
                    .num("records", e.records),
            );
        }
    }

    /// The connection ended; `error` says why when it ended badly (words
    /// that exist only as written, shown as they are).
    pub(crate) fn close(&mut self, conn: ConnId, error: Option<String>, at: SystemTime) {
        self.close_inner(conn, error.map(|e| (e, None)), at);
    }

    /// The connection ended; `error` says why when it ended badly, in
    /// English and for people.
    pub(crate) fn close_with(&mut self, conn: ConnId, error: Option<StreamError>, at: SystemTime) {
        self.close_inner(conn, error.map(|e| (e.message, Some(e.text))), at);
    }

    fn close_inner(&mut self, conn: ConnId, error: Option<(String, Option<Text>)>, at: SystemTime) {
        let Some(i) = self.index(conn) else {
            return;
        };
        self.generation += 1;
        self.closed_seq += 1;
        let entry = &mut self.entries[i];
        // The last thing known of the process: its connection closing, as
        // long after its last records as the monitor saw (the trace's
        // clock is the client's; this is a lower bound).
        // Only for calls that never returned and without a `client_exit`
        // (its exit is then the last thing known).
        if entry.state == ConnState::Connected
            && entry.trace.exit.is_none()
            && entry.trace.calls.iter().any(|c| !c.returned())
            && let Some(last) = entry.last_append_at
            && let Ok(after) = at.duration_since(last)
        {
            let after = u64::try_from(after.as_nanos()).unwrap_or(u64::MAX);
            let trace = Arc::make_mut(&mut entry.trace);
            let last_ns = trace.last_ns;
            trace.seen_until(last_ns.saturating_add(after));
        }
        if entry.state != ConnState::Closed {
            self.closed += 1;
        }
        entry.state = ConnState::Closed;
        entry.closed_at = Some(at);
        entry.closed_seq = self.closed_seq;
        entry.changed = self.generation;
        if entry.error.is_none()
            && let Some((message, text)) = error
        {
            entry.error = Some(message);
            entry.error_text = text;
        }
        self.recount(i);
        self.closed_order.push_back((self.closed_seq, conn));
        self.cap_closed();
    }

    /// Add to `conn`'s count of records not kept.
    pub(crate) fn count_dropped(&mut self, conn: ConnId, dropped: u64) {
        if dropped == 0 {
            return;
        }
        if let Some(i) = self.index(conn) {
            self.generation += 1;
            self.entries[i].dropped += dropped;
            self.entries[i].changed = self.generation;
        }
    }
}

/// How often, at most, the monitor's store thread publishes a snapshot
/// while clients keep it busy (it publishes at once whenever its queue is
/// empty): 30 ms, about one frame of a window redrawn 30 times a second.
/// Each publication copies and analyses the traces that changed since the
/// last one, so this bounds that work under load.
pub const PUBLISH_INTERVAL: Duration = Duration::from_millis(30);

/// One entry as it was when a snapshot was published, with its verdict:
/// immutable, shared by `Arc`, read without any lock.
#[derive(Clone, Debug)]
pub struct SessionSnapshot {
    /// The entry (its trace is shared with the store until the store's
    /// next change to it).
    pub entry: Entry,
    /// [`analyze`] of it with the store's [`StoreOptions::analysis`].
    pub verdict: Verdict,
}

/// The whole store as it was at one generation: what readers draw from.
#[derive(Clone, Debug, Default)]
pub struct StoreSnapshot {
    /// The store's generation it shows.
    pub generation: u64,
    /// One per entry, in connection order.
    pub sessions: Vec<Arc<SessionSnapshot>>,
    /// The totals.
    pub stats: StoreStats,
}

impl StoreSnapshot {
    /// The session of connection `conn`, if held.
    pub fn session(&self, conn: ConnId) -> Option<&Arc<SessionSnapshot>> {
        self.sessions
            .binary_search_by_key(&conn, |s| s.entry.conn)
            .ok()
            .map(|i| &self.sessions[i])
    }

    /// The entries, in connection order (for code that takes entries).
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.sessions.iter().map(|s| &s.entry)
    }
}

/// Where a reader that follows the published snapshots round by round
/// (`watch`) is: the sessions it saw (by `Arc`, so an unchanged one is
/// skipped at the cost of a pointer comparison) and those it saw closed
/// (never returned again).
#[derive(Debug, Default)]
pub struct SnapshotCursor {
    completed: HashSet<ConnId>,
    seen: HashMap<ConnId, Arc<SessionSnapshot>>,
}

impl SnapshotCursor {
    /// A cursor that has seen nothing.
    pub fn new() -> SnapshotCursor {
        SnapshotCursor::default()
    }

    /// The sessions of `snapshot` that are new or changed since the last
    /// round and were not returned closed before, in connection order. A
    /// closed session is returned once, in the round it is first seen
    /// closed. Costs one lookup per session held; no analysis (the
    /// verdicts come with the snapshot).
    pub fn round<'a>(&mut self, snapshot: &'a StoreSnapshot) -> Vec<&'a Arc<SessionSnapshot>> {
        let mut out = Vec::new();
        for session in &snapshot.sessions {
            let conn = session.entry.conn;
            if self.completed.contains(&conn)
                || self
                    .seen
                    .get(&conn)
                    .is_some_and(|before| Arc::ptr_eq(before, session))
            {
                continue;
            }
            if session.entry.state == ConnState::Closed {
                self.completed.insert(conn);
                self.seen.remove(&conn);
            } else {
                self.seen.insert(conn, Arc::clone(session));
            }
            out.push(session);
        }
        out
    }

    /// Sessions returned closed so far.
    pub fn completed(&self) -> usize {
        self.completed.len()
    }

    /// Whether `conn` was returned closed.
    pub fn is_completed(&self, conn: ConnId) -> bool {
        self.completed.contains(&conn)
    }

    /// Count `conn` as completed without returning it (a session printed
    /// some other way).
    pub fn complete(&mut self, conn: ConnId) {
        self.seen.remove(&conn);
        self.completed.insert(conn);
    }
}

/// A store shared between the monitor's threads and its readers, with a
/// generation counter readable without locking and the last published
/// [`StoreSnapshot`].
#[derive(Debug)]
pub struct SharedStore {
    store: Mutex<Store>,
    generation: AtomicU64,
    published: Mutex<Arc<StoreSnapshot>>,
}

impl SharedStore {
    /// A shared empty store.
    pub fn new(options: StoreOptions) -> SharedStore {
        SharedStore {
            store: Mutex::new(Store::new(options)),
            generation: AtomicU64::new(0),
            published: Mutex::new(Arc::new(StoreSnapshot::default())),
        }
    }

    /// The last published snapshot: a pointer copy, no store lock. It may
    /// lag the store by up to [`PUBLISH_INTERVAL`] while the monitor is
    /// busy; whoever changes the store outside the monitor calls
    /// [`publish`](Self::publish) afterwards.
    pub fn snapshot(&self) -> Arc<StoreSnapshot> {
        Arc::clone(
            &self
                .published
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Publish the store as it is now (when it changed since the last
    /// publication): entries that changed get a new [`SessionSnapshot`]
    /// with their verdict, the others keep theirs. Returns the snapshot.
    /// Costs a copy and an analysis of each changed trace, under the
    /// store's lock; nothing when nothing changed.
    pub fn publish(&self) -> Arc<StoreSnapshot> {
        let store = self.lock();
        let old = self.snapshot();
        if old.generation == store.generation() && old.sessions.len() == store.entries.len() {
            return old;
        }
        let options = store.options.analysis;
        let sessions = store
            .entries
            .iter()
            .map(|e| match old.session(e.conn) {
                Some(s) if s.entry.changed == e.changed => Arc::clone(s),
                _ => Arc::new(SessionSnapshot {
                    entry: e.clone(),
                    verdict: e.analyze(&options),
                }),
            })
            .collect();
        let snapshot = Arc::new(StoreSnapshot {
            generation: store.generation(),
            sessions,
            stats: store.stats(),
        });
        *self
            .published
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::clone(&snapshot);
        drop(store);
        snapshot
    }

    /// The store's generation as of the last unlock; no lock taken. When it
    /// has not moved since the last read, there is nothing new.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Lock the store to read (or change) it. Keep the guard briefly: the
    /// monitor waits for it to add what arrives.
    pub fn lock(&self) -> StoreGuard<'_> {
        let guard = match self.store.lock() {
            Ok(g) => g,
            // A panicking reader leaves the store consistent enough to read.
            Err(poisoned) => poisoned.into_inner(),
        };
        StoreGuard {
            guard,
            generation: &self.generation,
        }
    }
}

/// A locked [`Store`]; publishes the generation when dropped.
pub struct StoreGuard<'a> {
    guard: MutexGuard<'a, Store>,
    generation: &'a AtomicU64,
}

impl Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.guard
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.guard
    }
}

impl Drop for StoreGuard<'_> {
    fn drop(&mut self) {
        self.generation
            .store(self.guard.generation, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::analysis::Outcome;
    use crate::trace::test_records::hello;
    use crate::trace::{CallEnter, CallExit, ClientExit, Dropped};

    fn rec(n: u64) -> (CompactRecord, usize) {
        (
            CompactRecord::from(Record::Dropped(Dropped { t_ns: n, count: 0 })),
            4,
        )
    }

    fn batch(records: impl IntoIterator<Item = (CompactRecord, usize)>) -> TraceBatch {
        let mut b = TraceBatch::default();
        for (r, len) in records {
            b.push(r, len);
        }
        b
    }

    fn stream(store: &mut Store, pid: u32, n: u64, close: bool) -> ConnId {
        let c = store.allocate_conn();
        store.open(c, Some(pid), SystemTime::now());
        let mut recs = vec![(CompactRecord::from(hello(pid)), 4)];
        recs.extend((0..n).map(rec));
        store.append(c, &mut batch(recs), 100, 0);
        if close {
            store.close(c, None, SystemTime::now());
        }
        c
    }

    #[test]
    fn a_snapshot_is_immutable_and_shares_what_did_not_change() {
        let shared = SharedStore::new(StoreOptions::default());
        let (a, b) = {
            let mut s = shared.lock();
            (stream(&mut s, 10, 2, true), stream(&mut s, 20, 1, false))
        };
        // Nothing is visible before a publication.
        assert!(shared.snapshot().sessions.is_empty());
        let first = shared.publish();
        assert_eq!(first.sessions.len(), 2);
        assert_eq!(first.stats.entries, 2);
        assert_eq!(first.generation, shared.generation());
        assert!(Arc::ptr_eq(&first, &shared.snapshot()));
        // The verdicts come with it: a closed stream without client_exit
        // has no shutdown calls, an open one is still in progress.
        let sb = first.session(b).unwrap();
        assert_eq!(sb.verdict.outcome, Outcome::InProgress);
        assert_eq!(sb.entry.records, 2);
        // Publishing again with no change is the same snapshot.
        assert!(Arc::ptr_eq(&first, &shared.publish()));
        // b grows: the snapshot taken before does not.
        shared.lock().append(b, &mut batch([rec(7), rec(8)]), 8, 0);
        assert_eq!(first.session(b).unwrap().entry.records, 2);
        assert_eq!(first.session(b).unwrap().entry.trace.dropped, 0);
        let second = shared.publish();
        assert_eq!(second.session(b).unwrap().entry.records, 4);
        // a did not change: the same Arc, not a copy; b is a new one.
        assert!(Arc::ptr_eq(
            first.session(a).unwrap(),
            second.session(a).unwrap()
        ));
        assert!(!Arc::ptr_eq(
            first.session(b).unwrap(),
            second.session(b).unwrap()
        ));
        // Removal shows in the next snapshot only.
        assert!(shared.lock().remove(a));
        assert!(second.session(a).is_some());
        let third = shared.publish();
        assert!(third.session(a).is_none());
        assert_eq!(third.entries().map(|e| e.conn).collect::<Vec<_>>(), [b]);
    }

    /// A cursor returns what is new or changed, a closed session once,
    /// and nothing for a round with no change.
    #[test]
    fn a_cursor_returns_each_change_once_and_a_closed_session_once() {
        let shared = SharedStore::new(StoreOptions::default());
        let (a, b) = {
            let mut s = shared.lock();
            (stream(&mut s, 10, 2, true), stream(&mut s, 20, 1, false))
        };
        let mut cursor = SnapshotCursor::new();
        let conns =
            |v: Vec<&Arc<SessionSnapshot>>| v.iter().map(|s| s.entry.conn).collect::<Vec<_>>();
        let first = shared.publish();
        assert_eq!(conns(cursor.round(&first)), [a, b]);
        assert!(cursor.round(&first).is_empty());
        assert!(cursor.is_completed(a) && !cursor.is_completed(b));
        shared.lock().append(b, &mut batch([rec(7)]), 8, 0);
        let second = shared.publish();
        assert_eq!(conns(cursor.round(&second)), [b]);
        shared.lock().close(b, None, SystemTime::now());
        let third = shared.publish();
        assert_eq!(conns(cursor.round(&third)), [b]);
        assert!(cursor.round(&third).is_empty());
        assert_eq!(cursor.completed(), 2);
    }

    #[test]
    fn a_snapshot_is_read_while_the_store_is_locked() {
        // Readers (the window) never wait for the monitor's store lock.
        let shared = Arc::new(SharedStore::new(StoreOptions::default()));
        {
            let mut s = shared.lock();
            stream(&mut s, 10, 1, true);
        }
        shared.publish();
        let held = shared.lock();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = Arc::clone(&shared);
        std::thread::spawn(move || {
            let _ = tx.send(reader.snapshot().sessions.len());
        });
        let got = rx.recv_timeout(Duration::from_secs(10));
        drop(held);
        assert_eq!(got, Ok(1));
    }

    #[test]
    fn a_snapshot_verdict_uses_the_store_analysis_options() {
        use crate::trace::{Caller, Interface, Method};
        let enter = |call, t_ns| {
            Record::Enter(CallEnter {
                call,
                t_ns,
                parent: None,
                caller: Caller::Subsystem,
                interface: Interface::ProviderShutdown,
                method: Method::QueryFastShutdown,
                session: None,
                provider: Some(1),
            })
        };
        let options = |slow_provider_ns| StoreOptions {
            analysis: AnalysisOptions { slow_provider_ns },
            ..StoreOptions::default()
        };
        let mut kinds = Vec::new();
        for slow in [1_000, 10_000_000_000] {
            let shared = SharedStore::new(options(slow));
            {
                let mut s = shared.lock();
                let c = s.allocate_conn();
                s.open(c, Some(1), SystemTime::now());
                let recs = [
                    CompactRecord::from(hello(1)),
                    CompactRecord::from(enter(1, 0)),
                    CompactRecord::from(Record::Exit(CallExit {
                        call: 1,
                        t_ns: 5_000_000,
                        hresult: crate::hresult::HRESULT::S_OK,
                    })),
                ];
                s.append(c, &mut batch(recs.into_iter().map(|r| (r, 4))), 12, 0);
            }
            let snap = shared.publish();
            kinds.push(
                snap.sessions[0]
                    .verdict
                    .findings
                    .iter()
                    .any(|f| f.kind == crate::monitor::analysis::FindingKind::SlowProvider),
            );
        }
        assert_eq!(kinds, [true, false]);
    }

    #[test]
    fn the_pid_is_the_one_the_os_reported_and_a_different_claim_is_flagged() {
        let mut s = Store::new(StoreOptions::default());
        let honest = stream(&mut s, 42, 1, false);
        let e = s.entry(honest).unwrap();
        assert_eq!(
            (e.pid(), e.claimed_pid(), e.pid_mismatch()),
            (Some(42), Some(42), None)
        );
        assert_eq!(e.label(), "OUTLOOK.EXE (pid 42)");

        // The OS says 100; the hello claims 7.
        let c = s.allocate_conn();
        s.open(c, Some(100), SystemTime::now());
        s.append(c, &mut batch([(CompactRecord::from(hello(7)), 4)]), 4, 0);
        let e = s.entry(c).unwrap();
        assert_eq!(e.pid(), Some(100));
        assert_eq!(e.claimed_pid(), Some(7));
        assert_eq!(e.pid_mismatch(), Some(7));
        assert_eq!(e.label(), "OUTLOOK.EXE (pid 100; its trace claims pid 7)");
        let logged: Vec<_> = s.log().map(|l| l.message.clone()).collect();
        assert!(
            logged
                .iter()
                .any(|m| m.contains("claims pid 7, the OS reports pid 100")),
            "{logged:?}"
        );
        // Grouped under the OS's pid.
        assert!(s.processes().iter().any(|g| g.pid == Some(100)));

        // A stream read from a file has only the claim.
        let f = s.add_stream(vec![hello(9)], None, StreamState::Closed);
        let e = s.entry(f).unwrap();
        assert_eq!((e.pid(), e.pid_mismatch()), (Some(9), None));
    }

    #[test]
    fn groups_by_pid_and_counts() {
        let mut s = Store::new(StoreOptions::default());
        let g0 = s.generation();
        let a = stream(&mut s, 10, 3, true);
        let b = stream(&mut s, 20, 1, false);
        let c = stream(&mut s, 10, 2, false);
        assert!(s.generation() > g0);
        let groups = s.processes();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].pid, Some(10));
        assert_eq!(
            groups[0].entries.iter().map(|e| e.conn).collect::<Vec<_>>(),
            vec![a, c]
        );
        assert_eq!(groups[1].entries[0].conn, b);
        let st = s.stats();
        assert_eq!((st.entries, st.connected, st.records), (3, 2, 4 + 2 + 3));
        assert_eq!(s.entry(a).unwrap().bytes, 100);
        assert_eq!(s.entry(a).unwrap().label(), "OUTLOOK.EXE (pid 10)");
    }

    #[test]
    fn closed_without_client_exit_is_kept_and_incomplete() {
        let mut s = Store::new(StoreOptions::default());
        let c = stream(&mut s, 10, 0, true);
        let e = s.entry(c).unwrap();
        assert_eq!(e.state, ConnState::Closed);
        let v = e.analyze(&AnalysisOptions::default());
        assert_ne!(v.outcome, Outcome::InProgress);
        let c2 = stream(&mut s, 11, 0, false);
        s.append(
            c2,
            &mut batch([(
                CompactRecord::from(Record::ClientExit(ClientExit { t_ns: 1, code: 0 })),
                10,
            )]),
            0,
            0,
        );
        assert!(s.entry(c2).unwrap().trace.exit.is_some());
    }

    #[test]
    fn full_store_evicts_oldest_completed_first_and_counts() {
        let mut s = Store::new(StoreOptions {
            max_records: 10,
            ..StoreOptions::default()
        });
        let old = stream(&mut s, 1, 3, true); // 4 records
        let live = stream(&mut s, 2, 1, false); // 2 records
        let newer = stream(&mut s, 3, 1, true); // 2 records, closed after `old`
        let big = stream(&mut s, 4, 3, false); // 4 records: evicts `old`
        assert!(s.entry(old).is_none());
        assert!(s.entry(live).is_some() && s.entry(newer).is_some());
        assert_eq!(s.entry(big).unwrap().records, 4);
        let st = s.stats();
        assert_eq!((st.evicted_entries, st.evicted_records), (1, 4));
        assert_eq!(st.records, 8);
        // Nothing completed left but `newer`; then live records are refused.
        s.append(live, &mut batch((0..5).map(rec)), 0, 0);
        assert!(s.entry(newer).is_none());
        let e = s.entry(live).unwrap();
        assert_eq!(e.records, 2 + 4);
        assert_eq!(e.dropped, 1);
        assert_eq!(s.stats().records, 10);
        assert!(s.log().any(|l| l.message.contains("store full")));
    }

    /// Issue 17, item 7: clients that connect and go away in a loop no
    /// longer grow the store without end: past `max_closed_entries`, the
    /// entry closed first is evicted, connected ones are kept whatever
    /// their age, and the totals follow.
    #[test]
    fn closed_entries_are_capped_oldest_closed_first() {
        let mut s = Store::new(StoreOptions {
            max_closed_entries: 3,
            ..StoreOptions::default()
        });
        let live = stream(&mut s, 1, 2, false);
        let a = stream(&mut s, 2, 1, false);
        let b = stream(&mut s, 3, 1, true);
        let c = stream(&mut s, 4, 1, true);
        // `a` closes after `b` and `c`: it is the newest closed one.
        s.close(a, None, SystemTime::now());
        let d = stream(&mut s, 5, 1, true);
        assert!(s.entry(b).is_none(), "the entry closed first is evicted");
        assert!([live, a, c, d].iter().all(|c| s.entry(*c).is_some()));
        // 1,000 more connect-and-close clients: still 3 closed, and the
        // connected one.
        let last: Vec<ConnId> = (0..1_000)
            .map(|i| stream(&mut s, 100 + i, 0, true))
            .collect();
        let st = s.stats();
        assert_eq!((st.entries, st.connected), (4, 1));
        assert_eq!(st.evicted_entries, 1 + 1_000);
        // `live`: hello + 2; each of the 3 closed ones: its hello.
        assert_eq!(st.records, 3 + 3);
        assert_eq!(
            s.entries().iter().map(|e| e.conn).collect::<Vec<_>>(),
            [live, last[997], last[998], last[999]]
        );
        assert!(
            s.log()
                .any(|l| l.message.contains("3 closed sessions held"))
        );
        // Removing entries by hand keeps the count right: room for 3 again.
        assert_eq!(s.clear_closed(), 3);
        let kept: Vec<ConnId> = (0..3).map(|i| stream(&mut s, 9_000 + i, 0, true)).collect();
        assert!(kept.iter().all(|c| s.entry(*c).is_some()));
        assert_eq!(s.stats().evicted_entries, 1 + 1_000);
    }

    #[test]
    fn byte_cap_evicts_too() {
        // What one stream of a hello and two drop counts holds, closed.
        let per = {
            let mut s = Store::new(StoreOptions::default());
            let c = stream(&mut s, 1, 2, true);
            s.entry(c).unwrap().approx_bytes()
        };
        let mut s = Store::new(StoreOptions {
            max_bytes: per + per / 2,
            ..StoreOptions::default()
        });
        let a = stream(&mut s, 1, 2, true);
        let b = stream(&mut s, 2, 2, true);
        assert!(s.entry(a).is_none());
        assert!(s.entry(b).is_some());
        assert!(s.stats().approx_bytes <= per + per / 2);
    }

    /// A policy record whose invalid data is a `REG_MULTI_SZ` of `n` empty
    /// strings: 3 bytes each in its JSON line (`"",`), a 24-byte `String`
    /// each once decoded.
    fn multi_sz_policy(n: usize) -> Record {
        use crate::trace::model::{FastShutdownBehavior, OfficeVersion, RegistryData, Setting};
        Record::Policy(crate::trace::PolicyRecord {
            t_ns: 1,
            office_version: OfficeVersion::V16,
            source: crate::trace::PolicySource::Default,
            setting: Setting::Invalid {
                raw: RegistryData::MultiString(vec![String::new(); n]),
                reason: "not a REG_DWORD".into(),
            },
            effective: FastShutdownBehavior::OptOut,
        })
    }

    /// Issue 17, item 7: the byte cap is measured in what the store
    /// holds, not in the bytes of the lines received. 100 streams of 30 KB
    /// of lines each decode to 240 KB each; with a 4 MiB cap, counting
    /// the lines kept all 100 (24 MB held); counting what is held keeps
    /// what fits.
    #[test]
    fn byte_cap_counts_decoded_memory_not_line_bytes() {
        let max_bytes = 4 << 20;
        let mut s = Store::new(StoreOptions {
            max_bytes,
            ..StoreOptions::default()
        });
        let policy = multi_sz_policy(10_000);
        let line = encode(&policy).len();
        assert!(line < 31_000, "{line}");
        let mut lines = 0;
        for pid in 0..100 {
            s.add_stream(vec![hello(pid), policy.clone()], None, StreamState::Closed);
            lines += line;
        }
        assert!(lines < max_bytes, "the lines alone fit under the cap");
        let held: usize = s
            .entries()
            .iter()
            .map(|e| footprint::trace_heap_bytes(&e.trace))
            .sum();
        assert!(held >= s.entries().len() * 10_000 * 24);
        assert!(
            held <= max_bytes,
            "{held} bytes held under a {max_bytes}-byte cap"
        );
        assert!(s.stats().approx_bytes <= max_bytes);
        assert!(s.stats().evicted_entries >= 80, "{:?}", s.stats());
    }

    /// The count the store keeps as records arrive is what walking the
    /// trace gives ([`footprint::trace_heap_bytes`]), plus the fixed
    /// cost of an entry and its error message, whatever the stream holds:
    /// dense then sparse call ids (a call index), declarations, a
    /// replaced hello and policy, anomalies, in several batches.
    #[test]
    fn approx_bytes_is_what_walking_the_trace_gives() {
        use crate::trace::{Caller, Interface, Method, ProviderDecl, SessionDecl};
        let enter = |call: u64| {
            CompactRecord::from(Record::Enter(CallEnter {
                t_ns: call,
                call,
                parent: None,
                caller: Caller::Client,
                interface: Interface::ClientShutdown,
                method: Method::QueryFastShutdown,
                session: Some(1),
                provider: None,
            }))
        };
        let exit = |call: u64| {
            CompactRecord::from(Record::Exit(CallExit {
                t_ns: call.saturating_add(1),
                call,
                hresult: crate::hresult::HRESULT::S_OK,
            }))
        };
        let decl = |i: u32| {
            [
                CompactRecord::from(Record::Session(SessionDecl {
                    t_ns: 0,
                    session: i,
                    profile: "Outlook".repeat(i as usize),
                })),
                CompactRecord::from(Record::Provider(ProviderDecl {
                    t_ns: 0,
                    session: Some(i),
                    provider: i,
                    name: "Microsoft Exchange".into(),
                    kind: crate::mapi::ProviderKind::MessageStore,
                    dll: "emsmdb32.dll".repeat(i as usize),
                    implements_shutdown: true,
                })),
            ]
        };
        let mut s = Store::new(StoreOptions::default());
        let c = s.allocate_conn();
        s.open(c, Some(1), SystemTime::now());
        let check = |s: &Store| {
            let e = s.entry(c).unwrap();
            let walked =
                footprint::ENTRY_BYTES + footprint::trace_heap_bytes(&e.trace) + e.error_bytes();
            assert_eq!(e.approx_bytes(), walked);
            assert_eq!(s.stats().approx_bytes, walked);
        };
        check(&s);
        for round in 0..6u64 {
            let mut b = TraceBatch::default();
            b.push(CompactRecord::from(hello(1 + round as u32)), 10);
            for r in decl(round as u32 + 1) {
                b.push(r, 10);
            }
            if round % 2 == 1 {
                b.push(CompactRecord::from(multi_sz_policy(round as usize * 7)), 10);
            }
            // Dense ids in the first rounds, sparse ones after.
            let base = if round < 3 {
                round * 300
            } else {
                10_000 * round
            };
            for call in base + 1..=base + 300 {
                b.push(enter(call), 10);
                if call % 3 != 0 {
                    b.push(exit(call), 10);
                }
            }
            // Exits of calls of an earlier batch, a second exit, one of a
            // call that never started: anomalies.
            b.push(exit(base.saturating_sub(3).max(3)), 10);
            b.push(exit(base + 1), 10);
            b.push(exit(u64::MAX - round), 10);
            s.append(c, &mut b, 100, 0);
            check(&s);
        }
        assert!(!s.entry(c).unwrap().trace.anomalies.is_empty());
        s.close(
            c,
            Some("read error: connection reset".into()),
            SystemTime::now(),
        );
        check(&s);
    }

    /// A stream read from a file ends where its records end: a call that
    /// never returned lasts until the last record, not until the moment
    /// the entry was closed after reading (which made the Live panel's
    /// timeline of a cut trace vary by a few µs from one load to the
    /// next).
    #[test]
    fn a_file_stream_is_not_extended_by_the_time_it_took_to_load() {
        use crate::trace::{Caller, Interface, Method};
        let mut s = Store::new(StoreOptions::default());
        let c = s.add_stream(
            vec![
                hello(1),
                Record::Enter(CallEnter {
                    t_ns: 1_000,
                    call: 1,
                    parent: None,
                    caller: Caller::Client,
                    interface: Interface::ClientShutdown,
                    method: Method::QueryFastShutdown,
                    session: Some(1),
                    provider: None,
                }),
            ],
            None,
            StreamState::Cut,
        );
        let e = s.entry(c).unwrap();
        assert_eq!(e.trace.last_ns, 1_000);
        let d = e.trace.duration_of(e.trace.call(1).unwrap());
        assert_eq!((d.ns, d.returned), (0, false));
    }

    /// An empty connection costs the store its entry, not 0 bytes: 1,000
    /// of them are counted, and closing them keeps the count.
    #[test]
    fn empty_connections_are_counted() {
        let mut s = Store::new(StoreOptions::default());
        for _ in 0..1_000 {
            let c = s.allocate_conn();
            s.open(c, None, SystemTime::now());
        }
        assert_eq!(s.stats().approx_bytes, 1_000 * footprint::ENTRY_BYTES);
        let conns: Vec<ConnId> = s.entries().iter().map(|e| e.conn).collect();
        for c in conns {
            s.close(c, None, SystemTime::now());
        }
        assert_eq!(s.stats().approx_bytes, 1_000 * footprint::ENTRY_BYTES);
        assert_eq!(s.clear_closed(), 1_000);
        assert_eq!(s.stats().approx_bytes, 0);
    }

    /// The call index of a trace (by position while call ids are dense,
    /// a map once they are not) finds every call and flags what it should.
    #[test]
    fn call_index_dense_then_sparse() {
        use crate::hresult::HRESULT;
        use crate::trace::{Caller, Interface, Method};
        let enter = |call| {
            Record::Enter(CallEnter {
                t_ns: call,
                call,
                parent: None,
                caller: Caller::Client,
                interface: Interface::ClientShutdown,
                method: Method::QueryFastShutdown,
                session: Some(1),
                provider: None,
            })
        };
        let exit = |call| {
            Record::Exit(CallExit {
                t_ns: call + 100,
                call,
                hresult: HRESULT::S_OK,
            })
        };
        let mut t = ProcessTrace::new();
        for r in [enter(1), enter(2), exit(2), exit(1), exit(3)] {
            t.push(r);
        }
        assert_eq!(t.call(1).and_then(|c| c.end_ns()), Some(101));
        assert_eq!(t.call(2).and_then(|c| c.end_ns()), Some(102));
        assert!(t.call(0).is_none() && t.call(3).is_none());
        assert_eq!(t.anomalies, vec!["exit for call 3 that never started"]);
        // Ids stop being dense: 10, then 3, then a repeated 2.
        for r in [enter(10), enter(3), exit(10), exit(3), exit(2), exit(11)] {
            t.push(r);
        }
        assert_eq!(t.call(10).and_then(|c| c.end_ns()), Some(110));
        assert_eq!(t.call(3).and_then(|c| c.end_ns()), Some(103));
        assert_eq!(t.call(1).map(|c| c.start_ns), Some(1));
        assert_eq!(
            t.anomalies[1..],
            [
                "call 2 returned twice",
                "exit for call 11 that never started"
            ]
        );
        assert_eq!(t.calls.len(), 4);
    }

    #[test]
    fn shared_generation_is_published_on_unlock() {
        let shared = SharedStore::new(StoreOptions::default());
        assert_eq!(shared.generation(), 0);
        {
            let mut g = shared.lock();
            g.push_log(None, LogKind::Event, Text::plain("hello"));
            assert_eq!(shared.generation(), 0);
        }
        assert_eq!(shared.generation(), 1);
        let id =
            shared
                .lock()
                .add_stream(vec![hello(5)], Some("truncated".into()), StreamState::Cut);
        let g = shared.lock();
        let e = g.entry(id).unwrap();
        assert_eq!(e.state, ConnState::Closed);
        assert_eq!(e.error.as_deref(), Some("truncated"));
        assert_eq!(e.pid(), Some(5));
    }

    /// Issue 16, item 9: a provider that hangs in DoFastShutdown until the
    /// client is killed lasts until its connection closed ("≥ 250 ms,
    /// never returned"), not 0 ns; a connection the client closed is the
    /// process's end (data-loss-risk), one the monitor closed as it
    /// stopped is only cut (incomplete).
    #[test]
    fn a_call_never_returned_lasts_until_the_connection_closed() {
        use crate::trace::{Caller, Interface, Method};
        let enter = |call: u64, parent: Option<u64>, provider: Option<u32>, method: Method| {
            let (caller, interface) = match provider {
                Some(_) => (Caller::Subsystem, Interface::ProviderShutdown),
                None => (Caller::Client, Interface::ClientShutdown),
            };
            (
                CompactRecord::from(Record::Enter(CallEnter {
                    t_ns: 1_000 + call,
                    call,
                    parent,
                    caller,
                    interface,
                    method,
                    session: Some(1),
                    provider,
                })),
                10,
            )
        };
        for (error, outcome) in [
            (None, Outcome::DataLossRisk),
            (
                Some(crate::monitor::STOPPED_WHILE_CONNECTED.to_string()),
                Outcome::Incomplete,
            ),
        ] {
            let mut s = Store::new(StoreOptions::default());
            let c = s.allocate_conn();
            s.open(c, Some(7), SystemTime::now());
            s.append(
                c,
                &mut batch([
                    (CompactRecord::from(hello(7)), 4),
                    enter(1, None, None, Method::QueryFastShutdown),
                    (
                        CompactRecord::from(Record::Exit(CallExit {
                            t_ns: 1_001,
                            call: 1,
                            hresult: crate::hresult::HRESULT::S_OK,
                        })),
                        10,
                    ),
                    enter(2, None, None, Method::DoFastShutdown),
                    enter(3, Some(2), Some(3), Method::DoFastShutdown),
                ]),
                100,
                0,
            );
            let at = SystemTime::now() + std::time::Duration::from_millis(250);
            s.close(c, error, at);
            let e = s.entry(c).unwrap();
            let call = e.trace.call(3).unwrap();
            let d = e.trace.duration_of(call);
            assert!(!d.returned);
            assert!(d.ns >= 250_000_000, "{d:?}");
            assert!(
                d.render(crate::i18n::Lang::En).starts_with("≥ 25"),
                "{}",
                d.render(crate::i18n::Lang::En)
            );
            assert_eq!(e.analyze(&AnalysisOptions::default()).outcome, outcome);
        }
    }
}
