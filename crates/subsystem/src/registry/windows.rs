//! The Windows registry store (`--registry windows`, the default on
//! Windows), through `windows-registry`: `HKEY_CURRENT_USER` and
//! `HKEY_LOCAL_MACHINE`, with 32-bit Office's add-in keys reached by their
//! explicit `Software\WOW6432Node\…` path (what a 64-bit process sees of
//! the 32-bit view). `ERROR_ACCESS_DENIED` becomes
//! [`StoreError::AccessDenied`]; `ERROR_FILE_NOT_FOUND` (and a key deleted
//! under an open handle) becomes "absent" or [`StoreError::NotFound`].
//! Batches use the trait's default: check, write, restore on failure.

use windows_registry::{CURRENT_USER, Key, LOCAL_MACHINE, Type};

use super::RegistryData;
use super::store::{Hive, Location, Operation, RegistryStore, StoreError, normalize_key};

/// `HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)`.
const NOT_FOUND: u32 = 0x8007_0002;
/// `HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND)`.
const PATH_NOT_FOUND: u32 = 0x8007_0003;
/// `HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)`.
const ACCESS_DENIED: u32 = 0x8007_0005;
/// `HRESULT_FROM_WIN32(ERROR_KEY_DELETED)`.
const KEY_DELETED: u32 = 0x8007_03FA;

/// The real registry.
#[derive(Clone, Copy, Debug, Default)]
pub struct WindowsStore;

impl WindowsStore {
    /// The registry of the current user and machine.
    pub fn new() -> Self {
        WindowsStore
    }
}

fn root(hive: Hive) -> &'static Key {
    match hive {
        Hive::CurrentUser => CURRENT_USER,
        Hive::LocalMachine => LOCAL_MACHINE,
    }
}

/// The HRESULT of a windows-registry error, as an unsigned code.
fn code_of(e: &windows_registry::Result<()>) -> Option<u32> {
    e.as_ref().err().map(|e| e.code().0 as u32)
}

fn is_absent(code: u32) -> bool {
    matches!(code, NOT_FOUND | PATH_NOT_FOUND | KEY_DELETED)
}

/// Map an error to ours.
fn map_error(code: u32, message: String, at: Location, op: Operation) -> StoreError {
    match code {
        ACCESS_DENIED => StoreError::AccessDenied { at, op },
        c if is_absent(c) => StoreError::NotFound { at },
        _ => StoreError::Os {
            at,
            op,
            code,
            message,
        },
    }
}

fn err<T>(
    r: windows_registry::Result<T>,
    at: impl FnOnce() -> Location,
    op: Operation,
) -> Result<T, StoreError> {
    r.map_err(|e| map_error(e.code().0 as u32, e.message(), at(), op))
}

/// Open for reading; `Ok(None)` when the key does not exist.
fn open_read(hive: Hive, key: &str) -> Result<Option<Key>, StoreError> {
    match root(hive).open(key) {
        Ok(k) => Ok(Some(k)),
        Err(e) if is_absent(e.code().0 as u32) => Ok(None),
        Err(e) => Err(map_error(
            e.code().0 as u32,
            e.message(),
            Location::key(hive, key),
            Operation::Read,
        )),
    }
}

fn open_write(hive: Hive, key: &str) -> Result<Key, StoreError> {
    err(
        root(hive).options().read().write().open(key),
        || Location::key(hive, key),
        Operation::Write,
    )
}

/// A value's bytes and type as our data ([`RegistryData::from_raw`]: a
/// DWORD or QWORD of the wrong length, an unknown type and undecodable
/// text are kept as bytes).
fn to_data(ty: Type, bytes: &[u8]) -> RegistryData {
    RegistryData::from_raw(ty.into(), bytes)
}

/// Our data as the type and bytes to write ([`RegistryData::to_raw`]).
fn to_raw(data: &RegistryData) -> (Type, Vec<u8>) {
    let (ty, bytes) = data.to_raw();
    (ty.into(), bytes)
}

impl RegistryStore for WindowsStore {
    fn describe(&self) -> String {
        "windows".to_string()
    }

    fn key_exists(&self, hive: Hive, key: &str) -> Result<bool, StoreError> {
        let key = normalize_key(key);
        Ok(open_read(hive, &key)?.is_some())
    }

