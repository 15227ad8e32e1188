//! Outlook's COM add-ins as registered under
//! `HKCU\Software\Microsoft\Office\Outlook\Addins\<ProgID>`,
//! `HKLM\Software\Microsoft\Office\Outlook\Addins\<ProgID>` and, for 32-bit
//! Office on 64-bit Windows, `HKLM\Software\WOW6432Node\Microsoft\Office\Outlook\Addins\<ProgID>`,
//! with the values that matter for shutdown: `RequireShutdownNotification`
//! (1 gives the add-in the blocking shutdown callbacks and slows shutdown,
//! KB 2790282; not a policy, Group Policy cannot set it; KB 2977974
//! suggests bisecting add-ins with it when settings are lost at shutdown),
//! `LoadBehavior` and `FriendlyName`.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::RegistryData;
use super::settings::{SettingReport, ShutdownValue};
use super::store::{Hive, RegistryStore, StoreError, normalize_key};
use crate::i18n::text::Text;

/// The add-ins key below the hive (native view).
pub const ADDINS_KEY: &str = r"Software\Microsoft\Office\Outlook\Addins";
/// The add-ins key of 32-bit Office on 64-bit Windows, under HKLM.
pub const ADDINS_KEY_WOW64: &str = r"Software\WOW6432Node\Microsoft\Office\Outlook\Addins";

/// Which registry view an add-in is registered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum View {
    /// The native key (64-bit Office on 64-bit Windows, or HKCU, which is
    /// shared by both views).
    Native,
    /// `WOW6432Node` (32-bit Office on 64-bit Windows, HKLM only).
    Wow6432node,
}

impl View {
    /// `native`, `wow6432node`.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Native => "native",
            View::Wow6432node => "wow6432node",
        }
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a view.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a registry view: use native or wow6432node")]
pub struct ParseViewError(pub String);

impl FromStr for View {
    type Err = ParseViewError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "native" | "64" => Ok(View::Native),
            "wow6432node" | "wow64" | "32" => Ok(View::Wow6432node),
            _ => Err(ParseViewError(s.to_string())),
        }
    }
}

/// Where add-ins are registered: hive, view, and the `Addins` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddinRoot {
    /// The hive.
    pub hive: Hive,
    /// The view.
    pub view: View,
    /// The `Addins` key below the hive.
    pub key: &'static str,
}

/// The three places Outlook looks for COM add-ins.
pub const ROOTS: [AddinRoot; 3] = [
    AddinRoot {
        hive: Hive::CurrentUser,
        view: View::Native,
        key: ADDINS_KEY,
    },
    AddinRoot {
        hive: Hive::LocalMachine,
        view: View::Native,
        key: ADDINS_KEY,
    },
    AddinRoot {
        hive: Hive::LocalMachine,
        view: View::Wow6432node,
        key: ADDINS_KEY_WOW64,
    },
];

impl AddinRoot {
    /// The add-in's key below the hive.
    pub fn addin_key(&self, prog_id: &str) -> String {
        format!("{}\\{prog_id}", self.key)
    }

    /// The options of `addins set` that choose this root: none for HKCU,
    /// `--hive hklm --view native|wow6432node` under HKLM.
    pub fn set_args(&self) -> String {
        match self.hive {
            Hive::CurrentUser => String::new(),
            Hive::LocalMachine => format!(" --hive hklm --view {}", self.view),
        }
    }

    /// The command that sets the add-in's `RequireShutdownNotification`
    /// to `word` (`on`, `off`) here.
    pub fn set_command(&self, prog_id: &str, word: &str) -> String {
        format!(
            "mapi-shutdown addins set {prog_id} --require-shutdown-notification {word}{}",
            self.set_args()
        )
    }
}

/// The add-in root and ProgID a key (below `hive`) belongs to, when it is
/// an add-in's own key.
pub fn classify_key(hive: Hive, key: &str) -> Option<(AddinRoot, String)> {
    let key = normalize_key(key);
    ROOTS.into_iter().filter(|r| r.hive == hive).find_map(|r| {
        let prefix = format!("{}\\", r.key.to_lowercase());
        let lower = key.to_lowercase();
        let rest = lower.strip_prefix(&prefix)?;
        (!rest.is_empty() && !rest.contains('\\')).then(|| (r, key[prefix.len()..].to_string()))
    })
}

/// `LoadBehavior` in words (the values Office documents for COM add-ins):
/// English in JSON, the user's language for people.
pub fn load_behavior_meaning(data: &RegistryData) -> Text {
    match data {
        RegistryData::Dword(v) => match v {
            0 => Text::new("policy-load-behavior-0"),
            1 => Text::new("policy-load-behavior-1"),
            2 => Text::new("policy-load-behavior-2"),
            3 => Text::new("policy-load-behavior-3"),
            8 => Text::new("policy-load-behavior-8"),
            9 => Text::new("policy-load-behavior-9"),
            16 => Text::new("policy-load-behavior-16"),
            v => Text::new("policy-load-behavior-undocumented").num("value", u64::from(*v)),
        },
        other => Text::new("policy-load-behavior-wrong-type").str("data_type", other.type_name()),
    }
}

/// `LoadBehavior` with its meaning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoadBehavior {
    /// The data as stored.
    pub raw: RegistryData,
    /// In words.
    pub meaning: Text,
}

