//! The fleet summary: what the shutdown sessions of many machines say
//! together (docs/reports.md, "Fleet summary"). It owns the per-session
//! facts a summary needs ([`SessionFacts`], taken from a
//! [`SessionReport`] and its verdict, small enough to keep 10,000 of), their
//! aggregation ([`FleetBuilder`] into a [`FleetSummary`]): machines and
//! sessions by outcome, a breakdown per Office version and policy, and per
//! provider DLL how often it opted out, had no `IMAPIProviderShutdown`,
//! was slow (with the p50 and p95 of its `DoFastShutdown` time), was still
//! in `DoFastShutdown` when the process ended, and how many fast shutdowns
//! it cost, the costliest first.
//!
//! A machine is the `hello` record's `host` (case-insensitive). A trace
//! without it (written before the field existed) is never guessed: it is
//! its own "unknown machine", named by the file it was read from (or, for
//! a session of the monitor, by its session id).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::model::SessionReport;
use crate::i18n::text::Text;
use crate::mapi::ProviderKind;
use crate::monitor::ConnId;
use crate::monitor::analysis::Outcome;
use crate::policy::{FastShutdownBehavior, OfficeVersion};
use crate::trace::{Caller, Interface, Method};

/// Above this many sessions, a report asked for with [`Detail::Auto`]
/// holds the fleet summary and one line per session instead of every
/// session's calls, timeline and findings (a page of 10,000 sessions'
/// details is hundreds of megabytes no browser opens).
pub const AUTO_SUMMARY_ABOVE: usize = 200;

/// How much of each session a report holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Detail {
    /// Every session in full up to [`AUTO_SUMMARY_ABOVE`] sessions, the
    /// summary above.
    #[default]
    Auto,
    /// Every session in full (calls, timeline, findings), however many.
    Full,
    /// The fleet summary and one line per session; no calls.
    Summary,
}

impl Detail {
    /// Every choice, in the order a menu shows them.
    pub const ALL: [Detail; 3] = [Detail::Auto, Detail::Full, Detail::Summary];

    /// `auto`, `full`, `summary`.
    pub fn as_str(self) -> &'static str {
        match self {
            Detail::Auto => "auto",
            Detail::Full => "full",
            Detail::Summary => "summary",
        }
    }

    /// Whether this is [`Detail::Auto`] (the JSON leaves it out then).
    pub fn is_auto(&self) -> bool {
        *self == Detail::Auto
    }

    /// Whether a report of `sessions` sessions holds only the summary.
    pub fn summarizes(self, sessions: usize) -> bool {
        match self {
            Detail::Auto => sessions > AUTO_SUMMARY_ABOVE,
            Detail::Full => false,
            Detail::Summary => true,
        }
    }
}

impl std::str::FromStr for Detail {
    type Err = String;

    /// `auto`, `full`, `summary` (any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Detail::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("`{s}` is not a detail: use auto, full or summary"))
    }
}

/// Sessions counted by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct OutcomeCounts {
    /// `fast`.
    pub fast: u64,
    /// `normal`.
    pub normal: u64,
    /// `data-loss-risk`.
    pub data_loss_risk: u64,
    /// `incomplete`.
    pub incomplete: u64,
    /// `in-progress`.
    pub in_progress: u64,
}

impl OutcomeCounts {
    /// The count of `outcome`.
    pub fn get(&self, outcome: Outcome) -> u64 {
        match outcome {
            Outcome::Fast => self.fast,
            Outcome::Normal => self.normal,
            Outcome::DataLossRisk => self.data_loss_risk,
            Outcome::Incomplete => self.incomplete,
            Outcome::InProgress => self.in_progress,
        }
    }

    fn add(&mut self, outcome: Outcome) {
        *match outcome {
            Outcome::Fast => &mut self.fast,
            Outcome::Normal => &mut self.normal,
            Outcome::DataLossRisk => &mut self.data_loss_risk,
            Outcome::Incomplete => &mut self.incomplete,
            Outcome::InProgress => &mut self.in_progress,
        } += 1;
    }

