//! The live-capture subcommands of the binary: `watch` (a monitor on the
//! endpoint that prints each client as it connects and its verdict when
//! its connection closes, for people or as JSON Lines, optionally
//! recording every stream to a file) and `analyze` (the same verdicts from
//! files: a trace from `simulate --trace-out`, a `watch --out` recording,
//! or a spool directory). Both print one session object of the same shape
//! ([`SessionReport`]), so a live run and its recording can be compared.
//! Exit codes: 0 success, 1 failure (the reason on stderr), 2 bad usage,
//! 130 `watch` stopped by Ctrl-C ([`EXIT_INTERRUPTED`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use super::out::errln;
use mapi_shutdown::eventlog::{self, EventLogError, EventWriter};
use mapi_shutdown::i18n::current;
use mapi_shutdown::monitor::analysis::{
    AnalysisOptions, Outcome, ProcessTrace, SessionVerdict, StreamState, Text, Verdict, analyze,
    format_ns,
};
use mapi_shutdown::monitor::{
    ConnId, ConnState, Entry, LogKind, Monitor, MonitorOptions, STOPPED_WHILE_CONNECTED,
    SessionSnapshot, SnapshotCursor, StreamError, read_streams,
};
use mapi_shutdown::tr;
use mapi_shutdown::trace::{Endpoint, Record};

/// How long `watch` sleeps at most between looks at the store when the
/// notify hook stays silent (a fallback: the hook wakes it at once).
const WATCH_POLL: Duration = Duration::from_millis(200);

/// `watch`'s exit code when stopped by Ctrl-C (SIGINT): 128 + 2, as shells
/// report an interrupted command, so that a script can tell an interrupted
/// watch from one that reached `--count` or `--timeout` (0). Its output and
/// recording are complete either way.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Why `watch` stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WatchStop {
    /// `--count` sessions completed.
    Count,
    /// `--timeout` elapsed.
    Timeout,
    /// Ctrl-C.
    Interrupted,
}

/// `mapi-shutdown watch …`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Print one JSON object per completed session, one per line (JSON
    /// Lines), instead of text.
    #[arg(long)]
    json: bool,
    /// Record every stream received to FILE (`analyze` reads it).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Exit (0) after N sessions completed (their connection closed,
    /// whatever the outcome).
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    /// Exit (0) after SECS seconds with what arrived by then.
    #[arg(long, value_name = "SECS")]
    timeout: Option<f64>,
    /// Windows: also write one event per completed shutdown sequence (and
    /// one per warning or error finding) to the Application event log,
    /// source "MAPI Shutdown" (docs/fleet.md).
    #[arg(long)]
    event_log: bool,
}

/// `mapi-shutdown analyze …`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Trace files (`simulate --trace-out`), recordings (`watch --out`)
    /// or spool directories (`MAPI_SHUTDOWN_SPOOL_DIR`).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Print one JSON document `{"sessions":[…]}`.
    #[arg(long)]
    json: bool,
}

