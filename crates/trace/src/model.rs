//! The MAPI names a trace carries, shared by every crate of the product:
//! provider kinds (transport, address book, message store), the Office
//! versions whose policy key the subsystem reads, registry data exactly as
//! stored, the three options of `FastShutdownBehavior` and a policy value
//! as read (not configured / valid / invalid, never coerced).
//!
//! Sources: "Fast Shutdown User Options" and "Client Shutdown in MAPI"
//! (Outlook MAPI reference), the Office 2016 administrative template
//! outlk16.admx / outlk16.adml (docs/domain.md). Words for people in other
//! languages live with the application's catalogues, not here.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The three kinds of MAPI service provider.
///
/// Serialized as `transport`, `address-book`, `message-store`; ordered the
/// way the subsystem calls them ("Client Shutdown in MAPI").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    /// Transport provider (`IXPProvider`).
    Transport,
    /// Address book provider (`IABProvider`).
    AddressBook,
    /// Message store provider (`IMSProvider`).
    MessageStore,
}

impl ProviderKind {
    /// All kinds in call order.
    pub const ALL: [ProviderKind; 3] = [
        ProviderKind::Transport,
        ProviderKind::AddressBook,
        ProviderKind::MessageStore,
    ];

    /// `transport`, `address-book`, `message-store`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Transport => "transport",
            ProviderKind::AddressBook => "address-book",
            ProviderKind::MessageStore => "message-store",
        }
    }

    /// Words for people: `transport`, `address book`, `message store`.
    pub fn label(self) -> &'static str {
        match self {
            ProviderKind::Transport => "transport",
            ProviderKind::AddressBook => "address book",
            ProviderKind::MessageStore => "message store",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An Office version whose Outlook reads the shutdown policy.
///
/// Source: "Fast Shutdown User Options" names the key per version; the
/// product names are those of the ADMX templates (outlk14/15/16.admx).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OfficeVersion {
    /// Outlook 2010.
    #[serde(rename = "14.0")]
    V14,
    /// Outlook 2013.
    #[serde(rename = "15.0")]
    V15,
    /// Outlook 2016, 2019, 2021 and Microsoft 365.
    #[serde(rename = "16.0")]
    V16,
}

impl OfficeVersion {
    /// Every version the product knows, oldest first.
    pub const ALL: [OfficeVersion; 3] =
        [OfficeVersion::V14, OfficeVersion::V15, OfficeVersion::V16];

    /// The version as it appears in registry paths: `"16.0"`.
    pub fn as_str(self) -> &'static str {
        match self {
            OfficeVersion::V14 => "14.0",
            OfficeVersion::V15 => "15.0",
            OfficeVersion::V16 => "16.0",
        }
    }

    /// The Outlook releases that read this version's key.
    pub fn products(self) -> &'static str {
        match self {
            OfficeVersion::V14 => "Outlook 2010",
            OfficeVersion::V15 => "Outlook 2013",
            OfficeVersion::V16 => "Outlook 2016, 2019, 2021, Microsoft 365",
        }
    }

    /// The policy key under `HKEY_CURRENT_USER`, without the hive:
    /// `Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown`.
    pub fn shutdown_policy_key(self) -> String {
        format!(
            r"Software\Policies\Microsoft\Office\{}\Outlook\Options\Shutdown",
            self.as_str()
        )
    }

    /// The key whose presence suggests this Outlook is installed for the
    /// user: `Software\Microsoft\Office\16.0\Outlook` under HKCU.
    pub fn outlook_key(self) -> String {
        format!(r"Software\Microsoft\Office\{}\Outlook", self.as_str())
    }
}

impl fmt::Display for OfficeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not an Office version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an Office version this tool knows: use 14.0, 15.0 or 16.0")]
pub struct ParseOfficeVersionError(pub String);

impl FromStr for OfficeVersion {
    type Err = ParseOfficeVersionError;