    /// The sum over every outcome.
    pub fn total(&self) -> u64 {
        Outcome::ALL.into_iter().map(|o| self.get(o)).sum()
    }
}

/// One provider DLL's part in one session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DllFacts {
    /// The DLL, lower case (`emsmdb32.dll`).
    pub dll: String,
    /// The display names its providers were declared with.
    pub names: Vec<String>,
    /// Its providers' kinds.
    pub kinds: BTreeSet<ProviderKind>,
    /// One of its providers' `QueryFastShutdown` returned an error.
    pub opted_out: bool,
    /// One of its providers does not implement `IMAPIProviderShutdown`.
    pub no_shutdown_interface: bool,
    /// One of its providers' shutdown steps took longer than the
    /// analysis' slow-provider threshold (the `slow-provider` finding).
    pub slow: bool,
    /// Each of its `DoFastShutdown` calls' time, ns (a call that never
    /// returned: until the last thing known of the process, a lower
    /// bound).
    pub do_ns: Vec<u64>,
    /// One of its `DoFastShutdown` calls never returned and the trace
    /// ended there for good: the process exited or was killed
    /// (`data-loss-risk`), or its trace stops there (`incomplete`).
    pub running_at_kill: bool,
    /// It cost the session its fast shutdown (see [`SessionFacts::of`]).
    pub cost: bool,
}

/// What the fleet summary needs of one session: its line, its machine
/// and its provider DLLs' facts.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionFacts {
    /// The session's line in the summary.
    pub row: FleetSessionRow,
    /// The machine's grouping key: the host in lower case, or the file
    /// (`file:PATH`) or session (`session:N`) of an unknown machine.
    pub machine_key: String,
    /// Its provider DLLs, by name.
    pub dlls: Vec<DllFacts>,
}

/// One session in the summary's session list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetSessionRow {
    /// The session id (as in the report's `sessions`).
    pub session: ConnId,
    /// The computer's name from the trace's `hello`; `None`: unknown.
    pub host: Option<String>,
    /// The file it was read from (names an unknown machine).
    pub source: Option<String>,
    /// The client's pid.
    pub pid: Option<u32>,
    /// The client's executable.
    pub process: Option<String>,
    /// The Office version whose policy applied.
    pub office_version: Option<OfficeVersion>,
    /// The `FastShutdownBehavior` in force, as traced.
    pub policy: Option<FastShutdownBehavior>,
    /// How the shutdown went.
    pub outcome: Outcome,
    /// Why, in English (people read it in their language).
    pub reason: String,
    /// Shutdown duration, ms (µs precision); `None` without shutdown calls.
    pub duration_ms: Option<f64>,
    /// The provider DLLs that cost this session its fast shutdown.
    pub cost_by: Vec<String>,
    /// The reason as a message, to say it in any language (`None` when
    /// read back from JSON).
    #[serde(skip)]
    pub reason_text: Option<Text>,
}

impl FleetSessionRow {
    /// The machine for people: the host, or `unknown machine (FILE)`.
    pub fn machine(&self) -> Text {
        machine_text(self.host.as_deref(), self.source.as_deref(), self.session)
    }

    /// The reason as a message, to render in any language (the English
    /// words as they are when read back from JSON).
    pub fn reason(&self) -> Text {
        self.reason_text
            .clone()
            .unwrap_or_else(|| Text::plain(self.reason.clone()))
    }
}

/// A machine for people: `host`, or an unknown machine named by its file
/// or session.
pub fn machine_text(host: Option<&str>, file: Option<&str>, session: ConnId) -> Text {
    match (host, file) {
        (Some(h), _) => Text::plain(h),
        (None, Some(f)) => Text::new("fleet-machine-unknown-file").str("file", f),
        (None, None) => Text::new("fleet-machine-unknown-session").num("session", session),
    }
}

