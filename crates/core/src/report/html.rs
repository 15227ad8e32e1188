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

mod fleet;

use std::collections::HashMap;

use askama::Template;

use super::ReportError;
use super::csv::micros;
use super::model::{
    CallReport, PolicySnapshot, PolicyValue, ProcessesSnapshot, ReportModel, SessionChoice,
    SessionReport,
};
use crate::i18n::Lang;
use crate::mapi::ProviderKind;
use crate::monitor::analysis::{Outcome, Severity, format_ns};
use crate::monitor::lanes::{self, LaneId};
use crate::policy::settings::SettingState;
use crate::tr_lang;
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
    lang: Lang,
    lang_code: &'static str,
    title: String,
    model: &'a ReportModel,
    schema: String,
    footer: String,
    content: String,
    summary: Vec<SummaryRow>,
    policy: Option<PolicyView>,
    processes: Option<ProcessesView>,
    sessions: Vec<SessionView>,
    fleet: Option<fleet::FleetView>,
    /// Says the sessions are summarized, in the page's language (empty
    /// when they are not).
    summarized_note: String,
}

struct SummaryRow {
    anchor: String,
    label: String,
    outcome: String,
    outcome_class: &'static str,
    duration: String,
    findings: String,
    started: String,
}

struct PolicyView {
    intro: String,
    versions: Vec<VersionView>,
    addins: Vec<AddinView>,
    errors: Vec<String>,
}

struct VersionView {
    office: String,
    products: String,
    installed: String,
    key: String,
    key_state: String,
    error: Option<String>,
    values: Vec<ValueView>,
}

struct ValueView {
    name: String,
    state: String,
    state_class: &'static str,
    raw: String,
    effective: String,
    meaning: String,
    admx: String,
    fix: Option<String>,
}

