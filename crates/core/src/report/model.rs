//! The report model: everything a report says, as plain owned data that
//! serializes to the JSON format (`schema_version` [`SCHEMA_VERSION`]) and
//! that the HTML, CSV and Chrome trace writers (and the GUI's preview)
//! walk. [`ReportModel::build`] fills it from what the rest of the library
//! already holds: the registry store (policy and add-ins, read through
//! [`RegistryStore`]), a process scan ([`Scan`]), and the monitor's
//! sessions ([`SessionInput`], from a store [`Entry`] or a file's
//! [`ProcessTrace`]) with their analysis ([`analyze`]). The time and the
//! host come in from outside ([`Clock`], [`HostInfo`]), so the same inputs
//! always give the same model.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::fleet::{Detail, FleetSummary, SessionFacts};
use super::host::HostInfo;
use crate::clock::{Clock, rfc3339};
use crate::hresult::HRESULT;
use crate::i18n::Lang;
use crate::i18n::text::Text;
use crate::mapi::ProviderKind;
use crate::monitor::analysis::{
    AnalysisOptions, CallDuration, Finding, Outcome, ProcessTrace, ProviderTiming, SessionVerdict,
    StreamState, Verdict, analyze, describe_policy,
};
use crate::monitor::{ConnId, Entry};
use crate::policy::addins::list_addins;
use crate::policy::settings::{SettingReport, SettingState, read_version};
use crate::policy::store::RegistryStore;
use crate::policy::{OfficeVersion, RegistryData};
use crate::processes::{ProcessEntry, Scan};
use crate::trace::{Caller, Interface, Method, PolicyRecord, ProviderDecl, SessionDecl};

/// The version of the report schema this build writes (the JSON format's
/// `schema_version`). Raised whenever a field is removed, renamed or
/// changes meaning; adding a field does not raise it (readers ignore
/// fields they do not know). History: 1, the first.
pub const SCHEMA_VERSION: u32 = 1;

/// Which shutdown sessions a report holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SessionChoice {
    /// Every session given.
    #[default]
    All,
    /// The sessions with these ids (the Live panel's selection).
    Selected {
        /// Session (connection) ids.
        sessions: BTreeSet<ConnId>,
    },
    /// The sessions of one process.
    Pid {
        /// The process id.
        pid: u32,
    },
    /// No session (a policy-only report).
    None,
}

impl SessionChoice {
    /// Whether `input` is chosen.
    pub fn includes(&self, input: &SessionInput<'_>) -> bool {
        match self {
            SessionChoice::All => true,
            SessionChoice::Selected { sessions } => sessions.contains(&input.session),
            SessionChoice::Pid { pid } => input.pid() == Some(*pid),
            SessionChoice::None => false,
        }
    }
}

/// What goes into a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    /// The policy of every Office version and the add-ins' settings.
    pub policy: bool,
    /// The MAPI processes and their providers.
    pub processes: bool,
    /// Which shutdown sessions.
    pub sessions: SessionChoice,
    /// How much of each session: every call, or the fleet summary and a
    /// line per session ([`Detail`]; `auto` decides by the count).
    #[serde(default, skip_serializing_if = "Detail::is_auto")]
    pub detail: Detail,
}

/// One shutdown session to report: a monitor connection (or one stream
/// of a file) and what its trace said.
#[derive(Clone, Copy, Debug)]
pub struct SessionInput<'a> {
    /// The session id (the monitor's connection id, a recording's
    /// connection id, or the stream's position among the files read).
    pub session: ConnId,
    /// The assembled trace.
    pub trace: &'a ProcessTrace,
    /// Whether the stream can still grow (decides `in-progress` against
    /// `incomplete`).
    pub state: StreamState,
    /// The pid the OS reported at connect time, if known.
    pub peer_pid: Option<u32>,
    /// Why the stream ended badly, if it did.
    pub error: Option<&'a str>,
    /// Records received.
    pub records: u64,
    /// Records the monitor received but did not keep.
    pub dropped: u64,
    /// The file it was read from, if any (shown as is).
    pub source: Option<&'a str>,
    /// The file's path alone (without a recording's connection): names
    /// the machine of a trace without `host` in the fleet summary.
    pub file: Option<&'a str>,
}