impl SessionFacts {
    /// The facts of `s`, read from `file` (the file names a machine whose
    /// trace has no `host`; `None` for a session of the monitor). A DLL's
    /// step is slow above `slow_ns` (the analysis' threshold).
    ///
    /// A DLL **cost** the session its fast shutdown when the session did
    /// not end fast because of it: the outcome is `normal` (the policy not
    /// `disabled`) and it opted out (its `QueryFastShutdown` returned an
    /// error) or, under opt-in, one of its providers has no
    /// `IMAPIProviderShutdown`; or the outcome is `data-loss-risk` or
    /// `incomplete` and it was still in `DoFastShutdown` when the trace
    /// ended (the process killed, or its trace cut there).
    pub fn of(s: &SessionReport, file: Option<&str>, slow_ns: u64) -> SessionFacts {
        let policy = s.policy.as_ref().map(|p| p.effective);
        // The trace ended for good (the process exited, was killed, or
        // its trace stops there): an unreturned call was still running.
        let ended = matches!(s.outcome, Outcome::DataLossRisk | Outcome::Incomplete);
        let mut dlls: BTreeMap<String, DllFacts> = BTreeMap::new();
        for p in &s.providers {
            let d = dll_entry(&mut dlls, &p.dll);
            if !d.names.contains(&p.name) {
                d.names.push(p.name.clone());
            }
            d.kinds.insert(p.kind);
            d.no_shutdown_interface |= !p.implements_shutdown;
        }
        for t in &s.provider_timings {
            let d = dll_entry(&mut dlls, &t.dll);
            d.kinds.insert(t.kind);
            d.no_shutdown_interface |= !t.implements_shutdown;
        }
        for c in s
            .calls
            .iter()
            .filter(|c| c.interface == Interface::ProviderShutdown && c.caller == Caller::Subsystem)
        {
            let Some(dll) = c.dll.as_deref() else {
                continue;
            };
            let d = dll_entry(&mut dlls, dll);
            let took = c.duration(s.last_ns);
            if took.ns > slow_ns {
                d.slow = true;
            }
            match c.method {
                Method::QueryFastShutdown if c.hresult.is_some_and(|h| h.is_failure()) => {
                    d.opted_out = true;
                }
                Method::DoFastShutdown => {
                    d.do_ns.push(took.ns);
                    if !took.returned && ended {
                        d.running_at_kill = true;
                    }
                }
                _ => {}
            }
        }
        for d in dlls.values_mut() {
            d.cost = match s.outcome {
                Outcome::Normal if policy != Some(FastShutdownBehavior::Disabled) => {
                    d.opted_out
                        || (policy == Some(FastShutdownBehavior::OptIn) && d.no_shutdown_interface)
                }
                Outcome::DataLossRisk | Outcome::Incomplete => d.running_at_kill,
                _ => false,
            };
        }
        let dlls: Vec<DllFacts> = dlls.into_values().collect();
        let host = s.host.clone().filter(|h| !h.trim().is_empty());
        let machine_key = match (&host, file) {
            (Some(h), _) => h.to_lowercase(),
            (None, Some(f)) => format!("file:{f}"),
            (None, None) => format!("session:{}", s.session),
        };
        SessionFacts {
            row: FleetSessionRow {
                session: s.session,
                host,
                source: file.map(str::to_string).or_else(|| s.source.clone()),
                pid: s.pid,
                process: s.process.clone(),
                office_version: s.office_version,
                policy,
                outcome: s.outcome,
                reason: s.reason.clone(),
                duration_ms: s.duration_ms,
                cost_by: dlls
                    .iter()
                    .filter(|d| d.cost)
                    .map(|d| d.dll.clone())
                    .collect(),
                reason_text: Some(s.reason_text()),
            },
            machine_key,
            dlls,
        }
    }
}

