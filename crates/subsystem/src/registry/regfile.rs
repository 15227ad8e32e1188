//! Regedit `.reg` files: decoding (UTF-16LE with BOM as regedit's
//! "Windows Registry Editor Version 5.00" export writes it, REGEDIT4 in
//! ANSI, UTF-8), a strict line-by-line validation pass, and the conversions
//! between [`regashii`]'s model, our [`RegistryData`] and the [`RegTree`].
//!
//! Why our own validation: regashii is as tolerant as regedit itself. It
//! drops a line it cannot parse (`"x"=dword:12`, a bad escape, `[ key]`)
//! without a word, and a line that stops its parser ends the file there,
//! so everything below it vanishes silently. A policy tool must not treat
//! a half-read file as the truth, so every line is checked first and the
//! first bad one is reported with its line number.

use std::path::Path;

use regashii::{Format, Key, Registry, Value, ValueName};

use super::RegistryData;
use super::store::StoreError;
use super::tree::RegTree;

/// The header regedit writes ("registration files (*.reg)", UTF-16LE).
pub const REGEDIT5_HEADER: &str = "Windows Registry Editor Version 5.00";
/// The header of the older ANSI format.
pub const REGEDIT4_HEADER: &str = "REGEDIT4";

/// Root keys a `.reg` file may name.
const ROOTS: [&str; 5] = [
    "HKEY_CURRENT_USER",
    "HKEY_LOCAL_MACHINE",
    "HKEY_CLASSES_ROOT",
    "HKEY_USERS",
    "HKEY_CURRENT_CONFIG",
];

/// Decode a `.reg` file's bytes: UTF-16LE/BE with BOM, UTF-16LE without BOM
/// (detected by its zero high bytes), UTF-8 (BOM optional), else ANSI
/// (Windows-1252, what REGEDIT4 files are written in).
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    fn utf16(bytes: &[u8], le: bool) -> Result<String, String> {
        if !bytes.len().is_multiple_of(2) {
            return Err("UTF-16 text with an odd number of bytes".to_string());
        }
        // Straight into the string: no vector of code units beside it.
        let units = bytes.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let mut out = String::with_capacity(bytes.len() / 2);
        for c in char::decode_utf16(units) {
            out.push(c.map_err(|_| "not valid UTF-16 text".to_string())?);
        }
        Ok(out)
    }
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8(rest.to_vec()).map_err(|_| "not valid UTF-8 text".to_string())
        }
        [a, 0, ..] if *a != 0 => utf16(bytes, true),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Ok(bytes.iter().map(|b| cp1252(*b)).collect()),
        },
    }
}

/// One Windows-1252 byte as a char.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Encode text as regedit writes it: BOM, UTF-16LE, CRLF line ends.
pub fn encode_regedit5(text: &str) -> Vec<u8> {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let mut out = vec![0xFF, 0xFE];
    for unit in crlf.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

/// A bad line: 1-based number and what is wrong.
pub type LineError = (usize, String);

/// Parse a quoted string starting at `s` (which begins with `"`): `\\` and
/// `\"` are escapes, as regedit and regashii accept; with `line_breaks`,
/// also `\n` and `\r`, which Wine's `regedit /e` and `reg export` write for
/// a `REG_SZ` that holds a line break (and Wine's `reg import` reads).
/// Returns the string and what follows the closing quote.
fn quoted(s: &str, line_breaks: bool) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | '"'))) => out.push(e),
                Some((_, 'n')) if line_breaks => out.push('\n'),
                Some((_, 'r')) if line_breaks => out.push('\r'),
                Some((_, e)) => {
                    return Err(format!(
                        "unsupported escape `\\{e}` in a quoted string (only \\\\ and \\\" are allowed{})",
                        if line_breaks {
                            ", and \\n, \\r in string data"
                        } else {
                            ""
                        }
                    ));
                }
                None => return Err("unterminated quoted string".to_string()),
            },
            c => out.push(c),
        }
    }
    Err("unterminated quoted string (no closing \")".to_string())
}

/// What follows a value's data must be blank or a `;` comment.
fn end_of_value(rest: &str) -> Result<(), String> {
    let rest = rest.trim();
    if rest.is_empty() || rest.starts_with(';') {
        Ok(())
    } else {
        Err(format!("unexpected text after the value: `{rest}`"))
    }
}

