//! Scenario files: the TOML description of a MAPI client (executable,
//! Office version, subsystem DLL, how it reacts to a failed
//! `QueryFastShutdown`, how it ends), its sessions and the providers loaded
//! into each. This module owns the file format (documented field by field
//! in `docs/scenarios.md`), its parsing, and its validation: every error
//! names the file, the line and column, and the field, e.g.
//! ``s.toml:12:11: field `sessions[0].providers[1].shutdown`: unknown
//! variant ...``, followed by the offending line.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::mapi::ProviderKind;
use crate::policy::OfficeVersion;

/// The subsystem DLL a client loads when the scenario names none: Outlook
/// 2007 and later's `olmapi32.dll`.
pub const DEFAULT_SUBSYSTEM_DLL: &str = "olmapi32.dll";

/// How the client reacts when `IMAPIClientShutdown::QueryFastShutdown`
/// does not answer `S_OK`. Source: "Best Practices for Fast Shutdown" and
/// MFCMAPI's fast-shutdown command (docs/domain.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnQueryError {
    /// Outlook's (correct) behaviour: no `NotifyProcessShutdown`, no
    /// `DoFastShutdown`; take the normal path (`MAPIUninitialize`).
    Stop,
    /// MFCMAPI's behaviour: call `NotifyProcessShutdown` anyway (a warning),
    /// but not `DoFastShutdown`; then the normal path.
    NotifyOnly,
    /// Ignore the error: call `NotifyProcessShutdown` and `DoFastShutdown`
    /// anyway (the data-loss case).
    Continue,
}

impl OnQueryError {
    /// `stop`, `notify-only`, `continue`.
    pub fn as_str(self) -> &'static str {
        match self {
            OnQueryError::Stop => "stop",
            OnQueryError::NotifyOnly => "notify-only",
            OnQueryError::Continue => "continue",
        }
    }
}

/// How the client process ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ClientEnd {
    /// The client exits normally with code 0 (a `client_exit` record).
    Normal,
    /// A watchdog started when the client calls `DoFastShutdown` kills the
    /// process after `kill_after_ms` if `DoFastShutdown` has not returned.
    KilledDuringDoFastShutdown {
        /// Time from the client's `DoFastShutdown` call to the kill, in ms.
        kill_after_ms: u64,
    },
}

/// The `exit` field as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ExitMode {
    Normal,
    KilledDuringDoFastShutdown,
}

/// Whether and how a provider implements `IMAPIProviderShutdown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShutdownSupport {
    /// Implements the interface; `QueryFastShutdown` answers `S_OK`.
    Supports,
    /// Implements the interface; `QueryFastShutdown` answers
    /// `MAPI_E_NO_SUPPORT` (prevents fast shutdown).
    OptsOut,
    /// Does not implement the interface (`QueryInterface` fails): a legacy
    /// provider. Opt-out ignores it, opt-in refuses fast shutdown.
    NotImplemented,
}

impl ShutdownSupport {
    /// `supports`, `opts-out`, `not-implemented`.
    pub fn as_str(self) -> &'static str {
        match self {
            ShutdownSupport::Supports => "supports",
            ShutdownSupport::OptsOut => "opts-out",
            ShutdownSupport::NotImplemented => "not-implemented",
        }
    }
}

/// An `IMAPIProviderShutdown` method, as named in scenario files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShutdownMethod {
    /// `QueryFastShutdown`
    QueryFastShutdown,
    /// `NotifyProcessShutdown`
    NotifyProcessShutdown,
    /// `DoFastShutdown`
    DoFastShutdown,
}

impl ShutdownMethod {
    /// The trace's method.
    pub fn method(self) -> crate::trace::Method {
        match self {
            ShutdownMethod::QueryFastShutdown => crate::trace::Method::QueryFastShutdown,
            ShutdownMethod::NotifyProcessShutdown => crate::trace::Method::NotifyProcessShutdown,
            ShutdownMethod::DoFastShutdown => crate::trace::Method::DoFastShutdown,
        }
    }
}

/// Time a provider spends in each method before answering, in ms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delays {
    /// In `QueryFastShutdown`, ms.
    #[serde(rename = "QueryFastShutdown", default)]
    pub query_ms: u64,
    /// In `NotifyProcessShutdown`, ms.
    #[serde(rename = "NotifyProcessShutdown", default)]
    pub notify_ms: u64,
    /// In `DoFastShutdown`, ms.
    #[serde(rename = "DoFastShutdown", default)]
    pub do_ms: u64,
}

