//! The summary `simulate` prints, derived from trace records alone: the
//! client and its policy, the sessions and providers, every call (client
//! and provider calls, nested, in order) with its HRESULT and duration,
//! the verdict, and how the process ended. Rendered as aligned text for a
//! terminal or serialized as one JSON document (shape in
//! `docs/scenarios.md`).
//!
//! The verdict (outcome, reason, findings with kinds and severities) is
//! `monitor::analysis`'s, the one rule set that `analyze`, `watch`, the
//! Live panel and the reports use, in the same session shape
//! ([`SessionVerdict`], flattened); the summary keeps what only it knows:
//! the scenario, the delivery, the kill, the call table, and the runner's
//! notes ([`Summary::warnings`]).

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::hresult::HRESULT;
use crate::i18n::Lang;
use crate::i18n::text::Text;
use crate::mapi::ProviderKind;
use crate::monitor::analysis::{
    AnalysisOptions, CallDuration, FindingKind, Outcome, ProcessTrace, SessionVerdict, StreamState,
    Verdict, analyze,
};
use crate::policy::{FastShutdownBehavior, OfficeVersion, Setting};
use crate::trace::socket::Delivery;
use crate::trace::{Caller, Interface, Method, PolicySource, Record};

/// Everything `simulate` reports about one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// The scenario that ran (set by the runner; `None` when derived from
    /// records alone).
    pub scenario: Option<ScenarioRef>,
    /// The client process, from the trace's `hello` record.
    pub client: Option<ClientInfo>,
    /// The policy the subsystem used, from the `policy` record.
    pub policy: Option<PolicyInfo>,
    /// Sessions in logon order.
    pub sessions: Vec<SessionInfo>,
    /// Providers in load order.
    pub providers: Vec<ProviderInfo>,
    /// Every traced call in the order it started.
    pub calls: Vec<CallSummary>,
    /// Which shutdown path the process took (derived from the verdict).
    pub path: ShutdownPath,
    /// True when the verdict is `fast` ([`ShutdownPath::Fast`]).
    pub fast_shutdown_taken: bool,
    /// The verdict of `monitor::analysis`, in the one session shape:
    /// `outcome`, `reason`, `duration_ms`, `duration_ns`, `findings`.
    #[serde(flatten)]
    pub verdict: SessionVerdict,
    /// What only the runner knows: the trace could not be written, a kill
    /// the scenario asked for did not happen. (Best-practice findings are
    /// the verdict's `findings`.)
    pub warnings: Vec<Warning>,
    /// How the process ended.
    pub end: ProcessEnd,
    /// Records the emitter dropped (its last `dropped` count).
    pub dropped_records: u64,
    /// Where the trace went (set by the runner).
    pub trace: Option<TraceInfo>,
    /// The last thing known of the process, ns since the trace started:
    /// its last record, or its kill ([`Summary::killed`]). A call that
    /// never returned lasts until then ([`CallDuration`]).
    #[serde(skip)]
    last_ns: u64,
    /// The trace the verdict comes from.
    #[serde(skip)]
    process_trace: ProcessTrace,
    /// The verdict with its sentences as data (for the text in any
    /// language).
    #[serde(skip)]
    analysis: Option<Verdict>,
}

/// The scenario that ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioRef {
    /// Its name.
    pub name: String,
    /// The file, as given on the command line.
    pub file: String,
    /// Its description, if any.
    pub description: Option<String>,
}

/// The client process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClientInfo {
    /// Executable name.
    pub exe: String,
    /// Process id.
    pub pid: u32,
    /// Office version whose policy applies.
    pub office_version: OfficeVersion,
    /// Subsystem DLL.
    pub subsystem: String,
    /// Wall-clock time of `t_ns = 0`, RFC 3339.
    pub started_at: String,
}

/// The policy in force and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyInfo {
    /// The option in force.
    pub effective: FastShutdownBehavior,
    /// Its `FastShutdownBehavior` DWORD.
    pub dword: u32,
    /// Its label in outlk16.adml.
    pub admx_label: &'static str,
    /// Where the value came from.
    pub source: PolicySource,
    /// The value as read.
    pub setting: Setting<FastShutdownBehavior>,
}

/// A session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// Session id in the trace.
    pub session: u32,
    /// MAPI profile.
    pub profile: String,
}

/// A provider as loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProviderInfo {
    /// Provider id in the trace (load order, from 1).
    pub provider: u32,
    /// Its MAPI session; `None` (absent from the JSON) when the trace
    /// does not say (a captured provider made outside a logon).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<u32>,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: ProviderKind,
    /// DLL.
    pub dll: String,
    /// Whether it implements `IMAPIProviderShutdown`.
    pub implements_shutdown: bool,
}

/// The provider a call went to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProviderRef {
    /// Provider id.
    pub id: u32,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: ProviderKind,
    /// DLL.
    pub dll: String,
}

/// One traced call.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallSummary {
    /// Call id in the trace.
    pub call: u64,
    /// The enclosing call (a provider call's client call).
    pub parent: Option<u64>,
    /// Nesting depth: 0 for client calls, 1 for the provider calls they make.
    pub depth: u32,
    /// Who called.
    pub caller: Caller,
    /// The interface.
    pub interface: Interface,
    /// The method.
    pub method: Method,
    /// The session (client calls: the one it went through).
    pub session: Option<u32>,
    /// The provider, for provider calls.
    pub provider: Option<ProviderRef>,
    /// What it returned; `None` when it never returned.
    pub hresult: Option<HRESULT>,
    /// The HRESULT's name, when known (`MAPI_E_NO_SUPPORT`).
    pub hresult_name: Option<&'static str>,
    /// Start, in ms since the trace started (µs precision).
    pub start_ms: f64,
    /// Duration in ms (µs precision); `None` when it never returned.
    pub duration_ms: Option<f64>,
    /// Start and end, ns (for [`CallDuration`]).
    #[serde(skip)]
    start_ns: u64,
    #[serde(skip)]
    end_ns: Option<u64>,
}

