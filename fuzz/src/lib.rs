//! Helpers shared by the fuzz targets (`fuzz_targets/*.rs`): how an input
//! is cut into chunks, how a long line is spelt in a short input, and
//! everything a trace [`Decoder`] says about a stream; the store and the
//! checks of an import plan (`reg_import`, `registry_pol`).

use mapi_shutdown::i18n::Lang;
use mapi_shutdown::policy::memory::MemoryStore;
use mapi_shutdown::policy::settings::{SettingState, ShutdownValue, policy_key_version};
use mapi_shutdown::policy::store::{Change, Expect, Hive, RegistryStore, normalize_key};
use mapi_shutdown::policy::tree::RegTree;
use mapi_shutdown::policy::{RegistryData, addins, transfer};
use mapi_shutdown::trace::Record;
use mapi_shutdown::trace::codec::{self, Decoder};

/// A canonical `hello` line (what the instrumented subsystem writes
/// first), newline included: put before a fuzzed body so that mutations
/// reach the records after the header instead of dying on it.
pub const HELLO: &[u8] = b"{\"type\":\"hello\",\"protocol\":1,\"pid\":42,\"exe\":\"OUTLOOK.EXE\",\"office_version\":\"16.0\",\"subsystem\":\"olmapi32.dll\",\"started_at\":\"2026-11-20T10:00:00.000Z\"}\n";

/// Chunk sizes taken from `seed` (each byte one size, 1 to 256; at least
/// one size), used in turn and cyclically: the fuzzer chooses how a stream
/// is cut as well as what it holds.
pub fn chunk_sizes(seed: &[u8]) -> Vec<usize> {
    let sizes: Vec<usize> = seed.iter().map(|b| usize::from(*b) + 1).collect();
    if sizes.is_empty() { vec![1] } else { sizes }
}

/// `bytes` cut into pieces of the given sizes, cyclically.
pub fn chunks<'a>(bytes: &'a [u8], sizes: &[usize]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    let mut i = 0;
    while !rest.is_empty() {
        let n = sizes[i % sizes.len()].min(rest.len());
        let (piece, tail) = rest.split_at(n);
        out.push(piece);
        rest = tail;
        i += 1;
    }
    out
}

/// Expand a short fuzz input into a stream that may hold lines longer
/// than [`codec::MAX_LINE_BYTES`]: `0xFE N B` becomes byte `B` repeated
/// `N * 1024 + 1` times (`N` up to 255: up to 255 KiB); every other byte
/// stands for itself. libFuzzer's inputs stay a few KiB, yet the line
/// limit and the skipping after it are reached.
pub fn expand(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == 0xFE && i + 2 < input.len() {
            let n = usize::from(input[i + 1]) * 1024 + 1;
            out.extend(std::iter::repeat_n(input[i + 2], n));
            i += 3;
        } else {
            out.push(input[i]);
            i += 1;
        }
    }
    out
}

/// How the bytes reach the decoder.
#[derive(Clone, Copy, Debug)]
pub enum Feed {
    /// [`Decoder::push`].
    Push,
    /// [`Decoder::read_from`], at most the chunk's size per read.
    Read,
}

/// Everything `decoder` says about `pieces` fed one after the other: each
/// record with the text of its line ([`Decoder::last_line`]), each error,
/// and what [`Decoder::finish`] says; it stops at the first fatal error,
/// as the monitor does. Checks on the way that each record decodes again
/// from its line's text ([`codec::decode_line`]), the header included.
pub fn decoder_says(mut decoder: Decoder, pieces: &[&[u8]], feed: Feed) -> Vec<String> {
    let mut said = Vec::new();
    for piece in pieces {
        match feed {
            Feed::Push => decoder.push(piece),
            Feed::Read => {
                let mut reader: &[u8] = piece;
                while !reader.is_empty() {
                    let n = decoder
                        .read_from(&mut reader, piece.len())
                        .expect("reading from a slice never fails");
                    assert!(n > 0, "read_from read nothing from a non-empty slice");
                }
            }
        }
        loop {
            match decoder.next_compact() {
                Ok(Some(r)) => {
                    let line = decoder.last_line();
                    assert!(!line.is_empty(), "a record from an empty line");
                    assert!(!line.contains(&b'\n'), "a line with a newline in it");
                    let record = r.clone().into_record();
                    assert_eq!(
                        codec::decode_line(line, 1).as_ref(),
                        Ok(&record),
                        "the record does not decode again from its line {:?}",
                        String::from_utf8_lossy(line)
                    );
                    said.push(format!("{r:?} from {:?}", String::from_utf8_lossy(line)));
                }
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

/// The records of [`decoder_says`]'s output, when it holds no error and
/// the stream ended cleanly; `None` otherwise.
pub fn clean_records(pieces: &[&[u8]]) -> Option<Vec<Record>> {
    let mut decoder = Decoder::new();
    let mut records = Vec::new();
    for piece in pieces {
        decoder.push(piece);
        while let Some(r) = decoder.next_record().ok()? {
            records.push(r);
        }
    }
    decoder.finish().ok()?;
    Some(records)
}

// --- import plans (`reg_import`, `registry_pol`) ---------------------------

/// The policy key of [`import_store`].
pub const POLICY: &str =
    r"HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\16.0\Outlook\Options\Shutdown";
/// The registered add-in of [`import_store`].
pub const ADDIN: &str = r"HKEY_CURRENT_USER\Software\Microsoft\Office\Outlook\Addins\Seed.Addin";

pub fn import_store() -> MemoryStore {
    let mut tree = RegTree::new();
    tree.set(POLICY, "FastShutdownBehavior", RegistryData::Dword(2));
    tree.set(ADDIN, "LoadBehavior", RegistryData::Dword(3));
    tree.set(ADDIN, "RequireShutdownNotification", RegistryData::Dword(1));
    MemoryStore::with_tree(tree)
}

/// The same key or value name, as the store compares them.
pub fn same(a: &str, b: &str) -> bool {
    normalize_key(a).to_lowercase() == normalize_key(b).to_lowercase()
}

/// Check an import plan made by `plan_of` against [`import_store`]: every
/// planned change is a shutdown value (one of the three policy values
/// under a version's policy key in HKCU, or `RequireShutdownNotification`
/// under an existing add-in key), its `before` is what the store holds,
/// its `after` a deletion or data that the value reads as valid; every
/// refusal's reason renders in every language. Applying the plan, then
/// planning again, refuses the same things and leaves nothing to do.
pub fn check_import_plan(plan_of: impl Fn(&MemoryStore) -> transfer::ImportPlan) {
    let store = import_store();
    let plan = plan_of(&store);
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
    let again = plan_of(&store);
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
}
