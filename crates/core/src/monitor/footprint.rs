//! What the store's memory is measured in: an estimate, in bytes, of the
//! heap a stored trace and its entry really hold (the decoded records'
//! strings and vectors by their capacity, the call index, the entry and
//! its `Arc`, the closed-entry bookkeeping), rounded as the system
//! allocator rounds each block. The store's byte cap
//! ([`StoreOptions::max_bytes`](super::StoreOptions::max_bytes)) is
//! checked against these figures, not against the bytes of the JSON lines
//! received: a line of 3 bytes (`"",` in a `REG_MULTI_SZ`) can decode to a
//! 24-byte `String`, and a call line of 100 bytes to a 48-byte call.
//!
//! Not counted: the transient copy of a trace that the store makes when a
//! published snapshot still shares it (freed when the readers take the
//! next snapshot), and the monitor's log (capped by line count).

use std::collections::HashMap;
use std::mem::size_of;

use super::analysis::{Call, ProcessTrace};
use crate::trace::model::{RegistryData, Setting};
use crate::trace::{Hello, PolicyRecord, PolicySource, ProviderDecl, Record, SessionDecl};

/// Bytes the system allocator takes for a block of `requested` bytes: the
/// request plus an 8-byte header, rounded up to 16, at least 32 (glibc's
/// `malloc` on 64-bit targets; the Windows heap is within a few bytes of
/// it). 0 for an empty request (an empty `String` or `Vec` allocates
/// nothing).
pub const fn heap_block_bytes(requested: usize) -> usize {
    if requested == 0 {
        return 0;
    }
    let chunk = (requested + 8 + 15) & !15;
    if chunk < 32 { 32 } else { chunk }
}

/// Heap bytes of a string's buffer (by capacity).
pub fn string_bytes(s: &String) -> usize {
    heap_block_bytes(s.capacity())
}

/// Heap bytes of a vector's buffer (by capacity), not of what its items
/// own.
pub fn vec_bytes<T>(v: &Vec<T>) -> usize {
    heap_block_bytes(v.capacity() * size_of::<T>())
}

/// Heap bytes of a `HashMap`'s table: one slot and one control byte per
/// bucket (buckets are a power of two, at least 8/7 of the capacity),
/// plus 16 control bytes.
pub fn hash_map_bytes<K, V>(m: &HashMap<K, V>) -> usize {
    if m.capacity() == 0 {
        return 0;
    }
    let buckets = (m.capacity() * 8 / 7).next_power_of_two();
    heap_block_bytes(buckets * (size_of::<(K, V)>() + 1) + 16)
}

/// Heap bytes a record owns once stored, beyond the slot it takes in its
/// trace (`ProcessTrace::hello`, `sessions`, `providers`, …): its
/// strings, and the items of a `REG_MULTI_SZ` or the bytes of a
/// `REG_BINARY` it carries. Calls, exits, drops and the client's exit own
/// nothing.
pub fn record_heap_bytes(record: &Record) -> usize {
    match record {
        Record::Hello(h) => hello_bytes(h),
        Record::Session(s) => session_bytes(s),
        Record::Provider(p) => provider_bytes(p),
        Record::Policy(p) => policy_bytes(p),
        Record::Enter(_) | Record::Exit(_) | Record::Dropped(_) | Record::ClientExit(_) => 0,
    }
}

/// Bytes a record's slot takes in its trace's vectors, estimated at their
/// length (a session or provider declaration: its struct; an anomaly
/// string for nothing, as an exit rarely becomes one); 0 for what the
/// trace keeps inline (the `hello`, the policy, counts).
pub fn record_slot_bytes(record: &Record) -> usize {
    match record {
        Record::Session(_) => size_of::<SessionDecl>(),
        Record::Provider(_) => size_of::<ProviderDecl>(),
        Record::Enter(_) => CALL_BYTES,
        Record::Hello(_)
        | Record::Policy(_)
        | Record::Exit(_)
        | Record::Dropped(_)
        | Record::ClientExit(_) => 0,
    }
}

