//! The `.reg` import review (`policy::transfer::plan_import`) of any file
//! the reader accepts, against a memory store holding a policy key and a
//! registered add-in. Never panics. Every planned change is a shutdown
//! value (one of the three policy values under a version's policy key in
//! HKCU, or `RequireShutdownNotification` under an existing add-in key),
//! its `before` is what the store holds, its `after` a deletion or data
//! that the value reads as valid. Applying the plan, then planning the
//! same file again, refuses the same things and leaves nothing to do.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mapi_shutdown::i18n::Lang;
use mapi_shutdown::policy::memory::MemoryStore;
use mapi_shutdown::policy::settings::{SettingState, ShutdownValue, policy_key_version};
use mapi_shutdown::policy::store::{Change, Expect, Hive, RegistryStore, normalize_key};
use mapi_shutdown::policy::tree::RegTree;
use mapi_shutdown::policy::{RegistryData, addins, regfile, transfer};

const POLICY: &str =
    r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
const ADDIN: &str = r"HKEY_CURRENT_USER\Software\Microsoft\Office\Outlook\Addins\Seed.Addin";

fn store() -> MemoryStore {
    let mut tree = RegTree::new();
    tree.set(POLICY, "FastShutdownBehavior", RegistryData::Dword(2));
    tree.set(ADDIN, "LoadBehavior", RegistryData::Dword(3));
    tree.set(ADDIN, "RequireShutdownNotification", RegistryData::Dword(1));
    MemoryStore::with_tree(tree)
}

/// The same key or value name, as the store compares them.
fn same(a: &str, b: &str) -> bool {
    normalize_key(a).to_lowercase() == normalize_key(b).to_lowercase()
}

fuzz_target!(|data: &[u8]| {
    let Ok(reg) = regfile::parse_bytes(data, Path::new("import.reg"), false) else {
        return;
    };
    let store = store();
    let plan = transfer::plan_import(&store, &reg).expect("the memory store never fails");
    for c in &plan.changes {
        let name = c.at.value.as_deref().expect("a change names its value");
        let value = if policy_key_version(c.at.hive, &c.at.key).is_some() {
            assert_eq!(c.at.hive, Hive::CurrentUser, "{c:?}");
            ShutdownValue::policy_by_name(name)
                .unwrap_or_else(|_| panic!("not a policy value: {c:?}"))
        } else {
            assert!(
                addins::classify_key(c.at.hive, &c.at.key).is_some(),
                "neither policy nor add-in: {c:?}"
            );
            assert!(
                store.key_exists(c.at.hive, &c.at.key).unwrap(),
                "an add-in that does not exist: {c:?}"
            );
            assert!(
                name.eq_ignore_ascii_case("RequireShutdownNotification"),
                "{c:?}"
            );
            ShutdownValue::RequireShutdownNotification
        };
        assert_eq!(
            store.read_value(c.at.hive, &c.at.key, name).unwrap(),
            c.before,
            "{c:?}"
        );
        if let Some(d) = &c.after {
            assert_eq!(
                value.interpret(Some(d), None).state,
                SettingState::Valid,
                "{c:?}"
            );
        }
        let _ = transfer::describe_data(&c.at, c.after.as_ref());
    }
    for r in &plan.refused {
        for lang in Lang::ALL {
            assert!(!r.reason.render(lang).is_empty(), "{r:?}");
        }
    }

    // Apply it in order (a later line for the same value wins).
    for c in &plan.changes {
        let change = Change {
            hive: c.at.hive,
            key: c.at.key.clone(),
            value: c.at.value.clone().unwrap(),
            expect: Expect::Anything,
            new: c.after.clone(),
            create_key: c.create_key,
        };
        store
            .apply(&[change])
            .unwrap_or_else(|e| panic!("applying {c:?}: {e}"));
    }
    let again = transfer::plan_import(&store, &reg).unwrap();
    assert_eq!(again.refused, plan.refused);
    assert_eq!(again.changes.len(), plan.changes.len());
    for (i, c) in again.changes.iter().enumerate() {
        let last = !again.changes[i + 1..].iter().any(|d| {
            d.at.hive == c.at.hive
                && same(&d.at.key, &c.at.key)
                && same(
                    d.at.value.as_deref().unwrap_or(""),
                    c.at.value.as_deref().unwrap_or(""),
                )
        });
        if last {
            assert!(c.is_noop(), "still to do after applying the plan: {c:?}");
        }
    }
});
