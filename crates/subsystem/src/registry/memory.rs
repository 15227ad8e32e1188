//! The in-memory registry store, for tests and `--registry memory`: a
//! [`RegTree`] behind a mutex, plus failures a test can inject to reach
//! the paths the real registry takes rarely or that Wine cannot reproduce
//! (it enforces no ACLs): access denied on a key or value, a key deleted
//! just before a write, a value changed by "another process" between the
//! read and the write, and a write that reports success but does not stick.

use std::sync::{Mutex, MutexGuard};

use super::RegistryData;
use super::store::{Change, Hive, Location, Operation, RegistryStore, StoreError, normalize_key};
use super::tree::RegTree;

/// A failure the memory store produces on purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Operations on `key` and below (only on `value`, when given) fail with
    /// [`StoreError::AccessDenied`]: for `op` only, or both when `None`.
    /// Stays until [`MemoryStore::clear_failures`].
    AccessDenied {
        /// The hive.
        hive: Hive,
        /// The key (and every key below it).
        key: String,
        /// Only this value of the key, when given.
        value: Option<String>,
        /// Only reads or only writes, when given.
        op: Option<Operation>,
    },
    /// Just before the next write, the key (and everything below it) is
    /// deleted, as if another program removed it. Happens once.
    KeyVanishes {
        /// The hive.
        hive: Hive,
        /// The key.
        key: String,
    },
    /// Just before the next write, the value becomes `data` (`None`:
    /// deleted), as if another process wrote it between our read and our
    /// write. Happens once.
    ConcurrentWrite {
        /// The hive.
        hive: Hive,
        /// The key (created if needed).
        key: String,
        /// The value.
        value: String,
        /// What the other process writes.
        data: Option<RegistryData>,
    },
    /// Writes to this value report success and change nothing (what a
    /// Group Policy refresh or registry virtualization looks like to a
    /// writer). Stays until cleared.
    LostWrite {
        /// The hive.
        hive: Hive,
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
}

#[derive(Default)]
struct Inner {
    tree: RegTree,
    failures: Vec<Failure>,
}

/// An in-memory registry with injectable failures. `describe()` is
/// `memory`.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

fn same_key(a: &str, b: &str) -> bool {
    normalize_key(a).to_lowercase() == normalize_key(b).to_lowercase()
}

fn at_or_below(key: &str, base: &str) -> bool {
    let key = normalize_key(key).to_lowercase();
    let base = normalize_key(base).to_lowercase();
    key == base || key.starts_with(&format!("{base}\\"))
}

impl MemoryStore {
    /// An empty registry with no failures.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// A registry holding `tree`.
    pub fn with_tree(tree: RegTree) -> Self {
        MemoryStore {
            inner: Mutex::new(Inner {
                tree,
                failures: Vec::new(),
            }),
        }
    }

    /// Add a failure.
    pub fn inject(&self, failure: Failure) {
        self.lock().failures.push(failure);
    }

    /// Remove every failure.
    pub fn clear_failures(&self) {
        self.lock().failures.clear();
    }