impl CallSummary {
    fn is_client(&self, method: Method) -> bool {
        self.caller == Caller::Client && self.method == method
    }
}

/// The path the shutdown took.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShutdownPath {
    /// `QueryFastShutdown` and `DoFastShutdown` answered `S_OK`.
    Fast,
    /// No successful `DoFastShutdown`: the long shutdown
    /// (`MAPIUninitialize`, providers unloaded one by one).
    Normal,
    /// `DoFastShutdown` answered `S_OK` although `QueryFastShutdown` had
    /// failed (or was never called): providers that refused may lose data.
    FastAfterFailedQuery,
    /// `DoFastShutdown` never returned (the process was killed in it).
    DoFastShutdownInterrupted,
}

impl ShutdownPath {
    /// `fast`, `normal`, `fast-after-failed-query`,
    /// `do-fast-shutdown-interrupted`.
    pub fn as_str(self) -> &'static str {
        match self {
            ShutdownPath::Fast => "fast",
            ShutdownPath::Normal => "normal",
            ShutdownPath::FastAfterFailedQuery => "fast-after-failed-query",
            ShutdownPath::DoFastShutdownInterrupted => "do-fast-shutdown-interrupted",
        }
    }
}

/// How the client process ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ProcessEnd {
    /// A `client_exit` record: the process exited normally.
    Exited {
        /// Exit code.
        code: i32,
    },
    /// Killed during `DoFastShutdown`, as the scenario asked (set by the
    /// runner).
    Killed {
        /// ms after the client's `DoFastShutdown` call.
        after_ms: u64,
        /// The process's exit code.
        code: i32,
    },
    /// No `client_exit` record, and nothing else known.
    Unknown,
}

/// How serious a warning is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing, not a violation.
    Info,
    /// A best-practice violation without data loss.
    Warning,
    /// Data may be lost.
    DataLoss,
}

impl Severity {
    /// `info`, `warning`, `data-loss`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::DataLoss => "data-loss",
        }
    }
}

/// What a warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// `NotifyProcessShutdown` after a failed (or no) `QueryFastShutdown`.
    NotifyAfterFailedQuery,
    /// `DoFastShutdown` after a failed (or no) `QueryFastShutdown`.
    DoAfterFailedQuery,
    /// A MAPI call after `DoFastShutdown` answered `S_OK`.
    MapiCallAfterDoFastShutdown,
    /// A provider never returned from `DoFastShutdown`.
    DoFastShutdownInterrupted,
    /// The emitter dropped records: the summary may be incomplete.
    RecordsDropped,
    /// The trace could not be written.
    TraceError,
    /// The scenario asked for a kill that did not happen.
    KillNotPerformed,
}

/// A finding about the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// How serious.
    pub severity: Severity,
    /// The call it is about, if any.
    pub call: Option<u64>,
    /// In words.
    pub message: String,
}

/// Where the trace was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceInfo {
    /// The trace file, when `--trace-out` was given.
    pub file: Option<String>,
    /// Records in the trace.
    pub records: usize,
    /// Where the stream went on the monitor's side (sent, spooled or
    /// dropped), when the run had an endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
}

/// µs-precision ms from ns.
fn ms(ns: u64) -> f64 {
    (ns / 1_000) as f64 / 1_000.0
}

impl Summary {
    /// Derive the summary from a trace's records (in stream order). Works
    /// on partial traces: calls that never returned have no HRESULT.
    pub fn from_records(records: &[Record]) -> Summary {
        let mut client = None;
        let mut policy = None;
        let mut sessions = Vec::new();
        let mut providers: Vec<ProviderInfo> = Vec::new();
        let mut calls: Vec<CallSummary> = Vec::new();
        let mut index: HashMap<u64, usize> = HashMap::new();
        let mut start_ns: Vec<u64> = Vec::new();
        let mut end = ProcessEnd::Unknown;
        let mut dropped = 0;

        for record in records {
            match record {
                Record::Hello(h) => {
                    client = Some(ClientInfo {
                        exe: h.exe.clone(),
                        pid: h.pid,
                        office_version: h.office_version,
                        subsystem: h.subsystem.clone(),
                        started_at: h.started_at.clone(),
                    });
                }
                Record::Policy(p) => {
                    policy = Some(PolicyInfo {
                        effective: p.effective,
                        dword: p.effective.dword(),
                        admx_label: p.effective.admx_label(),
                        source: p.source.clone(),
                        setting: p.setting.clone(),
                    });
                }
                Record::Session(s) => sessions.push(SessionInfo {
                    session: s.session,
                    profile: s.profile.clone(),
                }),
                Record::Provider(p) => providers.push(ProviderInfo {
                    provider: p.provider,
                    session: p.session,
                    name: p.name.clone(),
                    kind: p.kind,
                    dll: p.dll.clone(),
                    implements_shutdown: p.implements_shutdown,
                }),
                Record::Enter(e) => {
                    let depth = e
                        .parent
                        .and_then(|p| index.get(&p))
                        .map_or(0, |&i| calls[i].depth + 1);
                    let provider = e.provider.and_then(|id| {
                        providers
                            .iter()
                            .find(|p| p.provider == id)
                            .map(|p| ProviderRef {
                                id,
                                name: p.name.clone(),
                                kind: p.kind,
                                dll: p.dll.clone(),
                            })
                    });
                    index.insert(e.call, calls.len());
                    start_ns.push(e.t_ns);
                    calls.push(CallSummary {
                        call: e.call,
                        parent: e.parent,
                        depth,
                        caller: e.caller,
                        interface: e.interface,
                        method: e.method,
                        session: e.session,
                        provider,
                        hresult: None,
                        hresult_name: None,
                        start_ms: ms(e.t_ns),
                        duration_ms: None,
                        start_ns: e.t_ns,
                        end_ns: None,
                    });
                }
                Record::Exit(x) => {
                    if let Some(&i) = index.get(&x.call) {
                        calls[i].hresult = Some(x.hresult);
                        calls[i].hresult_name = x.hresult.name();
                        calls[i].duration_ms = Some(ms(x.t_ns.saturating_sub(start_ns[i])));
                        calls[i].end_ns = Some(x.t_ns);
                    }
                }
                Record::Dropped(d) => dropped = dropped.max(d.count),
                Record::ClientExit(c) => end = ProcessEnd::Exited { code: c.code },
            }
        }

        let last_ns = records.iter().map(Record::t_ns).max().unwrap_or(0);
        let mut summary = Summary {
            last_ns,
            process_trace: ProcessTrace::from_records(records),
            analysis: None,
            verdict: SessionVerdict {
                outcome: Outcome::InProgress,
                reason: String::new(),
                duration_ms: None,
                duration_ns: None,
                findings: Vec::new(),
            },
            scenario: None,
            client,
            policy,
            sessions,
            providers,
            calls,
            path: ShutdownPath::Normal,
            fast_shutdown_taken: false,
            warnings: Vec::new(),
            end,
            dropped_records: dropped,
            trace: None,
        };
        summary.judge();
        summary
    }

