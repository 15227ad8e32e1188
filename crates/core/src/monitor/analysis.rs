//! The analysis: from one process's trace records to a verdict. It owns the
//! call model assembled from `enter`/`exit` pairs ([`ProcessTrace`]), the
//! outcome of the shutdown ([`Outcome`]), the reason in plain words, the
//! best-practice findings ([`Finding`]) and the timings per provider.
//!
//! Everything here is derived from the trace alone, following "Best
//! Practices for Fast Shutdown", "Client Shutdown in MAPI" and "Fast
//! Shutdown User Options" (see docs/domain.md):
//! - the client must call `QueryFastShutdown` first and go on to
//!   `DoFastShutdown` only after `S_OK`; `DoFastShutdown` after a failed
//!   query risks data loss in every provider, `NotifyProcessShutdown` after
//!   one is only a warning (MFCMAPI does it);
//! - no MAPI call after `DoFastShutdown`; a client never calls
//!   `IMAPIProviderShutdown` itself;
//! - within each MAPI session the subsystem calls transport, then address
//!   book, then store providers (the order across sessions is free);
//! - a process that ends before every provider returned from
//!   `DoFastShutdown` may lose data.

pub use crate::i18n::text::{Text, format_ns};
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::hresult::HRESULT;
use crate::i18n::Lang;
use crate::mapi::ProviderKind;
use crate::policy::{FastShutdownBehavior, Setting};
use crate::trace::{
    CallEnter, CallExit, Caller, ClientExit, Hello, Interface, Method, PolicyRecord, ProviderDecl,
    Record, SessionDecl,
};

mod batch;
pub use batch::TraceBatch;

/// A call assembled from its `enter` and (if it came) `exit` records.
///
/// 48 bytes: the optional fields are kept as plain values with one bit
/// each saying whether they are set (a trace holds one `Call` per two
/// records, so its size is most of the store's memory per event), read
/// through methods of the same names. Serialized as before, with `null`
/// for what is not set.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "CallFields", into = "CallFields")]
pub struct Call {
    /// The call id of the trace.
    pub id: u64,
    /// Start, ns since the trace started.
    pub start_ns: u64,
    /// Who called.
    pub caller: Caller,
    /// The interface.
    pub interface: Interface,
    /// The method.
    pub method: Method,
    raw_parent: u64,
    raw_end_ns: u64,
    raw_hresult: HRESULT,
    raw_session: u32,
    raw_provider: u32,
    /// Which of the optional fields are set (`HAS_*`).
    has: u8,
}

const HAS_PARENT: u8 = 1;
const HAS_SESSION: u8 = 2;
const HAS_PROVIDER: u8 = 4;
/// `end_ns` and `hresult`: a call returns with both.
const HAS_RETURNED: u8 = 8;

/// Each call's `enter` record and (once returned) its `exit` record, with
/// their times, for a list of records sorted by time afterwards.
fn push_call_records(calls: &[Call], timed: &mut Vec<(u64, Record)>) {
    for c in calls {
        timed.push((c.start_ns, Record::Enter(c.enter_record())));
        if let Some(x) = c.exit_record() {
            timed.push((x.t_ns, Record::Exit(x)));
        }
    }
}

/// A [`Call`]'s fields as they are serialized and printed.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(rename = "Call")]
struct CallFields {
    id: u64,
    parent: Option<u64>,
    caller: Caller,
    interface: Interface,
    method: Method,
    session: Option<u32>,
    provider: Option<u32>,
    start_ns: u64,
    end_ns: Option<u64>,
    hresult: Option<HRESULT>,
}

impl From<CallFields> for Call {
    fn from(f: CallFields) -> Call {
        let mut call = Call::new(&CallEnter {
            t_ns: f.start_ns,
            call: f.id,
            parent: f.parent,
            caller: f.caller,
            interface: f.interface,
            method: f.method,
            session: f.session,
            provider: f.provider,
        });
        if let (Some(end_ns), Some(hresult)) = (f.end_ns, f.hresult) {
            call.set_returned(end_ns, hresult);
        }
        call
    }
}

impl From<Call> for CallFields {
    fn from(c: Call) -> CallFields {
        CallFields {
            id: c.id,
            parent: c.parent(),
            caller: c.caller,
            interface: c.interface,
            method: c.method,
            session: c.session(),
            provider: c.provider(),
            start_ns: c.start_ns,
            end_ns: c.end_ns(),
            hresult: c.hresult(),
        }
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        CallFields::from(*self).fmt(f)
    }
}

impl Call {
    /// A call that has started (from its `enter` record) and not returned.
    pub fn new(e: &CallEnter) -> Call {
        let has = e.parent.map_or(0, |_| HAS_PARENT)
            | e.session.map_or(0, |_| HAS_SESSION)
            | e.provider.map_or(0, |_| HAS_PROVIDER);
        Call {
            id: e.call,
            start_ns: e.t_ns,
            caller: e.caller,
            interface: e.interface,
            method: e.method,
            raw_parent: e.parent.unwrap_or(0),
            raw_end_ns: 0,
            raw_hresult: HRESULT(0),
            raw_session: e.session.unwrap_or(0),
            raw_provider: e.provider.unwrap_or(0),
            has,
        }
    }

    /// The call returned at `end_ns` with `hresult`.
    pub fn set_returned(&mut self, end_ns: u64, hresult: HRESULT) {
        self.raw_end_ns = end_ns;
        self.raw_hresult = hresult;
        self.has |= HAS_RETURNED;
    }

