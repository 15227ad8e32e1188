//! Backups taken before every write: the values about to change, as they
//! were, in a timestamped regedit `.reg` file (`"Name"=-` for a value that
//! did not exist) in `<data dir>/backups/` (the platform data dir, or
//! `MAPI_SHUTDOWN_DATA_DIR`). A backup is an ordinary `.reg` file: regedit
//! or `reg import` can restore it too. `;` comment lines after the header
//! record when, which store, which command, and whether the backup was
//! taken by a change, an undo or a redo, which backup an undo or a redo
//! restored (`; restores: ID`), and the keys the write created (`; absent
//! key: KEY`, one line each: they did not exist before, so undo removes
//! them again when they are left empty). `policy undo` restores the newest
//! change (or redo) backup of the current store and renames it
//! `<id>.undone.reg`; `policy redo` restores the newest undo backup not
//! redone yet, until a new change ends that chain.
//!
//! Trust: the directory is created private (Unix: 0700, and refused when
//! it is a symbolic link, another user's, or writable by others:
//! [`crate::trace::files::ensure_private_dir`]); backup files are 0600.
//! "Newest" is the time a backup records (`; created:`), never its file
//! name, and a backup recording a time later than now is never picked by
//! undo (no clock wrote it yet). Whatever a backup holds, undo restores
//! only shutdown settings: [`super::transfer::plan_restore`] classifies
//! its entries as an import does.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::trace::files::{PrivateDirError, check_private_dir, ensure_private_dir};

use serde::Serialize;

use super::RegistryData;
use super::regfile;
use super::store::{Hive, Location, StoreError, data_dir};

/// What took a backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackupKind {
    /// A change (`policy set/unset/import`, `addins set`); `policy undo`
    /// restores these, newest first.
    Change,
    /// `policy undo` itself: what `policy redo` restores; skipped by
    /// `policy undo`.
    Undo,
    /// `policy redo`: undone by `policy undo` like a change, but does not
    /// end the redo chain as a new change does.
    Redo,
}

impl BackupKind {
    fn as_str(self) -> &'static str {
        match self {
            BackupKind::Change => "change",
            BackupKind::Undo => "undo",
            BackupKind::Redo => "redo",
        }
    }
}

/// One saved value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BackupEntry {
    /// Where.
    pub at: Location,
    /// The data before the write; `None`: the value did not exist.
    pub data: Option<RegistryData>,
}

/// One backup file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Backup {
    /// The file name without `.reg` / `.undone.reg`: a UTC timestamp,
    /// `20261120T101500.123Z`, with `-N` when two share a millisecond.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// When, RFC 3339 UTC.
    pub created: String,
    /// The store written (`windows`, `file:PATH`, `memory`).
    pub store: String,
    /// The command that wrote.
    pub command: String,
    /// Change or undo.
    pub kind: BackupKind,
    /// Already restored by `policy undo`.
    pub undone: bool,
    /// The values as they were.
    pub entries: Vec<BackupEntry>,
    /// Keys of the file whose hive this product does not write
    /// (`HKEY_USERS\…`, `HKEY_CLASSES_ROOT\…`): never restored, listed by
    /// undo as refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_keys: Vec<String>,
    /// The keys (with their hive) that did not exist before the write and
    /// that it created: undo removes each again when it is left empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent_keys: Vec<String>,
    /// For an undo or a redo: the id of the backup it restored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restores: Option<String>,
}

/// What a new backup records besides the values ([`BackupDir::save`]).
#[derive(Clone, Copy, Debug)]
pub struct BackupInfo<'a> {
    /// The store written (`windows`, `file:PATH`, `memory`).
    pub store: &'a str,
    /// The command that writes.
    pub command: &'a str,
    /// Change, undo or redo.
    pub kind: BackupKind,
    /// For an undo or a redo: the backup it restores.
    pub restores: Option<&'a str>,
    /// The keys the write is about to create.
    pub absent_keys: &'a [String],
}

impl Backup {
    /// The time the backup records (`created`), if it parses as RFC 3339.
    pub fn created_time(&self) -> Option<SystemTime> {
        humantime::parse_rfc3339(&self.created).ok()
    }
}