/// One registered add-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddinReport {
    /// The ProgID (the key's name).
    pub prog_id: String,
    /// `HKEY_CURRENT_USER` or `HKEY_LOCAL_MACHINE`.
    pub hive: Hive,
    /// `native` or `wow6432node`.
    pub view: View,
    /// The add-in's key with its hive.
    pub key: String,
    /// `FriendlyName`, when a string.
    pub friendly_name: Option<String>,
    /// `LoadBehavior`, when present.
    pub load_behavior: Option<LoadBehavior>,
    /// `RequireShutdownNotification`: state, raw data, effective on/off.
    pub require_shutdown_notification: SettingReport,
}

/// What `addins list` reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddinList {
    /// The store read.
    pub backend: String,
    /// Every add-in found, by root then ProgID.
    pub addins: Vec<AddinReport>,
    /// Roots that could not be read (access denied), with the reason.
    pub errors: Vec<String>,
}

fn find<'a>(values: &'a [(String, RegistryData)], name: &str) -> Option<&'a RegistryData> {
    values
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, d)| d)
}

/// Read one add-in's key.
pub fn read_addin(
    store: &dyn RegistryStore,
    root: AddinRoot,
    prog_id: &str,
) -> Result<AddinReport, StoreError> {
    let key = root.addin_key(prog_id);
    let values = store.values(root.hive, &key)?;
    let friendly_name = match find(&values, "FriendlyName") {
        Some(RegistryData::String(s) | RegistryData::ExpandString(s)) => Some(s.clone()),
        _ => None,
    };
    let load_behavior = find(&values, "LoadBehavior").map(|d| LoadBehavior {
        raw: d.clone(),
        meaning: load_behavior_meaning(d),
    });
    let mut rsn = ShutdownValue::RequireShutdownNotification.interpret(
        find(&values, ShutdownValue::RequireShutdownNotification.name()),
        None,
    );
    // The fix for invalid data: the command for this add-in, writing what
    // is in force now (the default) as valid data.
    if rsn.state == super::settings::SettingState::Invalid {
        rsn.fix = Some(
            Text::new("policy-fix-require-notification")
                .str("command", root.set_command(prog_id, rsn.effective)),
        );
    }
    Ok(AddinReport {
        prog_id: prog_id.to_string(),
        hive: root.hive,
        view: root.view,
        key: root.hive.full_path(&key),
        friendly_name,
        load_behavior,
        require_shutdown_notification: rsn,
    })
}

/// Every add-in under the three roots. A missing root is no add-ins; a
/// root that cannot be read (access denied) is listed in `errors`.
pub fn list_addins(store: &dyn RegistryStore) -> Result<AddinList, StoreError> {
    let mut addins = Vec::new();
    let mut errors = Vec::new();
    for root in ROOTS {
        let names = match store.subkeys(root.hive, root.key) {
            Ok(n) => n,
            Err(StoreError::NotFound { .. }) => continue,
            Err(e @ StoreError::AccessDenied { .. }) => {
                errors.push(e.to_string());
                continue;
            }
            Err(e) => return Err(e),
        };
        for name in names {
            match read_addin(store, root, &name) {
                Ok(a) => addins.push(a),
                Err(e @ (StoreError::AccessDenied { .. } | StoreError::NotFound { .. })) => {
                    errors.push(e.to_string())
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(AddinList {
        backend: store.describe(),
        addins,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::memory::MemoryStore;

    #[test]
    fn classify() {
        let (root, id) = classify_key(
            Hive::LocalMachine,
            r"software\wow6432node\microsoft\office\outlook\addins\My.AddIn",
        )
        .unwrap();
        assert_eq!(root.view, View::Wow6432node);
        assert_eq!(id, "My.AddIn");
        assert!(classify_key(Hive::CurrentUser, ADDINS_KEY).is_none());
        assert!(classify_key(Hive::CurrentUser, &format!(r"{ADDINS_KEY}\A\B")).is_none());
        assert!(classify_key(Hive::CurrentUser, &format!(r"{ADDINS_KEY_WOW64}\A")).is_none());
    }

    #[test]
    fn lists_all_three_roots() {
        let s = MemoryStore::new();
        for (root, id) in [
            (ROOTS[0], "User.AddIn"),
            (ROOTS[1], "Machine.AddIn"),
            (ROOTS[2], "Old32.AddIn"),
        ] {
            let key = root.addin_key(id);
            s.create_key(root.hive, &key).unwrap();
            s.set_dword(root.hive, &key, "LoadBehavior", 3).unwrap();
            s.set_value(
                root.hive,
                &key,
                "FriendlyName",
                &RegistryData::String(format!("{id} name")),
            )
            .unwrap();
        }
        s.set_dword(
            Hive::LocalMachine,
            &ROOTS[2].addin_key("Old32.AddIn"),
            "requireshutdownnotification",
            1,
        )
        .unwrap();
        let list = list_addins(&s).unwrap();
        assert_eq!(list.addins.len(), 3);
        let old = &list.addins[2];
        assert_eq!(old.prog_id, "Old32.AddIn");
        assert_eq!(old.view, View::Wow6432node);
        assert_eq!(old.require_shutdown_notification.effective, "on");
        assert_eq!(old.friendly_name.as_deref(), Some("Old32.AddIn name"));
        assert_eq!(
            list.addins[0].require_shutdown_notification.effective,
            "off"
        );
        let v = serde_json::to_value(&list).unwrap();
        assert_eq!(v["addins"][1]["hive"], "HKEY_LOCAL_MACHINE");
        assert_eq!(v["addins"][1]["load_behavior"]["raw"]["data"], 3);
    }
}