impl<'a> SessionInput<'a> {
    /// A session of the monitor's store (the Live panel's sessions).
    pub fn from_entry(entry: &'a Entry) -> SessionInput<'a> {
        SessionInput {
            session: entry.conn,
            trace: &entry.trace,
            state: entry.stream_state(),
            peer_pid: entry.peer_pid,
            error: entry.error.as_deref(),
            records: entry.records,
            dropped: entry.dropped,
            source: None,
            file: None,
        }
    }

    /// The pid: the trace's `hello`, else the OS's peer pid.
    pub fn pid(&self) -> Option<u32> {
        self.trace.hello.as_ref().map(|h| h.pid).or(self.peer_pid)
    }
}

/// Where the machine part of a report comes from. Each part is optional:
/// `None` leaves it out even when [`Content`] asks for it (and the model
/// says why in [`ReportModel::notes`]).
#[derive(Clone, Copy, Default)]
pub struct Sources<'a> {
    /// The registry store the policy and add-ins are read from.
    pub registry: Option<&'a dyn RegistryStore>,
    /// A process scan (taken by the caller: it is slow and OS-facing).
    pub scan: Option<&'a Scan>,
    /// The shutdown sessions to choose from, in the order to report them.
    pub sessions: &'a [SessionInput<'a>],
    /// The analysis thresholds.
    pub analysis: AnalysisOptions,
}

impl std::fmt::Debug for Sources<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field(
                "registry",
                &self.registry.map(|r| r.describe()).unwrap_or_default(),
            )
            .field("scan", &self.scan.map(|s| s.processes.len()))
            .field("sessions", &self.sessions.len())
            .field("analysis", &self.analysis)
            .finish()
    }
}

/// A report: one machine and user at one time, and the chosen sessions.
/// The JSON format is this struct serialized (see docs/reports.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportModel {
    /// [`SCHEMA_VERSION`] when written.
    pub schema_version: u32,
    /// When the report was taken, RFC 3339 UTC with ms.
    pub taken_at: String,
    /// Where and by whom.
    pub host: HostInfo,
    /// What was asked for.
    pub content: Content,
    /// The policy and add-ins; `None` when not asked for or no store given.
    pub policy: Option<PolicySnapshot>,
    /// The MAPI processes; `None` when not asked for or no scan given.
    pub processes: Option<ProcessesSnapshot>,
    /// The chosen shutdown sessions, in the order given.
    pub sessions: Vec<SessionReport>,
    /// Sentences about what the report leaves out and why.
    pub notes: Vec<String>,
    /// The fleet summary: present when the sessions name more than one
    /// machine (`hello.host`), or when only the summary was asked for (or
    /// [`Detail::Auto`] chose it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fleet: Option<FleetSummary>,
}

/// The policy of every Office version, and the add-ins' settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySnapshot {
    /// The registry store read (`windows`, `file:PATH`, `memory`).
    pub store: String,
    /// One entry per Office version, oldest first.
    pub versions: Vec<PolicyVersion>,
    /// Every registered Outlook COM add-in.
    pub addins: Vec<AddinSetting>,
    /// What could not be read (access denied to a root or a key), in words.
    pub errors: Vec<String>,
}

/// One Office version's policy key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    /// The version.
    pub office: OfficeVersion,
    /// The Outlook releases that read it.
    pub products: String,
    /// Whether `HKCU\Software\Microsoft\Office\<ver>\Outlook` exists.
    pub installed: bool,
    /// The policy key with its hive (the source of the values).
    pub key: String,
    /// Whether the policy key exists.
    pub key_exists: bool,
    /// `FastShutdownBehavior`, `AddinFastShutdownBehavior`,
    /// `allowshutdownwithexternalreferences`, in that order; empty when the
    /// key could not be read (see `error`).
    pub values: Vec<PolicyValue>,
    /// Why the key could not be read, if so.
    pub error: Option<String>,
}

