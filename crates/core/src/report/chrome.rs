//! The Chrome Trace Event format (the JSON object form: `traceEvents`,
//! `displayTimeUnit`, `otherData`), which Perfetto and chrome://tracing
//! open; and [`read`], which reads back what [`render`] wrote.
//!
//! Each call is a complete event (`"ph":"X"`): `name` the method, `cat`
//! the interface, `ts` and `dur` in µs (fractions keep ns precision), `pid`
//! the client's real process id, and `args` with the call id, the session,
//! the caller, the HRESULT (hex and name), the DLL, the provider and its
//! kind. A call that never returned lasts until the session's last
//! timestamp and has `"returned":false`. Metadata events (`"ph":"M"`) name
//! each process (`process_name`) and each lane (`thread_name`, ordered by
//! `thread_sort_index`).
//!
//! `tid`: the trace protocol (version 1) records no OS thread id, so the
//! threads here are the timeline's lanes within the real process: 1 the
//! client, 2 the subsystem's own calls, 100 + N provider N (see [`lane`]),
//! named and sorted as the one lane model (`monitor::lanes`) orders them.
//!
//! `ts` 0 is the earliest session's trace start (`otherData.time_origin`,
//! RFC 3339); each session is placed by its own start time, so sessions
//! line up as they happened. `otherData` also holds the report's header,
//! the policy snapshot and a summary of each session (`ts_origin_us`: where
//! that session's trace starts).

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::ReportError;
use super::host::HostInfo;
use super::model::{CallReport, PolicySnapshot, ReportModel, SessionReport};
use crate::hresult::HRESULT;
use crate::i18n::Lang;
use crate::mapi::ProviderKind;
use crate::monitor::ConnId;
use crate::monitor::analysis::Outcome;
use crate::monitor::lanes::{self, LaneId};
use crate::trace::{Caller, Interface, Method};

/// The `tid` of the client's calls.
pub const CLIENT_TID: u32 = 1;
/// The `tid` of the subsystem's calls that target no provider.
pub const SUBSYSTEM_TID: u32 = 2;
/// Provider N's calls are on `tid` `PROVIDER_TID_BASE + N`.
pub const PROVIDER_TID_BASE: u32 = 100;

/// The lane (`tid`) of a call: the client, the subsystem, or its provider
/// (the one lane model, monitor::lanes).
pub fn lane(call: &CallReport) -> u32 {
    tid(call.lane_call().lane())
}

/// The `tid` of a lane of the one lane model.
pub fn tid(lane: LaneId) -> u32 {
    match lane {
        LaneId::Client => CLIENT_TID,
        LaneId::Subsystem => SUBSYSTEM_TID,
        LaneId::Provider(p) => PROVIDER_TID_BASE.saturating_add(p),
    }
}

/// One trace event as written and read back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// The method (`X`) or the metadata name (`M`: `process_name`, …).
    pub name: String,
    /// The interface (`X` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cat: Option<String>,
    /// The phase: `X` (complete) or `M` (metadata).
    pub ph: String,
    /// Start, µs on the trace's clock (0 for metadata).
    pub ts: f64,
    /// Duration, µs (`X` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dur: Option<f64>,
    /// Process id.
    pub pid: u32,
    /// Thread id (the lane, see [`lane`]).
    pub tid: u32,
    /// Everything else.
    #[serde(default)]
    pub args: serde_json::Map<String, Value>,
}

/// A session as summarised in `otherData.sessions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// The session id.
    pub session: ConnId,
    /// The pid used for its events (0 when unknown).
    pub pid: u32,
    /// The client's executable.
    pub process: Option<String>,
    /// Where this session's trace `t = 0` lies, µs on the `ts` axis.
    pub ts_origin_us: f64,
    /// The session's last timestamp, ns since its trace started.
    pub last_ns: u64,
    /// The outcome.
    pub outcome: Outcome,
    /// Why.
    pub reason: String,
    /// The policy the subsystem used, in words.
    pub policy: Option<String>,
}

