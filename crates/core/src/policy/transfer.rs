//! `.reg` export and import of the shutdown settings, through regashii.
//!
//! Export writes the configured policy values of every Office version (or
//! one) under their Shutdown keys, and with every version the add-ins'
//! `RequireShutdownNotification` values, as a regedit "Version 5.00" file
//! (UTF-16LE) that `reg import` and regedit accept.
//!
//! Import reads a `.reg` file (validated line by line first, see
//! [`super::regfile`]) and plans only shutdown-related changes: the three
//! policy values under `HKEY_CURRENT_USER\…\Office\<ver>\Outlook\Options\Shutdown`
//! and `RequireShutdownNotification` under a registered add-in's key, each a
//! valid `REG_DWORD` or a deletion (`"Name"=-`). Everything else (other
//! keys, other values, invalid data, whole-key deletions) is listed as
//! refused and not applied. The plan is a diff against the current values;
//! applying it goes through [`super::edit::write`].
//!
//! `policy undo` restores a backup through the same classification
//! ([`plan_restore`]): a backup file is only a `.reg` file in a directory,
//! so what it holds beyond shutdown settings is refused and listed too.

use std::path::Path;

use regashii::{Format, Key, KeyKind, Registry};
use serde::Serialize;

use super::addins;
use super::backup::Backup;
use super::edit::PlannedChange;
use super::regfile;
use super::settings::{SettingState, ShutdownValue, policy_key_version};
use super::store::{Hive, Location, RegistryStore, StoreError};
use super::{OfficeVersion, RegistryData};
use crate::i18n::text::Text;

/// The settings as a regedit registry: each version's configured policy
/// values (the Shutdown key is written, possibly empty, when it exists or
/// when `versions` names one version), and, when `with_addins`, every
/// add-in's configured `RequireShutdownNotification`. Invalid data is
/// exported as it is.
pub fn export(
    store: &dyn RegistryStore,
    versions: &[OfficeVersion],
    with_addins: bool,
) -> Result<Registry, StoreError> {
    let mut reg = Registry::new(Format::Regedit5);
    for v in versions {
        let key = v.shutdown_policy_key();
        let exists = store.key_exists(Hive::CurrentUser, &key)?;
        if !exists && versions.len() > 1 {
            continue;
        }
        let mut section = Key::new();
        for value in ShutdownValue::POLICY {
            if let Some(d) = store.read_value(Hive::CurrentUser, &key, value.name())? {
                section.insert(regfile::value_name(value.name()), regfile::from_data(&d));
            }
        }
        reg.insert(Hive::CurrentUser.full_path(&key).as_str().into(), section);
    }
    if with_addins {
        for a in addins::list_addins(store)?.addins {
            if let Some(d) = a.require_shutdown_notification.raw {
                reg.insert(
                    a.key.as_str().into(),
                    Key::new().with(
                        regfile::value_name(ShutdownValue::RequireShutdownNotification.name()),
                        regfile::from_data(&d),
                    ),
                );
            }
        }
    }
    Ok(reg)
}

/// Write an export to `path` as regedit does (UTF-16LE with BOM, CRLF),
/// all at once through a temporary file renamed over `path`
/// ([`crate::trace::files::write_atomically`]: a symbolic link at `path`
/// is replaced, not followed; a replaced file's mode is kept).
///
/// # Errors
/// [`StoreError::Io`] naming `path`.
pub fn write_reg_file(reg: &Registry, path: &Path) -> Result<(), StoreError> {
    let bytes = regfile::encode_regedit5(&reg.serialize());
    crate::trace::files::write_atomically(path, &bytes, crate::trace::files::FileMode::Shared)
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            action: "writing",
            source,
        })
}

/// A regedit registry that sets each location's value to its data
/// (`None`: a `"name"=-` deletion), keys merged. Used for backups (the data
/// before a write) and for "export these pending changes" (the data after),
/// which an admin imports elevated with `reg import`.
pub fn values_registry<'a>(
    values: impl IntoIterator<Item = (&'a Location, Option<&'a RegistryData>)>,
) -> Registry {
    let mut reg = Registry::new(Format::Regedit5);
    for (at, data) in values {
        let Some(name) = &at.value else { continue };
        let value = match data {
            Some(d) => regfile::from_data(d),
            None => regashii::Value::Delete,
        };
        reg.insert(
            at.full_key().as_str().into(),
            Key::new().with(regfile::value_name(name), value),
        );
    }
    reg
}

