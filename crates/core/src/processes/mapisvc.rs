//! The `MAPISVC.INF` reader: the message services a MAPI installation
//! knows and the providers each service adds to a profile, with the DLL
//! MAPI loads for each (`PR_PROVIDER_DLL_NAME` with "32" appended to its
//! base name), its kind (`PR_RESOURCE_TYPE`) and display names. It only
//! reads: a malformed line is reported with its file and line number
//! ([`InfWarning`]) and skipped, never fatal.
//!
//! The file is an INI file (ANSI, sometimes UTF-16LE with a BOM):
//! `[Services]` maps service section names to display names, each service
//! section lists its provider sections in `Providers=`, and each provider
//! section has `PR_PROVIDER_DLL_NAME`, `PR_RESOURCE_TYPE`,
//! `PR_DISPLAY_NAME` and `PR_PROVIDER_DISPLAY` (Microsoft's "MAPISVC.INF"
//! and "Format of the MAPISVC.INF file" pages).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::i18n::Lang;
use crate::i18n::text::Text;
use crate::mapi::ProviderKind;

/// `PR_RESOURCE_TYPE` of a message store provider (mapidefs.h).
pub const MAPI_STORE_PROVIDER: u32 = 33;
/// `PR_RESOURCE_TYPE` of an address book provider (mapidefs.h).
pub const MAPI_AB_PROVIDER: u32 = 35;
/// `PR_RESOURCE_TYPE` of a transport provider (mapidefs.h).
pub const MAPI_TRANSPORT_PROVIDER: u32 = 36;

/// One provider a service of `MAPISVC.INF` adds to a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfProvider {
    /// The provider's section name, e.g. `EMS_MDB_private`.
    pub section: String,
    /// The service's section name (`MSEMS`), when a service lists it.
    pub service: Option<String>,
    /// The service's display name from `[Services]` or its
    /// `PR_DISPLAY_NAME`.
    pub service_name: Option<String>,
    /// `PR_PROVIDER_DLL_NAME` as written, e.g. `EMSMDB.DLL`.
    pub dll_as_written: String,
    /// The DLL MAPI loads, lower case, "32" appended to the base name
    /// ([`loaded_dll_name`]), e.g. `emsmdb32.dll`.
    pub dll: String,
    /// The kind from `PR_RESOURCE_TYPE`, when it is one of the three.
    pub kind: Option<ProviderKind>,
    /// `PR_PROVIDER_DISPLAY`, else `PR_DISPLAY_NAME`.
    pub display_name: Option<String>,
    /// The line of its `PR_PROVIDER_DLL_NAME` (1-based).
    pub line: usize,
}

/// What was wrong with a line or entry of `MAPISVC.INF`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InfProblem {
    /// A `[` line that is not a well-formed section header (the line).
    MalformedSection(String),
    /// Neither `key=value` nor a section header (the line).
    NotAnEntry(String),
    /// `=value` (the line).
    NoKey(String),
    /// An entry before any section (the line).
    BeforeFirstSection(String),
    /// `[Services]` names a service that has no section.
    ServiceWithoutSection(String),
    /// A service's `Providers=` names a section that does not exist.
    ProviderWithoutSection {
        /// The service's section.
        service: String,
        /// The provider section it names.
        provider: String,
    },
    /// `PR_PROVIDER_DLL_NAME=` with no value.
    EmptyDllName,
    /// A `PR_RESOURCE_TYPE` value that is no resource type (the value).
    UnknownResourceType(String),
}

impl InfProblem {
    /// The problem as a text (registry and INF names stay as they are in
    /// every language; render it at the edge).
    pub fn text(&self) -> Text {
        let quoted = |line: &String| format!("{line:?}");
        match self {
            InfProblem::MalformedSection(line) => {
                Text::new("processes-inf-malformed-section").str("line", quoted(line))
            }
            InfProblem::NotAnEntry(line) => {
                Text::new("processes-inf-not-an-entry").str("line", quoted(line))
            }
            InfProblem::NoKey(line) => Text::new("processes-inf-no-key").str("line", quoted(line)),
            InfProblem::BeforeFirstSection(line) => {
                Text::new("processes-inf-before-first-section").str("line", quoted(line))
            }
            InfProblem::ServiceWithoutSection(service) => {
                Text::new("processes-inf-service-without-section").str("service", service)
            }
            InfProblem::ProviderWithoutSection { service, provider } => {
                Text::new("processes-inf-provider-without-section")
                    .str("service", service)
                    .str("provider", provider)
            }
            InfProblem::EmptyDllName => Text::new("processes-inf-empty-dll-name"),
            InfProblem::UnknownResourceType(value) => {
                Text::new("processes-inf-unknown-resource-type").str("value", quoted(value))
            }
        }
    }
}

