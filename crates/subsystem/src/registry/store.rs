//! The registry as the product needs it: the [`RegistryStore`] trait (open
//! or create a key, read a value with its type, write, delete, enumerate),
//! the two hives it touches ([`Hive`]), the errors every store reports
//! ([`StoreError`], naming hive, key and value), the batch of checked
//! changes a write is made of ([`Change`]), and the choice of store from
//! `--registry windows|file:PATH|memory` ([`StoreSpec`]).
//!
//! Three stores implement the trait: `crate::registry::windows` (the real
//! registry, Windows only), [`crate::registry::file`] (a regedit `.reg` file,
//! the default elsewhere) and [`crate::registry::memory`] (tests, with
//! injectable failures). Key and value names are case-insensitive, as in
//! the Windows registry.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::RegistryData;

/// A registry root key the product reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Hive {
    /// `HKEY_CURRENT_USER`: the per-user policy and per-user add-ins.
    #[serde(rename = "HKEY_CURRENT_USER")]
    CurrentUser,
    /// `HKEY_LOCAL_MACHINE`: per-machine add-ins (and their `WOW6432Node`
    /// copy for 32-bit Office on 64-bit Windows).
    #[serde(rename = "HKEY_LOCAL_MACHINE")]
    LocalMachine,
}

impl Hive {
    /// Both hives.
    pub const ALL: [Hive; 2] = [Hive::CurrentUser, Hive::LocalMachine];

    /// The root key's name as regedit writes it: `HKEY_CURRENT_USER`.
    pub fn name(self) -> &'static str {
        match self {
            Hive::CurrentUser => "HKEY_CURRENT_USER",
            Hive::LocalMachine => "HKEY_LOCAL_MACHINE",
        }
    }

    /// The short name: `HKCU`, `HKLM`.
    pub fn short_name(self) -> &'static str {
        match self {
            Hive::CurrentUser => "HKCU",
            Hive::LocalMachine => "HKLM",
        }
    }

    /// The hive for a root name, full or short, any case.
    pub fn from_root(root: &str) -> Option<Hive> {
        match root.to_ascii_uppercase().as_str() {
            "HKEY_CURRENT_USER" | "HKCU" => Some(Hive::CurrentUser),
            "HKEY_LOCAL_MACHINE" | "HKLM" => Some(Hive::LocalMachine),
            _ => None,
        }
    }

    /// Split a full path `HKEY_CURRENT_USER\Software\X` into hive and key
    /// (normalized, see [`normalize_key`]).
    pub fn split_path(full: &str) -> Option<(Hive, String)> {
        let full = normalize_key(full);
        let (root, rest) = full.split_once('\\').unwrap_or((full.as_str(), ""));
        Hive::from_root(root).map(|h| (h, rest.to_string()))
    }

    /// `HKEY_CURRENT_USER\key` (the hive alone for an empty key).
    pub fn full_path(self, key: &str) -> String {
        let key = normalize_key(key);
        if key.is_empty() {
            self.name().to_string()
        } else {
            format!("{}\\{key}", self.name())
        }
    }
}

impl fmt::Display for Hive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a string is not a hive.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a hive: use hkcu or hklm")]
pub struct ParseHiveError(pub String);

impl FromStr for Hive {
    type Err = ParseHiveError;

    /// Accepts `hkcu`, `hklm`, `HKEY_CURRENT_USER`, `HKEY_LOCAL_MACHINE`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Hive::from_root(s.trim()).ok_or_else(|| ParseHiveError(s.to_string()))
    }
}

/// A key path with single backslashes and none at either end:
/// `Software\\X\\` becomes `Software\X`.
pub fn normalize_key(key: &str) -> String {
    key.split('\\')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\\")
}

/// Where in the registry: hive, key, and the value when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// The hive.
    pub hive: Hive,
    /// The key below the hive, `Software\Policies\…\Shutdown`.
    pub key: String,
    /// The value's name, `None` for the key itself.
    pub value: Option<String>,
}

