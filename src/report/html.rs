//! The HTML format: one self-contained page (inline CSS, an inline SVG
//! timeline per session, no script, no external resource), readable on
//! screen, in a ticket system's attachment viewer and on paper. The page
//! comes from the askama template `templates/report.html`, which escapes
//! every value it prints; this module turns the model into the view the
//! template walks (pre-formatted texts, CSS classes, SVG geometry).
//!
//! The timeline of a session has one lane for the client and one per
//! provider (transport, address book, message store, as the subsystem
//! calls them), time from the first call to the last one's end; a bar per
//! call, coloured by method, outlined red when it failed and dashed when it
//! never returned, with its details in a tooltip (`<title>`). Bars under a
//! pixel that fall where the lane already has one are not drawn again, so
//! a session of a million calls stays a page a browser opens.

use askama::Template;

use super::ReportError;
use super::csv::micros;
use super::model::{
    CallReport, PolicySnapshot, PolicyValue, ProcessesSnapshot, ReportModel, SessionChoice,
    SessionReport,
};
use crate::mapi::ProviderKind;
use crate::monitor::analysis::{Outcome, Severity, format_ns};
use crate::policy::settings::SettingState;
use crate::trace::{Caller, Method};

/// At most this many calls per session are listed in the page's call
/// table (the timeline shows them all); the CSV and JSON formats hold
/// every call.
pub const MAX_TABLE_CALLS: usize = 1_000;

/// The SVG's width in user units (it scales to the page).
const SVG_WIDTH: f64 = 960.0;
/// Where the plot starts (left of it: the lane labels).
const PLOT_LEFT: f64 = 250.0;
/// Right margin.
const PLOT_RIGHT: f64 = 950.0;
/// Height of one lane.
const LANE_HEIGHT: f64 = 30.0;
/// Height of a bar.
const BAR_HEIGHT: f64 = 18.0;
/// Space above the first lane (the ruler).
const RULER_HEIGHT: f64 = 24.0;
/// Longest lane label, in characters, before it is shortened.
const MAX_LABEL_CHARS: usize = 38;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    title: String,
    model: &'a ReportModel,
    content: String,
    summary: Vec<SummaryRow>,
    policy: Option<PolicyView>,
    processes: Option<ProcessesView>,
    sessions: Vec<SessionView>,
}

struct SummaryRow {
    anchor: String,
    label: String,
    outcome: &'static str,
    outcome_class: &'static str,
    duration: String,
    findings: String,
    started: String,
}

struct PolicyView {
    store: String,
    versions: Vec<VersionView>,
    addins: Vec<AddinView>,
    errors: Vec<String>,
}

struct VersionView {
    office: String,
    products: String,
    installed: &'static str,
    key: String,
    key_state: &'static str,
    error: Option<String>,
    values: Vec<ValueView>,
}

struct ValueView {
    name: String,
    state: &'static str,
    state_class: &'static str,
    raw: String,
    effective: String,
    meaning: String,
    admx: String,
    fix: Option<String>,
}

impl ValueView {
    fn new(v: &PolicyValue) -> ValueView {
        let (state, state_class) = match v.state {
            SettingState::NotConfigured => ("not configured", "muted"),
            SettingState::Valid => ("valid", "ok"),
            SettingState::Invalid => ("invalid", "bad"),
        };
        let admx = match (&v.admx_policy, &v.admx_state) {
            (Some(p), Some(s)) => format!("{p}: {s}"),
            (Some(p), None) => p.clone(),
            (None, _) => "not a policy (per add-in)".to_string(),
        };
        ValueView {
            name: v.name.clone(),
            state,
            state_class,
            raw: v.raw_text(),
            effective: v.effective.clone(),
            meaning: match &v.reason {
                Some(r) => format!("{} ({r})", v.meaning),
                None => v.meaning.clone(),
            },
            admx,
            fix: v.fix.clone(),
        }
    }
}

struct AddinView {
    name: String,
    key: String,
    load_behavior: String,
    value: ValueView,
}

