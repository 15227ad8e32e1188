//! Verdicts as Windows Event Log events (docs/fleet.md). This module owns
//! the catalogue of events the headless collector (`watch --event-log`)
//! writes to the **Application** log under the source [`SOURCE`]: one
//! event per completed shutdown sequence, with a distinct ID per outcome
//! ([`OUTCOME_EVENTS`]), and one per finding of warning or error severity
//! ([`FINDING_EVENTS`]), the level matching the severity; which events a
//! session gives ([`events_for`]); the [`EventSink`] trait they are written
//! through, with a memory sink for tests and, on Windows, the real one
//! (`RegisterEventSourceW` / `ReportEventW`).
//!
//! The events' messages live in a message table compiled into
//! `mapi-shutdown.exe` from `assets/eventlog/messages.mc` (English,
//! French, Chinese; `build.rs`), which the MSI registers as the source's
//! `EventMessageFile`. The insertion strings are data, the same in every
//! language: names, numbers, and the analysis' English sentences (what a
//! SIEM matches on). Their order is part of the contract ([`OUTCOME_STRINGS`],
//! [`FINDING_STRINGS`]).

use serde::Serialize;

use crate::i18n::Lang;
use crate::monitor::analysis::{
    AnalysisOptions, FindingKind, Outcome, ProcessTrace, Severity, Verdict, describe_policy,
};
use crate::policy::FastShutdownBehavior;
use crate::trace::Method;
use crate::trace::hresult::HRESULT;
use crate::trace::model::ProviderKind;

/// The event source, as registered under
/// `HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application`.
pub const SOURCE: &str = "MAPI Shutdown";

/// The log the events go to.
pub const LOG: &str = "Application";

/// An event's level, as the Event Viewer shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventLevel {
    /// `EVENTLOG_INFORMATION_TYPE`.
    Information,
    /// `EVENTLOG_WARNING_TYPE`.
    Warning,
    /// `EVENTLOG_ERROR_TYPE`.
    Error,
}

impl EventLevel {
    /// The `wType` of `ReportEventW` (winnt.h): 4, 2, 1.
    pub fn event_type(self) -> u16 {
        match self {
            EventLevel::Information => 4,
            EventLevel::Warning => 2,
            EventLevel::Error => 1,
        }
    }

    /// The level of a finding of this severity.
    pub fn of_severity(severity: Severity) -> EventLevel {
        match severity {
            Severity::Info => EventLevel::Information,
            Severity::Warning => EventLevel::Warning,
            Severity::Error => EventLevel::Error,
        }
    }
}

/// One event of the catalogue: its ID (the message's ID in the table),
/// its level, and the message's symbolic name in `messages.mc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventDef {
    /// The event ID (no severity or facility bits: the Event Viewer shows
    /// it as it is).
    pub id: u32,
    /// Its level.
    pub level: EventLevel,
    /// `SymbolicName` in `assets/eventlog/messages.mc`.
    pub symbol: &'static str,
    /// How many insertion strings its message uses (`%1` to `%n`).
    pub strings: usize,
}

/// The insertion strings of an outcome event, in order (`%1` …).
pub const OUTCOME_STRINGS: [&str; 10] = [
    "process",
    "pid",
    "office_version",
    "policy",
    "outcome",
    "reason",
    "blocking_providers",
    "slow_providers",
    "duration_ms",
    "origin",
];

/// The insertion strings of a finding event, in order (`%1` …).
pub const FINDING_STRINGS: [&str; 8] = [
    "process",
    "pid",
    "office_version",
    "policy",
    "finding",
    "severity",
    "message",
    "origin",
];

const fn outcome(id: u32, level: EventLevel, symbol: &'static str) -> EventDef {
    EventDef {
        id,
        level,
        symbol,
        strings: OUTCOME_STRINGS.len(),
    }
}

const fn finding(id: u32, level: EventLevel, symbol: &'static str) -> EventDef {
    EventDef {
        id,
        level,
        symbol,
        strings: FINDING_STRINGS.len(),
    }
}