    fn subkeys(&self, hive: Hive, key: &str) -> Result<Vec<String>, StoreError> {
        let key = normalize_key(key);
        let at = || Location::key(hive, &key);
        let k = open_read(hive, &key)?.ok_or_else(|| StoreError::NotFound { at: at() })?;
        let mut names: Vec<String> = err(k.keys(), at, Operation::Read)?.collect();
        names.sort_by_key(|n| n.to_lowercase());
        Ok(names)
    }

    fn values(&self, hive: Hive, key: &str) -> Result<Vec<(String, RegistryData)>, StoreError> {
        let key = normalize_key(key);
        let at = || Location::key(hive, &key);
        let k = open_read(hive, &key)?.ok_or_else(|| StoreError::NotFound { at: at() })?;
        let mut values: Vec<(String, RegistryData)> = err(k.values(), at, Operation::Read)?
            .map(|(name, value)| {
                let data = to_data(value.ty(), &value);
                (name, data)
            })
            .collect();
        values.sort_by_key(|(n, _)| n.to_lowercase());
        Ok(values)
    }

    fn read_value(
        &self,
        hive: Hive,
        key: &str,
        name: &str,
    ) -> Result<Option<RegistryData>, StoreError> {
        let key = normalize_key(key);
        let Some(k) = open_read(hive, &key)? else {
            return Ok(None);
        };
        match k.get_value(name) {
            Ok(v) => Ok(Some(to_data(v.ty(), &v))),
            Err(e) if is_absent(e.code().0 as u32) => Ok(None),
            Err(e) => Err(map_error(
                e.code().0 as u32,
                e.message(),
                Location::value(hive, &key, name),
                Operation::Read,
            )),
        }
    }

    fn create_key(&self, hive: Hive, key: &str) -> Result<(), StoreError> {
        let key = normalize_key(key);
        err(
            root(hive).create(&key),
            || Location::key(hive, &key),
            Operation::Write,
        )
        .map(|_| ())
    }

    fn set_value(
        &self,
        hive: Hive,
        key: &str,
        name: &str,
        data: &RegistryData,
    ) -> Result<(), StoreError> {
        let key = normalize_key(key);
        let k = open_write(hive, &key)?;
        let (ty, bytes) = to_raw(data);
        err(
            k.set_bytes(name, ty, &bytes),
            || Location::value(hive, &key, name),
            Operation::Write,
        )
    }

    fn delete_empty_key(&self, hive: Hive, key: &str) -> Result<bool, StoreError> {
        let key = normalize_key(key);
        let Some((parent, name)) = key.rsplit_once('\\') else {
            return Ok(false);
        };
        let at = || Location::key(hive, &key);
        let Some(k) = open_read(hive, &key)? else {
            return Ok(false);
        };
        let empty = err(k.keys(), at, Operation::Read)?.next().is_none()
            && err(k.values(), at, Operation::Read)?.next().is_none();
        drop(k);
        if !empty {
            return Ok(false);
        }
        // RegDeleteTreeW wants DELETE on the handle besides KEY_READ.
        const DELETE: u32 = 0x0001_0000;
        let p = err(
            root(hive)
                .options()
                .read()
                .write()
                .access(DELETE)
                .open(parent),
            at,
            Operation::Write,
        )?;
        err(p.remove_tree(name), at, Operation::Write).map(|()| true)
    }

    fn delete_value(&self, hive: Hive, key: &str, name: &str) -> Result<bool, StoreError> {
        let key = normalize_key(key);
        let k = match open_write(hive, &key) {
            Ok(k) => k,
            Err(StoreError::NotFound { .. }) => return Ok(false),
            Err(e) => return Err(e),
        };
        let result = k.remove_value(name);
        match code_of(&result) {
            None => Ok(true),
            Some(c) if is_absent(c) => Ok(false),
            Some(_) => err(
                result,
                || Location::value(hive, &key, name),
                Operation::Write,
            )
            .map(|()| true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_round_trip() {
        for d in [
            RegistryData::Dword(2),
            RegistryData::Qword(3),
            RegistryData::String("é".into()),
            RegistryData::ExpandString("%TEMP%".into()),
            RegistryData::MultiString(vec!["a".into(), "b".into()]),
            RegistryData::Binary(vec![1, 2, 3]),
        ] {
            let (ty, bytes) = to_raw(&d);
            assert_eq!(to_data(ty, &bytes), d);
        }
        assert_eq!(
            to_data(Type::U32, &[1, 0, 0]),
            RegistryData::Binary(vec![1, 0, 0])
        );
    }
}
