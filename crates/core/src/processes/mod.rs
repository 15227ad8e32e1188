//! The process view's scanner: which processes have a MAPI subsystem
//! loaded, and which MAPI providers each has loaded (docs/processes.md).
//!
//! The OS-facing parts sit behind two traits so that tests (and the GUI's
//! tests) inject fake process and module lists: [`ProcessSource`] (the
//! process list; [`system::SysinfoSource`] on every OS) and
//! [`ModuleLister`] (the files loaded into one process;
//! [`linux::ProcMapsLister`] reads `/proc/PID/maps`, which also shows the
//! PE DLLs of Wine processes, and [`windows::ToolhelpLister`] takes a
//! Toolhelp32 module snapshot). A process whose modules cannot be read is
//! kept with the reason ([`ModulesError`], "access denied"), never skipped
//! silently. [`Scanner::scan`] puts them together with the provider
//! [`catalog`] (extended by [`mapisvc`]) and what instrumented clients
//! declared in their trace ([`InstrumentedClient`]).

pub mod catalog;
#[cfg(target_os = "linux")]
pub mod linux;
pub mod mapisvc;
pub mod maps;
pub mod system;
#[cfg(windows)]
pub mod windows;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::i18n::text::Text;
use crate::mapi::ProviderKind;
use crate::trace::ProviderDecl;

pub use catalog::{Catalog, CatalogEntry, Role, is_subsystem_dll};

/// One process, as the OS lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessInfo {
    /// Process id.
    pub pid: u32,
    /// The executable's file name (`OUTLOOK.EXE`); for a Wine process on
    /// Linux the Windows executable from its command line, not the
    /// loader's name ([`system::wine_windows_exe`]).
    pub name: String,
    /// The executable's full path, when the OS says (a Windows path for a
    /// Wine process).
    pub path: Option<String>,
    /// The account the process runs as, when known.
    pub user: Option<String>,
    /// Start time, seconds since the Unix epoch (0 when unknown).
    pub start_time: u64,
    /// Resident memory (working set on Windows), bytes.
    pub memory: u64,
    /// Whether this is a Wine process seen from Linux.
    pub wine: bool,
}

/// A file loaded (mapped) into a process.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Module {
    /// The file name as the OS reports it (`olmapi32.dll`, `OLMAPI32.DLL`).
    pub name: String,
    /// Its full path.
    pub path: String,
}

/// Why the modules of one process could not be listed. Displayed as
/// `access denied`, `process exited`, or the OS error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModulesError {
    /// The OS refused (another user's process as non-root on Linux; a
    /// protected or elevated process as a standard user on Windows).
    #[error("access denied")]
    AccessDenied,
    /// The process exited between the process list and the module list.
    #[error("process exited")]
    Gone,
    /// Anything else, with the OS's words.
    #[error("{0}")]
    Other(String),
}

impl ModulesError {
    /// The error for an I/O error reading a process's modules.
    pub fn from_io(e: &std::io::Error) -> ModulesError {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => ModulesError::AccessDenied,
            std::io::ErrorKind::NotFound => ModulesError::Gone,
            // ESRCH: the process died while its maps were read.
            _ if e.raw_os_error() == Some(3) && cfg!(unix) => ModulesError::Gone,
            _ => ModulesError::Other(e.to_string()),
        }
    }

    /// The reason in the language in force (the `Display` text stays
    /// English for JSON and reports; an OS error keeps the OS's words).
    pub fn localized(&self) -> String {
        match self {
            ModulesError::AccessDenied => crate::tr!("processes-access-denied"),
            ModulesError::Gone => crate::tr!("processes-exited"),
            ModulesError::Other(e) => e.clone(),
        }
    }
}

/// The process list (sysinfo on a real system, a vector in tests).
pub trait ProcessSource: Send {
    /// Every process now, in any order.
    ///
    /// # Errors
    /// [`ScanError::Processes`] when the list cannot be taken at all.
    fn processes(&mut self) -> Result<Vec<ProcessInfo>, ScanError>;
}

/// The modules loaded into a process (one implementation per OS, fakes in
/// tests).
pub trait ModuleLister: Send + Sync {
    /// The files loaded into `pid`, each once, in load (address) order.
    ///
    /// # Errors
    /// [`ModulesError`] for this process only: the scan goes on.
    fn modules(&self, pid: u32) -> Result<Vec<Module>, ModulesError>;