/// One event per completed shutdown sequence, by outcome: fast 1000
/// (information), normal 1001 (information: Outlook shut down the slow,
/// safe way), data-loss risk 1002 (error), incomplete 1003 (warning: the
/// stream ended mid-sequence, nothing is known of the rest).
pub const OUTCOME_EVENTS: [(Outcome, EventDef); 4] = [
    (
        Outcome::Fast,
        outcome(1000, EventLevel::Information, "MSG_SHUTDOWN_FAST"),
    ),
    (
        Outcome::Normal,
        outcome(1001, EventLevel::Information, "MSG_SHUTDOWN_NORMAL"),
    ),
    (
        Outcome::DataLossRisk,
        outcome(1002, EventLevel::Error, "MSG_SHUTDOWN_DATA_LOSS_RISK"),
    ),
    (
        Outcome::Incomplete,
        outcome(1003, EventLevel::Warning, "MSG_SHUTDOWN_INCOMPLETE"),
    ),
];

/// One event per finding of warning or error severity, by kind, 1100 and
/// up (informational findings stay in the reports). The level is the
/// finding's severity: the catalogue's level is the kind's usual one, for
/// the message table's documentation and the forwarding query.
pub const FINDING_EVENTS: [(FindingKind, EventDef); 8] = [
    (
        FindingKind::CallAfterDoFastShutdown,
        finding(1100, EventLevel::Error, "MSG_FINDING_CALL_AFTER_DO"),
    ),
    (
        FindingKind::IgnoredQueryError,
        finding(1101, EventLevel::Error, "MSG_FINDING_IGNORED_QUERY_ERROR"),
    ),
    (
        FindingKind::ProviderOrder,
        finding(1102, EventLevel::Error, "MSG_FINDING_PROVIDER_ORDER"),
    ),
    (
        FindingKind::SlowProvider,
        finding(1103, EventLevel::Warning, "MSG_FINDING_SLOW_PROVIDER"),
    ),
    (
        FindingKind::ProcessExitedDuringShutdown,
        finding(
            1104,
            EventLevel::Error,
            "MSG_FINDING_EXITED_DURING_SHUTDOWN",
        ),
    ),
    (
        FindingKind::DroppedEvents,
        finding(1105, EventLevel::Warning, "MSG_FINDING_DROPPED_EVENTS"),
    ),
    (
        FindingKind::InvalidPolicyData,
        finding(1106, EventLevel::Warning, "MSG_FINDING_INVALID_POLICY_DATA"),
    ),
    (
        FindingKind::ClientCalledProvider,
        finding(
            1107,
            EventLevel::Error,
            "MSG_FINDING_CLIENT_CALLED_PROVIDER",
        ),
    ),
];

/// Every event of the catalogue, outcomes first.
pub fn catalogue() -> impl Iterator<Item = EventDef> {
    OUTCOME_EVENTS
        .iter()
        .map(|(_, d)| *d)
        .chain(FINDING_EVENTS.iter().map(|(_, d)| *d))
}

/// The message table's source, `assets/eventlog/messages.mc` (UTF-8),
/// as compiled into the exe by `build.rs`.
pub const MESSAGES_MC: &str = include_str!("../../../assets/eventlog/messages.mc");

/// One message of [`MESSAGES_MC`] in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct McMessage {
    /// `MessageId`: the event ID.
    pub id: u32,
    /// `SymbolicName`.
    pub symbol: String,
    /// `Language`: `English`, `French` or `Chinese`.
    pub language: String,
    /// The text, one `\n` after each line (the message compiler ends
    /// lines with CRLF).
    pub text: String,
}

impl McMessage {
    /// The Windows language ID of [`language`](Self::language) as
    /// `messages.mc` declares it: 0x409, 0x40C, 0x804 (0 for another).
    pub fn lang_id(&self) -> u16 {
        match self.language.as_str() {
            "English" => 0x409,
            "French" => 0x40C,
            "Chinese" => 0x804,
            _ => 0,
        }
    }

