//! The shutdown settings as an admin sees them: for each Office version
//! (14.0, 15.0, 16.0; installed when `HKCU\Software\Microsoft\Office\<ver>\Outlook`
//! exists) the three per-user policy values under
//! `HKCU\Software\Policies\Microsoft\Office\<ver>\Outlook\Options\Shutdown`,
//! each not configured, valid or invalid (raw data kept with its type),
//! with what the subsystem or Outlook does with it, its ADMX policy, and a
//! one-line fix for invalid data; plus the per-add-in
//! `RequireShutdownNotification` value's interpretation.
//!
//! Sources: "Fast Shutdown User Options" (Outlook MAPI reference) for the
//! values and their defaults; the Office 2016 administrative template
//! outlk16.admx / outlk16.adml (category "Shutdown" under Microsoft Outlook
//! 2016) for the policy names and labels; KB 2790282 for
//! `RequireShutdownNotification`. The explanations are in our own words.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::store::{Hive, RegistryStore, StoreError};
use super::{
    ADDIN_FAST_SHUTDOWN_BEHAVIOR, ALLOW_SHUTDOWN_WITH_EXTERNAL_REFERENCES, AdmxLabel,
    FAST_SHUTDOWN_BEHAVIOR, FastShutdownBehavior, OfficeVersion, REQUIRE_SHUTDOWN_NOTIFICATION,
    RegistryData,
};
use crate::i18n::text::Text;

/// A shutdown-related registry value this tool reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ShutdownValue {
    /// `FastShutdownBehavior` (policy; 0 opt-out, 1 opt-in, 2 disabled).
    FastShutdownBehavior,
    /// `AddinFastShutdownBehavior` (policy; 1 calls the COM add-ins'
    /// shutdown callbacks).
    AddinFastShutdownBehavior,
    /// `allowshutdownwithexternalreferences` (policy; inverted: 0 blocks
    /// shutdown while external references exist).
    AllowShutdownWithExternalReferences,
    /// `RequireShutdownNotification` (per add-in, not a policy).
    RequireShutdownNotification,
}

/// Which of three states a value is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingState {
    /// The value does not exist.
    NotConfigured,
    /// A valid setting.
    Valid,
    /// Present, but not a valid setting (wrong type or out of range).
    Invalid,
}

impl SettingState {
    /// `not-configured`, `valid`, `invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            SettingState::NotConfigured => "not-configured",
            SettingState::Valid => "valid",
            SettingState::Invalid => "invalid",
        }
    }
}

/// Why a name is not a shutdown policy value (in the language in force).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct UnknownValueName(pub String);

impl fmt::Display for UnknownValueName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::tr!(
            "policy-error-unknown-value",
            name = self.0.as_str()
        ))
    }
}

/// Why a word is not a valid setting of a value (in the language in force).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct BadSettingValue {
    /// The value's name.
    pub name: &'static str,
    /// What was given.
    pub given: String,
    /// The accepted words, explained.
    pub choices: Text,
}

impl fmt::Display for BadSettingValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::tr!(
            "policy-error-bad-setting",
            given = self.given.as_str(),
            name = self.name,
            choices = self.choices.to_string()
        ))
    }
}

impl ShutdownValue {
    /// The three policy values, in the order the tool shows them.
    pub const POLICY: [ShutdownValue; 3] = [
        ShutdownValue::FastShutdownBehavior,
        ShutdownValue::AddinFastShutdownBehavior,
        ShutdownValue::AllowShutdownWithExternalReferences,
    ];