    /// The file version of a module (`16.0.17928.20114`), where readable.
    /// Default: unknown.
    fn file_version(&self, _path: &str) -> Option<String> {
        None
    }
}

impl<T: ProcessSource + ?Sized> ProcessSource for Box<T> {
    fn processes(&mut self) -> Result<Vec<ProcessInfo>, ScanError> {
        (**self).processes()
    }
}

impl<T: ModuleLister + ?Sized> ModuleLister for Box<T> {
    fn modules(&self, pid: u32) -> Result<Vec<Module>, ModulesError> {
        (**self).modules(pid)
    }
    fn file_version(&self, path: &str) -> Option<String> {
        (**self).file_version(path)
    }
}

/// A fixed process list, for tests and benchmarks.
#[derive(Clone, Debug, Default)]
pub struct FixedProcesses(pub Vec<ProcessInfo>);

impl ProcessSource for FixedProcesses {
    fn processes(&mut self) -> Result<Vec<ProcessInfo>, ScanError> {
        Ok(self.0.clone())
    }
}

/// Fixed module lists per pid, for tests: a pid not in the map has
/// exited ([`ModulesError::Gone`]).
#[derive(Clone, Debug, Default)]
pub struct FixedModules {
    /// pid -> its modules or the error to report.
    pub modules: BTreeMap<u32, Result<Vec<Module>, ModulesError>>,
    /// path -> file version.
    pub versions: BTreeMap<String, String>,
}

impl ModuleLister for FixedModules {
    fn modules(&self, pid: u32) -> Result<Vec<Module>, ModulesError> {
        self.modules
            .get(&pid)
            .cloned()
            .unwrap_or(Err(ModulesError::Gone))
    }
    fn file_version(&self, path: &str) -> Option<String> {
        self.versions.get(path).cloned()
    }
}

/// The module lister of this OS: `/proc/PID/maps` on Linux, Toolhelp32 on
/// Windows; elsewhere every process reports [`ModulesError::Other`].
pub fn os_module_lister() -> Box<dyn ModuleLister> {
    #[cfg(target_os = "linux")]
    {
        Box::new(linux::ProcMapsLister)
    }
    #[cfg(windows)]
    {
        Box::new(windows::ToolhelpLister)
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    {
        Box::new(Unsupported)
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
struct Unsupported;

#[cfg(not(any(target_os = "linux", windows)))]
impl ModuleLister for Unsupported {
    fn modules(&self, _pid: u32) -> Result<Vec<Module>, ModulesError> {
        Err(ModulesError::Other(
            "listing modules is not supported on this OS".to_owned(),
        ))
    }
}

/// A scan failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The process list could not be taken.
    #[error("cannot list processes: {0}")]
    Processes(String),
    /// The builtin catalog is broken (a bug).
    #[error(transparent)]
    Catalog(#[from] catalog::CatalogError),
    /// The `MAPISVC.INF` given explicitly (`--mapisvc`) cannot be read.
    #[error(transparent)]
    MapiSvc(#[from] mapisvc::InfReadError),
}

impl ScanError {
    /// The error in the language in force (`Display` stays English).
    pub fn localized(&self) -> String {
        match self {
            ScanError::Processes(e) => crate::tr!("processes-cannot-list", error = e.as_str()),
            // A bug: developers' words.
            ScanError::Catalog(e) => e.to_string(),
            ScanError::MapiSvc(e) => e.text().to_string(),
        }
    }
}

/// A number shown with exactly `digits` decimals, as a [`tr!`](crate::tr)
/// argument (`1.5`, `2.0`; French writes `1,5`): sizes and durations.
pub fn decimal(value: f64, digits: usize) -> crate::i18n::FluentValue<'static> {
    use fluent_bundle::types::{FluentNumber, FluentNumberOptions};
    let scale = 10f64.powi(i32::try_from(digits).unwrap_or(0));
    let rounded = (value * scale).round() / scale;
    let options = FluentNumberOptions {
        minimum_fraction_digits: (digits > 0).then_some(digits),
        maximum_fraction_digits: Some(digits),
        ..FluentNumberOptions::default()
    };
    crate::i18n::FluentValue::Number(FluentNumber::new(rounded, options))
}

/// A problem that did not stop a scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanWarning {
    /// A malformed line of a `MAPISVC.INF`.
    Inf(mapisvc::InfWarning),
    /// An automatically found `MAPISVC.INF` could not be read.
    Unreadable {
        /// The file.
        file: PathBuf,
        /// The OS's error.
        error: String,
    },
}

impl ScanWarning {
    /// The warning as a text (render it at the edge).
    pub fn text(&self) -> Text {
        match self {
            ScanWarning::Inf(w) => w.text(),
            ScanWarning::Unreadable { file, error } => Text::new("processes-inf-cannot-read")
                .str("file", file.display())
                .str("error", error),
        }
    }
}

/// English, whatever the language (reports, logs).
impl fmt::Display for ScanWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().render(crate::i18n::Lang::En))
    }
}

