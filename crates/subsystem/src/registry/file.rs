//! The `.reg`-file registry store, the default everywhere but Windows
//! (`~/.config/mapi-shutdown/registry.reg`): a registry kept in one regedit
//! "Windows Registry Editor Version 5.00" file (UTF-16LE with BOM, CRLF),
//! so that the GUI, the CLI and `simulate` processes share one policy and
//! an admin can read it, or import it on Windows with `reg import`.
//!
//! Sharing it safely: every operation takes a lock on a sibling file
//! (`registry.reg.lock`; shared for reads, exclusive for writes, with the
//! standard library's `File::lock`), and a write re-reads the file under
//! the exclusive lock, changes it in memory and replaces it atomically (a
//! temporary file in the same directory, synced, then renamed over it), so
//! a reader sees the old file or the new one, never half of one. A
//! malformed file is an error naming the file and line (see
//! [`crate::registry::regfile`]), never silently half-read; it is never
//! overwritten by a write either.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::RegistryData;
use super::regfile;
use super::store::{Change, Hive, Location, RegistryStore, StoreError};
use super::tree::RegTree;

/// A registry kept in a regedit `.reg` file.
#[derive(Clone, Debug)]
pub struct FileStore {
    path: PathBuf,
}

/// Holds the lock file locked; dropping it unlocks.
struct LockGuard(Option<File>);

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(f) = &self.0 {
            // Closing the file releases the lock anyway.
            let _ = f.unlock();
        }
    }
}

impl FileStore {
    /// A store in `path` (created by the first write, with its directory).
    pub fn new(path: PathBuf) -> Self {
        FileStore { path }
    }

    /// The `.reg` file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock_path(&self) -> PathBuf {
        let mut name = self
            .path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    fn io(&self, path: &Path, action: &'static str, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    /// Lock for reading: shared. When the directory does not exist (nothing
    /// was ever written) or the lock file cannot be created (a read-only
    /// directory) there is nothing to lock against.
    fn lock_shared(&self) -> Result<LockGuard, StoreError> {
        let lock_path = self.lock_path();
        let file = match OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
        {
            Ok(f) => f,
            Err(_) => return Ok(LockGuard(None)),
        };
        file.lock_shared()
            .map_err(|e| self.io(&lock_path, "locking", e))?;
        Ok(LockGuard(Some(file)))
    }

    /// Lock for writing: exclusive, creating the directory.
    fn lock_exclusive(&self) -> Result<LockGuard, StoreError> {
        if let Some(dir) = self.path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| self.io(dir, "creating the directory", e))?;
        }
        let lock_path = self.lock_path();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| self.io(&lock_path, "opening the lock file", e))?;
        file.lock().map_err(|e| self.io(&lock_path, "locking", e))?;
        Ok(LockGuard(Some(file)))
    }

    fn load(&self) -> Result<RegTree, StoreError> {
        Ok(regfile::read_file(&self.path, true)?
            .map(|reg| regfile::tree_from_registry(&reg))
            .unwrap_or_default())
    }

    fn save(&self, tree: &RegTree) -> Result<(), StoreError> {
        let text = regfile::registry_from_tree(tree).serialize();
        let bytes = regfile::encode_regedit5(&text);
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".registry-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| self.io(&dir, "creating a temporary file", e))?;
        tmp.write_all(&bytes)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| self.io(tmp.path(), "writing", e))?;
        tmp.persist(&self.path)
            .map_err(|e| self.io(&self.path, "replacing", e.error))?;
        Ok(())
    }

    /// Read under the shared lock.
    fn read<T>(&self, f: impl FnOnce(&RegTree) -> T) -> Result<T, StoreError> {
        let _guard = self.lock_shared()?;
        let tree = self.load()?;
        Ok(f(&tree))
    }

    /// Read, change and replace under the exclusive lock; the file is
    /// rewritten only when `f` succeeds and changed something.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut RegTree) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let _guard = self.lock_exclusive()?;
        let before = self.load()?;
        let mut tree = before.clone();
        let out = f(&mut tree)?;
        if tree != before {
            self.save(&tree)?;
        }
        Ok(out)
    }
}

impl RegistryStore for FileStore {
    fn describe(&self) -> String {
        format!("file:{}", self.path.display())
    }

    fn key_exists(&self, hive: Hive, key: &str) -> Result<bool, StoreError> {
        self.read(|t| t.key_exists(&hive.full_path(key)))
    }