struct ProcessesView {
    rows: Vec<ProcessRow>,
    uninspected: String,
    mapisvc: String,
    warnings: Vec<String>,
}

struct ProcessRow {
    name: String,
    pid: u32,
    user: String,
    subsystem: String,
    instrumented: &'static str,
    providers: Vec<ProviderLine>,
}

struct ProviderLine {
    name: String,
    kinds: String,
    dll: String,
    note: String,
    note_class: &'static str,
}

struct SessionView {
    anchor: String,
    label: String,
    outcome: &'static str,
    outcome_class: &'static str,
    reason: String,
    facts: Vec<(&'static str, String)>,
    findings: Vec<FindingView>,
    timings: Vec<TimingRow>,
    svg: Option<Svg>,
    calls: Vec<CallRow>,
    calls_note: Option<String>,
    anomalies: Vec<String>,
}

struct FindingView {
    severity: &'static str,
    class: &'static str,
    kind: &'static str,
    message: String,
}

struct TimingRow {
    name: String,
    kind: &'static str,
    dll: String,
    implements: &'static str,
    query: String,
    notify: String,
    do_: String,
    total: String,
    share: String,
}

struct CallRow {
    id: u64,
    depth_class: &'static str,
    start: String,
    duration: String,
    caller: &'static str,
    callee: String,
    callee_detail: String,
    method: String,
    hresult: String,
    hresult_class: &'static str,
}

struct Svg {
    width: String,
    height: String,
    plot_left: String,
    plot_right: String,
    lanes: Vec<LaneView>,
    ticks: Vec<Tick>,
    axis_y: String,
    plot_bottom: String,
    merged: usize,
}

struct LaneView {
    band_y: String,
    band_class: &'static str,
    label: String,
    sublabel: String,
    full_label: String,
    label_y: String,
    sublabel_y: String,
    bars: Vec<Bar>,
}

struct Bar {
    x: String,
    y: String,
    w: String,
    h: String,
    class: String,
    title: String,
}

struct Tick {
    x: String,
    label: String,
    anchor: &'static str,
}

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Fast => "ok",
        Outcome::Normal => "info",
        Outcome::DataLossRisk => "bad",
        Outcome::Incomplete => "warn",
        Outcome::InProgress => "muted",
    }
}

fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Fast => "fast shutdown",
        Outcome::Normal => "normal shutdown",
        Outcome::DataLossRisk => "data-loss risk",
        Outcome::Incomplete => "incomplete",
        Outcome::InProgress => "in progress",
    }
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Render the page.
///
/// # Errors
/// [`ReportError::Html`] if the template fails (not expected).
pub fn render(model: &ReportModel) -> Result<String, ReportError> {
    let page = Page {
        title: model.title(),
        model,
        content: content_line(model),
        summary: model.sessions.iter().map(summary_row).collect(),
        policy: model.policy.as_ref().map(policy_view),
        processes: model.processes.as_ref().map(processes_view),
        sessions: model.sessions.iter().map(session_view).collect(),
    };
    Ok(page.render()?)
}