    /// Accepts `14.0`/`14`, `15.0`/`15`, `16.0`/`16`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "14.0" | "14" => Ok(OfficeVersion::V14),
            "15.0" | "15" => Ok(OfficeVersion::V15),
            "16.0" | "16" => Ok(OfficeVersion::V16),
            other => Err(ParseOfficeVersionError(other.to_string())),
        }
    }
}

/// Registry data exactly as stored, with its type, so that a tool can show
/// what is really there (a `REG_SZ "1"` is not a `REG_DWORD 1`).
///
/// Serialized as `{"type":"REG_DWORD","data":1}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum RegistryData {
    /// `REG_DWORD` (type 4), 32 bits.
    #[serde(rename = "REG_DWORD")]
    Dword(u32),
    /// `REG_QWORD` (type 11), 64 bits.
    #[serde(rename = "REG_QWORD")]
    Qword(u64),
    /// `REG_SZ` (type 1).
    #[serde(rename = "REG_SZ")]
    String(String),
    /// `REG_EXPAND_SZ` (type 2).
    #[serde(rename = "REG_EXPAND_SZ")]
    ExpandString(String),
    /// `REG_MULTI_SZ` (type 7).
    #[serde(rename = "REG_MULTI_SZ")]
    MultiString(Vec<String>),
    /// `REG_BINARY` (type 3), or any other type kept as bytes.
    #[serde(rename = "REG_BINARY")]
    Binary(Vec<u8>),
}

impl RegistryData {
    /// Registry type codes (`winnt.h`): `REG_SZ`.
    pub const REG_SZ: u32 = 1;
    /// `REG_EXPAND_SZ`.
    pub const REG_EXPAND_SZ: u32 = 2;
    /// `REG_BINARY`.
    pub const REG_BINARY: u32 = 3;
    /// `REG_DWORD` (little-endian).
    pub const REG_DWORD: u32 = 4;
    /// `REG_MULTI_SZ`.
    pub const REG_MULTI_SZ: u32 = 7;
    /// `REG_QWORD` (little-endian).
    pub const REG_QWORD: u32 = 11;

    /// A value's type code and bytes, as the registry API and a
    /// `Registry.pol` record hold them, as our data, never coerced: a
    /// `REG_DWORD` or `REG_QWORD` of the wrong length, any other type
    /// (`REG_DWORD_BIG_ENDIAN`, `REG_LINK`, unknown codes), and text that
    /// is not valid UTF-16LE are kept as [`RegistryData::Binary`] bytes.
    /// Trailing NULs of a string are its terminator and are dropped.
    pub fn from_raw(ty: u32, bytes: &[u8]) -> RegistryData {
        let wide = || -> Option<Vec<u16>> {
            bytes.len().is_multiple_of(2).then(|| {
                let mut units: Vec<u16> = bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                while units.last() == Some(&0) {
                    units.pop();
                }
                units
            })
        };
        let decoded = match ty {
            Self::REG_DWORD => <[u8; 4]>::try_from(bytes)
                .ok()
                .map(|b| RegistryData::Dword(u32::from_le_bytes(b))),
            Self::REG_QWORD => <[u8; 8]>::try_from(bytes)
                .ok()
                .map(|b| RegistryData::Qword(u64::from_le_bytes(b))),
            Self::REG_SZ | Self::REG_EXPAND_SZ => wide()
                .and_then(|w| String::from_utf16(&w).ok())
                .map(|s| match ty {
                    Self::REG_SZ => RegistryData::String(s),
                    _ => RegistryData::ExpandString(s),
                }),
            Self::REG_MULTI_SZ => wide().and_then(|w| {
                w.split(|c| *c == 0)
                    .filter(|s| !s.is_empty())
                    .map(|s| String::from_utf16(s).ok())
                    .collect::<Option<Vec<String>>>()
                    .map(RegistryData::MultiString)
            }),
            _ => None,
        };
        decoded.unwrap_or_else(|| RegistryData::Binary(bytes.to_vec()))
    }

