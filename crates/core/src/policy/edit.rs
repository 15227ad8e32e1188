//! Safe writes, the only way the product changes a store:
//! 1. the caller plans each value's change with the data it read and
//!    showed (`before`) and the data it wants (`after`);
//! 2. the `before` values are saved to a backup `.reg` ([`super::backup`]);
//! 3. the store applies the batch all or nothing, re-reading each value
//!    first: if one changed since it was shown, nothing is written and the
//!    error shows both ([`StoreError::ConcurrentChange`]);
//! 4. every value is read back; a value that did not stick is an error.
//!
//! When the store refuses (access denied: `HKCU\Software\Policies` usually
//! needs administrator rights) nothing is written, the unused backup is
//! removed, and [`access_denied_advice`] says what else to do. [`undo`]
//! restores the newest backup through the same path, and only its
//! shutdown settings ([`super::transfer::plan_restore`]); a key the
//! change created is removed again when left empty, so that undo
//! restores its absence too. [`redo`] restores what the last undo
//! replaced, until a new change ends the chain.

use std::path::PathBuf;

use serde::Serialize;

use super::RegistryData;
use super::backup::{Backup, BackupDir, BackupEntry, BackupError, BackupInfo, BackupKind};
use super::settings::policy_key_version;
use super::store::{Change, Expect, Location, RegistryStore, StoreError, show_data};

/// One value's planned change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedChange {
    /// Where (with the value name).
    pub at: Location,
    /// What was read and shown; the write stops if the store now holds
    /// something else.
    pub before: Option<RegistryData>,
    /// What to write; `None` deletes the value.
    pub after: Option<RegistryData>,
    /// Create the key when missing (policy keys); add-in keys must exist.
    pub create_key: bool,
}

impl PlannedChange {
    /// A change of the value at `at`, creating its key when it is a
    /// shutdown policy key.
    pub fn new(at: Location, before: Option<RegistryData>, after: Option<RegistryData>) -> Self {
        let create_key = policy_key_version(at.hive, &at.key).is_some();
        PlannedChange {
            at,
            before,
            after,
            create_key,
        }
    }

    /// True when writing would change nothing.
    pub fn is_noop(&self) -> bool {
        self.before == self.after
    }

    fn value_name(&self) -> &str {
        self.at.value.as_deref().unwrap_or("")
    }

    fn to_change(&self) -> Change {
        Change {
            hive: self.at.hive,
            key: self.at.key.clone(),
            value: self.value_name().to_string(),
            expect: Expect::Exactly(self.before.clone()),
            new: self.after.clone(),
            create_key: self.create_key,
        }
    }

    /// `before -> after` in words.
    pub fn describe(&self) -> String {
        if self.is_noop() {
            format!("{} (unchanged)", show_data(self.before.as_ref()))
        } else {
            format!(
                "{} -> {}",
                show_data(self.before.as_ref()),
                show_data(self.after.as_ref())
            )
        }
    }
}

/// What the write did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WriteOutcome {
    /// The values written (verified by reading them back).
    pub written: Vec<PlannedChange>,
    /// The values that already held the wanted data.
    pub unchanged: Vec<PlannedChange>,
    /// The backup of the written values' previous data (none when nothing
    /// was written).
    pub backup: Option<Backup>,
}

