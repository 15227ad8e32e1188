//! The `HRESULT` newtype: the 32-bit status every MAPI shutdown method
//! returns, the MAPI codes the product meets, their names, and parsing from
//! hex (`0x80040102`) or a name (`MAPI_E_NO_SUPPORT`).
//!
//! Values come from the Outlook MAPI reference (MAPICODE.H as published in
//! "MAPI Constants") and the IMAPIClientShutdown / IMAPIProviderShutdown
//! pages, which name `S_OK`, `MAPI_E_NO_SUPPORT` and `E_FAIL`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A COM/MAPI status code. Bit 31 set means failure.
///
/// Displayed as `0x80040102 (MAPI_E_NO_SUPPORT)`, or the bare hex for a code
/// this module does not know. Serialized as the hex string `"0x80040102"`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HRESULT(pub u32);

/// Known codes, in the order `name` and `parse` search them.
const NAMES: &[(HRESULT, &str)] = &[
    (HRESULT::S_OK, "S_OK"),
    (HRESULT::S_FALSE, "S_FALSE"),
    (HRESULT::MAPI_E_NO_SUPPORT, "MAPI_E_NO_SUPPORT"),
    (HRESULT::MAPI_E_CALL_FAILED, "MAPI_E_CALL_FAILED"),
    (
        HRESULT::MAPI_E_NOT_ENOUGH_MEMORY,
        "MAPI_E_NOT_ENOUGH_MEMORY",
    ),
    (
        HRESULT::MAPI_E_INVALID_PARAMETER,
        "MAPI_E_INVALID_PARAMETER",
    ),
    (
        HRESULT::MAPI_E_INTERFACE_NOT_SUPPORTED,
        "MAPI_E_INTERFACE_NOT_SUPPORTED",
    ),
    (HRESULT::MAPI_E_NOT_INITIALIZED, "MAPI_E_NOT_INITIALIZED"),
    (HRESULT::MAPI_E_USER_CANCEL, "MAPI_E_USER_CANCEL"),
    (HRESULT::MAPI_E_TIMEOUT, "MAPI_E_TIMEOUT"),
    (HRESULT::MAPI_E_NETWORK_ERROR, "MAPI_E_NETWORK_ERROR"),
    (HRESULT::MAPI_E_END_OF_SESSION, "MAPI_E_END_OF_SESSION"),
    (HRESULT::MAPI_E_NOT_FOUND, "MAPI_E_NOT_FOUND"),
];

/// Aliases accepted by `parse` that `name` never returns.
const ALIASES: &[(HRESULT, &str)] = &[(HRESULT::MAPI_E_CALL_FAILED, "E_FAIL")];

impl HRESULT {
    /// Success.
    pub const S_OK: HRESULT = HRESULT(0x0000_0000);
    /// Success, "false" (not used by the shutdown interfaces, seen elsewhere).
    pub const S_FALSE: HRESULT = HRESULT(0x0000_0001);
    /// The operation is not supported: the "no fast shutdown" answer.
    pub const MAPI_E_NO_SUPPORT: HRESULT = HRESULT(0x8004_0102);
    /// Unspecified failure; MAPICODE.H defines `MAPI_E_CALL_FAILED` as `E_FAIL`.
    pub const MAPI_E_CALL_FAILED: HRESULT = HRESULT(0x8000_4005);
    /// `E_FAIL`, the same code as [`HRESULT::MAPI_E_CALL_FAILED`].
    pub const E_FAIL: HRESULT = HRESULT::MAPI_E_CALL_FAILED;
    /// Out of memory (`E_OUTOFMEMORY`).
    pub const MAPI_E_NOT_ENOUGH_MEMORY: HRESULT = HRESULT(0x8007_000E);
    /// Bad argument (`E_INVALIDARG`).
    pub const MAPI_E_INVALID_PARAMETER: HRESULT = HRESULT(0x8007_0057);
    /// `QueryInterface` failed (`E_NOINTERFACE`).
    pub const MAPI_E_INTERFACE_NOT_SUPPORTED: HRESULT = HRESULT(0x8000_4002);
    /// MAPI was not initialized (or already uninitialized).
    pub const MAPI_E_NOT_INITIALIZED: HRESULT = HRESULT(0x8004_0605);
    /// The user cancelled.
    pub const MAPI_E_USER_CANCEL: HRESULT = HRESULT(0x8004_0113);
    /// A wait timed out.
    pub const MAPI_E_TIMEOUT: HRESULT = HRESULT(0x8004_0401);
    /// A network error.
    pub const MAPI_E_NETWORK_ERROR: HRESULT = HRESULT(0x8004_0115);
    /// The session has ended.
    pub const MAPI_E_END_OF_SESSION: HRESULT = HRESULT(0x8004_0200);
    /// The object was not found.
    pub const MAPI_E_NOT_FOUND: HRESULT = HRESULT(0x8004_010F);

    /// True when bit 31 (severity) is clear.
    pub fn is_success(self) -> bool {
        self.0 & 0x8000_0000 == 0
    }

    /// True when bit 31 (severity) is set.
    pub fn is_failure(self) -> bool {
        !self.is_success()
    }