/// One registry value as read and interpreted (never coerced). Two are
/// equal when they say the same (the fields JSON holds): `texts`, the
/// same sentences as messages, is not compared, so a model read back from
/// JSON equals the one written.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PolicyValue {
    /// The value's name.
    pub name: String,
    /// Not configured, valid or invalid.
    pub state: SettingState,
    /// The data as stored, with its type; `None` when absent.
    pub raw: Option<RegistryData>,
    /// What is in force as a word (`opt-out`, `on`, `allow`, …).
    pub effective: String,
    /// The valid setting's word, `None` unless valid.
    pub value: Option<String>,
    /// What the subsystem or Outlook does, in words.
    pub meaning: String,
    /// The outlk16.admx policy that writes the value, if any.
    pub admx_policy: Option<String>,
    /// The ADMX policy state that writes this data, when known.
    pub admx_state: Option<String>,
    /// Why the data is invalid.
    pub reason: Option<String>,
    /// A fix for invalid data.
    pub fix: Option<String>,
    /// The sentences above as messages, so that a report in French or
    /// Chinese says them in its language (the fields above are English,
    /// as JSON is); `None` for a model read back from JSON.
    #[serde(skip)]
    pub texts: Option<PolicyValueTexts>,
}

impl PartialEq for PolicyValue {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.state == other.state
            && self.raw == other.raw
            && self.effective == other.effective
            && self.value == other.value
            && self.meaning == other.meaning
            && self.admx_policy == other.admx_policy
            && self.admx_state == other.admx_state
            && self.reason == other.reason
            && self.fix == other.fix
    }
}

impl Eq for PolicyValue {}

/// [`PolicyValue`]'s sentences as messages of the catalogues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyValueTexts {
    /// What the subsystem or Outlook does.
    pub meaning: Text,
    /// The ADMX policy's name.
    pub admx_policy: Option<Text>,
    /// The ADMX policy's state.
    pub admx_state: Option<Text>,
    /// Why the data is invalid.
    pub reason: Option<Text>,
    /// A fix for invalid data.
    pub fix: Option<Text>,
}

impl PolicyValue {
    fn from_setting(s: &SettingReport) -> PolicyValue {
        PolicyValue {
            name: s.name.to_string(),
            state: s.state,
            raw: s.raw.clone(),
            effective: s.effective.to_string(),
            value: s.value.map(str::to_string),
            meaning: s.meaning.render(Lang::En),
            admx_policy: s.admx_policy.as_ref().map(|t| t.render(Lang::En)),
            admx_state: s.admx_state.as_ref().map(|t| t.render(Lang::En)),
            reason: s.reason.as_ref().map(|t| t.render(Lang::En)),
            fix: s.fix.as_ref().map(|t| t.render(Lang::En)),
            texts: Some(PolicyValueTexts {
                meaning: s.meaning.clone(),
                admx_policy: s.admx_policy.clone(),
                admx_state: s.admx_state.clone(),
                reason: s.reason.clone(),
                fix: s.fix.clone(),
            }),
        }
    }

    /// The meaning, ADMX policy, ADMX state, reason and fix in `lang`
    /// (in English when the model was read back from JSON).
    pub fn sentences(
        &self,
        lang: Lang,
    ) -> (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        match &self.texts {
            Some(t) => {
                let r = |t: &Option<Text>| t.as_ref().map(|t| t.render(lang));
                (
                    t.meaning.render(lang),
                    r(&t.admx_policy),
                    r(&t.admx_state),
                    r(&t.reason),
                    r(&t.fix),
                )
            }
            None => (
                self.meaning.clone(),
                self.admx_policy.clone(),
                self.admx_state.clone(),
                self.reason.clone(),
                self.fix.clone(),
            ),
        }
    }

    /// The raw data in words: `REG_DWORD 0x00000001 (1)`, or `absent`.
    pub fn raw_text(&self) -> String {
        self.raw
            .as_ref()
            .map_or_else(|| "absent".to_string(), ToString::to_string)
    }
}

/// One COM add-in's `RequireShutdownNotification` (KB 2790282).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddinSetting {
    /// The ProgID.
    pub prog_id: String,
    /// `FriendlyName`, when set.
    pub friendly_name: Option<String>,
    /// The add-in's key with its hive (`HKEY_CURRENT_USER\…`,
    /// `HKEY_LOCAL_MACHINE\…\WOW6432Node\…`).
    pub key: String,
    /// `LoadBehavior` in words, when present.
    pub load_behavior: Option<String>,
    /// `RequireShutdownNotification` as read and interpreted.
    pub require_shutdown_notification: PolicyValue,
}

