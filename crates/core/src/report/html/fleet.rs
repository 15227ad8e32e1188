//! The HTML page's fleet section: the [`FleetSummary`] as the template
//! walks it: the totals by outcome, an inline SVG bar chart of the
//! costliest provider DLLs (no script: a `<title>` per bar is its
//! tooltip), the provider table, the breakdown per Office version and
//! policy, and, when the report holds only the summary, the sessions that
//! did not end fast (the first [`MAX_SESSION_LINES`]; JSON holds all).
//! Every text is pre-formatted in the page's language; the template
//! escapes it.

use super::{outcome_class, outcome_label, px};
use crate::i18n::Lang;
use crate::monitor::analysis::{Outcome, format_ns};
use crate::policy::{FastShutdownBehavior, OfficeVersion};
use crate::report::fleet::{FleetSummary, ProviderStats};
use crate::tr_lang;

/// At most this many sessions are listed in the page's session list of a
/// summary (those that did not end fast, in order).
pub const MAX_SESSION_LINES: usize = 2_000;
/// A reason longer than this many characters is shortened in the session
/// list (the whole sentence is the cell's tooltip): a client with seven
/// MAPI sessions names each refusing provider seven times.
pub const MAX_REASON_CHARS: usize = 220;
/// At most this many providers get a bar in the chart (the table lists
/// them all).
pub const MAX_CHART_BARS: usize = 15;

const CHART_WIDTH: f64 = 960.0;
const CHART_LEFT: f64 = 230.0;
const CHART_RIGHT: f64 = 850.0;
const ROW: f64 = 26.0;
const BAR: f64 = 16.0;
const TOP: f64 = 8.0;

pub(super) struct FleetView {
    pub intro: String,
    pub outcomes: Vec<OutcomeRow>,
    pub chart: Option<Chart>,
    pub providers: Vec<ProviderRow>,
    pub explain: String,
    pub groups: Vec<GroupRow>,
    pub outcome_heads: Vec<String>,
    pub sessions: Vec<SessionLine>,
    pub sessions_note: String,
    pub list_sessions: bool,
}

pub(super) struct OutcomeRow {
    pub label: String,
    pub class: &'static str,
    pub sessions: u64,
    pub machines: u64,
}

pub(super) struct Chart {
    pub width: String,
    pub height: String,
    pub title: String,
    pub axis_x: String,
    pub bottom: String,
    pub bars: Vec<ChartBar>,
}

pub(super) struct ChartBar {
    pub tooltip: String,
    pub label: String,
    pub label_y: String,
    pub y: String,
    pub sessions_w: String,
    pub cost_w: String,
    pub kill_w: String,
    pub value: String,
    pub value_x: String,
}

pub(super) struct ProviderRow {
    pub dll: String,
    pub names: String,
    pub sessions: u64,
    pub machines: u64,
    pub opted_out: u64,
    pub no_interface: u64,
    pub slow: u64,
    pub p50: String,
    pub p95: String,
    pub running_at_kill: u64,
    pub cost: u64,
    pub cost_class: &'static str,
}

pub(super) struct GroupRow {
    pub office: String,
    pub policy: String,
    pub machines: u64,
    pub sessions: u64,
    pub counts: Vec<u64>,
}

pub(super) struct SessionLine {
    pub session: u64,
    pub machine: String,
    pub process: String,
    pub office: String,
    pub policy: String,
    pub outcome: String,
    pub outcome_class: &'static str,
    pub took: String,
    pub cost_by: String,
    /// The reason, shortened to [`MAX_REASON_CHARS`].
    pub reason: String,
    /// The whole reason (the cell's tooltip).
    pub reason_full: String,
}

fn office_text(o: Option<OfficeVersion>, lang: Lang) -> String {
    o.map_or_else(|| tr_lang!(lang, "fleet-office-unknown"), |o| o.to_string())
}

fn policy_text(p: Option<FastShutdownBehavior>, lang: Lang) -> String {
    p.map_or_else(
        || tr_lang!(lang, "fleet-policy-unknown"),
        |p| p.as_str().to_string(),
    )
}

fn time(ns: Option<u64>, lang: Lang) -> String {
    ns.map_or_else(|| "—".to_string(), |ns| format_ns(ns, lang))
}

fn provider_row(dll: &str, names: &[String], s: &ProviderStats, lang: Lang) -> ProviderRow {
    ProviderRow {
        dll: dll.to_string(),
        names: names.join(", "),
        sessions: s.sessions,
        machines: s.machines,
        opted_out: s.opted_out,
        no_interface: s.no_shutdown_interface,
        slow: s.slow,
        p50: time(s.do_p50_ns, lang),
        p95: time(s.do_p95_ns, lang),
        running_at_kill: s.running_at_kill,
        cost: s.cost,
        cost_class: if s.cost > 0 { "bad" } else { "" },
    }
}