/// The facts of `dll` (any case) in `dlls`, added when new.
fn dll_entry<'a>(dlls: &'a mut BTreeMap<String, DllFacts>, dll: &str) -> &'a mut DllFacts {
    dlls.entry(dll.to_lowercase())
        .or_insert_with_key(|k| DllFacts {
            dll: k.clone(),
            ..DllFacts::default()
        })
}

/// The fleet summary (the JSON's `fleet`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetSummary {
    /// Whether the report holds only this summary and a line per session
    /// (its `sessions` are left out: [`Detail::Summary`], or
    /// [`Detail::Auto`] above [`AUTO_SUMMARY_ABOVE`] sessions).
    #[serde(default)]
    pub summarized: bool,
    /// Distinct machines (unknown machines counted one per file).
    pub machines: u64,
    /// Of them, machines whose traces carry no `host` (one per file).
    pub unknown_machines: u64,
    /// Sessions.
    pub sessions: u64,
    /// Sessions by outcome.
    pub outcomes: OutcomeCounts,
    /// Machines with at least one session of each outcome.
    pub machine_outcomes: OutcomeCounts,
    /// The slow-provider threshold, ms (a step longer is slow).
    pub slow_threshold_ms: f64,
    /// Per Office version and policy, by version then policy.
    pub groups: Vec<FleetGroup>,
    /// Per provider DLL, the costliest first (see [`FleetBuilder::finish`]).
    pub providers: Vec<FleetProvider>,
    /// One line per session, in the report's order.
    pub session_rows: Vec<FleetSessionRow>,
}

/// The sessions of one Office version under one policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetGroup {
    /// The Office version (`None`: unknown, a captured subsystem without
    /// a version).
    pub office_version: Option<OfficeVersion>,
    /// The `FastShutdownBehavior` in force (`None`: not traced).
    pub policy: Option<FastShutdownBehavior>,
    /// Machines.
    pub machines: u64,
    /// Sessions.
    pub sessions: u64,
    /// Sessions by outcome.
    pub outcomes: OutcomeCounts,
}

/// What a provider DLL did, over a set of sessions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderStats {
    /// Machines it appeared on.
    pub machines: u64,
    /// Sessions it appeared in.
    pub sessions: u64,
    /// Those sessions by outcome.
    pub outcomes: OutcomeCounts,
    /// Sessions in which its `QueryFastShutdown` returned an error.
    pub opted_out: u64,
    /// Sessions in which one of its providers had no
    /// `IMAPIProviderShutdown`.
    pub no_shutdown_interface: u64,
    /// Sessions in which one of its steps was slow.
    pub slow: u64,
    /// Its `DoFastShutdown` calls.
    pub do_calls: u64,
    /// Median `DoFastShutdown` time, ns (nearest rank); `None` without a
    /// call.
    pub do_p50_ns: Option<u64>,
    /// 95th percentile of its `DoFastShutdown` time, ns (nearest rank).
    pub do_p95_ns: Option<u64>,
    /// The median in ms (µs precision).
    pub do_p50_ms: Option<f64>,
    /// The 95th percentile in ms (µs precision).
    pub do_p95_ms: Option<f64>,
    /// Sessions in which it was still in `DoFastShutdown` when the
    /// process ended.
    pub running_at_kill: u64,
    /// Fast shutdowns it cost (sessions).
    pub cost: u64,
}

/// One provider DLL across the fleet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetProvider {
    /// The DLL, lower case.
    pub dll: String,
    /// Display names its providers were declared with (first 3 seen).
    pub names: Vec<String>,
    /// Its providers' kinds.
    pub kinds: Vec<ProviderKind>,
    /// Over every session.
    #[serde(flatten)]
    pub stats: ProviderStats,
    /// Per Office version and policy, in [`FleetSummary::groups`]' order.
    pub groups: Vec<FleetProviderGroup>,
}

/// A provider DLL in one Office version and policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetProviderGroup {
    /// The Office version.
    pub office_version: Option<OfficeVersion>,
    /// The policy in force.
    pub policy: Option<FastShutdownBehavior>,
    /// Its facts in these sessions.
    #[serde(flatten)]
    pub stats: ProviderStats,
}