    fn get<T: Copy>(&self, bit: u8, value: T) -> Option<T> {
        (self.has & bit != 0).then_some(value)
    }

    /// The enclosing call, for provider calls.
    pub fn parent(&self) -> Option<u64> {
        self.get(HAS_PARENT, self.raw_parent)
    }

    /// The session it went through.
    pub fn session(&self) -> Option<u32> {
        self.get(HAS_SESSION, self.raw_session)
    }

    /// The provider called, for provider calls.
    pub fn provider(&self) -> Option<u32> {
        self.get(HAS_PROVIDER, self.raw_provider)
    }

    /// End, ns since the trace started; `None` while (or if never) returned.
    pub fn end_ns(&self) -> Option<u64> {
        self.get(HAS_RETURNED, self.raw_end_ns)
    }

    /// What it returned, once it returned.
    pub fn hresult(&self) -> Option<HRESULT> {
        self.get(HAS_RETURNED, self.raw_hresult)
    }

    /// True once the call returned.
    pub fn returned(&self) -> bool {
        self.has & HAS_RETURNED != 0
    }

    /// The `enter` record of the call.
    pub fn enter_record(&self) -> CallEnter {
        CallEnter {
            t_ns: self.start_ns,
            call: self.id,
            parent: self.parent(),
            caller: self.caller,
            interface: self.interface,
            method: self.method,
            session: self.session(),
            provider: self.provider(),
        }
    }

    /// The `exit` record of the call, once it returned.
    pub fn exit_record(&self) -> Option<CallExit> {
        Some(CallExit {
            t_ns: self.end_ns()?,
            call: self.id,
            hresult: self.hresult()?,
        })
    }

    /// `end - start` in ns, once returned.
    pub fn duration_ns(&self) -> Option<u64> {
        self.end_ns().map(|end| end.saturating_sub(self.start_ns))
    }

    /// True when the call returned a failure code.
    pub fn failed(&self) -> bool {
        self.hresult().is_some_and(HRESULT::is_failure)
    }

    /// True for the client's `IMAPIClientShutdown` calls.
    pub fn is_client_shutdown(&self) -> bool {
        self.caller == Caller::Client && self.interface == Interface::ClientShutdown
    }
}

/// How long a call lasted: until its `exit`, or, when it never returned,
/// until the last thing known of the process (its exit, the connection
/// closing when it was killed, the end of the stream: the trace's
/// `last_ns`), a lower bound. The one rule for a call's duration: the
/// analysis' timings and findings, the reports, the Live panel and the
/// timeline take it from here, and print it with [`render`](Self::render).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDuration {
    /// ns: the call's duration, or its lower bound when it never returned.
    pub ns: u64,
    /// False when the call never returned (`ns` is then "at least").
    pub returned: bool,
}

impl CallDuration {
    /// A call that started at `start_ns` and returned at `end_ns` (`None`:
    /// never), in a trace whose last known instant is `last_ns`.
    pub fn of(start_ns: u64, end_ns: Option<u64>, last_ns: u64) -> CallDuration {
        match end_ns {
            Some(end) => CallDuration {
                ns: end.saturating_sub(start_ns),
                returned: true,
            },
            None => CallDuration {
                ns: last_ns.saturating_sub(start_ns),
                returned: false,
            },
        }
    }

    /// `2.60 ms`, or `≥ 250.00 ms, never returned`, in `lang`
    /// ([`format_ns`]).
    pub fn render(self, lang: Lang) -> String {
        if self.returned {
            format_ns(self.ns, lang)
        } else {
            Text::new("common-duration-unreturned")
                .ns("duration", self.ns)
                .render(lang)
        }
    }
}

/// Everything one process's stream said, assembled as records arrive.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessTrace {
    /// The stream header.
    pub hello: Option<Hello>,
    /// The policy the subsystem used.
    pub policy: Option<PolicyRecord>,
    /// Sessions in logon order.
    pub sessions: Vec<SessionDecl>,
    /// Providers in load order.
    pub providers: Vec<ProviderDecl>,
    /// Calls in the order they started.
    pub calls: Vec<Call>,
    /// The last `dropped` count reported by the client.
    pub dropped: u64,
    /// The client's exit, if it exited normally.
    pub exit: Option<ClientExit>,
    /// Records that did not fit (an `exit` for an unknown call, …).
    pub anomalies: Vec<String>,
    /// Latest timestamp seen, ns.
    pub last_ns: u64,
    /// Position in `calls` by call id; left empty while the ids are
    /// dense (call `n` at position `n - 1`, as the subsystem numbers
    /// them), where the position is the index.
    #[serde(skip)]
    index: HashMap<u64, usize>,
}

impl ProcessTrace {
    /// An empty trace.
    pub fn new() -> Self {
        Self::default()
    }