impl Delays {
    /// True when every delay is zero.
    pub fn is_zero(&self) -> bool {
        self.query_ms == 0 && self.notify_ms == 0 && self.do_ms == 0
    }
}

/// The client process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSpec {
    /// Executable name, e.g. `OUTLOOK.EXE`.
    pub exe: String,
    /// Office version whose policy applies.
    pub office_version: OfficeVersion,
    /// Subsystem DLL, default [`DEFAULT_SUBSYSTEM_DLL`].
    pub subsystem_dll: String,
    /// Reaction to a failed `QueryFastShutdown`, default [`OnQueryError::Stop`].
    pub on_query_error: OnQueryError,
    /// Whether the client calls `MAPIUninitialize` after `DoFastShutdown`
    /// (a best-practice violation; the call fails `MAPI_E_CALL_FAILED`).
    pub calls_mapi_after_do: bool,
    /// How the process ends.
    pub end: ClientEnd,
}

/// A provider loaded into a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderSpec {
    /// Display name, e.g. `Microsoft Exchange Message Store`.
    pub name: String,
    /// Transport, address book or message store.
    pub kind: ProviderKind,
    /// Provider DLL, e.g. `emsmdb32.dll`.
    pub dll: String,
    /// Whether it implements `IMAPIProviderShutdown`, and its answer.
    pub shutdown: ShutdownSupport,
    /// Time spent in each method, ms.
    pub delays: Delays,
    /// A method that never returns (only `DoFastShutdown`, and only when
    /// the client is killed during it).
    pub hang: Option<ShutdownMethod>,
}

/// A MAPI session and its providers, in load order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSpec {
    /// The MAPI profile the session logs on to.
    pub profile: String,
    /// Providers in load order.
    pub providers: Vec<ProviderSpec>,
}

/// A validated scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// The file it was read from (as given).
    pub file: PathBuf,
    /// Short name; default the file's stem.
    pub name: String,
    /// What the scenario shows, in words.
    pub description: Option<String>,
    /// The client.
    pub client: ClientSpec,
    /// Sessions in logon order (at least one).
    pub sessions: Vec<SessionSpec>,
}

impl Scenario {
    /// Read and validate the scenario file at `path`.
    ///
    /// # Errors
    /// [`ScenarioError::Read`] when the file cannot be read,
    /// [`ScenarioError::Invalid`] naming the line and field otherwise.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Scenario::parse(&text, path)
    }

    /// Parse and validate scenario `text`; `path` is used in messages and
    /// for the default name.
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] naming the line and field.
    pub fn parse(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => return Err(toml_error(text, path, &e)),
        };
        Validator { text, path }.validate(raw)
    }

    /// Every provider with its session index (0-based), in load order.
    pub fn providers(&self) -> impl Iterator<Item = (usize, &ProviderSpec)> {
        self.sessions
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.providers.iter().map(move |p| (i, p)))
    }
}

/// Why a scenario could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid scenario.
    #[error("{0}")]
    Invalid(Box<ScenarioIssue>),
}

/// What is wrong in a scenario file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioIssue {
    /// The file.
    pub path: PathBuf,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// The field, as a path: `sessions[0].providers[2].shutdown`.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// The text of the offending line.
    pub source_line: String,
}

