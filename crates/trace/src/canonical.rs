//! A hand-written decoder for the canonical shape of the hot records, the
//! shape [`super::codec::encode`] writes: `{"type":"<tag>",` then every
//! field in serde's order, no whitespace, integers without sign or leading
//! zeros, strings without escapes, HRESULTs as `"0x"` and 8 hex digits,
//! nothing after the closing brace.
//!
//! It decodes `enter`, `exit`, `provider`, `session`, `dropped` and
//! `client_exit` records (the rest of a stream is one `hello` and one
//! `policy`, left to serde). It is strict: it accepts a line only when it
//! is sure serde would decode it to the same record, and answers `None` for
//! anything else (another key order, an unknown or repeated key, an escape,
//! whitespace, a number out of range, trailing text, …), so the caller
//! falls back to serde, which also names what is wrong. Every accepted line
//! is also one that serde accepts: a differential property test
//! (`tests/trace_codec.rs`) pins both.

use crate::hresult::HRESULT;
use crate::model::ProviderKind;

use super::codec::CompactRecord;
use super::{
    CallEnter, CallExit, Caller, ClientExit, Dropped, Interface, Method, ProviderDecl, Record,
    SessionDecl,
};

/// Decode `text` (one line, no terminator) when it has the canonical shape
/// of one of the hot records, calls inline and the rare others boxed;
/// `None` otherwise (the caller takes the general path).
pub(crate) fn decode_compact(text: &[u8]) -> Option<CompactRecord> {
    decode_prefix(text).and_then(|(record, len)| (len == text.len()).then_some(record))
}

