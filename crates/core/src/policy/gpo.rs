//! Group Policy `Registry.pol` files for the shutdown policies: the export
//! of the three policies as a GPO's `User\Registry.pol`, and the read,
//! validation and import plan of such a file (docs/group-policy.md).
//!
//! The format (PReg version 1: the signature `PReg`, the version, then
//! `[key;value;type;size;data]` records, strings UTF-16LE with a NUL) is
//! read and written by the `preg` crate. This module adds what a faithful
//! import needs and `preg` 0.1 leaves out:
//! - every record's names are checked to be exactly what the file holds:
//!   `preg` decodes them lossily (a lone UTF-16 surrogate becomes U+FFFD),
//!   and a name that is not text is refused with its byte offset rather
//!   than guessed at;
//! - a record's data is taken from its raw type and bytes
//!   ([`RegistryData::from_raw`]): `preg` keeps the first 4 bytes of a
//!   longer `REG_DWORD`, we keep such data as bytes, shown and refused as
//!   invalid, never coerced;
//! - the `**` instructions are told apart here: `preg`'s
//!   `PolicyEntry::directive` slices the value name at a byte index and
//!   panics on some non-ASCII names (`**aéé`).
//!
//! Sources: [MS-GPREG] §2.2.1 (the file format and the `**del.`,
//! `**delvals.`, `**DeleteValues`, `**DeleteKeys`, `**SecureKey` and
//! `**soft.` instructions); Microsoft's "Registry Policy File Format" page;
//! outlk16.admx, whose three shutdown policies are User policies written in
//! lower case under `software\policies\microsoft\office\16.0\outlook\options\shutdown`
//! (docs/domain.md).

use std::collections::BTreeMap;
use std::path::Path;

use regashii::{Format, Key, Registry, Value};
use serde::Serialize;

use super::addins;
use super::regfile;
use super::settings::{SettingState, ShutdownValue, policy_key_version};
use super::store::{Hive, Location, RegistryStore, StoreError};
use super::transfer::{self, ImportPlan, Refusal, RefusalKind};
use super::{OfficeVersion, RegistryData};
use crate::i18n::text::Text;

/// The largest `Registry.pol` read: 16 MiB, as for `.reg` files. A GPO's
/// `User\Registry.pol` with every Office policy set is a few hundred KB.
pub const MAX_POL_FILE_BYTES: u64 = regfile::MAX_REG_FILE_BYTES;

/// The most records read from a `Registry.pol`: the `.reg` import's limit
/// of keys and values ([`transfer::MAX_IMPORT_ENTRIES`]).
pub const MAX_POL_RECORDS: usize = transfer::MAX_IMPORT_ENTRIES;

/// The data Group Policy's own tools write with a `**del.` record: a
/// `REG_SZ` of one space (the client ignores it).
const DELETE_DATA: &str = " ";

/// What one record tells the Group Policy client to do ([MS-GPREG]
/// §2.2.1: a value name starting with `**` is an instruction).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", content = "arg", rename_all = "kebab-case")]
pub enum PolAction {
    /// Set the value to this data (a value name without `**`).
    Set(RegistryData),
    /// `**del.<name>`: delete the value `name`.
    DeleteValue(String),
    /// `**DeleteValues`: delete the values its `;`-separated data lists.
    DeleteValues(Vec<String>),
    /// `**delvals.`: delete every value of the key.
    DeleteAllValues,
    /// `**DeleteKeys`: delete the subkeys its `;`-separated data lists.
    DeleteKeys(Vec<String>),
    /// `**soft.<name>`: set `name` only where it does not exist yet.
    Soft(String, RegistryData),
    /// `**SecureKey`: set the key's security.
    SecureKey,
    /// Another `**` instruction (the value name as written).
    Other(String),
}

impl PolAction {
    /// The instruction for a record's value name and data. The prefixes
    /// are ASCII and compared without case; the rest of the name is kept
    /// as written.
    fn of(value: &str, data: RegistryData) -> PolAction {
        let lower = value.to_ascii_lowercase();
        // `to_ascii_lowercase` keeps byte positions, and an ASCII prefix
        // that matched ends on a character boundary.
        let rest = |prefix: &str| value.get(prefix.len()..).unwrap_or("").to_string();
        let list = |d: &RegistryData| match d {
            RegistryData::String(s) | RegistryData::ExpandString(s) => s
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            RegistryData::MultiString(v) => v.clone(),
            _ => Vec::new(),
        };
        if !lower.starts_with("**") {
            PolAction::Set(data)
        } else if lower.starts_with("**del.") {
            PolAction::DeleteValue(rest("**del."))
        } else if lower.starts_with("**soft.") {
            PolAction::Soft(rest("**soft."), data)
        } else if lower.starts_with("**delvals") {
            PolAction::DeleteAllValues
        } else if lower == "**deletevalues" {
            PolAction::DeleteValues(list(&data))
        } else if lower == "**deletekeys" {
            PolAction::DeleteKeys(list(&data))
        } else if lower == "**securekey" {
            PolAction::SecureKey
        } else {
            PolAction::Other(value.to_string())
        }
    }
}