    /// Assemble a trace from records.
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a Record>) -> Self {
        let mut trace = Self::new();
        for r in records {
            trace.push(r.clone());
        }
        trace
    }

    /// Heap bytes of the call index (see
    /// [`footprint::hash_map_bytes`](super::footprint::hash_map_bytes)).
    pub(crate) fn index_bytes(&self) -> usize {
        super::footprint::hash_map_bytes(&self.index)
    }

    /// Add the next record of the stream.
    pub fn push(&mut self, record: Record) {
        self.last_ns = self.last_ns.max(record.t_ns());
        match record {
            Record::Hello(h) => self.hello = Some(h),
            Record::Policy(p) => self.policy = Some(p),
            Record::Session(s) => self.sessions.push(s),
            Record::Provider(p) => self.providers.push(p),
            Record::Enter(e) => self.push_enter(e),
            Record::Exit(x) => self.push_exit(&x),
            Record::Dropped(d) => self.dropped = self.dropped.max(d.count),
            Record::ClientExit(c) => self.exit = Some(c),
        }
    }

    fn push_enter(&mut self, e: CallEnter) {
        self.push_call(Call::new(&e));
    }

    /// Append a call (started, maybe returned), indexing it when the ids
    /// are not dense.
    fn push_call(&mut self, call: Call) {
        let at = self.calls.len();
        if !(self.index.is_empty() && call.id == at as u64 + 1) {
            if self.index.is_empty() {
                // The ids stop being dense: index the calls so far.
                self.index = self
                    .calls
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.id, i))
                    .collect();
            }
            self.index.insert(call.id, at);
        }
        self.calls.push(call);
    }

    fn push_exit(&mut self, x: &CallExit) {
        match self.position(x.call) {
            Some(i) if !self.calls[i].returned() => self.calls[i].set_returned(x.t_ns, x.hresult),
            Some(_) => self
                .anomalies
                .push(format!("call {} returned twice", x.call)),
            None => self
                .anomalies
                .push(format!("exit for call {} that never started", x.call)),
        }
    }

    /// The records that assemble into this trace again, in time order
    /// (`hello` first): declarations, the policy, every call's `enter` and
    /// (once returned) `exit`, the dropped count and the client's exit.
    /// What [`ProcessTrace::push`] set aside as anomalies is not kept. Used
    /// to save sessions as a recording.
    pub fn to_records(&self) -> Vec<Record> {
        use crate::trace::Dropped;
        let mut timed: Vec<(u64, Record)> = Vec::with_capacity(self.calls.len() * 2 + 8);
        if let Some(p) = &self.policy {
            timed.push((p.t_ns, Record::Policy(p.clone())));
        }
        timed.extend(
            self.sessions
                .iter()
                .map(|s| (s.t_ns, Record::Session(s.clone()))),
        );
        timed.extend(
            self.providers
                .iter()
                .map(|p| (p.t_ns, Record::Provider(p.clone()))),
        );
        push_call_records(&self.calls, &mut timed);
        if self.dropped > 0 {
            timed.push((
                self.last_ns,
                Record::Dropped(Dropped {
                    t_ns: self.last_ns,
                    count: self.dropped,
                }),
            ));
        }
        if let Some(x) = &self.exit {
            timed.push((x.t_ns, Record::ClientExit(x.clone())));
        }
        // Stable: an enter and its own exit at the same ns stay in order.
        timed.sort_by_key(|(t, _)| *t);
        self.hello
            .iter()
            .map(|h| Record::Hello(h.clone()))
            .chain(timed.into_iter().map(|(_, r)| r))
            .collect()
    }

    /// How long `call` lasted ([`CallDuration`]): a call that never
    /// returned lasts until `last_ns`.
    pub fn duration_of(&self, call: &Call) -> CallDuration {
        CallDuration::of(call.start_ns, call.end_ns(), self.last_ns)
    }

    /// The process was last known alive at `t_ns` (its connection closed
    /// then, it was killed then): calls that never returned last until
    /// then at least. Moves `last_ns`, never back.
    pub fn seen_until(&mut self, t_ns: u64) {
        self.last_ns = self.last_ns.max(t_ns);
    }

    /// The call with id `id`.
    pub fn call(&self, id: u64) -> Option<&Call> {
        self.position(id).map(|i| &self.calls[i])
    }

    /// The position in `calls` of the call with id `id`.
    fn position(&self, id: u64) -> Option<usize> {
        if self.index.is_empty() {
            let i = usize::try_from(id.checked_sub(1)?).ok()?;
            self.calls.get(i).filter(|c| c.id == id).map(|_| i)
        } else {
            self.index.get(&id).copied()
        }
    }

    /// The provider declared with id `id`.
    pub fn provider(&self, id: u32) -> Option<&ProviderDecl> {
        self.providers.iter().find(|p| p.provider == id)
    }

    /// The session through which the client called `IMAPIClientShutdown`
    /// first, else the first session.
    pub fn shutdown_session(&self) -> Option<u32> {
        self.calls
            .iter()
            .find(|c| c.is_client_shutdown())
            .and_then(|c| c.session())
            .or_else(|| self.sessions.first().map(|s| s.session))
    }

    /// Calls whose parent is `id`, in start order.
    pub fn children(&self, id: u64) -> impl Iterator<Item = &Call> {
        self.calls.iter().filter(move |c| c.parent() == Some(id))
    }

    fn first_client(&self, method: Method) -> Option<&Call> {
        self.calls
            .iter()
            .find(|c| c.is_client_shutdown() && c.method == method)
    }

    /// `provider 'Name' (kind, dll)` for a provider id.
    fn describe_provider(&self, id: u32) -> Text {
        match self.provider(id) {
            Some(p) => provider_text(p),
            None => Text::new("analysis-provider-undeclared").num("id", u64::from(id)),
        }
    }
}

/// Whether the stream can still grow, and whether its end is the
/// process's end.
///
/// The analysis says only what it saw: the end of a file or a stopped
/// monitor is not a process exit. A process ended when its `client_exit`
/// came, or when the client closed its connection while the monitor was
/// listening (its pipe or socket closes when it exits or is killed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StreamState {
    /// Still connected: what is missing may yet come.
    Open,
    /// The client closed its connection while the monitor listened: the
    /// process ended (exited or was killed) with the stream.
    Closed,
    /// The stream stopped without its end being seen: a trace or spool
    /// file read to its end, the monitor stopped while the client was
    /// connected. Nothing more will come, but the process may have gone on.
    Cut,
}

