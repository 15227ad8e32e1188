//! The analysis: from one process's trace records to a verdict. It owns the
//! call model assembled from `enter`/`exit` pairs ([`ProcessTrace`]), the
//! outcome of the shutdown ([`Outcome`]), the reason in plain words, the
//! best-practice findings ([`Finding`]) and the timings per provider.
//!
//! Everything here is derived from the trace alone, following "Best
//! Practices for Fast Shutdown", "Client Shutdown in MAPI" and "Fast
//! Shutdown User Options" (see `../shared/DOMAIN.md`):
//! - the client must call `QueryFastShutdown` first and go on to
//!   `DoFastShutdown` only after `S_OK`; `DoFastShutdown` after a failed
//!   query risks data loss in every provider, `NotifyProcessShutdown` after
//!   one is only a warning (MFCMAPI does it);
//! - no MAPI call after `DoFastShutdown`; a client never calls
//!   `IMAPIProviderShutdown` itself;
//! - the subsystem calls transport, then address book, then store providers;
//! - a process that ends before every provider returned from
//!   `DoFastShutdown` may lose data.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::hresult::HRESULT;
use crate::mapi::ProviderKind;
use crate::policy::{FastShutdownBehavior, Setting};
use crate::trace::{
    Caller, ClientExit, Hello, Interface, Method, PolicyRecord, ProviderDecl, Record, SessionDecl,
};

/// A call assembled from its `enter` and (if it came) `exit` records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    /// The call id of the trace.
    pub id: u64,
    /// The enclosing call, for provider calls.
    pub parent: Option<u64>,
    /// Who called.
    pub caller: Caller,
    /// The interface.
    pub interface: Interface,
    /// The method.
    pub method: Method,
    /// The session it went through.
    pub session: Option<u32>,
    /// The provider called, for provider calls.
    pub provider: Option<u32>,
    /// Start, ns since the trace started.
    pub start_ns: u64,
    /// End, ns since the trace started; `None` while (or if never) returned.
    pub end_ns: Option<u64>,
    /// What it returned, once it returned.
    pub hresult: Option<HRESULT>,
}

impl Call {
    /// `end - start` in ns, once returned.
    pub fn duration_ns(&self) -> Option<u64> {
        self.end_ns.map(|end| end.saturating_sub(self.start_ns))
    }

    /// True when the call returned a failure code.
    pub fn failed(&self) -> bool {
        self.hresult.is_some_and(HRESULT::is_failure)
    }