/// The `after` side of planned changes as a `.reg` registry
/// ([`values_registry`]).
pub fn changes_registry(changes: &[PlannedChange]) -> Registry {
    values_registry(changes.iter().map(|c| (&c.at, c.after.as_ref())))
}

/// Which kind of refusal: what `policy import` lists apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefusalKind {
    /// Not a shutdown setting: a foreign key, a value the shutdown keys do
    /// not hold, another hive.
    Foreign,
    /// A shutdown setting with data it cannot hold (`FastShutdownBehavior`
    /// `REG_DWORD 7`, a string).
    InvalidData,
    /// A shutdown key the import does not write that way: a whole-key
    /// deletion, an add-in that is not registered.
    NotWritable,
}

impl RefusalKind {
    /// Every kind, in the order they are listed.
    pub const ALL: [RefusalKind; 3] = [
        RefusalKind::Foreign,
        RefusalKind::InvalidData,
        RefusalKind::NotWritable,
    ];
}

/// Something in an import file that is not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The key as written in the file (with `-` for a deletion).
    pub key: String,
    /// The value, when the refusal is about one value.
    pub value: Option<String>,
    /// Which kind of refusal.
    pub kind: RefusalKind,
    /// Why (English in JSON, the user's language for people).
    pub reason: Text,
}

/// What an import would do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportPlan {
    /// The shutdown values in the file, with their current data (`before`)
    /// and the file's (`after`); unchanged ones included.
    pub changes: Vec<PlannedChange>,
    /// What is not applied.
    pub refused: Vec<Refusal>,
}

/// Which shutdown values a key may hold.
enum Allowed {
    /// A policy key: the three policy values.
    Policy,
    /// An add-in key: `RequireShutdownNotification`.
    Addin,
}

fn classify(hive: Hive, key: &str) -> Option<Allowed> {
    if policy_key_version(hive, key).is_some() {
        return Some(Allowed::Policy);
    }
    addins::classify_key(hive, key).map(|_| Allowed::Addin)
}

/// Why a key that is not a shutdown key is refused: a policy key under
/// the wrong hive ("per user"), or any other key; with `values` its
/// number of values (0: not said).
fn foreign_key_reason(path: &str, values: usize) -> Text {
    let per_user = policy_key_version(Hive::CurrentUser, path).is_some();
    let what = Text::new(if per_user {
        "policy-refused-per-user"
    } else {
        "policy-refused-not-shutdown-key"
    });
    if values == 0 {
        what
    } else {
        Text::new("policy-refused-with-values")
            .text("what", what)
            .num("count", values as u64)
    }
}

/// The shutdown value `name` is under a key of kind `allowed`, or the
/// reason it is refused.
fn allowed_value(allowed: &Allowed, name: &str) -> Result<ShutdownValue, Text> {
    let target = match allowed {
        Allowed::Policy => ShutdownValue::policy_by_name(name).ok(),
        Allowed::Addin => Some(ShutdownValue::RequireShutdownNotification)
            .filter(|v| v.name().eq_ignore_ascii_case(name)),
    };
    target.ok_or_else(|| {
        Text::new(match allowed {
            Allowed::Policy => "policy-refused-not-policy-value",
            Allowed::Addin => "policy-refused-addin-value",
        })
    })
}