    /// The insertion numbers the text uses (`%1` … `%99`).
    pub fn insertions(&self) -> std::collections::BTreeSet<usize> {
        let mut found = std::collections::BTreeSet::new();
        let mut rest = self.text.as_str();
        while let Some(i) = rest.find('%') {
            rest = &rest[i + 1..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse() {
                found.insert(n);
            }
            rest = &rest[digits.len()..];
        }
        found
    }
}

/// The messages of [`MESSAGES_MC`], in file order: what the tests compare
/// with the catalogue and with the exe's message table.
///
/// # Panics
/// Never on the shipped file; a `MessageId` that is not a number panics
/// (the unit tests read it).
pub fn mc_messages() -> Vec<McMessage> {
    let mut out = Vec::new();
    let (mut id, mut symbol, mut language) = (0u32, String::new(), None::<String>);
    let mut text = String::new();
    for line in MESSAGES_MC.lines() {
        if let Some(lang) = &language {
            if line == "." {
                out.push(McMessage {
                    id,
                    symbol: symbol.clone(),
                    language: lang.clone(),
                    text: std::mem::take(&mut text),
                });
                language = None;
            } else {
                text.push_str(line);
                text.push('\n');
            }
        } else if let Some(v) = line.strip_prefix("MessageId=") {
            id = v.trim().parse().expect("a numeric MessageId");
        } else if let Some(v) = line.strip_prefix("SymbolicName=") {
            symbol = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("Language=") {
            language = Some(v.trim().to_string());
        }
    }
    out
}

/// One event to write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShutdownEvent {
    /// The event ID ([`OUTCOME_EVENTS`], [`FINDING_EVENTS`]).
    pub id: u32,
    /// Its level.
    pub level: EventLevel,
    /// The insertion strings (`%1` …), in the order of
    /// [`OUTCOME_STRINGS`] or [`FINDING_STRINGS`].
    pub strings: Vec<String>,
}

/// "unknown", for what a trace does not say.
const UNKNOWN: &str = "unknown";
/// "none", for an empty list.
const NONE: &str = "none";

/// The events of one completed shutdown sequence: its outcome event, then
/// one event per finding of warning or error severity, most severe first.
/// `pid` is the pid the OS reported for the connection (else the trace's
/// own); `options` gives the slow-provider threshold. A sequence still in
/// progress gives none (the collector writes it when it completes).
///
/// Blocking providers: those whose `QueryFastShutdown` failed, and under
/// the opt-in policy those without `IMAPIProviderShutdown` ("Fast
/// Shutdown User Options"); slow ones: a `QueryFastShutdown`,
/// `NotifyProcessShutdown` or `DoFastShutdown` longer than
/// `options.slow_provider_ns`, with its longest time in ms.
pub fn events_for(
    trace: &ProcessTrace,
    verdict: &Verdict,
    pid: Option<u32>,
    options: &AnalysisOptions,
) -> Vec<ShutdownEvent> {
    let Some((_, def)) = OUTCOME_EVENTS.iter().find(|(o, _)| *o == verdict.outcome) else {
        return Vec::new();
    };
    let hello = trace.hello.as_ref();
    let process = hello.map_or(UNKNOWN.to_string(), |h| h.exe.clone());
    let pid = pid
        .or(hello.map(|h| h.pid))
        .map_or(UNKNOWN.to_string(), |p| p.to_string());
    let office = hello
        .and_then(|h| h.known_office_version())
        .map_or(UNKNOWN.to_string(), |v| v.to_string());
    let policy = trace
        .policy
        .as_ref()
        .map_or(UNKNOWN.to_string(), |p| describe_policy(p).render(Lang::En));
    let origin = if hello.is_some_and(|h| h.is_captured()) {
        "captured"
    } else {
        "simulated"
    }
    .to_string();
    let mut events = vec![ShutdownEvent {
        id: def.id,
        level: def.level,
        strings: vec![
            process.clone(),
            pid.clone(),
            office.clone(),
            policy.clone(),
            verdict.outcome.as_str().to_string(),
            verdict.reason.clone(),
            list(blocking_providers(trace)),
            list(slow_providers(verdict, options)),
            verdict
                .duration_ns
                .map_or(UNKNOWN.to_string(), |ns| format!("{:.3}", ns as f64 / 1e6)),
            origin.clone(),
        ],
    }];
    for f in &verdict.findings {
        if f.severity == Severity::Info {
            continue;
        }
        let Some((_, def)) = FINDING_EVENTS.iter().find(|(k, _)| *k == f.kind) else {
            continue;
        };
        events.push(ShutdownEvent {
            id: def.id,
            level: EventLevel::of_severity(f.severity),
            strings: vec![
                process.clone(),
                pid.clone(),
                office.clone(),
                policy.clone(),
                f.kind.as_str().to_string(),
                severity_word(f.severity).to_string(),
                f.message.clone(),
                origin.clone(),
            ],
        });
    }
    events
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// `a, b` or "none".
fn list(items: Vec<String>) -> String {
    if items.is_empty() {
        NONE.to_string()
    } else {
        items.join(", ")
    }
}

/// A provider as the events name it: `Name (dll, kind)`.
fn provider_label(name: &str, dll: &str, kind: ProviderKind) -> String {
    format!("{name} ({dll}, {})", kind.as_str())
}

/// The providers that kept the client from a fast shutdown (see
/// [`events_for`]), each once, in load order.
fn blocking_providers(trace: &ProcessTrace) -> Vec<String> {
    let opt_in = trace
        .policy
        .as_ref()
        .is_some_and(|p| p.effective == FastShutdownBehavior::OptIn);
    trace
        .providers
        .iter()
        .filter(|p| {
            let query_failed = trace.calls.iter().any(|c| {
                c.provider() == Some(p.provider)
                    && c.method == Method::QueryFastShutdown
                    && c.hresult().is_some_and(HRESULT::is_failure)
            });
            query_failed || (opt_in && !p.implements_shutdown)
        })
        .map(|p| provider_label(&p.name, &p.dll, p.kind))
        .collect()
}

/// The providers with a step over the threshold, with their longest step
/// in ms (`≥` when it never returned).
fn slow_providers(verdict: &Verdict, options: &AnalysisOptions) -> Vec<String> {
    verdict
        .providers
        .iter()
        .filter_map(|t| {
            let longest = t.query_ns.max(t.notify_ns).max(t.do_ns);
            (longest > options.slow_provider_ns).then(|| {
                let at_least = if t.unreturned.is_some() { ">= " } else { "" };
                format!(
                    "{} {at_least}{:.0} ms",
                    provider_label(&t.name, &t.dll, t.kind),
                    longest as f64 / 1e6
                )
            })
        })
        .collect()
}

/// Why an event could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EventLogError {
    /// The event source could not be opened (`RegisterEventSourceW`).
    #[error("cannot open the event source \"{SOURCE}\" of the {LOG} log: {0}")]
    Open(String),
    /// Writing the event failed (`ReportEventW`).
    #[error("cannot write event {id} to the {LOG} log: {message}")]
    Write {
        /// The event ID.
        id: u32,
        /// The system's words.
        message: String,
    },
    /// There is no Windows Event Log here.
    #[error(
        "the Windows Event Log exists only on Windows; here, use `watch --json` (one JSON \
         object per completed session) and forward that"
    )]
    Unsupported,
}