/// The MAPI processes of one scan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessesSnapshot {
    /// Processes with a MAPI subsystem loaded (or instrumented), by pid.
    pub processes: Vec<ProcessReport>,
    /// Processes whose modules could not be read: they may be MAPI
    /// processes too.
    pub uninspected: Vec<Uninspected>,
    /// The `MAPISVC.INF` files that extended the provider catalog.
    pub mapisvc_files: Vec<String>,
    /// Problems the scan met (malformed `MAPISVC.INF` lines, …).
    pub warnings: Vec<String>,
}

/// A process whose modules could not be listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uninspected {
    /// Process id.
    pub pid: u32,
    /// Executable name.
    pub name: String,
    /// Why (`access denied`, `process exited`, the OS's words).
    pub reason: String,
}

/// One MAPI process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessReport {
    /// Process id.
    pub pid: u32,
    /// Executable name.
    pub name: String,
    /// Executable path, when known.
    pub path: Option<String>,
    /// The account it runs as, when known.
    pub user: Option<String>,
    /// Start time, seconds since the Unix epoch (0: unknown).
    pub start_time: u64,
    /// Resident memory, bytes.
    pub memory: u64,
    /// A Wine process seen from Linux.
    pub wine: bool,
    /// Connected to (or recorded by) the monitor.
    pub instrumented: bool,
    /// The subsystem DLL loaded, if any.
    pub subsystem: Option<SubsystemReport>,
    /// Its providers.
    pub providers: Vec<ProviderReport>,
}

/// The MAPI subsystem a process has loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsystemReport {
    /// `olmapi32.dll`, …
    pub dll: String,
    /// Its path.
    pub path: String,
    /// Its file version, when readable.
    pub version: Option<String>,
    /// Whether the `mapi32.dll` stub is loaded too.
    pub stub_loaded: bool,
}

/// A provider DLL of a process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderReport {
    /// The DLL, lower case.
    pub dll: String,
    /// Where it is loaded from (`None`: declared by the client only).
    pub path: Option<String>,
    /// Its kinds, in call order.
    pub kinds: Vec<ProviderKind>,
    /// A short name.
    pub name: String,
    /// What it is, when the catalog says.
    pub description: Option<String>,
    /// Whether the OS lists it as loaded.
    pub loaded: bool,
    /// The display names the instrumented client declared for this DLL.
    pub declared: Vec<String>,
    /// Where the OS and the client's trace disagree, in words.
    pub difference: Option<String>,
}

impl ProcessReport {
    fn from_entry(p: &ProcessEntry) -> ProcessReport {
        ProcessReport {
            pid: p.info.pid,
            name: p.info.name.clone(),
            path: p.info.path.clone(),
            user: p.info.user.clone(),
            start_time: p.info.start_time,
            memory: p.info.memory,
            wine: p.info.wine,
            instrumented: p.instrumented,
            subsystem: p.subsystem.as_ref().map(|s| SubsystemReport {
                dll: s.dll.clone(),
                path: s.path.clone(),
                version: s.version.clone(),
                stub_loaded: s.stub_loaded,
            }),
            providers: p
                .providers
                .iter()
                .map(|r| ProviderReport {
                    dll: r.dll.clone(),
                    path: r.path.clone(),
                    kinds: r.kinds.clone(),
                    name: r.name.clone(),
                    description: r.description.clone(),
                    loaded: r.loaded,
                    declared: r.declared.iter().map(|d| d.name.clone()).collect(),
                    difference: r.difference.map(|d| d.describe().to_string()),
                })
                .collect(),
        }
    }
}

