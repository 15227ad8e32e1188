//! The CSV format: one row per call of every session in the report, RFC
//! 4180 (the `csv` crate: comma-separated, CRLF line ends, fields quoted
//! when they hold a comma, quote or line break), UTF-8, optionally with a
//! byte order mark so that Excel does not read it as the ANSI code page.
//!
//! Columns ([`COLUMNS`]): the session id, the client's pid and executable,
//! the provider called (display name, kind, DLL; for the client's own calls
//! the DLL is the subsystem's), who called (`client` or `subsystem`), the
//! method (`IMAPIProviderShutdown::DoFastShutdown`), start and duration in
//! µs with ns precision (`1135.860`: start since the session's trace
//! began), and the HRESULT as hex and name. A call that never returned has
//! an empty duration and HRESULT hex, and the name `no return`.
//!
//! A report that holds only the fleet summary (docs/reports.md, "Fleet
//! summary": `--detail summary`, or `auto` above 200 sessions) has no
//! calls to list: its CSV is the fleet table instead ([`FLEET_COLUMNS`],
//! [`render_fleet`]), one row per group of sessions: the whole fleet, each
//! Office version and policy, each provider DLL, and each provider DLL in
//! each Office version and policy.
//!
//! Formula injection: the process, provider and DLL names come from the
//! clients (their trace) and are not trusted. A spreadsheet opening the
//! file would take a cell starting with `=`, `+`, `-` or `@` (or a tab or
//! carriage return before one) as a formula (`=cmd|' /C calc'!A0`,
//! `+HYPERLINK(…)`, `@SUM(…)`), so such a field is written with a `'`
//! before it ([`text_field`]), as OWASP's "CSV Injection" page advises:
//! Excel and LibreOffice then show the text as it is, without the quote.
//! The columns this module writes itself (numbers, kinds, method and
//! HRESULT names) are never prefixed.

use super::ReportError;
use super::fleet::{FleetSummary, OutcomeCounts, ProviderStats};
use super::model::ReportModel;
use crate::monitor::analysis::Outcome;
use crate::policy::{FastShutdownBehavior, OfficeVersion};

/// The header row, in order.
pub const COLUMNS: [&str; 12] = [
    "session",
    "pid",
    "process",
    "provider",
    "kind",
    "DLL",
    "caller",
    "method",
    "start µs",
    "duration µs",
    "HRESULT hex",
    "HRESULT name",
];

/// The header row of the fleet table, in order.
pub const FLEET_COLUMNS: [&str; 19] = [
    "scope",
    "DLL",
    "office",
    "policy",
    "machines",
    "sessions",
    "fast",
    "normal",
    "data-loss-risk",
    "incomplete",
    "in-progress",
    "opted out",
    "no IMAPIProviderShutdown",
    "slow",
    "DoFastShutdown calls",
    "DoFastShutdown p50 ms",
    "DoFastShutdown p95 ms",
    "running at kill",
    "fast shutdowns cost",
];

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The characters that make a spreadsheet read a cell as a formula when
/// they start it (OWASP, "CSV Injection").
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text field from a client (process, provider or DLL name) as written:
/// with `'` before it when it starts with one of [`FORMULA_STARTS`], else
/// as it is. `=1+1` → `'=1+1`; `Personal Folders` unchanged.
pub fn text_field(s: &str) -> String {
    if s.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// `ns` as µs with three decimals, exactly: `1135860` → `1135.860`.
pub fn micros(ns: u64) -> String {
    format!("{}.{:03}", ns / 1_000, ns % 1_000)
}

/// `ns` as ms with three decimals (µs precision): `40000000` → `40.000`.
pub fn millis(ns: u64) -> String {
    format!("{}.{:03}", ns / 1_000_000, (ns / 1_000) % 1_000)
}

/// Render the calls of `model` as CSV, with a byte order mark first when
/// `bom`; a report that holds only the fleet summary is rendered as the
/// fleet table ([`render_fleet`]).
///
/// # Errors
/// [`ReportError::Csv`] (not expected: the writer writes to memory).
pub fn render(model: &ReportModel, bom: bool) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(BOM);
    }
    if model.summarized()
        && let Some(fleet) = &model.fleet
    {
        return render_fleet(fleet, out);
    }
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(COLUMNS)?;
    for (s, c) in model.calls() {
        let opt = |v: Option<String>| v.unwrap_or_default();
        let caller = match c.caller {
            crate::trace::Caller::Client => "client",
            crate::trace::Caller::Subsystem => "subsystem",
        };
        w.write_record([
            s.session.to_string(),
            opt(s.pid.map(|p| p.to_string())),
            opt(s.process.as_deref().map(text_field)),
            opt(c.provider_name.as_deref().map(text_field)),
            opt(c.kind.map(|k| k.as_str().to_string())),
            opt(c.dll.as_deref().map(text_field)),
            caller.to_string(),
            c.qualified_name(),
            micros(c.start_ns),
            // Only a returned call has a duration to write as a number.
            opt(Some(c.duration(s.last_ns))
                .filter(|d| d.returned)
                .map(|d| micros(d.ns))),
            opt(c.hresult.map(|h| h.hex())),
            c.hresult_name().to_string(),
        ])?;
    }
    w.into_inner()
        .map_err(|e| ReportError::Csv(::csv::Error::from(e.into_error())))
}