/// Where events go: the Windows Event Log, or a test's memory.
pub trait EventSink: Send {
    /// Write one event.
    ///
    /// # Errors
    /// [`EventLogError`] when the log refused it.
    fn write(&mut self, event: &ShutdownEvent) -> Result<(), EventLogError>;
}

/// A sink keeping what it is given (tests).
#[derive(Debug, Default)]
pub struct MemorySink {
    /// The events written, in order.
    pub events: Vec<ShutdownEvent>,
}

impl EventSink for MemorySink {
    fn write(&mut self, event: &ShutdownEvent) -> Result<(), EventLogError> {
        self.events.push(event.clone());
        Ok(())
    }
}

/// The Windows Event Log through the source [`SOURCE`] (the Application
/// log): `RegisterEventSourceW` once, `ReportEventW` per event,
/// `DeregisterEventSource` when dropped.
#[cfg(windows)]
pub struct WindowsEventLog {
    handle: windows_sys::Win32::Foundation::HANDLE,
}

// SAFETY: an event source handle may be used from any thread
// (ReportEventW is thread-safe); the sink is used by one owner at a time.
#[cfg(windows)]
unsafe impl Send for WindowsEventLog {}

#[cfg(windows)]
impl WindowsEventLog {
    /// Open the source [`SOURCE`] on this machine.
    ///
    /// # Errors
    /// [`EventLogError::Open`] with the system's words.
    pub fn open() -> Result<WindowsEventLog, EventLogError> {
        use windows_sys::Win32::System::EventLog::RegisterEventSourceW;
        let name = wide(SOURCE);
        // SAFETY: `name` is a NUL-terminated UTF-16 string that outlives
        // the call; a null server name means this machine.
        let handle = unsafe { RegisterEventSourceW(std::ptr::null(), name.as_ptr()) };
        if handle.is_null() {
            return Err(EventLogError::Open(
                std::io::Error::last_os_error().to_string(),
            ));
        }
        Ok(WindowsEventLog { handle })
    }
}