/// Heap bytes of a `hello`'s strings.
pub fn hello_bytes(h: &Hello) -> usize {
    string_bytes(&h.exe) + string_bytes(&h.subsystem) + string_bytes(&h.started_at)
}

/// Heap bytes of a session declaration's profile name.
pub fn session_bytes(s: &SessionDecl) -> usize {
    string_bytes(&s.profile)
}

/// Heap bytes of a provider declaration's name and DLL.
pub fn provider_bytes(p: &ProviderDecl) -> usize {
    string_bytes(&p.name) + string_bytes(&p.dll)
}

/// Heap bytes of a policy record's source and invalid data.
pub fn policy_bytes(p: &PolicyRecord) -> usize {
    let source = match &p.source {
        PolicySource::Registry { store, key, value } => {
            string_bytes(store) + string_bytes(key) + string_bytes(value)
        }
        PolicySource::Override | PolicySource::Default => 0,
    };
    let setting = match &p.setting {
        Setting::Invalid { raw, reason } => registry_data_bytes(raw) + string_bytes(reason),
        Setting::NotConfigured | Setting::Valid { .. } => 0,
    };
    source + setting
}

/// Heap bytes of the `hello` and policy of a trace (each replaces the
/// one before, so the store recounts them rather than adding).
pub fn header_bytes(t: &ProcessTrace) -> usize {
    t.hello.as_ref().map_or(0, hello_bytes) + t.policy.as_ref().map_or(0, policy_bytes)
}

/// Heap bytes of what a trace holds, walked item by item: its vectors and
/// call index ([`trace_container_bytes`]), the `hello`'s and the
/// policy's strings ([`header_bytes`]), every session's, provider's and
/// anomaly's strings. The store keeps the same figure up to date as
/// records arrive, without walking (`Entry::approx_bytes`, which adds
/// [`ENTRY_BYTES`] and the error message).
pub fn trace_heap_bytes(t: &ProcessTrace) -> usize {
    trace_container_bytes(t)
        + header_bytes(t)
        + t.sessions.iter().map(session_bytes).sum::<usize>()
        + t.providers.iter().map(provider_bytes).sum::<usize>()
        + t.anomalies.iter().map(string_bytes).sum::<usize>()
}

/// Heap bytes of registry data: its string, its strings and their vector,
/// or its bytes.
pub fn registry_data_bytes(data: &RegistryData) -> usize {
    match data {
        RegistryData::Dword(_) | RegistryData::Qword(_) => 0,
        RegistryData::String(s) | RegistryData::ExpandString(s) => string_bytes(s),
        RegistryData::MultiString(v) => vec_bytes(v) + v.iter().map(string_bytes).sum::<usize>(),
        RegistryData::Binary(b) => vec_bytes(b),
    }
}

/// Heap bytes of a trace's vectors and call index (by capacity), without
/// what their items own (see [`record_heap_bytes`] and
/// [`ProcessTrace::anomalies`]). Constant time, whatever the trace's size.
pub fn trace_container_bytes(t: &ProcessTrace) -> usize {
    vec_bytes(&t.sessions)
        + vec_bytes(&t.providers)
        + vec_bytes(&t.calls)
        + vec_bytes(&t.anomalies)
        + t.index_bytes()
}

/// Bytes a stored call costs at the least: its slot in the trace's
/// vector (which grows by doubling, so up to twice that is allocated).
pub const CALL_BYTES: usize = size_of::<Call>();

/// Bytes every entry costs whatever it holds: the [`Entry`](super::Entry)
/// in the store's vector, its `Arc<ProcessTrace>` block (two counters and
/// the trace), and its place in the order of closed entries. (A published
/// snapshot adds its own `SessionSnapshot` and verdict per entry: not the
/// store's, and bounded by the count of entries; see
/// `docs/benchmarks.md`.)
pub const ENTRY_BYTES: usize = size_of::<super::Entry>()
    + heap_block_bytes(16 + size_of::<ProcessTrace>())
    + size_of::<(u64, u64)>();