/// One record of a `Registry.pol`, as read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolRecord {
    /// Where the record starts (its `[`), in bytes from the file's start.
    pub offset: u64,
    /// The key, relative to the hive the file applies to (HKCU for a
    /// GPO's `User\Registry.pol`), as written.
    pub key: String,
    /// The value name as written (`**del.FastShutdownBehavior` included).
    pub value: String,
    /// What the record does.
    #[serde(flatten)]
    pub action: PolAction,
}

/// A `Registry.pol` as read: its records in file order (the order the
/// Group Policy client applies them in).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PolFile {
    /// The records.
    pub records: Vec<PolRecord>,
}

/// Whether `bytes` start like a `Registry.pol` (the `PReg` signature).
pub fn is_pol(bytes: &[u8]) -> bool {
    bytes.starts_with(preg::SIGNATURE)
}

/// Read and validate a `Registry.pol` from `bytes` (`path` only names the
/// file in errors).
///
/// # Errors
/// [`StoreError::TooLarge`] over [`MAX_POL_FILE_BYTES`];
/// [`StoreError::Malformed`] naming `path` and the byte offset of the
/// first fault: a wrong signature or version, a record cut short or not
/// delimited as `[key;value;type;size;data]`, a size past the end of the
/// file, a name that is not UTF-16 text (a lone surrogate), more than
/// [`MAX_POL_RECORDS`] records.
pub fn parse(bytes: &[u8], path: &Path) -> Result<PolFile, StoreError> {
    let malformed = |offset: usize, message: String| StoreError::Malformed {
        path: path.to_path_buf(),
        offset: offset as u64,
        message,
    };
    if bytes.len() as u64 > MAX_POL_FILE_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            bytes: bytes.len() as u64,
            limit: MAX_POL_FILE_BYTES,
        });
    }
    if bytes.len() < 8 {
        return Err(malformed(
            0,
            format!(
                "the file is {} bytes long, shorter than the 8-byte header of a Registry.pol \
                 (PReg, version 1)",
                bytes.len()
            ),
        ));
    }
    let file = preg::PolicyFile::parse(bytes).map_err(|e| {
        let (offset, message) = describe_error(&e);
        malformed(offset, message)
    })?;
    let mut records = Vec::with_capacity(file.entries.len().min(MAX_POL_RECORDS));
    let mut at = 8usize;
    for (i, entry) in file.entries.iter().enumerate() {
        if i == MAX_POL_RECORDS {
            return Err(malformed(
                at,
                format!(
                    "more than {MAX_POL_RECORDS} records: far more than any Group Policy \
                     object's user settings; is it the right file?"
                ),
            ));
        }
        let start = at;
        let (record, next) = exact_record(bytes, start, entry).map_err(|(o, m)| malformed(o, m))?;
        records.push(record);
        at = next;
    }
    Ok(PolFile { records })
}

/// `preg`'s error as an offset and words for people.
fn describe_error(e: &preg::PolError) -> (usize, String) {
    use preg::PolError::*;
    match e {
        BadSignature => (
            0,
            "not a Group Policy Registry.pol file: it does not start with the signature \"PReg\""
                .to_string(),
        ),
        BadVersion(v) => (
            4,
            format!("PReg version {v}: Windows writes and reads only version 1"),
        ),
        Truncated(o) => (*o, "the file ends inside a record".to_string()),
        Expected { expected, at } => (
            *at,
            format!(
                "expected '{expected}' here: every record is [key;value;type;size;data] in \
                 UTF-16LE"
            ),
        ),
        UnterminatedString(o) => (
            *o,
            "a name with no terminating NUL: the file ends inside it".to_string(),
        ),
        BadDataLength { at, len, left } => (
            *at,
            format!("the record's size says {len} bytes of data, but only {left} are left"),
        ),
    }
}

