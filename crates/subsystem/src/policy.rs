//! The policy read the subsystem needs: the names of the per-user
//! fast-shutdown values and [`policy_from_store`], which reads
//! `FastShutdownBehavior` through a registry store (the real registry on
//! Windows, a `.reg` file or memory elsewhere) into the [`ShutdownPolicy`]
//! the subsystem is initialised with.
//!
//! Source: "Fast Shutdown User Options" (Outlook MAPI reference); value
//! names as outlk16.admx writes them (docs/domain.md).

use mapi_trace::PolicySource;
use mapi_trace::model::{FastShutdownBehavior, OfficeVersion};

use crate::ShutdownPolicy;
use crate::registry::store::{Hive, RegistryStore, StoreError};

/// Name of the value that selects the subsystem's fast-shutdown policy.
pub const FAST_SHUTDOWN_BEHAVIOR: &str = "FastShutdownBehavior";
/// Name of the value that selects the COM add-in shutdown behaviour.
pub const ADDIN_FAST_SHUTDOWN_BEHAVIOR: &str = "AddinFastShutdownBehavior";
/// Name of the (inverted) external-references value.
pub const ALLOW_SHUTDOWN_WITH_EXTERNAL_REFERENCES: &str = "allowshutdownwithexternalreferences";
/// Name of the per-add-in value (not a policy; KB 2790282).
pub const REQUIRE_SHUTDOWN_NOTIFICATION: &str = "RequireShutdownNotification";

/// The policy the subsystem reads from a registry store for `office`:
/// `FastShutdownBehavior` under `HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\<ver>\Outlook\Options\Shutdown`
/// ("Fast Shutdown User Options"), interpreted without coercion (absent:
/// not configured; other data: invalid, kept raw), with the store, key and
/// value named as its source.
pub fn policy_from_store(
    store: &dyn RegistryStore,
    office: OfficeVersion,
) -> Result<ShutdownPolicy, StoreError> {
    let key = office.shutdown_policy_key();
    let data = store.read_value(Hive::CurrentUser, &key, FAST_SHUTDOWN_BEHAVIOR)?;
    Ok(ShutdownPolicy {
        source: PolicySource::Registry {
            store: store.describe(),
            key: Hive::CurrentUser.full_path(&key),
            value: FAST_SHUTDOWN_BEHAVIOR.to_string(),
        },
        setting: FastShutdownBehavior::interpret(data.as_ref()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::store::Hive;

    #[test]
    fn policy_comes_from_the_store() {
        use crate::registry::memory::{Failure, MemoryStore};
        use crate::registry::store::Operation;
        use mapi_trace::model::{OfficeVersion, Setting};
        let store = MemoryStore::new();
        let key = OfficeVersion::V16.shutdown_policy_key();
        let p = policy_from_store(&store, OfficeVersion::V16).unwrap();
        assert_eq!(p.setting, Setting::NotConfigured);
        assert_eq!(
            p.source,
            PolicySource::Registry {
                store: "memory".into(),
                key: format!("HKEY_CURRENT_USER\\{key}"),
                value: "FastShutdownBehavior".into(),
            }
        );
        store.create_key(Hive::CurrentUser, &key).unwrap();
        store
            .set_dword(Hive::CurrentUser, &key, "FastShutdownBehavior", 2)
            .unwrap();
        let p = policy_from_store(&store, OfficeVersion::V16).unwrap();
        assert_eq!(p.effective(), FastShutdownBehavior::Disabled);
        // Another version's key is not read.
        let p = policy_from_store(&store, OfficeVersion::V15).unwrap();
        assert_eq!(p.setting, Setting::NotConfigured);

        store.inject(Failure::AccessDenied {
            hive: Hive::CurrentUser,
            key: "Software".into(),
            value: None,
            op: Some(Operation::Read),
        });
        assert!(
            policy_from_store(&store, OfficeVersion::V16)
                .unwrap_err()
                .is_access_denied()
        );
    }
}