impl StreamState {
    /// True when nothing more will come (closed or cut).
    pub fn ended(self) -> bool {
        self != StreamState::Open
    }
}

/// Tunable thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisOptions {
    /// A provider step longer than this is a `slow-provider` finding, ns.
    /// Default 500 ms.
    pub slow_provider_ns: u64,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            slow_provider_ns: 500_000_000,
        }
    }
}

/// How the shutdown went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Query `S_OK`, then Do, and every provider returned.
    Fast,
    /// Query failed and the client did not go on to `DoFastShutdown`.
    Normal,
    /// `DoFastShutdown` after a failed query, or the process ended before
    /// every provider returned from `DoFastShutdown`.
    DataLossRisk,
    /// The stream ended mid-sequence.
    Incomplete,
    /// Still going.
    InProgress,
}

impl Outcome {
    /// Every outcome, from the best to the unfinished.
    pub const ALL: [Outcome; 5] = [
        Outcome::Fast,
        Outcome::Normal,
        Outcome::DataLossRisk,
        Outcome::Incomplete,
        Outcome::InProgress,
    ];

    /// `fast`, `normal`, `data-loss-risk`, `incomplete`, `in-progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Fast => "fast",
            Outcome::Normal => "normal",
            Outcome::DataLossRisk => "data-loss-risk",
            Outcome::Incomplete => "incomplete",
            Outcome::InProgress => "in-progress",
        }
    }

    /// The outcome in the user's language, for badges and human output
    /// (JSON keeps [`as_str`](Self::as_str)).
    pub fn localized(self) -> String {
        match self {
            Outcome::Fast => crate::tr!("common-outcome-fast"),
            Outcome::Normal => crate::tr!("common-outcome-normal"),
            Outcome::DataLossRisk => crate::tr!("common-outcome-data-loss-risk"),
            Outcome::Incomplete => crate::tr!("common-outcome-incomplete"),
            Outcome::InProgress => crate::tr!("common-outcome-in-progress"),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Against best practice, no data at stake.
    Warning,
    /// Data may be lost, or the contract is broken.
    Error,
}

impl Severity {
    /// The severity in the user's language (JSON keeps the serde name).
    pub fn localized(self) -> String {
        match self {
            Severity::Info => crate::tr!("common-severity-info"),
            Severity::Warning => crate::tr!("common-severity-warning"),
            Severity::Error => crate::tr!("common-severity-error"),
        }
    }
}

/// The kinds of finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A MAPI call after `DoFastShutdown`.
    CallAfterDoFastShutdown,
    /// Notify (warning) or Do (error) after a failed `QueryFastShutdown`.
    IgnoredQueryError,
    /// Providers called out of the transport / address book / store order.
    ProviderOrder,
    /// A provider step over the threshold.
    SlowProvider,
    /// The process ended before every provider returned from `DoFastShutdown`.
    ProcessExitedDuringShutdown,
    /// The client dropped trace records.
    DroppedEvents,
    /// The policy value holds data that is not a valid setting.
    InvalidPolicyData,
    /// The client called `IMAPIProviderShutdown` directly.
    ClientCalledProvider,
}

impl FindingKind {
    /// The kebab-case name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::CallAfterDoFastShutdown => "call-after-do-fast-shutdown",
            FindingKind::IgnoredQueryError => "ignored-query-error",
            FindingKind::ProviderOrder => "provider-order",
            FindingKind::SlowProvider => "slow-provider",
            FindingKind::ProcessExitedDuringShutdown => "process-exited-during-shutdown",
            FindingKind::DroppedEvents => "dropped-events",
            FindingKind::InvalidPolicyData => "invalid-policy-data",
            FindingKind::ClientCalledProvider => "client-called-provider",
        }
    }
}

/// One finding with the calls behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What kind.
    pub kind: FindingKind,
    /// How bad.
    pub severity: Severity,
    /// A sentence for people, in English (JSON keeps it; people read
    /// [`text`](Self::text) in their language).
    pub message: String,
    /// Ids of the calls behind it (may be empty).
    pub calls: Vec<u64>,
    /// The sentence as data, to render in any language.
    #[serde(skip)]
    text: Beside,
}

impl Finding {
    fn new(kind: FindingKind, severity: Severity, text: Text, calls: Vec<u64>) -> Finding {
        Finding {
            kind,
            severity,
            message: text.render(Lang::En),
            calls,
            text: Beside(text),
        }
    }

    /// The sentence as data, to render at the edge (`render(lang)`, or
    /// `Display` in the language in force); [`message`](Self::message) is
    /// its English rendering. A finding read back from JSON has only that
    /// English sentence: its text is those words as they are.
    pub fn text(&self) -> Text {
        if self.text.0.is_empty() {
            Text::plain(self.message.clone())
        } else {
            self.text.0.clone()
        }
    }
}

/// A [`Text`] kept beside its English rendering (a `message` or `reason`
/// field): not serialized, and left out of comparisons, which the English
/// field decides (a verdict read back from JSON equals the one written).
#[derive(Clone, Debug, Default)]
struct Beside(Text);

impl PartialEq for Beside {
    fn eq(&self, _: &Beside) -> bool {
        true
    }
}

impl Eq for Beside {}

/// A provider kind as a text (`common-kind-*`).
fn kind_text(kind: ProviderKind) -> Text {
    Text::new(match kind {
        ProviderKind::Transport => "common-kind-transport",
        ProviderKind::AddressBook => "common-kind-address-book",
        ProviderKind::MessageStore => "common-kind-message-store",
    })
}