/// A provider an instrumented client declared in its trace (`provider`
/// records, [`ProviderDecl`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeclaredProvider {
    /// The DLL it declared, e.g. `emsmdb32.dll`.
    pub dll: String,
    /// Its display name.
    pub name: String,
    /// Its kind.
    pub kind: ProviderKind,
}

/// A client connected to (or recorded by) the monitor, as the monitor's
/// store knows it: its pid and the providers its trace declared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InstrumentedClient {
    /// Its pid (`hello`, else the OS's peer pid).
    pub pid: u32,
    /// Its executable, from `hello`.
    pub exe: Option<String>,
    /// The providers it declared, in load order.
    pub providers: Vec<DeclaredProvider>,
}

impl InstrumentedClient {
    /// From a trace's provider declarations (`monitor::Entry::pid()`,
    /// `entry.trace.providers`).
    pub fn from_decls(pid: u32, exe: Option<String>, decls: &[ProviderDecl]) -> Self {
        InstrumentedClient {
            pid,
            exe,
            providers: decls
                .iter()
                .map(|d| DeclaredProvider {
                    dll: d.dll.clone(),
                    name: d.name.clone(),
                    kind: d.kind,
                })
                .collect(),
        }
    }
}

/// The subsystem DLL a MAPI process has loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubsystemInfo {
    /// Its file name as loaded (`olmapi32.dll`).
    pub dll: String,
    /// Its full path.
    pub path: String,
    /// Its file version, where readable (Windows).
    pub version: Option<String>,
    /// Whether the System32 stub `mapi32.dll` is loaded too (or is the
    /// subsystem shown).
    pub stub_loaded: bool,
}

/// What the OS and the client's trace disagree on about one provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Difference {
    /// Loaded in the process, but the instrumented client did not declare
    /// it (a provider outside the instrumented subsystem, or another
    /// session).
    LoadedNotDeclared,
    /// Declared in the trace, but no such DLL is loaded (a provider linked
    /// into the client, or a wrong DLL name in the declaration).
    DeclaredNotLoaded,
}

impl Difference {
    /// A sentence for people, in English whatever the language (reports;
    /// [`localized`](Self::localized) for the window and the CLI).
    pub fn describe(self) -> &'static str {
        match self {
            Difference::LoadedNotDeclared => "loaded, not declared by the client",
            Difference::DeclaredNotLoaded => "declared by the client, not loaded",
        }
    }

    /// [`describe`](Self::describe) in the language in force.
    pub fn localized(self) -> String {
        match self {
            Difference::LoadedNotDeclared => crate::tr!("processes-loaded-not-declared"),
            Difference::DeclaredNotLoaded => crate::tr!("processes-declared-not-loaded"),
        }
    }
}

/// One provider of a MAPI process: a loaded DLL the catalog knows as a
/// provider, and/or a provider the instrumented client declared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProviderRow {
    /// The DLL's file name, lower case.
    pub dll: String,
    /// Where it is loaded from (`None`: declared only).
    pub path: Option<String>,
    /// Its kinds, in call order (the catalog's, else the declared ones).
    pub kinds: Vec<ProviderKind>,
    /// A short name (the catalog's title, else the declared name).
    pub name: String,
    /// What it is (the catalog's description), when known.
    pub description: Option<String>,
    /// Whether the OS lists it as loaded.
    pub loaded: bool,
    /// What the instrumented client declared for this DLL.
    pub declared: Vec<DeclaredProvider>,
    /// The disagreement, when the client declared providers and the
    /// modules were readable.
    pub difference: Option<Difference>,
}

/// One process after a scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessEntry {
    /// What the OS says about it.
    pub info: ProcessInfo,
    /// Its modules, or why they could not be read.
    pub modules: Result<Vec<Module>, ModulesError>,
    /// The subsystem it has loaded, if any.
    pub subsystem: Option<SubsystemInfo>,
    /// Its providers (loaded catalog providers and declared ones), in
    /// call order of their first kind, then by DLL name.
    pub providers: Vec<ProviderRow>,
    /// Whether it is connected to (or recorded by) the monitor.
    pub instrumented: bool,
}