/// Why a write did not (fully) happen.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The store failed; nothing was written (or, for
    /// [`StoreError::RollbackFailed`], see its message).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The backup could not be saved, so nothing was written.
    #[error("cannot save the backup, nothing was written: {0}")]
    Backup(#[from] BackupError),
    /// The store accepted the write but reading it back gives other data.
    #[error(
        "{at}: the write was accepted but reading it back gives {found}; the previous values \
         are in {}, `mapi-shutdown policy undo` restores them",
        backup.display()
    )]
    Verify {
        /// Where.
        at: Location,
        /// What is there instead of what was written, in words.
        found: String,
        /// The backup file.
        backup: PathBuf,
    },
    /// `policy undo` found no backup for this store that is not undone.
    #[error(
        "nothing to undo in {store}: {}",
        if *.undone == 0 {
            format!("no change to it is backed up in {}", dir.display())
        } else {
            format!(
                "the {undone} change(s) backed up in {} are all undone (`policy redo` reapplies the last one)",
                dir.display()
            )
        }
    )]
    NothingToUndo {
        /// The store.
        store: String,
        /// The backups directory.
        dir: PathBuf,
        /// How many change backups of this store there are, all undone.
        undone: usize,
    },
    /// `policy redo` found no undo to redo for this store.
    #[error("nothing to redo in {store}: no undo since the last change (backups in {})", dir.display())]
    NothingToRedo {
        /// The store.
        store: String,
        /// The backups directory.
        dir: PathBuf,
    },
}

impl EditError {
    /// True when the store refused access.
    pub fn is_access_denied(&self) -> bool {
        matches!(self, EditError::Store(e) if e.is_access_denied())
    }
}

/// What to tell an admin whose write was refused: run elevated, or write
/// a `.reg` file and import it elevated, or deploy by Group Policy (in the
/// language in force).
pub fn access_denied_advice() -> String {
    crate::tr!("policy-access-denied-advice")
}

/// Apply `changes` safely (see the module docs). `command` names the
/// change in the backup; `kind` is [`BackupKind::Change`] except for undo.
pub fn write(
    store: &dyn RegistryStore,
    backups: &BackupDir,
    command: &str,
    kind: BackupKind,
    changes: Vec<PlannedChange>,
) -> Result<WriteOutcome, EditError> {
    write_restoring(store, backups, command, kind, None, changes)
}

/// The keys (with their hive) that writing `changes` creates: each
/// created key and its missing parents, deepest first.
fn keys_created(
    store: &dyn RegistryStore,
    changes: &[PlannedChange],
) -> Result<Vec<String>, StoreError> {
    let mut created: Vec<String> = Vec::new();
    for c in changes.iter().filter(|c| c.create_key && c.after.is_some()) {
        let mut key = c.at.key.trim_matches('\\').to_string();
        while !key.is_empty() && !store.key_exists(c.at.hive, &key)? {
            let full = c.at.hive.full_path(&key);
            if !created.iter().any(|k| k.eq_ignore_ascii_case(&full)) {
                created.push(full);
            }
            key = key
                .rsplit_once('\\')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default();
        }
    }
    created.sort_by_key(|k| std::cmp::Reverse(k.len()));
    Ok(created)
}

/// [`write`], recording in the backup the backup it restores (undo, redo).
fn write_restoring(
    store: &dyn RegistryStore,
    backups: &BackupDir,
    command: &str,
    kind: BackupKind,
    restores: Option<&str>,
    changes: Vec<PlannedChange>,
) -> Result<WriteOutcome, EditError> {
    let (unchanged, to_write): (Vec<_>, Vec<_>) = changes.into_iter().partition(|c| c.is_noop());
    if to_write.is_empty() {
        return Ok(WriteOutcome {
            written: Vec::new(),
            unchanged,
            backup: None,
        });
    }
    let entries: Vec<BackupEntry> = to_write
        .iter()
        .map(|c| BackupEntry {
            at: c.at.clone(),
            data: c.before.clone(),
        })
        .collect();
    let absent_keys = keys_created(store, &to_write)?;
    let backup = backups.save(
        &BackupInfo {
            store: &store.describe(),
            command,
            kind,
            restores,
            absent_keys: &absent_keys,
        },
        &entries,
    )?;
    let batch: Vec<Change> = to_write.iter().map(PlannedChange::to_change).collect();
    if let Err(e) = store.apply(&batch) {
        // Nothing was written (the batch is all or nothing), so the backup
        // describes no change: remove it. A failed rollback keeps it.
        if !matches!(e, StoreError::RollbackFailed { .. }) {
            // The write error is the one to report; a leftover backup only
            // shows up in `policy history`.
            let _ = backups.discard(&backup);
        }
        return Err(e.into());
    }
    for c in &to_write {
        let found = store.read_value(c.at.hive, &c.at.key, c.value_name())?;
        if found != c.after {
            return Err(EditError::Verify {
                at: c.at.clone(),
                found: format!(
                    "{}, not {}",
                    show_data(found.as_ref()),
                    show_data(c.after.as_ref())
                ),
                backup: backup.path.clone(),
            });
        }
    }
    Ok(WriteOutcome {
        written: to_write,
        unchanged,
        backup: Some(backup),
    })
}

