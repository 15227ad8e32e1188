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
use super::model::ReportModel;

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

/// Render the calls of `model` as CSV, with a byte order mark first when
/// `bom`.
///
/// # Errors
/// [`ReportError::Csv`] (not expected: the writer writes to memory).
pub fn render(model: &ReportModel, bom: bool) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(BOM);
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