/// One shutdown session (one client stream) with its verdict and calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionReport {
    /// The session id (connection id).
    pub session: ConnId,
    /// The client's pid (`hello`, else the OS's), if known.
    pub pid: Option<u32>,
    /// The client's executable, from `hello`.
    pub process: Option<String>,
    /// The computer it ran on (`hello.host`); absent in traces written
    /// before the field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The Office version whose policy the subsystem read.
    pub office_version: Option<OfficeVersion>,
    /// The subsystem DLL the client used.
    pub subsystem: Option<String>,
    /// How the trace was captured from a real client (`hello.capture`);
    /// absent for a simulated one (our own subsystem).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<crate::trace::Capture>,
    /// Wall-clock time of the trace's `t = 0` (RFC 3339), from `hello`.
    pub started_at: Option<String>,
    /// The file the session was read from, if any.
    pub source: Option<String>,
    /// Whether the stream ended.
    pub closed: bool,
    /// Why the stream ended badly, if it did.
    pub stream_error: Option<String>,
    /// Records received.
    pub records: u64,
    /// Records lost: dropped by the client (its `dropped` count) plus
    /// those the monitor did not keep.
    pub dropped: u64,
    /// The client's exit code, when it exited normally.
    pub exit_code: Option<i32>,
    /// The policy the subsystem used, as traced.
    pub policy: Option<PolicyRecord>,
    /// That policy in words (`FastShutdownBehavior=1 (opt-in) for Office 16.0`).
    pub policy_text: Option<String>,
    /// The MAPI sessions (profiles) the client logged on to.
    pub mapi_sessions: Vec<SessionDecl>,
    /// The providers loaded into them, in load order.
    pub providers: Vec<ProviderDecl>,
    /// How the shutdown went.
    pub outcome: Outcome,
    /// Why, in a sentence.
    pub reason: String,
    /// Shutdown duration, ns (first `IMAPIClientShutdown` call to the last
    /// call's end); `None` without shutdown calls.
    pub duration_ns: Option<u64>,
    /// The same in ms (µs precision), as every session object has it
    /// ([`SessionVerdict`](crate::monitor::analysis::SessionVerdict)).
    #[serde(default)]
    pub duration_ms: Option<f64>,
    /// Best-practice findings, most severe first.
    pub findings: Vec<Finding>,
    /// Time per provider in shutdown calls, in load order.
    pub provider_timings: Vec<ProviderTiming>,
    /// Every call, in start order.
    pub calls: Vec<CallReport>,
    /// The trace's latest timestamp, ns (unreturned calls end here).
    pub last_ns: u64,
    /// Records that did not fit the call model.
    pub anomalies: Vec<String>,
    /// The verdict, to say its reason in any language (a report read back
    /// from JSON has only the English [`reason`](Self::reason)).
    #[serde(skip)]
    verdict: KeptVerdict,
}

/// The verdict behind a session, left out of JSON and of comparisons (a
/// session read back from JSON equals the one written).
#[derive(Clone, Debug, Default)]
struct KeptVerdict(Option<Box<Verdict>>);

impl PartialEq for KeptVerdict {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl SessionReport {
    /// `OUTLOOK.EXE (pid 42)`, `pid 42`, or `session 3` (render it at the
    /// edge: `render(Lang::En)` for the Chrome trace's track names).
    pub fn label(&self) -> Text {
        match (&self.process, self.pid) {
            (Some(exe), Some(pid)) => Text::new("report-label-exe")
                .str("exe", exe)
                .str("pid", pid),
            (None, Some(pid)) => Text::new("report-label-pid").str("pid", pid),
            _ => Text::new("report-label-session").str("session", self.session),
        }
    }

    /// The verdict's reason as data ([`Verdict::reason_text`]); a report
    /// read back from JSON has only the English [`reason`](Self::reason),
    /// shown as it is.
    pub fn reason_text(&self) -> Text {
        match &self.verdict.0 {
            Some(v) => v.reason_text(),
            None => Text::plain(self.reason.clone()),
        }
    }

    /// The policy in force in words (`None` when not traced); a report
    /// read back from JSON has only the English
    /// [`policy_text`](Self::policy_text), shown as it is.
    pub fn describe_policy(&self) -> Option<Text> {
        match &self.policy {
            Some(p) => Some(describe_policy(p)),
            None => self.policy_text.clone().map(Text::plain),
        }
    }

