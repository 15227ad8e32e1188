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
    CallEnter, CallExit, Caller, ClientExit, Dropped, Hello, Interface, Method, PolicyRecord,
    PolicySource, ProviderDecl, Record, SessionDecl,
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
            any::<u32>(),
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

fn hello() -> impl Strategy<Value = Hello> {
    (any::<u32>(), text(), office(), text(), text()).prop_map(
        |(pid, exe, office_version, subsystem, started_at)| Hello {
            protocol: codec::PROTOCOL_VERSION,
            pid,
            exe,
            office_version,
            subsystem,
            started_at,
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
