//! Tests of `Registry.pol` export, reading and import planning.

use super::*;
use crate::policy::memory::MemoryStore;

const KEY16: &str = r"Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
const KEY15: &str = r"Software\Policies\Microsoft\Office\15.0\Outlook\Options\Shutdown";

fn store_with(values: &[(&str, &str, RegistryData)]) -> MemoryStore {
    let store = MemoryStore::new();
    for (key, name, data) in values {
        store.create_key(Hive::CurrentUser, key).unwrap();
        store.set_value(Hive::CurrentUser, key, name, data).unwrap();
    }
    store
}

fn bytes_of(entries: &[(&str, &str, preg::RegData)]) -> Vec<u8> {
    let mut f = preg::PolicyFile::new();
    for (k, v, d) in entries {
        f.entries.push(preg::PolicyEntry::new(*k, *v, d.clone()));
    }
    f.to_bytes()
}

fn parse_ok(bytes: &[u8]) -> PolFile {
    parse(bytes, Path::new("Registry.pol")).unwrap()
}

fn malformed(bytes: &[u8]) -> (u64, String) {
    match parse(bytes, Path::new("Registry.pol")) {
        Err(StoreError::Malformed {
            offset, message, ..
        }) => (offset, message),
        other => panic!("expected a malformed-file error, got {other:?}"),
    }
}

/// A record of raw parts (for files preg would not write).
fn raw_record(key: &[u16], value: &[u16], ty: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let ch = |out: &mut Vec<u8>, c: char| out.extend_from_slice(&(c as u16).to_le_bytes());
    ch(&mut out, '[');
    for u in key.iter().chain(&[0]) {
        out.extend_from_slice(&u.to_le_bytes());
    }
    ch(&mut out, ';');
    for u in value.iter().chain(&[0]) {
        out.extend_from_slice(&u.to_le_bytes());
    }
    ch(&mut out, ';');
    out.extend_from_slice(&ty.to_le_bytes());
    ch(&mut out, ';');
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    ch(&mut out, ';');
    out.extend_from_slice(data);
    ch(&mut out, ']');
    out
}