    /// The verdict, from `monitor::analysis`, and the path derived from
    /// it. The process's end is known from its `client_exit` or its kill
    /// ([`Summary::killed`]); otherwise the trace was only cut.
    fn judge(&mut self) {
        let killed = matches!(self.end, ProcessEnd::Killed { .. });
        let state = if killed || self.process_trace.exit.is_some() {
            StreamState::Closed
        } else {
            StreamState::Cut
        };
        self.process_trace.seen_until(self.last_ns);
        let v = analyze(&self.process_trace, state, &AnalysisOptions::default());
        let do_unreturned =
            self.process_trace.calls.iter().any(|c| {
                c.is_client_shutdown() && c.method == Method::DoFastShutdown && !c.returned()
            });
        self.path = match v.outcome {
            Outcome::Fast => ShutdownPath::Fast,
            _ if do_unreturned => ShutdownPath::DoFastShutdownInterrupted,
            Outcome::DataLossRisk
                if v.findings.iter().any(|f| {
                    f.kind == FindingKind::IgnoredQueryError
                        && f.severity == crate::monitor::analysis::Severity::Error
                }) =>
            {
                ShutdownPath::FastAfterFailedQuery
            }
            _ => ShutdownPath::Normal,
        };
        self.fast_shutdown_taken = v.outcome == Outcome::Fast;
        self.verdict = SessionVerdict::from(&v);
        self.analysis = Some(v);
    }

    /// The process was killed `after_ms` into the client's
    /// `DoFastShutdown` (exit code `code`): the end says so, and the calls
    /// that never returned last until the kill at least.
    pub fn killed(&mut self, after_ms: u64, code: i32) {
        self.end = ProcessEnd::Killed { after_ms, code };
        if let Some(d) = self.client_call(Method::DoFastShutdown) {
            let kill_ns = d
                .start_ns
                .saturating_add(after_ms.saturating_mul(1_000_000));
            self.last_ns = self.last_ns.max(kill_ns);
        }
        self.judge();
    }

    /// How long `call` lasted, by the analysis' one rule.
    pub fn duration_of(&self, call: &CallSummary) -> CallDuration {
        CallDuration::of(call.start_ns, call.end_ns, self.last_ns)
    }

    /// The first client call of `method`, if any.
    pub fn client_call(&self, method: Method) -> Option<&CallSummary> {
        self.calls.iter().find(|c| c.is_client(method))
    }