impl Location {
    /// The key itself.
    pub fn key(hive: Hive, key: &str) -> Self {
        Location {
            hive,
            key: normalize_key(key),
            value: None,
        }
    }

    /// A value of a key.
    pub fn value(hive: Hive, key: &str, value: &str) -> Self {
        Location {
            hive,
            key: normalize_key(key),
            value: Some(value.to_string()),
        }
    }

    /// `HKEY_CURRENT_USER\key`, without the value.
    pub fn full_key(&self) -> String {
        self.hive.full_path(&self.key)
    }
}

impl fmt::Display for Location {
    /// `HKEY_CURRENT_USER\Software\X value "Name"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full_key())?;
        if let Some(v) = &self.value {
            write!(f, " value \"{v}\"")?;
        }
        Ok(())
    }
}

/// Reading or writing, for [`StoreError::AccessDenied`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operation {
    /// Opening a key or reading a value.
    Read,
    /// Creating a key, writing or deleting a value.
    Write,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Read => "reading",
            Operation::Write => "writing",
        })
    }
}

/// Data as shown in messages: the typed data, or `not configured` (absent).
pub fn show_data(data: Option<&RegistryData>) -> String {
    match data {
        Some(d) => d.to_string(),
        None => "not configured (absent)".to_string(),
    }
}

/// What went wrong in a store, always saying where.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The registry (or the store file's permissions) refused access.
    #[error("access denied {op} {at}")]
    AccessDenied {
        /// Where.
        at: Location,
        /// Reading or writing.
        op: Operation,
    },
    /// The key does not exist (for operations that need it to).
    #[error("{at}: not found")]
    NotFound {
        /// Where.
        at: Location,
    },
    /// A value changed between the moment it was read (for display) and
    /// the write: nothing was written.
    #[error(
        "{at} changed since it was read: it was {}, it is now {}; nothing was written",
        show_data(.expected.as_ref()),
        show_data(.found.as_ref())
    )]
    ConcurrentChange {
        /// Where.
        at: Location,
        /// What the caller read and showed.
        expected: Option<RegistryData>,
        /// What the store holds now.
        found: Option<RegistryData>,
    },
    /// A file operation failed (the `.reg` store file, its lock).
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done: `reading`, `writing`, `locking`.
        action: &'static str,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A `.reg` or `Registry.pol` file is larger than any export of these keys could be
    /// (see [`crate::registry::regfile::MAX_REG_FILE_BYTES`]); it was not
    /// read whole.
    #[error(
        "{}: the file is {bytes} bytes, larger than any export of these settings \
         ({limit} bytes at most): not read; is it the right file?",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (at least this many when its size was not
        /// known beforehand).
        bytes: u64,
        /// The limit, bytes.
        limit: u64,
    },
    /// A `.reg` file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong on that line.
        message: String,
    },
    /// A binary file (a Group Policy `Registry.pol`) is malformed.
    #[error("{}: at byte offset {offset} (0x{offset:x}): {message}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Where, in bytes from the start of the file.
        offset: u64,
        /// What is wrong there.
        message: String,
    },
    /// Any other error the operating system's registry returned.
    #[error("{op} {at}: {message} (error 0x{code:08x})")]
    Os {
        /// Where.
        at: Location,
        /// Reading or writing.
        op: Operation,
        /// The HRESULT (or Win32 error) code.
        code: u32,
        /// The system's message.
        message: String,
    },
    /// A batch failed part-way and undoing the part already written failed
    /// too: the registry holds a mix of old and new values.
    #[error("{error}; restoring the values already written failed too: {rollback}")]
    RollbackFailed {
        /// The error that stopped the batch.
        error: Box<StoreError>,
        /// The error that stopped the rollback.
        rollback: Box<StoreError>,
    },
    /// The store cannot be used here (the Windows registry off Windows, no
    /// config directory for the default file store).
    #[error("{0}")]
    Unavailable(String),
}

