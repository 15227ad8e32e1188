//! Trace codec tests from outside the crate: a property test that any
//! sequence of records survives encode -> decode (fed in arbitrary chunks),
//! and one fixture per protocol version under `tests/data/` that this build
//! must keep reading.

use std::fs;
use std::path::Path;

use mapi_shutdown::hresult::HRESULT;
use mapi_shutdown::mapi::ProviderKind;
use mapi_shutdown::policy::{FastShutdownBehavior, OfficeVersion, RegistryData, Setting};
use mapi_shutdown::trace::codec::{self, Decoder, encode};
use mapi_shutdown::trace::{
    AttachMode, CallEnter, CallExit, Caller, Capture, ClientExit, Dropped, Hello, Interface,
    Method, PolicyRecord, PolicySource, ProviderDecl, Record, SessionDecl,
};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    // Includes quotes, backslashes, newlines, non-ASCII and CJK.
    proptest::string::string_regex("[a-zA-Z0-9 ._\\-\"\\\\\n\té中文]{0,24}").unwrap()
}

fn office() -> impl Strategy<Value = OfficeVersion> {
    prop::sample::select(OfficeVersion::ALL.to_vec())
}

fn kind() -> impl Strategy<Value = ProviderKind> {
    prop::sample::select(ProviderKind::ALL.to_vec())
}

fn behaviour() -> impl Strategy<Value = FastShutdownBehavior> {
    prop::sample::select(FastShutdownBehavior::ALL.to_vec())
}

fn registry_data() -> impl Strategy<Value = RegistryData> {
    prop_oneof![
        any::<u32>().prop_map(RegistryData::Dword),
        any::<u64>().prop_map(RegistryData::Qword),
        text().prop_map(RegistryData::String),
        text().prop_map(RegistryData::ExpandString),
        prop::collection::vec(text(), 0..3).prop_map(RegistryData::MultiString),
        prop::collection::vec(any::<u8>(), 0..8).prop_map(RegistryData::Binary),
    ]
}

fn setting() -> impl Strategy<Value = Setting<FastShutdownBehavior>> {
    prop_oneof![
        Just(Setting::NotConfigured),
        behaviour().prop_map(|value| Setting::Valid { value }),
        (registry_data(), text()).prop_map(|(raw, reason)| Setting::Invalid { raw, reason }),
    ]
}

fn source() -> impl Strategy<Value = PolicySource> {
    prop_oneof![
        Just(PolicySource::Override),
        Just(PolicySource::Default),
        (text(), text(), text()).prop_map(|(store, key, value)| PolicySource::Registry {
            store,
            key,
            value
        }),
    ]
}

fn method() -> impl Strategy<Value = Method> {
    prop::sample::select(vec![
        Method::QueryFastShutdown,
        Method::NotifyProcessShutdown,
        Method::DoFastShutdown,
        Method::MapiLogonEx,
        Method::MapiUninitialize,
    ])
}

fn body_record() -> impl Strategy<Value = Record> {
    prop_oneof![
        (any::<u64>(), any::<u32>(), text()).prop_map(|(t_ns, session, profile)| {
            Record::Session(SessionDecl {
                t_ns,
                session,
                profile,
            })
        }),
        (
            any::<u64>(),
            proptest::option::of(any::<u32>()),
            any::<u32>(),
            text(),
            kind(),
            text(),
            any::<bool>()
        )
            .prop_map(
                |(t_ns, session, provider, name, kind, dll, implements_shutdown)| {
                    Record::Provider(ProviderDecl {
                        t_ns,
                        session,
                        provider,
                        name,
                        kind,
                        dll,
                        implements_shutdown,
                    })
                }
            ),
        (any::<u64>(), office(), source(), setting(), behaviour()).prop_map(
            |(t_ns, office_version, source, setting, effective)| {
                Record::Policy(PolicyRecord {
                    t_ns,
                    office_version,
                    source,
                    setting,
                    effective,
                })
            }
        ),
        (
            any::<u64>(),
            any::<u64>(),
            any::<Option<u64>>(),
            any::<bool>(),
            method(),
            any::<Option<u32>>(),
            any::<Option<u32>>()
        )
            .prop_map(
                |(t_ns, call, parent, by_client, method, session, provider)| {
                    Record::Enter(CallEnter {
                        t_ns,
                        call,
                        parent,
                        caller: if by_client {
                            Caller::Client
                        } else {
                            Caller::Subsystem
                        },
                        interface: if by_client {
                            Interface::ClientShutdown
                        } else {
                            Interface::ProviderShutdown
                        },
                        method,
                        session,
                        provider,
                    })
                }
            ),
        (any::<u64>(), any::<u64>(), any::<u32>()).prop_map(|(t_ns, call, h)| {
            Record::Exit(CallExit {
                t_ns,
                call,
                hresult: HRESULT(h),
            })
        }),
        (any::<u64>(), any::<u64>())
            .prop_map(|(t_ns, count)| Record::Dropped(Dropped { t_ns, count })),
        (any::<u64>(), any::<i32>())
            .prop_map(|(t_ns, code)| Record::ClientExit(ClientExit { t_ns, code })),
    ]
}