    /// Human-readable text for a terminal, columns aligned, in `lang`
    /// (the CLI passes [`crate::i18n::current`]).
    pub fn render_text(&self, lang: Lang) -> String {
        let t = |text: Text| text.render(lang);
        let label = |id| Text::new(id).render(lang);
        let scenario = label("analysis-summary-label-scenario");
        let client = label("analysis-summary-label-client");
        let policy = label("analysis-summary-label-policy");
        let session = label("analysis-summary-label-session");
        let result = label("analysis-summary-label-result");
        let warnings = label("analysis-summary-label-warnings");
        let exit = label("analysis-summary-label-exit");
        let trace = label("analysis-summary-label-trace");
        let calls = label("analysis-summary-label-calls");
        let width = [
            &scenario, &client, &policy, &session, &result, &warnings, &exit, &trace, &calls,
        ]
        .iter()
        .map(|l| text_width(l))
        .max()
        .unwrap_or(0);
        let head = |l: &str| format!("{l}{}  ", " ".repeat(width.saturating_sub(text_width(l))));
        let indent = " ".repeat(width + 2);

        let mut out = String::new();
        if let Some(s) = &self.scenario {
            let _ = writeln!(out, "{}{} ({})", head(&scenario), s.name, s.file);
            if let Some(d) = &s.description {
                let _ = writeln!(out, "{indent}{}", d.trim());
            }
        }
        if let Some(c) = &self.client {
            let _ = writeln!(
                out,
                "{}{}",
                head(&client),
                t(Text::new("analysis-summary-client")
                    .str("exe", &c.exe)
                    .num("pid", u64::from(c.pid))
                    .str("office", c.office_version)
                    .str("products", c.office_version.products())
                    .str("subsystem", &c.subsystem))
            );
        }
        if let Some(p) = &self.policy {
            let _ = writeln!(
                out,
                "{}{}",
                head(&policy),
                t(Text::new("analysis-summary-policy")
                    .str("effective", p.effective)
                    .num("dword", u64::from(p.dword))
                    .str("admx", p.admx_label)
                    .text("source", source_words(&p.source))
                    .text("setting", setting_words(&p.setting)))
            );
        }
        for s in &self.sessions {
            let mine: Vec<&ProviderInfo> = self
                .providers
                .iter()
                .filter(|p| p.session == Some(s.session))
                .collect();
            let without = mine.iter().filter(|p| !p.implements_shutdown).count();
            let text = if without > 0 {
                Text::new("analysis-summary-session-without").num("without", without as u64)
            } else {
                Text::new("analysis-summary-session")
            };
            let _ = writeln!(
                out,
                "{}{}",
                head(&session),
                t(text
                    .num("session", u64::from(s.session))
                    .str("profile", &s.profile)
                    .num("count", mine.len() as u64))
            );
        }
        out.push('\n');
        out.push_str(&self.providers_table(lang));
        out.push('\n');
        out.push_str(&self.calls_table(lang, &head(&calls)));
        out.push('\n');
        // The verdict: the analysis' outcome and reason, then its
        // findings and the runner's notes.
        let _ = writeln!(
            out,
            "{}{}",
            head(&result),
            t(Text::new("analysis-summary-result")
                .text("outcome", outcome_text(self.verdict.outcome))
                .str(
                    "reason",
                    self.analysis.as_ref().map_or_else(
                        || self.verdict.reason.clone(),
                        |v| v.reason_text().render(lang)
                    )
                ))
        );
        let mut lines: Vec<String> = self
            .verdict
            .findings
            .iter()
            .map(|f| {
                format!(
                    "[{}] {}: {}",
                    t(finding_severity_text(f.severity)),
                    f.kind.as_str(),
                    f.text().render(lang)
                )
            })
            .collect();
        // The runner's notes are English only.
        lines.extend(self.warnings.iter().map(|w| {
            let call = w.call.map_or(String::new(), |c| {
                format!(" {}", t(Text::new("analysis-summary-call").num("call", c)))
            });
            format!("[{}]{call} {}", t(severity_text(w.severity)), w.message)
        }));
        if lines.is_empty() {
            let _ = writeln!(out, "{}{}", head(&warnings), label("analysis-summary-none"));
        }
        for (i, line) in lines.iter().enumerate() {
            let first = if i == 0 {
                head(&warnings)
            } else {
                indent.clone()
            };
            let _ = writeln!(out, "{first}{line}");
        }
        let _ = writeln!(out, "{}{}", head(&exit), t(end_words(&self.end)));
        if let Some(tr) = &self.trace {
            let text = match &tr.file {
                Some(f) => Text::new("analysis-summary-trace-file").str("file", f),
                None => Text::new("analysis-summary-trace-unsaved"),
            };
            let _ = writeln!(
                out,
                "{}{}",
                head(&trace),
                t(text.num("records", tr.records as u64))
            );
            if let Some(d) = &tr.delivery {
                let _ = writeln!(out, "{indent}{}", t(delivery_text(d)));
            }
        }
        out
    }

    fn providers_table(&self, lang: Lang) -> String {
        let t = |id| Text::new(id).render(lang);
        if self.providers.is_empty() {
            return format!("{}\n", t("analysis-summary-providers-none"));
        }
        let rows: Vec<Vec<String>> = self
            .providers
            .iter()
            .map(|p| {
                vec![
                    p.provider.to_string(),
                    p.session.map_or(String::new(), |s| s.to_string()),
                    p.name.clone(),
                    kind_words(p.kind, lang),
                    p.dll.clone(),
                    if p.implements_shutdown {
                        t("analysis-summary-yes")
                    } else {
                        t("analysis-summary-no")
                    },
                ]
            })
            .collect();
        let mut out = format!("{}\n", t("analysis-summary-providers-title"));
        let header = [
            t("analysis-summary-column-id"),
            t("analysis-summary-column-session"),
            t("analysis-summary-column-provider"),
            t("analysis-summary-column-kind"),
            "DLL".to_string(),
            "IMAPIProviderShutdown".to_string(),
        ];
        out.push_str(&table(&header, &rows, &[0]));
        out
    }