    /// True for the client's `IMAPIClientShutdown` calls.
    pub fn is_client_shutdown(&self) -> bool {
        self.caller == Caller::Client && self.interface == Interface::ClientShutdown
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

    /// Add the next record of the stream.
    pub fn push(&mut self, record: Record) {
        self.last_ns = self.last_ns.max(record.t_ns());
        match record {
            Record::Hello(h) => self.hello = Some(h),
            Record::Policy(p) => self.policy = Some(p),
            Record::Session(s) => self.sessions.push(s),
            Record::Provider(p) => self.providers.push(p),
            Record::Enter(e) => {
                self.index.insert(e.call, self.calls.len());
                self.calls.push(Call {
                    id: e.call,
                    parent: e.parent,
                    caller: e.caller,
                    interface: e.interface,
                    method: e.method,
                    session: e.session,
                    provider: e.provider,
                    start_ns: e.t_ns,
                    end_ns: None,
                    hresult: None,
                });
            }
            Record::Exit(x) => match self.index.get(&x.call) {
                Some(&i) if self.calls[i].end_ns.is_none() => {
                    self.calls[i].end_ns = Some(x.t_ns);
                    self.calls[i].hresult = Some(x.hresult);
                }
                Some(_) => self
                    .anomalies
                    .push(format!("call {} returned twice", x.call)),
                None => self
                    .anomalies
                    .push(format!("exit for call {} that never started", x.call)),
            },
            Record::Dropped(d) => self.dropped = self.dropped.max(d.count),
            Record::ClientExit(c) => self.exit = Some(c),
        }
    }

    /// The records that assemble into this trace again, in time order
    /// (`hello` first): declarations, the policy, every call's `enter` and
    /// (once returned) `exit`, the dropped count and the client's exit.
    /// What [`ProcessTrace::push`] set aside as anomalies is not kept. Used
    /// to save sessions as a recording.
    pub fn to_records(&self) -> Vec<Record> {
        use crate::trace::{CallEnter, CallExit, Dropped};
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
        for c in &self.calls {
            timed.push((
                c.start_ns,
                Record::Enter(CallEnter {
                    t_ns: c.start_ns,
                    call: c.id,
                    parent: c.parent,
                    caller: c.caller,
                    interface: c.interface,
                    method: c.method,
                    session: c.session,
                    provider: c.provider,
                }),
            ));
            if let (Some(end), Some(hresult)) = (c.end_ns, c.hresult) {
                timed.push((
                    end,
                    Record::Exit(CallExit {
                        t_ns: end,
                        call: c.id,
                        hresult,
                    }),
                ));
            }
        }
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

    /// The call with id `id`.
    pub fn call(&self, id: u64) -> Option<&Call> {
        self.index.get(&id).map(|&i| &self.calls[i])
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
            .and_then(|c| c.session)
            .or_else(|| self.sessions.first().map(|s| s.session))
    }

    /// Calls whose parent is `id`, in start order.
    pub fn children(&self, id: u64) -> impl Iterator<Item = &Call> {
        self.calls.iter().filter(move |c| c.parent == Some(id))
    }

    fn first_client(&self, method: Method) -> Option<&Call> {
        self.calls
            .iter()
            .find(|c| c.is_client_shutdown() && c.method == method)
    }

    /// `'Name' (kind, dll)` for a provider id.
    fn describe_provider(&self, id: u32) -> String {
        match self.provider(id) {
            Some(p) => format!("provider '{}' ({}, {})", p.name, p.kind.label(), p.dll),
            None => format!("provider #{id} (not declared)"),
        }
    }
}

/// Whether the stream can still grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StreamState {
    /// Still connected: what is missing may yet come.
    Open,
    /// Ended (connection closed, file read to the end).
    Closed,
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
    /// A sentence for people.
    pub message: String,
    /// Ids of the calls behind it (may be empty).
    pub calls: Vec<u64>,
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
    /// Time in `DoFastShutdown`, ns (until the stream's last timestamp when
    /// it never returned).
    pub do_ns: u64,
    /// Sum of the three, ns.
    pub total_ns: u64,
    /// `total_ns` / the shutdown's duration, 0.0 to 1.0.
    pub share: f64,
}

/// The analysis of one process's shutdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// How it went.
    pub outcome: Outcome,
    /// Why, in a sentence naming the registry value or the provider.
    pub reason: String,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// From the first `IMAPIClientShutdown` call's start to the last
    /// call's end (or the stream's last timestamp), ns; `None` when the
    /// client made no shutdown call.
    pub duration_ns: Option<u64>,
    /// Per provider, in load order.
    pub providers: Vec<ProviderTiming>,
}