impl ProcessEntry {
    /// A MAPI process: a subsystem DLL loaded, or instrumented.
    pub fn is_mapi(&self) -> bool {
        self.subsystem.is_some() || self.instrumented
    }

    /// The modules, empty when they could not be read.
    pub fn module_list(&self) -> &[Module] {
        self.modules.as_deref().unwrap_or(&[])
    }

    /// Why the modules could not be read, if so.
    pub fn modules_error(&self) -> Option<&ModulesError> {
        self.modules.as_ref().err()
    }

    /// The loaded modules named `name` (file name, case-insensitive; `.dll`
    /// may be left off): Process Explorer's "Find DLL".
    pub fn find_dll(&self, name: &str) -> Vec<&Module> {
        let with_dll = format!("{name}.dll");
        self.module_list()
            .iter()
            .filter(|m| m.name.eq_ignore_ascii_case(name) || m.name.eq_ignore_ascii_case(&with_dll))
            .collect()
    }

    /// Providers by kind: (transport, address book, message store); a
    /// provider with several kinds counts in each.
    pub fn provider_counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for p in &self.providers {
            for (i, kind) in ProviderKind::ALL.iter().enumerate() {
                if p.kinds.contains(kind) {
                    counts[i] += 1;
                }
            }
        }
        counts
    }

    /// Whether the OS and the client's declarations disagree.
    pub fn has_differences(&self) -> bool {
        self.providers.iter().any(|p| p.difference.is_some())
    }
}

/// Which `MAPISVC.INF` extends the catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum MapiSvcChoice {
    /// Next to each MAPI process's subsystem DLL, else in System32.
    #[default]
    Auto,
    /// This file (`--mapisvc PATH`); unreadable is an error.
    File(PathBuf),
    /// None: the builtin catalog only.
    Off,
}

/// How [`Scanner::scan`] works.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Which `MAPISVC.INF` to read.
    pub mapisvc: MapiSvcChoice,
    /// System32, for [`MapiSvcChoice::Auto`] (default:
    /// [`default_system32`]).
    pub system32: Option<PathBuf>,
}

/// `%SystemRoot%\System32` on Windows; `None` elsewhere.
pub fn default_system32() -> Option<PathBuf> {
    if cfg!(windows) {
        let root = std::env::var_os("SystemRoot").unwrap_or_else(|| r"C:\Windows".into());
        Some(PathBuf::from(root).join("System32"))
    } else {
        None
    }
}

/// One scan's result.
#[derive(Clone, Debug)]
pub struct Scan {
    /// Every process, by pid.
    pub processes: Vec<ProcessEntry>,
    /// The catalog used (builtin + `MAPISVC.INF` files).
    pub catalog: Catalog,
    /// The `MAPISVC.INF` files read.
    pub mapisvc_files: Vec<PathBuf>,
    /// Problems that did not stop the scan: malformed `MAPISVC.INF` lines
    /// (file:line: why), unreadable auto-found INF files. `Display` is
    /// English; [`ScanWarning::text`] for people.
    pub warnings: Vec<ScanWarning>,
    /// Instrumented clients whose pid is not in the process list (exited,
    /// or in another pid namespace).
    pub unmatched_clients: Vec<u32>,
    /// How long the scan took.
    pub took: Duration,
}

impl Scan {
    /// The MAPI processes.
    pub fn mapi_processes(&self) -> impl Iterator<Item = &ProcessEntry> {
        self.processes.iter().filter(|p| p.is_mapi())
    }

    /// Processes whose modules could not be read, and why.
    pub fn uninspected(&self) -> impl Iterator<Item = (&ProcessEntry, &ModulesError)> {
        self.processes
            .iter()
            .filter_map(|p| p.modules_error().map(|e| (p, e)))
    }

    /// The processes with `dll` loaded ([`ProcessEntry::find_dll`]).
    pub fn find_dll<'a>(&'a self, dll: &'a str) -> impl Iterator<Item = &'a ProcessEntry> + 'a {
        self.processes
            .iter()
            .filter(move |p| !p.find_dll(dll).is_empty())
    }
}

/// The scanner: a process source, a module lister and options. The GUI
/// keeps one and calls [`Scanner::scan`] off the UI thread.
pub struct Scanner {
    source: Box<dyn ProcessSource>,
    lister: Box<dyn ModuleLister>,
    options: ScanOptions,
}