    /// The type code and bytes the registry stores for this data
    /// (strings UTF-16LE with their NUL, a `REG_MULTI_SZ` ending in two),
    /// the inverse of [`RegistryData::from_raw`].
    pub fn to_raw(&self) -> (u32, Vec<u8>) {
        fn wide(s: &str, out: &mut Vec<u8>) {
            out.extend(s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes));
        }
        let mut b = Vec::new();
        let ty = match self {
            RegistryData::Dword(v) => {
                b.extend_from_slice(&v.to_le_bytes());
                Self::REG_DWORD
            }
            RegistryData::Qword(v) => {
                b.extend_from_slice(&v.to_le_bytes());
                Self::REG_QWORD
            }
            RegistryData::String(s) => {
                wide(s, &mut b);
                Self::REG_SZ
            }
            RegistryData::ExpandString(s) => {
                wide(s, &mut b);
                Self::REG_EXPAND_SZ
            }
            RegistryData::MultiString(v) => {
                for s in v {
                    wide(s, &mut b);
                }
                b.extend_from_slice(&[0, 0]);
                Self::REG_MULTI_SZ
            }
            RegistryData::Binary(bytes) => {
                b.extend_from_slice(bytes);
                Self::REG_BINARY
            }
        };
        (ty, b)
    }

    /// The registry type's name: `REG_DWORD`.
    pub fn type_name(&self) -> &'static str {
        match self {
            RegistryData::Dword(_) => "REG_DWORD",
            RegistryData::Qword(_) => "REG_QWORD",
            RegistryData::String(_) => "REG_SZ",
            RegistryData::ExpandString(_) => "REG_EXPAND_SZ",
            RegistryData::MultiString(_) => "REG_MULTI_SZ",
            RegistryData::Binary(_) => "REG_BINARY",
        }
    }
}

impl fmt::Display for RegistryData {
    /// `REG_DWORD 0x00000001 (1)`, `REG_SZ "1"`, `REG_BINARY 01 02`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryData::Dword(v) => write!(f, "REG_DWORD 0x{v:08x} ({v})"),
            RegistryData::Qword(v) => write!(f, "REG_QWORD 0x{v:016x} ({v})"),
            RegistryData::String(s) => write!(f, "REG_SZ {s:?}"),
            RegistryData::ExpandString(s) => write!(f, "REG_EXPAND_SZ {s:?}"),
            RegistryData::MultiString(v) => write!(f, "REG_MULTI_SZ {v:?}"),
            RegistryData::Binary(b) => {
                f.write_str("REG_BINARY")?;
                for byte in b {
                    write!(f, " {byte:02x}")?;
                }
                Ok(())
            }
        }
    }
}

/// The three options of `FastShutdownBehavior`.
///
/// Source: "Fast Shutdown User Options"; outlk16.admx policy
/// "Configure fast shutdown behavior" (`L_ConfigureFastShutdownBehavior`;
/// labels below).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FastShutdownBehavior {
    /// 0 (and the behaviour when absent): the subsystem answers `S_OK`
    /// unless a provider's `QueryFastShutdown` returns an error; providers
    /// that do not implement `IMAPIProviderShutdown` do not block.
    OptOut = 0,
    /// 1: `S_OK` only if every provider implements `IMAPIProviderShutdown`
    /// and answers `S_OK`.
    OptIn = 1,
    /// 2: the subsystem answers `MAPI_E_NO_SUPPORT` and never calls a
    /// provider's `QueryFastShutdown` or `DoFastShutdown`.
    Disabled = 2,
}

impl FastShutdownBehavior {
    /// Every option, in DWORD order.
    pub const ALL: [FastShutdownBehavior; 3] = [
        FastShutdownBehavior::OptOut,
        FastShutdownBehavior::OptIn,
        FastShutdownBehavior::Disabled,
    ];