    /// The report of one session: its analysis ([`analyze`]) and calls.
    pub fn build(input: &SessionInput<'_>, options: &AnalysisOptions) -> SessionReport {
        let trace = input.trace;
        let verdict = analyze(trace, input.state, options);
        let hello = trace.hello.as_ref();
        let calls = trace
            .calls
            .iter()
            .map(|c| {
                let provider = c.provider().and_then(|p| trace.provider(p));
                CallReport {
                    id: c.id,
                    parent: c.parent(),
                    caller: c.caller,
                    interface: c.interface,
                    method: c.method,
                    mapi_session: c.session(),
                    provider: c.provider(),
                    provider_name: provider.map(|p| p.name.clone()),
                    kind: provider.map(|p| p.kind),
                    dll: match (provider, c.caller) {
                        (Some(p), _) => Some(p.dll.clone()),
                        // The client's calls go into the subsystem DLL.
                        (None, Caller::Client) => hello.map(|h| h.subsystem.clone()),
                        (None, Caller::Subsystem) => None,
                    },
                    start_ns: c.start_ns,
                    end_ns: c.end_ns(),
                    hresult: c.hresult(),
                }
            })
            .collect();
        SessionReport {
            session: input.session,
            pid: input.pid(),
            process: hello.map(|h| h.exe.clone()),
            host: hello.and_then(|h| h.host.clone()),
            office_version: hello.and_then(|h| h.known_office_version()),
            subsystem: hello.map(|h| h.subsystem.clone()),
            capture: hello.and_then(|h| h.capture.clone()),
            started_at: hello.map(|h| h.started_at.clone()),
            source: input.source.map(str::to_string),
            closed: input.state.ended(),
            stream_error: input.error.map(str::to_string),
            records: input.records,
            dropped: trace.dropped + input.dropped,
            exit_code: trace.exit.as_ref().map(|x| x.code),
            policy: trace.policy.clone(),
            policy_text: trace
                .policy
                .as_ref()
                .map(|p| describe_policy(p).render(Lang::En)),
            mapi_sessions: trace.sessions.clone(),
            providers: trace.providers.clone(),
            outcome: verdict.outcome,
            reason: verdict.reason.clone(),
            duration_ns: verdict.duration_ns,
            duration_ms: SessionVerdict::from(&verdict).duration_ms,
            findings: verdict.findings.clone(),
            provider_timings: verdict.providers.clone(),
            calls,
            last_ns: trace.last_ns,
            anomalies: trace.anomalies.clone(),
            verdict: KeptVerdict(Some(Box::new(verdict))),
        }
    }
}

/// One call of a session, with its provider resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallReport {
    /// The call id in the trace.
    pub id: u64,
    /// The enclosing call (a provider call's client call).
    pub parent: Option<u64>,
    /// `client` or `subsystem`.
    pub caller: Caller,
    /// `IMAPIClientShutdown`, `IMAPIProviderShutdown` or `MAPI`.
    pub interface: Interface,
    /// The method.
    pub method: Method,
    /// The MAPI session it went through.
    pub mapi_session: Option<u32>,
    /// The provider called (provider calls).
    pub provider: Option<u32>,
    /// The provider's display name.
    pub provider_name: Option<String>,
    /// The provider's kind.
    pub kind: Option<ProviderKind>,
    /// The DLL that implements the method: the provider's, or for the
    /// client's calls the subsystem's.
    pub dll: Option<String>,
    /// Start, ns since the trace started.
    pub start_ns: u64,
    /// End, ns since the trace started; `None` when it never returned.
    pub end_ns: Option<u64>,
    /// What it returned; `None` when it never returned.
    pub hresult: Option<HRESULT>,
}

impl CallReport {
    /// Duration in ns; a call that never returned runs until `last_ns`
    /// (the last thing known of the process): [`Self::duration`]'s `ns`.
    pub fn duration_ns(&self, last_ns: u64) -> u64 {
        self.duration(last_ns).ns
    }

    /// How long it lasted, by the analysis' one rule ([`CallDuration`]).
    pub fn duration(&self, last_ns: u64) -> CallDuration {
        CallDuration::of(self.start_ns, self.end_ns, last_ns)
    }

    /// What the one lane model (`monitor::lanes`) needs of the call.
    pub fn lane_call(&self) -> crate::monitor::lanes::LaneCall {
        crate::monitor::lanes::LaneCall {
            caller: self.caller,
            interface: self.interface,
            provider: self.provider,
        }
    }

    /// `IMAPIClientShutdown::QueryFastShutdown`.
    pub fn qualified_name(&self) -> String {
        match self.interface {
            Interface::Mapi => self.method.as_str().to_string(),
            i => format!("{}::{}", i.as_str(), self.method),
        }
    }

    /// The HRESULT's symbolic name (`MAPI_E_NO_SUPPORT`), `unknown` for a
    /// code without one, `no return` when the call never returned.
    pub fn hresult_name(&self) -> &'static str {
        match self.hresult {
            Some(h) => h.name().unwrap_or("unknown"),
            None => "no return",
        }
    }
}