/// `provider 'Name' (kind, dll)`; `provider 'dll' (kind)` for one named
/// by its DLL (a captured provider whose display name is unknown).
fn provider_text(p: &ProviderDecl) -> Text {
    if p.named_by_dll() {
        return Text::new("analysis-provider-dll")
            .str("dll", &p.dll)
            .text("kind", kind_text(p.kind));
    }
    Text::new("analysis-provider")
        .str("name", &p.name)
        .text("kind", kind_text(p.kind))
        .str("dll", &p.dll)
}

/// `a provider`.
fn a_provider() -> Text {
    Text::new("analysis-a-provider")
}

/// `X returned HRESULT` for a provider call.
fn returned_text(trace: &ProcessTrace, c: &Call) -> Text {
    Text::new("analysis-provider-returned")
        .text(
            "provider",
            c.provider()
                .map(|p| trace.describe_provider(p))
                .unwrap_or_else(a_provider),
        )
        .str(
            "hresult",
            c.hresult().unwrap_or(HRESULT::MAPI_E_CALL_FAILED),
        )
}

/// Time a provider spent in shutdown calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderTiming {
    /// Provider id.
    pub provider: u32,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: ProviderKind,
    /// DLL.
    pub dll: String,
    /// Whether it implements `IMAPIProviderShutdown`.
    pub implements_shutdown: bool,
    /// Time in `QueryFastShutdown`, ns.
    pub query_ns: u64,
    /// Time in `NotifyProcessShutdown`, ns.
    pub notify_ns: u64,
    /// Time in `DoFastShutdown`, ns (until the last thing known of the
    /// process when it never returned: [`CallDuration`]).
    pub do_ns: u64,
    /// Sum of the three, ns.
    pub total_ns: u64,
    /// `total_ns` / the shutdown's duration, 0.0 to 1.0. A call that
    /// never returned counts until the last thing known of the process
    /// ([`CallDuration`]): the provider stuck is the first suspect.
    pub share: f64,
    /// The method this provider never returned from, if any (its time
    /// is then a lower bound: "≥ …, never returned").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreturned: Option<Method>,
}

impl ProviderTiming {
    /// The time in `method` as people read it ([`CallDuration::render`]).
    pub fn render(&self, method: Method, lang: Lang) -> String {
        let ns = match method {
            Method::QueryFastShutdown => self.query_ns,
            Method::NotifyProcessShutdown => self.notify_ns,
            Method::DoFastShutdown => self.do_ns,
            Method::MapiLogonEx | Method::MapiUninitialize => 0,
        };
        CallDuration {
            ns,
            returned: self.unreturned != Some(method),
        }
        .render(lang)
    }

    /// The total as people read it: a lower bound when a call never
    /// returned.
    pub fn render_total(&self, lang: Lang) -> String {
        CallDuration {
            ns: self.total_ns,
            returned: self.unreturned.is_none(),
        }
        .render(lang)
    }
}

/// The analysis of one process's shutdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// How it went.
    pub outcome: Outcome,
    /// Why, in a sentence naming the registry value or the provider, in
    /// English (JSON keeps it; people read [`reason_text`](Self::reason_text)).
    pub reason: String,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// From the first `IMAPIClientShutdown` call's start to the last
    /// call's end (or the stream's last timestamp), ns; `None` when the
    /// client made no shutdown call.
    pub duration_ns: Option<u64>,
    /// Per provider, in load order.
    pub providers: Vec<ProviderTiming>,
    /// The reason as data, to render in any language.
    #[serde(skip)]
    reason_text: Beside,
}

impl Verdict {
    /// The most severe finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// The reason as data, to render at the edge (`render(lang)`, or
    /// `Display` in the language in force); [`reason`](Self::reason) is its
    /// English rendering. A verdict read back from JSON has only that
    /// English sentence: its text is those words as they are.
    pub fn reason_text(&self) -> Text {
        if self.reason_text.0.is_empty() {
            Text::plain(self.reason.clone())
        } else {
            self.reason_text.0.clone()
        }
    }
}

/// A session's verdict as every session object prints it: `simulate
/// --json`, `watch --json`, `analyze --json` and the report's JSON
/// sessions flatten this one shape (`outcome`, `reason`, `duration_ms`,
/// `duration_ns`, `findings` with `kind`, `severity`, `message`, `calls`),
/// so that they can be compared field by field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionVerdict {
    /// `fast`, `normal`, `data-loss-risk`, `incomplete`, `in-progress`.
    pub outcome: Outcome,
    /// Why, in a sentence, in English.
    pub reason: String,
    /// The shutdown's duration, ms (µs precision); `None` without
    /// shutdown calls.
    pub duration_ms: Option<f64>,
    /// The same in ns.
    pub duration_ns: Option<u64>,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
}

impl From<&Verdict> for SessionVerdict {
    fn from(v: &Verdict) -> SessionVerdict {
        SessionVerdict {
            outcome: v.outcome,
            reason: v.reason.clone(),
            duration_ms: v.duration_ns.map(|ns| (ns / 1_000) as f64 / 1_000.0),
            duration_ns: v.duration_ns,
            findings: v.findings.clone(),
        }
    }
}