    fn subkeys(&self, hive: Hive, key: &str) -> Result<Vec<String>, StoreError> {
        self.read(|t| t.subkeys(&hive.full_path(key)))?
            .ok_or_else(|| StoreError::NotFound {
                at: Location::key(hive, key),
            })
    }

    fn values(&self, hive: Hive, key: &str) -> Result<Vec<(String, RegistryData)>, StoreError> {
        self.read(|t| t.values(&hive.full_path(key)))?
            .ok_or_else(|| StoreError::NotFound {
                at: Location::key(hive, key),
            })
    }

    fn read_value(
        &self,
        hive: Hive,
        key: &str,
        name: &str,
    ) -> Result<Option<RegistryData>, StoreError> {
        self.read(|t| t.read(&hive.full_path(key), name).cloned())
    }

    fn create_key(&self, hive: Hive, key: &str) -> Result<(), StoreError> {
        self.write(|t| {
            t.create_key(&hive.full_path(key));
            Ok(())
        })
    }

    fn set_value(
        &self,
        hive: Hive,
        key: &str,
        name: &str,
        data: &RegistryData,
    ) -> Result<(), StoreError> {
        self.write(|t| {
            if t.set(&hive.full_path(key), name, data.clone()) {
                Ok(())
            } else {
                Err(StoreError::NotFound {
                    at: Location::key(hive, key),
                })
            }
        })
    }

    fn delete_value(&self, hive: Hive, key: &str, name: &str) -> Result<bool, StoreError> {
        self.write(|t| Ok(t.delete(&hive.full_path(key), name)))
    }

    fn delete_empty_key(&self, hive: Hive, key: &str) -> Result<bool, StoreError> {
        self.write(|t| Ok(t.remove_empty_key(&hive.full_path(key))))
    }

    fn apply(&self, changes: &[Change]) -> Result<(), StoreError> {
        self.write(|t| t.apply(changes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::store::Expect;

    #[test]
    fn missing_file_reads_empty_and_first_write_creates_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/registry.reg");
        let s = FileStore::new(path.clone());
        assert!(!s.key_exists(Hive::CurrentUser, "Software").unwrap());
        assert!(!path.exists(), "a read creates nothing");
        s.create_key(Hive::CurrentUser, r"Software\X").unwrap();
        s.set_dword(Hive::CurrentUser, r"Software\X", "V", 2)
            .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..2], &[0xFF, 0xFE], "UTF-16LE with BOM");
        let text = regfile::decode(&bytes).unwrap();
        assert!(text.starts_with("Windows Registry Editor Version 5.00\r\n"));
        assert!(text.contains("\"V\"=dword:00000002"), "{text}");
    }

    #[test]
    fn malformed_file_is_an_error_with_line_and_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.reg");
        let text =
            "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\X]\n\"V\"=dword:1\n";
        std::fs::write(&path, text).unwrap();
        let s = FileStore::new(path.clone());
        let err = s.read_value(Hive::CurrentUser, "X", "V").unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("{}:4:", path.display())),
            "{err}"
        );
        assert!(s.set_dword(Hive::CurrentUser, "X", "V", 1).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn failed_batch_leaves_the_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.reg");
        let s = FileStore::new(path.clone());
        s.create_key(Hive::CurrentUser, "K").unwrap();
        s.set_dword(Hive::CurrentUser, "K", "A", 1).unwrap();
        let before = std::fs::read(&path).unwrap();
        let changes = [
            Change {
                hive: Hive::CurrentUser,
                key: "K".into(),
                value: "A".into(),
                expect: Expect::Exactly(Some(RegistryData::Dword(1))),
                new: Some(RegistryData::Dword(5)),
                create_key: true,
            },
            Change {
                hive: Hive::CurrentUser,
                key: "K".into(),
                value: "B".into(),
                expect: Expect::Exactly(Some(RegistryData::Dword(9))),
                new: None,
                create_key: true,
            },
        ];
        assert!(matches!(
            s.apply(&changes),
            Err(StoreError::ConcurrentChange { .. })
        ));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn writers_in_threads_do_not_lose_updates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.reg");
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let s = FileStore::new(path.clone());
                std::thread::spawn(move || {
                    for i in 0..10 {
                        s.create_key(Hive::CurrentUser, "K").unwrap();
                        s.set_dword(Hive::CurrentUser, "K", &format!("t{t}-{i}"), i)
                            .unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let s = FileStore::new(path);
        assert_eq!(s.values(Hive::CurrentUser, "K").unwrap().len(), 40);
    }
}
