//! The capture agent's own cost per intercepted call, on the host's
//! thread: the recorder's `provider_enter` + `exit` pair (a map lookup of
//! the interface, a call id, the parent from the thread's open client
//! call, two records queued for the writer thread) with the writer
//! keeping up (records to a JSON Lines file in a temporary directory), and
//! a client call (`client_enter` + `exit`). The detour's own work on top
//! (reading the object's vtable and finding the original, a short lock
//! and a map lookup) is Windows-only and measured under Wine by hand
//! (docs/benchmarks.md). Goal: under 1 µs per call.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use mapi_capture_agent::recorder::{ProcessFacts, Recorder};
use mapi_trace::clock::MonotonicClock;
use mapi_trace::emitter::DEFAULT_CAPACITY;
use mapi_trace::hresult::HRESULT;
use mapi_trace::model::ProviderKind;
use mapi_trace::sink::FileSink;
use mapi_trace::{AttachMode, Emitter, Method};

fn recorder(dir: &std::path::Path) -> Recorder {
    let clock = Arc::new(MonotonicClock::new());
    let sink = FileSink::create(&dir.join("trace.jsonl")).expect("trace file");
    let emitter = Emitter::spawn(Box::new(sink), DEFAULT_CAPACITY, clock.clone()).expect("writer");
    let rec = Recorder::new(emitter, clock);
    rec.set_facts(
        ProcessFacts {
            pid: 1,
            exe: "OUTLOOK.EXE".into(),
            bits: 64,
            subsystem_path: r"C:\Office\olmapi32.dll".into(),
            subsystem_version: Some("16.0.1.1".into()),
            attach: AttachMode::Launch,
            host: Some("DESKTOP-BENCH".into()),
        },
        None,
    );
    rec.logon_begin();
    for (i, kind) in ProviderKind::ALL.into_iter().enumerate() {
        let object = 0x1000 * (i + 1);
        rec.provider_made(object, kind, "emsmdb32.dll");
        rec.provider_shutdown_seen(object, object + 8);
    }
    rec.logon_end(HRESULT::S_OK, 0x10, "Outlook");
    rec.client_shutdown_seen(0x10, 0x18);
    rec
}

fn per_call(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let rec = recorder(dir.path());
    let client = rec
        .client_enter(0x18, Method::QueryFastShutdown)
        .expect("a client call open for the provider calls to nest in");
    c.bench_function(
        "agent: one provider call (enter + exit) inside a client call",
        |b| {
            b.iter(|| {
                let call = rec
                    .provider_enter(black_box(0x2008), Method::QueryFastShutdown)
                    .expect("known provider");
                rec.exit(call, HRESULT::S_OK);
            })
        },
    );
    rec.exit(client, HRESULT::S_OK);
    c.bench_function("agent: one client call (enter + exit)", |b| {
        b.iter(|| {
            let call = rec
                .client_enter(black_box(0x18), Method::NotifyProcessShutdown)
                .expect("known session");
            rec.exit(call, HRESULT::S_OK);
        })
    });
    // Drain what was queued before the directory goes.
    rec.emitter().flush(std::time::Duration::from_secs(10));
}

criterion_group!(benches, per_call);
criterion_main!(benches);