/// The record `entry` (as `preg` read it) that starts at `start` in
/// `bytes`, checked against the bytes, and the offset of the next one.
/// Errors: the offset and what is wrong there.
fn exact_record(
    bytes: &[u8],
    start: usize,
    entry: &preg::PolicyEntry,
) -> Result<(PolRecord, usize), (usize, String)> {
    let inconsistent = |at: usize| {
        (
            at,
            "the record could not be read consistently; the file is damaged".to_string(),
        )
    };
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| inconsistent(at))
    };
    let mut at = start + 2; // '['
    at = exact_name(bytes, at, &entry.key, "key")?;
    at += 2; // ';'
    at = exact_name(bytes, at, &entry.value, "value name")?;
    at += 2; // ';'
    let ty = u32_at(at)?;
    at += 6; // type, ';'
    let size = u32_at(at)? as usize;
    at += 6; // size, ';'
    let raw = bytes.get(at..at + size).ok_or_else(|| inconsistent(at))?;
    let data = RegistryData::from_raw(ty, raw);
    at += size + 2; // data, ']'
    Ok((
        PolRecord {
            offset: start as u64,
            key: entry.key.clone(),
            value: entry.value.clone(),
            action: PolAction::of(&entry.value, data),
        },
        at,
    ))
}

/// Check that the NUL-terminated UTF-16LE name at `at` is `name` exactly,
/// and return the offset after its NUL. A lone surrogate (which `preg`
/// read as U+FFFD) is refused with its offset.
fn exact_name(bytes: &[u8], at: usize, name: &str, what: &str) -> Result<usize, (usize, String)> {
    let mut pos = at;
    for unit in name.encode_utf16().chain([0]) {
        let raw = bytes
            .get(pos..pos + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or((pos, format!("the file ends inside a {what}")))?;
        if raw != unit {
            return Err((
                pos,
                format!(
                    "the {what} holds the UTF-16 unit 0x{raw:04X}, a lone surrogate: it is not \
                     text, so the name cannot be known; Group Policy's own tools never write one"
                ),
            ));
        }
        pos += 2;
    }
    Ok(pos)
}

/// Read and validate the `Registry.pol` at `path` ([`parse`]).
///
/// # Errors
/// [`StoreError::Io`] naming `path` when it cannot be read (a missing
/// file in the OS's words); [`StoreError::TooLarge`] over
/// [`MAX_POL_FILE_BYTES`], told before the file is read whole;
/// the errors of [`parse`].
pub fn read_file(path: &Path) -> Result<PolFile, StoreError> {
    let bytes = regfile::read_bounded(path, MAX_POL_FILE_BYTES)?;
    parse(&bytes, path)
}

/// What [`export`] made: the file and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolExport {
    /// The `Registry.pol` to write ([`write_file`]).
    pub file: preg::PolicyFile,
    /// Values set.
    pub values: usize,
    /// `**del.` records written for policies not configured.
    pub deletions: usize,
    /// Policy values left out because their data is invalid (a GPO must
    /// not spread it): where, and the data.
    pub skipped: Vec<(Location, RegistryData)>,
}

/// The three policies of `versions` as a GPO's `User\Registry.pol`: each
/// configured valid value as a `REG_DWORD` record (key and value names
/// spelt as outlk16.admx writes them, in lower case), and, with
/// `delete_unset`, a `**del.` record for each policy not configured, so
/// that the GPO removes a value set earlier (by hand or by another GPO).
/// As for `.reg` exports, with several versions only those whose Shutdown
/// key exists are written. Invalid data is left out and listed. The
/// add-ins' `RequireShutdownNotification` is not a policy (it lives
/// outside `Software\Policies`) and is never written.
///
/// # Errors
/// [`StoreError`] when reading the store fails.
pub fn export(
    store: &dyn RegistryStore,
    versions: &[OfficeVersion],
    delete_unset: bool,
) -> Result<PolExport, StoreError> {
    let mut out = PolExport {
        file: preg::PolicyFile::new(),
        values: 0,
        deletions: 0,
        skipped: Vec::new(),
    };
    for v in versions {
        let key = v.shutdown_policy_key();
        if versions.len() > 1 && !store.key_exists(Hive::CurrentUser, &key)? {
            continue;
        }
        let admx_key = key.to_ascii_lowercase();
        for value in ShutdownValue::POLICY {
            let admx_name = value.name().to_ascii_lowercase();
            match store.read_value(Hive::CurrentUser, &key, value.name())? {
                Some(RegistryData::Dword(d))
                    if value.interpret(Some(&RegistryData::Dword(d)), None).state
                        == SettingState::Valid =>
                {
                    out.file.entries.push(preg::PolicyEntry::new(
                        &admx_key,
                        admx_name,
                        preg::RegData::Dword(d),
                    ));
                    out.values += 1;
                }
                Some(other) => out.skipped.push((
                    Location::value(Hive::CurrentUser, &key, value.name()),
                    other,
                )),
                None if delete_unset => {
                    out.file.entries.push(preg::PolicyEntry::new(
                        &admx_key,
                        format!("**del.{admx_name}"),
                        preg::RegData::Sz(DELETE_DATA.to_string()),
                    ));
                    out.deletions += 1;
                }
                None => {}
            }
        }
    }
    Ok(out)
}