    /// What the subsystem does when the value is absent or invalid:
    /// opt-out, Outlook's default since Outlook 2010 ("Fast Shutdown User
    /// Options").
    pub const DEFAULT: FastShutdownBehavior = FastShutdownBehavior::OptOut;

    /// The DWORD written to the registry.
    pub fn dword(self) -> u32 {
        self as u32
    }

    /// The option for a DWORD, `None` when out of range.
    pub fn from_dword(value: u32) -> Option<Self> {
        match value {
            0 => Some(FastShutdownBehavior::OptOut),
            1 => Some(FastShutdownBehavior::OptIn),
            2 => Some(FastShutdownBehavior::Disabled),
            _ => None,
        }
    }

    /// Our short name: `opt-out`, `opt-in`, `disabled`.
    pub fn as_str(self) -> &'static str {
        match self {
            FastShutdownBehavior::OptOut => "opt-out",
            FastShutdownBehavior::OptIn => "opt-in",
            FastShutdownBehavior::Disabled => "disabled",
        }
    }

    /// The option's label in outlk16.adml.
    pub fn admx_label(self) -> &'static str {
        match self {
            FastShutdownBehavior::OptOut => "MAPI provider does not support",
            FastShutdownBehavior::OptIn => "All MAPI providers support",
            FastShutdownBehavior::Disabled => "Never",
        }
    }

    /// Interpret the value read from the policy key (`None`: absent).
    ///
    /// Only a `REG_DWORD` of 0, 1 or 2 is valid; any other data is
    /// [`Setting::Invalid`], which the subsystem treats as the default.
    pub fn interpret(data: Option<&RegistryData>) -> Setting<FastShutdownBehavior> {
        match data {
            None => Setting::NotConfigured,
            Some(RegistryData::Dword(v)) => match Self::from_dword(*v) {
                Some(value) => Setting::Valid { value },
                None => Setting::Invalid {
                    raw: RegistryData::Dword(*v),
                    reason: format!("DWORD {v} is out of range: only 0, 1 and 2 are defined"),
                },
            },
            Some(other) => Setting::Invalid {
                raw: other.clone(),
                reason: format!(
                    "{} is the wrong type: FastShutdownBehavior must be a REG_DWORD",
                    other.type_name()
                ),
            },
        }
    }
}

impl fmt::Display for FastShutdownBehavior {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a `FastShutdownBehavior`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a FastShutdownBehavior: use 0|opt-out, 1|opt-in or 2|disabled")]
pub struct ParseBehaviorError(pub String);

impl FromStr for FastShutdownBehavior {
    type Err = ParseBehaviorError;

    /// Accepts `0`/`1`/`2` or `opt-out`/`opt-in`/`disabled` (also
    /// `optout`, `opt_out`, any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        match norm.as_str() {
            "0" | "optout" => Ok(FastShutdownBehavior::OptOut),
            "1" | "optin" => Ok(FastShutdownBehavior::OptIn),
            "2" | "disabled" => Ok(FastShutdownBehavior::Disabled),
            _ => Err(ParseBehaviorError(s.to_string())),
        }
    }
}

/// A policy value as read: absent, valid, or present with data that is not
/// a valid setting (kept raw, never coerced).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Setting<T> {
    /// The value does not exist.
    NotConfigured,
    /// A valid setting.
    Valid {
        /// The setting.
        value: T,
    },
    /// Data that is not a valid setting, with the reason in words.
    Invalid {
        /// The data as stored.
        raw: RegistryData,
        /// What is wrong with it.
        reason: String,
    },
}

impl<T: Copy> Setting<T> {
    /// The value in force: the valid setting, else `default`.
    pub fn effective(&self, default: T) -> T {
        match self {
            Setting::Valid { value } => *value,
            Setting::NotConfigured | Setting::Invalid { .. } => default,
        }
    }