/// What `policy undo` did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UndoOutcome {
    /// The backup restored (now marked undone).
    pub restored: Backup,
    /// The write that restored it.
    pub write: WriteOutcome,
    /// What the backup held that is not a shutdown setting: not restored.
    pub refused: Vec<super::transfer::Refusal>,
    /// The keys the restored change had created, removed again (empty).
    pub removed_keys: Vec<String>,
    /// True when no older change of this store is left to undo.
    pub last: bool,
}

/// Restore the newest change backup of this store (by the time it records,
/// not after now: [`BackupDir::latest_for_undo`]), then mark it undone.
/// Only its shutdown settings are written; anything else it holds is
/// refused ([`super::transfer::plan_restore`]) and returned in
/// [`UndoOutcome::refused`]. The values it overwrites are backed up too
/// (kind "undo").
///
/// # Errors
/// [`EditError::NothingToUndo`] when no backup qualifies; the errors of
/// [`write`] and of the backups directory otherwise.
pub fn undo(store: &dyn RegistryStore, backups: &BackupDir) -> Result<UndoOutcome, EditError> {
    let describe = store.describe();
    let now = std::time::SystemTime::now();
    let Some(backup) = backups.latest_for_undo(&describe, now)? else {
        let undone = backups
            .list()?
            .iter()
            .filter(|b| b.store == describe && b.kind != BackupKind::Undo)
            .count();
        return Err(EditError::NothingToUndo {
            store: describe,
            dir: backups.dir().to_path_buf(),
            undone,
        });
    };
    let command = format!("policy undo (restoring backup {})", backup.id);
    let mut out = restore(store, backups, backup, &command, BackupKind::Undo)?;
    out.last = backups.latest_for_undo(&describe, now)?.is_none();
    Ok(out)
}

/// Restore the newest undo backup of this store that is not redone yet,
/// unless a change was made since ([`BackupDir::latest_for_redo`]): the
/// values the last undo replaced come back. Its backup (kind "redo") is
/// what the next `undo` restores. [`UndoOutcome::last`]: no older undo is
/// left to redo.
///
/// # Errors
/// [`EditError::NothingToRedo`] when no backup qualifies; as [`undo`]
/// otherwise.
pub fn redo(store: &dyn RegistryStore, backups: &BackupDir) -> Result<UndoOutcome, EditError> {
    let describe = store.describe();
    let now = std::time::SystemTime::now();
    let Some(backup) = backups.latest_for_redo(&describe, now)? else {
        return Err(EditError::NothingToRedo {
            store: describe,
            dir: backups.dir().to_path_buf(),
        });
    };
    let command = format!("policy redo (restoring backup {})", backup.id);
    let mut out = restore(store, backups, backup, &command, BackupKind::Redo)?;
    out.last = backups.latest_for_redo(&describe, now)?.is_none();
    Ok(out)
}