fn header() -> Vec<u8> {
    let mut b = b"PReg".to_vec();
    b.extend_from_slice(&1u32.to_le_bytes());
    b
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

#[test]
fn export_writes_configured_policies_as_the_template_spells_them() {
    let store = store_with(&[
        (KEY16, "FastShutdownBehavior", RegistryData::Dword(1)),
        (
            KEY16,
            "allowshutdownwithexternalreferences",
            RegistryData::Dword(0),
        ),
    ]);
    let out = export(&store, &OfficeVersion::ALL, false).unwrap();
    assert_eq!(out.values, 2);
    assert_eq!(out.deletions, 0);
    assert!(out.skipped.is_empty());
    let key = KEY16.to_ascii_lowercase();
    assert_eq!(
        out.file.entries,
        vec![
            preg::PolicyEntry::new(&key, "fastshutdownbehavior", preg::RegData::Dword(1)),
            preg::PolicyEntry::new(
                &key,
                "allowshutdownwithexternalreferences",
                preg::RegData::Dword(0)
            ),
        ]
    );
}

#[test]
fn export_with_deletions_deletes_what_is_not_configured() {
    let store = store_with(&[(KEY16, "FastShutdownBehavior", RegistryData::Dword(2))]);
    let out = export(&store, &[OfficeVersion::V16], true).unwrap();
    assert_eq!((out.values, out.deletions), (1, 2));
    let names: Vec<&str> = out.file.entries.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(
        names,
        [
            "fastshutdownbehavior",
            "**del.addinfastshutdownbehavior",
            "**del.allowshutdownwithexternalreferences"
        ]
    );
    assert_eq!(out.file.entries[1].data, preg::RegData::Sz(" ".to_string()));
}

#[test]
fn export_of_all_versions_skips_absent_keys_and_one_version_writes_its_deletions() {
    let store = store_with(&[(KEY15, "FastShutdownBehavior", RegistryData::Dword(0))]);
    let all = export(&store, &OfficeVersion::ALL, true).unwrap();
    assert!(
        all.file
            .entries
            .iter()
            .all(|e| e.key.eq_ignore_ascii_case(KEY15)),
        "{:?}",
        all.file.entries
    );
    let one = export(&store, &[OfficeVersion::V16], true).unwrap();
    assert_eq!((one.values, one.deletions), (0, 3));
}

#[test]
fn export_leaves_out_invalid_data_and_lists_it() {
    let store = store_with(&[
        (KEY16, "FastShutdownBehavior", RegistryData::Dword(7)),
        (
            KEY16,
            "AddinFastShutdownBehavior",
            RegistryData::String("1".into()),
        ),
    ]);
    let out = export(&store, &[OfficeVersion::V16], true).unwrap();
    assert_eq!(out.values, 0);
    assert_eq!(out.deletions, 1, "only the absent value gets a deletion");
    assert_eq!(out.skipped.len(), 2);
    assert_eq!(out.skipped[0].1, RegistryData::Dword(7));
}

#[test]
fn export_then_import_is_the_same_settings() {
    let source = store_with(&[
        (KEY16, "FastShutdownBehavior", RegistryData::Dword(2)),
        (KEY16, "AddinFastShutdownBehavior", RegistryData::Dword(1)),
        (
            KEY15,
            "allowshutdownwithexternalreferences",
            RegistryData::Dword(1),
        ),
    ]);
    let out = export(&source, &OfficeVersion::ALL, false).unwrap();
    let pol = parse_ok(&out.file.to_bytes());
    let target = MemoryStore::new();
    let plan = plan_import(&target, &pol).unwrap();
    assert!(plan.refused.is_empty(), "{:?}", plan.refused);
    for c in &plan.changes {
        let name = c.at.value.as_deref().unwrap();
        target.create_key(c.at.hive, &c.at.key).unwrap();
        match &c.after {
            Some(d) => target.set_value(c.at.hive, &c.at.key, name, d).unwrap(),
            None => {
                target.delete_value(c.at.hive, &c.at.key, name).unwrap();
            }
        }
    }
    for (key, name) in [
        (KEY16, "FastShutdownBehavior"),
        (KEY16, "AddinFastShutdownBehavior"),
        (KEY16, "allowshutdownwithexternalreferences"),
        (KEY15, "FastShutdownBehavior"),
        (KEY15, "allowshutdownwithexternalreferences"),
    ] {
        assert_eq!(
            target.read_value(Hive::CurrentUser, key, name).unwrap(),
            source.read_value(Hive::CurrentUser, key, name).unwrap(),
            "{key}\\{name}"
        );
    }
}

#[test]
fn written_file_reads_back_byte_for_byte() {
    let store = store_with(&[(KEY16, "FastShutdownBehavior", RegistryData::Dword(1))]);
    let out = export(&store, &[OfficeVersion::V16], true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Registry.pol");
    write_file(&out.file, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(is_pol(&bytes));
    assert_eq!(bytes, out.file.to_bytes());
    let pol = read_file(&path).unwrap();
    assert_eq!(pol.records.len(), 3);
    assert_eq!(pol.records[0].offset, 8);
    assert_eq!(
        pol.records[1].action,
        PolAction::DeleteValue("addinfastshutdownbehavior".into())
    );
}

#[test]
fn import_plans_values_and_deletions_in_file_order() {
    let store = store_with(&[
        (KEY16, "FastShutdownBehavior", RegistryData::Dword(0)),
        (KEY16, "AddinFastShutdownBehavior", RegistryData::Dword(1)),
    ]);
    let pol = parse_ok(&bytes_of(&[
        (KEY16, "FastShutdownBehavior", preg::RegData::Dword(2)),
        (
            KEY16,
            "**del.AddinFastShutdownBehavior",
            preg::RegData::Sz(" ".into()),
        ),
        // A later record of the same value wins, whatever its case.
        (KEY16, "fastshutdownbehavior", preg::RegData::Dword(1)),
    ]));
    let plan = plan_import(&store, &pol).unwrap();
    assert!(plan.refused.is_empty(), "{:?}", plan.refused);
    let mut got: Vec<(String, Option<RegistryData>, Option<RegistryData>)> = plan
        .changes
        .iter()
        .map(|c| {
            (
                c.at.value.clone().unwrap(),
                c.before.clone(),
                c.after.clone(),
            )
        })
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            (
                "AddinFastShutdownBehavior".into(),
                Some(RegistryData::Dword(1)),
                None
            ),
            (
                "FastShutdownBehavior".into(),
                Some(RegistryData::Dword(0)),
                Some(RegistryData::Dword(1))
            ),
        ]
    );
}

#[test]
fn delvals_on_a_policy_key_deletes_the_three_policies() {
    let store = store_with(&[(KEY16, "FastShutdownBehavior", RegistryData::Dword(2))]);
    let pol = parse_ok(&bytes_of(&[(
        KEY16,
        "**delvals.",
        preg::RegData::Sz(" ".into()),
    )]));
    let plan = plan_import(&store, &pol).unwrap();
    assert!(plan.refused.is_empty(), "{:?}", plan.refused);
    assert_eq!(plan.changes.len(), 3);
    assert!(plan.changes.iter().all(|c| c.after.is_none()));
    assert_eq!(plan.changes.iter().filter(|c| !c.is_noop()).count(), 1);
}

#[test]
fn foreign_keys_invalid_data_and_other_instructions_are_refused_apart() {
    let store = MemoryStore::new();
    let pol = parse_ok(&bytes_of(&[
        (
            r"Software\Microsoft\Windows\CurrentVersion\Run",
            "evil",
            preg::RegData::Sz("calc.exe".into()),
        ),
        (KEY16, "FastShutdownBehavior", preg::RegData::Dword(7)),
        (
            KEY16,
            "AddinFastShutdownBehavior",
            preg::RegData::Sz("1".into()),
        ),
        (
            KEY16,
            "**soft.allowshutdownwithexternalreferences",
            preg::RegData::Dword(1),
        ),
        (KEY16, "**DeleteKeys", preg::RegData::Sz("Sub".into())),
        (
            r"Software\Policies\Other",
            "**SecureKey",
            preg::RegData::Dword(1),
        ),
    ]));
    let plan = plan_import(&store, &pol).unwrap();
    assert!(plan.changes.is_empty(), "{:?}", plan.changes);
    let kinds = |k: RefusalKind| plan.refused.iter().filter(|r| r.kind == k).count();
    assert_eq!(kinds(RefusalKind::Foreign), 2, "{:#?}", plan.refused);
    assert_eq!(kinds(RefusalKind::InvalidData), 2, "{:#?}", plan.refused);
    assert_eq!(kinds(RefusalKind::NotWritable), 2, "{:#?}", plan.refused);
    let run = plan
        .refused
        .iter()
        .find(|r| r.key.contains("CurrentVersion\\Run"))
        .unwrap();
    assert!(run.key.starts_with("HKEY_CURRENT_USER\\"), "{}", run.key);
}

#[test]
fn a_long_dword_is_kept_as_bytes_and_refused_not_cut_to_four() {
    let mut bytes = header();
    bytes.extend(raw_record(
        &wide(KEY16),
        &wide("FastShutdownBehavior"),
        4,
        &[1, 0, 0, 0, 9, 9, 9, 9],
    ));
    let pol = parse_ok(&bytes);
    assert_eq!(
        pol.records[0].action,
        PolAction::Set(RegistryData::Binary(vec![1, 0, 0, 0, 9, 9, 9, 9]))
    );
    let plan = plan_import(&MemoryStore::new(), &pol).unwrap();
    assert!(plan.changes.is_empty());
    assert_eq!(plan.refused[0].kind, RefusalKind::InvalidData);
}

#[test]
fn wrong_signature_version_and_short_files_name_their_offset() {
    let (o, m) = malformed(b"");
    assert_eq!(o, 0);
    assert!(m.contains("0 bytes long"), "{m}");
    let (o, m) = malformed(b"Windows Registry Editor");
    assert_eq!(o, 0);
    assert!(m.contains("PReg"), "{m}");
    let mut v2 = b"PReg".to_vec();
    v2.extend_from_slice(&2u32.to_le_bytes());
    let (o, m) = malformed(&v2);
    assert_eq!(o, 4);
    assert!(m.contains("version 2"), "{m}");
}

#[test]
fn a_size_past_the_end_names_the_data_offset() {
    let good = bytes_of(&[(KEY16, "FastShutdownBehavior", preg::RegData::Dword(1))]);
    let mut bad = good.clone();
    // The size field sits 4 bytes + ";" before the data (4 bytes) and "]".
    let size_at = bad.len() - 2 - 4 - 2 - 4;
    bad[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
    let (o, m) = malformed(&bad);
    assert_eq!(o as usize, size_at + 6);
    assert!(m.contains("1000 bytes"), "{m}");
}

#[test]
fn a_file_cut_inside_a_record_names_where() {
    let good = bytes_of(&[(KEY16, "FastShutdownBehavior", preg::RegData::Dword(1))]);
    // (One byte after the header or after a record is padding, as for
    // Windows: see `a_trailing_odd_byte_is_padding`.)
    for cut in [10, 20, good.len() - 7, good.len() - 1] {
        let (o, _) = malformed(&good[..cut]);
        assert!(o as usize <= cut, "cut at {cut}, offset {o}");
        assert!(o >= 8, "cut at {cut}, offset {o}");
    }
}

#[test]
fn a_missing_delimiter_names_its_offset() {
    let mut bad = bytes_of(&[(KEY16, "FastShutdownBehavior", preg::RegData::Dword(1))]);
    bad[8] = b'(';
    let (o, m) = malformed(&bad);
    assert_eq!(o, 8);
    assert!(m.contains("'['"), "{m}");
}

#[test]
fn a_lone_surrogate_in_a_name_is_refused_with_its_offset() {
    let mut bytes = header();
    let mut key = wide(KEY16);
    let at = 10;
    key[at] = 0xD800;
    bytes.extend(raw_record(
        &key,
        &wide("FastShutdownBehavior"),
        4,
        &[1, 0, 0, 0],
    ));
    let (o, m) = malformed(&bytes);
    assert_eq!(o as usize, 8 + 2 + 2 * at);
    assert!(m.contains("0xD800") && m.contains("key"), "{m}");

    let mut bytes = header();
    let mut value = wide("FastShutdownBehavior");
    value[0] = 0xDC00;
    bytes.extend(raw_record(&wide(KEY16), &value, 4, &[1, 0, 0, 0]));
    let (o, m) = malformed(&bytes);
    assert_eq!(o as usize, 8 + 2 + 2 * (KEY16.len() + 1) + 2);
    assert!(m.contains("value name"), "{m}");
}

#[test]
fn odd_text_data_is_kept_as_bytes() {
    let mut bytes = header();
    bytes.extend(raw_record(&wide(KEY16), &wide("x"), 1, &[0x00, 0xD8, 0, 0]));
    let pol = parse_ok(&bytes);
    assert_eq!(
        pol.records[0].action,
        PolAction::Set(RegistryData::Binary(vec![0x00, 0xD8, 0, 0]))
    );
}

#[test]
fn non_ascii_instruction_like_names_do_not_panic() {
    // preg 0.1's own `directive()` panics on this name.
    let pol = parse_ok(&bytes_of(&[(KEY16, "**aéé", preg::RegData::Dword(1))]));
    assert_eq!(pol.records[0].action, PolAction::Other("**aéé".into()));
    let pol = parse_ok(&bytes_of(&[(KEY16, "**Del.é", preg::RegData::Dword(1))]));
    assert_eq!(pol.records[0].action, PolAction::DeleteValue("é".into()));
}

#[test]
fn delete_values_lists_become_deletions() {
    let store = store_with(&[
        (KEY16, "FastShutdownBehavior", RegistryData::Dword(1)),
        (KEY16, "AddinFastShutdownBehavior", RegistryData::Dword(1)),
    ]);
    let pol = parse_ok(&bytes_of(&[(
        KEY16,
        "**DeleteValues",
        preg::RegData::Sz("FastShutdownBehavior; AddinFastShutdownBehavior;".into()),
    )]));
    let plan = plan_import(&store, &pol).unwrap();
    assert!(plan.refused.is_empty(), "{:?}", plan.refused);
    assert_eq!(plan.changes.len(), 2);
    assert!(
        plan.changes
            .iter()
            .all(|c| c.after.is_none() && !c.is_noop())
    );
}

#[test]
fn more_records_than_the_limit_are_refused_naming_the_first_one_over() {
    let entries: Vec<(String, preg::RegData)> = (0..=MAX_POL_RECORDS)
        .map(|i| (format!("v{i}"), preg::RegData::Dword(1)))
        .collect();
    let mut f = preg::PolicyFile::new();
    for (v, d) in &entries {
        f.entries
            .push(preg::PolicyEntry::new("K", v.as_str(), d.clone()));
    }
    let bytes = f.to_bytes();
    let (o, m) = malformed(&bytes);
    let last = bytes_of(&[("K", &format!("v{MAX_POL_RECORDS}"), preg::RegData::Dword(1))]);
    assert_eq!(o as usize, bytes.len() - (last.len() - 8));
    assert!(m.contains(&MAX_POL_RECORDS.to_string()), "{m}");
}

#[test]
fn a_file_over_the_size_limit_is_not_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.pol");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(MAX_POL_FILE_BYTES + 1).unwrap();
    assert!(matches!(
        read_file(&path),
        Err(StoreError::TooLarge { limit, .. }) if limit == MAX_POL_FILE_BYTES
    ));
    match read_file(&dir.path().join("missing.pol")) {
        Err(StoreError::Io { source, .. }) => {
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_trailing_odd_byte_is_padding() {
    let mut bytes = bytes_of(&[(KEY16, "FastShutdownBehavior", preg::RegData::Dword(1))]);
    bytes.push(0);
    assert_eq!(parse_ok(&bytes).records.len(), 1);
    let (o, _) = malformed(&[bytes.as_slice(), &[0, 0]].concat());
    assert_eq!(o as usize, bytes.len() - 1);
}