impl StoreError {
    /// True for [`StoreError::AccessDenied`] (also inside a failed rollback).
    pub fn is_access_denied(&self) -> bool {
        match self {
            StoreError::AccessDenied { .. } => true,
            StoreError::RollbackFailed { error, .. } => error.is_access_denied(),
            _ => false,
        }
    }
}

/// What a write expects to find before it writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Write whatever is there.
    Anything,
    /// Write only if the value is exactly this (`None`: absent); else
    /// [`StoreError::ConcurrentChange`] and nothing is written.
    Exactly(Option<RegistryData>),
}

/// One value to write or delete, as part of a batch ([`RegistryStore::apply`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The hive.
    pub hive: Hive,
    /// The key.
    pub key: String,
    /// The value's name.
    pub value: String,
    /// What must be there now.
    pub expect: Expect,
    /// The new data; `None` deletes the value.
    pub new: Option<RegistryData>,
    /// Create the key when it does not exist (the policy key); when false a
    /// missing key is [`StoreError::NotFound`] (an add-in's key).
    pub create_key: bool,
}

impl Change {
    /// Where the change writes.
    pub fn location(&self) -> Location {
        Location::value(self.hive, &self.key, &self.value)
    }
}

/// The registry operations the product needs. Names are case-insensitive;
/// keys are paths below the hive, without leading or trailing backslash.
pub trait RegistryStore: Send + Sync {
    /// Which store this is, for the UI and the trace: `windows`,
    /// `file:/path/registry.reg`, `memory`.
    fn describe(&self) -> String;

    /// Whether the key exists (opening it succeeds).
    fn key_exists(&self, hive: Hive, key: &str) -> Result<bool, StoreError>;

    /// The names of the key's direct subkeys, sorted case-insensitively;
    /// [`StoreError::NotFound`] when the key does not exist.
    fn subkeys(&self, hive: Hive, key: &str) -> Result<Vec<String>, StoreError>;

    /// The key's values with their data, sorted by name case-insensitively;
    /// [`StoreError::NotFound`] when the key does not exist.
    fn values(&self, hive: Hive, key: &str) -> Result<Vec<(String, RegistryData)>, StoreError>;

    /// One value with its type; `None` when the value or its key is absent.
    fn read_value(
        &self,
        hive: Hive,
        key: &str,
        name: &str,
    ) -> Result<Option<RegistryData>, StoreError>;

    /// Create the key (and its parents); nothing happens if it exists.
    fn create_key(&self, hive: Hive, key: &str) -> Result<(), StoreError>;

    /// Write a value of any type; [`StoreError::NotFound`] when the key
    /// does not exist.
    fn set_value(
        &self,
        hive: Hive,
        key: &str,
        name: &str,
        data: &RegistryData,
    ) -> Result<(), StoreError>;

    /// Write a `REG_DWORD`.
    fn set_dword(&self, hive: Hive, key: &str, name: &str, value: u32) -> Result<(), StoreError> {
        self.set_value(hive, key, name, &RegistryData::Dword(value))
    }

    /// Delete a value; `Ok(false)` when it (or its key) did not exist.
    fn delete_value(&self, hive: Hive, key: &str, name: &str) -> Result<bool, StoreError>;

    /// Delete the key when it exists and is empty (no value, no subkey):
    /// what undo does to a key that a change created; `Ok(false)` when
    /// it is absent or not empty (then it is left alone).
    fn delete_empty_key(&self, hive: Hive, key: &str) -> Result<bool, StoreError>;

    /// Apply a batch of changes, all or nothing: every expectation is
    /// checked first ([`StoreError::ConcurrentChange`], nothing written),
    /// then every change is written. The file and memory stores do this
    /// atomically under their lock; the default (the Windows registry)
    /// restores the values already written when a later write fails.
    fn apply(&self, changes: &[Change]) -> Result<(), StoreError> {
        apply_with_rollback(self, changes)
    }
}