impl Verdict {
    /// The most severe finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Describe the policy in force: `FastShutdownBehavior=2 (Disabled) for
/// Office 16.0`.
pub fn describe_policy(policy: &PolicyRecord) -> String {
    let label = |b: FastShutdownBehavior| match b {
        FastShutdownBehavior::OptOut => "Opt-out",
        FastShutdownBehavior::OptIn => "Opt-in",
        FastShutdownBehavior::Disabled => "Disabled",
    };
    match &policy.setting {
        Setting::Valid { value } => format!(
            "FastShutdownBehavior={} ({}) for Office {}",
            value.dword(),
            label(*value),
            policy.office_version
        ),
        Setting::NotConfigured => format!(
            "FastShutdownBehavior not configured for Office {} (default: {})",
            policy.office_version,
            label(policy.effective)
        ),
        Setting::Invalid { raw, .. } => format!(
            "FastShutdownBehavior holds invalid data ({raw}) for Office {}, treated as {}",
            policy.office_version,
            label(policy.effective)
        ),
    }
}

/// Analyse `trace`. `state` says whether more may come.
pub fn analyze(trace: &ProcessTrace, state: StreamState, options: &AnalysisOptions) -> Verdict {
    let ended = state == StreamState::Closed || trace.exit.is_some();
    let query = trace.first_client(Method::QueryFastShutdown);
    let notify = trace.first_client(Method::NotifyProcessShutdown);
    let do_call = trace.first_client(Method::DoFastShutdown);
    let policy_text = trace.policy.as_ref().map(describe_policy);

    let mut findings = Vec::new();

    // Do/Notify after a failed (or absent) query.
    if let Some(d) = do_call {
        match query {
            Some(q) if q.failed() && q.start_ns < d.start_ns => findings.push(Finding {
                kind: FindingKind::IgnoredQueryError,
                severity: Severity::Error,
                message: format!(
                    "the client called DoFastShutdown after QueryFastShutdown returned {}: every provider may lose data",
                    q.hresult.unwrap_or(HRESULT::MAPI_E_CALL_FAILED)
                ),
                calls: vec![q.id, d.id],
            }),
            None => findings.push(Finding {
                kind: FindingKind::IgnoredQueryError,
                severity: Severity::Error,
                message: "the client called DoFastShutdown without calling QueryFastShutdown first"
                    .to_string(),
                calls: vec![d.id],
            }),
            _ => {}
        }
    }
    if let (Some(q), Some(n)) = (query, notify)
        && q.failed()
        && q.start_ns < n.start_ns
    {
        findings.push(Finding {
            kind: FindingKind::IgnoredQueryError,
            severity: Severity::Warning,
            message: format!(
                "the client called NotifyProcessShutdown after QueryFastShutdown returned {} (providers are only told to prepare)",
                q.hresult.unwrap_or(HRESULT::MAPI_E_CALL_FAILED)
            ),
            calls: vec![q.id, n.id],
        });
    }

    // MAPI calls after DoFastShutdown returned S_OK (the subsystem is done).
    if let Some(d) = do_call
        && let Some(end) = d.end_ns
        && d.hresult == Some(HRESULT::S_OK)
    {
        for c in trace
            .calls
            .iter()
            .filter(|c| c.caller == Caller::Client && c.start_ns >= end && c.id != d.id)
        {
            findings.push(Finding {
                kind: FindingKind::CallAfterDoFastShutdown,
                severity: Severity::Error,
                message: format!(
                    "the client called {} after DoFastShutdown{}",
                    c.method,
                    c.hresult
                        .map(|h| format!(" (it returned {h})"))
                        .unwrap_or_default()
                ),
                calls: vec![d.id, c.id],
            });
        }
    }

    // Client calling a provider directly.
    for c in trace
        .calls
        .iter()
        .filter(|c| c.caller == Caller::Client && c.interface == Interface::ProviderShutdown)
    {
        findings.push(Finding {
            kind: FindingKind::ClientCalledProvider,
            severity: Severity::Error,
            message: format!(
                "the client called IMAPIProviderShutdown::{} on {} directly; only the subsystem may",
                c.method,
                c.provider
                    .map(|p| trace.describe_provider(p))
                    .unwrap_or_else(|| "a provider".into())
            ),
            calls: vec![c.id],
        });
    }

    // Provider order under each client call.
    for parent in trace.calls.iter().filter(|c| c.is_client_shutdown()) {
        let mut last: Option<(ProviderKind, &Call)> = None;
        for child in trace.children(parent.id) {
            let Some(kind) = child
                .provider
                .and_then(|p| trace.provider(p))
                .map(|p| p.kind)
            else {
                continue;
            };
            if let Some((prev_kind, prev)) = last
                && kind < prev_kind
            {
                findings.push(Finding {
                    kind: FindingKind::ProviderOrder,
                    severity: Severity::Error,
                    message: format!(
                        "during {} the subsystem called {} ({}) after {} ({}): the documented order is transport, address book, message store",
                        parent.method,
                        child.provider.map(|p| trace.describe_provider(p)).unwrap_or_default(),
                        kind.label(),
                        prev.provider.map(|p| trace.describe_provider(p)).unwrap_or_default(),
                        prev_kind.label(),
                    ),
                    calls: vec![prev.id, child.id],
                });
            }
            if last.is_none_or(|(k, _)| kind >= k) {
                last = Some((kind, child));
            }
        }
    }

    // Slow provider steps (a step that never returned counts to the end).
    for c in trace
        .calls
        .iter()
        .filter(|c| c.interface == Interface::ProviderShutdown)
    {
        let ns = c
            .duration_ns()
            .unwrap_or_else(|| trace.last_ns.saturating_sub(c.start_ns));
        if ns > options.slow_provider_ns {
            findings.push(Finding {
                kind: FindingKind::SlowProvider,
                severity: Severity::Warning,
                message: format!(
                    "{} took {} in {}{} (threshold {})",
                    c.provider
                        .map(|p| trace.describe_provider(p))
                        .unwrap_or_else(|| "a provider".into()),
                    format_ns(ns),
                    c.method,
                    if c.end_ns.is_none() {
                        " and never returned"
                    } else {
                        ""
                    },
                    format_ns(options.slow_provider_ns)
                ),
                calls: vec![c.id],
            });
        }
    }

    // Unreturned DoFastShutdown calls when the stream is over.
    let unreturned_do: Vec<&Call> = trace
        .calls
        .iter()
        .filter(|c| c.method == Method::DoFastShutdown && c.end_ns.is_none())
        .collect();
    if ended && !unreturned_do.is_empty() {
        let providers: Vec<String> = unreturned_do
            .iter()
            .filter_map(|c| c.provider.map(|p| trace.describe_provider(p)))
            .collect();
        findings.push(Finding {
            kind: FindingKind::ProcessExitedDuringShutdown,
            severity: Severity::Error,
            message: if providers.is_empty() {
                "the process ended before DoFastShutdown returned".to_string()
            } else {
                format!(
                    "the process ended before {} returned from DoFastShutdown",
                    providers.join(", ")
                )
            },
            calls: unreturned_do.iter().map(|c| c.id).collect(),
        });
    }

    if trace.dropped > 0 {
        findings.push(Finding {
            kind: FindingKind::DroppedEvents,
            severity: Severity::Warning,
            message: format!(
                "the client dropped {} trace record(s): its queue was full or its sink failed; timings and calls may be missing",
                trace.dropped
            ),
            calls: Vec::new(),
        });
    }

    if let Some(p) = &trace.policy
        && let Setting::Invalid { raw, reason } = &p.setting
    {
        findings.push(Finding {
            kind: FindingKind::InvalidPolicyData,
            severity: Severity::Warning,
            message: format!(
                "FastShutdownBehavior for Office {} holds {raw}: {reason}; the subsystem used {}",
                p.office_version, p.effective
            ),
            calls: Vec::new(),
        });
    }

    let (outcome, reason) = decide(
        trace,
        state,
        query,
        do_call,
        &findings,
        policy_text.as_deref(),
    );
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));

    let first = trace.calls.iter().find(|c| c.is_client_shutdown());
    let duration_ns = first.map(|f| {
        let end = trace
            .calls
            .iter()
            .map(|c| c.end_ns.unwrap_or(trace.last_ns))
            .max()
            .unwrap_or(f.start_ns);
        end.saturating_sub(f.start_ns)
    });
    let providers = timings(trace, duration_ns);
    Verdict {
        outcome,
        reason,
        findings,
        duration_ns,
        providers,
    }
}