impl fmt::Display for ScenarioIssue {
    /// `FILE:LINE:COL: field `F`: MESSAGE`, then the line itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: field `{}`: {}",
            self.path.display(),
            self.line,
            self.column,
            self.field,
            self.message
        )?;
        if !self.source_line.trim().is_empty() {
            write!(f, "\n{:>5} | {}", self.line, self.source_line)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// The file as written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Option<Spanned<String>>,
    description: Option<String>,
    client: RawClient,
    sessions: Spanned<Vec<RawSession>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    exe: Spanned<String>,
    office_version: Spanned<String>,
    subsystem_dll: Option<Spanned<String>>,
    on_query_error: Option<OnQueryError>,
    #[serde(default)]
    calls_mapi_after_do: bool,
    exit: Option<Spanned<ExitMode>>,
    kill_after_ms: Option<Spanned<u64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSession {
    profile: Spanned<String>,
    #[serde(default)]
    providers: Vec<RawProvider>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    name: Spanned<String>,
    kind: ProviderKind,
    dll: Spanned<String>,
    shutdown: Option<ShutdownSupport>,
    delay_ms: Option<Spanned<Delays>>,
    hang: Option<Spanned<ShutdownMethod>>,
}

// ---------------------------------------------------------------------------
// Semantic checks.

struct Validator<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Validator<'_> {
    fn issue(&self, span: Range<usize>, field: &str, message: String) -> ScenarioError {
        issue_at(self.text, self.path, span.start, field.to_string(), message)
    }

    fn non_empty(&self, value: Spanned<String>, field: &str) -> Result<String, ScenarioError> {
        if value.get_ref().trim().is_empty() {
            return Err(self.issue(value.span(), field, "must not be empty".to_string()));
        }
        Ok(value.into_inner())
    }

    fn validate(&self, raw: RawScenario) -> Result<Scenario, ScenarioError> {
        let name = match raw.name {
            Some(name) => self.non_empty(name, "name")?,
            None => self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "scenario".to_string()),
        };
        let c = raw.client;
        let exe = self.non_empty(c.exe, "client.exe")?;
        let office_version = match c.office_version.get_ref().parse::<OfficeVersion>() {
            Ok(v) => v,
            Err(e) => {
                return Err(self.issue(
                    c.office_version.span(),
                    "client.office_version",
                    e.to_string(),
                ));
            }
        };
        let subsystem_dll = match c.subsystem_dll {
            Some(dll) => self.non_empty(dll, "client.subsystem_dll")?,
            None => DEFAULT_SUBSYSTEM_DLL.to_string(),
        };
        let kill_span = c.kill_after_ms.as_ref().map_or(0..0, |k| k.span());
        let end = self.client_end(c.exit, c.kill_after_ms)?;

        let sessions_span = raw.sessions.span();
        let raw_sessions = raw.sessions.into_inner();
        if raw_sessions.is_empty() {
            return Err(self.issue(
                sessions_span,
                "sessions",
                "a scenario needs at least one session: the client gets IMAPIClientShutdown \
                 from a session"
                    .to_string(),
            ));
        }
        let mut sessions = Vec::with_capacity(raw_sessions.len());
        // The DoFastShutdown delays of implementing providers, and whether one hangs.
        let mut do_delay_total: u64 = 0;
        let mut hangs = false;
        for (si, s) in raw_sessions.into_iter().enumerate() {
            let profile = self.non_empty(s.profile, &format!("sessions[{si}].profile"))?;
            let mut providers = Vec::with_capacity(s.providers.len());
            for (pi, p) in s.providers.into_iter().enumerate() {
                let at = format!("sessions[{si}].providers[{pi}]");
                let provider = self.provider(p, &at, end)?;
                if provider.shutdown != ShutdownSupport::NotImplemented {
                    do_delay_total = do_delay_total.saturating_add(provider.delays.do_ms);
                    hangs |= provider.hang.is_some();
                }
                providers.push(provider);
            }
            sessions.push(SessionSpec { profile, providers });
        }

        if let ClientEnd::KilledDuringDoFastShutdown { kill_after_ms } = end
            && !hangs
            && do_delay_total <= kill_after_ms
        {
            return Err(self.issue(
                kill_span,
                "client.kill_after_ms",
                format!(
                    "the client is to be killed {kill_after_ms} ms into DoFastShutdown, but no \
                     provider hangs in DoFastShutdown and their DoFastShutdown delays add up to \
                     only {do_delay_total} ms: DoFastShutdown would return before the kill. Add \
                     `hang = \"DoFastShutdown\"` to a provider or a longer `delay_ms`"
                ),
            ));
        }

        Ok(Scenario {
            file: self.path.to_path_buf(),
            name,
            description: raw.description,
            client: ClientSpec {
                exe,
                office_version,
                subsystem_dll,
                on_query_error: c.on_query_error.unwrap_or(OnQueryError::Stop),
                calls_mapi_after_do: c.calls_mapi_after_do,
                end,
            },
            sessions,
        })
    }

    fn client_end(
        &self,
        exit: Option<Spanned<ExitMode>>,
        kill_after_ms: Option<Spanned<u64>>,
    ) -> Result<ClientEnd, ScenarioError> {
        let mode = exit.as_ref().map_or(ExitMode::Normal, |e| *e.get_ref());
        match (mode, kill_after_ms) {
            (ExitMode::Normal, None) => Ok(ClientEnd::Normal),
            (ExitMode::Normal, Some(k)) => Err(self.issue(
                k.span(),
                "client.kill_after_ms",
                "only meaningful with exit = \"killed-during-do-fast-shutdown\"".to_string(),
            )),
            (ExitMode::KilledDuringDoFastShutdown, None) => Err(self.issue(
                exit.map_or(0..0, |e| e.span()),
                "client.exit",
                "exit = \"killed-during-do-fast-shutdown\" needs `kill_after_ms` (ms from the \
                 client's DoFastShutdown call to the kill)"
                    .to_string(),
            )),
            (ExitMode::KilledDuringDoFastShutdown, Some(k)) => {
                if *k.get_ref() == 0 {
                    return Err(self.issue(
                        k.span(),
                        "client.kill_after_ms",
                        "must be at least 1 ms".to_string(),
                    ));
                }
                Ok(ClientEnd::KilledDuringDoFastShutdown {
                    kill_after_ms: *k.get_ref(),
                })
            }
        }
    }

    fn provider(
        &self,
        p: RawProvider,
        at: &str,
        end: ClientEnd,
    ) -> Result<ProviderSpec, ScenarioError> {
        let name = self.non_empty(p.name, &format!("{at}.name"))?;
        let dll = self.non_empty(p.dll, &format!("{at}.dll"))?;
        let shutdown = p.shutdown.unwrap_or(ShutdownSupport::Supports);
        let delays = p
            .delay_ms
            .as_ref()
            .map(|d| *d.get_ref())
            .unwrap_or_default();
        if shutdown == ShutdownSupport::NotImplemented {
            if let Some(d) = &p.delay_ms
                && !delays.is_zero()
            {
                return Err(self.issue(
                    d.span(),
                    &format!("{at}.delay_ms"),
                    "the provider does not implement IMAPIProviderShutdown (shutdown = \
                     \"not-implemented\"): the subsystem never calls it, so a delay never applies"
                        .to_string(),
                ));
            }
            if let Some(h) = &p.hang {
                return Err(self.issue(
                    h.span(),
                    &format!("{at}.hang"),
                    "the provider does not implement IMAPIProviderShutdown (shutdown = \
                     \"not-implemented\"): the subsystem never calls it, so it cannot hang"
                        .to_string(),
                ));
            }
        }
        let hang = match p.hang {
            None => None,
            Some(h) => {
                let method = *h.get_ref();
                if method != ShutdownMethod::DoFastShutdown {
                    return Err(self.issue(
                        h.span(),
                        &format!("{at}.hang"),
                        format!(
                            "a hang in {method:?} would never end: the kill watchdog starts only \
                             when the client calls DoFastShutdown. Only hang = \"DoFastShutdown\" \
                             is allowed"
                        ),
                    ));
                }
                if end == ClientEnd::Normal {
                    return Err(self.issue(
                        h.span(),
                        &format!("{at}.hang"),
                        "a provider that hangs in DoFastShutdown never returns, so the simulation \
                         would hang forever: set client.exit = \
                         \"killed-during-do-fast-shutdown\" with kill_after_ms"
                            .to_string(),
                    ));
                }
                Some(method)
            }
        };
        Ok(ProviderSpec {
            name,
            kind: p.kind,
            dll,
            shutdown,
            delays,
            hang,
        })
    }
}