/// The default [`RegistryStore::apply`]: check every expectation and key,
/// then write one by one; when a write fails, put back the values written
/// so far (keys created on the way stay, empty).
pub fn apply_with_rollback<S: RegistryStore + ?Sized>(
    store: &S,
    changes: &[Change],
) -> Result<(), StoreError> {
    let mut previous = Vec::with_capacity(changes.len());
    for c in changes {
        let current = store.read_value(c.hive, &c.key, &c.value)?;
        if let Expect::Exactly(expected) = &c.expect
            && *expected != current
        {
            return Err(StoreError::ConcurrentChange {
                at: c.location(),
                expected: expected.clone(),
                found: current,
            });
        }
        if !c.create_key && !store.key_exists(c.hive, &c.key)? {
            return Err(StoreError::NotFound {
                at: Location::key(c.hive, &c.key),
            });
        }
        previous.push(current);
    }
    for (i, c) in changes.iter().enumerate() {
        if let Err(error) = write_one(store, c, c.new.as_ref()) {
            for (done, old) in changes[..i].iter().zip(&previous).rev() {
                if let Err(rollback) = write_one(store, done, old.as_ref()) {
                    return Err(StoreError::RollbackFailed {
                        error: Box::new(error),
                        rollback: Box::new(rollback),
                    });
                }
            }
            return Err(error);
        }
    }
    Ok(())
}

fn write_one<S: RegistryStore + ?Sized>(
    store: &S,
    c: &Change,
    data: Option<&RegistryData>,
) -> Result<(), StoreError> {
    match data {
        Some(d) => {
            if c.create_key {
                store.create_key(c.hive, &c.key)?;
            }
            store.set_value(c.hive, &c.key, &c.value, d)
        }
        None => store.delete_value(c.hive, &c.key, &c.value).map(|_| ()),
    }
}

/// Which store `--registry` / `MAPI_SHUTDOWN_REGISTRY` chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreSpec {
    /// The Windows registry (`windows`).
    Windows,
    /// A regedit `.reg` file (`file:PATH`; `file` alone: the default path).
    File(PathBuf),
    /// An empty in-memory registry for this process (`memory`).
    Memory,
}

/// Why a `--registry` value is not a store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// Not one of the forms.
    #[error("`{0}` is not a registry store: use windows, file:PATH or memory")]
    Unknown(String),
    /// `file:` with nothing after it.
    #[error("`file:` needs a path: file:/path/to/registry.reg")]
    EmptyPath,
    /// `file` alone, and no config directory to put the default file in.
    #[error(
        "no config directory for the default registry file (is HOME set?): use --registry file:PATH"
    )]
    NoConfigDir,
}

impl StoreSpec {
    /// Parse `windows`, `memory`, `file:PATH`, or `file` (the default file).
    pub fn parse(spec: &str) -> Result<StoreSpec, SpecError> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("windows") {
            Ok(StoreSpec::Windows)
        } else if spec.eq_ignore_ascii_case("memory") {
            Ok(StoreSpec::Memory)
        } else if spec.eq_ignore_ascii_case("file") {
            default_file_path()
                .map(StoreSpec::File)
                .ok_or(SpecError::NoConfigDir)
        } else if let Some(path) = spec.strip_prefix("file:") {
            if path.is_empty() {
                Err(SpecError::EmptyPath)
            } else {
                Ok(StoreSpec::File(PathBuf::from(path)))
            }
        } else {
            Err(SpecError::Unknown(spec.to_string()))
        }
    }

    /// The store when `--registry` is not given: `windows` on Windows, the
    /// default file ([`default_file_path`]) elsewhere.
    pub fn platform_default() -> Result<StoreSpec, SpecError> {
        if cfg!(windows) {
            Ok(StoreSpec::Windows)
        } else {
            default_file_path()
                .map(StoreSpec::File)
                .ok_or(SpecError::NoConfigDir)
        }
    }

    /// `spec` when given, else [`StoreSpec::platform_default`].
    pub fn from_option(spec: Option<&str>) -> Result<StoreSpec, SpecError> {
        match spec {
            Some(s) => StoreSpec::parse(s),
            None => StoreSpec::platform_default(),
        }
    }

    /// The store's [`RegistryStore::describe`] string, without opening it.
    pub fn describe(&self) -> String {
        match self {
            StoreSpec::Windows => "windows".to_string(),
            StoreSpec::File(p) => format!("file:{}", p.display()),
            StoreSpec::Memory => "memory".to_string(),
        }
    }

    /// Open the store. Opening reads nothing: a missing or malformed file
    /// is reported by the first operation.
    pub fn open(&self) -> Result<Box<dyn RegistryStore>, StoreError> {
        match self {
            StoreSpec::Windows => open_windows(),
            StoreSpec::File(p) => Ok(Box::new(super::file::FileStore::new(p.clone()))),
            StoreSpec::Memory => Ok(Box::new(super::memory::MemoryStore::new())),
        }
    }
}