/// The policy in force in words: `FastShutdownBehavior=2 (disabled) for
/// Office 16.0` (render it at the edge: `render(Lang::En)` for JSON and
/// reports' English fields, `Display` for people).
pub fn describe_policy(policy: &PolicyRecord) -> Text {
    let label = |b: FastShutdownBehavior| {
        Text::new(match b {
            FastShutdownBehavior::OptOut => "analysis-behavior-opt-out",
            FastShutdownBehavior::OptIn => "analysis-behavior-opt-in",
            FastShutdownBehavior::Disabled => "analysis-behavior-disabled",
        })
    };
    match &policy.setting {
        Setting::Valid { value } => Text::new("analysis-policy-valid")
            .num("dword", u64::from(value.dword()))
            .text("label", label(*value))
            .str("office", policy.office_version),
        Setting::NotConfigured => Text::new("analysis-policy-not-configured")
            .str("office", policy.office_version)
            .text("label", label(policy.effective)),
        Setting::Invalid { raw, .. } => Text::new("analysis-policy-invalid")
            .str("raw", raw)
            .str("office", policy.office_version)
            .text("label", label(policy.effective)),
    }
}

/// Analyse `trace`. `state` says whether more may come.
pub fn analyze(trace: &ProcessTrace, state: StreamState, options: &AnalysisOptions) -> Verdict {
    let ended = state.ended() || trace.exit.is_some();
    // The process's end was seen: its exit record, or its connection closed.
    let exited = state == StreamState::Closed || trace.exit.is_some();
    let query = trace.first_client(Method::QueryFastShutdown);
    let notify = trace.first_client(Method::NotifyProcessShutdown);
    let do_call = trace.first_client(Method::DoFastShutdown);
    let policy_text = trace.policy.as_ref().map(describe_policy);

    let mut findings = Vec::new();

    // Do/Notify after a failed (or absent) query.
    if let Some(d) = do_call {
        match query {
            Some(q) if q.failed() && q.start_ns < d.start_ns => findings.push(Finding::new(
                FindingKind::IgnoredQueryError,
                Severity::Error,
                Text::new("analysis-do-after-failed-query").str(
                    "hresult",
                    q.hresult().unwrap_or(HRESULT::MAPI_E_CALL_FAILED),
                ),
                vec![q.id, d.id],
            )),
            None => findings.push(Finding::new(
                FindingKind::IgnoredQueryError,
                Severity::Error,
                Text::new("analysis-do-without-query"),
                vec![d.id],
            )),
            _ => {}
        }
    }
    if let (Some(q), Some(n)) = (query, notify)
        && q.failed()
        && q.start_ns < n.start_ns
    {
        findings.push(Finding::new(
            FindingKind::IgnoredQueryError,
            Severity::Warning,
            Text::new("analysis-notify-after-failed-query").str(
                "hresult",
                q.hresult().unwrap_or(HRESULT::MAPI_E_CALL_FAILED),
            ),
            vec![q.id, n.id],
        ));
    }

    // MAPI calls after DoFastShutdown returned S_OK (the subsystem is done).
    if let Some(d) = do_call
        && let Some(end) = d.end_ns()
        && d.hresult() == Some(HRESULT::S_OK)
    {
        for c in trace
            .calls
            .iter()
            .filter(|c| c.caller == Caller::Client && c.start_ns >= end && c.id != d.id)
        {
            let text = match c.hresult() {
                Some(h) => Text::new("analysis-call-after-do-returned")
                    .str("method", c.method)
                    .str("hresult", h),
                None => Text::new("analysis-call-after-do").str("method", c.method),
            };
            findings.push(Finding::new(
                FindingKind::CallAfterDoFastShutdown,
                Severity::Error,
                text,
                vec![d.id, c.id],
            ));
        }
    }

    // Client calling a provider directly.
    for c in trace
        .calls
        .iter()
        .filter(|c| c.caller == Caller::Client && c.interface == Interface::ProviderShutdown)
    {
        findings.push(Finding::new(
            FindingKind::ClientCalledProvider,
            Severity::Error,
            Text::new("analysis-client-called-provider")
                .str("method", c.method)
                .text(
                    "provider",
                    c.provider()
                        .map(|p| trace.describe_provider(p))
                        .unwrap_or_else(a_provider),
                ),
            vec![c.id],
        ));
    }

    // Provider order under each client call, within each MAPI session.
    provider_order(trace, &mut findings);

    // Slow provider steps (a step that never returned counts to the end).
    for c in trace
        .calls
        .iter()
        .filter(|c| c.interface == Interface::ProviderShutdown)
    {
        let ns = trace.duration_of(c).ns;
        if ns > options.slow_provider_ns {
            let id = if c.end_ns().is_none() {
                "analysis-slow-provider-unreturned"
            } else {
                "analysis-slow-provider"
            };
            findings.push(Finding::new(
                FindingKind::SlowProvider,
                Severity::Warning,
                Text::new(id)
                    .text(
                        "provider",
                        c.provider()
                            .map(|p| trace.describe_provider(p))
                            .unwrap_or_else(a_provider),
                    )
                    .ns("duration", ns)
                    .str("method", c.method)
                    .ns("threshold", options.slow_provider_ns),
                vec![c.id],
            ));
        }
    }

    // Unreturned DoFastShutdown calls when the process is known to have
    // ended ("Best Practices for Fast Shutdown": exiting before every
    // provider returned may lose data). A stream that was only cut is
    // `incomplete` (see `decide`).
    let unreturned_do = unreturned_do(trace);
    if exited && !unreturned_do.is_empty() {
        let providers = inside_do(trace, &unreturned_do);
        // Providers with the interface that the unreturned client
        // DoFastShutdown never reached (the subsystem calls them in turn).
        let unreached: Vec<Text> = unreturned_do
            .iter()
            .find(|c| c.is_client_shutdown())
            .map(|d| {
                let reached: Vec<u32> = trace.children(d.id).filter_map(Call::provider).collect();
                trace
                    .providers
                    .iter()
                    .filter(|p| p.implements_shutdown && !reached.contains(&p.provider))
                    .map(provider_text)
                    .collect()
            })
            .unwrap_or_default();
        findings.push(Finding::new(
            FindingKind::ProcessExitedDuringShutdown,
            Severity::Error,
            {
                let text = if providers.is_empty() {
                    Text::new("analysis-exited-during-do")
                } else {
                    Text::new("analysis-exited-during-do-providers").list(
                        "providers",
                        providers,
                        "analysis-separator-comma",
                    )
                };
                if unreached.is_empty() {
                    text
                } else {
                    Text::new("analysis-exited-unreached")
                        .text("base", text)
                        .list("unreached", unreached, "analysis-separator-comma")
                }
            },
            unreturned_do.iter().map(|c| c.id).collect(),
        ));
    }

    if trace.dropped > 0 {
        findings.push(Finding::new(
            FindingKind::DroppedEvents,
            Severity::Warning,
            Text::new("analysis-dropped").num("count", trace.dropped),
            Vec::new(),
        ));
    }

    if let Some(p) = &trace.policy
        && let Setting::Invalid { raw, reason } = &p.setting
    {
        findings.push(Finding::new(
            FindingKind::InvalidPolicyData,
            Severity::Warning,
            Text::new("analysis-invalid-policy")
                .str("office", p.office_version)
                .str("raw", raw)
                .str("reason", reason)
                .str("effective", p.effective),
            Vec::new(),
        ));
    }

    let (outcome, reason_text) = decide(trace, ended, query, do_call, &findings);
    // Every reason names the policy in force, when the trace has it. A
    // captured trace whose subsystem DLL has no Office version says the
    // policy is unknown (the agent does not guess which key is read).
    let version_unknown = trace
        .hello
        .as_ref()
        .and_then(|h| h.capture.as_ref())
        .is_some_and(|c| !c.office_version_known);
    let reason_text = match policy_text {
        Some(p) => Text::new("analysis-with-policy")
            .text("reason", reason_text)
            .text("policy", p),
        None if version_unknown => Text::new("analysis-with-unknown-policy")
            .text("reason", reason_text)
            .str(
                "subsystem",
                trace.hello.as_ref().map_or("", |h| h.subsystem.as_str()),
            ),
        None => reason_text,
    };
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));

    let first = trace.calls.iter().find(|c| c.is_client_shutdown());
    let duration_ns = first.map(|f| {
        let end = trace
            .calls
            .iter()
            .map(|c| c.end_ns().unwrap_or(trace.last_ns))
            .max()
            .unwrap_or(f.start_ns);
        end.saturating_sub(f.start_ns)
    });
    let providers = timings(trace, duration_ns);
    Verdict {
        outcome,
        reason: reason_text.render(Lang::En),
        findings,
        duration_ns,
        providers,
        reason_text: Beside(reason_text),
    }
}