/// Append the fleet table of `fleet` to `out` (which may hold a byte
/// order mark): [`FLEET_COLUMNS`], one row per group of sessions.
///
/// # Errors
/// [`ReportError::Csv`] (not expected: the writer writes to memory).
pub fn render_fleet(fleet: &FleetSummary, out: Vec<u8>) -> Result<Vec<u8>, ReportError> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(FLEET_COLUMNS)?;
    let office = |o: Option<OfficeVersion>| o.map_or_else(String::new, |o| o.to_string());
    let policy = |p: Option<FastShutdownBehavior>| p.map_or("", FastShutdownBehavior::as_str);
    let counts = |c: &OutcomeCounts| Outcome::ALL.map(|o| c.get(o).to_string());
    let group = |scope: &str,
                 office: String,
                 policy: &str,
                 machines: u64,
                 sessions: u64,
                 outcomes: &OutcomeCounts| {
        let mut row = vec![
            scope.to_string(),
            String::new(),
            office,
            policy.to_string(),
            machines.to_string(),
            sessions.to_string(),
        ];
        row.extend(counts(outcomes));
        row.extend(std::iter::repeat_n(String::new(), 8));
        row
    };
    let provider = |scope: &str, dll: &str, office: String, policy: &str, s: &ProviderStats| {
        let mut row = vec![
            scope.to_string(),
            text_field(dll),
            office,
            policy.to_string(),
            s.machines.to_string(),
            s.sessions.to_string(),
        ];
        row.extend(counts(&s.outcomes));
        row.extend([
            s.opted_out.to_string(),
            s.no_shutdown_interface.to_string(),
            s.slow.to_string(),
            s.do_calls.to_string(),
            s.do_p50_ns.map(millis).unwrap_or_default(),
            s.do_p95_ns.map(millis).unwrap_or_default(),
            s.running_at_kill.to_string(),
            s.cost.to_string(),
        ]);
        row
    };
    w.write_record(group(
        "fleet",
        "all".into(),
        "all",
        fleet.machines,
        fleet.sessions,
        &fleet.outcomes,
    ))?;
    for g in &fleet.groups {
        w.write_record(group(
            "office-policy",
            office(g.office_version),
            policy(g.policy),
            g.machines,
            g.sessions,
            &g.outcomes,
        ))?;
    }
    for p in &fleet.providers {
        w.write_record(provider("provider", &p.dll, "all".into(), "all", &p.stats))?;
    }
    for p in &fleet.providers {
        for g in &p.groups {
            w.write_record(provider(
                "provider-office-policy",
                &p.dll,
                office(g.office_version),
                policy(g.policy),
                &g.stats,
            ))?;
        }
    }
    w.into_inner()
        .map_err(|e| ReportError::Csv(::csv::Error::from(e.into_error())))
}