impl fmt::Display for StoreSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(windows)]
fn open_windows() -> Result<Box<dyn RegistryStore>, StoreError> {
    Ok(Box::new(super::windows::WindowsStore::new()))
}

#[cfg(not(windows))]
fn open_windows() -> Result<Box<dyn RegistryStore>, StoreError> {
    Err(StoreError::Unavailable(
        "the windows registry store exists only on Windows: use --registry file:PATH or memory"
            .to_string(),
    ))
}

/// The application's directories (`directories::ProjectDirs` for
/// `mapi-shutdown`), `None` without a home directory.
fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "mapi-shutdown")
}

/// The default file store: `registry.reg` in the platform config dir
/// (`~/.config/mapi-shutdown/registry.reg` on Linux).
pub fn default_file_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("registry.reg"))
}

/// The environment variable that overrides the data directory (backups).
pub const DATA_DIR_ENV: &str = "MAPI_SHUTDOWN_DATA_DIR";

/// The data directory: `MAPI_SHUTDOWN_DATA_DIR` when set, else the platform
/// data dir (`~/.local/share/mapi-shutdown` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => project_dirs().map(|d| d.data_dir().to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hive_names() {
        assert_eq!("hkcu".parse::<Hive>(), Ok(Hive::CurrentUser));
        assert_eq!("HKEY_LOCAL_MACHINE".parse::<Hive>(), Ok(Hive::LocalMachine));
        assert!("HKCR".parse::<Hive>().is_err());
        assert_eq!(
            Hive::split_path(r"HKEY_CURRENT_USER\Software\\X\"),
            Some((Hive::CurrentUser, r"Software\X".to_string()))
        );
        assert_eq!(Hive::LocalMachine.full_path(""), "HKEY_LOCAL_MACHINE");
        assert_eq!(Hive::split_path(r"HKEY_USERS\x"), None);
    }

    #[test]
    fn location_display() {
        let at = Location::value(Hive::CurrentUser, r"Software\X\", "Name");
        assert_eq!(
            at.to_string(),
            r#"HKEY_CURRENT_USER\Software\X value "Name""#
        );
    }

    #[test]
    fn specs() {
        assert_eq!(StoreSpec::parse("memory"), Ok(StoreSpec::Memory));
        assert_eq!(StoreSpec::parse("Windows"), Ok(StoreSpec::Windows));
        assert_eq!(
            StoreSpec::parse("file:/tmp/r.reg"),
            Ok(StoreSpec::File(PathBuf::from("/tmp/r.reg")))
        );
        assert_eq!(StoreSpec::parse("file:"), Err(SpecError::EmptyPath));
        assert!(matches!(
            StoreSpec::parse("registry"),
            Err(SpecError::Unknown(_))
        ));
        assert_eq!(
            StoreSpec::File(PathBuf::from("/tmp/r.reg")).describe(),
            "file:/tmp/r.reg"
        );
    }

    #[cfg(not(windows))]
    #[test]
    fn windows_store_is_unavailable_elsewhere() {
        let err = StoreSpec::Windows.open().err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("only on Windows")));
    }
}
