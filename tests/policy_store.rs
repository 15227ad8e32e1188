//! One contract for every registry store: the memory and file stores here
//! on every OS, and the Windows registry when built for Windows (run under
//! Wine by scripts/check's Windows stage), under a unique key below
//! `HKCU\Software\mapi-shutdown-tests` that is removed afterwards.

use mapi_shutdown::policy::RegistryData;
use mapi_shutdown::policy::file::FileStore;
use mapi_shutdown::policy::memory::MemoryStore;
use mapi_shutdown::policy::store::{Change, Expect, Hive, RegistryStore, StoreError};

/// The behaviour every store must share, exercised below `base` (a key
/// under HKCU that does not exist yet).
fn contract(store: &dyn RegistryStore, base: &str) {
    let hkcu = Hive::CurrentUser;
    let a = format!(r"{base}\Alpha");
    let ab = format!(r"{base}\Alpha\Beta");
    let what = store.describe();
    assert!(!what.is_empty());

    // Absent keys and values.
    assert!(!store.key_exists(hkcu, base).unwrap(), "{what}");
    assert_eq!(store.read_value(hkcu, base, "X").unwrap(), None, "{what}");
    assert!(
        matches!(store.values(hkcu, base), Err(StoreError::NotFound { .. })),
        "{what}"
    );
    assert!(
        matches!(store.subkeys(hkcu, base), Err(StoreError::NotFound { .. })),
        "{what}"
    );
    let err = store.set_dword(hkcu, base, "X", 1).unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{what}: {err}");
    assert!(err.to_string().contains(base), "{what}: {err}");
    assert!(!store.delete_value(hkcu, base, "X").unwrap(), "{what}");

    // Keys: created with their parents, case-insensitive, enumerated.
    store.create_key(hkcu, &ab).unwrap();
    store.create_key(hkcu, &ab).unwrap();
    assert!(store.key_exists(hkcu, base).unwrap(), "{what}");
    assert!(store.key_exists(hkcu, &a.to_uppercase()).unwrap(), "{what}");
    store.create_key(hkcu, &format!(r"{base}\Gamma")).unwrap();
    assert_eq!(
        store.subkeys(hkcu, base).unwrap(),
        vec!["Alpha".to_string(), "Gamma".to_string()],
        "{what}"
    );
    assert_eq!(store.subkeys(hkcu, &a).unwrap(), vec!["Beta".to_string()]);
    assert!(store.values(hkcu, &a).unwrap().is_empty(), "{what}");

    // Every type round-trips with its type.
    let data = [
        ("Dword", RegistryData::Dword(2)),
        ("Qword", RegistryData::Qword(0x1_0000_0001)),
        ("Sz", RegistryData::String("1".into())),
        ("Expand", RegistryData::ExpandString(r"%TEMP%\x".into())),
        (
            "Multi",
            RegistryData::MultiString(vec!["a".into(), "b c".into()]),
        ),
        ("Bin", RegistryData::Binary(vec![0, 1, 254, 255])),
    ];
    for (name, d) in &data {
        store.set_value(hkcu, &a, name, d).unwrap();
        assert_eq!(
            store.read_value(hkcu, &a, name).unwrap().as_ref(),
            Some(d),
            "{what}: {name}"
        );
    }
    // Value names are case-insensitive; enumeration keeps their case.
    assert_eq!(
        store.read_value(hkcu, &a, "dWORD").unwrap(),
        Some(RegistryData::Dword(2)),
        "{what}"
    );
    store.set_dword(hkcu, &a, "DWORD", 3).unwrap();
    let values = store.values(hkcu, &a).unwrap();
    let names: Vec<&str> = values.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec!["Bin", "Dword", "Expand", "Multi", "Qword", "Sz"],
        "{what}"
    );
    assert_eq!(values[1].1, RegistryData::Dword(3), "{what}");

    // Delete.
    assert!(store.delete_value(hkcu, &a, "sz").unwrap(), "{what}");
    assert!(!store.delete_value(hkcu, &a, "Sz").unwrap(), "{what}");
    assert_eq!(store.read_value(hkcu, &a, "Sz").unwrap(), None, "{what}");

    // Batches: all or nothing.
    let c = format!(r"{base}\Created\Deep");
    let batch = |expect_dword: Option<RegistryData>| {
        vec![
            Change {
                hive: hkcu,
                key: c.clone(),
                value: "New".into(),
                expect: Expect::Exactly(None),
                new: Some(RegistryData::Dword(1)),
                create_key: true,
            },
            Change {
                hive: hkcu,
                key: a.clone(),
                value: "Dword".into(),
                expect: Expect::Exactly(expect_dword),
                new: None,
                create_key: false,
            },
        ]
    };
    let err = store
        .apply(&batch(Some(RegistryData::Dword(2))))
        .unwrap_err();
    match &err {
        StoreError::ConcurrentChange {
            expected, found, ..
        } => {
            assert_eq!(expected, &Some(RegistryData::Dword(2)), "{what}");
            assert_eq!(found, &Some(RegistryData::Dword(3)), "{what}");
        }
        other => panic!("{what}: {other}"),
    }
    assert!(
        !store.key_exists(hkcu, &c).unwrap(),
        "{what}: nothing written"
    );
    store.apply(&batch(Some(RegistryData::Dword(3)))).unwrap();
    assert_eq!(
        store.read_value(hkcu, &c, "New").unwrap(),
        Some(RegistryData::Dword(1)),
        "{what}"
    );
    assert_eq!(store.read_value(hkcu, &a, "Dword").unwrap(), None, "{what}");

    // A missing key is not created when the change says so.
    let missing = format!(r"{base}\Missing");
    let err = store
        .apply(&[Change {
            hive: hkcu,
            key: missing.clone(),
            value: "V".into(),
            expect: Expect::Anything,
            new: Some(RegistryData::Dword(1)),
            create_key: false,
        }])
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{what}: {err}");
    assert!(!store.key_exists(hkcu, &missing).unwrap(), "{what}");
}