    fn calls_table(&self, lang: Lang, head: &str) -> String {
        let t = |id| Text::new(id).render(lang);
        if self.calls.is_empty() {
            return format!("{head}{}\n", t("analysis-summary-none"));
        }
        let client = t("analysis-summary-caller-client");
        let subsystem = t("analysis-summary-caller-subsystem");
        let rows: Vec<Vec<String>> = self
            .calls
            .iter()
            .map(|c| {
                let caller = match c.caller {
                    Caller::Client => &client,
                    Caller::Subsystem => &subsystem,
                };
                let indent = "  ".repeat(c.depth as usize);
                let (name, kind, dll) = c.provider.as_ref().map_or_else(
                    || (String::new(), String::new(), String::new()),
                    |p| (p.name.clone(), kind_words(p.kind, lang), p.dll.clone()),
                );
                vec![
                    c.call.to_string(),
                    c.session.map_or(String::new(), |s| s.to_string()),
                    format!("{indent}{caller}"),
                    format!("{indent}{}", c.method),
                    name,
                    kind,
                    dll,
                    c.hresult
                        .map_or_else(|| t("analysis-summary-did-not-return"), |hr| hr.to_string()),
                    self.duration_of(c).render(lang),
                ]
            })
            .collect();
        let mut out = format!("{}\n", t("analysis-summary-calls-title"));
        let header = [
            "#".to_string(),
            t("analysis-summary-column-session"),
            t("analysis-summary-column-caller"),
            t("analysis-summary-column-method"),
            t("analysis-summary-column-provider"),
            t("analysis-summary-column-kind"),
            "DLL".to_string(),
            "HRESULT".to_string(),
            t("analysis-summary-column-duration"),
        ];
        out.push_str(&table(&header, &rows, &[0, 8]));
        out
    }
}

/// The width of `text` in a terminal's columns (unicode-width: East Asian
/// wide and full-width characters take two).
fn text_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// A provider kind in `lang`.
fn kind_words(kind: ProviderKind, lang: Lang) -> String {
    Text::new(match kind {
        ProviderKind::Transport => "common-kind-transport",
        ProviderKind::AddressBook => "common-kind-address-book",
        ProviderKind::MessageStore => "common-kind-message-store",
    })
    .render(lang)
}

fn outcome_text(outcome: Outcome) -> Text {
    Text::new(match outcome {
        Outcome::Fast => "common-outcome-fast",
        Outcome::Normal => "common-outcome-normal",
        Outcome::DataLossRisk => "common-outcome-data-loss-risk",
        Outcome::Incomplete => "common-outcome-incomplete",
        Outcome::InProgress => "common-outcome-in-progress",
    })
}

fn finding_severity_text(severity: crate::monitor::analysis::Severity) -> Text {
    use crate::monitor::analysis::Severity as S;
    Text::new(match severity {
        S::Info => "common-severity-info",
        S::Warning => "common-severity-warning",
        S::Error => "common-severity-error",
    })
}

fn severity_text(severity: Severity) -> Text {
    Text::new(match severity {
        Severity::Info => "common-severity-info",
        Severity::Warning => "common-severity-warning",
        Severity::DataLoss => "analysis-summary-severity-data-loss",
    })
}