    /// True for [`Setting::Invalid`].
    pub fn is_invalid(&self) -> bool {
        matches!(self, Setting::Invalid { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths() {
        assert_eq!(
            OfficeVersion::V16.shutdown_policy_key(),
            r"Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown"
        );
        assert_eq!(
            OfficeVersion::V14.outlook_key(),
            r"Software\Microsoft\Office\14.0\Outlook"
        );
        for v in OfficeVersion::ALL {
            assert_eq!(v.as_str().parse::<OfficeVersion>(), Ok(v));
        }
        assert!("17.0".parse::<OfficeVersion>().is_err());
    }

    #[test]
    fn interpret_keeps_invalid_data_raw() {
        use FastShutdownBehavior::*;
        let cases: Vec<(Option<RegistryData>, Setting<FastShutdownBehavior>)> = vec![
            (None, Setting::NotConfigured),
            (
                Some(RegistryData::Dword(0)),
                Setting::Valid { value: OptOut },
            ),
            (
                Some(RegistryData::Dword(1)),
                Setting::Valid { value: OptIn },
            ),
            (
                Some(RegistryData::Dword(2)),
                Setting::Valid { value: Disabled },
            ),
        ];
        for (data, want) in cases {
            assert_eq!(FastShutdownBehavior::interpret(data.as_ref()), want);
        }
        for bad in [
            RegistryData::Dword(7),
            RegistryData::String("1".into()),
            RegistryData::Qword(1),
            RegistryData::Binary(vec![1, 0, 0, 0]),
        ] {
            match FastShutdownBehavior::interpret(Some(&bad)) {
                Setting::Invalid { raw, reason } => {
                    assert_eq!(raw, bad);
                    assert!(!reason.is_empty());
                }
                other => panic!("{bad} interpreted as {other:?}"),
            }
        }
    }

    #[test]
    fn invalid_and_absent_mean_opt_out() {
        let invalid = FastShutdownBehavior::interpret(Some(&RegistryData::Dword(9)));
        assert_eq!(
            invalid.effective(FastShutdownBehavior::DEFAULT),
            FastShutdownBehavior::OptOut
        );
        assert_eq!(
            Setting::<FastShutdownBehavior>::NotConfigured.effective(FastShutdownBehavior::DEFAULT),
            FastShutdownBehavior::OptOut
        );
    }

    #[test]
    fn parse_behaviour() {
        for b in FastShutdownBehavior::ALL {
            assert_eq!(b.as_str().parse::<FastShutdownBehavior>(), Ok(b));
            assert_eq!(b.dword().to_string().parse::<FastShutdownBehavior>(), Ok(b));
        }
        assert_eq!(
            "OptIn".parse::<FastShutdownBehavior>(),
            Ok(FastShutdownBehavior::OptIn)
        );
        assert!("3".parse::<FastShutdownBehavior>().is_err());
    }

    #[test]
    fn setting_serde_shape() {
        let valid: Setting<FastShutdownBehavior> = Setting::Valid {
            value: FastShutdownBehavior::OptIn,
        };
        assert_eq!(
            serde_json::to_string(&valid).unwrap(),
            r#"{"state":"valid","value":"opt-in"}"#
        );
        let none: Setting<FastShutdownBehavior> = Setting::NotConfigured;
        assert_eq!(
            serde_json::to_string(&none).unwrap(),
            r#"{"state":"not-configured"}"#
        );
        let bad = FastShutdownBehavior::interpret(Some(&RegistryData::Dword(7)));
        let json = serde_json::to_string(&bad).unwrap();
        assert!(
            json.starts_with(r#"{"state":"invalid","raw":{"type":"REG_DWORD","data":7},"reason":"#),
            "{json}"
        );
        let back: Setting<FastShutdownBehavior> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, bad);
    }

    #[test]
    fn registry_data_serde_and_display() {
        let d = RegistryData::String("1".into());
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"type":"REG_SZ","data":"1"}"#
        );
        assert_eq!(d.to_string(), "REG_SZ \"1\"");
        assert_eq!(
            RegistryData::Dword(1).to_string(),
            "REG_DWORD 0x00000001 (1)"
        );
    }
}