// ---------------------------------------------------------------------------
// Positions and field paths.

/// 1-based line and character column of byte `offset` in `text`, and the
/// text of that line.
fn position(text: &str, offset: usize) -> (usize, usize, String) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count() + 1;
    let column = text[line_start..offset].chars().count() + 1;
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let source_line = text[line_start..line_end]
        .trim_end_matches('\r')
        .to_string();
    (line, column, source_line)
}

fn issue_at(
    text: &str,
    path: &Path,
    offset: usize,
    field: String,
    message: String,
) -> ScenarioError {
    let (line, column, source_line) = position(text, offset);
    ScenarioError::Invalid(Box::new(ScenarioIssue {
        path: path.to_path_buf(),
        line,
        column,
        field,
        message,
        source_line,
    }))
}

/// Turn toml's error (syntax, unknown field, wrong type, missing field)
/// into an issue naming the field.
fn toml_error(text: &str, path: &Path, e: &toml::de::Error) -> ScenarioError {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().to_string();
    let mut field = match DeTable::parse(text) {
        Ok(doc) => path_at(doc.get_ref(), span.start),
        // A syntax error: no document to walk; use the key on that line.
        Err(_) => key_on_line(text, span.start),
    };
    // "missing field `x`" points at the enclosing table.
    if let Some(missing) = backticked(&message, "missing field `") {
        if field.is_empty() {
            field = missing;
        } else if !field.ends_with(&missing) {
            field = format!("{field}.{missing}");
        }
    }
    if field.is_empty() {
        field = "(document)".to_string();
    }
    issue_at(text, path, span.start, field, message)
}

fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(rest[..rest.find('`')?].to_string())
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

/// The best match so far for an offset: the smallest containing span,
/// the deeper path on ties.
struct Best {
    offset: usize,
    found: Option<(usize, usize, String)>,
}

impl Best {
    fn consider(&mut self, span: Range<usize>, path: &str) {
        if !contains(&span, self.offset) {
            return;
        }
        let len = span.end.saturating_sub(span.start);
        let depth = path.matches(['.', '[']).count();
        let better = match &self.found {
            None => true,
            Some((l, d, _)) => len < *l || (len == *l && depth > *d),
        };
        if better {
            self.found = Some((len, depth, path.to_string()));
        }
    }
}

/// The path (`sessions[0].providers[1].kind`) of the key or value whose
/// span is the smallest containing `offset`. A table's span in a parsed
/// document covers only its header (`[client]`), so containment alone does
/// not nest: every key and value is considered.
fn path_at(table: &DeTable<'_>, offset: usize) -> String {
    let mut best = Best {
        offset,
        found: None,
    };
    walk_table(table, "", &mut best);
    best.found.map(|(_, _, path)| path).unwrap_or_default()
}

fn walk_table(table: &DeTable<'_>, prefix: &str, best: &mut Best) {
    for (key, value) in table.iter() {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        best.consider(key.span(), &path);
        best.consider(value.span(), &path);
        walk_value(value.get_ref(), &path, best);
    }
}

fn walk_value(value: &DeValue<'_>, path: &str, best: &mut Best) {
    match value {
        DeValue::Table(t) => walk_table(t, path, best),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("{path}[{i}]");
                best.consider(item.span(), &path);
                walk_value(item.get_ref(), &path, best);
            }
        }
        _ => {}
    }
}