fn chart(f: &FleetSummary, lang: Lang) -> Option<Chart> {
    let shown: Vec<_> = f.providers.iter().take(MAX_CHART_BARS).collect();
    if shown.is_empty() {
        return None;
    }
    let max = shown
        .iter()
        .map(|p| p.stats.sessions)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let scale = |n: u64| (n as f64 / max) * (CHART_RIGHT - CHART_LEFT);
    let bars = shown
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let y = TOP + ROW * i as f64;
            let s = &p.stats;
            ChartBar {
                tooltip: tr_lang!(
                    lang,
                    "fleet-chart-tooltip",
                    dll = p.dll.as_str(),
                    cost = s.cost,
                    kill = s.running_at_kill,
                    sessions = s.sessions
                ),
                label: super::shorten(&p.dll, 30),
                label_y: px(y + BAR - 3.0),
                y: px(y),
                sessions_w: px(scale(s.sessions).max(1.0)),
                cost_w: px(scale(s.cost)),
                kill_w: px(scale(s.running_at_kill)),
                value: format!("{} / {}", s.cost, s.sessions),
                value_x: px(CHART_LEFT + scale(s.sessions).max(1.0) + 6.0),
            }
        })
        .collect::<Vec<_>>();
    let bottom = TOP + ROW * bars.len() as f64;
    Some(Chart {
        width: px(CHART_WIDTH),
        height: px(bottom + 8.0),
        title: tr_lang!(lang, "fleet-chart-title"),
        axis_x: px(CHART_LEFT),
        bottom: px(bottom),
        bars,
    })
}

pub(super) fn view(f: &FleetSummary, sessions_in_full: bool, lang: Lang) -> FleetView {
    let outcomes = Outcome::ALL
        .into_iter()
        .map(|o| OutcomeRow {
            label: outcome_label(o, lang),
            class: outcome_class(o),
            sessions: f.outcomes.get(o),
            machines: f.machine_outcomes.get(o),
        })
        .collect();
    let not_fast: Vec<_> = f
        .session_rows
        .iter()
        .filter(|r| r.outcome != Outcome::Fast)
        .collect();
    let sessions = if sessions_in_full {
        Vec::new()
    } else {
        not_fast
            .iter()
            .take(MAX_SESSION_LINES)
            .map(|r| SessionLine {
                session: r.session,
                machine: r.machine().render(lang),
                process: match (&r.process, r.pid) {
                    (Some(exe), Some(pid)) => format!("{exe} ({pid})"),
                    (Some(exe), None) => exe.clone(),
                    (None, Some(pid)) => pid.to_string(),
                    (None, None) => String::new(),
                },
                office: office_text(r.office_version, lang),
                policy: policy_text(r.policy, lang),
                outcome: outcome_label(r.outcome, lang),
                outcome_class: outcome_class(r.outcome),
                took: r.duration_ms.map_or_else(
                    || "—".to_string(),
                    |ms| format_ns((ms * 1_000_000.0) as u64, lang),
                ),
                cost_by: r.cost_by.join(", "),
                reason: super::shorten(&r.reason().render(lang), MAX_REASON_CHARS),
                reason_full: r.reason().render(lang),
            })
            .collect()
    };
    FleetView {
        intro: tr_lang!(
            lang,
            "fleet-intro",
            machines = f.machines,
            sessions = f.sessions,
            unknown = f.unknown_machines
        ),
        outcomes,
        chart: chart(f, lang),
        providers: f
            .providers
            .iter()
            .map(|p| provider_row(&p.dll, &p.names, &p.stats, lang))
            .collect(),
        explain: tr_lang!(
            lang,
            "fleet-providers-explain",
            threshold = format_ns((f.slow_threshold_ms * 1_000_000.0) as u64, lang)
        ),
        groups: f
            .groups
            .iter()
            .map(|g| GroupRow {
                office: office_text(g.office_version, lang),
                policy: policy_text(g.policy, lang),
                machines: g.machines,
                sessions: g.sessions,
                counts: Outcome::ALL
                    .into_iter()
                    .map(|o| g.outcomes.get(o))
                    .collect(),
            })
            .collect(),
        outcome_heads: Outcome::ALL
            .into_iter()
            .map(|o| outcome_label(o, lang))
            .collect(),
        sessions_note: tr_lang!(
            lang,
            "fleet-sessions-note",
            shown = sessions.len(),
            count = not_fast.len(),
            total = f.sessions
        ),
        list_sessions: !sessions_in_full,
        sessions,
    }
}