/// Plan restoring `backup` into `store` (`policy undo`): each saved value
/// goes through the classification of [`plan_import`], so only the three
/// policy values under a per-user Shutdown key and
/// `RequireShutdownNotification` under an add-in key that exists are
/// restored (their saved data as it was, valid or not: it is what the
/// value held); every other entry, and every key of another hive, is
/// refused and listed. `before` is what `store` holds now.
///
/// # Errors
/// [`StoreError`] when reading the current values fails.
pub fn plan_restore(store: &dyn RegistryStore, backup: &Backup) -> Result<ImportPlan, StoreError> {
    let mut changes = Vec::new();
    let mut refused: Vec<Refusal> = backup
        .other_keys
        .iter()
        .map(|key| Refusal {
            key: key.clone(),
            value: None,
            kind: RefusalKind::Foreign,
            reason: Text::new("policy-refused-hive"),
        })
        .collect();
    for e in &backup.entries {
        let name = e.at.value.clone().unwrap_or_default();
        let refuse = |kind: RefusalKind, reason: Text| Refusal {
            key: e.at.full_key(),
            value: Some(name.clone()),
            kind,
            reason,
        };
        let Some(allowed) = classify(e.at.hive, &e.at.key) else {
            refused.push(refuse(
                RefusalKind::Foreign,
                foreign_key_reason(&e.at.key, 0),
            ));
            continue;
        };
        if matches!(allowed, Allowed::Addin) && !store.key_exists(e.at.hive, &e.at.key)? {
            refused.push(refuse(
                RefusalKind::NotWritable,
                Text::new("policy-refused-addin-missing"),
            ));
            continue;
        }
        let target = match allowed_value(&allowed, &name) {
            Ok(t) => t,
            Err(why) => {
                refused.push(refuse(RefusalKind::Foreign, why));
                continue;
            }
        };
        let before = store.read_value(e.at.hive, &e.at.key, target.name())?;
        changes.push(PlannedChange::new(
            Location::value(e.at.hive, &e.at.key, target.name()),
            before,
            e.data.clone(),
        ));
    }
    Ok(ImportPlan { changes, refused })
}

/// The section names of an import file, lowercased and sorted, to tell
/// whether a key has a section below it with a binary search: O(log n)
/// comparisons per key, O(n log n) for a file (the sections below a key
/// are contiguous in that order, right after the names that sort before
/// `key\`). Comparing each empty section with every section was
/// quadratic: 40,000 empty sections took 1.2 s.
struct SectionIndex {
    sorted: Vec<String>,
    /// Name comparisons made by [`SectionIndex::has_below`] (tests).
    #[cfg(test)]
    comparisons: std::cell::Cell<usize>,
}

impl SectionIndex {
    fn new<'a>(names: impl Iterator<Item = &'a str>) -> SectionIndex {
        let mut sorted: Vec<String> = names.map(str::to_lowercase).collect();
        sorted.sort_unstable();
        SectionIndex {
            sorted,
            #[cfg(test)]
            comparisons: std::cell::Cell::new(0),
        }
    }

    /// Whether a section of the file lies below the key `raw` (any case,
    /// a trailing `\\` ignored).
    fn has_below(&self, raw: &str) -> bool {
        let prefix = format!("{}\\", raw.to_lowercase().trim_end_matches('\\'));
        let at = self.sorted.partition_point(|s| {
            #[cfg(test)]
            self.comparisons.set(self.comparisons.get() + 1);
            s.as_str() < prefix.as_str()
        });
        self.sorted.get(at).is_some_and(|s| s.starts_with(&prefix))
    }
}

/// Plan an import of `reg` into `store`.
pub fn plan_import(store: &dyn RegistryStore, reg: &Registry) -> Result<ImportPlan, StoreError> {
    let mut changes = Vec::new();
    let mut refused = Vec::new();
    // regedit exports a tree as one section per key, the empty ones on the
    // way down included: such a section says nothing to import or refuse.
    let sections = SectionIndex::new(reg.keys().keys().map(|k| k.raw()));
    for (key_name, key) in reg.keys() {
        let raw = key_name.raw().to_string();
        let mut refuse_key = |kind: RefusalKind, reason: Text| {
            refused.push(Refusal {
                key: raw.clone(),
                value: None,
                kind,
                reason,
            })
        };
        if key.kind() != KeyKind::Add {
            let shutdown_key = Hive::split_path(raw.trim_start_matches('-'))
                .is_some_and(|(hive, path)| classify(hive, &path).is_some());
            let kind = if shutdown_key {
                RefusalKind::NotWritable
            } else {
                RefusalKind::Foreign
            };
            refuse_key(kind, Text::new("policy-refused-key-deletion"));
            continue;
        }
        let Some((hive, path)) = Hive::split_path(&raw) else {
            refuse_key(RefusalKind::Foreign, Text::new("policy-refused-hive"));
            continue;
        };
        let Some(allowed) = classify(hive, &path) else {
            if key.values().is_empty() && sections.has_below(&raw) {
                continue;
            }
            refuse_key(
                RefusalKind::Foreign,
                foreign_key_reason(&path, key.values().len()),
            );
            continue;
        };
        if matches!(allowed, Allowed::Addin) && !store.key_exists(hive, &path)? {
            refuse_key(
                RefusalKind::NotWritable,
                Text::new("policy-refused-addin-missing"),
            );
            continue;
        }
        for (value_name, value) in key.values() {
            let name = regfile::name_of(value_name);
            let refuse = |kind: RefusalKind, reason: Text| Refusal {
                key: raw.clone(),
                value: Some(name.clone()),
                kind,
                reason,
            };
            let target = match allowed_value(&allowed, &name) {
                Ok(t) => t,
                Err(why) => {
                    refused.push(refuse(RefusalKind::Foreign, why));
                    continue;
                }
            };
            let after = regfile::to_data(value);
            if let Some(d) = &after {
                let report = target.interpret(Some(d), None);
                if report.state != SettingState::Valid {
                    refused.push(refuse(
                        RefusalKind::InvalidData,
                        Text::new("policy-refused-invalid-data")
                            .str("data", d)
                            .text("reason", report.reason.unwrap_or_default()),
                    ));
                    continue;
                }
            }
            let before = store.read_value(hive, &path, target.name())?;
            changes.push(PlannedChange::new(
                Location::value(hive, &path, target.name()),
                before,
                after,
            ));
        }
    }
    Ok(ImportPlan { changes, refused })
}