    /// The registry value name, as Outlook and the ADMX spell it.
    pub fn name(self) -> &'static str {
        match self {
            ShutdownValue::FastShutdownBehavior => FAST_SHUTDOWN_BEHAVIOR,
            ShutdownValue::AddinFastShutdownBehavior => ADDIN_FAST_SHUTDOWN_BEHAVIOR,
            ShutdownValue::AllowShutdownWithExternalReferences => {
                ALLOW_SHUTDOWN_WITH_EXTERNAL_REFERENCES
            }
            ShutdownValue::RequireShutdownNotification => REQUIRE_SHUTDOWN_NOTIFICATION,
        }
    }

    /// A policy value by registry name, any case.
    pub fn policy_by_name(name: &str) -> Result<ShutdownValue, UnknownValueName> {
        ShutdownValue::POLICY
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownValueName(name.to_string()))
    }

    /// The outlk16.admx policy that writes this value (`None` for the
    /// per-add-in value, which Group Policy cannot set): the policy's name
    /// as the English, French and Chinese templates give it (JSON keeps
    /// the English one).
    pub fn admx_policy(self) -> Option<Text> {
        match self {
            ShutdownValue::FastShutdownBehavior => {
                Some(Text::new("policy-admx-fast-shutdown-providers"))
            }
            ShutdownValue::AddinFastShutdownBehavior => {
                Some(Text::new("policy-admx-fast-shutdown-addins"))
            }
            ShutdownValue::AllowShutdownWithExternalReferences => {
                Some(Text::new("policy-admx-prevent-external-references"))
            }
            ShutdownValue::RequireShutdownNotification => None,
        }
    }

    /// What the value controls, in one line (in the language in force).
    pub fn summary(self) -> String {
        match self {
            ShutdownValue::FastShutdownBehavior => crate::tr!("policy-summary-fast-shutdown"),
            ShutdownValue::AddinFastShutdownBehavior => crate::tr!("policy-summary-addins"),
            ShutdownValue::AllowShutdownWithExternalReferences => {
                crate::tr!("policy-summary-external-references")
            }
            ShutdownValue::RequireShutdownNotification => {
                crate::tr!("policy-summary-require-notification")
            }
        }
    }

    /// The words `policy set` accepts, explained (the words themselves
    /// are the command's and stay as they are in every language).
    pub fn choices(self) -> Text {
        Text::new(match self {
            ShutdownValue::FastShutdownBehavior => "policy-choices-fast-shutdown",
            ShutdownValue::AddinFastShutdownBehavior => "policy-choices-addins",
            ShutdownValue::AllowShutdownWithExternalReferences => {
                "policy-choices-external-references"
            }
            ShutdownValue::RequireShutdownNotification => "policy-choices-require-notification",
        })
    }

    /// The DWORD for a word or number given to `policy set`. For the
    /// inverted `allowshutdownwithexternalreferences`, `on` means what the
    /// value's name says, "allow shutdown with external references" (1,
    /// the ADMX policy Disabled), and `off` blocks shutdown (0, the ADMX
    /// policy Enabled).
    pub fn parse_setting(self, word: &str) -> Result<u32, BadSettingValue> {
        let w = word.trim().to_ascii_lowercase();
        let bad = || BadSettingValue {
            name: self.name(),
            given: word.to_string(),
            choices: self.choices(),
        };
        match self {
            ShutdownValue::FastShutdownBehavior => w
                .parse::<FastShutdownBehavior>()
                .map(FastShutdownBehavior::dword)
                .map_err(|_| bad()),
            ShutdownValue::AllowShutdownWithExternalReferences => match w.as_str() {
                "1" | "on" | "allow" => Ok(1),
                "0" | "off" | "prevent" => Ok(0),
                _ => Err(bad()),
            },
            ShutdownValue::AddinFastShutdownBehavior
            | ShutdownValue::RequireShutdownNotification => match w.as_str() {
                "1" | "on" => Ok(1),
                "0" | "off" => Ok(0),
                _ => Err(bad()),
            },
        }
    }

    /// The largest valid DWORD.
    fn max(self) -> u32 {
        match self {
            ShutdownValue::FastShutdownBehavior => 2,
            _ => 1,
        }
    }

    /// Our word for a valid DWORD.
    fn word(self, v: u32) -> &'static str {
        match (self, v) {
            (ShutdownValue::FastShutdownBehavior, 0) => "opt-out",
            (ShutdownValue::FastShutdownBehavior, 1) => "opt-in",
            (ShutdownValue::FastShutdownBehavior, _) => "disabled",
            (ShutdownValue::AllowShutdownWithExternalReferences, 0) => "prevent",
            (ShutdownValue::AllowShutdownWithExternalReferences, _) => "allow",
            (_, 0) => "off",
            (_, _) => "on",
        }
    }

    /// The DWORD in force when the value is absent or invalid.
    fn default_dword(self) -> u32 {
        match self {
            // Absent: external references are ignored, i.e. allowed.
            ShutdownValue::AllowShutdownWithExternalReferences => 1,
            _ => 0,
        }
    }

    /// What happens under a valid DWORD (or the default), in our words.
    fn meaning(self, v: u32) -> Text {
        Text::new(match (self, v) {
            (ShutdownValue::FastShutdownBehavior, 0) => "policy-meaning-fast-shutdown-opt-out",
            (ShutdownValue::FastShutdownBehavior, 1) => "policy-meaning-fast-shutdown-opt-in",
            (ShutdownValue::FastShutdownBehavior, _) => "policy-meaning-fast-shutdown-disabled",
            (ShutdownValue::AddinFastShutdownBehavior, 0) => "policy-meaning-addins-off",
            (ShutdownValue::AddinFastShutdownBehavior, _) => "policy-meaning-addins-on",
            (ShutdownValue::AllowShutdownWithExternalReferences, 0) => {
                "policy-meaning-external-references-prevent"
            }
            (ShutdownValue::AllowShutdownWithExternalReferences, _) => {
                "policy-meaning-external-references-allow"
            }
            (ShutdownValue::RequireShutdownNotification, 0) => {
                "policy-meaning-require-notification-off"
            }
            (ShutdownValue::RequireShutdownNotification, _) => {
                "policy-meaning-require-notification-on"
            }
        })
    }

    /// The ADMX state and option that write this DWORD, when known:
    /// outlk16.adml labels for `FastShutdownBehavior`; the inversion for
    /// `allowshutdownwithexternalreferences` (Enabled writes 0).
    fn admx_state(self, v: Option<u32>) -> Option<Text> {
        match (self, v) {
            (ShutdownValue::RequireShutdownNotification, _) => None,
            (_, None) => Some(Text::new("policy-admx-state-not-configured")),
            (ShutdownValue::FastShutdownBehavior, Some(v)) => FastShutdownBehavior::from_dword(v)
                .map(|b| {
                    Text::new("policy-admx-state-enabled-option")
                        .text("option", b.admx_label_text())
                }),
            (ShutdownValue::AllowShutdownWithExternalReferences, Some(0)) => {
                Some(Text::new("policy-admx-state-enabled"))
            }
            (ShutdownValue::AllowShutdownWithExternalReferences, Some(_)) => {
                Some(Text::new("policy-admx-state-disabled"))
            }
            (ShutdownValue::AddinFastShutdownBehavior, Some(_)) => None,
        }
    }

    /// Interpret the data read for this value (`None`: absent; `office`:
    /// the version whose key holds it, `None` for an add-in's, for the
    /// fix's command line). Only a `REG_DWORD` in range is valid; anything
    /// else is kept raw as invalid and the default applies. The words
    /// (meaning, ADMX policy and state, reason, fix) are texts: English in
    /// JSON, rendered in the user's language for people.
    pub fn interpret(
        self,
        data: Option<&RegistryData>,
        office: Option<OfficeVersion>,
    ) -> SettingReport {
        let office_arg = office.map(|o| format!(" --office {o}")).unwrap_or_default();
        let (state, dword, reason) = match data {
            None => (SettingState::NotConfigured, None, None),
            Some(RegistryData::Dword(v)) if *v <= self.max() => {
                (SettingState::Valid, Some(*v), None)
            }
            Some(RegistryData::Dword(v)) => (
                SettingState::Invalid,
                None,
                Some(
                    Text::new("policy-reason-out-of-range")
                        .num("value", u64::from(*v))
                        .num("max", u64::from(self.max())),
                ),
            ),
            Some(other) => (
                SettingState::Invalid,
                None,
                Some(
                    Text::new("policy-reason-wrong-type")
                        .str("data_type", other.type_name())
                        .str("name", self.name()),
                ),
            ),
        };
        let in_force = dword.unwrap_or(self.default_dword());
        let meaning = self.meaning(in_force);
        let meaning = match state {
            SettingState::NotConfigured => {
                Text::new("policy-meaning-not-configured").text("meaning", meaning)
            }
            SettingState::Invalid if self == ShutdownValue::FastShutdownBehavior => {
                Text::new("policy-meaning-invalid-subsystem").text("meaning", meaning)
            }
            SettingState::Invalid => {
                Text::new("policy-meaning-invalid-outlook").text("meaning", meaning)
            }
            SettingState::Valid => meaning,
        };
        // An add-in's fix names the add-in: `addins::read_addin` writes it.
        let fix = (state == SettingState::Invalid
            && self != ShutdownValue::RequireShutdownNotification)
            .then(|| {
                Text::new("policy-fix-policy")
                    .str("name", self.name())
                    .str("office_arg", office_arg)
                    .text("choices", self.choices())
            });
        SettingReport {
            name: self.name(),
            state,
            raw: data.cloned(),
            effective: self.word(in_force),
            value: dword.map(|v| self.word(v)),
            meaning,
            admx_policy: self.admx_policy(),
            admx_state: match state {
                SettingState::Invalid => None,
                _ => self.admx_state(dword),
            },
            reason,
            fix,
        }
    }

    /// Any of the four values by registry name, any case.
    pub fn by_name(name: &str) -> Option<ShutdownValue> {
        ShutdownValue::POLICY
            .into_iter()
            .chain([ShutdownValue::RequireShutdownNotification])
            .find(|v| v.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for ShutdownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One value as read: state, raw data, what is in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SettingReport {
    /// The registry value name.
    pub name: &'static str,
    /// not-configured, valid or invalid.
    pub state: SettingState,
    /// The data as stored (`{"type":"REG_DWORD","data":2}`), `null` when absent.
    pub raw: Option<RegistryData>,
    /// What is in force, as a word: `opt-out|opt-in|disabled` for
    /// `FastShutdownBehavior`, `on|off` for `AddinFastShutdownBehavior` and
    /// `RequireShutdownNotification`, `allow|prevent` for
    /// `allowshutdownwithexternalreferences`.
    pub effective: &'static str,
    /// The valid setting's word, `null` unless valid.
    pub value: Option<&'static str>,
    /// What the subsystem or Outlook does, in words.
    pub meaning: Text,
    /// The outlk16.admx policy that writes this value.
    pub admx_policy: Option<Text>,
    /// The policy state (and option label) that writes this data, when known.
    pub admx_state: Option<Text>,
    /// Why the data is invalid.
    pub reason: Option<Text>,
    /// A one-line fix for invalid data.
    pub fix: Option<Text>,
}

/// One Office version's policy key and values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VersionReport {
    /// `16.0`.
    pub office: OfficeVersion,
    /// The Outlook releases that read it.
    pub products: &'static str,
    /// Whether `HKCU\Software\Microsoft\Office\<ver>\Outlook` exists.
    pub installed: bool,
    /// The policy key with its hive.
    pub key: String,
    /// Whether the policy key exists.
    pub key_exists: bool,
    /// The three values, in [`ShutdownValue::POLICY`] order.
    pub settings: Vec<SettingReport>,
}

/// What `policy show` reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyReport {
    /// The store read (`windows`, `file:PATH`, `memory`).
    pub backend: String,
    /// One entry per Office version asked for.
    pub versions: Vec<VersionReport>,
}