/// Check one value's data (continuation lines already joined);
/// `line_breaks`: see [`quoted`].
fn check_data(data: &str, line_breaks: bool) -> Result<(), String> {
    let data = data.trim_start();
    if let Some(rest) = data.strip_prefix('-') {
        return end_of_value(rest);
    }
    if data.starts_with('"') {
        let (_, rest) = quoted(data, line_breaks)?;
        return end_of_value(rest);
    }
    if let Some(rest) = data.strip_prefix("dword:") {
        let rest = rest.trim_start();
        let digits: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        if digits.len() != 8 {
            return Err(format!(
                "dword data must be exactly 8 hex digits (dword:00000002), found `dword:{}`",
                rest.split(';').next().unwrap_or("").trim()
            ));
        }
        return end_of_value(&rest[8..]);
    }
    if let Some(rest) = data.strip_prefix("hex") {
        let mut kind_number = None;
        let rest = if let Some(kind) = rest.strip_prefix('(') {
            let Some((digits, after)) = kind.split_once(')') else {
                return Err("hex( without a closing )".to_string());
            };
            if digits.is_empty()
                || digits.len() > 2
                || !digits.chars().all(|c| c.is_ascii_hexdigit())
            {
                return Err(format!(
                    "hex({digits}) is not a registry type: use 1 or 2 hex digits, hex(b)"
                ));
            }
            kind_number = u8::from_str_radix(digits, 16).ok();
            after
        } else {
            rest
        };
        let Some(bytes) = rest.strip_prefix(':') else {
            return Err("hex data needs a `:` (hex:01,02 or hex(b):…)".to_string());
        };
        let (bytes, comment) = bytes.split_once(';').unwrap_or((bytes, ""));
        let _ = comment;
        let bytes = bytes.trim();
        // REG_DWORD_BIG_ENDIAN: regashii (0.4) panics on fewer than 4
        // bytes and reads the first 4 of more.
        if kind_number == Some(5) {
            let count = if bytes.is_empty() {
                0
            } else {
                bytes.split(',').count()
            };
            if count != 4 {
                return Err(format!(
                    "hex(5) (REG_DWORD_BIG_ENDIAN) data is exactly 4 bytes, found {count}"
                ));
            }
        }
        if bytes.is_empty() {
            return Ok(());
        }
        for item in bytes.split(',') {
            let item = item.trim();
            if item.len() != 2 || !item.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!(
                    "`{item}` is not a byte: hex data is two hex digits per byte, comma-separated"
                ));
            }
        }
        return Ok(());
    }
    Err(format!(
        "unknown data `{}`: expected \"string\", dword:XXXXXXXX, hex:…, hex(N):… or - (delete)",
        data.split(';').next().unwrap_or("").trim()
    ))
}

/// A value's data with the hex continuation lines that follow it, as
/// slices of the file's text: [`continued_data`] finds them in one pass,
/// [`Continued::joined`] copies them once into a string of the exact
/// length. (Joining line by line copied everything so far at each line:
/// 1.3 MB of continuations took seconds.)
#[derive(Debug)]
struct Continued<'a> {
    /// The data on the value's line, then each continuation line without
    /// its indentation; every piece but the last without its final `\`.
    pieces: Vec<&'a str>,
    /// The index (0-based) of the first line after the value.
    next_line: usize,
}

impl Continued<'_> {
    /// The data as one line, as regedit reads it.
    fn joined(&self) -> String {
        let mut out = String::with_capacity(self.pieces.iter().map(|p| p.len()).sum());
        for piece in &self.pieces {
            out.push_str(piece);
        }
        out
    }
}

/// The data of the value on line `number` (1-based), `data` being what
/// follows its `=`, and its hex continuation lines: a `hex` data line
/// ending in `,\` continues on the next line, which must be indented.
/// `next` is the index of the line after the value's line in `lines`.
///
/// # Errors
/// The line number and the reason: a `\` not after a comma, a
/// continuation past the end of the file, a continuation line not
/// indented.
fn continued_data<'a>(
    data: &'a str,
    lines: &[&'a str],
    next: usize,
    number: usize,
) -> Result<Continued<'a>, LineError> {
    let mut pieces = Vec::new();
    let mut i = next;
    let mut current = data;
    if !data.trim_start().starts_with("hex") {
        return Ok(Continued {
            pieces: vec![data],
            next_line: i,
        });
    }
    // A `;` starts a comment on a hex line (hex data holds no quotes): a
    // `\` inside the comment does not continue the line, for regashii as
    // for regedit. (The `regfile` fuzz target found `hex:01,02;,\` read as
    // continued here and as ended by regashii, which then took the next
    // line for a key.)
    let code = |line: &'a str| line.split_once(';').map_or(line, |(code, _)| code);
    while let Some(body) = code(current).trim_end().strip_suffix('\\') {
        if !body.trim_end().ends_with(',') {
            return Err((
                number,
                "a continued hex line must end with `,\\`".to_string(),
            ));
        }
        pieces.push(body);
        let Some(line) = lines.get(i) else {
            return Err((
                number,
                "hex data continues with `\\` past the end of the file".to_string(),
            ));
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        no_lone_cr(line, i + 1)?;
        if !line.starts_with([' ', '\t']) {
            return Err((
                i + 1,
                "a hex continuation line must start with spaces".to_string(),
            ));
        }
        current = line.trim_start();
        i += 1;
    }
    pieces.push(current);
    Ok(Continued {
        pieces,
        next_line: i,
    })
}

/// Refuse a CR left in `line` (its line terminator already cut) at line
/// `number`: regashii ends a line at a lone CR as at a LF, so what follows
/// it on the same line here would be a line of its own there (a key or a
/// value could hide after a comment, a key name or continued hex data),
/// and a value line ending CR CR LF is dropped. A CR is only the one of a
/// CRLF. Every line goes through this, continuation lines of hex data too.
///
/// # Errors
/// `number` and the reason.
fn no_lone_cr(line: &str, number: usize) -> Result<(), LineError> {
    if line.contains('\r') {
        return Err((
            number,
            "a carriage return (CR) inside the line: a .reg file ends its lines with CRLF or LF"
                .to_string(),
        ));
    }
    Ok(())
}