impl ReportModel {
    /// Build a report: the time from `clock` (its current wall-clock
    /// time), the host as given, then each part [`Content`] asks for from
    /// `sources`. Reading the registry may fail per key or root (access
    /// denied): that is recorded in [`PolicySnapshot::errors`] or the
    /// version's `error`, never fatal. Pure apart from the registry reads
    /// and the clock.
    pub fn build(
        clock: &dyn Clock,
        host: &HostInfo,
        content: &Content,
        sources: &Sources<'_>,
    ) -> ReportModel {
        let now = clock.origin() + Duration::from_nanos(clock.now_ns());
        let (policy, processes, notes) = Self::machine_parts(content, sources);
        let chosen: Vec<&SessionInput<'_>> = sources
            .sessions
            .iter()
            .filter(|s| content.sessions.includes(s))
            .collect();
        let summarize = content.detail.summarizes(chosen.len());
        let slow_ns = sources.analysis.slow_provider_ns;
        let mut sessions = Vec::new();
        let mut facts = Vec::with_capacity(chosen.len());
        for input in chosen {
            let report = SessionReport::build(input, &sources.analysis);
            facts.push(SessionFacts::of(&report, input.file, slow_ns));
            if !summarize {
                sessions.push(report);
            }
        }
        Self::assemble(
            now,
            host,
            content,
            Gathered {
                sessions,
                facts,
                summarized: summarize,
            },
            policy,
            processes,
            notes,
            slow_ns,
        )
    }

    /// The rest of [`build`](Self::build), from sessions already read and
    /// analysed (`gathered`, e.g. by [`super::gather`]'s parallel readers).
    #[allow(clippy::too_many_arguments)]
    fn assemble(
        now: std::time::SystemTime,
        host: &HostInfo,
        content: &Content,
        gathered: Gathered,
        policy: Option<PolicySnapshot>,
        processes: Option<ProcessesSnapshot>,
        mut notes: Vec<String>,
        slow_ns: u64,
    ) -> ReportModel {
        let Gathered {
            sessions,
            facts,
            summarized,
        } = gathered;
        let count = facts.len();
        // Several machines that name themselves (`hello.host`): a fleet.
        // Traces without it are never taken for other machines on their
        // own (a ticket's few old traces are one machine's, most likely);
        // a summary always has the fleet summary.
        let named: BTreeSet<&str> = facts
            .iter()
            .filter(|f| f.row.host.is_some())
            .map(|f| f.machine_key.as_str())
            .collect();
        let fleet = (summarized || named.len() > 1).then(|| FleetSummary {
            summarized,
            ..FleetSummary::of(facts, slow_ns)
        });
        match &content.sessions {
            SessionChoice::None => {}
            SessionChoice::Pid { pid } if count == 0 => {
                notes.push(format!("No shutdown session of pid {pid} was recorded."));
            }
            SessionChoice::Selected { sessions: chosen } if count < chosen.len() => {
                notes.push(format!(
                    "{} of the {} selected sessions are no longer held and are left out.",
                    chosen.len() - count,
                    chosen.len()
                ));
            }
            _ if count == 0 => notes.push("No shutdown session was recorded.".into()),
            _ => {}
        }
        ReportModel {
            schema_version: SCHEMA_VERSION,
            taken_at: rfc3339(now),
            host: host.clone(),
            content: content.clone(),
            policy,
            processes,
            sessions,
            notes,
            fleet,
        }
    }

    /// Build a report from sessions already read and analysed (the
    /// parallel readers of [`super::gather`]): as [`build`](Self::build),
    /// with `gathered` in place of `sources.sessions`.
    pub fn build_gathered(
        clock: &dyn Clock,
        host: &HostInfo,
        content: &Content,
        sources: &Sources<'_>,
        gathered: Gathered,
    ) -> ReportModel {
        let now = clock.origin() + Duration::from_nanos(clock.now_ns());
        let (policy, processes, notes) = Self::machine_parts(content, sources);
        Self::assemble(
            now,
            host,
            content,
            gathered,
            policy,
            processes,
            notes,
            sources.analysis.slow_provider_ns,
        )
    }