/// One session (one client connection, one stream) and its verdict, as
/// `watch --json` and `analyze --json` print it.
#[derive(Clone, Debug, Serialize)]
pub struct SessionReport {
    /// The client's pid: what the OS reported for the connection, else
    /// what its `hello` says (a file has only that).
    pub pid: Option<u32>,
    /// The pid its `hello` claims, when it is not the one the OS reported
    /// (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_pid: Option<u32>,
    /// The client's executable, from its `hello`.
    pub process: Option<String>,
    /// The connection id in the monitor or the recording (kept under this
    /// name for compatibility; it is not a MAPI session: see `connection`).
    pub session: ConnId,
    /// The monitor connection (one client stream): the same id as
    /// `session`, under the name that says what it is.
    pub connection: ConnId,
    /// The Office version the client declared.
    pub office_version: Option<String>,
    /// The verdict, in the one session shape of `monitor::analysis`
    /// (`outcome`, `reason`, `duration_ms`, `duration_ns`, `findings`).
    #[serde(flatten)]
    pub verdict: SessionVerdict,
    /// The outcome in the user's language (text output).
    #[serde(skip)]
    outcome_text: String,
    /// The reason in the user's language (text output).
    #[serde(skip)]
    reason_text: String,
    /// Each finding's severity and sentence in the user's language (text
    /// output).
    #[serde(skip)]
    findings_text: Vec<(String, String)>,
    /// Whether the connection (stream) was closed.
    pub closed: bool,
    /// Why the stream ended badly, if it did (English: data).
    pub error: Option<String>,
    /// The same in the user's language (text output).
    #[serde(skip)]
    error_text: Option<String>,
    /// Records in the stream.
    pub records: usize,
    /// The file it was read from (`analyze`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl SessionReport {
    fn new(
        session: ConnId,
        trace: &ProcessTrace,
        peer_pid: Option<u32>,
        verdict: &Verdict,
        closed: bool,
        error: Option<StreamError>,
        records: usize,
    ) -> SessionReport {
        let hello = trace.hello.as_ref();
        let claimed = hello.map(|h| h.pid);
        SessionReport {
            pid: peer_pid.or(claimed),
            claimed_pid: claimed.filter(|c| peer_pid.is_some_and(|p| p != *c)),
            process: hello.map(|h| h.exe.clone()),
            session,
            connection: session,
            office_version: hello
                .and_then(|h| h.known_office_version())
                .map(|v| v.to_string()),
            verdict: SessionVerdict::from(verdict),
            outcome_text: outcome_words(verdict.outcome),
            reason_text: verdict.reason_text().to_string(),
            findings_text: verdict
                .findings
                .iter()
                .map(|f| (f.severity.localized(), f.text().to_string()))
                .collect(),
            closed,
            error_text: error.as_ref().map(|e| e.text.to_string()),
            error: error.map(|e| e.message),
            records,
            file: None,
        }
    }

    /// A published session with the verdict the store thread gave it.
    fn from_snapshot(session: &SessionSnapshot) -> SessionReport {
        let entry = &session.entry;
        SessionReport::new(
            entry.conn,
            &entry.trace,
            entry.peer_pid,
            &session.verdict,
            entry.state == ConnState::Closed,
            entry.stream_error(),
            usize::try_from(entry.records).unwrap_or(usize::MAX),
        )
    }

    fn from_entry(entry: &Entry, options: &AnalysisOptions) -> SessionReport {
        let verdict = entry.analyze(options);
        SessionReport::new(
            entry.conn,
            &entry.trace,
            entry.peer_pid,
            &verdict,
            entry.state == ConnState::Closed,
            entry.stream_error(),
            usize::try_from(entry.records).unwrap_or(usize::MAX),
        )
    }

    fn label(&self) -> String {
        match (&self.process, self.pid) {
            (Some(exe), Some(pid)) => match self.claimed_pid {
                Some(claimed) => tr!(
                    "analysis-live-label-claim",
                    exe = exe.as_str(),
                    pid = pid,
                    claimed = claimed
                ),
                None => tr!("analysis-live-label", exe = exe.as_str(), pid = pid),
            },
            (None, Some(pid)) => tr!("analysis-live-label-pid", pid = pid),
            _ => tr!(
                "analysis-live-label-connection",
                connection = self.connection.to_string()
            ),
        }
    }

    /// The block printed for people.
    fn render_text(&self) -> String {
        let mut out = String::new();
        let from = self
            .file
            .as_ref()
            .map_or(String::new(), |f| format!(" [{f}]"));
        let head = match self.verdict.duration_ns {
            Some(ns) => tr!(
                "analysis-live-head-duration",
                label = self.label(),
                connection = self.connection.to_string(),
                from = from,
                outcome = self.outcome_text.as_str(),
                duration = format_ns(ns, current())
            ),
            None => tr!(
                "analysis-live-head",
                label = self.label(),
                connection = self.connection.to_string(),
                from = from,
                outcome = self.outcome_text.as_str()
            ),
        };
        out.push_str(&head);
        out.push('\n');
        out.push_str(&tr!(
            "analysis-live-reason",
            reason = self.reason_text.as_str()
        ));
        out.push('\n');
        for (f, (severity, message)) in self.verdict.findings.iter().zip(&self.findings_text) {
            out.push_str(&format!("  [{severity}] {}: {message}\n", f.kind.as_str()));
        }
        if let Some(e) = &self.error_text {
            out.push_str(&tr!("analysis-live-stream", error = e.as_str()));
            out.push('\n');
        }
        out
    }
}