    /// The symbolic name, or `None` for a code this module does not know.
    pub fn name(self) -> Option<&'static str> {
        NAMES.iter().find(|(h, _)| *h == self).map(|(_, n)| *n)
    }

    /// Every known code with its name, for pickers and documentation.
    pub fn known() -> impl Iterator<Item = (HRESULT, &'static str)> {
        NAMES.iter().copied()
    }

    /// The hex form, `0x80040102`.
    pub fn hex(self) -> String {
        format!("0x{:08X}", self.0)
    }
}

impl fmt::Display for HRESULT {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "0x{:08X} ({name})", self.0),
            None => write!(f, "0x{:08X}", self.0),
        }
    }
}

impl fmt::Debug for HRESULT {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a string is not an HRESULT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{input}` is not an HRESULT: give 8 hex digits (0x80040102), a decimal number, or a name such as MAPI_E_NO_SUPPORT"
)]
pub struct ParseHresultError {
    /// The text that failed to parse.
    pub input: String,
}

impl FromStr for HRESULT {
    type Err = ParseHresultError;

    /// Accepts `0x80040102`, `80040102h`, a decimal (`2147746050`), a
    /// negative decimal as printed by C (`-2147221246`), a known name or an
    /// alias (`E_FAIL`), case-insensitively, with an optional
    /// `0x… (NAME)` suffix as `Display` writes it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseHresultError {
            input: s.to_string(),
        };
        let text = s.trim();
        // "0x80040102 (MAPI_E_NO_SUPPORT)": the hex part decides.
        let text = text.split_once(' ').map_or(text, |(head, _)| head);
        if text.is_empty() {
            return Err(err());
        }
        if let Some((h, _)) = NAMES
            .iter()
            .chain(ALIASES)
            .find(|(_, n)| n.eq_ignore_ascii_case(text))
        {
            return Ok(*h);
        }
        let hex = text
            .strip_prefix("0x")
            .or_else(|| text.strip_prefix("0X"))
            .or_else(|| text.strip_suffix('h'))
            .or_else(|| text.strip_suffix('H'));
        if let Some(hex) = hex {
            return u32::from_str_radix(hex, 16).map(HRESULT).map_err(|_| err());
        }
        if let Ok(v) = text.parse::<u32>() {
            return Ok(HRESULT(v));
        }
        if let Ok(v) = text.parse::<i32>() {
            return Ok(HRESULT(v as u32));
        }
        Err(err())
    }
}

impl Serialize for HRESULT {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.hex())
    }
}

impl<'de> Deserialize<'de> for HRESULT {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_hex_and_name() {
        assert_eq!(
            HRESULT::MAPI_E_NO_SUPPORT.to_string(),
            "0x80040102 (MAPI_E_NO_SUPPORT)"
        );
        assert_eq!(HRESULT::S_OK.to_string(), "0x00000000 (S_OK)");
        assert_eq!(HRESULT(0x8123_4567).to_string(), "0x81234567");
    }

    #[test]
    fn e_fail_is_call_failed() {
        assert_eq!(HRESULT::E_FAIL, HRESULT(0x8000_4005));
        assert_eq!(HRESULT::E_FAIL.name(), Some("MAPI_E_CALL_FAILED"));
    }

    #[test]
    fn parses_every_form() {
        let cases = [
            ("0x80040102", HRESULT::MAPI_E_NO_SUPPORT),
            ("0X80040102", HRESULT::MAPI_E_NO_SUPPORT),
            ("80040102h", HRESULT::MAPI_E_NO_SUPPORT),
            ("mapi_e_no_support", HRESULT::MAPI_E_NO_SUPPORT),
            ("E_FAIL", HRESULT::E_FAIL),
            ("S_OK", HRESULT::S_OK),
            ("0", HRESULT::S_OK),
            ("2147746050", HRESULT::MAPI_E_NO_SUPPORT),
            ("-2147221246", HRESULT::MAPI_E_NO_SUPPORT),
            ("0x80040102 (MAPI_E_NO_SUPPORT)", HRESULT::MAPI_E_NO_SUPPORT),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<HRESULT>(), Ok(want), "{text}");
        }
        for bad in ["", "0x", "0xZZ", "MAPI_E_NOPE", "0x1000000000"] {
            let e = bad.parse::<HRESULT>().unwrap_err();
            assert_eq!(e.input, bad);
        }
    }

    #[test]
    fn every_known_name_round_trips() {
        for (h, name) in HRESULT::known() {
            assert_eq!(name.parse::<HRESULT>(), Ok(h));
            assert_eq!(h.to_string().parse::<HRESULT>(), Ok(h));
        }
    }

    #[test]
    fn severity_bit() {
        assert!(HRESULT::S_OK.is_success());
        assert!(HRESULT::S_FALSE.is_success());
        assert!(HRESULT::MAPI_E_NO_SUPPORT.is_failure());
    }

    #[test]
    fn serde_as_hex_string() {
        let json = serde_json::to_string(&HRESULT::MAPI_E_NO_SUPPORT).unwrap();
        assert_eq!(json, "\"0x80040102\"");
        let back: HRESULT = serde_json::from_str(&json).unwrap();
        assert_eq!(back, HRESULT::MAPI_E_NO_SUPPORT);
        assert!(serde_json::from_str::<HRESULT>("\"nope\"").is_err());
    }
}