impl ValueView {
    fn new(v: &PolicyValue, lang: Lang) -> ValueView {
        let (state, state_class) = match v.state {
            SettingState::NotConfigured => (tr_lang!(lang, "report-state-not-configured"), "muted"),
            SettingState::Valid => (tr_lang!(lang, "report-state-valid"), "ok"),
            SettingState::Invalid => (tr_lang!(lang, "report-state-invalid"), "bad"),
        };
        let (meaning, admx_policy, admx_state, reason, fix) = v.sentences(lang);
        let admx = match (admx_policy, admx_state) {
            (Some(p), Some(s)) => tr_lang!(lang, "report-admx-policy-state", policy = p, state = s),
            (Some(p), None) => p,
            (None, _) => tr_lang!(lang, "report-not-a-policy"),
        };
        ValueView {
            name: v.name.clone(),
            state,
            state_class,
            raw: match &v.raw {
                Some(raw) => raw.to_string(),
                None => tr_lang!(lang, "report-absent"),
            },
            effective: v.effective.clone(),
            meaning: match reason {
                Some(r) => format!("{meaning} ({r})"),
                None => meaning,
            },
            admx,
            fix,
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
    instrumented: String,
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
    timeline_title: String,
    outcome: String,
    outcome_class: &'static str,
    reason: String,
    facts: Vec<(String, String)>,
    findings: Vec<FindingView>,
    timings: Vec<TimingRow>,
    svg: Option<Svg>,
    calls: Vec<CallRow>,
    calls_note: Option<String>,
    anomalies: Vec<String>,
}

struct FindingView {
    severity: String,
    class: &'static str,
    kind: &'static str,
    message: String,
}

struct TimingRow {
    name: String,
    kind: String,
    dll: String,
    implements: String,
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
    caller: String,
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
    merged_note: String,
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

fn outcome_label(o: Outcome, lang: Lang) -> String {
    match o {
        Outcome::Fast => tr_lang!(lang, "report-outcome-fast"),
        Outcome::Normal => tr_lang!(lang, "report-outcome-normal"),
        Outcome::DataLossRisk => tr_lang!(lang, "common-outcome-data-loss-risk"),
        Outcome::Incomplete => tr_lang!(lang, "common-outcome-incomplete"),
        Outcome::InProgress => tr_lang!(lang, "common-outcome-in-progress"),
    }
}

fn kind_label(k: ProviderKind, lang: Lang) -> String {
    match k {
        ProviderKind::Transport => tr_lang!(lang, "common-kind-transport"),
        ProviderKind::AddressBook => tr_lang!(lang, "common-kind-address-book"),
        ProviderKind::MessageStore => tr_lang!(lang, "common-kind-message-store"),
    }
}

fn yes_no(b: bool, lang: Lang) -> String {
    if b {
        tr_lang!(lang, "report-yes")
    } else {
        tr_lang!(lang, "report-no")
    }
}

/// Text escaped as the template escapes values, for the messages that
/// hold markup and are printed unescaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&#38;"),
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Page<'_> {
    /// A message of the `report` catalogue without variables, in the
    /// page's language (the template prints it as is: markup allowed).
    fn t(&self, id: &str) -> String {
        crate::i18n::message(self.lang, id, None)
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

/// Render the page in `lang` (headings, labels, explanations, outcome
/// badges, verdict reasons and findings; names, paths and registry data
/// are printed as they are).
///
/// # Errors
/// [`ReportError::Html`] if the template fails (not expected).
pub fn render(model: &ReportModel, lang: Lang) -> Result<String, ReportError> {
    let page = Page {
        lang,
        lang_code: lang.code(),
        title: model.title().render(lang),
        model,
        schema: tr_lang!(
            lang,
            "report-schema",
            product = model.host.product.as_str(),
            schema = model.schema_version.to_string()
        ),
        footer: tr_lang!(
            lang,
            "report-footer",
            product = escape(&model.host.product),
            taken_at = escape(&model.taken_at)
        ),
        content: content_line(model, lang),
        summary: model
            .sessions
            .iter()
            .map(|s| summary_row(s, lang))
            .collect(),
        policy: model.policy.as_ref().map(|p| policy_view(p, lang)),
        processes: model.processes.as_ref().map(|p| processes_view(p, lang)),
        sessions: model
            .sessions
            .iter()
            .map(|s| session_view(s, lang))
            .collect(),
        fleet: model
            .fleet
            .as_ref()
            .map(|f| fleet::view(f, !model.summarized(), lang)),
        summarized_note: match &model.fleet {
            Some(f) if f.summarized => tr_lang!(lang, "fleet-summarized-note", count = f.sessions),
            _ => String::new(),
        },
    };
    Ok(page.render()?)
}

fn content_line(model: &ReportModel, lang: Lang) -> String {
    let mut parts = Vec::new();
    if model.content.policy {
        parts.push(tr_lang!(lang, "report-content-policy"));
    }
    if model.content.processes {
        parts.push(tr_lang!(lang, "report-content-processes"));
    }
    let n = model
        .fleet
        .as_ref()
        .map_or(model.sessions.len(), |f| f.session_rows.len());
    let which = match &model.content.sessions {
        SessionChoice::All => tr_lang!(lang, "report-content-all"),
        SessionChoice::Selected { .. } => tr_lang!(lang, "report-content-selected"),
        SessionChoice::Pid { pid } => tr_lang!(lang, "report-content-pid", pid = pid.to_string()),
        SessionChoice::None => String::new(),
    };
    if model.content.sessions != SessionChoice::None {
        parts.push(tr_lang!(
            lang,
            "report-content-sessions",
            count = n,
            which = which
        ));
    }
    if parts.is_empty() {
        tr_lang!(lang, "report-content-nothing")
    } else {
        parts.join(", ")
    }
}

fn anchor(s: &SessionReport) -> String {
    format!("session-{}", s.session)
}

fn duration_text(s: &SessionReport, lang: Lang) -> String {
    s.duration_ns.map_or_else(
        || tr_lang!(lang, "report-no-shutdown-call"),
        |ns| format_ns(ns, lang),
    )
}

fn summary_row(s: &SessionReport, lang: Lang) -> SummaryRow {
    let count = |sev: Severity| s.findings.iter().filter(|f| f.severity == sev).count();
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let mut findings = Vec::new();
    if e > 0 {
        findings.push(tr_lang!(lang, "report-count-errors", count = e));
    }
    if w > 0 {
        findings.push(tr_lang!(lang, "report-count-warnings", count = w));
    }
    if i > 0 {
        findings.push(tr_lang!(lang, "report-count-infos", count = i));
    }
    SummaryRow {
        anchor: anchor(s),
        label: s.label().render(lang),
        outcome: outcome_label(s.outcome, lang),
        outcome_class: outcome_class(s.outcome),
        duration: duration_text(s, lang),
        findings: if findings.is_empty() {
            tr_lang!(lang, "report-none")
        } else {
            findings.join(", ")
        },
        started: s
            .started_at
            .clone()
            .unwrap_or_else(|| tr_lang!(lang, "report-unknown")),
    }
}

fn policy_view(p: &PolicySnapshot, lang: Lang) -> PolicyView {
    PolicyView {
        intro: tr_lang!(lang, "report-policy-intro", store = escape(&p.store)),
        versions: p
            .versions
            .iter()
            .map(|v| VersionView {
                office: v.office.to_string(),
                products: v.products.clone(),
                installed: if v.installed {
                    tr_lang!(lang, "report-installed")
                } else {
                    tr_lang!(lang, "report-not-installed")
                },
                key: v.key.clone(),
                key_state: if v.key_exists {
                    tr_lang!(lang, "report-key-present")
                } else {
                    tr_lang!(lang, "report-key-absent")
                },
                error: v
                    .error
                    .as_ref()
                    .map(|e| tr_lang!(lang, "report-key-error", error = e.as_str())),
                values: v.values.iter().map(|x| ValueView::new(x, lang)).collect(),
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
                load_behavior: a
                    .load_behavior
                    .clone()
                    .unwrap_or_else(|| tr_lang!(lang, "report-absent")),
                value: ValueView::new(&a.require_shutdown_notification, lang),
            })
            .collect(),
        errors: p.errors.clone(),
    }
}

fn kinds_text(kinds: &[ProviderKind], lang: Lang) -> String {
    kinds
        .iter()
        .map(|k| kind_label(*k, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

fn processes_view(p: &ProcessesSnapshot, lang: Lang) -> ProcessesView {
    let uninspected = match p.uninspected.len() {
        0 => String::new(),
        n => {
            let names: Vec<String> = p
                .uninspected
                .iter()
                .take(20)
                .map(|u| format!("{} ({}: {})", u.name, u.pid, u.reason))
                .collect();
            tr_lang!(
                lang,
                "report-uninspected",
                count = n,
                names = format!("{}{}", names.join(", "), if n > 20 { ", …" } else { "" })
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
                user: r
                    .user
                    .clone()
                    .unwrap_or_else(|| tr_lang!(lang, "report-unknown")),
                subsystem: match &r.subsystem {
                    Some(s) => {
                        let mut t = s.dll.clone();
                        if let Some(v) = &s.version {
                            t.push_str(&format!(" {v}"));
                        }
                        if s.stub_loaded {
                            t.push(' ');
                            t.push_str(&tr_lang!(lang, "report-via-stub"));
                        }
                        t
                    }
                    None => tr_lang!(lang, "report-none-loaded"),
                },
                instrumented: yes_no(r.instrumented, lang),
                providers: r
                    .providers
                    .iter()
                    .map(|pr| ProviderLine {
                        name: pr.name.clone(),
                        kinds: kinds_text(&pr.kinds, lang),
                        dll: pr.dll.clone(),
                        note: pr.difference.clone().unwrap_or_else(|| {
                            if pr.declared.is_empty() {
                                String::new()
                            } else {
                                tr_lang!(lang, "report-declared-as", kinds = pr.declared.join(", "))
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
            tr_lang!(lang, "report-mapisvc-builtin")
        } else {
            p.mapisvc_files.join(", ")
        },
        warnings: p.warnings.clone(),
    }
}

fn session_view(s: &SessionReport, lang: Lang) -> SessionView {
    let t = |id: &str| crate::i18n::message(lang, id, None);
    let mut facts = Vec::new();
    if let Some(started) = &s.started_at {
        facts.push((t("report-fact-trace-started"), started.clone()));
    }
    if let Some(o) = s.office_version {
        facts.push((t("report-fact-office"), o.to_string()));
    }
    if let Some(sub) = &s.subsystem {
        facts.push((t("report-fact-subsystem"), sub.clone()));
    }
    facts.push((
        t("report-fact-origin"),
        match &s.capture {
            Some(c) => tr_lang!(
                lang,
                "report-origin-captured",
                attach = c.attach.as_str(),
                bits = c.bits
            ),
            None => t("report-origin-simulated"),
        },
    ));
    facts.push((
        t("report-fact-policy"),
        s.describe_policy()
            .map(|p| p.render(lang))
            .unwrap_or_else(|| tr_lang!(lang, "report-not-traced")),
    ));
    if !s.mapi_sessions.is_empty() {
        let profiles: Vec<String> = s
            .mapi_sessions
            .iter()
            .map(|m| {
                tr_lang!(
                    lang,
                    "report-profile",
                    profile = m.profile.as_str(),
                    session = m.session.to_string()
                )
            })
            .collect();
        facts.push((t("report-fact-profiles"), profiles.join(", ")));
    }
    facts.push((t("report-fact-shutdown-took"), duration_text(s, lang)));
    facts.push((
        t("report-fact-exit"),
        match s.exit_code {
            Some(c) => tr_lang!(lang, "report-exit-code", code = c.to_string()),
            None if s.closed => tr_lang!(lang, "report-exit-none"),
            None => tr_lang!(lang, "report-still-running"),
        },
    ));
    facts.push((
        t("report-fact-stream"),
        format!(
            "{}{}{}",
            tr_lang!(
                lang,
                "report-stream-records",
                records = s.records.to_string()
            ),
            if s.closed {
                tr_lang!(lang, "report-stream-ended")
            } else {
                tr_lang!(lang, "report-stream-open")
            },
            if s.dropped > 0 {
                tr_lang!(lang, "report-stream-lost", count = s.dropped.to_string())
            } else {
                String::new()
            }
        ),
    ));
    if let Some(e) = &s.stream_error {
        facts.push((t("report-fact-stream-error"), e.clone()));
    }
    if let Some(src) = &s.source {
        facts.push((t("report-fact-read-from"), src.clone()));
    }
    let calls_note = (s.calls.len() > MAX_TABLE_CALLS).then(|| {
        tr_lang!(
            lang,
            "report-calls-note",
            shown = MAX_TABLE_CALLS.to_string(),
            total = s.calls.len().to_string()
        )
    });
    let label = s.label().render(lang);
    SessionView {
        anchor: anchor(s),
        timeline_title: tr_lang!(lang, "report-timeline-of", label = label.as_str()),
        label,
        outcome: outcome_label(s.outcome, lang),
        outcome_class: outcome_class(s.outcome),
        reason: s.reason_text().render(lang),
        facts,
        findings: s
            .findings
            .iter()
            .map(|f| {
                let (severity, class) = match f.severity {
                    Severity::Error => (t("common-severity-error"), "bad"),
                    Severity::Warning => (t("common-severity-warning"), "warn"),
                    Severity::Info => (t("common-severity-info"), "info"),
                };
                FindingView {
                    severity,
                    class,
                    kind: f.kind.as_str(),
                    message: f.text().render(lang),
                }
            })
            .collect(),
        timings: s
            .provider_timings
            .iter()
            .map(|p| TimingRow {
                name: p.name.clone(),
                kind: kind_label(p.kind, lang),
                dll: p.dll.clone(),
                implements: yes_no(p.implements_shutdown, lang),
                query: p.render(Method::QueryFastShutdown, lang),
                notify: p.render(Method::NotifyProcessShutdown, lang),
                do_: p.render(Method::DoFastShutdown, lang),
                total: p.render_total(lang),
                share: format!("{:.0} %", p.share * 100.0),
            })
            .collect(),
        svg: timeline(s, lang),
        calls: s
            .calls
            .iter()
            .take(MAX_TABLE_CALLS)
            .map(|c| call_row(s, c, lang))
            .collect(),
        calls_note,
        anomalies: s
            .anomalies
            .iter()
            .map(|a| tr_lang!(lang, "report-anomaly", anomaly = a.as_str()))
            .collect(),
    }
}

fn target(c: &CallReport, lang: Lang) -> String {
    match (c.caller, &c.provider_name, c.kind) {
        (Caller::Client, _, _) => tr_lang!(
            lang,
            "report-target-client",
            dll = c
                .dll
                .clone()
                .unwrap_or_else(|| tr_lang!(lang, "report-subsystem"))
        ),
        (Caller::Subsystem, Some(name), Some(kind)) => tr_lang!(
            lang,
            "report-target-provider",
            name = name.as_str(),
            kind = kind_label(kind, lang),
            dll = c.dll.clone().unwrap_or_default()
        ),
        (Caller::Subsystem, _, _) => match c.provider {
            Some(p) => tr_lang!(lang, "report-target-undeclared", provider = p.to_string()),
            None => tr_lang!(lang, "report-subsystem"),
        },
    }
}

fn call_row(s: &SessionReport, c: &CallReport, lang: Lang) -> CallRow {
    let (hresult, hresult_class) = match c.hresult {
        Some(h) if h.is_failure() => (h.to_string(), "bad"),
        Some(h) => (h.to_string(), ""),
        None => (tr_lang!(lang, "report-no-return"), "warn"),
    };
    CallRow {
        id: c.id,
        depth_class: if c.parent.is_some() { "child" } else { "" },
        start: format!("{} µs", micros(c.start_ns)),
        duration: c.duration(s.last_ns).render(lang),
        caller: match c.caller {
            Caller::Client => tr_lang!(lang, "report-client"),
            Caller::Subsystem => tr_lang!(lang, "report-subsystem"),
        },
        callee: match (&c.provider_name, c.provider) {
            (Some(name), _) => name.clone(),
            (None, Some(p)) => {
                tr_lang!(lang, "report-provider-undeclared", provider = p.to_string())
            }
            (None, None) => c
                .dll
                .clone()
                .unwrap_or_else(|| tr_lang!(lang, "report-subsystem")),
        },
        callee_detail: match (c.kind, &c.dll, c.provider) {
            (Some(kind), Some(dll), _) => format!("{} · {dll}", kind_label(kind, lang)),
            (None, Some(_), None) => tr_lang!(lang, "report-subsystem"),
            _ => String::new(),
        },
        method: c.qualified_name(),
        hresult,
        hresult_class,
    }
}

/// A lane of the SVG: which lane of the one lane model, and its labels.
struct Lane {
    id: LaneId,
    label: String,
    sublabel: String,
}

/// The session's lanes in the one lane model's order (monitor::lanes), so
/// the report shows what the Live panel's timeline shows.
fn lanes(s: &SessionReport, lang: Lang) -> Vec<Lane> {
    let order = lanes::plan(
        s.providers.iter().map(|p| (p.provider, p.kind)),
        s.calls.iter().map(CallReport::lane_call),
    );
    order
        .into_iter()
        .map(|id| match id {
            LaneId::Client => Lane {
                id,
                label: s
                    .process
                    .clone()
                    .unwrap_or_else(|| tr_lang!(lang, "report-client")),
                sublabel: tr_lang!(lang, "report-client-lane"),
            },
            LaneId::Subsystem => Lane {
                id,
                label: s
                    .subsystem
                    .clone()
                    .unwrap_or_else(|| tr_lang!(lang, "report-subsystem")),
                sublabel: tr_lang!(lang, "report-subsystem"),
            },
            LaneId::Provider(p) => match s.providers.iter().find(|d| d.provider == p) {
                Some(d) => Lane {
                    id,
                    label: d.name.clone(),
                    sublabel: format!(
                        "{} · {}{}",
                        kind_label(d.kind, lang),
                        d.dll,
                        if d.implements_shutdown {
                            String::new()
                        } else {
                            format!(" · {}", tr_lang!(lang, "report-no-provider-shutdown"))
                        }
                    ),
                },
                // Calls to providers that were never declared still get a lane.
                None => Lane {
                    id,
                    label: tr_lang!(lang, "report-provider-n", provider = p.to_string()),
                    sublabel: tr_lang!(lang, "report-not-declared"),
                },
            },
        })
        .collect()
}

/// What the SVG draws, lane by lane: `(lane index, start ns, end ns, open,
/// call)`: every call on its own lane, and every client call again on the
/// subsystem lane over its providers' time (monitor::lanes). An unreturned
/// call ends at the last time known of the process.
fn drawings<'a>(
    lanes: &[Lane],
    s: &'a SessionReport,
) -> Vec<(usize, u64, u64, bool, &'a CallReport)> {
    let index = |id: LaneId| lanes.iter().position(|l| l.id == id);
    let end_of = |c: &CallReport| c.start_ns + c.duration(s.last_ns).ns;
    let mut out = Vec::with_capacity(s.calls.len());
    for c in &s.calls {
        if let Some(i) = index(c.lane_call().lane()) {
            out.push((i, c.start_ns, end_of(c), c.end_ns.is_none(), c));
        }
    }
    if let Some(sub) = index(LaneId::Subsystem) {
        // Each client call's window over its provider calls.
        let mut windows: HashMap<u64, (u64, u64, bool)> = HashMap::new();
        for k in s.calls.iter().filter(|k| k.provider.is_some()) {
            if let Some(parent) = k.parent {
                let child = (k.start_ns, end_of(k), k.end_ns.is_none());
                lanes::widen(windows.entry(parent).or_insert(child), child);
            }
        }
        for c in s
            .calls
            .iter()
            .filter(|c| c.lane_call().mirrored_on_subsystem())
        {
            let own = (c.start_ns, end_of(c), c.end_ns.is_none());
            let (a, b, open) = lanes::subsystem_window(own, windows.get(&c.id).copied());
            out.push((sub, a, b, open, c));
        }
    }
    out
}

fn method_class(m: Method) -> &'static str {
    match m {
        Method::QueryFastShutdown => "query",
        Method::NotifyProcessShutdown => "notify",
        Method::DoFastShutdown => "do",
        Method::MapiLogonEx | Method::MapiUninitialize => "mapi",
    }
}

fn timeline(s: &SessionReport, lang: Lang) -> Option<Svg> {
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
    let lanes = lanes(s, lang);
    let mut bars: Vec<Vec<Bar>> = lanes.iter().map(|_| Vec::new()).collect();
    let mut drawn_to: Vec<f64> = vec![f64::MIN; lanes.len()];
    let mut merged = 0usize;
    for (lane, start, end, open, c) in drawings(&lanes, s) {
        let (x0, x1) = (x_of(start), x_of(end));
        if x1 - x0 < 1.0 && x1 <= drawn_to[lane] {
            merged += 1;
            continue;
        }
        drawn_to[lane] = drawn_to[lane].max(x0 + (x1 - x0).max(1.0));
        let mut class = method_class(c.method).to_string();
        if c.hresult.is_some_and(|h| h.is_failure()) {
            class.push_str(" failed");
        }
        if open {
            class.push_str(" open");
        }
        let y = RULER_HEIGHT + lane as f64 * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2.0;
        bars[lane].push(Bar {
            x: px(x0),
            y: px(y),
            w: px((x1 - x0).max(1.0)),
            h: px(BAR_HEIGHT),
            class,
            title: match c.hresult {
                Some(h) => tr_lang!(
                    lang,
                    "report-bar-returned",
                    method = c.qualified_name(),
                    target = target(c, lang),
                    start = micros(c.start_ns),
                    duration = c.duration(s.last_ns).render(lang),
                    hresult = h.to_string()
                ),
                None => tr_lang!(
                    lang,
                    "report-bar-open",
                    method = c.qualified_name(),
                    target = target(c, lang),
                    start = micros(c.start_ns),
                    duration = c.duration(s.last_ns).render(lang)
                ),
            },
        });
    }
    let plot_bottom = RULER_HEIGHT + lanes.len() as f64 * LANE_HEIGHT;
    // About six ticks over the session.
    let step = lanes::tick_step_ns(span as f64 / 6.0);
    let mut ticks = Vec::new();
    let mut t = 0u64;
    while t <= span {
        let x = x_of(first + t);
        ticks.push(Tick {
            x: px(x),
            label: if t == 0 {
                "0".to_string()
            } else {
                format!("+{}", format_ns(t, lang))
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
        merged_note: if merged > 0 {
            tr_lang!(lang, "report-merged", count = merged)
        } else {
            String::new()
        },
    })
}