/// English, whatever the language (reports, logs).
impl fmt::Display for InfProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().render(Lang::En))
    }
}

/// A line or entry of `MAPISVC.INF` that was skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfWarning {
    /// The file.
    pub file: PathBuf,
    /// 1-based line number; 0 for the file as a whole.
    pub line: usize,
    /// What was wrong.
    pub problem: InfProblem,
}

impl InfWarning {
    /// `file:line: why` as a text (render it at the edge).
    pub fn text(&self) -> Text {
        let at = if self.line == 0 {
            self.file.display().to_string()
        } else {
            format!("{}:{}", self.file.display(), self.line)
        };
        Text::new("processes-inf-warning")
            .str("at", at)
            .text("problem", self.problem.text())
    }
}

/// `file:line: why`, in English whatever the language (reports, logs).
impl fmt::Display for InfWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().render(Lang::En))
    }
}

/// What [`read`] / [`parse`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapiSvc {
    /// The file it came from.
    pub file: PathBuf,
    /// Every provider section that names a DLL, in file order.
    pub providers: Vec<InfProvider>,
    /// Services of `[Services]`: (section name, display name), in order.
    pub services: Vec<(String, String)>,
    /// Lines and entries skipped.
    pub warnings: Vec<InfWarning>,
}

/// Reading `MAPISVC.INF` failed as a whole (its content never fails).
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}: {source}", file.display())]
pub struct InfReadError {
    /// The file.
    pub file: PathBuf,
    /// The I/O error (`InvalidData` for a file that is not text).
    #[source]
    pub source: std::io::Error,
    /// The file is not text: the line of its first control byte.
    pub binary_at_line: Option<usize>,
}

impl InfReadError {
    /// The error as a text (the OS's words for the cause stay as they are).
    pub fn text(&self) -> Text {
        match self.binary_at_line {
            Some(line) => Text::new("processes-inf-not-text")
                .str("file", self.file.display())
                .num("line", line as u64),
            None => Text::new("processes-inf-cannot-read")
                .str("file", self.file.display())
                .str("error", &self.source),
        }
    }
}

/// The DLL MAPI loads for a `PR_PROVIDER_DLL_NAME`: lower case, "32"
/// appended to the base name ("MAPI appends 32", MAPISVC.INF reference:
/// `EMSMDB.DLL` loads `emsmdb32.dll`; a name without an extension gets
/// `.dll`). A path prefix is kept off: only the file name is matched.
pub fn loaded_dll_name(as_written: &str) -> String {
    let file = as_written
        .rsplit(['\\', '/'])
        .next()
        .unwrap_or(as_written)
        .trim()
        .to_ascii_lowercase();
    match file.rsplit_once('.') {
        Some((base, ext)) => format!("{base}32.{ext}"),
        None => format!("{file}32.dll"),
    }
}

/// The kind a `PR_RESOURCE_TYPE` value names: `MAPI_STORE_PROVIDER`,
/// `MAPI_AB_PROVIDER`, `MAPI_TRANSPORT_PROVIDER` or their numbers (33, 35,
/// 36, decimal or `0x` hex). `Err` for anything else, with the reason.
pub fn resource_type_kind(value: &str) -> Result<Option<ProviderKind>, String> {
    let v = value.trim();
    let number = if let Some(hex) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        u32::from_str_radix(hex, 16).ok()
    } else {
        v.parse::<u32>().ok()
    };
    match (v.to_ascii_uppercase().as_str(), number) {
        ("MAPI_STORE_PROVIDER", _) | (_, Some(MAPI_STORE_PROVIDER)) => {
            Ok(Some(ProviderKind::MessageStore))
        }
        ("MAPI_AB_PROVIDER", _) | (_, Some(MAPI_AB_PROVIDER)) => {
            Ok(Some(ProviderKind::AddressBook))
        }
        ("MAPI_TRANSPORT_PROVIDER", _) | (_, Some(MAPI_TRANSPORT_PROVIDER)) => {
            Ok(Some(ProviderKind::Transport))
        }
        // Other resource types exist (hooks, profile providers): not one of
        // the three shutdown kinds, but not malformed either.
        ("MAPI_HOOK_PROVIDER" | "MAPI_PROFILE_PROVIDER" | "MAPI_SPOOLER" | "MAPI_AB", _) => {
            Ok(None)
        }
        (_, Some(_)) => Ok(None),
        _ => Err(format!("unknown PR_RESOURCE_TYPE {v:?}")),
    }
}