fn content_line(model: &ReportModel) -> String {
    let mut parts = Vec::new();
    if model.content.policy {
        parts.push("policy and add-ins".to_string());
    }
    if model.content.processes {
        parts.push("MAPI processes".to_string());
    }
    let n = model.sessions.len();
    let which = match &model.content.sessions {
        SessionChoice::All => "all recorded".to_string(),
        SessionChoice::Selected { .. } => "selected".to_string(),
        SessionChoice::Pid { pid } => format!("of pid {pid}"),
        SessionChoice::None => String::new(),
    };
    if model.content.sessions != SessionChoice::None {
        parts.push(format!(
            "{n} shutdown session{} ({which})",
            if n == 1 { "" } else { "s" }
        ));
    }
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

fn anchor(s: &SessionReport) -> String {
    format!("session-{}", s.session)
}

fn duration_text(s: &SessionReport) -> String {
    s.duration_ns
        .map_or_else(|| "no shutdown call".to_string(), format_ns)
}

fn summary_row(s: &SessionReport) -> SummaryRow {
    let count = |sev: Severity| s.findings.iter().filter(|f| f.severity == sev).count();
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let mut findings = Vec::new();
    for (n, what) in [(e, "error"), (w, "warning"), (i, "info")] {
        if n > 0 {
            findings.push(format!("{n} {what}{}", if n == 1 { "" } else { "s" }));
        }
    }
    SummaryRow {
        anchor: anchor(s),
        label: s.label(),
        outcome: outcome_label(s.outcome),
        outcome_class: outcome_class(s.outcome),
        duration: duration_text(s),
        findings: if findings.is_empty() {
            "none".to_string()
        } else {
            findings.join(", ")
        },
        started: s.started_at.clone().unwrap_or_else(|| "unknown".into()),
    }
}

fn policy_view(p: &PolicySnapshot) -> PolicyView {
    PolicyView {
        store: p.store.clone(),
        versions: p
            .versions
            .iter()
            .map(|v| VersionView {
                office: v.office.to_string(),
                products: v.products.clone(),
                installed: if v.installed {
                    "installed for this user"
                } else {
                    "not installed for this user"
                },
                key: v.key.clone(),
                key_state: if v.key_exists {
                    "key present"
                } else {
                    "key absent"
                },
                error: v.error.clone(),
                values: v.values.iter().map(ValueView::new).collect(),
            })
            .collect(),
        addins: p
            .addins
            .iter()
            .map(|a| AddinView {
                name: match &a.friendly_name {
                    Some(f) => format!("{f} ({})", a.prog_id),
                    None => a.prog_id.clone(),
                },
                key: a.key.clone(),
                load_behavior: a.load_behavior.clone().unwrap_or_else(|| "absent".into()),
                value: ValueView::new(&a.require_shutdown_notification),
            })
            .collect(),
        errors: p.errors.clone(),
    }
}

fn kinds_text(kinds: &[ProviderKind]) -> String {
    kinds
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ")
}

fn processes_view(p: &ProcessesSnapshot) -> ProcessesView {
    let uninspected = match p.uninspected.len() {
        0 => String::new(),
        n => {
            let names: Vec<String> = p
                .uninspected
                .iter()
                .take(20)
                .map(|u| format!("{} ({}: {})", u.name, u.pid, u.reason))
                .collect();
            format!(
                "{n} process{} could not be inspected, so may be MAPI processes too: {}{}",
                if n == 1 { "" } else { "es" },
                names.join(", "),
                if n > 20 { ", …" } else { "" }
            )
        }
    };
    ProcessesView {
        rows: p
            .processes
            .iter()
            .map(|r| ProcessRow {
                name: r.name.clone(),
                pid: r.pid,
                user: r.user.clone().unwrap_or_else(|| "unknown".into()),
                subsystem: match &r.subsystem {
                    Some(s) => {
                        let mut t = s.dll.clone();
                        if let Some(v) = &s.version {
                            t.push_str(&format!(" {v}"));
                        }
                        if s.stub_loaded {
                            t.push_str(" (via mapi32.dll)");
                        }
                        t
                    }
                    None => "none loaded".to_string(),
                },
                instrumented: if r.instrumented { "yes" } else { "no" },
                providers: r
                    .providers
                    .iter()
                    .map(|pr| ProviderLine {
                        name: pr.name.clone(),
                        kinds: kinds_text(&pr.kinds),
                        dll: pr.dll.clone(),
                        note: pr.difference.clone().unwrap_or_else(|| {
                            if pr.declared.is_empty() {
                                String::new()
                            } else {
                                format!("declared as {}", pr.declared.join(", "))
                            }
                        }),
                        note_class: if pr.difference.is_some() {
                            "warn"
                        } else {
                            "muted"
                        },
                    })
                    .collect(),
            })
            .collect(),
        uninspected,
        mapisvc: if p.mapisvc_files.is_empty() {
            "none (builtin catalog only)".to_string()
        } else {
            p.mapisvc_files.join(", ")
        },
        warnings: p.warnings.clone(),
    }
}

fn session_view(s: &SessionReport) -> SessionView {
    let mut facts = Vec::new();
    if let Some(t) = &s.started_at {
        facts.push(("Trace started", t.clone()));
    }
    if let Some(o) = s.office_version {
        facts.push(("Office version", o.to_string()));
    }
    if let Some(sub) = &s.subsystem {
        facts.push(("Subsystem", sub.clone()));
    }
    facts.push((
        "Policy used",
        s.policy_text
            .clone()
            .unwrap_or_else(|| "not traced".to_string()),
    ));
    if !s.mapi_sessions.is_empty() {
        let profiles: Vec<String> = s
            .mapi_sessions
            .iter()
            .map(|m| format!("{} (MAPI session {})", m.profile, m.session))
            .collect();
        facts.push(("Profiles", profiles.join(", ")));
    }
    facts.push(("Shutdown took", duration_text(s)));
    facts.push((
        "Client exit",
        match s.exit_code {
            Some(c) => format!("exited with code {c}"),
            None if s.closed => "no exit recorded (killed, or the stream was cut)".to_string(),
            None => "still running".to_string(),
        },
    ));
    facts.push((
        "Stream",
        format!(
            "{} records{}{}",
            s.records,
            if s.closed { ", ended" } else { ", still open" },
            if s.dropped > 0 {
                format!(", {} lost", s.dropped)
            } else {
                String::new()
            }
        ),
    ));
    if let Some(e) = &s.stream_error {
        facts.push(("Stream error", e.clone()));
    }
    if let Some(src) = &s.source {
        facts.push(("Read from", src.clone()));
    }
    let calls_note = (s.calls.len() > MAX_TABLE_CALLS).then(|| {
        format!(
            "The first {MAX_TABLE_CALLS} of {} calls are listed; the CSV and JSON reports hold every call.",
            s.calls.len()
        )
    });
    SessionView {
        anchor: anchor(s),
        label: s.label(),
        outcome: outcome_label(s.outcome),
        outcome_class: outcome_class(s.outcome),
        reason: s.reason.clone(),
        facts,
        findings: s
            .findings
            .iter()
            .map(|f| {
                let (severity, class) = match f.severity {
                    Severity::Error => ("error", "bad"),
                    Severity::Warning => ("warning", "warn"),
                    Severity::Info => ("info", "info"),
                };
                FindingView {
                    severity,
                    class,
                    kind: f.kind.as_str(),
                    message: f.message.clone(),
                }
            })
            .collect(),
        timings: s
            .provider_timings
            .iter()
            .map(|t| TimingRow {
                name: t.name.clone(),
                kind: t.kind.label(),
                dll: t.dll.clone(),
                implements: if t.implements_shutdown { "yes" } else { "no" },
                query: format_ns(t.query_ns),
                notify: format_ns(t.notify_ns),
                do_: format_ns(t.do_ns),
                total: format_ns(t.total_ns),
                share: format!("{:.0} %", t.share * 100.0),
            })
            .collect(),
        svg: timeline(s),
        calls: s
            .calls
            .iter()
            .take(MAX_TABLE_CALLS)
            .map(|c| call_row(s, c))
            .collect(),
        calls_note,
        anomalies: s.anomalies.clone(),
    }
}

fn target(c: &CallReport) -> String {
    match (c.caller, &c.provider_name, c.kind) {
        (Caller::Client, _, _) => format!(
            "client → {}",
            c.dll.clone().unwrap_or_else(|| "subsystem".into())
        ),
        (Caller::Subsystem, Some(name), Some(kind)) => format!(
            "subsystem → {name} ({}, {})",
            kind.label(),
            c.dll.clone().unwrap_or_default()
        ),
        (Caller::Subsystem, _, _) => match c.provider {
            Some(p) => format!("subsystem → provider {p} (not declared)"),
            None => "subsystem".to_string(),
        },
    }
}

fn call_row(s: &SessionReport, c: &CallReport) -> CallRow {
    let (hresult, hresult_class) = match c.hresult {
        Some(h) if h.is_failure() => (h.to_string(), "bad"),
        Some(h) => (h.to_string(), ""),
        None => ("no return".to_string(), "warn"),
    };
    CallRow {
        id: c.id,
        depth_class: if c.parent.is_some() { "child" } else { "" },
        start: format!("{} µs", micros(c.start_ns)),
        duration: match c.end_ns {
            Some(_) => format_ns(c.duration_ns(s.last_ns)),
            None => format!("{} (until the end)", format_ns(c.duration_ns(s.last_ns))),
        },
        caller: match c.caller {
            Caller::Client => "client",
            Caller::Subsystem => "subsystem",
        },
        callee: match (&c.provider_name, c.provider) {
            (Some(name), _) => name.clone(),
            (None, Some(p)) => format!("provider {p} (not declared)"),
            (None, None) => c.dll.clone().unwrap_or_else(|| "subsystem".into()),
        },
        callee_detail: match (c.kind, &c.dll, c.provider) {
            (Some(kind), Some(dll), _) => format!("{} · {dll}", kind.label()),
            (None, Some(_), None) => "subsystem".to_string(),
            _ => String::new(),
        },
        method: c.qualified_name(),
        hresult,
        hresult_class,
    }
}

/// A lane: its key (0 client, 1 subsystem, 2.. providers) and label.
struct Lane {
    label: String,
    sublabel: String,
    provider: Option<u32>,
    subsystem: bool,
}

fn lanes(s: &SessionReport) -> Vec<Lane> {
    let mut lanes = vec![Lane {
        label: s.process.clone().unwrap_or_else(|| "client".into()),
        sublabel: "client (IMAPIClientShutdown)".to_string(),
        provider: None,
        subsystem: false,
    }];
    if s.calls
        .iter()
        .any(|c| c.caller == Caller::Subsystem && c.provider.is_none())
    {
        lanes.push(Lane {
            label: s.subsystem.clone().unwrap_or_else(|| "subsystem".into()),
            sublabel: "subsystem".to_string(),
            provider: None,
            subsystem: true,
        });
    }
    let mut providers: Vec<&crate::trace::ProviderDecl> = s.providers.iter().collect();
    providers.sort_by_key(|p| (p.kind, p.provider));
    for p in providers {
        lanes.push(Lane {
            label: p.name.clone(),
            sublabel: format!(
                "{} · {}{}",
                p.kind.label(),
                p.dll,
                if p.implements_shutdown {
                    ""
                } else {
                    " · no IMAPIProviderShutdown"
                }
            ),
            provider: Some(p.provider),
            subsystem: false,
        });
    }
    // Calls to providers that were never declared still get a lane.
    let mut undeclared: Vec<u32> = s
        .calls
        .iter()
        .filter_map(|c| c.provider)
        .filter(|p| !s.providers.iter().any(|d| d.provider == *p))
        .collect();
    undeclared.sort_unstable();
    undeclared.dedup();
    for p in undeclared {
        lanes.push(Lane {
            label: format!("provider {p}"),
            sublabel: "not declared in the trace".to_string(),
            provider: Some(p),
            subsystem: false,
        });
    }
    lanes
}

fn lane_of(lanes: &[Lane], c: &CallReport) -> usize {
    match (c.provider, c.caller) {
        (Some(p), _) => lanes.iter().position(|l| l.provider == Some(p)),
        (None, Caller::Subsystem) => lanes.iter().position(|l| l.subsystem),
        (None, Caller::Client) => Some(0),
    }
    .unwrap_or(0)
}

/// A tick step (1, 2 or 5 × 10^k ns) giving about six ticks over `span`.
fn tick_step(span: u64) -> u64 {
    let target = (span / 6).max(1);
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= target {
                return step.saturating_mul(m);
            }
        }
        step = step.saturating_mul(10);
    }
}