/// The `otherData` object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OtherData {
    /// Always `mapi-shutdown`.
    pub generator: String,
    /// The report schema version ([`super::SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// When the report was taken.
    pub taken_at: String,
    /// Where.
    pub host: HostInfo,
    /// Wall-clock time of `ts` 0 (RFC 3339), when any session had one.
    pub time_origin: Option<String>,
    /// The policy snapshot, when the report holds it.
    pub policy: Option<PolicySnapshot>,
    /// One entry per session.
    pub sessions: Vec<SessionSummary>,
}

/// The whole file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChromeTrace {
    /// The events: metadata first, then each session's calls.
    #[serde(rename = "traceEvents")]
    pub trace_events: Vec<TraceEvent>,
    /// `ns`: how the viewers show durations.
    #[serde(rename = "displayTimeUnit")]
    pub display_time_unit: String,
    /// The report's header, policy and session summaries.
    #[serde(rename = "otherData")]
    pub other_data: OtherData,
}

/// The value `otherData.generator` holds.
pub const GENERATOR: &str = "mapi-shutdown";

fn parse_time(s: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(s).ok()
}

/// ns between `origin` and `t` (0 when `t` is earlier or unknown).
fn offset_ns(origin: Option<SystemTime>, t: Option<SystemTime>) -> u64 {
    match (origin, t) {
        (Some(o), Some(t)) => t
            .duration_since(o)
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(0),
        _ => 0,
    }
}

fn us(ns: u64) -> f64 {
    ns as f64 / 1_000.0
}

fn metadata(name: &str, pid: u32, tid: u32, args: Value) -> TraceEvent {
    TraceEvent {
        name: name.to_string(),
        cat: None,
        ph: "M".to_string(),
        ts: 0.0,
        dur: None,
        pid,
        tid,
        args: match args {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        },
    }
}

/// Build the trace of `model`.
pub fn build(model: &ReportModel) -> ChromeTrace {
    let starts: Vec<Option<SystemTime>> = model
        .sessions
        .iter()
        .map(|s| s.started_at.as_deref().and_then(parse_time))
        .collect();
    let origin = starts.iter().flatten().min().copied();
    let mut events = Vec::new();
    let mut summaries = Vec::new();
    // pid -> the labels of its sessions, for one process_name each.
    let mut processes: BTreeMap<u32, (String, Vec<ConnId>)> = BTreeMap::new();
    let mut lanes: BTreeMap<(u32, u32), (String, u32)> = BTreeMap::new();
    let mut calls = Vec::new();
    for (s, start) in model.sessions.iter().zip(&starts) {
        let pid = s.pid.unwrap_or(0);
        let base_ns = offset_ns(origin, *start);
        processes
            .entry(pid)
            .or_insert_with(|| (s.label().render(Lang::En), Vec::new()))
            .1
            .push(s.session);
        // Threads named and sorted as the one lane model orders the lanes
        // (the first session of a pid names them).
        let order = lanes::plan(
            s.providers.iter().map(|p| (p.provider, p.kind)),
            s.calls.iter().map(CallReport::lane_call),
        );
        for (sort, id) in order.into_iter().enumerate() {
            let name = match id {
                LaneId::Client => "client".to_string(),
                LaneId::Subsystem => "subsystem".to_string(),
                LaneId::Provider(p) => provider_lane_name(s, p),
            };
            lanes
                .entry((pid, tid(id)))
                .or_insert_with(|| (name, sort as u32));
        }
        for c in &s.calls {
            calls.push(call_event(s, c, pid, lane(c), base_ns));
        }
        summaries.push(SessionSummary {
            session: s.session,
            pid,
            process: s.process.clone(),
            ts_origin_us: us(base_ns),
            last_ns: s.last_ns,
            outcome: s.outcome,
            reason: s.reason.clone(),
            policy: s.policy_text.clone(),
        });
    }
    for (pid, (label, sessions)) in &processes {
        let sessions: Vec<String> = sessions.iter().map(ToString::to_string).collect();
        let name = format!(
            "{label}, session{} {}",
            if sessions.len() > 1 { "s" } else { "" },
            sessions.join(", ")
        );
        events.push(metadata("process_name", *pid, 0, json!({ "name": name })));
    }
    for ((pid, tid), (name, sort)) in &lanes {
        events.push(metadata("thread_name", *pid, *tid, json!({ "name": name })));
        events.push(metadata(
            "thread_sort_index",
            *pid,
            *tid,
            json!({ "sort_index": sort }),
        ));
    }
    events.extend(calls);
    ChromeTrace {
        trace_events: events,
        display_time_unit: "ns".to_string(),
        other_data: OtherData {
            generator: GENERATOR.to_string(),
            schema_version: model.schema_version,
            taken_at: model.taken_at.clone(),
            host: model.host.clone(),
            time_origin: origin.map(crate::clock::rfc3339),
            policy: model.policy.clone(),
            sessions: summaries,
        },
    }
}