/// The full policy key for a version: `HKEY_CURRENT_USER\Software\Policies\…\Shutdown`.
pub fn policy_key_path(office: OfficeVersion) -> String {
    Hive::CurrentUser.full_path(&office.shutdown_policy_key())
}

/// The Office version whose shutdown policy key this is (hive and key,
/// any case).
pub fn policy_key_version(hive: Hive, key: &str) -> Option<OfficeVersion> {
    if hive != Hive::CurrentUser {
        return None;
    }
    let key = super::store::normalize_key(key);
    OfficeVersion::ALL
        .into_iter()
        .find(|v| v.shutdown_policy_key().eq_ignore_ascii_case(&key))
}

/// Read one version's policy.
pub fn read_version(
    store: &dyn RegistryStore,
    office: OfficeVersion,
) -> Result<VersionReport, StoreError> {
    let key = office.shutdown_policy_key();
    let installed = store.key_exists(Hive::CurrentUser, &office.outlook_key())?;
    let key_exists = store.key_exists(Hive::CurrentUser, &key)?;
    let mut settings = Vec::with_capacity(3);
    for v in ShutdownValue::POLICY {
        let data = if key_exists {
            store.read_value(Hive::CurrentUser, &key, v.name())?
        } else {
            None
        };
        settings.push(v.interpret(data.as_ref(), Some(office)));
    }
    Ok(VersionReport {
        office,
        products: office.products(),
        installed,
        key: policy_key_path(office),
        key_exists,
        settings,
    })
}