/// A captured trace's `hello.capture`, or none (a simulated trace).
fn capture() -> impl Strategy<Value = Option<Capture>> {
    proptest::option::of(
        (
            any::<bool>(),
            text(),
            prop_oneof![Just(32u32), Just(64u32)],
            text(),
            proptest::option::of(text()),
            any::<bool>(),
        )
            .prop_map(
                |(late, agent, bits, subsystem_path, subsystem_version, known)| Capture {
                    attach: if late {
                        AttachMode::Late
                    } else {
                        AttachMode::Launch
                    },
                    agent,
                    bits,
                    subsystem_path,
                    subsystem_version,
                    office_version_known: known,
                },
            ),
    )
}

fn hello() -> impl Strategy<Value = Hello> {
    (
        any::<u32>(),
        text(),
        office(),
        text(),
        text(),
        capture(),
        prop::option::of(text()),
    )
        .prop_map(
            |(pid, exe, office_version, subsystem, started_at, capture, host)| Hello {
                protocol: codec::PROTOCOL_VERSION,
                pid,
                exe,
                office_version,
                subsystem,
                started_at,
                capture,
                host,
            },
        )
}

proptest! {
    #[test]
    fn round_trip_in_arbitrary_chunks(
        header in hello(),
        body in prop::collection::vec(body_record(), 0..40),
        chunk in 1usize..300,
    ) {
        let mut records = vec![Record::Hello(header)];
        records.extend(body);
        let bytes: String = records.iter().map(encode).collect();
        let mut decoder = Decoder::new();
        let mut back = Vec::new();
        for piece in bytes.as_bytes().chunks(chunk) {
            decoder.push(piece);
            while let Some(r) = decoder.next_record().unwrap() {
                back.push(r);
            }
        }
        decoder.finish().unwrap();
        prop_assert_eq!(back, records);
    }

    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let mut decoder = Decoder::new();
        decoder.push(&bytes);
        for _ in 0..100 {
            match decoder.next_record() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) if e.is_fatal() => break,
                Err(_) => {}
            }
        }
        let _ = decoder.finish();
    }
}

/// Every `tests/data/trace-v<N>.jsonl` fixture decodes with this build, and
/// the v1 fixture says what it was written to say.
#[test]
fn fixtures_of_every_supported_version_decode() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut seen = Vec::new();
    for version in codec::MIN_PROTOCOL_VERSION..=codec::PROTOCOL_VERSION {
        let path = dir.join(format!("trace-v{version}.jsonl"));
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()));
        let records = codec::read_all(bytes.as_slice())
            .unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()));
        match &records[0] {
            Record::Hello(h) => assert_eq!(h.protocol, version),
            other => panic!("{other:?}"),
        }
        seen.push((version, records));
    }
    let (_, v1) = &seen[0];
    let calls = v1.iter().filter(|r| matches!(r, Record::Enter(_))).count();
    let exits = v1.iter().filter(|r| matches!(r, Record::Exit(_))).count();
    assert_eq!(calls, exits);
    assert!(
        calls >= 9,
        "the v1 fixture holds a whole Query/Notify/Do sequence"
    );
    assert!(v1.iter().any(|r| matches!(r, Record::Policy(p)
        if p.effective == FastShutdownBehavior::OptOut
        && matches!(p.setting, Setting::Invalid { raw: RegistryData::String(_), .. }))));
    assert!(
        v1.iter()
            .any(|r| matches!(r, Record::Dropped(d) if d.count == 3))
    );
    assert!(matches!(v1.last(), Some(Record::ClientExit(c)) if c.code == 0));
    // The extra field of a newer writer is ignored.
    let raw = fs::read_to_string(dir.join("trace-v1.jsonl")).unwrap();
    assert!(raw.contains("\"future_field\""));
}