/// Check a `.reg` text line by line; returns its format. The first line
/// must be a regedit header; then each line is blank, a `;` comment, a key
/// (`[HKEY_…\Path]`, `[-HKEY_…\Path]`) or a value (`"Name"=data`, `@=data`)
/// inside a key, with hex data continued over lines ending in `,\`.
pub fn validate(text: &str) -> Result<Format, LineError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let header = lines.first().map(|l| l.trim_end()).unwrap_or("");
    let format = match header {
        REGEDIT5_HEADER => Format::Regedit5,
        REGEDIT4_HEADER => Format::Regedit4,
        other => {
            return Err((
                1,
                format!(
                    "not a regedit file: the first line must be `{REGEDIT5_HEADER}` or \
                     `{REGEDIT4_HEADER}`, found `{}`",
                    other.chars().take(60).collect::<String>()
                ),
            ));
        }
    };
    let mut in_key = false;
    let mut i = 1;
    while i < lines.len() {
        let number = i + 1;
        let line = lines[i].trim_start();
        i += 1;
        no_lone_cr(line, number)?;
        if line.trim().is_empty() || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let rest = rest.strip_prefix('-').unwrap_or(rest);
            let Some(close) = rest.rfind(']') else {
                return Err((number, "key name without a closing `]`".to_string()));
            };
            let (name, tail) = (&rest[..close], &rest[close + 1..]);
            if name.is_empty() || name.starts_with(' ') {
                return Err((
                    number,
                    "empty key name, or a space after `[`: regedit ignores such a key".to_string(),
                ));
            }
            let tail = tail.trim();
            if !(tail.is_empty() || tail.starts_with(';')) {
                return Err((number, format!("unexpected text after the key: `{tail}`")));
            }
            let root = name.split('\\').next().unwrap_or("");
            if !ROOTS.iter().any(|r| r.eq_ignore_ascii_case(root)) {
                return Err((
                    number,
                    format!(
                        "unknown root key `{root}`: a key starts with HKEY_CURRENT_USER or \
                         HKEY_LOCAL_MACHINE"
                    ),
                ));
            }
            in_key = true;
            continue;
        }
        if line.starts_with('"') || line.starts_with('@') {
            if !in_key {
                return Err((number, "a value before any [key] line".to_string()));
            }
            let rest = if let Some(rest) = line.strip_prefix('@') {
                rest
            } else {
                quoted(line, false).map_err(|m| (number, m))?.1
            };
            let Some(data) = rest.trim_start().strip_prefix('=') else {
                return Err((number, "expected `=` after the value name".to_string()));
            };
            // Hex data continued over lines ending in `,\`: found in one
            // pass, joined once (never copying what came before again).
            let continued = continued_data(data, &lines, i, number)?;
            i = continued.next_line;
            let joined = continued.joined();
            check_data(&joined, format == Format::Regedit5).map_err(|m| (number, m))?;
            continue;
        }
        return Err((
            number,
            format!(
                "not a key, a value or a comment: `{}`",
                line.chars().take(60).collect::<String>()
            ),
        ));
    }
    Ok(format)
}

/// Rewrite the string data that Wine writes with `\n` / `\r` escapes
/// (`"Note"="a\nb"`, see [`quoted`]) as the `hex(1):` data Windows' regedit
/// writes for such a string, which regashii reads (it drops a line with
/// those escapes). Other lines are kept as they are. `text` has passed
/// [`validate`] as a Version 5.00 file.
fn line_breaks_as_hex(text: &str) -> std::borrow::Cow<'_, str> {
    let rewrite = |line: &str| -> Option<String> {
        let body = line.trim_start();
        let after_name = if let Some(rest) = body.strip_prefix('@') {
            rest
        } else if body.starts_with('"') {
            quoted(body, false).ok()?.1
        } else {
            return None;
        };
        let data = after_name.trim_start().strip_prefix('=')?.trim_start();
        if !data.starts_with('"') {
            return None;
        }
        let (string, tail) = quoted(data, true).ok()?;
        if !string.contains(['\n', '\r']) {
            return None;
        }
        let name_part = &line[..line.len() - after_name.len()];
        let bytes: Vec<String> = string
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .map(|b| format!("{b:02x}"))
            .collect();
        Some(format!("{name_part}=hex(1):{}{tail}", bytes.join(",")))
    };
    if !text.contains("\\n") && !text.contains("\\r") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (content, cr) = match line.strip_suffix('\r') {
            Some(c) => (c, "\r"),
            None => (line, ""),
        };
        match rewrite(content) {
            Some(new) => out.push_str(&new),
            None => out.push_str(content),
        }
        out.push_str(cr);
    }
    std::borrow::Cow::Owned(out)
}