/// Read the policy of the given versions.
pub fn read_policy(
    store: &dyn RegistryStore,
    versions: &[OfficeVersion],
) -> Result<PolicyReport, StoreError> {
    let versions = versions
        .iter()
        .map(|v| read_version(store, *v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PolicyReport {
        backend: store.describe(),
        versions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::policy::memory::MemoryStore;

    #[test]
    fn names_are_case_insensitive() {
        assert_eq!(
            ShutdownValue::policy_by_name("fastshutdownbehavior"),
            Ok(ShutdownValue::FastShutdownBehavior)
        );
        assert_eq!(
            ShutdownValue::policy_by_name("AllowShutdownWithExternalReferences"),
            Ok(ShutdownValue::AllowShutdownWithExternalReferences)
        );
        assert!(ShutdownValue::policy_by_name("RequireShutdownNotification").is_err());
    }

    #[test]
    fn setting_words() {
        use ShutdownValue::*;
        assert_eq!(FastShutdownBehavior.parse_setting("disabled"), Ok(2));
        assert_eq!(FastShutdownBehavior.parse_setting("1"), Ok(1));
        assert!(FastShutdownBehavior.parse_setting("3").is_err());
        assert_eq!(AddinFastShutdownBehavior.parse_setting("ON"), Ok(1));
        assert!(AddinFastShutdownBehavior.parse_setting("allow").is_err());
        assert_eq!(
            AllowShutdownWithExternalReferences.parse_setting("on"),
            Ok(1)
        );
        assert_eq!(
            AllowShutdownWithExternalReferences.parse_setting("prevent"),
            Ok(0)
        );
        assert!(
            AllowShutdownWithExternalReferences
                .parse_setting("2")
                .is_err()
        );
    }

    #[test]
    fn inverted_external_references() {
        let v = ShutdownValue::AllowShutdownWithExternalReferences;
        let absent = v.interpret(None, None);
        assert_eq!(absent.state, SettingState::NotConfigured);
        assert_eq!(absent.effective, "allow");
        assert_eq!(
            absent.admx_state.map(|s| s.render(Lang::En)).as_deref(),
            Some("Not Configured")
        );
        let zero = v.interpret(Some(&RegistryData::Dword(0)), None);
        assert_eq!(zero.effective, "prevent");
        assert_eq!(
            zero.admx_state.map(|s| s.render(Lang::En)).as_deref(),
            Some("Enabled")
        );
        let one = v.interpret(Some(&RegistryData::Dword(1)), None);
        assert_eq!(one.effective, "allow");
        assert_eq!(
            one.admx_state.map(|s| s.render(Lang::En)).as_deref(),
            Some("Disabled")
        );
    }

    #[test]
    fn invalid_data_is_kept_raw_with_a_fix() {
        let r = ShutdownValue::FastShutdownBehavior.interpret(
            Some(&RegistryData::String("1".into())),
            Some(OfficeVersion::V15),
        );
        assert_eq!(r.state, SettingState::Invalid);
        assert_eq!(r.raw, Some(RegistryData::String("1".into())));
        assert_eq!(r.effective, "opt-out");
        assert!(r.reason.unwrap().render(Lang::En).contains("REG_SZ"));
        assert!(
            r.fix
                .unwrap()
                .render(Lang::En)
                .contains("policy unset FastShutdownBehavior --office 15.0")
        );
        let r =
            ShutdownValue::AddinFastShutdownBehavior.interpret(Some(&RegistryData::Dword(7)), None);
        assert_eq!(r.state, SettingState::Invalid);
        assert_eq!(r.effective, "off");
    }

    #[test]
    fn words_in_french_and_chinese_json_stays_english() {
        let v = ShutdownValue::AllowShutdownWithExternalReferences;
        let r = v.interpret(Some(&RegistryData::Dword(0)), None);
        let state = r.admx_state.as_ref().unwrap();
        assert_eq!(state.render(Lang::En), "Enabled");
        assert_eq!(state.render(Lang::Fr), "Activé");
        assert_eq!(state.render(Lang::ZhCn), "已启用");
        let fr = r.meaning.render(Lang::Fr);
        assert!(fr.contains("Outlook ne s’arrête pas"), "{fr}");
        assert_eq!(r.effective, "prevent", "the words of `policy set` stay");
        // The English template's name in French too: no French
        // outlk16.adml could be read (docs/i18n.md, "ADMX policy and
        // option names").
        assert_eq!(
            v.admx_policy().map(|p| p.render(Lang::Fr)).as_deref(),
            Some("Prevent shutdown if external references exist")
        );
        let bad = ShutdownValue::FastShutdownBehavior
            .interpret(Some(&RegistryData::Dword(7)), Some(OfficeVersion::V16));
        assert!(bad.reason.unwrap().render(Lang::Fr).contains("hors plage"));
        assert!(
            bad.fix
                .unwrap()
                .render(Lang::Fr)
                .contains("policy unset FastShutdownBehavior --office 16.0")
        );
        // What JSON serializes is English whatever the language in force;
        // `Display` follows the language in force.
        crate::i18n::set_thread_lang(Some(Lang::ZhCn));
        let report = ShutdownValue::FastShutdownBehavior.interpret(None, None);
        let json = serde_json::to_value(&report).unwrap();
        let shown = report.admx_state.as_ref().map(ToString::to_string);
        crate::i18n::set_thread_lang(None);
        assert_eq!(json["admx_state"], "Not Configured");
        // The template's own name, letter for letter (outlk16.adml,
        // L_ConfigureFastShutdownBehavior): what the Group Policy editor shows.
        assert_eq!(json["admx_policy"], "Configure fast shutdown behavior");
        assert!(
            json["meaning"]
                .as_str()
                .unwrap()
                .starts_with("not configured, so opt-out")
        );
        assert_eq!(shown.as_deref(), Some("未配置"));
        // The English template's option name: no zh-CN outlk16.adml could
        // be read (docs/i18n.md).
        assert_eq!(
            FastShutdownBehavior::Disabled
                .admx_label_text()
                .render(Lang::ZhCn),
            "Never"
        );
    }

    #[test]
    fn report_json_shape() {
        let store = MemoryStore::new();
        let key = OfficeVersion::V16.shutdown_policy_key();
        store
            .create_key(Hive::CurrentUser, &OfficeVersion::V16.outlook_key())
            .unwrap();
        store.create_key(Hive::CurrentUser, &key).unwrap();
        store
            .set_dword(Hive::CurrentUser, &key, "fastshutdownbehavior", 2)
            .unwrap();
        let report = read_policy(&store, &OfficeVersion::ALL).unwrap();
        let v = serde_json::to_value(&report).unwrap();
        assert_eq!(v["backend"], "memory");
        assert_eq!(v["versions"][2]["office"], "16.0");
        assert_eq!(v["versions"][2]["installed"], true);
        assert_eq!(v["versions"][0]["installed"], false);
        let s = &v["versions"][2]["settings"][0];
        assert_eq!(s["name"], "FastShutdownBehavior");
        assert_eq!(s["state"], "valid");
        assert_eq!(s["raw"]["type"], "REG_DWORD");
        assert_eq!(s["raw"]["data"], 2);
        assert_eq!(s["effective"], "disabled");
        let n = &v["versions"][2]["settings"][1];
        assert_eq!(n["state"], "not-configured");
        assert!(n["raw"].is_null());
    }
}