/// `hello.host` is additive within protocol 1: a trace written before it
/// reads with `None`, one with it keeps the name, and `None` is not
/// written (so an older reader sees exactly the old line).
#[test]
fn hello_host_is_optional_and_additive() {
    let old = r#"{"type":"hello","protocol":1,"pid":1,"exe":"OUTLOOK.EXE","office_version":"16.0","subsystem":"olmapi32.dll","started_at":"2026-11-20T09:30:00.000Z"}"#;
    let Record::Hello(h) = codec::decode_line(old.as_bytes(), 1).unwrap() else {
        panic!("not a hello");
    };
    assert_eq!(h.host, None);
    assert_eq!(encode(&Record::Hello(h.clone())).trim_end(), old);
    let with = Hello {
        host: Some("DESKTOP-7Q2".into()),
        ..h
    };
    let line = encode(&Record::Hello(with.clone()));
    assert!(line.contains(r#""host":"DESKTOP-7Q2""#), "{line}");
    assert_eq!(
        codec::decode_line(line.trim_end().as_bytes(), 1).unwrap(),
        Record::Hello(with)
    );
}

/// An `enter` with every field chosen independently (any interface with
/// any caller and method), unlike `body_record`'s coherent calls.
fn any_enter() -> impl Strategy<Value = Record> {
    (
        any::<u64>(),
        any::<u64>(),
        any::<Option<u64>>(),
        prop::sample::select(vec![Caller::Client, Caller::Subsystem]),
        prop::sample::select(vec![
            Interface::ClientShutdown,
            Interface::ProviderShutdown,
            Interface::Mapi,
        ]),
        method(),
        any::<Option<u32>>(),
        any::<Option<u32>>(),
    )
        .prop_map(
            |(t_ns, call, parent, caller, interface, method, session, provider)| {
                Record::Enter(CallEnter {
                    t_ns,
                    call,
                    parent,
                    caller,
                    interface,
                    method,
                    session,
                    provider,
                })
            },
        )
}

/// Any record, the `hello` included, with small numbers as often as large
/// ones (so that mutations meet `0`, one digit and overflow).
fn any_record() -> impl Strategy<Value = Record> {
    prop_oneof![
        4 => body_record(),
        2 => any_enter(),
        1 => hello().prop_map(Record::Hello),
        2 => (0u64..20, 0u64..20, 0u32..4).prop_map(|(t_ns, call, h)| Record::Exit(CallExit {
            t_ns,
            call,
            hresult: HRESULT(h * 0x4000_0000 + h),
        })),
        1 => (0u64..3, -2i32..3)
            .prop_map(|(t_ns, code)| Record::ClientExit(ClientExit { t_ns, code })),
    ]
}

/// Whether the hand-written fast path must take `record`'s canonical line
/// (a hot record whose strings need no escape).
fn fast_path_expected(record: &Record) -> bool {
    let plain = |s: &str| !s.chars().any(|c| c == '"' || c == '\\' || c < ' ');
    match record {
        Record::Enter(_) | Record::Exit(_) | Record::Dropped(_) | Record::ClientExit(_) => true,
        Record::Session(s) => plain(&s.profile),
        Record::Provider(p) => plain(&p.name) && plain(&p.dll),
        Record::Hello(_) | Record::Policy(_) => false,
    }
}

/// What a line may be mutated with: bytes that matter to JSON and to the
/// fast path's literals, and a few that are invalid anywhere.
fn mutation() -> impl Strategy<Value = (bool, usize, usize, Vec<u8>)> {
    let byte = prop::sample::select(
        b"00123456789-+.eE\"\"\\{}[],,:: \tnulltrfasx\x00\x1f\x7f\xc3\xa9\xff".to_vec(),
    );
    (
        any::<bool>(),
        any::<usize>(),
        0usize..4,
        prop::collection::vec(byte, 0..4),
    )
}

/// Apply `(at_edge, at, remove, insert)` to `line`: replace `remove` bytes
/// from position `at` (modulo the length) with `insert`; when `at_edge`,
/// the position is taken among the token edges (after `:` or `,`, around
/// quotes, before `,` and `}`, at digits), where the fast path's checks
/// are.
fn mutate(line: &[u8], (at_edge, at, remove, insert): &(bool, usize, usize, Vec<u8>)) -> Vec<u8> {
    let edges: Vec<usize> = (0..=line.len())
        .filter(|&i| {
            let before = i.checked_sub(1).and_then(|j| line.get(j));
            let after = line.get(i);
            matches!(before, Some(b':' | b',' | b'"'))
                || matches!(after, Some(b'"' | b',' | b'}' | b'0'..=b'9'))
        })
        .collect();
    let at = if *at_edge && !edges.is_empty() {
        edges[at % edges.len()]
    } else {
        at % (line.len() + 1)
    };
    let end = (at + remove).min(line.len());
    let mut out = line[..at].to_vec();
    out.extend_from_slice(insert);
    out.extend_from_slice(&line[end..]);
    out
}

/// The byte ranges of the values of `line`'s top-level keys (what follows
/// each `:` up to the `,` or `}` that ends it; nested objects whole).
fn value_spans(line: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut start = None;
    for (i, &b) in line.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b':' if depth == 1 => start = Some(i + 1),
            b',' | b'}' if depth == 1 => {
                if let Some(s) = start.take() {
                    spans.push((s, i));
                }
                if b == b'}' {
                    depth -= 1;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    spans
}

/// JSON values (and near misses) to put in place of a field's value.
fn replacement_value() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex("-?0{0,2}[0-9]{0,21}(\\.[0-9])?([eE][+-]?[0-9])?").unwrap(),
        proptest::string::string_regex("\"(0[xX])?[0-9a-fA-FgG+ -]{0,10}\"").unwrap(),
        proptest::string::string_regex("\"[a-zA-Z_ -]{0,24}\"").unwrap(),
        proptest::string::string_regex("\"([a-z]|\\\\[nt\"\\\\/u]|\\\\u00e9|é){0,6}\"").unwrap(),
        prop::sample::select(vec![
            "null",
            "true",
            "false",
            "{}",
            "[]",
            "\"\"",
            "0",
            "-0",
            "4294967295",
            "4294967296",
            "2147483647",
            "2147483648",
            "-2147483648",
            "-2147483649",
            "18446744073709551615",
            "18446744073709551616",
            "\"client\"",
            "\"subsystem\"",
            "\"MAPI\"",
            "\"IMAPIClientShutdown\"",
            "\"QueryFastShutdown\"",
            "\"transport\"",
            "\"message-store\"",
            "\"0x80040102\"",
            "\"S_OK\"",
        ])
        .prop_map(str::to_string),
    ]
}

/// The decoder's fast paths and serde's general path agree on `line`:
/// the same record or the same error, and the hand-written path accepts
/// only what serde decodes to the same record.
fn assert_paths_agree(line: &[u8]) -> Result<(), TestCaseError> {
    let general = codec::decode_general(line, 7);
    prop_assert_eq!(
        &codec::decode_line(line, 7),
        &general,
        "line {:?}",
        String::from_utf8_lossy(line)
    );
    if let Some(fast) = codec::decode_canonical(line) {
        prop_assert_eq!(
            Ok(fast),
            general,
            "fast path accepted {:?}",
            String::from_utf8_lossy(line)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Differential test of the hand-written decoder: arbitrary records,
    /// encoded, decode alike on both paths, and the fast path is really
    /// taken for the hot records.
    #[test]
    fn fast_path_equals_serde_on_encoded_records(record in any_record()) {
        let line = encode(&record);
        let line = line.trim_end().as_bytes();
        prop_assert_eq!(codec::decode_general(line, 1), Ok(record.clone()));
        prop_assert_eq!(codec::decode_line(line, 1), Ok(record.clone()));
        let fast = codec::decode_canonical(line);
        if fast_path_expected(&record) {
            prop_assert_eq!(fast, Some(record));
        } else {
            prop_assert_eq!(fast, None);
        }
    }

    /// Mutated lines (bytes replaced, removed, inserted, up to three
    /// edits): either both paths decode them to the same record, or the
    /// fast path declines and the error is serde's.
    #[test]
    fn fast_path_never_accepts_what_serde_rejects(
        record in any_record(),
        edits in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut line = encode(&record).trim_end().as_bytes().to_vec();
        for edit in &edits {
            line = mutate(&line, edit);
        }
        assert_paths_agree(&line)?;
    }

    /// One field's value replaced by another JSON value (or a near miss):
    /// numbers with leading zeros, signs, fractions, out of range; strings
    /// with escapes; other types.
    #[test]
    fn fast_path_agrees_when_a_value_is_replaced(
        record in any_record(),
        which in any::<usize>(),
        value in replacement_value(),
    ) {
        let line = encode(&record).trim_end().as_bytes().to_vec();
        let spans = value_spans(&line);
        prop_assert!(!spans.is_empty());
        let (start, end) = spans[which % spans.len()];
        let mut changed = line[..start].to_vec();
        changed.extend_from_slice(value.as_bytes());
        changed.extend_from_slice(&line[end..]);
        assert_paths_agree(&changed)?;
    }

    /// Garbage after a canonical tag, and arbitrary bytes.
    #[test]
    fn fast_path_on_garbage(
        tag in prop::sample::select(vec![
            "enter", "exit", "provider", "session", "dropped", "client_exit", "hello", "policy",
        ]),
        tail in prop::collection::vec(any::<u8>(), 0..120),
    ) {
        let mut line = format!(r#"{{"type":"{tag}","#).into_bytes();
        line.extend_from_slice(&tail);
        assert_paths_agree(&line)?;
        assert_paths_agree(&tail)?;
    }
}

/// Hand-picked lines around the fast path's edges: each decodes (or fails)
/// exactly as serde alone decides.
#[test]
fn fast_path_edges_agree_with_serde() {
    let lines = [
        r#"{"type":"exit","t_ns":0,"call":0,"hresult":"0x00000000"}"#,
        r#"{"type":"exit","t_ns":00,"call":0,"hresult":"0x00000000"}"#,
        r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0x8004010f"}"#,
        r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0X80040102"}"#,
        r#"{"type":"exit","t_ns":1,"call":1,"hresult":"MAPI_E_NO_SUPPORT"}"#,
        r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0x+0040102"}"#,
        r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0x00000000"} "#,
        r#"{"type":"exit","t_ns":1,"call":1,"hresult":"0x00000000"}x"#,
        r#"{"type":"exit","t_ns":1,"call":1,"call":2,"hresult":"0x00000000"}"#,
        r#"{"type":"exit","t_ns":1.5,"call":1,"hresult":"0x00000000"}"#,
        r#"{"type":"exit","t_ns":-1,"call":1,"hresult":"0x00000000"}"#,
        r#"{"type":"exit","t_ns":18446744073709551615,"call":1,"hresult":"0x00000000"}"#,
        r#"{"type":"exit","t_ns":18446744073709551616,"call":1,"hresult":"0x00000000"}"#,
        r#"{"type":"exit","t_ns":1,"call":1}"#,
        r#"{"type":"enter","t_ns":1,"call":2,"parent":1,"caller":"subsystem","interface":"IMAPIProviderShutdown","method":"DoFastShutdown","session":1,"provider":4294967295}"#,
        r#"{"type":"enter","t_ns":1,"call":2,"parent":1,"caller":"subsystem","interface":"IMAPIProviderShutdown","method":"DoFastShutdown","session":1,"provider":4294967296}"#,
        r#"{"type":"enter","t_ns":1,"call":2,"parent":null,"caller":"client","interface":"MAPI","method":"MAPIUninitialize"}"#,
        r#"{"type":"enter","t_ns":1,"call":2,"caller":"client","interface":"MAPI","method":"MAPIUninitialize","session":1,"session":2}"#,
        r#"{"type":"enter","t_ns":1,"call":2,"caller":"Client","interface":"MAPI","method":"MAPIUninitialize"}"#,
        r#"{"type":"session","t_ns":1,"session":1,"profile":"caf\u00e9"}"#,
        "{\"type\":\"session\",\"t_ns\":1,\"session\":1,\"profile\":\"caf\u{e9}\"}",
        "{\"type\":\"session\",\"t_ns\":1,\"session\":1,\"profile\":\"a\u{7f}b\"}",
        r#"{"type":"provider","t_ns":1,"session":1,"provider":2,"name":"A","kind":"address-book","dll":"a.dll","implements_shutdown":true}"#,
        r#"{"type":"provider","t_ns":1,"session":1,"provider":2,"name":"A","kind":"address_book","dll":"a.dll","implements_shutdown":true}"#,
        r#"{"type":"provider","t_ns":1,"session":1,"provider":2,"name":"A","kind":"transport","dll":"a.dll","implements_shutdown":1}"#,
        r#"{"type":"client_exit","t_ns":1,"code":-2147483648}"#,
        r#"{"type":"client_exit","t_ns":1,"code":-2147483649}"#,
        r#"{"type":"client_exit","t_ns":1,"code":-0}"#,
        r#"{"type":"dropped","t_ns":1,"count":2,"reason":"queue full"}"#,
    ];
    for line in lines {
        assert_paths_agree(line.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    // Invalid UTF-8 inside a string.
    let mut bad = br#"{"type":"session","t_ns":1,"session":1,"profile":"a"#.to_vec();
    bad.extend_from_slice(b"\xff\"}");
    assert_paths_agree(&bad).unwrap_or_else(|e| panic!("{e}"));
    assert!(codec::decode_general(&bad, 1).is_err());
}

/// Everything a decoder says about `bytes` fed `chunk` bytes at a time
/// (with [`Decoder::push`], or with [`Decoder::read_from`] when `read`):
/// each record with the text of its line, each error, and what `finish`
/// says; it stops at the first fatal error, as the monitor does.
fn decoder_says(mut decoder: Decoder, bytes: &[u8], chunk: usize, read: bool) -> Vec<String> {
    let mut said = Vec::new();
    for piece in bytes.chunks(chunk) {
        if read {
            let mut reader = piece;
            while !reader.is_empty() {
                decoder.read_from(&mut reader, chunk).unwrap();
            }
        } else {
            decoder.push(piece);
        }
        loop {
            match decoder.next_compact() {
                Ok(Some(r)) => said.push(format!(
                    "{r:?} from {:?}",
                    String::from_utf8_lossy(decoder.last_line())
                )),
                Ok(None) => break,
                Err(e) => {
                    said.push(format!("error {e}"));
                    if e.is_fatal() {
                        return said;
                    }
                }
            }
        }
    }
    said.push(format!("finish {:?}", decoder.finish()));
    said
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A whole stream of encoded and mutated lines, with LF, CRLF, blank
    /// lines and missing newlines between them, fed in arbitrary chunks:
    /// the decoder with its fast paths (which decode a canonical line
    /// before looking for its newline) says exactly what serde's general
    /// path says, line by line, whether it is pushed bytes or reads them.
    #[test]
    fn stream_decoder_agrees_with_serde(
        header in hello(),
        lines in prop::collection::vec(
            (
                any_record(),
                prop::option::weighted(0.3, prop::collection::vec(mutation(), 1..3)),
                prop::sample::select(vec!["\n", "\n", "\n", "\r\n", "\n\n", " \n", ""]),
            ),
            0..30,
        ),
        chunk in 1usize..400,
    ) {
        let mut bytes = encode(&Record::Hello(header)).into_bytes();
        for (record, edits, end) in &lines {
            let mut line = encode(record).trim_end().as_bytes().to_vec();
            for edit in edits.iter().flatten() {
                line = mutate(&line, edit);
            }
            bytes.extend_from_slice(&line);
            bytes.extend_from_slice(end.as_bytes());
        }
        let reference = decoder_says(Decoder::general_only(), &bytes, chunk, false);
        prop_assert_eq!(&decoder_says(Decoder::new(), &bytes, chunk, false), &reference);
        prop_assert_eq!(&decoder_says(Decoder::new(), &bytes, chunk, true), &reference);
    }
}