/// The kind of file an import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportFormat {
    /// A regedit `.reg` file (Version 5.00 UTF-16 or REGEDIT4).
    Reg,
    /// A Group Policy `Registry.pol` ([`super::gpo`]).
    Pol,
}

/// Read the import file `path`, a `.reg` file or a Group Policy
/// `Registry.pol` (told by its `PReg` signature, or by a `.pol` name,
/// which then must have one), and plan importing it into `store`
/// ([`plan_import`], [`super::gpo::plan_import`]).
///
/// # Errors
/// [`StoreError::Io`] naming the file when it cannot be read (a missing
/// file in the OS's words); [`StoreError::TooLarge`] over 16 MiB, told
/// before reading; [`StoreError::Parse`] naming the line of a malformed
/// `.reg`, [`StoreError::Malformed`] the byte offset of a malformed
/// `Registry.pol`; a store error reading the current values.
pub fn plan_import_file(
    store: &dyn RegistryStore,
    path: &Path,
) -> Result<(ImportFormat, ImportPlan), StoreError> {
    let bytes = regfile::read_bounded(path, regfile::MAX_REG_FILE_BYTES)?;
    let pol_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pol"));
    if super::gpo::is_pol(&bytes) || pol_name {
        let pol = super::gpo::parse(&bytes, path)?;
        Ok((ImportFormat::Pol, super::gpo::plan_import(store, &pol)?))
    } else {
        let reg = parse_import_bytes(&bytes, path)?;
        Ok((ImportFormat::Reg, plan_import(store, &reg)?))
    }
}

/// Read and validate an import file (errors name the file and line).
///
/// # Errors
/// [`StoreError::Io`] when it cannot be read; [`StoreError::TooLarge`]
/// over [`regfile::MAX_REG_FILE_BYTES`]; [`StoreError::Parse`] naming the
/// file and line when it is malformed or holds more than
/// [`MAX_IMPORT_ENTRIES`] keys and values ([`parse_import_bytes`]).
pub fn read_import_file(path: &Path) -> Result<Registry, StoreError> {
    // Read it here, so that a missing file says it in the OS's words
    // ("No such file or directory"), as every other file error does.
    let bytes = std::fs::read(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        action: "reading",
        source,
    })?;
    parse_import_bytes(&bytes, path)
}

/// The most keys and values (sections and value lines together) a `.reg`
/// file to import or restore may hold: 20,000. An export of these
/// settings holds three values per Office version and two lines per
/// add-in (a few dozen in all; 20,000 would be 10,000 add-ins), and a
/// backup holds what one command changed. The reader (regashii) takes
/// about 2.3 KB per one-value key, so the limit bounds a file's model to
/// about 50 MB, where the 16 MiB file-size limit alone let a file of
/// 800,000 tiny sections take over 1 GB.
pub const MAX_IMPORT_ENTRIES: usize = 20_000;