fn provider_lane_name(s: &SessionReport, provider: u32) -> String {
    match s.providers.iter().find(|p| p.provider == provider) {
        Some(p) if p.named_by_dll() => format!("{} ({})", p.dll, p.kind.label()),
        Some(p) => format!("{} ({}, {})", p.name, p.kind.label(), p.dll),
        None => format!("provider {provider}"),
    }
}

fn call_event(s: &SessionReport, c: &CallReport, pid: u32, tid: u32, base_ns: u64) -> TraceEvent {
    let mut args = serde_json::Map::new();
    args.insert("session".into(), json!(s.session));
    args.insert("call".into(), json!(c.id));
    if let Some(parent) = c.parent {
        args.insert("parent".into(), json!(parent));
    }
    args.insert("caller".into(), json!(c.caller));
    if let Some(m) = c.mapi_session {
        args.insert("mapi_session".into(), json!(m));
    }
    if let Some(p) = c.provider {
        args.insert("provider_id".into(), json!(p));
    }
    if let Some(name) = &c.provider_name {
        args.insert("provider".into(), json!(name));
    }
    if let Some(kind) = c.kind {
        args.insert("kind".into(), json!(kind));
    }
    if let Some(dll) = &c.dll {
        args.insert("dll".into(), json!(dll));
    }
    args.insert("returned".into(), json!(c.end_ns.is_some()));
    args.insert("hresult".into(), json!(c.hresult.map(HRESULT::hex)));
    args.insert("hresult_name".into(), json!(c.hresult_name()));
    TraceEvent {
        name: c.method.as_str().to_string(),
        cat: Some(
            serde_json::to_value(c.interface)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        ),
        ph: "X".to_string(),
        ts: us(base_ns + c.start_ns),
        dur: Some(us(c.duration_ns(s.last_ns))),
        pid,
        tid,
        args,
    }
}

/// Render `model` as Chrome Trace Event JSON (one line per event).
///
/// # Errors
/// [`ReportError::Json`] (not expected: plain data).
pub fn render(model: &ReportModel) -> Result<Vec<u8>, ReportError> {
    let trace = build(model);
    // One event per line: readable, and diffs of golden files stay small.
    let mut out = String::from("{\"traceEvents\":[\n");
    for (i, e) in trace.trace_events.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&serde_json::to_string(e)?);
    }
    out.push_str("\n],\n\"displayTimeUnit\":");
    out.push_str(&serde_json::to_string(&trace.display_time_unit)?);
    out.push_str(",\n\"otherData\":");
    out.push_str(&serde_json::to_string_pretty(&trace.other_data)?);
    out.push_str("}\n");
    Ok(out.into_bytes())
}