impl fmt::Debug for Scanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scanner")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Scanner {
    /// A scanner over injected parts.
    pub fn new(
        source: Box<dyn ProcessSource>,
        lister: Box<dyn ModuleLister>,
        options: ScanOptions,
    ) -> Scanner {
        Scanner {
            source,
            lister,
            options,
        }
    }

    /// The scanner of this machine: sysinfo and the OS's module lister.
    ///
    /// # Errors
    /// [`ScanError::Processes`] when sysinfo cannot start.
    pub fn system(options: ScanOptions) -> Result<Scanner, ScanError> {
        Ok(Scanner::new(
            Box::new(system::SysinfoSource::new()?),
            os_module_lister(),
            options,
        ))
    }

    /// The options.
    pub fn options(&self) -> &ScanOptions {
        &self.options
    }

    /// Replace the options (e.g. another `MAPISVC.INF`).
    pub fn set_options(&mut self, options: ScanOptions) {
        self.options = options;
    }

    /// List processes and their modules, find the subsystems, read the
    /// `MAPISVC.INF` that applies, and classify every process against the
    /// catalog and the instrumented clients' declarations.
    ///
    /// # Errors
    /// [`ScanError`] when the process list cannot be taken, or the
    /// explicitly chosen `MAPISVC.INF` cannot be read. A process whose
    /// modules cannot be read is not an error: its entry carries the
    /// reason.
    pub fn scan(&mut self, instrumented: &[InstrumentedClient]) -> Result<Scan, ScanError> {
        let started = Instant::now();
        let mut infos = self.source.processes()?;
        infos.sort_by_key(|p| p.pid);
        let lister = &*self.lister;
        let listed: Vec<(ProcessInfo, Result<Vec<Module>, ModulesError>)> = infos
            .into_iter()
            .map(|info| {
                let modules = lister.modules(info.pid);
                (info, modules)
            })
            .collect();

        let mut catalog = Catalog::builtin()?;
        let mut warnings = Vec::new();
        let mut mapisvc_files = Vec::new();
        match &self.options.mapisvc {
            MapiSvcChoice::Off => {}
            MapiSvcChoice::File(file) => {
                let svc = mapisvc::read(file)?;
                warnings.extend(svc.warnings.iter().cloned().map(ScanWarning::Inf));
                catalog.add_mapisvc(&svc);
                mapisvc_files.push(file.clone());
            }
            MapiSvcChoice::Auto => {
                let subsystem_dirs = listed.iter().filter_map(|(_, m)| {
                    let modules = m.as_ref().ok()?;
                    let chosen = choose_subsystem(modules)?;
                    Path::new(&chosen.path).parent().map(Path::to_path_buf)
                });
                for file in find_mapisvc(subsystem_dirs, self.options.system32.as_deref()) {
                    match mapisvc::read(&file) {
                        Ok(svc) => {
                            warnings.extend(svc.warnings.iter().cloned().map(ScanWarning::Inf));
                            catalog.add_mapisvc(&svc);
                            mapisvc_files.push(file);
                        }
                        Err(e) => warnings.push(ScanWarning::Unreadable {
                            file: e.file,
                            error: e.source.to_string(),
                        }),
                    }
                }
            }
        }

        let mut unmatched: Vec<u32> = instrumented.iter().map(|c| c.pid).collect();
        let processes: Vec<ProcessEntry> = listed
            .into_iter()
            .map(|(info, modules)| {
                let client = instrumented.iter().find(|c| c.pid == info.pid);
                if client.is_some() {
                    unmatched.retain(|&p| p != info.pid);
                }
                classify(info, modules, &catalog, client, lister)
            })
            .collect();
        unmatched.sort_unstable();
        unmatched.dedup();
        Ok(Scan {
            processes,
            catalog,
            mapisvc_files,
            warnings,
            unmatched_clients: unmatched,
            took: started.elapsed(),
        })
    }
}