/// The outcome and its reason.
fn decide(
    trace: &ProcessTrace,
    state: StreamState,
    query: Option<&Call>,
    do_call: Option<&Call>,
    findings: &[Finding],
    policy: Option<&str>,
) -> (Outcome, String) {
    let ended = state == StreamState::Closed || trace.exit.is_some();
    let with_policy = |s: String| match policy {
        Some(p) => format!("{s}; policy: {p}"),
        None => s,
    };
    if let Some(f) = findings
        .iter()
        .find(|f| f.kind == FindingKind::ProcessExitedDuringShutdown)
    {
        return (Outcome::DataLossRisk, with_policy(f.message.clone()));
    }
    if let Some(f) = findings
        .iter()
        .find(|f| f.kind == FindingKind::IgnoredQueryError && f.severity == Severity::Error)
    {
        return (Outcome::DataLossRisk, with_policy(f.message.clone()));
    }
    if let Some(d) = do_call {
        return match d.hresult {
            None => (Outcome::InProgress, "DoFastShutdown is running".to_string()),
            Some(HRESULT::S_OK) => (
                Outcome::Fast,
                with_policy(format!(
                    "QueryFastShutdown returned S_OK and every provider returned from DoFastShutdown ({} provider(s) called)",
                    trace.children(d.id).count()
                )),
            ),
            Some(hr) => (
                Outcome::DataLossRisk,
                with_policy(format!(
                    "DoFastShutdown returned {hr}: not every provider is ready for exit{}",
                    failed_children(trace, d.id)
                )),
            ),
        };
    }
    match query {
        Some(q) => match q.hresult {
            None if ended => (
                Outcome::Incomplete,
                "the stream ended while QueryFastShutdown was running".to_string(),
            ),
            None => (
                Outcome::InProgress,
                "QueryFastShutdown is running".to_string(),
            ),
            Some(hr) if hr.is_failure() => (
                Outcome::Normal,
                format!(
                    "QueryFastShutdown returned {hr} because {}; the client took the normal (long) shutdown path",
                    why_no_fast_shutdown(trace, q, policy)
                ),
            ),
            Some(_) if ended => (
                Outcome::Incomplete,
                "QueryFastShutdown returned S_OK but the stream ended before DoFastShutdown"
                    .to_string(),
            ),
            Some(_) => (
                Outcome::InProgress,
                "QueryFastShutdown returned S_OK; waiting for DoFastShutdown".to_string(),
            ),
        },
        None if ended => {
            let uninit = trace
                .calls
                .iter()
                .any(|c| c.method == Method::MapiUninitialize && c.hresult == Some(HRESULT::S_OK));
            if uninit {
                (
                    Outcome::Normal,
                    "the client shut down without asking for fast shutdown (MAPIUninitialize)"
                        .to_string(),
                )
            } else {
                (
                    Outcome::Incomplete,
                    "the stream ended before the client started a shutdown".to_string(),
                )
            }
        }
        None => (
            Outcome::InProgress,
            "the client has not started its shutdown".to_string(),
        ),
    }
}