    /// The policy and processes parts, and notes on what is missing.
    fn machine_parts(
        content: &Content,
        sources: &Sources<'_>,
    ) -> (
        Option<PolicySnapshot>,
        Option<ProcessesSnapshot>,
        Vec<String>,
    ) {
        let mut notes = Vec::new();
        let policy = match (content.policy, sources.registry) {
            (false, _) => None,
            (true, Some(store)) => Some(read_policy_snapshot(store)),
            (true, None) => {
                notes.push("The policy was asked for, but no registry store was given.".into());
                None
            }
        };
        let processes = match (content.processes, sources.scan) {
            (false, _) => None,
            (true, Some(scan)) => Some(processes_snapshot(scan)),
            (true, None) => {
                notes.push("The processes were asked for, but no process scan was given.".into());
                None
            }
        };
        (policy, processes, notes)
    }

    /// Whether the report holds only the fleet summary and a line per
    /// session (no session in full, no call): [`Detail::Summary`], or
    /// [`Detail::Auto`] above [`super::fleet::AUTO_SUMMARY_ABOVE`]
    /// sessions.
    pub fn summarized(&self) -> bool {
        self.fleet.as_ref().is_some_and(|f| f.summarized)
    }

    /// Every call of every session, with its session: the CSV's rows.
    pub fn calls(&self) -> impl Iterator<Item = (&SessionReport, &CallReport)> {
        self.sessions
            .iter()
            .flat_map(|s| s.calls.iter().map(move |c| (s, c)))
    }

    /// A title: `MAPI fast shutdown report: HOST, 2026-11-20 10:00 UTC`
    /// (render it at the edge in the report's language).
    pub fn title(&self) -> Text {
        let when = self
            .taken_at
            .get(..16)
            .map_or_else(|| self.taken_at.clone(), |t| t.replace('T', " "));
        Text::new("report-title")
            .str("host", &self.host.host_name)
            .str("when", when)
    }
}

/// Sessions read and analysed ahead of [`ReportModel::build_gathered`]:
/// the reports kept in full (none when summarized) and every session's
/// facts for the fleet summary, in the report's order.
#[derive(Clone, Debug, Default)]
pub struct Gathered {
    /// The sessions in full, numbered; empty when `summarized`.
    pub sessions: Vec<SessionReport>,
    /// Every session's facts, in the same order.
    pub facts: Vec<SessionFacts>,
    /// Whether only the summary is kept.
    pub summarized: bool,
}

/// Read the policy of every Office version and the add-ins from `store`.
pub fn read_policy_snapshot(store: &dyn RegistryStore) -> PolicySnapshot {
    let mut errors = Vec::new();
    let versions = OfficeVersion::ALL
        .into_iter()
        .map(|office| match read_version(store, office) {
            Ok(v) => PolicyVersion {
                office,
                products: v.products.to_string(),
                installed: v.installed,
                key: v.key,
                key_exists: v.key_exists,
                values: v.settings.iter().map(PolicyValue::from_setting).collect(),
                error: None,
            },
            Err(e) => PolicyVersion {
                office,
                products: office.products().to_string(),
                installed: false,
                key: crate::policy::settings::policy_key_path(office),
                key_exists: false,
                values: Vec::new(),
                error: Some(e.to_string()),
            },
        })
        .collect();
    let addins = match list_addins(store) {
        Ok(list) => {
            errors.extend(list.errors);
            list.addins
                .iter()
                .map(|a| AddinSetting {
                    prog_id: a.prog_id.clone(),
                    friendly_name: a.friendly_name.clone(),
                    key: a.key.clone(),
                    load_behavior: a.load_behavior.as_ref().map(|l| l.meaning.render(Lang::En)),
                    require_shutdown_notification: PolicyValue::from_setting(
                        &a.require_shutdown_notification,
                    ),
                })
                .collect()
        }
        Err(e) => {
            errors.push(format!("the add-ins cannot be listed: {e}"));
            Vec::new()
        }
    };
    PolicySnapshot {
        store: store.describe(),
        versions,
        addins,
        errors,
    }
}

/// The MAPI processes of `scan`.
pub fn processes_snapshot(scan: &Scan) -> ProcessesSnapshot {
    ProcessesSnapshot {
        processes: scan
            .mapi_processes()
            .map(ProcessReport::from_entry)
            .collect(),
        uninspected: scan
            .uninspected()
            .map(|(p, e)| Uninspected {
                pid: p.info.pid,
                name: p.info.name.clone(),
                reason: e.to_string(),
            })
            .collect(),
        mapisvc_files: scan
            .mapisvc_files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        warnings: scan.warnings.iter().map(ToString::to_string).collect(),
    }
}