/// [`decode_compact`] of the canonical record at the start of `bytes`,
/// and its length (up to and including its `}`): what follows is the
/// caller's to check. Lets the decoder take a line without scanning it
/// for its newline first: none of the bytes the cursor accepts is a
/// newline (strings refuse control characters).
pub(crate) fn decode_prefix(bytes: &[u8]) -> Option<(CompactRecord, usize)> {
    let mut c = Cursor { s: bytes, i: 0 };
    c.lit(br#"{"type":""#)?;
    // The tags, each with the comma and first key that follow it.
    let record = match c.peek()? {
        b'e' if c.lit(br#"enter","t_ns":"#).is_some() => CompactRecord::Enter(enter(&mut c)?),
        b'e' if c.lit(br#"exit","t_ns":"#).is_some() => CompactRecord::Exit(exit(&mut c)?),
        _ => CompactRecord::Other(Box::new(other(&mut c)?)),
    };
    c.lit(b"}")?;
    Some((record, c.i))
}

/// The rare records: declarations, `dropped`, `client_exit`.
fn other(c: &mut Cursor<'_>) -> Option<Record> {
    Some(match c.peek()? {
        b'p' => {
            c.lit(br#"provider","t_ns":"#)?;
            Record::Provider(provider(c)?)
        }
        b's' => {
            c.lit(br#"session","t_ns":"#)?;
            Record::Session(SessionDecl {
                t_ns: c.u64()?,
                session: c.key(br#","session":"#)?.u32()?,
                profile: c.key(br#","profile":"#)?.string()?,
            })
        }
        b'd' => {
            c.lit(br#"dropped","t_ns":"#)?;
            Record::Dropped(Dropped {
                t_ns: c.u64()?,
                count: c.key(br#","count":"#)?.u64()?,
            })
        }
        b'c' => {
            c.lit(br#"client_exit","t_ns":"#)?;
            Record::ClientExit(ClientExit {
                t_ns: c.u64()?,
                code: c.key(br#","code":"#)?.i32()?,
            })
        }
        _ => return None,
    })
}

fn enter(c: &mut Cursor<'_>) -> Option<CallEnter> {
    let t_ns = c.u64()?;
    let call = c.key(br#","call":"#)?.u64()?;
    let parent = match c.opt_key(br#","parent":"#) {
        true => Some(c.u64()?),
        false => None,
    };
    c.lit(br#","caller":""#)?;
    let caller = match c.peek()? {
        b'c' => c.lit(br#"client""#).map(|()| Caller::Client)?,
        _ => c.lit(br#"subsystem""#).map(|()| Caller::Subsystem)?,
    };
    c.lit(br#","interface":""#)?;
    let interface = match c.peek()? {
        b'I' if c.lit(br#"IMAPIProviderShutdown""#).is_some() => Interface::ProviderShutdown,
        b'I' => c
            .lit(br#"IMAPIClientShutdown""#)
            .map(|()| Interface::ClientShutdown)?,
        _ => c.lit(br#"MAPI""#).map(|()| Interface::Mapi)?,
    };
    c.lit(br#","method":""#)?;
    let method = match c.peek()? {
        b'Q' => c
            .lit(br#"QueryFastShutdown""#)
            .map(|()| Method::QueryFastShutdown)?,
        b'N' => c
            .lit(br#"NotifyProcessShutdown""#)
            .map(|()| Method::NotifyProcessShutdown)?,
        b'D' => c
            .lit(br#"DoFastShutdown""#)
            .map(|()| Method::DoFastShutdown)?,
        _ if c.lit(br#"MAPILogonEx""#).is_some() => Method::MapiLogonEx,
        _ => c
            .lit(br#"MAPIUninitialize""#)
            .map(|()| Method::MapiUninitialize)?,
    };
    let session = match c.opt_key(br#","session":"#) {
        true => Some(c.u32()?),
        false => None,
    };
    let provider = match c.opt_key(br#","provider":"#) {
        true => Some(c.u32()?),
        false => None,
    };
    Some(CallEnter {
        t_ns,
        call,
        parent,
        caller,
        interface,
        method,
        session,
        provider,
    })
}

fn exit(c: &mut Cursor<'_>) -> Option<CallExit> {
    let t_ns = c.u64()?;
    let call = c.key(br#","call":"#)?.u64()?;
    c.lit(br#","hresult":"0x"#)?;
    let digits: [u8; 8] = c.s.get(c.i..c.i + 8)?.try_into().ok()?;
    let word = u64::from_le_bytes(digits);
    let value = if leading_digits(word) == 8 {
        // No letter (S_OK and most MAPI codes): each digit is its nibble.
        hex_of_decimal_digits(word)
    } else {
        let mut value = 0u32;
        for d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'A'..=b'F' => d - b'A' + 10,
                b'a'..=b'f' => d - b'a' + 10,
                _ => return None,
            };
            value = value << 4 | u32::from(v);
        }
        value
    };
    c.i += 8;
    c.lit(b"\"")?;
    Some(CallExit {
        t_ns,
        call,
        hresult: HRESULT(value),
    })
}

fn provider(c: &mut Cursor<'_>) -> Option<ProviderDecl> {
    let t_ns = c.u64()?;
    let session = match c.opt_key(br#","session":"#) {
        true => Some(c.u32()?),
        false => None,
    };
    let provider = c.key(br#","provider":"#)?.u32()?;
    let name = c.key(br#","name":"#)?.string()?;
    c.lit(br#","kind":""#)?;
    let kind = match c.peek()? {
        b't' => c.lit(br#"transport""#).map(|()| ProviderKind::Transport)?,
        b'a' => c
            .lit(br#"address-book""#)
            .map(|()| ProviderKind::AddressBook)?,
        _ => c
            .lit(br#"message-store""#)
            .map(|()| ProviderKind::MessageStore)?,
    };
    let dll = c.key(br#","dll":"#)?.string()?;
    c.lit(br#","implements_shutdown":"#)?;
    let implements_shutdown = match c.peek()? {
        b't' => c.lit(b"true").map(|()| true)?,
        _ => c.lit(b"false").map(|()| false)?,
    };
    Some(ProviderDecl {
        t_ns,
        session,
        provider,
        name,
        kind,
        dll,
        implements_shutdown,
    })
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Consume exactly `lit`.
    #[inline]
    fn lit<const N: usize>(&mut self, lit: &[u8; N]) -> Option<()> {
        let here: &[u8; N] = self.s.get(self.i..self.i + N)?.try_into().ok()?;
        if here == lit {
            self.i += N;
            Some(())
        } else {
            None
        }
    }

    /// Consume the key `key` (with its comma and colon); for chaining.
    #[inline]
    fn key<const N: usize>(&mut self, key: &[u8; N]) -> Option<&mut Self> {
        self.lit(key)?;
        Some(self)
    }

    /// Consume the optional key `key` when it comes next.
    #[inline]
    fn opt_key<const N: usize>(&mut self, key: &[u8; N]) -> bool {
        self.lit(key).is_some()
    }

    /// A non-negative integer as serde_json writes it: `0`, or digits
    /// without a leading zero; `None` when it overflows `u64` or is
    /// followed by a fraction or exponent (anything but `,` or `}` ends
    /// the caller's match anyway, but a `.` or `e` here must not be left
    /// for a later literal to misread).
    #[inline(always)]
    fn u64(&mut self) -> Option<u64> {
        const POW10: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
        let start = self.i;
        let s = &self.s[start..];
        // One digit (sessions, providers) then a separator: at once.
        if let [d @ b'0'..=b'9', next, ..] = *s
            && !next.is_ascii_digit()
            && !matches!(next, b'.' | b'e' | b'E')
        {
            self.i += 1;
            return Some(u64::from(d - b'0'));
        }
        let mut value = 0u64;
        let mut len = 0;
        // Eight bytes at a time: the digits among them parsed at once.
        loop {
            let Some(chunk) = s.get(len..len + 8) else {
                // Near the end of the buffer: one digit at a time.
                while let Some(&d @ b'0'..=b'9') = s.get(len) {
                    value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
                    len += 1;
                }
                break;
            };
            let word = u64::from_le_bytes(chunk.try_into().ok()?);
            let digits = leading_digits(word);
            if digits == 8 {
                if len == 16 {
                    // 24 digits or more: too large, or leading zeros.
                    return None;
                }
                // At most 16 digits so far: no overflow.
                value = value * 100_000_000 + parse_eight_digits(word);
                len += 8;
                continue;
            }
            if digits > 0 {
                // The digits moved to the end of the word, '0's before.
                let shift = (8 - digits) * 8;
                let padded = (word << shift) | (ZEROS >> (digits * 8));
                value = value
                    .checked_mul(POW10[digits])?
                    .checked_add(parse_eight_digits(padded))?;
                len += digits;
            }
            break;
        }
        self.i += len;
        if len == 0 || (len > 1 && s[0] == b'0') {
            return None;
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        Some(value)
    }

    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    fn i32(&mut self) -> Option<i32> {
        if self.peek() == Some(b'-') {
            self.i += 1;
            let magnitude = self.u64()?;
            if magnitude == 0 {
                // "-0": serde reads it, our encoder never writes it.
                return None;
            }
            return i32::try_from(-i64::try_from(magnitude).ok()?).ok();
        }
        i32::try_from(self.u64()?).ok()
    }

    /// A JSON string without escapes or control characters, valid UTF-8.
    fn string(&mut self) -> Option<String> {
        self.lit(b"\"")?;
        let rest = self.s.get(self.i..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest[len] != b'"' {
            return None;
        }
        let text = std::str::from_utf8(&rest[..len]).ok()?;
        self.i += len + 1;
        Some(text.to_owned())
    }
}

/// Eight ASCII zeros, as a little-endian word.
const ZEROS: u64 = 0x3030_3030_3030_3030;

/// How many of the 8 bytes of `word` (little-endian: the first byte
/// lowest), from the first, are ASCII digits (0 to 8). A byte is a digit
/// when `byte ^ '0'` is below 10; adding 0x76 sets the top bit of a byte
/// that is not (carries only reach the bytes after it, which no longer
/// count).
#[inline]
fn leading_digits(word: u64) -> usize {
    let t = word ^ ZEROS;
    let not_digit = (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080;
    (not_digit.trailing_zeros() / 8) as usize
}

/// The value of 8 hex digits that are all decimal digits, read
/// little-endian into `word` (the first, most significant, in the lowest
/// byte): each byte's low nibble is its digit; neighbours are paired into
/// bytes, the bytes gathered, and their order reversed.
#[inline]
fn hex_of_decimal_digits(word: u64) -> u32 {
    let v = word & 0x0F0F_0F0F_0F0F_0F0F;
    // Each 16-bit lane: (first << 4 | second) in its low byte.
    let v = ((v << 4) | (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    let v = (v | (v >> 8)) & 0x0000_FFFF_0000_FFFF;
    let v = (v | (v >> 16)) as u32;
    v.swap_bytes()
}

/// The value of 8 ASCII digits read little-endian into `word` (the first
/// digit in the lowest byte), without a loop: pairs of digits are
/// combined, then pairs of pairs, then the two halves (the SWAR method of
/// Lemire's "Faster integer parsing").
#[inline]
fn parse_eight_digits(word: u64) -> u64 {
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    let v = word - ZEROS;
    // Each byte pair now holds (10 * first + second) in its low byte.
    let v = v * 10 + (v >> 8);
    let v = (v & MASK).wrapping_mul(MUL1) + ((v >> 16) & MASK).wrapping_mul(MUL2);
    v >> 32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line's record, as the codec takes it.
    fn decode(text: &[u8]) -> Option<Record> {
        decode_compact(text).map(CompactRecord::into_record)
    }

    #[test]
    fn declines_what_is_not_canonical() {
        for line in [
            r#"{"type":"exit","t_ns":01,"call":1,"hresult":"0x00000000"}"#,
            r#"{"type":"exit","t_ns":1.0,"call":1,"hresult":"0x00000000"}"#,
            r#"{"type":"exit","t_ns":1e3,"call":1,"hresult":"0x00000000"}"#,
            r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0x0000000"}"#,
            r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0x000000000"}"#,
            r#"{"type":"exit","t_ns":1,"call":1,"hresult":"S_OK"}"#,
            r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0x00000000"} "#,
            r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0x00000000","x":1}"#,
            r#"{"type":"exit","t_ns":18446744073709551616,"call":1,"hresult":"0x00000000"}"#,
            r#"{"type":"dropped","t_ns":1,"count":-1}"#,
            r#"{"type":"client_exit","t_ns":1,"code":-0}"#,
            r#"{"type":"client_exit","t_ns":1,"code":2147483648}"#,
            r#"{"type":"session","t_ns":1,"session":4294967296,"profile":"x"}"#,
            r#"{"type":"session","t_ns":1,"session":1,"profile":"a\"b"}"#,
            r#"{"type":"session","t_ns":1,"session":1,"profile":"a	b"}"#,
            r#"{"type":"enter","t_ns":1,"call":1,"caller":"client","interface":"MAPI","method":"MAPILogonEx","session":null}"#,
            r#"{"type":"enter","t_ns":1,"call":1,"caller":"client","interface":"MAPI","method":"MAPILogonEx","provider":1,"session":1}"#,
            r#"{"type":"hello","protocol":1}"#,
        ] {
            assert_eq!(decode(line.as_bytes()), None, "{line}");
        }
    }

    #[test]
    fn numbers_of_every_length_parse_as_std_does() {
        let mut n: u64 = 0;
        let mut samples = vec![
            0u64,
            1,
            9,
            10,
            99_999_999,
            100_000_000,
            u64::MAX,
            u64::MAX - 1,
        ];
        for _ in 0..2_000 {
            n = n
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            samples.push(n >> (n % 64));
        }
        // What may follow a number: the end of the buffer, or bytes on
        // either side of the digits in ASCII and above it (8 bytes and
        // more, so the word-at-a-time path is taken too).
        let followers: [&[u8]; 6] = [
            b",",
            b",\"call\":12345}",
            b"/xxxxxxxx",
            b":xxxxxxxx",
            b"\xffxxxxxxxx",
            b"\x00\x00\x00\x00\x00\x00\x00\x00",
        ];
        for v in samples {
            for after in followers {
                let mut text = v.to_string().into_bytes();
                text.extend_from_slice(after);
                let mut c = Cursor { s: &text, i: 0 };
                assert_eq!(c.u64(), Some(v), "{text:?}");
                assert_eq!(c.peek(), Some(after[0]));
            }
        }
        for text in [
            "18446744073709551616",
            "99999999999999999999",
            "012345678",
            "1234567890.5",
            "",
            "x",
            "7e3",
            "000000000000000000000000001",
            "123456789012345678901234567890",
        ] {
            for padded in [text.to_string(), format!("{text},,,,,,,,,")] {
                let mut c = Cursor {
                    s: padded.as_bytes(),
                    i: 0,
                };
                assert_eq!(c.u64(), None, "{padded}");
            }
        }
    }

    #[test]
    fn hresults_of_decimal_digits_pack_like_the_loop() {
        for text in [
            "00000000", "80040102", "12345678", "99999999", "00000001", "10000000",
        ] {
            let word = u64::from_le_bytes(text.as_bytes().try_into().unwrap());
            assert_eq!(
                hex_of_decimal_digits(word),
                u32::from_str_radix(text, 16).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn decodes_the_canonical_shapes() {
        assert_eq!(
            decode(br#"{"type":"client_exit","t_ns":7,"code":-2147483648}"#),
            Some(Record::ClientExit(ClientExit {
                t_ns: 7,
                code: i32::MIN
            }))
        );
        assert_eq!(
            decode(
                br#"{"type":"exit","t_ns":0,"call":18446744073709551615,"hresult":"0x8004010f"}"#
            ),
            Some(Record::Exit(CallExit {
                t_ns: 0,
                call: u64::MAX,
                hresult: HRESULT::MAPI_E_NOT_FOUND
            }))
        );
    }
}