/// Why the backups cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// No data directory (no home directory, no `MAPI_SHUTDOWN_DATA_DIR`).
    #[error("no data directory for backups (is HOME set?): set MAPI_SHUTDOWN_DATA_DIR")]
    NoDataDir,
    /// A file operation failed.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A backup file is malformed.
    #[error(transparent)]
    Parse(#[from] StoreError),
    /// The backups directory is not private to the user (or cannot be
    /// created): nothing is read from or written to it.
    #[error("backups directory: {0}")]
    Dir(#[from] PrivateDirError),
}

/// The backups directory.
#[derive(Clone, Debug)]
pub struct BackupDir {
    dir: PathBuf,
}

const HEADER_COMMENT: &str =
    "; mapi-shutdown backup: the values below as they were before the command ran";

impl BackupDir {
    /// Backups in `dir` (created by the first backup).
    pub fn new(dir: PathBuf) -> Self {
        BackupDir { dir }
    }

    /// `<data dir>/backups`, the data dir being `MAPI_SHUTDOWN_DATA_DIR` or
    /// the platform's.
    pub fn from_env() -> Result<Self, BackupError> {
        data_dir()
            .map(|d| BackupDir::new(d.join("backups")))
            .ok_or(BackupError::NoDataDir)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn io(path: &Path, action: &'static str, source: std::io::Error) -> BackupError {
        BackupError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    /// Save `entries` before a write: a new file (0600), never overwriting
    /// one, in the directory created private when missing.
    ///
    /// # Errors
    /// [`BackupError::Dir`] for a directory that is not private to the
    /// user; [`BackupError::Io`] naming the file otherwise.
    pub fn save(
        &self,
        info: &BackupInfo<'_>,
        entries: &[BackupEntry],
    ) -> Result<Backup, BackupError> {
        ensure_private_dir(&self.dir)?;
        let created = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
        let stamp: String = created.chars().filter(|c| *c != '-' && *c != ':').collect();
        let text = render(&created, info, entries);
        let bytes = regfile::encode_regedit5(&text);
        // tempfile creates the file 0600 (Unix).
        let mut tmp = tempfile::Builder::new()
            .prefix(".backup-")
            .tempfile_in(&self.dir)
            .map_err(|e| Self::io(&self.dir, "creating a temporary file", e))?;
        tmp.write_all(&bytes)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| Self::io(tmp.path(), "writing", e))?;
        let mut n = 0u32;
        loop {
            let id = if n == 0 {
                stamp.clone()
            } else {
                format!("{stamp}-{n}")
            };
            let path = self.dir.join(format!("{id}.reg"));
            match tmp.persist_noclobber(&path) {
                Ok(_) => {
                    return Ok(Backup {
                        id,
                        path,
                        created,
                        store: info.store.to_string(),
                        command: info.command.to_string(),
                        kind: info.kind,
                        undone: false,
                        entries: entries.to_vec(),
                        other_keys: Vec::new(),
                        absent_keys: info.absent_keys.to_vec(),
                        restores: info.restores.map(str::to_string),
                    });
                }
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {
                    tmp = e.file;
                    n += 1;
                }
                Err(e) => return Err(Self::io(&path, "saving the backup", e.error)),
            }
        }
    }

    /// Every backup, newest first: by the time each records, then by id
    /// (a backup whose time does not parse comes last).
    ///
    /// # Errors
    /// [`BackupError::Dir`] for a directory that is not private to the
    /// user; [`BackupError::Io`] or [`BackupError::Parse`] naming the file.
    pub fn list(&self) -> Result<Vec<Backup>, BackupError> {
        match std::fs::symlink_metadata(&self.dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            _ => check_private_dir(&self.dir)?,
        }
        let entries =
            std::fs::read_dir(&self.dir).map_err(|e| Self::io(&self.dir, "listing", e))?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Self::io(&self.dir, "listing", e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !name.ends_with(".reg") {
                continue;
            }
            out.push(load(&entry.path())?);
        }
        out.sort_by(|a, b| (b.created_time(), &b.id).cmp(&(a.created_time(), &a.id)));
        Ok(out)
    }

    /// The backup `policy undo` restores for `store`: among the change
    /// (and redo) backups of that store not undone yet, the one recording
    /// the latest time not after `now` (a backup dated in the future, or
    /// without a time, is never picked: no run of this program wrote it).
    ///
    /// # Errors
    /// As [`BackupDir::list`].
    pub fn latest_for_undo(
        &self,
        store: &str,
        now: SystemTime,
    ) -> Result<Option<Backup>, BackupError> {
        Ok(self.list()?.into_iter().find(|b| {
            !b.undone
                && matches!(b.kind, BackupKind::Change | BackupKind::Redo)
                && b.store == store
                && b.created_time().is_some_and(|t| t <= now)
        }))
    }

    /// The backup `policy redo` restores for `store`: the newest undo
    /// backup of that store not redone yet, unless a change was made
    /// since (a new change ends the redo chain, as in an editor). Times
    /// as for [`BackupDir::latest_for_undo`].
    ///
    /// # Errors
    /// As [`BackupDir::list`].
    pub fn latest_for_redo(
        &self,
        store: &str,
        now: SystemTime,
    ) -> Result<Option<Backup>, BackupError> {
        for b in self.list()? {
            if b.store != store || b.created_time().is_none_or(|t| t > now) {
                continue;
            }
            match b.kind {
                BackupKind::Change => return Ok(None),
                BackupKind::Undo if !b.undone => return Ok(Some(b)),
                BackupKind::Undo | BackupKind::Redo => {}
            }
        }
        Ok(None)
    }

    /// Mark a backup restored: rename it `<id>.undone.reg`.
    pub fn mark_undone(&self, backup: &Backup) -> Result<PathBuf, BackupError> {
        let to = self.dir.join(format!("{}.undone.reg", backup.id));
        std::fs::rename(&backup.path, &to)
            .map_err(|e| Self::io(&backup.path, "marking the backup undone", e))?;
        Ok(to)
    }

    /// Remove a backup whose write did not happen (nothing to undo).
    pub fn discard(&self, backup: &Backup) -> Result<(), BackupError> {
        std::fs::remove_file(&backup.path)
            .map_err(|e| Self::io(&backup.path, "removing the unused backup", e))
    }
}

/// The backup's `.reg` text: header, metadata comments, one section per key.
fn render(created: &str, info: &BackupInfo<'_>, entries: &[BackupEntry]) -> String {
    let reg = super::transfer::values_registry(entries.iter().map(|e| (&e.at, e.data.as_ref())));
    let body = reg.serialize();
    let (header, rest) = body.split_once('\n').unwrap_or((body.as_str(), ""));
    let one_line = |s: &str| s.replace(['\r', '\n'], " ");
    let mut extra = String::new();
    if let Some(id) = info.restores {
        extra.push_str(&format!("; restores: {}\n", one_line(id)));
    }
    for key in info.absent_keys {
        extra.push_str(&format!("; absent key: {}\n", one_line(key)));
    }
    format!(
        "{header}\n{HEADER_COMMENT}\n; created: {created}\n; store: {}\n; command: {}\n; kind: {}\n{extra}{rest}",
        one_line(info.store),
        one_line(info.command),
        info.kind.as_str()
    )
}

/// Read one backup file.
pub fn load(path: &Path) -> Result<Backup, BackupError> {
    let bytes = std::fs::read(path).map_err(|e| BackupDir::io(path, "reading", e))?;
    let reg = super::transfer::parse_import_bytes(&bytes, path)?;
    let text = regfile::decode(&bytes).unwrap_or_default();
    let meta = |field: &str| {
        let prefix = format!("; {field}: ");
        text.lines()
            .find_map(|l| {
                l.trim_end_matches('\r')
                    .strip_prefix(&prefix)
                    .map(str::to_string)
            })
            .unwrap_or_default()
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let undone = name.ends_with(".undone.reg");
    let id = name
        .strip_suffix(".undone.reg")
        .or_else(|| name.strip_suffix(".reg"))
        .unwrap_or(&name)
        .to_string();
    let mut entries = Vec::new();
    let mut other_keys = Vec::new();
    for (key_name, key) in reg.keys() {
        let Some((hive, key_path)) = Hive::split_path(key_name.raw()) else {
            other_keys.push(key_name.raw().to_string());
            continue;
        };
        for (value_name, value) in key.values() {
            entries.push(BackupEntry {
                at: Location::value(hive, &key_path, &regfile::name_of(value_name)),
                data: regfile::to_data(value),
            });
        }
    }
    Ok(Backup {
        id,
        path: path.to_path_buf(),
        created: meta("created"),
        store: meta("store"),
        command: meta("command"),
        kind: match meta("kind").as_str() {
            "undo" => BackupKind::Undo,
            "redo" => BackupKind::Redo,
            _ => BackupKind::Change,
        },
        undone,
        entries,
        other_keys,
        absent_keys: text
            .lines()
            .filter_map(|l| l.trim_end_matches('\r').strip_prefix("; absent key: "))
            .map(str::to_string)
            .collect(),
        restores: Some(meta("restores")).filter(|id| !id.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(command: &str) -> BackupInfo<'_> {
        BackupInfo {
            store: "memory",
            command,
            kind: BackupKind::Change,
            restores: None,
            absent_keys: &[],
        }
    }

    #[cfg(unix)]
    #[test]
    fn backups_dir_is_created_private_and_a_shared_one_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let backups = BackupDir::new(dir.path().join("data").join("backups"));
        let b = backups.save(&info("policy set x 1"), &[]).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(backups.dir()), 0o700);
        assert_eq!(mode(&b.path), 0o600);

        // A directory every user may write to: someone could plant a
        // backup there. Neither read nor written.
        let shared = BackupDir::new(dir.path().join("shared"));
        std::fs::create_dir(shared.dir()).unwrap();
        std::fs::set_permissions(shared.dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(matches!(shared.list(), Err(BackupError::Dir(_))));
        let err = shared.save(&info("policy set x 1"), &[]).unwrap_err();
        assert!(err.to_string().contains("every user may write"), "{err}");
        if crate::trace::files::euid() == 0 {
            let theirs = BackupDir::new(dir.path().join("theirs"));
            std::fs::create_dir(theirs.dir()).unwrap();
            std::os::unix::fs::chown(theirs.dir(), Some(65534), None).unwrap();
            let err = theirs.list().unwrap_err();
            assert!(err.to_string().contains("owned by uid 65534"), "{err}");
        }
    }

    #[test]
    fn save_list_and_mark_undone() {
        let dir = tempfile::tempdir().unwrap();
        let backups = BackupDir::new(dir.path().join("backups"));
        assert!(backups.list().unwrap().is_empty());
        let key = r"Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
        let entries = vec![
            BackupEntry {
                at: Location::value(Hive::CurrentUser, key, "FastShutdownBehavior"),
                data: None,
            },
            BackupEntry {
                at: Location::value(Hive::CurrentUser, key, "AddinFastShutdownBehavior"),
                data: Some(RegistryData::String("1".into())),
            },
        ];
        let a = backups.save(&info("policy set x 1"), &entries).unwrap();
        let b = backups
            .save(&info("policy set y 1"), &entries[..1])
            .unwrap();
        assert_ne!(a.id, b.id);
        let list = backups.list().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].id, b.id, "newest first");
        let loaded = &list[1];
        assert_eq!(loaded.store, "memory");
        assert_eq!(loaded.command, "policy set x 1");
        assert_eq!(loaded.kind, BackupKind::Change);
        let mut want = entries.clone();
        want.sort_by(|x, y| x.at.value.cmp(&y.at.value));
        assert_eq!(loaded.entries, want);

        let now = SystemTime::now();
        assert_eq!(
            backups.latest_for_undo("memory", now).unwrap().unwrap().id,
            b.id
        );
        assert!(backups.latest_for_undo("windows", now).unwrap().is_none());
        backups.mark_undone(&b).unwrap();
        assert_eq!(
            backups.latest_for_undo("memory", now).unwrap().unwrap().id,
            a.id
        );
        assert!(
            backups
                .list()
                .unwrap()
                .iter()
                .any(|x| x.id == b.id && x.undone)
        );
    }
}