/// The nearest-rank percentile `p` (0 < p ≤ 100) of `sorted` (ascending):
/// the smallest value with at least `p` % of the values at or below it.
/// `None` for no value.
pub fn percentile(sorted: &[u64], p: u32) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p) * n).div_ceil(100).clamp(1, n);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

/// ns as ms with µs precision.
fn ms(ns: u64) -> f64 {
    (ns / 1_000) as f64 / 1_000.0
}

type GroupKey = (Option<OfficeVersion>, Option<u32>);

fn group_key(office: Option<OfficeVersion>, policy: Option<FastShutdownBehavior>) -> GroupKey {
    (office, policy.map(FastShutdownBehavior::dword))
}

#[derive(Default)]
struct StatsAcc {
    machines: BTreeSet<u32>,
    sessions: u64,
    outcomes: OutcomeCounts,
    opted_out: u64,
    no_shutdown_interface: u64,
    slow: u64,
    do_ns: Vec<u64>,
    running_at_kill: u64,
    cost: u64,
}

impl StatsAcc {
    fn add(&mut self, machine: u32, outcome: Outcome, d: &DllFacts) {
        self.machines.insert(machine);
        self.sessions += 1;
        self.outcomes.add(outcome);
        self.opted_out += u64::from(d.opted_out);
        self.no_shutdown_interface += u64::from(d.no_shutdown_interface);
        self.slow += u64::from(d.slow);
        self.do_ns.extend_from_slice(&d.do_ns);
        self.running_at_kill += u64::from(d.running_at_kill);
        self.cost += u64::from(d.cost);
    }

    fn finish(mut self) -> ProviderStats {
        self.do_ns.sort_unstable();
        let p50 = percentile(&self.do_ns, 50);
        let p95 = percentile(&self.do_ns, 95);
        ProviderStats {
            machines: self.machines.len() as u64,
            sessions: self.sessions,
            outcomes: self.outcomes,
            opted_out: self.opted_out,
            no_shutdown_interface: self.no_shutdown_interface,
            slow: self.slow,
            do_calls: self.do_ns.len() as u64,
            do_p50_ns: p50,
            do_p95_ns: p95,
            do_p50_ms: p50.map(ms),
            do_p95_ms: p95.map(ms),
            running_at_kill: self.running_at_kill,
            cost: self.cost,
        }
    }
}

#[derive(Default)]
struct ProviderAcc {
    names: Vec<String>,
    kinds: BTreeSet<ProviderKind>,
    all: StatsAcc,
    groups: BTreeMap<GroupKey, StatsAcc>,
}

#[derive(Default)]
struct GroupAcc {
    machines: BTreeSet<u32>,
    sessions: u64,
    outcomes: OutcomeCounts,
}

/// Adds sessions' facts up into a [`FleetSummary`]; cheap per session
/// (the facts are already small), so one thread adds what the readers
/// found.
pub struct FleetBuilder {
    slow_ns: u64,
    machines: HashMap<String, u32>,
    machine_outcomes: Vec<[bool; 5]>,
    unknown_machines: u64,
    outcomes: OutcomeCounts,
    groups: BTreeMap<GroupKey, GroupAcc>,
    providers: HashMap<String, ProviderAcc>,
    rows: Vec<FleetSessionRow>,
}

fn outcome_index(o: Outcome) -> usize {
    Outcome::ALL.iter().position(|x| *x == o).unwrap_or(0)
}

impl FleetBuilder {
    /// An empty summary whose slow threshold is `slow_ns` (ns).
    pub fn new(slow_ns: u64) -> FleetBuilder {
        FleetBuilder {
            slow_ns,
            machines: HashMap::new(),
            machine_outcomes: Vec::new(),
            unknown_machines: 0,
            outcomes: OutcomeCounts::default(),
            groups: BTreeMap::new(),
            providers: HashMap::new(),
            rows: Vec::new(),
        }
    }