/// Decode, validate and parse `.reg` bytes read from `path` (named in
/// errors). Blank text is an empty registry when `blank_ok`.
///
/// # Errors
/// [`StoreError::TooLarge`] over [`MAX_REG_FILE_BYTES`];
/// [`StoreError::Parse`] naming the file and the first bad line.
pub fn parse_bytes(bytes: &[u8], path: &Path, blank_ok: bool) -> Result<Registry, StoreError> {
    if bytes.len() as u64 > MAX_REG_FILE_BYTES {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            bytes: bytes.len() as u64,
            limit: MAX_REG_FILE_BYTES,
        });
    }
    let parse_error = |line: usize, message: String| StoreError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = decode(bytes).map_err(|m| parse_error(1, m))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // A binary file (an image, an executable) decodes to something: refuse
    // it by what it is rather than quote its bytes as a first line.
    if let Some(at) = text.find(|c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        let line = text[..at].matches('\n').count() + 1;
        return Err(parse_error(
            line,
            "not a regedit file: binary data, not text".to_string(),
        ));
    }
    if text.trim().is_empty() {
        return if blank_ok {
            Ok(Registry::new(Format::Regedit5))
        } else {
            Err(parse_error(1, "the file is empty".to_string()))
        };
    }
    let format = validate(text).map_err(|(line, m)| parse_error(line, m))?;
    let text = if format == Format::Regedit5 {
        line_breaks_as_hex(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    Registry::deserialize(&text).map_err(|e| parse_error(1, format!("regashii: {e}")))
}

/// The largest `.reg` file read (16 MiB): an export of the keys this tool
/// reads or writes (three policy values per Office version, one value per
/// add-in) is a few KB, and regedit's export of a whole `Software` hive of
/// a workstation is rarely over 16 MiB. A larger file is refused before it
/// is read whole ([`StoreError::TooLarge`]), so a wrong file (a disk image,
/// a log) cannot make the program read and parse gigabytes.
pub const MAX_REG_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Read and parse a `.reg` file; `Ok(None)` when it does not exist.
///
/// # Errors
/// [`StoreError::TooLarge`] naming the file and its size when it is over
/// [`MAX_REG_FILE_BYTES`] (told by its size before reading, or by reading
/// at most one byte past the limit when the size is not known, e.g. a
/// pipe); [`StoreError::Io`] when it cannot be read;
/// [`StoreError::Parse`] naming the file and line when it is malformed.
pub fn read_file(path: &Path, blank_ok: bool) -> Result<Option<Registry>, StoreError> {
    read_limited(path, MAX_REG_FILE_BYTES)?
        .map(|bytes| parse_bytes(&bytes, path, blank_ok))
        .transpose()
}

/// The bytes of `path`, refused when over `limit` bytes; `Ok(None)` when
/// it does not exist.
fn read_limited(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, StoreError> {
    match read_bounded(path, limit) {
        Err(StoreError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(None)
        }
        other => other.map(Some),
    }
}

/// The bytes of the file `path`, refused when over `limit` bytes: told by
/// its size before reading, or by reading at most one byte past the limit
/// when the size is not known (a pipe).
///
/// # Errors
/// [`StoreError::TooLarge`] naming the file and its size;
/// [`StoreError::Io`] (a missing file included) in the OS's words.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, StoreError> {
    use std::io::Read;
    let io_error = |source| StoreError::Io {
        path: path.to_path_buf(),
        action: "reading",
        source,
    };
    let too_large = |bytes| StoreError::TooLarge {
        path: path.to_path_buf(),
        bytes,
        limit,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > limit {
        return Err(too_large(size));
    }
    // The size may be 0 (a pipe) or change meanwhile: read one byte past
    // the limit at most.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A regashii value as our data; `None` for a deletion (`"x"=-`).
/// `hex(N)` data of an unknown type, or of a known type with the wrong
/// length (a 3-byte `hex(4)`), is kept as `REG_BINARY` bytes.
pub fn to_data(value: &Value) -> Option<RegistryData> {
    Some(match value {
        Value::Delete => return None,
        Value::Sz(s) => RegistryData::String(s.clone()),
        Value::ExpandSz(s) => RegistryData::ExpandString(s.clone()),
        Value::Binary(b) => RegistryData::Binary(b.clone()),
        Value::Dword(v) => RegistryData::Dword(*v),
        Value::DwordBigEndian(v) => RegistryData::Binary(v.to_be_bytes().to_vec()),
        Value::MultiSz(v) => RegistryData::MultiString(v.clone()),
        Value::Qword(v) => RegistryData::Qword(*v),
        Value::Hex { bytes, .. } => RegistryData::Binary(bytes.clone()),
    })
}

/// Our data as a regashii value. A `REG_SZ` holding a control character
/// other than a tab (a NUL inside the string, an escape) is written as
/// `hex(1):` UTF-16LE data, as regedit does: regashii would write it raw
/// inside the quotes (it rewrites only line breaks), giving a file that no
/// reader, ours included, takes for text.
pub fn from_data(data: &RegistryData) -> Value {
    match data {
        RegistryData::Dword(v) => Value::Dword(*v),
        RegistryData::Qword(v) => Value::Qword(*v),
        RegistryData::String(s) if s.contains(|c: char| c.is_control() && c != '\t') => {
            Value::Hex {
                kind: regashii::Kind::Sz,
                bytes: s
                    .encode_utf16()
                    .chain([0])
                    .flat_map(u16::to_le_bytes)
                    .collect(),
            }
        }
        RegistryData::String(s) => Value::Sz(s.clone()),
        RegistryData::ExpandString(s) => Value::ExpandSz(s.clone()),
        RegistryData::MultiString(v) => Value::MultiSz(v.clone()),
        RegistryData::Binary(b) => Value::Binary(b.clone()),
    }
}

/// A value name as regashii wants it (`@` is the default value).
pub fn value_name(name: &str) -> ValueName {
    if name.is_empty() {
        ValueName::Default
    } else {
        ValueName::Named(name.to_string())
    }
}

/// A regashii value name as ours (`""` for the default value).
pub fn name_of(name: &ValueName) -> String {
    match name {
        ValueName::Default => String::new(),
        ValueName::Named(n) => n.clone(),
    }
}

/// The tree a stored registry file describes (deletions mean nothing in a
/// store file and are skipped).
pub fn tree_from_registry(reg: &Registry) -> RegTree {
    let mut tree = RegTree::new();
    for (name, key) in reg.keys() {
        if key.kind() == regashii::KeyKind::Delete {
            continue;
        }
        tree.create_key(name.raw());
        for (vname, value) in key.values() {
            if let Some(data) = to_data(value) {
                tree.set(name.raw(), &name_of(vname), data);
            }
        }
    }
    tree
}

/// The registry file content for a tree (Regedit5). A key with no values
/// and subkeys is left out: its subkeys' sections imply it.
pub fn registry_from_tree(tree: &RegTree) -> Registry {
    let mut reg = Registry::new(Format::Regedit5);
    for node in tree.keys() {
        if node.values.is_empty() && tree.has_subkeys(&node.path) {
            continue;
        }
        let key = Key::new().with_many(
            node.values
                .values()
                .map(|(name, data)| (value_name(name), from_data(data))),
        );
        reg.insert(node.path.as_str().into(), key);
    }
    reg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(text: &str) -> usize {
        validate(text).unwrap_err().0
    }

    #[test]
    fn accepts_what_regedit_writes() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n\
            [HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\r\n\
            \"FastShutdownBehavior\"=dword:00000002\r\n\
            \"s\"=\"a \\\"q\\\" \\\\ b\"\r\n\
            @=\"default\"\r\n\
            \"bin\"=hex:01,02,\\\r\n  03,04\r\n\
            \"q\"=hex(b):01,00,00,00,00,00,00,00\r\n\
            \"gone\"=-\r\n\
            ; a comment\r\n\
            [-HKEY_LOCAL_MACHINE\\Software\\X]\r\n";
        assert_eq!(validate(text), Ok(Format::Regedit5));
        let reg = Registry::deserialize(text).unwrap();
        let tree = tree_from_registry(&reg);
        let key =
            r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
        assert_eq!(
            tree.read(key, "fastshutdownbehavior"),
            Some(&RegistryData::Dword(2))
        );
        assert_eq!(
            tree.read(key, "s"),
            Some(&RegistryData::String("a \"q\" \\ b".into()))
        );
        assert_eq!(
            tree.read(key, "bin"),
            Some(&RegistryData::Binary(vec![1, 2, 3, 4]))
        );
        assert_eq!(tree.read(key, "q"), Some(&RegistryData::Qword(1)));
        assert_eq!(
            tree.read(key, ""),
            Some(&RegistryData::String("default".into()))
        );
        assert_eq!(tree.read(key, "gone"), None);
    }

    #[test]
    fn malformed_lines_are_reported_with_their_number() {
        let head = "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software\\X]\n";
        assert_eq!(line_of(&format!("{head}\"a\"=dword:2\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\"=dword:0000000g\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\"=\"x\\t\"\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\"=\"unterminated\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\" dword:00000001\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\"=hex:1,02\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\"=hex:01,02,\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\"=hex(4\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\"=hex:01,\\\n02\n")), 5);
        assert_eq!(line_of(&format!("{head}\"a\"=dword:00000001 junk\n")), 4);
        assert_eq!(line_of(&format!("{head}\"a\"=word:00000001\n")), 4);
        assert_eq!(line_of(&format!("{head}garbage\n")), 4);
        assert_eq!(line_of(&format!("{head}[ HKEY_CURRENT_USER\\X]\n")), 4);
        assert_eq!(line_of(&format!("{head}[HKEY_CURRENT_USER\\X\n")), 4);
        assert_eq!(line_of(&format!("{head}[HKCU\\X]\n")), 4);
        assert_eq!(line_of("REGEDIT5\n"), 1);
        assert_eq!(
            line_of("Windows Registry Editor Version 5.00\n\"a\"=dword:00000001\n"),
            2
        );
    }

    /// Found by fuzzing (fuzz target `regfile`): a lone CR inside a line
    /// was part of the line for the validation and a line break for
    /// regashii, so a key line that passed the check read as another key
    /// (`[HKEY_CURRENT_USER\A\r[HKEYX\B]` read as `HKEYX\B`, an unknown
    /// root that the file store then wrote and could not read back), and a
    /// key or value could hide after a comment; a value line ending in
    /// CR CR LF passed the check and regashii dropped it.
    #[test]
    fn lone_cr_inside_a_line_is_rejected() {
        let head = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\X]\r\n";
        for (body, line) in [
            ("[HKEY_CURRENT_USER\\A\r[HKEYX\\B]\r\n", 4),
            ("; comment\r[HKEY_LOCAL_MACHINE\\Y]\r\n", 4),
            ("\"a\"=dword:00000001\r\"b\"=dword:00000002\r\n", 4),
            ("\"s\"=\"x\ry\"\r\n", 4),
            ("\r\n\"a\"=\"ok\"\r\n\"b\"=hex:01,\\\r\n  02\r03\r\n", 7),
        ] {
            let text = format!("{head}{body}");
            assert_eq!(line_of(&text), line, "{text:?}");
            assert!(parse_bytes(text.as_bytes(), Path::new("x.reg"), false).is_err());
        }
        // CR CR LF: regashii drops the value without a word.
        let text = format!("{head}\"a\"=dword:00000001\r\r\n");
        assert_eq!(line_of(&text), 4);
        // The CR of a CRLF is fine.
        let text = format!("{head}\"a\"=dword:00000001\r\n; c\r\n\r\n");
        assert_eq!(validate(&text), Ok(Format::Regedit5));
        let reg = parse_bytes(text.as_bytes(), Path::new("x.reg"), false).unwrap();
        assert_eq!(
            tree_from_registry(&reg).read(r"HKEY_CURRENT_USER\X", "a"),
            Some(&RegistryData::Dword(1))
        );
    }

    /// Found by the `regfile` fuzz target (fifth campaign, after 1.6
    /// million executions): the CR check skipped the continuation lines
    /// of hex data, so a lone CR after the last hex byte passed, and
    /// regashii read what followed it as lines of their own, here a value
    /// whose name holds CRs, which the file store wrote into a file it
    /// then refused. Now the continuation line is refused, by its number.
    #[test]
    fn lone_cr_in_a_hex_continuation_line_is_rejected() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n\
            [HKEY_CURRENT_USER\\Software\\X]\r\n\
            \"bin\"=hex:01,02,\\\r\n\
            \x20 03,04\r; c\r\"h\r\r@\"=hex:01\r\n";
        let (line, message) = validate(text).unwrap_err();
        assert_eq!(line, 5, "{message}");
        assert!(message.contains("carriage return"), "{message}");
        let err = parse_bytes(text.as_bytes(), Path::new("x.reg"), false).unwrap_err();
        assert!(err.to_string().contains("x.reg:5:"), "{err}");
        // The same continuation ended by a CRLF reads as before.
        let ok = "Windows Registry Editor Version 5.00\r\n\r\n\
            [HKEY_CURRENT_USER\\Software\\X]\r\n\
            \"bin\"=hex:01,02,\\\r\n\
            \x20 03,04\r\n";
        let reg = parse_bytes(ok.as_bytes(), Path::new("x.reg"), false).unwrap();
        assert_eq!(
            tree_from_registry(&reg).read(r"HKEY_CURRENT_USER\Software\X", "bin"),
            Some(&RegistryData::Binary(vec![1, 2, 3, 4]))
        );
    }

    /// Found by the `regfile` fuzz target (fifth campaign, after 5
    /// million executions): a key written in another case under an
    /// existing empty key (`[HKEY_CURRENT_USER\Software\X]` then
    /// `[HKEY_cURRENT_USER\software\x\Child]`) kept its whole path as
    /// written; the file store leaves the empty parent out (its subkey's
    /// section implies it), so reading its own file back named the parent
    /// in the child's spelling. A key now takes its parent's path.
    #[test]
    fn a_key_spelt_otherwise_under_an_empty_parent_survives_the_file_store() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n\
            [HKEY_CURRENT_USER\\Software\\X]\r\n\r\n\
            [HKEY_cURRENT_USER\\software\\x\\Child]\r\n\
            \"v\"=dword:00000001\r\n";
        let tree =
            tree_from_registry(&parse_bytes(text.as_bytes(), Path::new("x.reg"), false).unwrap());
        let written = registry_from_tree(&tree).serialize();
        assert!(
            written.contains(r"[HKEY_CURRENT_USER\Software\X\Child]"),
            "{written}"
        );
        let back = parse_bytes(&encode_regedit5(&written), Path::new("x.reg"), true).unwrap();
        assert_eq!(tree_from_registry(&back), tree, "{written}");
    }

    /// Found by fuzzing (fuzz target `regfile`): `hex(5):` data (a
    /// REG_DWORD_BIG_ENDIAN) of fewer than 4 bytes made regashii 0.4 panic
    /// (a slice out of range) while reading the file: any `.reg` import
    /// or file store holding one crashed the program. Now the line is
    /// refused, as is more than 4 bytes (regashii would read the first 4).
    #[test]
    fn short_hex5_data_is_rejected_not_a_panic() {
        let head = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\X]\r\n";
        for data in [
            "hex(5):",
            "hex(5):01",
            "hex(05):01,02,03",
            "hex(5):01,02,03,04,05",
        ] {
            let text = format!("{head}\"a\"={data}\r\n");
            assert_eq!(line_of(&text), 4, "{data}");
            assert!(parse_bytes(text.as_bytes(), Path::new("x.reg"), false).is_err());
        }
        let text = format!("{head}\"a\"=hex(5):00,00,00,01\r\n");
        assert!(parse_bytes(text.as_bytes(), Path::new("x.reg"), false).is_ok());
    }

    #[test]
    fn a_backslash_inside_a_comment_does_not_continue_a_hex_line() {
        // Found by the `regfile` fuzz target (long campaign): the line
        // after `hex:01,02;,\` is not a continuation, so this file holds
        // an indented line that is neither a key nor a value.
        let text = "Windows Registry Editor Version 5.00\r\n\r\n\
            [HKEY_CURRENT_USER\\Software\\X]\r\n\
            \"bin\"=hex:01,02;,\\\r\n\
            \x20 [HKEY_CURRENTX_USER\\Y]\r\n";
        let (line, message) = validate(text).unwrap_err();
        assert_eq!(line, 5, "{message}");
        // A comment after the `\` still continues (regashii reads 01,02,03).
        let ok = "Windows Registry Editor Version 5.00\r\n\r\n\
            [HKEY_CURRENT_USER\\Software\\X]\r\n\
            \"bin\"=hex:01,02,\\ ; note\r\n\
            \x20 03\r\n";
        assert!(validate(ok).is_ok(), "{:?}", validate(ok));
        let reg = parse_bytes(ok.as_bytes(), Path::new("t.reg"), true).unwrap();
        let tree = tree_from_registry(&reg);
        let mut want = RegTree::new();
        want.create_key(r"HKEY_CURRENT_USER\Software\X");
        want.set(
            r"HKEY_CURRENT_USER\Software\X",
            "bin",
            RegistryData::Binary(vec![1, 2, 3]),
        );
        assert_eq!(tree, want);
    }

    #[test]
    fn a_string_with_a_nul_inside_is_written_as_hex_and_reads_back() {
        // Found by the `regfile` fuzz target: hex(1) data "a\0b" read into
        // the tree was written back as a quoted string holding a raw NUL,
        // which the store then refused to read ("binary data, not text").
        for value in ["a\0b", "x\u{1b}[2Jy", "tab\tstays\tquoted", "a\nb"] {
            let mut tree = RegTree::new();
            tree.create_key(r"HKEY_CURRENT_USER\Software\X");
            tree.set(
                r"HKEY_CURRENT_USER\Software\X",
                "v",
                RegistryData::String(value.to_string()),
            );
            let text = registry_from_tree(&tree).serialize();
            assert!(validate(&text).is_ok(), "{value:?}: {text}");
            assert_eq!(
                text.contains("=hex(1):"),
                value != "tab\tstays\tquoted",
                "{value:?}: {text}"
            );
            let back = parse_bytes(&encode_regedit5(&text), Path::new("t.reg"), true)
                .unwrap_or_else(|e| panic!("{value:?}: {e}\n{text}"));
            assert_eq!(tree_from_registry(&back), tree, "{value:?}: {text}");
        }
    }

    #[test]
    fn reads_the_line_break_escapes_wine_writes() {
        // Wine's `regedit /e` and `reg export` write a REG_SZ holding a line
        // break as "a\nb" (Windows' regedit writes hex(1):…); regashii
        // alone drops such a line.
        let text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\X]\r\n\
                    \"NL\"=\"a\\nb\"\r\n\
                    \"CRLF\"=\"x\\r\\n\\\\n \\\"q\\\"\" ; comment\r\n\
                    @=\"\\n\"\r\n\
                    \"Plain\"=\"\\\\n\"\r\n";
        assert_eq!(validate(text), Ok(Format::Regedit5));
        let reg = parse_bytes(&encode_regedit5(text), Path::new("x.reg"), false).unwrap();
        let tree = tree_from_registry(&reg);
        let read = |name: &str| tree.read(r"HKEY_CURRENT_USER\X", name).cloned();
        assert_eq!(read("NL"), Some(RegistryData::String("a\nb".into())));
        assert_eq!(
            read("CRLF"),
            Some(RegistryData::String("x\r\n\\n \"q\"".into()))
        );
        assert_eq!(read(""), Some(RegistryData::String("\n".into())));
        assert_eq!(read("Plain"), Some(RegistryData::String("\\n".into())));
        // Only in Version 5.00 string data: not in names, not in REGEDIT4.
        let head = "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\X]\n";
        assert_eq!(line_of(&format!("{head}\"a\\nb\"=\"x\"\n")), 4);
        assert_eq!(
            line_of("REGEDIT4\n\n[HKEY_CURRENT_USER\\X]\n\"a\"=\"x\\ny\"\n"),
            4
        );
    }

    /// Issue 17, item 8: hex continuation lines are found in one pass and
    /// copied once. Joining them line by line copied everything so far at
    /// each line (quadratic: 1.3 MB of continuations took seconds); the
    /// pieces are now slices of the file's text, and the joined data is
    /// built from them in one go. The timing is in `benches/regfile.rs`.
    #[test]
    fn hex_continuations_are_found_in_one_pass_and_joined_once() {
        const LINES: usize = 20_000;
        let mut text = String::from(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\X]\r\n\"b\"=hex:00,\\\r\n",
        );
        for _ in 0..LINES - 1 {
            text.push_str("  01,02,\\\r\n");
        }
        text.push_str("  03\r\n\"after\"=dword:00000001\r\n");
        assert_eq!(validate(&text), Ok(Format::Regedit5));
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let data = lines[3].strip_prefix("\"b\"=").unwrap();
        let continued = continued_data(data, &lines, 4, 4).unwrap();
        // One piece per line, each borrowed from the text (nothing copied
        // while looking for the end), then one string of the exact size.
        assert_eq!(continued.pieces.len(), LINES + 1);
        assert_eq!(continued.next_line, 4 + LINES);
        let range = text.as_bytes().as_ptr_range();
        assert!(continued.pieces.iter().all(|p| {
            let r = p.as_bytes().as_ptr_range();
            range.start <= r.start && r.end <= range.end
        }));
        let joined = continued.joined();
        assert_eq!(
            joined.len(),
            "hex:00,".len() + (LINES - 1) * "01,02,".len() + 2
        );
        assert_eq!(joined.capacity(), joined.len());
        assert!(joined.starts_with("hex:00,01,02,01,02,") && joined.ends_with(",01,02,03"));
        let reg = parse_bytes(text.as_bytes(), Path::new("x.reg"), false).unwrap();
        let tree = tree_from_registry(&reg);
        match tree.read(r"HKEY_CURRENT_USER\X", "b") {
            Some(RegistryData::Binary(b)) => assert_eq!(b.len(), 1 + (LINES - 1) * 2 + 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            tree.read(r"HKEY_CURRENT_USER\X", "after"),
            Some(&RegistryData::Dword(1))
        );
    }

    /// Issue 17, item 8: a file over 16 MiB is refused with its name and
    /// size, before it is read (a sparse file: its size is known without
    /// reading it), and bytes over the limit likewise.
    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.reg");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_REG_FILE_BYTES + 1).unwrap();
        drop(file);
        let err = read_file(&path, false).unwrap_err();
        assert!(
            matches!(err, StoreError::TooLarge { bytes, limit, .. }
                if bytes == MAX_REG_FILE_BYTES + 1 && limit == MAX_REG_FILE_BYTES),
            "{err}"
        );
        let message = err.to_string();
        assert!(message.contains("huge.reg"), "{message}");
        assert!(message.contains("16777217 bytes"), "{message}");
        // The limit itself is accepted by the size check (and read).
        let fine = dir.path().join("fine.reg");
        std::fs::write(
            &fine,
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\X]\r\n",
        )
        .unwrap();
        assert!(read_file(&fine, false).unwrap().is_some());
        assert!(read_limited(&fine, 10).is_err());
        assert!(
            read_limited(&dir.path().join("absent.reg"), 10)
                .unwrap()
                .is_none()
        );
        let bytes = vec![b' '; usize::try_from(MAX_REG_FILE_BYTES).unwrap() + 1];
        assert!(matches!(
            parse_bytes(&bytes, Path::new("big.reg"), true),
            Err(StoreError::TooLarge { .. })
        ));
    }

    #[test]
    fn regashii_drops_what_we_reject() {
        // The reason for the validation pass: regashii keeps going (or
        // stops) silently.
        let text = "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\X]\n\
                    \"a\"=dword:2\n\"b\"=dword:00000001\n";
        let reg = Registry::deserialize(text).unwrap();
        let tree = tree_from_registry(&reg);
        assert_eq!(tree.read(r"HKEY_CURRENT_USER\X", "a"), None);
        assert!(validate(text).is_err());
    }

    #[test]
    fn a_binary_file_is_refused_without_quoting_it() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let err = parse_bytes(png, Path::new("shot.png"), false)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "shot.png:2: not a regedit file: binary data, not text");
    }

    #[test]
    fn decodes_utf16_with_bom_and_ansi() {
        let text =
            "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software\\Caf\u{e9}]\n";
        let bytes = encode_regedit5(text);
        assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
        let back = decode(&bytes).unwrap();
        assert_eq!(back, text.replace('\n', "\r\n"));
        let reg = parse_bytes(&bytes, Path::new("x.reg"), false).unwrap();
        assert!(tree_from_registry(&reg).key_exists("HKEY_CURRENT_USER\\Software\\Caf\u{e9}"));

        // REGEDIT4 in Windows-1252: é is 0xE9, not UTF-8.
        let mut ansi = b"REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\Caf".to_vec();
        ansi.push(0xE9);
        ansi.extend_from_slice(b"]\r\n\"v\"=\"\x80\"\r\n");
        let reg = parse_bytes(&ansi, Path::new("x.reg"), false).unwrap();
        let tree = tree_from_registry(&reg);
        assert_eq!(
            tree.read("HKEY_CURRENT_USER\\Software\\Caf\u{e9}", "v"),
            Some(&RegistryData::String("€".into()))
        );
    }

    #[test]
    fn tree_round_trips_through_a_file_text() {
        let mut tree = RegTree::new();
        let key = r"HKEY_CURRENT_USER\Software\Round";
        tree.create_key(key);
        tree.create_key(r"HKEY_LOCAL_MACHINE\Software\Empty");
        for (name, data) in [
            ("d", RegistryData::Dword(7)),
            ("q", RegistryData::Qword(u64::MAX)),
            ("s", RegistryData::String("line\nbreak \"q\"".into())),
            ("e", RegistryData::ExpandString("%TEMP%".into())),
            ("m", RegistryData::MultiString(vec!["a".into(), "b".into()])),
            ("b", RegistryData::Binary(vec![0, 255])),
            ("", RegistryData::String("default".into())),
        ] {
            tree.set(key, name, data);
        }
        let text = registry_from_tree(&tree).serialize();
        validate(&text).unwrap();
        let back = tree_from_registry(&Registry::deserialize(&text).unwrap());
        assert_eq!(back, tree);
    }
}