/// [`regfile::parse_bytes`] for a file to import or restore, refusing
/// one of more than [`MAX_IMPORT_ENTRIES`] keys and values before the
/// reader builds its model of it. Files within the limit read exactly as
/// before.
///
/// # Errors
/// [`StoreError::Parse`] naming `path` and the line of the first entry
/// over the limit; the errors of [`regfile::parse_bytes`].
pub fn parse_import_bytes(bytes: &[u8], path: &Path) -> Result<Registry, StoreError> {
    if bytes.len() as u64 <= regfile::MAX_REG_FILE_BYTES
        && let Ok(text) = regfile::decode(bytes)
        && let Some((line, entries)) = entry_over_limit(&text)
    {
        return Err(StoreError::Parse {
            path: path.to_path_buf(),
            line,
            message: format!(
                "more than {MAX_IMPORT_ENTRIES} keys and values (this line is entry {entries}): \
                 far more than any export of the shutdown settings; export only the Shutdown \
                 and Addins keys (`mapi-shutdown policy export`, or regedit's Export of those keys)"
            ),
        });
    }
    regfile::parse_bytes(bytes, path, false)
}

/// The 1-based line of the first key or value beyond
/// [`MAX_IMPORT_ENTRIES`], and its count: a line that starts (after
/// blanks) with `[` (a key), `"` or `@=` (a value). A hex continuation
/// line starts with a hex digit, so it is never counted.
fn entry_over_limit(text: &str) -> Option<(usize, usize)> {
    let mut entries = 0usize;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches([' ', '\t', '\u{feff}']);
        if line.starts_with('[') || line.starts_with('"') || line.starts_with("@=") {
            entries += 1;
            if entries > MAX_IMPORT_ENTRIES {
                return Some((i + 1, entries));
            }
        }
    }
    None
}

/// Registry data in words for people: `REG_DWORD 0x00000001 (1)` (the
/// same in every language), or "not configured (absent)" translated (the
/// English-only [`super::store::show_data`] is for errors and logs).
pub fn data_text(data: Option<&RegistryData>) -> Text {
    match data {
        Some(d) => Text::plain(d.to_string()),
        None => Text::new("policy-data-absent"),
    }
}