/// Read a Chrome trace that [`render`] wrote.
///
/// # Errors
/// [`ReportError::Json`] when it is not JSON of this shape;
/// [`ReportError::ChromeTrace`] when `otherData.generator` is not ours.
pub fn read(bytes: &[u8]) -> Result<ChromeTrace, ReportError> {
    let trace: ChromeTrace = serde_json::from_slice(bytes)?;
    if trace.other_data.generator != GENERATOR {
        return Err(ReportError::ChromeTrace(format!(
            "otherData.generator is {:?}, not {GENERATOR:?}",
            trace.other_data.generator
        )));
    }
    Ok(trace)
}

/// A value of event `i`'s field `what`, as `T`.
fn parse<T: serde::de::DeserializeOwned>(v: Value, i: usize, what: &str) -> Result<T, ReportError> {
    serde_json::from_value(v)
        .map_err(|err| ReportError::ChromeTrace(format!("traceEvents[{i}]: {what}: {err}")))
}

impl ChromeTrace {
    /// The calls of session `session`, rebuilt from its `X` events (in
    /// start order), as the model held them.
    ///
    /// # Errors
    /// [`ReportError::ChromeTrace`] naming the event that lacks a field or
    /// holds a value this module never writes.
    pub fn calls(&self, session: ConnId) -> Result<Vec<CallReport>, ReportError> {
        let summary = self
            .other_data
            .sessions
            .iter()
            .find(|s| s.session == session)
            .ok_or_else(|| {
                ReportError::ChromeTrace(format!("no session {session} in otherData.sessions"))
            })?;
        let ns = |us: f64| (us * 1_000.0).round() as u64;
        let origin_ns = ns(summary.ts_origin_us);
        let mut calls = Vec::new();
        for (i, e) in self.trace_events.iter().enumerate() {
            if e.ph != "X" || e.args.get("session") != Some(&json!(session)) {
                continue;
            }
            let bad = |what: &str| ReportError::ChromeTrace(format!("traceEvents[{i}]: {what}"));
            let arg = |name: &str| e.args.get(name).filter(|v| !v.is_null());
            let method: Method = parse(json!(e.name), i, "name")?;
            let interface: Interface = parse(json!(e.cat), i, "cat")?;
            let caller: Caller = parse(
                arg("caller")
                    .cloned()
                    .ok_or_else(|| bad("args.caller is missing"))?,
                i,
                "args.caller",
            )?;
            let opt_u = |name: &str| -> Result<Option<u64>, ReportError> {
                match arg(name) {
                    None => Ok(None),
                    Some(v) => v
                        .as_u64()
                        .map(Some)
                        .ok_or_else(|| bad(&format!("args.{name} is not a number"))),
                }
            };
            let id = opt_u("call")?.ok_or_else(|| bad("args.call is missing"))?;
            let returned = arg("returned")
                .and_then(Value::as_bool)
                .ok_or_else(|| bad("args.returned is missing"))?;
            let hresult: Option<HRESULT> = match arg("hresult") {
                None => None,
                Some(v) => Some(parse(v.clone(), i, "args.hresult")?),
            };
            let kind: Option<ProviderKind> = match arg("kind") {
                None => None,
                Some(v) => Some(parse(v.clone(), i, "args.kind")?),
            };
            let small = |v: Option<u64>, what: &str| -> Result<Option<u32>, ReportError> {
                v.map(|n| u32::try_from(n).map_err(|_| bad(what)))
                    .transpose()
            };
            let dur = e.dur.ok_or_else(|| bad("an X event without dur"))?;
            let start_ns = ns(e.ts).saturating_sub(origin_ns);
            calls.push(CallReport {
                id,
                parent: opt_u("parent")?,
                caller,
                interface,
                method,
                mapi_session: small(opt_u("mapi_session")?, "args.mapi_session")?,
                provider: small(opt_u("provider_id")?, "args.provider_id")?,
                provider_name: arg("provider").and_then(Value::as_str).map(str::to_string),
                kind,
                dll: arg("dll").and_then(Value::as_str).map(str::to_string),
                start_ns,
                end_ns: returned.then(|| start_ns + ns(dur)),
                hresult,
            });
        }
        calls.sort_by_key(|c| (c.start_ns, c.id));
        Ok(calls)
    }
}