/// Write `backup`'s shutdown settings back, remove the keys it records as
/// absent when they are left empty, and mark it undone.
fn restore(
    store: &dyn RegistryStore,
    backups: &BackupDir,
    backup: Backup,
    command: &str,
    kind: BackupKind,
) -> Result<UndoOutcome, EditError> {
    let plan = super::transfer::plan_restore(store, &backup)?;
    let write = write_restoring(
        store,
        backups,
        command,
        kind,
        Some(&backup.id),
        plan.changes,
    )?;
    let mut removed_keys = Vec::new();
    for full in &backup.absent_keys {
        // Only a shutdown policy key, or a parent of one, and only empty.
        let Some((hive, key)) = super::store::Hive::split_path(full) else {
            continue;
        };
        if !super::OfficeVersion::ALL.iter().any(|v| {
            let policy = v.shutdown_policy_key().to_lowercase();
            let key = key.to_lowercase();
            policy == key || policy.starts_with(&format!("{key}\\"))
        }) || hive != super::store::Hive::CurrentUser
        {
            continue;
        }
        if store.delete_empty_key(hive, &key)? {
            removed_keys.push(full.clone());
        }
    }
    let path = backups.mark_undone(&backup)?;
    let mut restored = backup;
    restored.undone = true;
    restored.path = path;
    Ok(UndoOutcome {
        restored,
        write,
        refused: plan.refused,
        removed_keys,
        last: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::OfficeVersion;
    use crate::policy::memory::{Failure, MemoryStore};
    use crate::policy::store::{Hive, Operation};

    fn key() -> String {
        OfficeVersion::V16.shutdown_policy_key()
    }

    fn at(name: &str) -> Location {
        Location::value(Hive::CurrentUser, &key(), name)
    }

    fn setup() -> (MemoryStore, BackupDir, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let backups = BackupDir::new(dir.path().join("backups"));
        (MemoryStore::new(), backups, dir)
    }

    fn read(s: &MemoryStore, name: &str) -> Option<RegistryData> {
        s.read_value(Hive::CurrentUser, &key(), name).unwrap()
    }

    #[test]
    fn write_backs_up_verifies_and_undo_restores() {
        let (s, backups, _d) = setup();
        let out = write(
            &s,
            &backups,
            "policy set FastShutdownBehavior 2",
            BackupKind::Change,
            vec![PlannedChange::new(
                at("FastShutdownBehavior"),
                None,
                Some(RegistryData::Dword(2)),
            )],
        )
        .unwrap();
        assert_eq!(out.written.len(), 1);
        let backup = out.backup.unwrap();
        assert_eq!(backup.entries[0].data, None);
        assert_eq!(
            read(&s, "FastShutdownBehavior"),
            Some(RegistryData::Dword(2))
        );

        let u = undo(&s, &backups).unwrap();
        assert_eq!(u.restored.id, backup.id);
        assert!(u.restored.undone);
        assert_eq!(read(&s, "FastShutdownBehavior"), None);
        // The undo's own backup is kept but not undone again.
        let err = undo(&s, &backups).unwrap_err();
        assert!(matches!(err, EditError::NothingToUndo { .. }), "{err}");
    }

    #[test]
    fn undo_restores_a_keys_absence_and_redo_reapplies() {
        let (s, backups, _d) = setup();
        s.create_key(Hive::CurrentUser, r"Software\Policies")
            .unwrap();
        let set = |name: &str, v: u32| {
            write(
                &s,
                &backups,
                &format!("policy set {name} {v}"),
                BackupKind::Change,
                vec![PlannedChange::new(
                    at(name),
                    read(&s, name),
                    Some(RegistryData::Dword(v)),
                )],
            )
            .unwrap()
        };
        let first = set("FastShutdownBehavior", 2);
        assert_eq!(
            first.backup.as_ref().unwrap().absent_keys,
            [
                format!("HKEY_CURRENT_USER\\{}", key()),
                r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\16.0\Outlook\Options"
                    .to_string(),
                r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\16.0\Outlook".to_string(),
                r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\16.0".to_string(),
                r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office".to_string(),
                r"HKEY_CURRENT_USER\Software\Policies\Microsoft".to_string(),
            ]
        );
        set("AddinFastShutdownBehavior", 1);

        let u = undo(&s, &backups).unwrap();
        assert!(!u.last && u.removed_keys.is_empty(), "{u:?}");
        let u = undo(&s, &backups).unwrap();
        assert!(u.last, "the first change: the chain ends");
        assert_eq!(u.removed_keys.len(), 6, "{:?}", u.removed_keys);
        assert!(!s.key_exists(Hive::CurrentUser, &key()).unwrap());
        assert!(
            s.key_exists(Hive::CurrentUser, r"Software\Policies")
                .unwrap()
        );
        let err = undo(&s, &backups).unwrap_err();
        assert!(
            matches!(err, EditError::NothingToUndo { undone: 2, .. }),
            "{err}"
        );

        // Redo, newest undo first, then undo the redo.
        let r = redo(&s, &backups).unwrap();
        assert!(!r.last);
        assert_eq!(
            read(&s, "FastShutdownBehavior"),
            Some(RegistryData::Dword(2))
        );
        let r = redo(&s, &backups).unwrap();
        assert!(r.last);
        assert_eq!(
            read(&s, "AddinFastShutdownBehavior"),
            Some(RegistryData::Dword(1))
        );
        assert!(matches!(
            redo(&s, &backups).unwrap_err(),
            EditError::NothingToRedo { .. }
        ));
        undo(&s, &backups).unwrap();
        assert_eq!(read(&s, "AddinFastShutdownBehavior"), None);
        // A new change ends the redo chain.
        set("FastShutdownBehavior", 1);
        assert!(matches!(
            redo(&s, &backups).unwrap_err(),
            EditError::NothingToRedo { .. }
        ));
    }

    #[test]
    fn undo_restores_invalid_data_exactly() {
        let (s, backups, _d) = setup();
        s.create_key(Hive::CurrentUser, &key()).unwrap();
        let odd = RegistryData::String("1".into());
        s.set_value(Hive::CurrentUser, &key(), "FastShutdownBehavior", &odd)
            .unwrap();
        write(
            &s,
            &backups,
            "fix",
            BackupKind::Change,
            vec![PlannedChange::new(
                at("FastShutdownBehavior"),
                Some(odd.clone()),
                Some(RegistryData::Dword(0)),
            )],
        )
        .unwrap();
        undo(&s, &backups).unwrap();
        assert_eq!(read(&s, "FastShutdownBehavior"), Some(odd));
    }

    #[test]
    fn concurrent_change_writes_nothing_and_keeps_no_backup() {
        let (s, backups, _d) = setup();
        s.inject(Failure::ConcurrentWrite {
            hive: Hive::CurrentUser,
            key: key(),
            value: "FastShutdownBehavior".into(),
            data: Some(RegistryData::Dword(1)),
        });
        let err = write(
            &s,
            &backups,
            "set",
            BackupKind::Change,
            vec![
                PlannedChange::new(
                    at("AddinFastShutdownBehavior"),
                    None,
                    Some(RegistryData::Dword(1)),
                ),
                PlannedChange::new(
                    at("FastShutdownBehavior"),
                    None,
                    Some(RegistryData::Dword(2)),
                ),
            ],
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("changed since it was read"), "{text}");
        assert!(text.contains("not configured"), "{text}");
        assert!(text.contains("REG_DWORD 0x00000001 (1)"), "{text}");
        assert_eq!(
            read(&s, "AddinFastShutdownBehavior"),
            None,
            "all or nothing"
        );
        assert_eq!(
            read(&s, "FastShutdownBehavior"),
            Some(RegistryData::Dword(1))
        );
        assert!(backups.list().unwrap().is_empty());
    }

    #[test]
    fn access_denied_writes_nothing() {
        let (s, backups, _d) = setup();
        s.inject(Failure::AccessDenied {
            hive: Hive::CurrentUser,
            key: r"Software\Policies".into(),
            value: None,
            op: Some(Operation::Write),
        });
        let err = write(
            &s,
            &backups,
            "set",
            BackupKind::Change,
            vec![PlannedChange::new(
                at("FastShutdownBehavior"),
                None,
                Some(RegistryData::Dword(2)),
            )],
        )
        .unwrap_err();
        assert!(err.is_access_denied(), "{err}");
        assert!(err.to_string().contains("FastShutdownBehavior"));
        assert!(backups.list().unwrap().is_empty());
        crate::i18n::set_thread_lang(Some(crate::i18n::Lang::En));
        assert!(access_denied_advice().contains("elevated"));
        crate::i18n::set_thread_lang(Some(crate::i18n::Lang::Fr));
        assert!(access_denied_advice().contains("administrateur"));
        crate::i18n::set_thread_lang(None);
    }

    #[test]
    fn lost_write_fails_verification_and_keeps_the_backup() {
        let (s, backups, _d) = setup();
        s.inject(Failure::LostWrite {
            hive: Hive::CurrentUser,
            key: key(),
            value: "FastShutdownBehavior".into(),
        });
        let err = write(
            &s,
            &backups,
            "set",
            BackupKind::Change,
            vec![PlannedChange::new(
                at("FastShutdownBehavior"),
                None,
                Some(RegistryData::Dword(2)),
            )],
        )
        .unwrap_err();
        assert!(matches!(err, EditError::Verify { .. }), "{err}");
        assert_eq!(backups.list().unwrap().len(), 1);
    }

    #[test]
    fn vanished_addin_key_is_not_recreated() {
        let (s, backups, _d) = setup();
        let addin = r"Software\Microsoft\Office\Outlook\Addins\My.AddIn";
        s.create_key(Hive::CurrentUser, addin).unwrap();
        s.inject(Failure::KeyVanishes {
            hive: Hive::CurrentUser,
            key: addin.into(),
        });
        let err = write(
            &s,
            &backups,
            "addins set",
            BackupKind::Change,
            vec![PlannedChange::new(
                Location::value(Hive::CurrentUser, addin, "RequireShutdownNotification"),
                None,
                Some(RegistryData::Dword(1)),
            )],
        )
        .unwrap_err();
        assert!(
            matches!(err, EditError::Store(StoreError::NotFound { .. })),
            "{err}"
        );
        assert!(!s.key_exists(Hive::CurrentUser, addin).unwrap());
    }

    /// A `.reg` file planted in the backups directory as a change backup
    /// of the memory store, recording `created`, named `name`.
    fn plant(backups: &BackupDir, name: &str, created: &str, body: &str) -> std::path::PathBuf {
        std::fs::create_dir_all(backups.dir()).unwrap();
        let text = format!(
            "Windows Registry Editor Version 5.00\n\n\
             ; mapi-shutdown backup: the values below as they were before the command ran\n\
             ; created: {created}\n; store: memory\n; command: policy set x 1\n; kind: change\n\n{body}"
        );
        let path = backups.dir().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    const RUN: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";

    #[test]
    fn undo_restores_only_shutdown_settings_of_a_planted_backup() {
        let (s, backups, _d) = setup();
        let addin = r"Software\Microsoft\Office\Outlook\Addins\My.AddIn";
        s.create_key(Hive::CurrentUser, addin).unwrap();
        plant(
            &backups,
            "20261120T101500.000Z.reg",
            "2026-11-20T10:15:00.000Z",
            &format!(
                "[HKEY_CURRENT_USER\\{RUN}]\n\"Updater\"=\"C:\\\\evil.exe\"\n\n\
                 [HKEY_CURRENT_USER\\{}]\n\"FastShutdownBehavior\"=dword:00000002\n\"Other\"=dword:00000001\n\n\
                 [HKEY_CURRENT_USER\\{addin}]\n\"RequireShutdownNotification\"=dword:00000001\n\"LoadBehavior\"=dword:00000003\n\n\
                 [HKEY_USERS\\S-1-5-18\\{RUN}]\n\"X\"=\"y\"\n",
                key()
            ),
        );
        let u = undo(&s, &backups).unwrap();
        assert!(
            !s.key_exists(Hive::CurrentUser, RUN).unwrap(),
            "Run written"
        );
        assert_eq!(
            read(&s, "FastShutdownBehavior"),
            Some(RegistryData::Dword(2))
        );
        assert_eq!(read(&s, "Other"), None);
        assert_eq!(
            s.read_value(Hive::CurrentUser, addin, "RequireShutdownNotification")
                .unwrap(),
            Some(RegistryData::Dword(1))
        );
        assert_eq!(
            s.read_value(Hive::CurrentUser, addin, "LoadBehavior")
                .unwrap(),
            None
        );
        assert_eq!(u.write.written.len(), 2);
        let mut refused: Vec<String> = u
            .refused
            .iter()
            .map(|r| format!("{} {}", r.key, r.value.as_deref().unwrap_or("-")))
            .collect();
        refused.sort();
        let mut want = vec![
            format!("HKEY_CURRENT_USER\\{} Other", key()),
            format!("HKEY_CURRENT_USER\\{addin} LoadBehavior"),
            format!("HKEY_CURRENT_USER\\{RUN} Updater"),
            format!("HKEY_USERS\\S-1-5-18\\{RUN} -"),
        ];
        want.sort();
        assert_eq!(refused, want);
    }

    #[test]
    fn undo_ignores_a_planted_backup_dated_in_the_future() {
        let (s, backups, _d) = setup();
        let real = write(
            &s,
            &backups,
            "policy set FastShutdownBehavior 2",
            BackupKind::Change,
            vec![PlannedChange::new(
                at("FastShutdownBehavior"),
                None,
                Some(RegistryData::Dword(2)),
            )],
        )
        .unwrap()
        .backup
        .unwrap();
        // Named and dated after anything this program wrote.
        plant(
            &backups,
            "99991231T235959.999Z.reg",
            "9999-12-31T23:59:59.999Z",
            &format!(
                "[HKEY_CURRENT_USER\\{}]\n\"FastShutdownBehavior\"=dword:00000001\n",
                key()
            ),
        );
        // Named to sort last but dated in the future: the name says nothing.
        plant(
            &backups,
            "00000000T000000.000Z.reg",
            "9000-01-01T00:00:00.000Z",
            &format!(
                "[HKEY_CURRENT_USER\\{}]\n\"FastShutdownBehavior\"=dword:00000001\n",
                key()
            ),
        );
        let u = undo(&s, &backups).unwrap();
        assert_eq!(u.restored.id, real.id);
        assert_eq!(read(&s, "FastShutdownBehavior"), None);
        assert!(matches!(
            undo(&s, &backups).unwrap_err(),
            EditError::NothingToUndo { .. }
        ));
    }

    #[test]
    fn undo_picks_the_newest_by_recorded_time_not_by_name() {
        let (s, backups, _d) = setup();
        s.create_key(Hive::CurrentUser, &key()).unwrap();
        // The higher name records the older time.
        plant(
            &backups,
            "20261120T101500.000Z.reg",
            "2026-01-01T00:00:00.000Z",
            &format!(
                "[HKEY_CURRENT_USER\\{}]\n\"FastShutdownBehavior\"=dword:00000001\n",
                key()
            ),
        );
        let newer = plant(
            &backups,
            "20250101T000000.000Z.reg",
            "2026-06-01T00:00:00.000Z",
            &format!(
                "[HKEY_CURRENT_USER\\{}]\n\"FastShutdownBehavior\"=dword:00000002\n",
                key()
            ),
        );
        let u = undo(&s, &backups).unwrap();
        assert_eq!(u.restored.id, "20250101T000000.000Z");
        assert!(!newer.exists(), "marked undone");
        assert_eq!(
            read(&s, "FastShutdownBehavior"),
            Some(RegistryData::Dword(2))
        );
    }

    #[test]
    fn noop_writes_nothing_and_takes_no_backup() {
        let (s, backups, _d) = setup();
        let out = write(
            &s,
            &backups,
            "unset",
            BackupKind::Change,
            vec![PlannedChange::new(at("FastShutdownBehavior"), None, None)],
        )
        .unwrap();
        assert!(out.written.is_empty() && out.backup.is_none());
        assert!(backups.list().unwrap().is_empty());
    }
}