    /// Add one session.
    pub fn add(&mut self, facts: SessionFacts) {
        let next = u32::try_from(self.machines.len()).unwrap_or(u32::MAX);
        let machine = *self.machines.entry(facts.machine_key).or_insert_with(|| {
            self.machine_outcomes.push([false; 5]);
            if facts.row.host.is_none() {
                self.unknown_machines += 1;
            }
            next
        });
        let outcome = facts.row.outcome;
        if let Some(m) = self.machine_outcomes.get_mut(machine as usize) {
            m[outcome_index(outcome)] = true;
        }
        self.outcomes.add(outcome);
        let key = group_key(facts.row.office_version, facts.row.policy);
        let g = self.groups.entry(key).or_default();
        g.machines.insert(machine);
        g.sessions += 1;
        g.outcomes.add(outcome);
        for d in &facts.dlls {
            let p = self.providers.entry(d.dll.clone()).or_default();
            for n in &d.names {
                if p.names.len() < 3 && !p.names.contains(n) {
                    p.names.push(n.clone());
                }
            }
            p.kinds.extend(d.kinds.iter().copied());
            p.all.add(machine, outcome, d);
            p.groups.entry(key).or_default().add(machine, outcome, d);
        }
        self.rows.push(facts.row);
    }

    /// The summary. Providers are sorted by the fast shutdowns they cost
    /// (most first), then by the sessions in which they were still running
    /// at the kill, then by the sessions they opted out of, then by the
    /// sessions they appeared in (all descending), then by DLL name.
    pub fn finish(self) -> FleetSummary {
        let from_key = |(office, policy): GroupKey| {
            (office, policy.and_then(FastShutdownBehavior::from_dword))
        };
        let mut providers: Vec<FleetProvider> = self
            .providers
            .into_iter()
            .map(|(dll, p)| FleetProvider {
                dll,
                names: p.names,
                kinds: p.kinds.into_iter().collect(),
                stats: p.all.finish(),
                groups: p
                    .groups
                    .into_iter()
                    .map(|(k, s)| {
                        let (office_version, policy) = from_key(k);
                        FleetProviderGroup {
                            office_version,
                            policy,
                            stats: s.finish(),
                        }
                    })
                    .collect(),
            })
            .collect();
        providers.sort_by(|a, b| {
            let key = |p: &FleetProvider| {
                (
                    p.stats.cost,
                    p.stats.running_at_kill,
                    p.stats.opted_out,
                    p.stats.sessions,
                )
            };
            key(b).cmp(&key(a)).then_with(|| a.dll.cmp(&b.dll))
        });
        let mut machine_outcomes = OutcomeCounts::default();
        for m in &self.machine_outcomes {
            for (i, o) in Outcome::ALL.into_iter().enumerate() {
                if m[i] {
                    machine_outcomes.add(o);
                }
            }
        }
        FleetSummary {
            summarized: false,
            machines: self.machines.len() as u64,
            unknown_machines: self.unknown_machines,
            sessions: self.rows.len() as u64,
            outcomes: self.outcomes,
            machine_outcomes,
            slow_threshold_ms: ms(self.slow_ns),
            groups: self
                .groups
                .into_iter()
                .map(|(k, g)| {
                    let (office_version, policy) = from_key(k);
                    FleetGroup {
                        office_version,
                        policy,
                        machines: g.machines.len() as u64,
                        sessions: g.sessions,
                        outcomes: g.outcomes,
                    }
                })
                .collect(),
            providers,
            session_rows: self.rows,
        }
    }
}

impl FleetSummary {
    /// The summary of `facts`, in order, with slow steps above `slow_ns`.
    pub fn of(facts: impl IntoIterator<Item = SessionFacts>, slow_ns: u64) -> FleetSummary {
        let mut b = FleetBuilder::new(slow_ns);
        for f in facts {
            b.add(f);
        }
        b.finish()
    }
}

#[cfg(test)]
mod tests;