/// Write a `Registry.pol` to `path` all at once, through a temporary file
/// renamed over `path` (a symbolic link at `path` is replaced, not
/// followed; a replaced file's mode is kept).
///
/// # Errors
/// [`StoreError::Io`] naming `path`.
pub fn write_file(file: &preg::PolicyFile, path: &Path) -> Result<(), StoreError> {
    crate::trace::files::write_atomically(
        path,
        &file.to_bytes(),
        crate::trace::files::FileMode::Shared,
    )
    .map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        action: "writing",
        source,
    })
}

/// One value's last word in the file: its key and name as first written,
/// and its data (`None`: deleted).
struct Final {
    key: String,
    name: String,
    data: Option<RegistryData>,
}

/// Plan applying the `Registry.pol` `pol` to `store` as Group Policy
/// would apply it to the current user (its keys under HKCU), through the
/// same classification and validation as a `.reg` import
/// ([`transfer::plan_import`]): only the three policy values under a
/// Shutdown policy key and `RequireShutdownNotification` under a
/// registered add-in's key are planned, each a valid `REG_DWORD` or a
/// deletion; everything else is listed as refused. Records apply in file
/// order, so a later record of the same value wins (as for the client).
/// `**del.`, `**DeleteValues` and `**delvals.` become deletions;
/// `**soft.`, `**DeleteKeys`, `**SecureKey` and unknown instructions are
/// refused (not writable on a shutdown key, foreign elsewhere).
///
/// # Errors
/// [`StoreError`] when reading the current values fails.
pub fn plan_import(store: &dyn RegistryStore, pol: &PolFile) -> Result<ImportPlan, StoreError> {
    let mut finals: BTreeMap<(String, String), Final> = BTreeMap::new();
    let mut keys_only: Vec<String> = Vec::new();
    let mut refused = Vec::new();
    let mut put = |key: &str, name: &str, data: Option<RegistryData>| {
        let id = (
            regfile_key(key).to_ascii_lowercase(),
            name.to_ascii_lowercase(),
        );
        finals
            .entry(id)
            .and_modify(|f| f.data = data.clone())
            .or_insert(Final {
                key: key.to_string(),
                name: name.to_string(),
                data,
            });
    };
    for r in &pol.records {
        let kind = shutdown_key_kind(&r.key);
        match &r.action {
            PolAction::Set(d) => put(&r.key, &r.value, Some(d.clone())),
            PolAction::DeleteValue(name) => put(&r.key, name, None),
            PolAction::DeleteValues(names) => {
                for name in names {
                    put(&r.key, name, None);
                }
            }
            PolAction::DeleteAllValues => match kind {
                Some(names) => {
                    for name in names {
                        put(&r.key, name, None);
                    }
                }
                None => keys_only.push(r.key.clone()),
            },
            PolAction::Soft(..)
            | PolAction::DeleteKeys(_)
            | PolAction::SecureKey
            | PolAction::Other(_) => refused.push(Refusal {
                key: full_key(&r.key),
                value: Some(r.value.clone()),
                kind: if kind.is_some() {
                    RefusalKind::NotWritable
                } else {
                    RefusalKind::Foreign
                },
                reason: Text::new("policy-refused-pol-instruction").str("instruction", &r.value),
            }),
        }
    }
    let mut reg = Registry::new(Format::Regedit5);
    for key in keys_only {
        reg.insert(full_key(&key).as_str().into(), Key::new());
    }
    for f in finals.into_values() {
        let value = match &f.data {
            Some(d) => regfile::from_data(d),
            None => Value::Delete,
        };
        reg.insert(
            full_key(&f.key).as_str().into(),
            Key::new().with(regfile::value_name(&f.name), value),
        );
    }
    let mut plan = transfer::plan_import(store, &reg)?;
    plan.refused.extend(refused);
    Ok(plan)
}

/// A key of the file as an HKCU path.
fn full_key(key: &str) -> String {
    Hive::CurrentUser.full_path(key)
}

/// A key as the registry compares it (no trailing `\`).
fn regfile_key(key: &str) -> &str {
    key.trim_end_matches('\\')
}

/// The values a shutdown key may hold (for `**delvals.`), or `None` when
/// the key is not one.
fn shutdown_key_kind(key: &str) -> Option<Vec<&'static str>> {
    if policy_key_version(Hive::CurrentUser, key).is_some() {
        Some(ShutdownValue::POLICY.iter().map(|v| v.name()).collect())
    } else if addins::classify_key(Hive::CurrentUser, key).is_some() {
        Some(vec![ShutdownValue::RequireShutdownNotification.name()])
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
