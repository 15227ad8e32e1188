//! The store's byte count against the allocator (issue 17, item 7): a
//! global allocator that counts, per thread, the blocks it hands out
//! (rounded as `monitor::footprint::heap_block_bytes` says the system
//! allocator rounds them) checks that `StoreStats::approx_bytes`, the
//! figure the byte cap is measured in, is what the store really holds,
//! for streams whose decoded size is far above, and far below, their
//! lines' size. Its own test binary, so that no other test shares the
//! allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use mapi_shutdown_core::monitor::analysis::StreamState;
use mapi_shutdown_core::monitor::footprint::heap_block_bytes;
use mapi_shutdown_core::monitor::{SharedStore, StoreOptions};
use mapi_shutdown_core::trace::model::{
    FastShutdownBehavior, OfficeVersion, ProviderKind, RegistryData, Setting,
};
use mapi_shutdown_core::trace::test_records::hello;
use mapi_shutdown_core::trace::{
    CallEnter, CallExit, Caller, Interface, Method, PolicyRecord, PolicySource, ProviderDecl,
    Record,
};

struct Counting;

thread_local! {
    static HELD: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    let _ = HELD.try_with(|h| h.set(h.get() + delta));
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counting touches only a thread-local integer.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(heap_block_bytes(layout.size()) as isize);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(heap_block_bytes(layout.size()) as isize));
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(heap_block_bytes(new_size) as isize - heap_block_bytes(layout.size()) as isize);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn held() -> isize {
    HELD.with(Cell::get)
}

fn calls(first: u64, n: u64, step: u64) -> Vec<Record> {
    let mut out = Vec::new();
    for i in 0..n {
        let call = first + i * step;
        out.push(Record::Enter(CallEnter {
            t_ns: call,
            call,
            parent: None,
            caller: Caller::Subsystem,
            interface: Interface::ProviderShutdown,
            method: Method::DoFastShutdown,
            session: Some(1),
            provider: Some(1),
        }));
        out.push(Record::Exit(CallExit {
            t_ns: call + 1,
            call,
            hresult: mapi_shutdown_core::hresult::HRESULT::S_OK,
        }));
    }
    out
}

fn provider(i: u32, name_len: usize) -> Record {
    Record::Provider(ProviderDecl {
        t_ns: 0,
        session: Some(1),
        provider: i,
        name: "x".repeat(name_len),
        kind: ProviderKind::Transport,
        dll: "emsmdb32.dll".into(),
        implements_shutdown: true,
    })
}

fn multi_sz_policy(n: usize) -> Record {
    Record::Policy(PolicyRecord {
        t_ns: 1,
        office_version: OfficeVersion::V16,
        source: PolicySource::Default,
        setting: Setting::Invalid {
            raw: RegistryData::MultiString(vec![String::new(); n]),
            reason: "not a REG_DWORD".into(),
        },
        effective: FastShutdownBehavior::OptOut,
    })
}

/// Stores copies of `streams` and returns what the allocator says the
/// store took and what the store says it holds. The copies are made
/// while counting: what the store keeps of them (their strings) counts,
/// and what it frees (the vectors that carried them) is taken back.
fn measure(streams: &[Vec<Record>]) -> (usize, usize) {
    let shared = SharedStore::new(StoreOptions::default());
    let before = held();
    for records in streams {
        shared
            .lock()
            .add_stream(records.clone(), None, StreamState::Closed);
    }
    let real = held() - before;
    let counted = shared.lock().stats().approx_bytes;
    (real.max(0) as usize, counted)
}

#[test]
fn the_byte_count_is_what_the_allocator_handed_out() {
    let cases: Vec<(&str, Vec<Vec<Record>>)> = vec![
        (
            "2,000 streams of a hello alone",
            (0..2_000).map(|pid| vec![hello(pid)]).collect(),
        ),
        (
            "20 streams of a policy with 10,000 empty REG_MULTI_SZ strings",
            (0..20)
                .map(|pid| vec![hello(pid), multi_sz_policy(10_000)])
                .collect(),
        ),
        (
            "10 streams of 500 providers with 1,000-byte names",
            (0..10)
                .map(|pid| {
                    let mut s = vec![hello(pid)];
                    s.extend((1..=500).map(|i| provider(i, 1_000)));
                    s
                })
                .collect(),
        ),
        (
            "4 streams of 50,000 calls, dense ids",
            (0..4)
                .map(|pid| {
                    let mut s = vec![hello(pid)];
                    s.extend(calls(1, 50_000, 1));
                    s
                })
                .collect(),
        ),
        (
            "4 streams of 50,000 calls, sparse ids (a call index)",
            (0..4)
                .map(|pid| {
                    let mut s = vec![hello(pid)];
                    s.extend(calls(1_000, 50_000, 7));
                    s
                })
                .collect(),
        ),
        (
            "1,000 streams of 5 exits of calls that never started (anomalies)",
            (0..1_000)
                .map(|pid| {
                    let mut s = vec![hello(pid)];
                    s.extend(
                        calls(1, 5, 1)
                            .into_iter()
                            .filter(|r| matches!(r, Record::Exit(_))),
                    );
                    s
                })
                .collect(),
        ),
    ];
    let mut report = Vec::new();
    for (name, streams) in cases {
        let (real, counted) = measure(&streams);
        let ratio = counted as f64 / real as f64;
        report.push(format!(
            "{name}: allocated {real} bytes, counted {counted} ({ratio:.2})"
        ));
        assert!(
            (0.9..=1.1).contains(&ratio),
            "{name}: the store took {real} bytes and counts {counted}\n{}",
            report.join("\n")
        );
    }
    println!("{}", report.join("\n"));
}