#[cfg(windows)]
fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain([0]).collect()
}

#[cfg(windows)]
impl EventSink for WindowsEventLog {
    fn write(&mut self, event: &ShutdownEvent) -> Result<(), EventLogError> {
        use windows_sys::Win32::System::EventLog::ReportEventW;
        let strings: Vec<Vec<u16>> = event.strings.iter().map(|s| wide(s)).collect();
        let pointers: Vec<*const u16> = strings.iter().map(|s| s.as_ptr()).collect();
        let count = u16::try_from(pointers.len()).unwrap_or(u16::MAX);
        // SAFETY: `self.handle` is the open event source; `pointers` holds
        // `count` pointers to NUL-terminated UTF-16 strings that outlive
        // the call; no SID and no raw data (null, 0).
        let ok = unsafe {
            ReportEventW(
                self.handle,
                event.level.event_type(),
                0,
                event.id,
                std::ptr::null_mut(),
                count,
                0,
                pointers.as_ptr(),
                std::ptr::null(),
            )
        };
        if ok == 0 {
            return Err(EventLogError::Write {
                id: event.id,
                message: std::io::Error::last_os_error().to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(windows)]
impl Drop for WindowsEventLog {
    fn drop(&mut self) {
        use windows_sys::Win32::System::EventLog::DeregisterEventSource;
        // SAFETY: the handle came from RegisterEventSourceW and is closed
        // once, here.
        unsafe {
            DeregisterEventSource(self.handle);
        }
    }
}

/// What the collector (`watch --event-log`) keeps: a sink, the analysis
/// options, and how many events went out.
pub struct EventWriter {
    sink: Box<dyn EventSink>,
    options: AnalysisOptions,
    /// Events written.
    pub written: u64,
    /// Events the log refused.
    pub failed: u64,
}

impl EventWriter {
    /// A writer to `sink`, judging slow providers by `options`.
    pub fn new(sink: Box<dyn EventSink>, options: AnalysisOptions) -> EventWriter {
        EventWriter {
            sink,
            options,
            written: 0,
            failed: 0,
        }
    }

    /// Write the events of one completed session ([`events_for`]); every
    /// event is tried even when one fails.
    ///
    /// # Errors
    /// The first [`EventLogError`] of the session's events, after trying
    /// them all (the counts say how many went out).
    pub fn session(
        &mut self,
        trace: &ProcessTrace,
        verdict: &Verdict,
        pid: Option<u32>,
    ) -> Result<(), EventLogError> {
        let mut first = None;
        for event in events_for(trace, verdict, pid, &self.options) {
            match self.sink.write(&event) {
                Ok(()) => self.written += 1,
                Err(e) => {
                    self.failed += 1;
                    first.get_or_insert(e);
                }
            }
        }
        first.map_or(Ok(()), Err)
    }
}

/// The system's event log sink: the Windows Event Log on Windows.
///
/// # Errors
/// [`EventLogError::Open`] when the source cannot be opened;
/// [`EventLogError::Unsupported`] off Windows.
pub fn system_sink() -> Result<Box<dyn EventSink>, EventLogError> {
    #[cfg(windows)]
    {
        Ok(Box::new(WindowsEventLog::open()?))
    }
    #[cfg(not(windows))]
    {
        Err(EventLogError::Unsupported)
    }
}

#[cfg(test)]
mod tests;