/// A key name no other run uses.
fn unique(label: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        r"Software\mapi-shutdown-tests\{label}-{}-{nanos}",
        std::process::id()
    )
}

#[test]
fn memory_store_meets_the_contract() {
    contract(&MemoryStore::new(), &unique("memory"));
}

#[test]
fn file_store_meets_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("registry.reg"));
    contract(&store, &unique("file"));
    // And a second process (here: a second store object) sees it all.
    let again = FileStore::new(dir.path().join("registry.reg"));
    assert!(
        again
            .key_exists(Hive::CurrentUser, r"Software\mapi-shutdown-tests")
            .unwrap()
    );
}

#[test]
fn file_store_reads_what_regedit_writes() {
    // UTF-16LE with BOM and CRLF, as regedit's "Export" writes it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regedit.reg");
    let text = "Windows Registry Editor Version 5.00\r\n\r\n\
        [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\r\n\
        \"FastShutdownBehavior\"=dword:00000001\r\n\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(&path, bytes).unwrap();
    let store = FileStore::new(path);
    assert_eq!(
        store
            .read_value(
                Hive::CurrentUser,
                r"Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown",
                "FastShutdownBehavior"
            )
            .unwrap(),
        Some(RegistryData::Dword(1))
    );
}

#[cfg(windows)]
mod windows {
    use super::*;
    use mapi_shutdown::policy::windows::WindowsStore;

    /// Removes the test key tree when dropped, even after a failed assert.
    struct RemoveOnDrop(String);

    impl Drop for RemoveOnDrop {
        fn drop(&mut self) {
            let _ = windows_registry::CURRENT_USER.remove_tree(&self.0);
        }
    }

    #[test]
    fn windows_store_meets_the_contract() {
        let base = unique("windows-contract");
        let _cleanup = RemoveOnDrop(base.clone());
        contract(&WindowsStore::new(), &base);
    }

    #[test]
    fn windows_store_round_trips_a_dword() {
        let base = unique("windows-round-trip");
        let _cleanup = RemoveOnDrop(base.clone());
        let store = WindowsStore::new();
        store.create_key(Hive::CurrentUser, &base).unwrap();
        store
            .set_dword(Hive::CurrentUser, &base, "FastShutdownBehavior", 2)
            .unwrap();
        assert_eq!(
            store
                .read_value(Hive::CurrentUser, &base, "fastshutdownbehavior")
                .unwrap(),
            Some(RegistryData::Dword(2))
        );
        // And the registry itself agrees (not only our store).
        let key = windows_registry::CURRENT_USER.open(&base).unwrap();
        assert_eq!(key.get_u32("FastShutdownBehavior").unwrap(), 2);
    }
}
