//! The in-memory registry tree behind the memory and file stores: keys by
//! full path (`HKEY_CURRENT_USER\Software\…`), compared case-insensitively,
//! each with its typed values. A key keeps its name as created, under its
//! parent's path as that was created; creating a key creates its parents,
//! as the registry does. Every
//! operation is pure; the stores add locking, persistence and failures.

use std::collections::BTreeMap;

use super::RegistryData;
use super::store::{Change, Expect, Location, StoreError, normalize_key};

/// One key: its path as created and its values by lower-case name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyNode {
    /// Full path with the original case.
    pub path: String,
    /// Lower-case name -> (name as written, data).
    pub values: BTreeMap<String, (String, RegistryData)>,
}

/// A registry: keys by lower-case full path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegTree {
    keys: BTreeMap<String, KeyNode>,
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

impl RegTree {
    /// An empty registry.
    pub fn new() -> Self {
        RegTree::default()
    }

    /// Every key (explicit or parent), in case-insensitive path order.
    pub fn keys(&self) -> impl Iterator<Item = &KeyNode> {
        self.keys.values()
    }

    /// True when the tree holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Whether the key has at least one subkey.
    pub fn has_subkeys(&self, full: &str) -> bool {
        let prefix = format!("{}\\", lower(&normalize_key(full)));
        self.keys
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// Whether the key at `full` exists; a bare root (`HKEY_CURRENT_USER`)
    /// always does.
    pub fn key_exists(&self, full: &str) -> bool {
        let full = normalize_key(full);
        !full.contains('\\') || self.keys.contains_key(&lower(&full))
    }

    /// The key's values sorted by lower-case name, `None` when the key is
    /// absent.
    pub fn values(&self, full: &str) -> Option<Vec<(String, RegistryData)>> {
        let full = normalize_key(full);
        match self.keys.get(&lower(&full)) {
            Some(node) => Some(node.values.values().cloned().collect()),
            None if !full.contains('\\') => Some(Vec::new()),
            None => None,
        }
    }

    /// The direct subkeys' names (as created), `None` when the key is absent.
    pub fn subkeys(&self, full: &str) -> Option<Vec<String>> {
        let full = normalize_key(full);
        if !self.key_exists(&full) {
            return None;
        }
        let prefix = format!("{}\\", lower(&full));
        let mut names: Vec<String> = Vec::new();
        for (k, node) in self.keys.range(prefix.clone()..) {
            let Some(rest) = k.strip_prefix(&prefix) else {
                break;
            };
            if rest.contains('\\') {
                continue;
            }
            // The child's own name with its original case.
            let name = node.path.rsplit('\\').next().unwrap_or(rest).to_string();
            names.push(name);
        }
        Some(names)
    }

    /// One value, `None` when it or its key is absent.
    pub fn read(&self, full: &str, name: &str) -> Option<&RegistryData> {
        self.keys
            .get(&lower(&normalize_key(full)))
            .and_then(|node| node.values.get(&lower(name)))
            .map(|(_, d)| d)
    }

    /// Create the key and every missing parent (the bare root is implicit).
    /// As in the registry, a key's name is its own and its parents' are
    /// theirs: a new key's path is its existing parent's path as created,
    /// then its own name as written here, so creating
    /// `hkey_current_user\software\x\Child` under an existing
    /// `HKEY_CURRENT_USER\Software\X` gives `HKEY_CURRENT_USER\Software\X\Child`.
    /// (Taking the whole path as written made a child disagree with its
    /// parent, and the file store, which leaves out an empty key that has
    /// subkeys, read that parent back in the child's spelling: found by the
    /// `regfile` fuzz target.)
    pub fn create_key(&mut self, full: &str) {
        let full = normalize_key(full);
        let mut parts = full.split('\\');
        let mut path = parts.next().unwrap_or_default().to_string();
        for part in parts {
            let child = format!("{path}\\{part}");
            let node = self.keys.entry(lower(&child)).or_insert_with(|| KeyNode {
                path: child,
                values: BTreeMap::new(),
            });
            path.clone_from(&node.path);
        }
    }

    /// Write a value; `false` (nothing written) when the key is absent. A
    /// value whose name differs only in case is replaced, keeping its name.
    pub fn set(&mut self, full: &str, name: &str, data: RegistryData) -> bool {
        let full = normalize_key(full);
        if !full.contains('\\') {
            self.create_key(&full);
        }
        let Some(node) = self.keys.get_mut(&lower(&full)) else {
            return false;
        };
        let entry = node
            .values
            .entry(lower(name))
            .or_insert_with(|| (name.to_string(), data.clone()));
        entry.1 = data;
        true
    }

    /// Delete a value; `true` when it existed.
    pub fn delete(&mut self, full: &str, name: &str) -> bool {
        self.keys
            .get_mut(&lower(&normalize_key(full)))
            .is_some_and(|node| node.values.remove(&lower(name)).is_some())
    }

    /// Remove the key and everything below it; `true` when it existed.
    pub fn remove_tree(&mut self, full: &str) -> bool {
        let key = lower(&normalize_key(full));
        let prefix = format!("{key}\\");
        let before = self.keys.len();
        self.keys
            .retain(|k, _| *k != key && !k.starts_with(&prefix));
        self.keys.len() != before
    }

    /// Remove the key when it exists and holds no value and no subkey;
    /// `true` when it was removed. A bare root is never removed.
    pub fn remove_empty_key(&mut self, full: &str) -> bool {
        let full = normalize_key(full);
        let key = lower(&full);
        let empty = self.keys.get(&key).is_some_and(|n| n.values.is_empty());
        if !full.contains('\\') || !empty || self.has_subkeys(&full) {
            return false;
        }
        self.keys.remove(&key).is_some()
    }

    /// Apply a batch all or nothing: check every expectation and key, then
    /// write (the caller holds whatever lock makes this atomic).
    pub fn apply(&mut self, changes: &[Change]) -> Result<(), StoreError> {
        for c in changes {
            let full = c.hive.full_path(&c.key);
            let current = self.read(&full, &c.value).cloned();
            if let Expect::Exactly(expected) = &c.expect
                && *expected != current
            {
                return Err(StoreError::ConcurrentChange {
                    at: c.location(),
                    expected: expected.clone(),
                    found: current,
                });
            }
            if !c.create_key && !self.key_exists(&full) {
                return Err(StoreError::NotFound {
                    at: Location::key(c.hive, &c.key),
                });
            }
        }
        for c in changes {
            let full = c.hive.full_path(&c.key);
            match &c.new {
                Some(d) => {
                    if c.create_key {
                        self.create_key(&full);
                    }
                    self.set(&full, &c.value, d.clone());
                }
                None => {
                    self.delete(&full, &c.value);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_are_created_and_names_keep_their_case() {
        let mut t = RegTree::new();
        t.create_key(r"HKEY_CURRENT_USER\Software\Foo\Bar");
        assert!(t.key_exists(r"hkey_current_user\software\foo"));
        assert!(t.key_exists("HKEY_CURRENT_USER"));
        assert_eq!(
            t.subkeys(r"HKEY_CURRENT_USER\software").unwrap(),
            vec!["Foo".to_string()]
        );
        assert!(t.set(
            r"HKEY_CURRENT_USER\Software\Foo",
            "Value",
            RegistryData::Dword(1)
        ));
        assert!(t.set(
            r"HKEY_CURRENT_USER\Software\Foo",
            "VALUE",
            RegistryData::Dword(2)
        ));
        assert_eq!(
            t.values(r"HKEY_CURRENT_USER\Software\Foo").unwrap(),
            vec![("Value".to_string(), RegistryData::Dword(2))]
        );
        assert!(!t.set(r"HKEY_CURRENT_USER\Nope", "x", RegistryData::Dword(1)));
        assert!(
            !t.remove_empty_key(r"HKEY_CURRENT_USER\Software\Foo"),
            "a key with values and a subkey stays"
        );
        assert!(t.remove_empty_key(r"HKEY_CURRENT_USER\Software\Foo\Bar"));
        assert!(!t.key_exists(r"HKEY_CURRENT_USER\Software\Foo\Bar"));
        assert!(!t.remove_empty_key("HKEY_CURRENT_USER"));
        assert!(t.remove_tree(r"HKEY_CURRENT_USER\Software\Foo"));
        assert!(!t.key_exists(r"HKEY_CURRENT_USER\Software\Foo\Bar"));
        assert!(t.key_exists(r"HKEY_CURRENT_USER\Software"));
    }

    #[test]
    fn a_new_key_takes_its_parents_spelling_and_its_own_name() {
        let mut t = RegTree::new();
        t.create_key(r"HKEY_CURRENT_USER\Software\X");
        t.create_key(r"hkey_current_user\SOFTWARE\x\Child\grandChild");
        let paths: Vec<&str> = t.keys().map(|k| k.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                r"HKEY_CURRENT_USER\Software",
                r"HKEY_CURRENT_USER\Software\X",
                r"HKEY_CURRENT_USER\Software\X\Child",
                r"HKEY_CURRENT_USER\Software\X\Child\grandChild",
            ]
        );
        // An existing key keeps its name; a new sibling has its own.
        t.create_key(r"HKEY_CURRENT_USER\software\CHILD2");
        assert_eq!(
            t.subkeys(r"HKEY_CURRENT_USER\Software").unwrap(),
            ["CHILD2".to_string(), "X".to_string()]
        );
        assert!(t.key_exists(r"HKEY_CURRENT_USER\Software\CHILD2"));
    }

    #[test]
    fn subkeys_skip_grandchildren_and_siblings_with_a_common_prefix() {
        let mut t = RegTree::new();
        t.create_key(r"HKEY_CURRENT_USER\A\B\C");
        t.create_key(r"HKEY_CURRENT_USER\A\D");
        t.create_key(r"HKEY_CURRENT_USER\AB\X");
        assert_eq!(
            t.subkeys(r"HKEY_CURRENT_USER\A").unwrap(),
            vec!["B".to_string(), "D".to_string()]
        );
        assert_eq!(t.subkeys(r"HKEY_CURRENT_USER\Z"), None);
    }
}
