//! Reports: what was seen, exported for tickets and audits. This module
//! owns the report model ([`ReportModel`], built from the registry store,
//! a process scan and the monitor's sessions with the time and host
//! injected), its four formats and the atomic write of the result. It does
//! no other I/O: a model in, bytes out ([`render`]); the `report` command
//! and the GUI's Reports panel gather the inputs and write the bytes.
//!
//! Formats (docs/reports.md):
//! - [`Format::Html`]: one self-contained page (inline CSS, an inline SVG
//!   timeline per session, no script, no network), from an askama template
//!   that escapes every text;
//! - [`Format::Csv`]: one row per call ([`csv::COLUMNS`]), RFC 4180, with
//!   an optional UTF-8 byte order mark for Excel;
//! - [`Format::Json`]: the model itself, with its `schema_version`;
//! - [`Format::Chrome`]: Chrome's Trace Event JSON for Perfetto and
//!   chrome://tracing, and the reader of what we write ([`chrome::read`]).

pub mod chrome;
pub mod corpus;
pub mod csv;
pub mod fleet;
pub mod gather;
pub mod host;
pub mod html;
pub mod model;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use fleet::{Detail, FleetSummary};
pub use host::HostInfo;
pub use model::{
    AddinSetting, CallReport, Content, Gathered, PolicySnapshot, PolicyValue, PolicyVersion,
    ProcessReport, ProcessesSnapshot, ProviderReport, ReportModel, SCHEMA_VERSION, SessionChoice,
    SessionInput, SessionReport, Sources, SubsystemReport, Uninspected, processes_snapshot,
    read_policy_snapshot,
};

/// A report format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A self-contained HTML page.
    Html,
    /// One row per call, comma-separated.
    Csv,
    /// The whole model as JSON.
    Json,
    /// Chrome Trace Event JSON (Perfetto, chrome://tracing).
    Chrome,
}

impl Format {
    /// Every format, in the order a menu shows them.
    pub const ALL: [Format; 4] = [Format::Html, Format::Csv, Format::Json, Format::Chrome];

    /// `html`, `csv`, `json`, `chrome`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Chrome => "chrome",
        }
    }

    /// The usual file extension, without the dot: `html`, `csv`, `json`,
    /// and `json` for the Chrome trace too (what Perfetto opens).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json | Format::Chrome => "json",
        }
    }

    /// Whether the format holds the policy snapshot (`--policy`): every
    /// one but CSV, whose rows are calls (the Chrome trace keeps it in
    /// `otherData`).
    pub fn holds_policy(self) -> bool {
        !matches!(self, Format::Csv)
    }

    /// Whether the format holds the process scan (`--processes`): HTML and
    /// JSON only (CSV's rows are calls; a Chrome trace's processes are the
    /// traced clients, not a scan).
    pub fn holds_processes(self) -> bool {
        matches!(self, Format::Html | Format::Json)
    }

    /// A label for people: `HTML page`, `CSV (one row per call)`, … (render
    /// it at the edge).
    pub fn label(self) -> crate::i18n::text::Text {
        crate::i18n::text::Text::new(match self {
            Format::Html => "report-format-html",
            Format::Csv => "report-format-csv",
            Format::Json => "report-format-json",
            Format::Chrome => "report-format-chrome",
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a report format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a report format: use html, csv, json or chrome")]
pub struct ParseFormatError(pub String);

impl FromStr for Format {
    type Err = ParseFormatError;

    /// `html`, `csv`, `json`, `chrome` (any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseFormatError(s.to_string()))
    }
}

/// How to render (format-specific switches).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderOptions {
    /// CSV: start with a UTF-8 byte order mark (EF BB BF), so that Excel
    /// reads the file as UTF-8 (µs, non-ASCII names).
    pub csv_bom: bool,
    /// HTML: the language of the page (headings, labels, reasons,
    /// findings). The data formats (CSV, JSON, Chrome trace) are the same
    /// in every language.
    #[serde(default)]
    pub lang: crate::i18n::Lang,
}

/// Why a report cannot be rendered, read or written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The HTML template failed (a bug: the model always fits it).
    #[error("cannot render the HTML report: {0}")]
    Html(#[from] askama::Error),
    /// Writing a CSV record failed.
    #[error("cannot write the CSV report: {0}")]
    Csv(#[from] ::csv::Error),
    /// Encoding or decoding JSON failed.
    #[error("cannot encode or decode the JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A Chrome trace is not one this module wrote.
    #[error("not a mapi-shutdown Chrome trace: {0}")]
    ChromeTrace(String),
    /// Writing the output file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

/// Render `model` as `format`.
///
/// # Errors
/// [`ReportError`] when a writer fails (JSON encoding, CSV, the template);
/// none is expected for a model built by [`ReportModel::build`].
pub fn render(
    model: &ReportModel,
    format: Format,
    options: &RenderOptions,
) -> Result<Vec<u8>, ReportError> {
    match format {
        Format::Html => html::render(model, options.lang).map(String::into_bytes),
        Format::Csv => csv::render(model, options.csv_bom),
        Format::Json => render_json(model),
        Format::Chrome => chrome::render(model),
    }
}

/// The JSON format: the model, pretty-printed, with a final newline.
///
/// # Errors
/// [`ReportError::Json`] (not expected: the model is plain data).
pub fn render_json(model: &ReportModel) -> Result<Vec<u8>, ReportError> {
    let mut out = serde_json::to_vec_pretty(model)?;
    out.push(b'\n');
    Ok(out)
}

/// Read a report written in the JSON format.
///
/// # Errors
/// [`ReportError::Json`] when the text is not a report of this schema.
pub fn read_json(bytes: &[u8]) -> Result<ReportModel, ReportError> {
    Ok(serde_json::from_slice(bytes)?)
}

/// Write `bytes` to `path` all at once: into a temporary file in the same
/// directory, flushed to disk, then renamed over `path`
/// ([`crate::trace::files::write_atomically`]). A failure leaves no
/// partial file behind (and an existing `path` untouched); a symbolic link
/// at `path` is replaced, not followed. A report is an ordinary file (Unix:
/// 0666 less the umask), or keeps the mode of the file it replaces.
///
/// # Errors
/// [`ReportError::Io`] naming `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    crate::trace::files::write_atomically(path, bytes, crate::trace::files::FileMode::Shared)
        .map_err(|source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        })
}

#[cfg(test)]
mod tests;