/// Provider-order findings: under each client shutdown call, within each
/// MAPI session, a provider of an earlier kind (transport, then address
/// book, then message store) called after one of a later kind.
///
/// "Fast Shutdown Overview": the subsystem queries and notifies providers
/// "within each MAPI session" in the order transport, address book, message
/// store; the order across sessions is not specified, so session by session
/// and kind by kind across sessions are both valid. A provider call that
/// carries no session, or names no declared provider, is not placed.
fn provider_order(trace: &ProcessTrace, findings: &mut Vec<Finding>) {
    for parent in trace.calls.iter().filter(|c| c.is_client_shutdown()) {
        // Per session: the latest kind called so far and the call of it.
        let mut last: HashMap<u32, (ProviderKind, &Call)> = HashMap::new();
        for child in trace.children(parent.id) {
            let Some(session) = child.session() else {
                continue;
            };
            let Some(kind) = child
                .provider()
                .and_then(|p| trace.provider(p))
                .map(|p| p.kind)
            else {
                continue;
            };
            match last.get(&session) {
                Some(&(prev_kind, prev)) if kind < prev_kind => {
                    findings.push(Finding::new(
                        FindingKind::ProviderOrder,
                        Severity::Error,
                        Text::new("analysis-provider-order")
                            .str("method", parent.method)
                            .num("session", u64::from(session))
                            .text(
                                "provider",
                                child
                                    .provider()
                                    .map(|p| trace.describe_provider(p))
                                    .unwrap_or_default(),
                            )
                            .text(
                                "previous",
                                prev.provider()
                                    .map(|p| trace.describe_provider(p))
                                    .unwrap_or_default(),
                            ),
                        vec![prev.id, child.id],
                    ));
                }
                Some(_) | None => {
                    last.insert(session, (kind, child));
                }
            }
        }
    }
}

/// The `DoFastShutdown` calls (the client's and the providers') that never
/// returned.
fn unreturned_do(trace: &ProcessTrace) -> Vec<&Call> {
    trace
        .calls
        .iter()
        .filter(|c| c.method == Method::DoFastShutdown && c.end_ns().is_none())
        .collect()
}

/// The providers among `calls`, described.
fn inside_do(trace: &ProcessTrace, calls: &[&Call]) -> Vec<Text> {
    calls
        .iter()
        .filter_map(|c| c.provider().map(|p| trace.describe_provider(p)))
        .collect()
}