/// The outcome as the text output writes it: its JSON name in English
/// (`in-progress`, `data-loss-risk`), translated in other languages.
fn outcome_words(outcome: Outcome) -> String {
    match outcome {
        Outcome::Fast => tr!("analysis-live-outcome-fast"),
        Outcome::Normal => tr!("analysis-live-outcome-normal"),
        Outcome::DataLossRisk => tr!("analysis-live-outcome-data-loss-risk"),
        Outcome::Incomplete => tr!("analysis-live-outcome-incomplete"),
        Outcome::InProgress => tr!("analysis-live-outcome-in-progress"),
    }
}

/// Print `watch`'s output, JSON Lines (`json`) or text; `false` when
/// stdout cannot be written (a closed pipe: `watch` goes on recording).
fn print_out(text: &str, json: bool) -> bool {
    if json {
        super::out::try_json(text)
    } else {
        super::out::try_text(text)
    }
}

fn json_line<T: Serialize>(value: &T) -> String {
    match serde_json::to_string(value) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        Err(e) => format!("{{\"error\":\"cannot encode JSON: {e}\"}}\n"),
    }
}

/// Run `watch` on the endpoint `endpoint` names (`--endpoint`, else the
/// user's default). Stops at `--count`, `--timeout` or Ctrl-C: then the
/// monitor is shut down (the recording flushed and closed), the sessions
/// still connected are printed with their verdict so far (`in-progress`,
/// unless what arrived already decides it), and it exits 0, or
/// [`EXIT_INTERRUPTED`] after Ctrl-C. A second Ctrl-C exits at once.
pub fn run_watch(args: &WatchArgs, endpoint: Option<&str>) -> ExitCode {
    let endpoint = match Endpoint::from_name(endpoint) {
        Ok(e) => e,
        Err(e) => {
            errln!("mapi-shutdown: watch: {e}");
            return ExitCode::from(2);
        }
    };
    let timeout = match args.timeout {
        Some(s) if !(s.is_finite() && s >= 0.0) => {
            errln!(
                "mapi-shutdown: watch: {}",
                tr!("analysis-watch-bad-timeout")
            );
            return ExitCode::from(2);
        }
        Some(s) => Some(Duration::from_secs_f64(s)),
        None => None,
    };
    let mut events = if args.event_log {
        match eventlog::system_sink() {
            Ok(sink) => Some(EventWriter::new(sink, AnalysisOptions::default())),
            Err(e @ EventLogError::Unsupported) => {
                errln!("mapi-shutdown: watch: {e}");
                return ExitCode::from(2);
            }
            Err(e) => {
                errln!("mapi-shutdown: watch: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        None
    };
    let (wake_tx, wake_rx) = crossbeam_channel::bounded::<()>(1);
    let interrupts = Arc::new(AtomicU32::new(0));
    {
        let interrupts = Arc::clone(&interrupts);
        let wake_tx = wake_tx.clone();
        let handler = move || {
            if interrupts.fetch_add(1, Ordering::SeqCst) >= 1 {
                errln!(
                    "mapi-shutdown: watch: {}",
                    tr!("analysis-watch-interrupted-again")
                );
                std::process::exit(i32::from(EXIT_INTERRUPTED));
            }
            let _ = wake_tx.try_send(());
        };
        if let Err(e) = ctrlc::set_handler(handler) {
            errln!(
                "mapi-shutdown: watch: {}",
                tr!("analysis-watch-no-ctrl-c", error = e.to_string())
            );
        }
    }
    let notify = Box::new(move || {
        // A full channel already holds a wake-up: nothing to add.
        let _ = wake_tx.try_send(());
    });
    let options = MonitorOptions {
        record_to: args.out.clone(),
        ..MonitorOptions::default()
    };
    let monitor = match Monitor::start(&endpoint, options, Some(notify)) {
        Ok(m) => m,
        Err(e) => {
            errln!(
                "mapi-shutdown: watch: {}",
                tr!(
                    "analysis-watch-cannot-listen",
                    endpoint = endpoint.to_string(),
                    error = e.to_string()
                )
            );
            return ExitCode::from(1);
        }
    };
    errln!(
        "mapi-shutdown: {}",
        tr!("analysis-watch-watching", endpoint = endpoint.to_string())
    );
    if let Some(out) = &args.out {
        errln!(
            "mapi-shutdown: {}",
            tr!("analysis-watch-recording", file = out.display().to_string())
        );
    }
    if events.is_some() {
        errln!(
            "mapi-shutdown: {}",
            tr!(
                "analysis-watch-event-log",
                log = eventlog::LOG,
                source = eventlog::SOURCE
            )
        );
    }
    let store = monitor.store();
    let analysis = AnalysisOptions::default();
    let started = Instant::now();
    let mut announced: HashSet<ConnId> = HashSet::new();
    // What was printed: sessions seen (skipped while their Arc does not
    // change) and those printed closed.
    let mut cursor = SnapshotCursor::new();
    // The monitor logs its start too (that it listens, that it
    // records): said once above; anything else it logged on the way (a
    // stale socket replaced) is shown. Told by the line's kind, not its
    // words, and said in the user's language.
    let mut log_seq = 0u64;
    for line in store.lock().log_since(0) {
        log_seq = line.seq;
        let said = matches!(line.kind, LogKind::Listening | LogKind::Recording);
        if !said && !args.json {
            errln!("mapi-shutdown: monitor: {}", line.text);
        }
    }
    let mut seen_generation = None;
    let mut stdout_ok = true;
    let stop = loop {
        if interrupts.load(Ordering::SeqCst) > 0 {
            break WatchStop::Interrupted;
        }
        // Keyed on the published snapshot's generation, not the store's:
        // the store moves before the store thread publishes, and its wake
        // comes after; a round between the two must not count as seen.
        let snapshot = store.snapshot();
        if seen_generation != Some(snapshot.generation) {
            seen_generation = Some(snapshot.generation);
            let mut text = String::new();
            // The log under a brief lock; the sessions from the snapshot
            // the store thread published (with their verdicts): no lock
            // held and no analysis here while clients keep coming, and a
            // session whose Arc did not change since the last round is
            // skipped at the cost of a pointer comparison.
            let new_lines: Vec<Text> = {
                let s = store.lock();
                s.log_since(log_seq)
                    .map(|line| {
                        log_seq = line.seq;
                        line.text.clone()
                    })
                    .collect()
            };
            if !args.json {
                for line in new_lines {
                    errln!("mapi-shutdown: monitor: {}", line);
                }
            }
            {
                for session in cursor.round(&snapshot) {
                    let entry = &session.entry;
                    if !args.json
                        && !announced.contains(&entry.conn)
                        && let Some(hello) = &entry.trace.hello
                    {
                        announced.insert(entry.conn);
                        text.push_str(&tr!(
                            "analysis-watch-connected",
                            exe = hello.exe.as_str(),
                            pid = entry.pid().unwrap_or(hello.pid),
                            office = hello
                                .known_office_version()
                                .map_or_else(|| tr!("analysis-office-unknown"), |v| v.to_string()),
                            subsystem = hello.subsystem.as_str(),
                            connection = entry.conn.to_string()
                        ));
                        text.push('\n');
                    }
                    if entry.state == ConnState::Closed {
                        if let Some(w) = events.as_mut() {
                            write_events(w, &entry.trace, &session.verdict, entry.pid());
                        }
                        let report = SessionReport::from_snapshot(session);
                        if args.json {
                            text.push_str(&json_line(&report));
                        } else {
                            text.push_str(&report.render_text());
                        }
                    }
                }
            }
            if !text.is_empty() && stdout_ok {
                stdout_ok = print_out(&text, args.json);
            }
            if args
                .count
                .is_some_and(|n| u64::try_from(cursor.completed()).unwrap_or(u64::MAX) >= n)
            {
                break WatchStop::Count;
            }
        }
        let mut wait = WATCH_POLL;
        if let Some(t) = timeout {
            let left = t.saturating_sub(started.elapsed());
            if left.is_zero() {
                break WatchStop::Timeout;
            }
            wait = wait.min(left);
        }
        let _ = wake_rx.recv_timeout(wait);
    };
    if stop == WatchStop::Interrupted {
        errln!("mapi-shutdown: watch: {}", tr!("analysis-watch-stopping"));
    }
    // Takes what was queued, closes every connection and the recording.
    monitor.shutdown();
    if stop == WatchStop::Count {
        say_events(events.as_ref());
        return ExitCode::SUCCESS;
    }
    // What the store has beyond the sessions printed: sessions that closed
    // on their own meanwhile (printed as usual), and those still connected
    // when the monitor stopped, printed with their verdict so far (their
    // streams did not end: analysed as open).
    let mut text = String::new();
    let mut still = Vec::new();
    {
        let s = store.lock();
        for entry in s.entries() {
            if cursor.is_completed(entry.conn) {
                continue;
            }
            let report = if entry.error.as_deref() == Some(STOPPED_WHILE_CONNECTED) {
                still.push(entry.label());
                let verdict = analyze(&entry.trace, StreamState::Open, &analysis);
                SessionReport::new(
                    entry.conn,
                    &entry.trace,
                    entry.peer_pid,
                    &verdict,
                    false,
                    entry.stream_error(),
                    usize::try_from(entry.records).unwrap_or(usize::MAX),
                )
            } else {
                cursor.complete(entry.conn);
                if let Some(w) = events.as_mut() {
                    let verdict = entry.analyze(&analysis);
                    write_events(w, &entry.trace, &verdict, entry.pid());
                }
                SessionReport::from_entry(entry, &analysis)
            };
            if args.json {
                text.push_str(&json_line(&report));
            } else {
                text.push_str(&report.render_text());
            }
        }
    }
    let stop_words = match stop {
        WatchStop::Interrupted => tr!("analysis-watch-interrupted"),
        _ => tr!(
            "analysis-watch-timeout",
            seconds = args.timeout.unwrap_or_default()
        ),
    };
    let count = cursor.completed() as u64;
    let line = if still.is_empty() {
        tr!("analysis-watch-end", stop = stop_words, count = count)
    } else {
        tr!(
            "analysis-watch-end-still",
            stop = stop_words,
            count = count,
            still = still.len() as u64,
            list = still.join(", ")
        )
    };
    if args.json {
        if stdout_ok {
            print_out(&text, true);
        }
        errln!("mapi-shutdown: {line}");
    } else if stdout_ok {
        print_out(&format!("{text}{line}\n"), false);
    }
    say_events(events.as_ref());
    if stop == WatchStop::Interrupted {
        ExitCode::from(EXIT_INTERRUPTED)
    } else {
        ExitCode::SUCCESS
    }
}

/// Write a completed session's events; a refusal is said on stderr and
/// the collector goes on.
fn write_events(w: &mut EventWriter, trace: &ProcessTrace, verdict: &Verdict, pid: Option<u32>) {
    if let Err(e) = w.session(trace, verdict, pid) {
        errln!("mapi-shutdown: watch: {e}");
    }
}

/// How many events went to the log, on stderr (with `--event-log`).
fn say_events(events: Option<&EventWriter>) {
    if let Some(w) = events {
        errln!(
            "mapi-shutdown: {}",
            tr!(
                "analysis-watch-events-written",
                count = w.written,
                failed = w.failed,
                log = eventlog::LOG
            )
        );
    }
}

/// The sessions of one file or spool directory
/// ([`mapi_shutdown::monitor::read_streams`]: a truncated last line keeps
/// the records before it, noted as the stream's error).
///
/// # Errors
/// The file named with the reader's (line-numbered) reason.
fn sessions_of(path: &Path, options: &AnalysisOptions) -> Result<Vec<SessionReport>, String> {
    let streams = read_streams(path).map_err(|e| e.text().to_string())?;
    // An empty file, or one of blank lines, holds no session: refused, in
    // `report`'s words, rather than shown as an invented `incomplete` one.
    if streams.iter().all(|s| s.records.is_empty()) {
        return Err(tr!(
            "report-cli-not-a-trace",
            file = path.display().to_string()
        ));
    }
    Ok(streams
        .into_iter()
        .map(|stream| {
            let mut r = report(
                stream.conn,
                &stream.records,
                stream.peer_pid,
                stream.state,
                stream.error,
                options,
            );
            r.file = Some(stream.file.display().to_string());
            r
        })
        .collect())
}

fn report(
    conn: ConnId,
    records: &[Record],
    peer_pid: Option<u32>,
    state: StreamState,
    error: Option<String>,
    options: &AnalysisOptions,
) -> SessionReport {
    let trace = ProcessTrace::from_records(records);
    let verdict = analyze(&trace, state, options);
    SessionReport::new(
        conn,
        &trace,
        peer_pid,
        &verdict,
        state.ended(),
        error.map(StreamError::plain),
        records.len(),
    )
}

#[derive(Serialize)]
struct AnalyzeDoc {
    sessions: Vec<SessionReport>,
}

/// Run `analyze FILE…`.
pub fn run_analyze(args: &AnalyzeArgs) -> ExitCode {
    let options = AnalysisOptions::default();
    let mut sessions = Vec::new();
    for path in &args.files {
        match sessions_of(path, &options) {
            Ok(mut s) => sessions.append(&mut s),
            Err(e) => {
                errln!("mapi-shutdown: analyze: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let text = if args.json {
        match serde_json::to_string_pretty(&AnalyzeDoc { sessions }) {
            Ok(mut s) => {
                s.push('\n');
                s
            }
            Err(e) => {
                errln!(
                    "mapi-shutdown: analyze: {}",
                    tr!("analysis-analyze-json-error", error = e.to_string())
                );
                return ExitCode::from(1);
            }
        }
    } else if sessions.is_empty() {
        format!("{}\n", tr!("analysis-analyze-no-sessions"))
    } else {
        sessions
            .iter()
            .map(SessionReport::render_text)
            .collect::<Vec<_>>()
            .join("\n")
    };
    if args.json {
        super::out::json(&text);
    } else {
        super::out::text(&text);
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use mapi_shutdown::i18n::{Lang, set_thread_lang};

    /// A stream that ended before any shutdown call, read by `analyze`.
    fn ended_early() -> SessionReport {
        let trace = ProcessTrace::new();
        let verdict = analyze(&trace, StreamState::Closed, &AnalysisOptions::default());
        SessionReport::new(3, &trace, Some(7), &verdict, true, None, 0)
    }

    #[test]
    fn text_output_follows_the_language_and_json_stays_english() {
        set_thread_lang(Some(Lang::En));
        let en = ended_early().render_text();
        assert_eq!(
            en,
            "pid 7, connection 3: incomplete\n  reason: the stream ended before the client started a shutdown\n"
        );

        set_thread_lang(Some(Lang::Fr));
        let report = ended_early();
        let fr = report.render_text();
        assert!(
            fr.starts_with("pid 7, connexion 3\u{a0}: incomplet\n"),
            "{fr}"
        );
        assert!(
            fr.contains(
                "  raison\u{a0}: le flux s’est terminé avant que le client ne commence un arrêt"
            ),
            "{fr}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["outcome"], "incomplete");
        // Issue 16, item 8: `session` keeps the connection id it always
        // held; `connection` says what it is.
        assert_eq!(json["session"], 3);
        assert_eq!(json["connection"], 3);
        assert_eq!(
            json["reason"],
            "the stream ended before the client started a shutdown"
        );
        assert!(json.get("reason_text").is_none(), "{json}");

        set_thread_lang(Some(Lang::ZhCn));
        let zh = ended_early().render_text();
        assert!(
            zh.contains("原因：数据流在客户端开始关闭之前就结束了"),
            "{zh}"
        );
        set_thread_lang(None);
    }

    /// Issue 16, item 9: `analyze` and `watch` print a duration with the
    /// report's one format (2.6 µs, not 2.0 µs cut to whole µs).
    #[test]
    fn durations_print_like_the_report() {
        use mapi_shutdown::hresult::HRESULT;
        use mapi_shutdown::trace::{CallEnter, CallExit, Caller, Interface, Method};
        let records = [
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
            Record::Exit(CallExit {
                t_ns: 3_600,
                call: 1,
                hresult: HRESULT::MAPI_E_NO_SUPPORT,
            }),
        ];
        set_thread_lang(Some(Lang::En));
        let r = report(
            2,
            &records,
            None,
            StreamState::Cut,
            None,
            &AnalysisOptions::default(),
        );
        assert_eq!(r.verdict.duration_ns, Some(2_600));
        let text = r.render_text();
        assert!(text.contains(" in 2.6 µs\n"), "{text}");
        set_thread_lang(Some(Lang::Fr));
        assert!(r.render_text().contains("2,6 µs"));
        set_thread_lang(None);
    }
}