/// For a syntax error: `table.key` from the line's `key =` and the last
/// `[table]` header above it.
fn key_on_line(text: &str, offset: usize) -> String {
    let (line, _, source_line) = position(text, offset);
    let trimmed = source_line.trim();
    let header = |l: &str| -> Option<String> {
        let l = l.trim();
        l.starts_with('[')
            .then(|| l.trim_matches(|c| c == '[' || c == ']').trim().to_string())
    };
    if let Some(h) = header(trimmed) {
        return h;
    }
    let key = trimmed
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .unwrap_or_default();
    let table = text
        .lines()
        .take(line.saturating_sub(1))
        .filter_map(header)
        .last();
    match (table, key.is_empty()) {
        (Some(t), false) => format!("{t}.{key}"),
        (Some(t), true) => t,
        (None, _) => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "test"
description = "two sessions"

[client]
exe = "OUTLOOK.EXE"
office_version = "16.0"
on_query_error = "notify-only"

[[sessions]]
profile = "Outlook"

[[sessions.providers]]
name = "Microsoft Exchange Message Store"
kind = "message-store"
dll = "emsmdb32.dll"
delay_ms = { DoFastShutdown = 20 }

[[sessions.providers]]
name = "Legacy Fax"
kind = "transport"
dll = "fax32.dll"
shutdown = "not-implemented"

[[sessions]]
profile = "Archive"
providers = [
  { name = "Personal Folders", kind = "message-store", dll = "mspst32.dll", shutdown = "opts-out" },
]
"#;

    fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::parse(text, Path::new("dir/s.toml"))
    }

    fn issue(text: &str) -> ScenarioIssue {
        match parse(text) {
            Err(ScenarioError::Invalid(i)) => *i,
            other => panic!("expected an invalid scenario, got {other:?}"),
        }
    }

    /// `GOOD` with `from` replaced by `to` (which must occur).
    fn edit(from: &str, to: &str) -> String {
        assert!(GOOD.contains(from), "{from}");
        GOOD.replacen(from, to, 1)
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn good_scenario_with_defaults() {
        let s = parse(GOOD).unwrap();
        assert_eq!(s.name, "test");
        assert_eq!(s.description.as_deref(), Some("two sessions"));
        assert_eq!(s.client.exe, "OUTLOOK.EXE");
        assert_eq!(s.client.office_version, OfficeVersion::V16);
        assert_eq!(s.client.subsystem_dll, "olmapi32.dll");
        assert_eq!(s.client.on_query_error, OnQueryError::NotifyOnly);
        assert!(!s.client.calls_mapi_after_do);
        assert_eq!(s.client.end, ClientEnd::Normal);
        assert_eq!(s.sessions.len(), 2);
        let store = &s.sessions[0].providers[0];
        assert_eq!(store.kind, ProviderKind::MessageStore);
        assert_eq!(store.shutdown, ShutdownSupport::Supports);
        assert_eq!(store.delays.do_ms, 20);
        assert_eq!(store.delays.query_ms, 0);
        assert_eq!(
            s.sessions[0].providers[1].shutdown,
            ShutdownSupport::NotImplemented
        );
        assert_eq!(s.sessions[1].profile, "Archive");
        assert_eq!(
            s.sessions[1].providers[0].shutdown,
            ShutdownSupport::OptsOut
        );
        assert_eq!(s.providers().count(), 3);
    }

    #[test]
    fn name_defaults_to_file_stem() {
        let s = parse(&edit("name = \"test\"\n", "")).unwrap();
        assert_eq!(s.name, "s");
    }

    #[test]
    fn killed_scenario_with_hang() {
        let text = edit(
            "on_query_error = \"notify-only\"",
            "exit = \"killed-during-do-fast-shutdown\"\nkill_after_ms = 150",
        )
        .replace(
            "delay_ms = { DoFastShutdown = 20 }",
            "hang = \"DoFastShutdown\"",
        );
        let s = parse(&text).unwrap();
        assert_eq!(
            s.client.end,
            ClientEnd::KilledDuringDoFastShutdown { kill_after_ms: 150 }
        );
        assert_eq!(
            s.sessions[0].providers[0].hang,
            Some(ShutdownMethod::DoFastShutdown)
        );
    }

    #[test]
    fn killed_scenario_with_long_enough_delay() {
        let text = edit(
            "on_query_error = \"notify-only\"",
            "exit = \"killed-during-do-fast-shutdown\"\nkill_after_ms = 10",
        );
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn unknown_field_names_file_line_and_field() {
        let text = edit("on_query_error", "on_query_eror");
        let i = issue(&text);
        assert_eq!(i.path, Path::new("dir/s.toml"));
        assert_eq!(i.line, line_of(&text, "on_query_eror"));
        assert_eq!(i.field, "client.on_query_eror");
        assert!(i.message.contains("unknown field"), "{}", i.message);
        let shown = i.to_string();
        assert!(
            shown.starts_with(&format!(
                "dir/s.toml:{}:1: field `client.on_query_eror`",
                i.line
            )),
            "{shown}"
        );
        assert!(shown.contains("on_query_eror = \"notify-only\""), "{shown}");
    }

    #[test]
    fn unknown_provider_field_in_array_of_tables() {
        let text = edit(
            "dll = \"fax32.dll\"",
            "dll = \"fax32.dll\"\ncolour = \"red\"",
        );
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "colour"));
        assert_eq!(i.field, "sessions[0].providers[1].colour");
    }

    #[test]
    fn bad_enum_value_names_the_field() {
        let text = edit("shutdown = \"opts-out\"", "shutdown = \"maybe\"");
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "maybe"));
        assert_eq!(i.field, "sessions[1].providers[0].shutdown");
        assert!(i.message.contains("maybe"), "{}", i.message);

        let text = edit("kind = \"transport\"", "kind = \"fax\"");
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "\"fax\""));
        assert_eq!(i.field, "sessions[0].providers[1].kind");
    }

    #[test]
    fn wrong_type_names_the_field() {
        let text = edit("DoFastShutdown = 20", "DoFastShutdown = -20");
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "-20"));
        assert_eq!(i.field, "sessions[0].providers[0].delay_ms.DoFastShutdown");

        let text = edit("office_version = \"16.0\"", "office_version = \"17.0\"");
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "17.0"));
        assert_eq!(i.field, "client.office_version");
    }

    #[test]
    fn missing_field_names_the_field() {
        let text = edit("dll = \"fax32.dll\"\n", "");
        let i = issue(&text);
        assert_eq!(i.field, "sessions[0].providers[1].dll");
        assert!(i.message.contains("missing field"), "{}", i.message);
        assert!(i.line >= line_of(&text, "Legacy Fax") - 1, "{i:?}");
    }

    #[test]
    fn syntax_error_names_line_and_key() {
        let text = edit("exe = \"OUTLOOK.EXE\"", "exe = \"OUTLOOK.EXE");
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "exe = "));
        assert_eq!(i.field, "client.exe");
    }

    #[test]
    fn hang_without_kill_is_rejected() {
        let text = edit(
            "delay_ms = { DoFastShutdown = 20 }",
            "hang = \"DoFastShutdown\"",
        );
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "hang ="));
        assert_eq!(i.field, "sessions[0].providers[0].hang");
        assert!(i.message.contains("hang forever"), "{}", i.message);
    }

    #[test]
    fn hang_outside_do_fast_shutdown_is_rejected() {
        let text = edit(
            "on_query_error = \"notify-only\"",
            "exit = \"killed-during-do-fast-shutdown\"\nkill_after_ms = 10",
        )
        .replace(
            "delay_ms = { DoFastShutdown = 20 }",
            "hang = \"QueryFastShutdown\"",
        );
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "hang ="));
        assert_eq!(i.field, "sessions[0].providers[0].hang");
        assert!(i.message.contains("QueryFastShutdown"), "{}", i.message);
    }

    #[test]
    fn kill_without_hang_or_long_delay_is_rejected() {
        let text = edit(
            "on_query_error = \"notify-only\"",
            "exit = \"killed-during-do-fast-shutdown\"\nkill_after_ms = 20",
        );
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "kill_after_ms"));
        assert_eq!(i.field, "client.kill_after_ms");
        assert!(i.message.contains("20 ms"), "{}", i.message);
    }

    #[test]
    fn kill_needs_kill_after_ms_and_vice_versa() {
        let text = edit(
            "on_query_error = \"notify-only\"",
            "exit = \"killed-during-do-fast-shutdown\"",
        );
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "exit ="));
        assert_eq!(i.field, "client.exit");

        let text = edit("on_query_error = \"notify-only\"", "kill_after_ms = 5");
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "kill_after_ms"));
        assert_eq!(i.field, "client.kill_after_ms");
    }

    #[test]
    fn not_implemented_provider_cannot_be_delayed() {
        let text = edit(
            "shutdown = \"not-implemented\"",
            "shutdown = \"not-implemented\"\ndelay_ms = { QueryFastShutdown = 5 }",
        );
        let i = issue(&text);
        assert_eq!(i.line, line_of(&text, "QueryFastShutdown = 5"));
        assert_eq!(i.field, "sessions[0].providers[1].delay_ms");
    }

    #[test]
    fn empty_sessions_and_empty_strings_are_rejected() {
        let text = "[client]\nexe = \"X.EXE\"\noffice_version = \"16.0\"\nsessions = []\n";
        // `sessions` inside [client] is an unknown client field.
        assert_eq!(issue(text).field, "client.sessions");
        let text = "sessions = []\n[client]\nexe = \"X.EXE\"\noffice_version = \"16.0\"\n";
        let i = issue(text);
        assert_eq!((i.line, i.field.as_str()), (1, "sessions"));

        let text = edit("profile = \"Archive\"", "profile = \" \"");
        let i = issue(&text);
        assert_eq!(i.field, "sessions[1].profile");
        assert_eq!(i.line, line_of(&text, "profile = \" \""));
    }

    #[test]
    fn read_error_names_the_file() {
        let err = Scenario::load(Path::new("/nonexistent/nope.toml")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/nope.toml"), "{err}");
    }

    #[test]
    fn position_counts_chars() {
        assert_eq!(position("ab\ncé d", 7), (2, 4, "cé d".to_string()));
        assert_eq!(position("", 10), (1, 1, String::new()));
    }
}