/// Columns padded to their widest cell, two spaces apart; the columns in
/// `right` are right-aligned. Trailing spaces are trimmed.
fn table(header: &[String], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| text_width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(text_width(cell));
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::from("  ");
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            let pad = " ".repeat(w.saturating_sub(text_width(cell)));
            if right.contains(&i) {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
            text.push_str("  ");
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().map(String::as_str));
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

fn source_words(source: &PolicySource) -> Text {
    match source {
        PolicySource::Default => Text::new("analysis-summary-source-default"),
        PolicySource::Override => Text::new("analysis-summary-source-override"),
        PolicySource::Registry { store, key, value } => {
            Text::new("analysis-summary-source-registry")
                .str("store", store)
                .str("key", key)
                .str("value", value)
        }
    }
}

fn setting_words(setting: &Setting<FastShutdownBehavior>) -> Text {
    match setting {
        Setting::NotConfigured => Text::new("analysis-summary-setting-not-configured"),
        Setting::Valid { value: b } => Text::new("analysis-summary-setting-valid")
            .str("value", b)
            .num("dword", u64::from(b.dword())),
        Setting::Invalid { raw, reason } => Text::new("analysis-summary-setting-invalid")
            .str("raw", raw)
            .str("reason", reason),
    }
}

fn end_words(end: &ProcessEnd) -> Text {
    match end {
        ProcessEnd::Exited { code } => Text::new("analysis-summary-end-exited").str("code", code),
        ProcessEnd::Killed { after_ms, code } => Text::new("analysis-summary-end-killed")
            .num("after_ms", *after_ms)
            .str("code", code),
        ProcessEnd::Unknown => Text::new("analysis-summary-end-unknown"),
    }
}

/// Where a simulated client's trace went, in words
/// ([`Delivery::summary`] is English; this is the same in the language it
/// is rendered in). The reason a sink gives for not reaching the monitor
/// comes from the trace crate and stays as it is.
pub fn delivery_text(d: &Delivery) -> Text {
    match d {
        Delivery::Monitor { endpoint, records } => Text::new("analysis-summary-delivery-monitor")
            .str("endpoint", endpoint)
            .num("records", *records),
        Delivery::Spooled {
            reason,
            file,
            spooled,
            dropped,
            ..
        } => {
            let id = if *dropped > 0 {
                "analysis-summary-delivery-spooled-dropped"
            } else {
                "analysis-summary-delivery-spooled"
            };
            Text::new(id)
                .str("reason", reason)
                .str("file", file.display())
                .num("spooled", *spooled)
                .num("dropped", *dropped)
        }
        Delivery::Dropped {
            reason, dropped, ..
        } => Text::new("analysis-summary-delivery-dropped")
            .str("reason", reason)
            .num("dropped", *dropped)
            .str("env", crate::trace::spool::SPOOL_DIR_ENV),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::OfficeVersion;
    use crate::trace::{
        CallEnter, CallExit, ClientExit, Dropped, Hello, PolicyRecord, ProviderDecl, SessionDecl,
    };

    /// Builds a trace with ns timestamps given per record.
    struct Trace {
        records: Vec<Record>,
        next: u64,
    }

    impl Trace {
        fn new(policy: FastShutdownBehavior) -> Self {
            let mut t = Trace {
                records: vec![Record::Hello(Hello {
                    host: None,
                    protocol: 1,
                    pid: 42,
                    exe: "OUTLOOK.EXE".into(),
                    office_version: OfficeVersion::V16,
                    subsystem: "olmapi32.dll".into(),
                    started_at: "2026-01-01T00:00:00.000Z".into(),
                    capture: None,
                })],
                next: 0,
            };
            t.records.push(Record::Policy(PolicyRecord {
                t_ns: 0,
                office_version: OfficeVersion::V16,
                source: PolicySource::Override,
                setting: Setting::Valid { value: policy },
                effective: policy,
            }));
            t.records.push(Record::Session(SessionDecl {
                t_ns: 0,
                session: 1,
                profile: "Outlook".into(),
            }));
            for (id, name, kind, dll) in [
                (
                    1,
                    "Exchange Transport",
                    ProviderKind::Transport,
                    "emsmdb32.dll",
                ),
                (
                    2,
                    "Personal Folders",
                    ProviderKind::MessageStore,
                    "mspst32.dll",
                ),
            ] {
                t.records.push(Record::Provider(ProviderDecl {
                    t_ns: 0,
                    session: Some(1),
                    provider: id,
                    name: name.into(),
                    kind,
                    dll: dll.into(),
                    implements_shutdown: true,
                }));
            }
            t
        }

        fn enter(
            &mut self,
            t_ns: u64,
            parent: Option<u64>,
            method: Method,
            provider: Option<u32>,
        ) -> u64 {
            self.next += 1;
            self.records.push(Record::Enter(CallEnter {
                t_ns,
                call: self.next,
                parent,
                caller: if parent.is_some() {
                    Caller::Subsystem
                } else {
                    Caller::Client
                },
                interface: match (parent, method) {
                    (Some(_), _) => Interface::ProviderShutdown,
                    (None, Method::MapiUninitialize) => Interface::Mapi,
                    (None, _) => Interface::ClientShutdown,
                },
                method,
                session: Some(1),
                provider,
            }));
            self.next
        }

        fn exit(&mut self, t_ns: u64, call: u64, hresult: HRESULT) {
            self.records.push(Record::Exit(CallExit {
                t_ns,
                call,
                hresult,
            }));
        }

        /// A client call with both providers answering `answers`.
        fn client_call(&mut self, t: u64, method: Method, answers: [HRESULT; 2], hr: HRESULT) {
            let c = self.enter(t, None, method, None);
            for (i, a) in answers.into_iter().enumerate() {
                let p = self.enter(
                    t + 1_000 * (i as u64 + 1),
                    Some(c),
                    method,
                    Some(i as u32 + 1),
                );
                self.exit(t + 1_000 * (i as u64 + 1) + 500, p, a);
            }
            self.exit(t + 10_000, c, hr);
        }

        fn exit_process(&mut self, t_ns: u64) {
            self.records
                .push(Record::ClientExit(ClientExit { t_ns, code: 0 }));
        }
    }

    const OK: HRESULT = HRESULT::S_OK;
    const NO: HRESULT = HRESULT::MAPI_E_NO_SUPPORT;

    #[test]
    fn fast_path_nests_calls_and_times_them() {
        let mut t = Trace::new(FastShutdownBehavior::OptOut);
        t.client_call(1_000_000, Method::QueryFastShutdown, [OK, OK], OK);
        t.client_call(2_000_000, Method::NotifyProcessShutdown, [OK, OK], OK);
        t.client_call(3_000_000, Method::DoFastShutdown, [OK, OK], OK);
        t.exit_process(4_000_000);
        let s = Summary::from_records(&t.records);
        assert_eq!(s.path, ShutdownPath::Fast);
        assert!(s.fast_shutdown_taken);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(s.end, ProcessEnd::Exited { code: 0 });
        assert_eq!(s.calls.len(), 9);
        let q = &s.calls[0];
        assert_eq!((q.depth, q.caller, q.start_ms), (0, Caller::Client, 1.0));
        assert_eq!(q.duration_ms, Some(0.01));
        let p = &s.calls[1];
        assert_eq!(p.depth, 1);
        assert_eq!(p.parent, Some(1));
        assert_eq!(p.duration_ms, Some(0.0)); // 500 ns is below µs precision
        let store = &s.calls[2];
        let provider = store.provider.as_ref().unwrap();
        assert_eq!(provider.dll, "mspst32.dll");
        assert_eq!(provider.kind, ProviderKind::MessageStore);
        assert_eq!(store.hresult_name, Some("S_OK"));
        let policy = s.policy.as_ref().unwrap();
        assert_eq!(policy.source, PolicySource::Override);
        assert_eq!(policy.admx_label, "MAPI provider does not support");

        let text = s.render_text(Lang::En);
        assert!(
            text.contains("fast: QueryFastShutdown returned S_OK and every provider returned"),
            "{text}"
        );
        assert!(text.contains("0x00000000 (S_OK)"), "{text}");
        assert!(text.contains("Personal Folders"), "{text}");
        assert!(text.contains("10.0 µs"), "{text}");
        // Aligned: every table row has the HRESULT column at the same offset.
        let table: Vec<&str> = text.lines().filter(|l| l.contains("0x0000")).collect();
        let cols: Vec<usize> = table.iter().map(|l| l.find("0x").unwrap()).collect();
        assert!(cols.windows(2).all(|w| w[0] == w[1]), "{text}");
    }

    #[test]
    fn normal_path_after_provider_opts_out() {
        let mut t = Trace::new(FastShutdownBehavior::OptOut);
        t.client_call(1_000, Method::QueryFastShutdown, [OK, NO], NO);
        let u = t.enter(50_000, None, Method::MapiUninitialize, None);
        t.exit(60_000, u, OK);
        t.exit_process(70_000);
        let s = Summary::from_records(&t.records);
        assert_eq!(s.path, ShutdownPath::Normal);
        assert!(!s.fast_shutdown_taken);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert!(
            s.render_text(Lang::En)
                .contains("normal: QueryFastShutdown returned 0x80040102 (MAPI_E_NO_SUPPORT)")
        );
    }

    #[test]
    fn notify_and_do_after_failed_query_are_flagged() {
        let mut t = Trace::new(FastShutdownBehavior::OptOut);
        t.client_call(1_000, Method::QueryFastShutdown, [OK, NO], NO);
        t.client_call(100_000, Method::NotifyProcessShutdown, [OK, OK], OK);
        t.client_call(200_000, Method::DoFastShutdown, [OK, OK], OK);
        t.exit_process(300_000);
        let s = Summary::from_records(&t.records);
        assert_eq!(s.path, ShutdownPath::FastAfterFailedQuery);
        assert!(!s.fast_shutdown_taken);
        // The analysis' findings: Do after the error an error, Notify a
        // warning (most severe first).
        use crate::monitor::analysis::Severity as S;
        let kinds: Vec<(FindingKind, S)> = s
            .verdict
            .findings
            .iter()
            .map(|f| (f.kind, f.severity))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (FindingKind::IgnoredQueryError, S::Error),
                (FindingKind::IgnoredQueryError, S::Warning),
            ]
        );
        assert_eq!(s.verdict.outcome, Outcome::DataLossRisk);
        assert!(s.verdict.findings[0].message.contains("MAPI_E_NO_SUPPORT"));
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    }

    #[test]
    fn mapi_call_after_do_is_flagged() {
        let mut t = Trace::new(FastShutdownBehavior::OptOut);
        t.client_call(1_000, Method::QueryFastShutdown, [OK, OK], OK);
        t.client_call(100_000, Method::NotifyProcessShutdown, [OK, OK], OK);
        t.client_call(200_000, Method::DoFastShutdown, [OK, OK], OK);
        let u = t.enter(300_000, None, Method::MapiUninitialize, None);
        t.exit(300_100, u, HRESULT::MAPI_E_CALL_FAILED);
        t.exit_process(400_000);
        let s = Summary::from_records(&t.records);
        assert_eq!(s.path, ShutdownPath::Fast);
        // Issue 16, item 2: the analysis' severity (an error), not a
        // warning of simulate's own.
        assert_eq!(s.verdict.findings.len(), 1);
        let w = &s.verdict.findings[0];
        assert_eq!(w.kind, FindingKind::CallAfterDoFastShutdown);
        assert_eq!(w.severity, crate::monitor::analysis::Severity::Error);
        assert_eq!(w.calls.last(), Some(&u));
        assert!(w.message.contains("MAPIUninitialize"), "{}", w.message);
        assert!(w.message.contains("MAPI_E_CALL_FAILED"), "{}", w.message);
    }

    #[test]
    fn interrupted_do_names_stuck_and_unreached_providers() {
        let mut t = Trace::new(FastShutdownBehavior::OptOut);
        // Add a third provider that is never reached.
        t.records.push(Record::Provider(ProviderDecl {
            t_ns: 0,
            session: Some(1),
            provider: 3,
            name: "Archive".into(),
            kind: ProviderKind::MessageStore,
            dll: "mspst32.dll".into(),
            implements_shutdown: true,
        }));
        t.client_call(1_000, Method::QueryFastShutdown, [OK, OK], OK);
        t.client_call(100_000, Method::NotifyProcessShutdown, [OK, OK], OK);
        let d = t.enter(200_000, None, Method::DoFastShutdown, None);
        let p1 = t.enter(201_000, Some(d), Method::DoFastShutdown, Some(1));
        t.exit(202_000, p1, OK);
        t.enter(203_000, Some(d), Method::DoFastShutdown, Some(2));
        t.records
            .push(Record::Dropped(Dropped { t_ns: 1, count: 3 }));
        let s = Summary::from_records(&t.records);
        assert_eq!(s.path, ShutdownPath::DoFastShutdownInterrupted);
        assert_eq!(s.end, ProcessEnd::Unknown);
        assert_eq!(s.dropped_records, 3);
        // No exit and no kill: the trace was only cut (incomplete), the
        // provider still inside DoFastShutdown named.
        assert_eq!(s.verdict.outcome, Outcome::Incomplete);
        assert!(
            s.verdict
                .reason
                .contains("'Personal Folders' (message store, mspst32.dll) had not returned"),
            "{}",
            s.verdict.reason
        );
        assert!(
            s.verdict
                .findings
                .iter()
                .any(|f| f.kind == FindingKind::DroppedEvents)
        );
        let text = s.render_text(Lang::En);
        assert!(text.contains("(did not return)"), "{text}");
        assert!(
            text.contains("incomplete: the stream ended while"),
            "{text}"
        );
        assert!(text.contains("≥ "), "{text}");

        // Killed 250 ms into DoFastShutdown: the process's end is known,
        // the data-loss case; the provider stuck lasts until the kill.
        let mut killed = s.clone();
        killed.killed(250, 137);
        assert_eq!(killed.verdict.outcome, Outcome::DataLossRisk);
        assert!(
            killed
                .verdict
                .findings
                .iter()
                .any(|f| f.kind == FindingKind::ProcessExitedDuringShutdown)
        );
        let text = killed.render_text(Lang::En);
        assert!(text.contains("≥ 250."), "{text}");
    }

    #[test]
    fn json_shape() {
        let mut t = Trace::new(FastShutdownBehavior::OptIn);
        t.client_call(1_000, Method::QueryFastShutdown, [OK, NO], NO);
        t.exit_process(70_000);
        let s = Summary::from_records(&t.records);
        let v: serde_json::Value = serde_json::to_value(&s).unwrap();
        assert_eq!(v["path"], "normal");
        // The one session shape of `monitor::analysis`, flattened.
        assert_eq!(v["outcome"], "normal");
        assert!(v["reason"].as_str().unwrap().contains("opt-in"), "{v}");
        assert!(v["findings"].as_array().unwrap().is_empty(), "{v}");
        assert!(v["duration_ns"].as_u64().is_some(), "{v}");
        assert_eq!(v["fast_shutdown_taken"], false);
        assert_eq!(v["policy"]["effective"], "opt-in");
        assert_eq!(v["policy"]["source"]["kind"], "override");
        assert_eq!(v["end"]["kind"], "exited");
        assert_eq!(v["calls"][0]["hresult"], "0x80040102");
        assert_eq!(v["calls"][0]["hresult_name"], "MAPI_E_NO_SUPPORT");
        assert_eq!(v["calls"][0]["interface"], "IMAPIClientShutdown");
        assert_eq!(v["calls"][2]["provider"]["kind"], "message-store");
        assert_eq!(v["calls"][2]["caller"], "subsystem");
        assert_eq!(v["calls"][2]["depth"], 1);
    }

    #[test]
    fn renders_in_french_and_chinese_with_json_in_english() {
        let mut t = Trace::new(FastShutdownBehavior::OptOut);
        t.client_call(1_000, Method::QueryFastShutdown, [OK, NO], NO);
        t.client_call(100_000, Method::NotifyProcessShutdown, [OK, OK], OK);
        t.client_call(200_000, Method::DoFastShutdown, [OK, OK], OK);
        t.exit_process(300_000);
        let s = Summary::from_records(&t.records);
        // The findings' messages (JSON) stay English.
        assert!(
            s.verdict.findings[0]
                .message
                .starts_with("the client called DoFastShutdown after QueryFastShutdown returned"),
            "{}",
            s.verdict.findings[0].message
        );
        let english = s.render_text(Lang::En);

        let fr = s.render_text(Lang::Fr);
        assert!(
            fr.contains("risque de perte de données\u{a0}: le client"),
            "{fr}"
        );
        assert!(fr.contains("[erreur] ignored-query-error: "), "{fr}");
        assert!(fr.contains("Résultat  "), "{fr}");
        assert!(fr.contains("banque de messages"), "{fr}");
        assert!(fr.contains("10,0 µs"), "{fr}");
        assert_ne!(fr, english);

        let zh = s.render_text(Lang::ZhCn);
        assert!(zh.contains("数据丢失风险"), "{zh}");
        assert!(zh.contains("[错误]"), "{zh}");
        // Aligned in terminal columns: CJK characters take two.
        let table: Vec<&str> = zh
            .lines()
            .filter(|l| l.starts_with("  ") && l.contains("0x") && !l.contains("["))
            .collect();
        assert_eq!(table.len(), 9, "{zh}");
        let cols: Vec<usize> = table
            .iter()
            .map(|l| text_width(&l[..l.find("0x").unwrap()]))
            .collect();
        assert!(cols.windows(2).all(|w| w[0] == w[1]), "{zh}");
        // The heading column: every value starts at the same column.
        let heads: Vec<usize> = zh
            .lines()
            .filter(|l| l.starts_with("结果") || l.starts_with("警告") || l.starts_with("退出"))
            .map(|l| {
                text_width(&l[..l.find("  ").unwrap()])
                    + l[l.find("  ").unwrap()..].find(|c| c != ' ').unwrap()
            })
            .collect();
        assert_eq!(heads.len(), 3, "{zh}");
        assert!(heads.windows(2).all(|w| w[0] == w[1]), "{zh}");
    }

    #[test]
    fn empty_trace_is_fine() {
        let s = Summary::from_records(&[]);
        assert_eq!(s.path, ShutdownPath::Normal);
        assert!(s.render_text(Lang::En).contains("Calls     none"));
    }

    /// Issue 17, item 12: simulate's delivery line was English in every
    /// language; it is the sink's summary in English, and in French and
    /// Chinese in their words.
    #[test]
    fn the_delivery_line_speaks_the_language() {
        use crate::trace::socket::Delivery;
        let cases = [
            Delivery::Monitor {
                endpoint: "/run/x.sock".into(),
                records: 38,
            },
            Delivery::Spooled {
                endpoint: "e".into(),
                reason: "no monitor".into(),
                file: "/tmp/s.jsonl".into(),
                to_monitor: 0,
                spooled: 12,
                dropped: 3,
            },
            Delivery::Dropped {
                endpoint: "e".into(),
                reason: "no monitor".into(),
                to_monitor: 0,
                dropped: 7,
            },
        ];
        for d in &cases {
            assert_eq!(delivery_text(d).render(Lang::En), d.summary());
        }
        assert_eq!(
            delivery_text(&cases[0]).render(Lang::Fr),
            "trace envoyée au moniteur sur /run/x.sock (38 enregistrements)"
        );
        assert!(
            delivery_text(&cases[2])
                .render(Lang::Fr)
                .contains("7 enregistrements perdus (définissez MAPI_SHUTDOWN_SPOOL_DIR")
        );
        assert!(
            delivery_text(&cases[1])
                .render(Lang::ZhCn)
                .contains("之后丢弃了 3 条记录")
        );
    }
}