/// The `MAPISVC.INF` files that apply: the one next to each subsystem DLL
/// (each directory once), else the one in `system32` (docs/domain.md: "next to
/// the subsystem DLL, else System32"). Both `MAPISVC.INF` and
/// `mapisvc.inf` are tried (case matters off Windows).
pub fn find_mapisvc(
    subsystem_dirs: impl IntoIterator<Item = PathBuf>,
    system32: Option<&Path>,
) -> Vec<PathBuf> {
    let in_dir = |dir: &Path| {
        ["MAPISVC.INF", "mapisvc.inf", "Mapisvc.inf"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    };
    let mut dirs: Vec<PathBuf> = subsystem_dirs.into_iter().collect();
    dirs.sort();
    dirs.dedup();
    let mut found: Vec<PathBuf> = dirs.iter().filter_map(|d| in_dir(d)).collect();
    if found.is_empty()
        && let Some(file) = system32.and_then(in_dir)
    {
        found.push(file);
    }
    found
}

/// The subsystem among loaded modules: a real subsystem (`olmapi32.dll`,
/// `msmapi32.dll`, `exmapi32.dll`, in that order) before the System32 stub
/// `mapi32.dll`, which only dispatches to one.
pub fn choose_subsystem(modules: &[Module]) -> Option<&Module> {
    ["olmapi32.dll", "msmapi32.dll", "exmapi32.dll", "mapi32.dll"]
        .iter()
        .find_map(|dll| modules.iter().find(|m| m.name.eq_ignore_ascii_case(dll)))
}

/// Classify one process: its subsystem, its providers (loaded DLLs the
/// catalog knows as providers, merged with what an instrumented client
/// declared, with the differences flagged).
pub fn classify(
    info: ProcessInfo,
    modules: Result<Vec<Module>, ModulesError>,
    catalog: &Catalog,
    client: Option<&InstrumentedClient>,
    lister: &dyn ModuleLister,
) -> ProcessEntry {
    let mut providers: Vec<ProviderRow> = Vec::new();
    let mut subsystem = None;
    if let Ok(mods) = &modules
        && let Some(chosen) = choose_subsystem(mods)
    {
        subsystem = Some(SubsystemInfo {
            dll: chosen.name.clone(),
            path: chosen.path.clone(),
            version: lister.file_version(&chosen.path),
            stub_loaded: mods
                .iter()
                .any(|m| m.name.eq_ignore_ascii_case("mapi32.dll")),
        });
    }
    // Providers are looked for only in MAPI processes: a catalog DLL name
    // in a process without a subsystem is not a loaded MAPI provider.
    if (subsystem.is_some() || client.is_some())
        && let Ok(mods) = &modules
    {
        for m in mods {
            let Some(entry) = catalog.get(&m.name) else {
                continue;
            };
            if entry.role != Role::Provider {
                continue;
            }
            let dll = entry.dll.clone();
            if providers.iter().any(|p| p.dll == dll) {
                continue;
            }
            providers.push(ProviderRow {
                dll,
                path: Some(m.path.clone()),
                kinds: entry.kinds.clone(),
                name: entry.title.clone(),
                description: Some(entry.description.clone()),
                loaded: true,
                declared: Vec::new(),
                difference: None,
            });
        }
    }
    if let Some(client) = client {
        for d in &client.providers {
            let dll = d.dll.to_ascii_lowercase();
            match providers.iter_mut().find(|p| p.dll == dll) {
                Some(row) => row.declared.push(d.clone()),
                None => {
                    let entry = catalog.get(&dll);
                    let loaded = modules
                        .as_ref()
                        .ok()
                        .and_then(|mods| mods.iter().find(|m| m.name.eq_ignore_ascii_case(&dll)));
                    providers.push(ProviderRow {
                        dll,
                        path: loaded.map(|m| m.path.clone()),
                        kinds: entry
                            .filter(|e| !e.kinds.is_empty())
                            .map(|e| e.kinds.clone())
                            .unwrap_or_else(|| vec![d.kind]),
                        name: entry.map_or_else(|| d.name.clone(), |e| e.title.clone()),
                        description: entry.map(|e| e.description.clone()),
                        loaded: loaded.is_some(),
                        declared: vec![d.clone()],
                        difference: None,
                    });
                }
            }
        }
        if !client.providers.is_empty() && modules.is_ok() {
            for row in &mut providers {
                row.difference = match (row.loaded, row.declared.is_empty()) {
                    (true, true) => Some(Difference::LoadedNotDeclared),
                    (false, false) => Some(Difference::DeclaredNotLoaded),
                    _ => None,
                };
            }
        }
    }
    providers.sort_by(|a, b| (a.kinds.first(), &a.dll).cmp(&(b.kinds.first(), &b.dll)));
    ProcessEntry {
        info,
        modules,
        subsystem,
        providers,
        instrumented: client.is_some(),
    }
}

/// The file name of a path, with `/` or `\` separators.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests;