/// The outcome and its reason. `ended`: nothing more will come (the
/// stream closed or was cut, or the client's exit came).
fn decide(
    trace: &ProcessTrace,
    ended: bool,
    query: Option<&Call>,
    do_call: Option<&Call>,
    findings: &[Finding],
) -> (Outcome, Text) {
    if let Some(f) = findings
        .iter()
        .find(|f| f.kind == FindingKind::ProcessExitedDuringShutdown)
    {
        return (Outcome::DataLossRisk, f.text.0.clone());
    }
    if let Some(f) = findings
        .iter()
        .find(|f| f.kind == FindingKind::IgnoredQueryError && f.severity == Severity::Error)
    {
        return (Outcome::DataLossRisk, f.text.0.clone());
    }
    if let Some(d) = do_call {
        return match d.hresult() {
            // Cut while DoFastShutdown ran, the process's end unseen
            // (a process end is a `process-exited-during-shutdown` above).
            None if ended => {
                let providers = inside_do(trace, &unreturned_do(trace));
                let text = if providers.is_empty() {
                    Text::new("analysis-reason-do-cut")
                } else {
                    Text::new("analysis-reason-do-cut-providers").list(
                        "providers",
                        providers,
                        "analysis-separator-comma",
                    )
                };
                (Outcome::Incomplete, text)
            }
            None => (Outcome::InProgress, Text::new("analysis-reason-do-running")),
            Some(HRESULT::S_OK) => (
                Outcome::Fast,
                Text::new("analysis-reason-fast").num("count", trace.children(d.id).count() as u64),
            ),
            Some(hr) => {
                let failed: Vec<Text> = trace
                    .children(d.id)
                    .filter(|c| c.failed())
                    .map(|c| returned_text(trace, c))
                    .collect();
                let text = if failed.is_empty() {
                    Text::new("analysis-reason-do-failed").str("hresult", hr)
                } else {
                    Text::new("analysis-reason-do-failed-providers")
                        .str("hresult", hr)
                        .list("failures", failed, "analysis-separator-semicolon")
                };
                (Outcome::DataLossRisk, text)
            }
        };
    }
    match query {
        Some(q) => match q.hresult() {
            None if ended => (Outcome::Incomplete, Text::new("analysis-reason-query-cut")),
            None => (
                Outcome::InProgress,
                Text::new("analysis-reason-query-running"),
            ),
            Some(hr) if hr.is_failure() => (
                Outcome::Normal,
                Text::new("analysis-reason-normal")
                    .str("hresult", hr)
                    .text("why", why_no_fast_shutdown(trace, q)),
            ),
            Some(_) if ended => (
                Outcome::Incomplete,
                Text::new("analysis-reason-query-ok-cut"),
            ),
            Some(_) => (
                Outcome::InProgress,
                Text::new("analysis-reason-query-ok-waiting"),
            ),
        },
        None if ended => {
            let uninit = trace.calls.iter().any(|c| {
                c.method == Method::MapiUninitialize && c.hresult() == Some(HRESULT::S_OK)
            });
            if uninit {
                (Outcome::Normal, Text::new("analysis-reason-uninitialize"))
            } else {
                (
                    Outcome::Incomplete,
                    Text::new("analysis-reason-no-shutdown-cut"),
                )
            }
        }
        None => (
            Outcome::InProgress,
            Text::new("analysis-reason-not-started"),
        ),
    }
}

/// Why the subsystem refused fast shutdown, naming the providers (the
/// policy in force follows every reason).
fn why_no_fast_shutdown(trace: &ProcessTrace, query: &Call) -> Text {
    let effective = trace.policy.as_ref().map(|p| p.effective);
    if effective == Some(FastShutdownBehavior::Disabled) {
        return Text::new("analysis-why-policy-disabled");
    }
    let mut reasons: Vec<Text> = trace
        .children(query.id)
        .filter(|c| c.failed())
        .map(|c| returned_text(trace, c))
        .collect();
    if effective == Some(FastShutdownBehavior::OptIn) {
        for p in trace.providers.iter().filter(|p| !p.implements_shutdown) {
            reasons
                .push(Text::new("analysis-why-not-implemented").text("provider", provider_text(p)));
        }
    }
    if reasons.is_empty() {
        Text::new("analysis-why-refused")
    } else {
        Text::new("analysis-why-list").list("reasons", reasons, "analysis-separator-semicolon")
    }
}

fn timings(trace: &ProcessTrace, duration_ns: Option<u64>) -> Vec<ProviderTiming> {
    trace
        .providers
        .iter()
        .map(|p| {
            let mut t = [0u64; 3];
            let mut unreturned = None;
            for c in trace.calls.iter().filter(|c| {
                c.provider() == Some(p.provider) && c.interface == Interface::ProviderShutdown
            }) {
                let d = trace.duration_of(c);
                let ns = d.ns;
                if !d.returned {
                    unreturned = Some(c.method);
                }
                match c.method {
                    Method::QueryFastShutdown => t[0] += ns,
                    Method::NotifyProcessShutdown => t[1] += ns,
                    Method::DoFastShutdown => t[2] += ns,
                    Method::MapiLogonEx | Method::MapiUninitialize => {}
                }
            }
            let total = t[0] + t[1] + t[2];
            let share = match duration_ns {
                Some(d) if d > 0 => (total as f64 / d as f64).min(1.0),
                _ => 0.0,
            };
            ProviderTiming {
                provider: p.provider,
                name: p.name.clone(),
                kind: p.kind,
                dll: p.dll.clone(),
                implements_shutdown: p.implements_shutdown,
                query_ns: t[0],
                notify_ns: t[1],
                do_ns: t[2],
                total_ns: total,
                share,
                unreturned,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