/// Read and parse the `MAPISVC.INF` at `file`.
///
/// # Errors
/// [`InfReadError`] when the file cannot be read; its content never
/// fails (see [`parse`]).
pub fn read(file: &Path) -> Result<MapiSvc, InfReadError> {
    let bytes = std::fs::read(file).map_err(|source| InfReadError {
        file: file.to_path_buf(),
        source,
        binary_at_line: None,
    })?;
    let text = decode(&bytes);
    // An image or an executable decodes to something too: refuse it
    // rather than parse its bytes (a DOS end-of-file mark ^Z is text).
    if let Some(at) = text
        .trim_end_matches('\u{1a}')
        .find(|c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return Err(InfReadError {
            file: file.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, "binary data, not text"),
            binary_at_line: Some(text[..at].matches('\n').count() + 1),
        });
    }
    Ok(parse(file, &text))
}

/// The text of an INF file: UTF-16LE with a BOM, UTF-8 (BOM or not), else
/// ANSI read as Latin-1 (each byte one character).
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// One `[section]`: its name, its line and its `key=value` entries (key
/// upper-cased, with the value's line).
struct Section {
    name: String,
    entries: Vec<(String, String, usize)>,
}

impl Section {
    fn get(&self, key: &str) -> Option<(&str, usize)> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, l)| (v.as_str(), *l))
    }
}