/// The data of a planned change in words with its meaning, for a diff:
/// `REG_DWORD 0x00000002 (2) = disabled` (the word is `policy set`'s and
/// stays as it is; "absent" and "invalid" are in the language in force).
pub fn describe_data(at: &Location, data: Option<&RegistryData>) -> String {
    let value = at.value.as_deref().unwrap_or("");
    let which = ShutdownValue::POLICY
        .into_iter()
        .chain([ShutdownValue::RequireShutdownNotification])
        .find(|v| v.name().eq_ignore_ascii_case(value));
    let shown = data_text(data).to_string();
    match (which, data) {
        (Some(v), Some(_)) => {
            let r = v.interpret(data, None);
            match r.value {
                Some(word) => format!("{shown} = {word}"),
                None => crate::tr!("policy-data-invalid", data = shown),
            }
        }
        _ => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::memory::MemoryStore;

    const HEAD: &str = "Windows Registry Editor Version 5.00\n\n";

    fn reg(text: &str) -> Registry {
        regfile::parse_bytes(text.as_bytes(), Path::new("t.reg"), false).unwrap()
    }

    /// Issue 17, item 8: a file of more keys and values than any export
    /// of these settings is refused before regashii builds its model
    /// (about 2.3 KB per tiny section: 40,000 empty sections took 15x
    /// their file), naming the file and the line of the first entry over
    /// the limit; a file at the limit reads as before.
    #[test]
    fn a_file_of_more_entries_than_the_limit_is_refused_naming_its_line() {
        let sections = |n: usize| {
            let mut text = String::from(HEAD);
            for i in 0..n {
                text.push_str(&format!("[HKEY_CURRENT_USER\\Software\\Junk\\{i}]\n"));
            }
            text
        };
        let path = Path::new("big.reg");
        let at_limit = parse_import_bytes(sections(MAX_IMPORT_ENTRIES).as_bytes(), path).unwrap();
        assert_eq!(at_limit.keys().len(), MAX_IMPORT_ENTRIES);
        // Two header lines, then one section per line.
        let err =
            parse_import_bytes(sections(MAX_IMPORT_ENTRIES + 1).as_bytes(), path).unwrap_err();
        match &err {
            StoreError::Parse {
                path,
                line,
                message,
            } => {
                assert_eq!(path, Path::new("big.reg"));
                assert_eq!(*line, 2 + MAX_IMPORT_ENTRIES + 1);
                assert!(
                    message.contains("more than 20000 keys and values"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("big.reg"), "{err}");
        // Values count too, and UTF-16 (regedit's own format) alike.
        let mut text = String::from(HEAD);
        text.push_str("[HKEY_CURRENT_USER\\Software\\Junk]\n");
        for i in 0..MAX_IMPORT_ENTRIES {
            text.push_str(&format!("\"v{i}\"=dword:00000001\n"));
        }
        let utf16 = regfile::encode_regedit5(&text);
        let err = parse_import_bytes(&utf16, path).unwrap_err();
        assert!(
            matches!(err, StoreError::Parse { line, .. } if line == 3 + MAX_IMPORT_ENTRIES),
            "{err:?}"
        );
    }

    #[test]
    fn import_keeps_shutdown_values_and_refuses_the_rest() {
        let s = MemoryStore::new();
        let addin = r"Software\Microsoft\Office\Outlook\Addins\Good.AddIn";
        s.create_key(Hive::CurrentUser, addin).unwrap();
        let text = format!(
            "{HEAD}[HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\n\
             \"fastshutdownbehavior\"=dword:00000002\n\
             \"AddinFastShutdownBehavior\"=-\n\
             \"Other\"=dword:00000001\n\
             \"allowshutdownwithexternalreferences\"=dword:00000007\n\n\
             [HKEY_CURRENT_USER\\Software\\Evil]\n\"Run\"=\"calc.exe\"\n\n\
             [HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\n\
             \"FastShutdownBehavior\"=dword:00000001\n\n\
             [HKEY_CURRENT_USER\\{addin}]\n\"RequireShutdownNotification\"=dword:00000001\n\"LoadBehavior\"=dword:00000003\n\n\
             [HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\Outlook\\Addins\\Missing.AddIn]\n\"RequireShutdownNotification\"=dword:00000001\n\n\
             [-HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\15.0\\Outlook\\Options\\Shutdown]\n"
        );
        let plan = plan_import(&s, &reg(&text)).unwrap();
        let mut changed: Vec<(String, Option<RegistryData>)> = plan
            .changes
            .iter()
            .map(|c| (c.at.value.clone().unwrap(), c.after.clone()))
            .collect();
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            changed,
            vec![
                ("AddinFastShutdownBehavior".to_string(), None),
                (
                    "FastShutdownBehavior".to_string(),
                    Some(RegistryData::Dword(2))
                ),
                (
                    "RequireShutdownNotification".to_string(),
                    Some(RegistryData::Dword(1))
                ),
            ]
        );
        let refused: Vec<String> = plan
            .refused
            .iter()
            .map(|r| format!("{} {:?}", r.key, r.value))
            .collect();
        assert_eq!(plan.refused.len(), 7, "{refused:#?}");
        assert!(refused.iter().any(|r| r.contains("Evil")));
        assert!(refused.iter().any(|r| r.contains("Some(\"Other\")")));
        assert!(
            refused
                .iter()
                .any(|r| r.contains("allowshutdownwithexternalreferences"))
        );
        assert!(refused.iter().any(|r| r.contains("LoadBehavior")));
        assert!(refused.iter().any(|r| r.contains("Missing.AddIn")));
        assert!(
            refused
                .iter()
                .any(|r| r.starts_with("HKEY_LOCAL_MACHINE\\Software\\Policies"))
        );
        assert!(refused.iter().any(|r| r.contains("15.0")));
    }

    #[test]
    fn empty_sections_above_other_sections_are_not_refused() {
        // What `regedit /e FILE HKEY_CURRENT_USER\Software\Policies\Microsoft\Office`
        // writes: a section for every key on the way down.
        let s = MemoryStore::new();
        let text = format!(
            "{HEAD}[HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office]\n\n\
             [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\15.0]\n\n\
             [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\15.0\\Outlook]\n\n\
             [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\15.0\\Outlook\\Options]\n\n\
             [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\15.0\\Outlook\\Options\\Shutdown]\n\
             \"FastShutdownBehavior\"=dword:00000002\n\n\
             [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0]\n\n\
             [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook]\n\n\
             [HKEY_CURRENT_USER\\Software\\Other]\n\n\
             [HKEY_CURRENT_USER\\Software\\Other\\Sub]\n\"V\"=dword:00000001\n"
        );
        let plan = plan_import(&s, &reg(&text)).unwrap();
        assert_eq!(plan.changes.len(), 1);
        let refused: Vec<&str> = plan.refused.iter().map(|r| r.key.as_str()).collect();
        // The leaf 16.0\Outlook (nothing below it in the file) would create
        // a key in regedit: refused. Other\Sub's value: refused. Their empty
        // parents: skipped.
        assert_eq!(
            refused,
            vec![
                r"HKEY_CURRENT_USER\Software\Other\Sub",
                r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\16.0\Outlook",
            ]
        );
    }

    /// Regression (issue 17, item 4): `policy export` followed a symbolic
    /// link at its destination and overwrote what it pointed to.
    #[cfg(unix)]
    #[test]
    fn export_replaces_a_symlink_instead_of_following_it() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let out = dir.path().join("policy.reg");
        std::os::unix::fs::symlink(&victim, &out).unwrap();
        let s = MemoryStore::new();
        write_reg_file(&export(&s, &OfficeVersion::ALL, true).unwrap(), &out).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(
            !std::fs::symlink_metadata(&out)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(regfile::parse_bytes(&std::fs::read(&out).unwrap(), &out, false).is_ok());
    }

    /// Issue 17, item 8: telling whether a key has a section below it is
    /// a binary search, not a scan of every section (40,000 empty sections
    /// compared with each other took 1.2 s). The comparisons are counted:
    /// at most about log2(n) + 1 per key; a scan makes n. The timing is in
    /// `benches/regfile.rs`.
    #[test]
    fn sections_below_a_key_are_found_by_binary_search() {
        const N: usize = 40_000;
        let names: Vec<String> = (0..N)
            .map(|i| {
                if i % 2 == 0 {
                    format!(r"HKEY_CURRENT_USER\Software\Vendor\Key{i:05}")
                } else {
                    // Below the previous one, in another case.
                    format!(r"HKEY_CURRENT_USER\SOFTWARE\Vendor\Key{:05}\Sub", i - 1)
                }
            })
            .collect();
        let index = SectionIndex::new(names.iter().map(String::as_str));
        let below: Vec<bool> = names.iter().map(|n| index.has_below(n)).collect();
        assert!(below.iter().step_by(2).all(|b| *b));
        assert!(below.iter().skip(1).step_by(2).all(|b| !*b));
        assert!(index.has_below(r"hkey_current_user\software\vendor\"));
        assert!(!index.has_below(r"HKEY_CURRENT_USER\Software\Vendor\Key0000"));
        let log2 = usize::BITS - N.leading_zeros();
        let bound = (N + 3) * (log2 as usize + 1);
        assert!(
            index.comparisons.get() <= bound,
            "{} comparisons for {N} keys (bound {bound})",
            index.comparisons.get()
        );
    }

    #[test]
    fn export_then_import_is_a_noop() {
        let s = MemoryStore::new();
        let key = OfficeVersion::V15.shutdown_policy_key();
        s.create_key(Hive::CurrentUser, &key).unwrap();
        s.set_dword(Hive::CurrentUser, &key, "FastShutdownBehavior", 1)
            .unwrap();
        s.set_dword(
            Hive::CurrentUser,
            &key,
            "allowshutdownwithexternalreferences",
            0,
        )
        .unwrap();
        let exported = export(&s, &OfficeVersion::ALL, true).unwrap();
        let text = exported.serialize();
        assert!(text.contains("15.0"), "{text}");
        assert!(!text.contains("16.0"), "absent keys are skipped: {text}");
        let plan = plan_import(&s, &reg(&text)).unwrap();
        assert!(plan.refused.is_empty(), "{:?}", plan.refused);
        assert_eq!(plan.changes.len(), 2);
        assert!(plan.changes.iter().all(PlannedChange::is_noop));
        // One version asked for: its key even when absent.
        let one = export(&s, &[OfficeVersion::V16], false)
            .unwrap()
            .serialize();
        assert!(one.contains("16.0"), "{one}");
    }
}