/// `: provider 'X' (…) returned …` for failing provider calls under `parent`.
fn failed_children(trace: &ProcessTrace, parent: u64) -> String {
    let mut text = String::new();
    for c in trace.children(parent).filter(|c| c.failed()) {
        let _ = write!(
            text,
            "; {} returned {}",
            c.provider
                .map(|p| trace.describe_provider(p))
                .unwrap_or_else(|| "a provider".into()),
            c.hresult.unwrap_or(HRESULT::MAPI_E_CALL_FAILED)
        );
    }
    text
}

/// Why the subsystem refused fast shutdown, naming the value or provider.
fn why_no_fast_shutdown(trace: &ProcessTrace, query: &Call, policy: Option<&str>) -> String {
    let effective = trace.policy.as_ref().map(|p| p.effective);
    if effective == Some(FastShutdownBehavior::Disabled) {
        return policy.unwrap_or("the policy is disabled").to_string();
    }
    let mut reasons: Vec<String> = trace
        .children(query.id)
        .filter(|c| c.failed())
        .map(|c| {
            format!(
                "{} returned {}",
                c.provider
                    .map(|p| trace.describe_provider(p))
                    .unwrap_or_else(|| "a provider".into()),
                c.hresult.unwrap_or(HRESULT::MAPI_E_CALL_FAILED)
            )
        })
        .collect();
    if effective == Some(FastShutdownBehavior::OptIn) {
        for p in trace.providers.iter().filter(|p| !p.implements_shutdown) {
            reasons.push(format!(
                "provider '{}' ({}, {}) does not implement IMAPIProviderShutdown and the policy is opt-in (1)",
                p.name,
                p.kind.label(),
                p.dll
            ));
        }
    }
    if reasons.is_empty() {
        match policy {
            Some(p) => format!("the subsystem refused ({p})"),
            None => "the subsystem refused".to_string(),
        }
    } else {
        reasons.join("; ")
    }
}

fn timings(trace: &ProcessTrace, duration_ns: Option<u64>) -> Vec<ProviderTiming> {
    trace
        .providers
        .iter()
        .map(|p| {
            let mut t = [0u64; 3];
            for c in trace.calls.iter().filter(|c| {
                c.provider == Some(p.provider) && c.interface == Interface::ProviderShutdown
            }) {
                let ns = c
                    .duration_ns()
                    .unwrap_or_else(|| trace.last_ns.saturating_sub(c.start_ns));
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
            }
        })
        .collect()
}

/// `850 ns`, `12.5 µs`, `3.20 ms`, `1.50 s`.
pub fn format_ns(ns: u64) -> String {
    match ns {
        0..1_000 => format!("{ns} ns"),
        1_000..1_000_000 => format!("{:.1} µs", ns as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.2} ms", ns as f64 / 1e6),
        _ => format!("{:.2} s", ns as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests;