/// Parse the text of a `MAPISVC.INF` (named `file` in warnings). Lines:
/// `;` comments, blank lines, `[Section]` headers and `key=value`
/// entries; anything else, an entry before the first section, an
/// unclosed header, an unknown `PR_RESOURCE_TYPE` or a `Providers=` entry
/// naming no section becomes an [`InfWarning`] and is skipped.
pub fn parse(file: &Path, text: &str) -> MapiSvc {
    let mut out = MapiSvc {
        file: file.to_path_buf(),
        ..MapiSvc::default()
    };
    let warn = |out: &mut MapiSvc, line: usize, problem: InfProblem| {
        out.warnings.push(InfWarning {
            file: file.to_path_buf(),
            line,
            problem,
        });
    };
    let mut sections: Vec<Section> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            match rest.split_once(']') {
                Some((name, tail)) if !name.trim().is_empty() && tail.trim().is_empty() => {
                    sections.push(Section {
                        name: name.trim().to_owned(),
                        entries: Vec::new(),
                    });
                }
                _ => warn(
                    &mut out,
                    line_no,
                    InfProblem::MalformedSection(line.to_owned()),
                ),
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            warn(&mut out, line_no, InfProblem::NotAnEntry(line.to_owned()));
            continue;
        };
        let key = key.trim();
        if key.is_empty() {
            warn(&mut out, line_no, InfProblem::NoKey(line.to_owned()));
            continue;
        }
        match sections.last_mut() {
            Some(s) => s
                .entries
                .push((key.to_ascii_uppercase(), value.trim().to_owned(), line_no)),
            None => warn(
                &mut out,
                line_no,
                InfProblem::BeforeFirstSection(line.to_owned()),
            ),
        }
    }

    let by_name: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.to_ascii_uppercase(), i))
        .collect();

    // Services and which service owns each provider section.
    let mut owner: HashMap<usize, (String, Option<String>)> = HashMap::new();
    if let Some(&si) = by_name.get("SERVICES") {
        for (key, value, line) in &sections[si].entries {
            let service = key.clone();
            let Some(&svc_index) = by_name.get(&service) else {
                warn(
                    &mut out,
                    *line,
                    InfProblem::ServiceWithoutSection(service.clone()),
                );
                continue;
            };
            let svc = &sections[svc_index];
            let display = svc
                .get("PR_DISPLAY_NAME")
                .map(|(v, _)| v.to_owned())
                .unwrap_or_else(|| value.clone());
            out.services.push((svc.name.clone(), display.clone()));
            if let Some((list, pline)) = svc.get("PROVIDERS") {
                for p in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    match by_name.get(&p.to_ascii_uppercase()) {
                        Some(&pi) => {
                            owner
                                .entry(pi)
                                .or_insert_with(|| (svc.name.clone(), Some(display.clone())));
                        }
                        None => warn(
                            &mut out,
                            pline,
                            InfProblem::ProviderWithoutSection {
                                service: svc.name.clone(),
                                provider: p.to_owned(),
                            },
                        ),
                    }
                }
            }
        }
    }

    for (index, section) in sections.iter().enumerate() {
        let Some((dll, line)) = section.get("PR_PROVIDER_DLL_NAME") else {
            continue;
        };
        if dll.is_empty() {
            warn(&mut out, line, InfProblem::EmptyDllName);
            continue;
        }
        let kind = match section.get("PR_RESOURCE_TYPE") {
            Some((value, rline)) => match resource_type_kind(value) {
                Ok(kind) => kind,
                Err(_) => {
                    warn(
                        &mut out,
                        rline,
                        InfProblem::UnknownResourceType(value.trim().to_owned()),
                    );
                    None
                }
            },
            None => None,
        };
        let display_name = section
            .get("PR_PROVIDER_DISPLAY")
            .or_else(|| section.get("PR_DISPLAY_NAME"))
            .map(|(v, _)| v.to_owned())
            .filter(|v| !v.is_empty());
        let (service, service_name) = match owner.get(&index) {
            Some((s, n)) => (Some(s.clone()), n.clone()),
            None => (None, None),
        };
        out.providers.push(InfProvider {
            section: section.name.clone(),
            service,
            service_name,
            dll_as_written: dll.to_owned(),
            dll: loaded_dll_name(dll),
            kind,
            display_name,
            line,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            .join("tests/data/mapisvc")
            .join(name)
    }

    #[test]
    fn mapi_appends_32_to_the_base_name() {
        assert_eq!(loaded_dll_name("EMSMDB.DLL"), "emsmdb32.dll");
        assert_eq!(loaded_dll_name("mspst.dll"), "mspst32.dll");
        assert_eq!(loaded_dll_name("CONTAB"), "contab32.dll");
        assert_eq!(loaded_dll_name(r"C:\x\Foo.Dll"), "foo32.dll");
    }

    #[test]
    fn resource_types_by_name_and_number() {
        assert_eq!(
            resource_type_kind("MAPI_STORE_PROVIDER"),
            Ok(Some(ProviderKind::MessageStore))
        );
        assert_eq!(
            resource_type_kind("35"),
            Ok(Some(ProviderKind::AddressBook))
        );
        assert_eq!(
            resource_type_kind("0x24"),
            Ok(Some(ProviderKind::Transport))
        );
        assert_eq!(resource_type_kind("MAPI_HOOK_PROVIDER"), Ok(None));
        assert!(resource_type_kind("MAPI_BANANA").is_err());
    }

    #[test]
    fn reads_services_and_providers() {
        let svc = read(&fixture("MAPISVC.INF")).expect("fixture");
        assert!(svc.warnings.is_empty(), "{:?}", svc.warnings);
        assert_eq!(
            svc.services,
            vec![
                ("MSEMS".to_owned(), "Microsoft Exchange Server".to_owned()),
                (
                    "MSPST MS".to_owned(),
                    "Personal Folders File (.pst)".to_owned()
                ),
                ("CONTAB".to_owned(), "Outlook Address Book".to_owned()),
                ("ACME".to_owned(), "Acme Archive".to_owned()),
            ]
        );
        let mdb = svc
            .providers
            .iter()
            .find(|p| p.section == "EMS_MDB_private")
            .expect("EMS_MDB_private");
        assert_eq!(mdb.dll, "emsmdb32.dll");
        assert_eq!(mdb.dll_as_written, "EMSMDB.DLL");
        assert_eq!(mdb.kind, Some(ProviderKind::MessageStore));
        assert_eq!(
            mdb.display_name.as_deref(),
            Some("Microsoft Exchange Message Store")
        );
        assert_eq!(mdb.service.as_deref(), Some("MSEMS"));
        let acme = svc
            .providers
            .iter()
            .find(|p| p.dll == "acmearc32.dll")
            .expect("acme");
        assert_eq!(acme.kind, Some(ProviderKind::MessageStore));
        assert_eq!(acme.service_name.as_deref(), Some("Acme Archive"));
        let xp = svc
            .providers
            .iter()
            .find(|p| p.section == "EMS_RXP")
            .expect("EMS_RXP");
        assert_eq!(
            (xp.dll.as_str(), xp.kind),
            ("emsui32.dll", Some(ProviderKind::Transport))
        );
    }

    #[test]
    fn malformed_lines_are_reported_with_file_and_line_and_skipped() {
        let file = fixture("malformed.inf");
        let svc = read(&file).expect("fixture");
        let lines: Vec<usize> = svc.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![2, 8, 11, 14, 19], "{:#?}", svc.warnings);
        let first = svc.warnings[0].to_string();
        assert!(
            first.starts_with(&format!("{}:2: ", file.display())),
            "{first}"
        );
        assert!(first.contains("before the first [section]"), "{first}");
        // The good provider sections around the bad lines still count.
        let dlls: Vec<&str> = svc.providers.iter().map(|p| p.dll.as_str()).collect();
        assert_eq!(dlls, vec!["good32.dll", "weird32.dll"]);
        assert_eq!(
            svc.providers[1].kind, None,
            "unknown resource type kept, no kind"
        );
    }

    #[test]
    fn ansi_and_utf16_files_decode() {
        assert_eq!(decode(b"PR_DISPLAY_NAME=Caf\xe9"), "PR_DISPLAY_NAME=Café");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("[A]".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16), "[A]");
        assert_eq!(decode(b"\xEF\xBB\xBF[A]"), "[A]");
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let e = read(Path::new("/nonexistent/MAPISVC.INF")).expect_err("missing");
        assert!(e.to_string().contains("/nonexistent/MAPISVC.INF"), "{e}");
    }
}