fn method_class(m: Method) -> &'static str {
    match m {
        Method::QueryFastShutdown => "query",
        Method::NotifyProcessShutdown => "notify",
        Method::DoFastShutdown => "do",
        Method::MapiLogonEx | Method::MapiUninitialize => "mapi",
    }
}

fn timeline(s: &SessionReport) -> Option<Svg> {
    let first = s.calls.iter().map(|c| c.start_ns).min()?;
    let last = s
        .calls
        .iter()
        .map(|c| c.end_ns.unwrap_or(s.last_ns).max(c.start_ns))
        .max()
        .unwrap_or(first);
    let span = (last - first).max(1);
    let scale = (PLOT_RIGHT - PLOT_LEFT) / span as f64;
    let x_of = |t: u64| PLOT_LEFT + (t.saturating_sub(first)) as f64 * scale;
    let lanes = lanes(s);
    let mut bars: Vec<Vec<Bar>> = lanes.iter().map(|_| Vec::new()).collect();
    let mut drawn_to: Vec<f64> = vec![f64::MIN; lanes.len()];
    let mut merged = 0usize;
    for c in &s.calls {
        let lane = lane_of(&lanes, c);
        let end = c.end_ns.unwrap_or(s.last_ns).max(c.start_ns);
        let (x0, x1) = (x_of(c.start_ns), x_of(end));
        if x1 - x0 < 1.0 && x1 <= drawn_to[lane] {
            merged += 1;
            continue;
        }
        drawn_to[lane] = drawn_to[lane].max(x0 + (x1 - x0).max(1.0));
        let mut class = method_class(c.method).to_string();
        if c.hresult.is_some_and(|h| h.is_failure()) {
            class.push_str(" failed");
        }
        if c.end_ns.is_none() {
            class.push_str(" open");
        }
        let y = RULER_HEIGHT + lane as f64 * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2.0;
        bars[lane].push(Bar {
            x: px(x0),
            y: px(y),
            w: px((x1 - x0).max(1.0)),
            h: px(BAR_HEIGHT),
            class,
            title: format!(
                "{} on {}: start {} µs, {}{}",
                c.qualified_name(),
                target(c),
                micros(c.start_ns),
                format_ns(c.duration_ns(s.last_ns)),
                match c.hresult {
                    Some(h) => format!(", returned {h}"),
                    None => ", never returned".to_string(),
                }
            ),
        });
    }
    let plot_bottom = RULER_HEIGHT + lanes.len() as f64 * LANE_HEIGHT;
    let step = tick_step(span);
    let mut ticks = Vec::new();
    let mut t = 0u64;
    while t <= span {
        let x = x_of(first + t);
        ticks.push(Tick {
            x: px(x),
            label: if t == 0 {
                "0".to_string()
            } else {
                format!("+{}", format_ns(t))
            },
            anchor: if x > PLOT_RIGHT - 30.0 {
                "end"
            } else {
                "middle"
            },
        });
        t += step;
    }
    let lanes = lanes
        .into_iter()
        .zip(bars)
        .enumerate()
        .map(|(i, (lane, bars))| {
            let top = RULER_HEIGHT + i as f64 * LANE_HEIGHT;
            LaneView {
                band_y: px(top),
                band_class: if i % 2 == 0 { "band" } else { "band alt" },
                full_label: format!("{}: {}", lane.label, lane.sublabel),
                label: shorten(&lane.label, MAX_LABEL_CHARS),
                sublabel: shorten(&lane.sublabel, MAX_LABEL_CHARS + 6),
                label_y: px(top + 13.0),
                sublabel_y: px(top + 25.0),
                bars,
            }
        })
        .collect();
    Some(Svg {
        width: px(SVG_WIDTH),
        height: px(plot_bottom + 4.0),
        plot_left: px(PLOT_LEFT),
        plot_right: px(PLOT_RIGHT),
        lanes,
        ticks,
        axis_y: px(RULER_HEIGHT - 8.0),
        plot_bottom: px(plot_bottom),
        merged,
    })
}