    /// A copy of the registry as it is now.
    pub fn snapshot(&self) -> RegTree {
        self.lock().tree.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A test that panicked while holding the lock leaves a usable tree.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Inner {
    fn check_access(
        &self,
        hive: Hive,
        key: &str,
        value: Option<&str>,
        op: Operation,
    ) -> Result<(), StoreError> {
        for f in &self.failures {
            if let Failure::AccessDenied {
                hive: h,
                key: k,
                value: v,
                op: o,
            } = f
            {
                let op_matches = o.is_none_or(|o| o == op);
                let value_matches = match (v, value) {
                    (None, _) => true,
                    (Some(v), Some(value)) => v.eq_ignore_ascii_case(value),
                    (Some(_), None) => false,
                };
                if *h == hive && at_or_below(key, k) && op_matches && value_matches {
                    let at = match value {
                        Some(v) => Location::value(hive, key, v),
                        None => Location::key(hive, key),
                    };
                    return Err(StoreError::AccessDenied { at, op });
                }
            }
        }
        Ok(())
    }

    /// Run the one-shot failures that happen "just before a write".
    fn before_write(&mut self) {
        let mut keep = Vec::with_capacity(self.failures.len());
        for f in std::mem::take(&mut self.failures) {
            match f {
                Failure::KeyVanishes { hive, key } => {
                    self.tree.remove_tree(&hive.full_path(&key));
                }
                Failure::ConcurrentWrite {
                    hive,
                    key,
                    value,
                    data,
                } => {
                    let full = hive.full_path(&key);
                    match data {
                        Some(d) => {
                            self.tree.create_key(&full);
                            self.tree.set(&full, &value, d);
                        }
                        None => {
                            self.tree.delete(&full, &value);
                        }
                    }
                }
                other => keep.push(other),
            }
        }
        self.failures = keep;
    }

    fn write_is_lost(&self, hive: Hive, key: &str, value: &str) -> bool {
        self.failures.iter().any(|f| {
            matches!(f, Failure::LostWrite { hive: h, key: k, value: v }
                if *h == hive && same_key(k, key) && v.eq_ignore_ascii_case(value))
        })
    }
}

impl RegistryStore for MemoryStore {
    fn describe(&self) -> String {
        "memory".to_string()
    }

    fn key_exists(&self, hive: Hive, key: &str) -> Result<bool, StoreError> {
        let inner = self.lock();
        inner.check_access(hive, key, None, Operation::Read)?;
        Ok(inner.tree.key_exists(&hive.full_path(key)))
    }

    fn subkeys(&self, hive: Hive, key: &str) -> Result<Vec<String>, StoreError> {
        let inner = self.lock();
        inner.check_access(hive, key, None, Operation::Read)?;
        inner
            .tree
            .subkeys(&hive.full_path(key))
            .ok_or_else(|| StoreError::NotFound {
                at: Location::key(hive, key),
            })
    }

    fn values(&self, hive: Hive, key: &str) -> Result<Vec<(String, RegistryData)>, StoreError> {
        let inner = self.lock();
        inner.check_access(hive, key, None, Operation::Read)?;
        let values =
            inner
                .tree
                .values(&hive.full_path(key))
                .ok_or_else(|| StoreError::NotFound {
                    at: Location::key(hive, key),
                })?;
        for (name, _) in &values {
            inner.check_access(hive, key, Some(name), Operation::Read)?;
        }
        Ok(values)
    }

    fn read_value(
        &self,
        hive: Hive,
        key: &str,
        name: &str,
    ) -> Result<Option<RegistryData>, StoreError> {
        let inner = self.lock();
        inner.check_access(hive, key, Some(name), Operation::Read)?;
        Ok(inner.tree.read(&hive.full_path(key), name).cloned())
    }

    fn create_key(&self, hive: Hive, key: &str) -> Result<(), StoreError> {
        let mut inner = self.lock();
        inner.check_access(hive, key, None, Operation::Write)?;
        inner.before_write();
        inner.tree.create_key(&hive.full_path(key));
        Ok(())
    }

    fn set_value(
        &self,
        hive: Hive,
        key: &str,
        name: &str,
        data: &RegistryData,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock();
        inner.check_access(hive, key, Some(name), Operation::Write)?;
        inner.before_write();
        if inner.write_is_lost(hive, key, name) {
            return Ok(());
        }
        if inner.tree.set(&hive.full_path(key), name, data.clone()) {
            Ok(())
        } else {
            Err(StoreError::NotFound {
                at: Location::key(hive, key),
            })
        }
    }

    fn delete_value(&self, hive: Hive, key: &str, name: &str) -> Result<bool, StoreError> {
        let mut inner = self.lock();
        inner.check_access(hive, key, Some(name), Operation::Write)?;
        inner.before_write();
        if inner.write_is_lost(hive, key, name) {
            return Ok(inner.tree.read(&hive.full_path(key), name).is_some());
        }
        Ok(inner.tree.delete(&hive.full_path(key), name))
    }

    fn delete_empty_key(&self, hive: Hive, key: &str) -> Result<bool, StoreError> {
        let mut inner = self.lock();
        inner.check_access(hive, key, None, Operation::Write)?;
        inner.before_write();
        Ok(inner.tree.remove_empty_key(&hive.full_path(key)))
    }

    fn apply(&self, changes: &[Change]) -> Result<(), StoreError> {
        let mut inner = self.lock();
        for c in changes {
            inner.check_access(c.hive, &c.key, Some(&c.value), Operation::Read)?;
            inner.check_access(c.hive, &c.key, Some(&c.value), Operation::Write)?;
        }
        inner.before_write();
        let kept: Vec<Change> = changes
            .iter()
            .filter(|c| !inner.write_is_lost(c.hive, &c.key, &c.value))
            .cloned()
            .collect();
        // Expectations of lost writes are checked too.
        let mut tree = inner.tree.clone();
        tree.apply(changes)?;
        inner.tree.apply(&kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::store::Expect;

    const KEY: &str = r"Software\Test";

    fn change(expect: Expect, new: Option<RegistryData>) -> Change {
        Change {
            hive: Hive::CurrentUser,
            key: KEY.to_string(),
            value: "V".to_string(),
            expect,
            new,
            create_key: true,
        }
    }

    #[test]
    fn access_denied_on_a_key_or_one_value() {
        let s = MemoryStore::new();
        s.create_key(Hive::CurrentUser, KEY).unwrap();
        s.inject(Failure::AccessDenied {
            hive: Hive::CurrentUser,
            key: KEY.to_string(),
            value: Some("Locked".to_string()),
            op: Some(Operation::Write),
        });
        s.set_dword(Hive::CurrentUser, KEY, "Open", 1).unwrap();
        let err = s
            .set_dword(Hive::CurrentUser, KEY, "locked", 1)
            .unwrap_err();
        assert!(err.is_access_denied(), "{err}");
        assert!(
            err.to_string()
                .contains(r#"HKEY_CURRENT_USER\Software\Test value "locked""#)
        );
        // Reads still work.
        assert_eq!(
            s.read_value(Hive::CurrentUser, KEY, "Locked").unwrap(),
            None
        );

        s.inject(Failure::AccessDenied {
            hive: Hive::CurrentUser,
            key: "Software".to_string(),
            value: None,
            op: None,
        });
        assert!(
            s.read_value(Hive::CurrentUser, KEY, "Open")
                .unwrap_err()
                .is_access_denied()
        );
        s.clear_failures();
        assert_eq!(
            s.read_value(Hive::CurrentUser, KEY, "Open").unwrap(),
            Some(RegistryData::Dword(1))
        );
    }

    #[test]
    fn concurrent_write_is_detected_and_nothing_is_written() {
        let s = MemoryStore::new();
        s.inject(Failure::ConcurrentWrite {
            hive: Hive::CurrentUser,
            key: KEY.to_string(),
            value: "V".to_string(),
            data: Some(RegistryData::Dword(1)),
        });
        let err = s
            .apply(&[change(Expect::Exactly(None), Some(RegistryData::Dword(2)))])
            .unwrap_err();
        match err {
            StoreError::ConcurrentChange {
                expected, found, ..
            } => {
                assert_eq!(expected, None);
                assert_eq!(found, Some(RegistryData::Dword(1)));
            }
            other => panic!("{other}"),
        }
        assert_eq!(
            s.read_value(Hive::CurrentUser, KEY, "V").unwrap(),
            Some(RegistryData::Dword(1))
        );
        // One shot: the retry with the new expectation goes through.
        s.apply(&[change(
            Expect::Exactly(Some(RegistryData::Dword(1))),
            Some(RegistryData::Dword(2)),
        )])
        .unwrap();
    }

    #[test]
    fn vanished_key_is_not_found() {
        let s = MemoryStore::new();
        s.create_key(Hive::CurrentUser, KEY).unwrap();
        s.inject(Failure::KeyVanishes {
            hive: Hive::CurrentUser,
            key: KEY.to_string(),
        });
        let mut c = change(Expect::Anything, Some(RegistryData::Dword(1)));
        c.create_key = false;
        let err = s.apply(&[c]).unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
        assert!(!s.key_exists(Hive::CurrentUser, KEY).unwrap());
    }

    #[test]
    fn lost_write_reports_success() {
        let s = MemoryStore::new();
        s.inject(Failure::LostWrite {
            hive: Hive::CurrentUser,
            key: KEY.to_string(),
            value: "V".to_string(),
        });
        s.apply(&[change(Expect::Anything, Some(RegistryData::Dword(2)))])
            .unwrap();
        assert_eq!(s.read_value(Hive::CurrentUser, KEY, "V").unwrap(), None);
    }
}
