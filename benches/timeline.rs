//! Frame cost of the timeline widget with 1,000 / 100,000 / 1,000,000 calls
//! loaded (issue 6, "Scale"): each frame runs the widget in an
//! `egui::Context` at 1280x800 with the pointer over it (hover hit test and
//! tooltip) and tessellates the output, as eframe would before painting.
//! Views: everything fitted (follow-live), 1 % of the range, and a 100 µs
//! window. Also the resident memory of the loaded million calls (trace and
//! timeline data), from /proc/self/statm.
//!
//! `cargo bench --bench timeline` (figures in docs/benchmarks.md).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use mapi_shutdown::hresult::HRESULT;
use mapi_shutdown::mapi::ProviderKind;
use mapi_shutdown::monitor::analysis::ProcessTrace;
use mapi_shutdown::trace::{
    CallEnter, CallExit, Caller, Hello, Interface, Method, ProviderDecl, Record,
};
use mapi_shutdown::ui::timeline::{self, TimelineData, TimelineView};

/// Six providers (two per kind); each client call dispatches to all six,
/// so `calls` is about 7 × rounds. A client call every 10 µs, provider
/// calls of 1 µs; every 97th provider call fails; the last round is open.
fn synthetic(calls: usize) -> ProcessTrace {
    let mut t = ProcessTrace::new();
    t.push(Record::Hello(Hello {
        host: None,
        protocol: 1,
        pid: 4242,
        exe: "OUTLOOK.EXE".into(),
        office_version: mapi_shutdown::policy::OfficeVersion::V16,
        subsystem: "olmapi32.dll".into(),
        started_at: "2026-11-20T09:30:00.000Z".into(),
        capture: None,
    }));
    let providers = [
        (
            "Microsoft Exchange Transport",
            ProviderKind::Transport,
            "emsmdb32.dll",
        ),
        ("Internet E-mail", ProviderKind::Transport, "emsui32.dll"),
        (
            "Outlook Address Book",
            ProviderKind::AddressBook,
            "contab32.dll",
        ),
        (
            "Global Address List",
            ProviderKind::AddressBook,
            "emsabp32.dll",
        ),
        (
            "Microsoft Exchange Message Store",
            ProviderKind::MessageStore,
            "emsmdb32.dll",
        ),
        (
            "Personal Folders",
            ProviderKind::MessageStore,
            "mspst32.dll",
        ),
    ];
    for (i, (name, kind, dll)) in providers.iter().enumerate() {
        t.push(Record::Provider(ProviderDecl {
            t_ns: 100,
            session: Some(1),
            provider: i as u32 + 1,
            name: (*name).into(),
            kind: *kind,
            dll: (*dll).into(),
            implements_shutdown: true,
        }));
    }
    let methods = [
        Method::QueryFastShutdown,
        Method::NotifyProcessShutdown,
        Method::DoFastShutdown,
    ];
    let rounds = calls.div_ceil(7);
    let mut id = 0u64;
    let mut now = 1_000u64;
    for r in 0..rounds {
        let method = methods[r % 3];
        let last = r + 1 == rounds;
        id += 1;
        let parent = id;
        t.push(Record::Enter(CallEnter {
            t_ns: now,
            call: parent,
            parent: None,
            caller: Caller::Client,
            interface: Interface::ClientShutdown,
            method,
            session: Some(1),
            provider: None,
        }));
        for p in 0..6u32 {
            id += 1;
            now += 200;
            t.push(Record::Enter(CallEnter {
                t_ns: now,
                call: id,
                parent: Some(parent),
                caller: Caller::Subsystem,
                interface: Interface::ProviderShutdown,
                method,
                session: Some(1),
                provider: Some(p + 1),
            }));
            now += 1_000;
            if !last {
                let hresult = if id.is_multiple_of(97) {
                    HRESULT::MAPI_E_NO_SUPPORT
                } else {
                    HRESULT::S_OK
                };
                t.push(Record::Exit(CallExit {
                    t_ns: now,
                    call: id,
                    hresult,
                }));
            }
        }
        now += 200;
        if !last {
            t.push(Record::Exit(CallExit {
                t_ns: now,
                call: parent,
                hresult: HRESULT::S_OK,
            }));
        }
        now += 10_000 - 7 * 200 - 6 * 1_000;
    }
    t
}

/// Resident set size in bytes (Linux; 0 elsewhere).
fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn mb(b: u64) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

/// Mean and worst ms per frame (widget + tessellation) over `frames`.
fn frame_cost(data: &TimelineData, view: TimelineView, frames: usize) -> (f64, f64, usize) {
    let ctx = egui::Context::default();
    let mut view = view;
    let mut selection = BTreeSet::from([3u64, 10, 500]);
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
    let mut shapes = 0;
    let mut run = |measure: bool| -> Duration {
        let input = egui::RawInput {
            screen_rect: Some(screen),
            events: vec![egui::Event::PointerMoved(egui::pos2(700.0, 120.0))],
            ..Default::default()
        };
        let start = Instant::now();
        let mut out = ctx.run_ui(input, |ui| {
            timeline::show(ui, data, &mut view, &mut selection);
        });
        let prims = ctx.tessellate(std::mem::take(&mut out.shapes), out.pixels_per_point);
        let elapsed = start.elapsed();
        if measure {
            shapes = prims.len();
        }
        out.textures_delta.clear();
        elapsed
    };
    for _ in 0..3 {
        run(false);
    }
    let mut total = Duration::ZERO;
    let mut worst = Duration::ZERO;
    for _ in 0..frames {
        let d = run(true);
        total += d;
        worst = worst.max(d);
    }
    (
        total.as_secs_f64() * 1e3 / frames as f64,
        worst.as_secs_f64() * 1e3,
        shapes,
    )
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is ignored.
    println!("timeline frame cost at 1280x800 (widget + tessellation), pointer over the widget");
    println!(
        "{:>10}  {:<26} {:>9} {:>9} {:>8}",
        "calls", "view", "mean ms", "worst ms", "prims"
    );
    for &n in &[1_000usize, 100_000, 1_000_000] {
        let rss0 = rss_bytes();
        let trace = synthetic(n);
        let rss1 = rss_bytes();
        let built = Instant::now();
        let data = TimelineData::from_trace(&trace);
        let build_ms = built.elapsed().as_secs_f64() * 1e3;
        let rss2 = rss_bytes();
        let (a, b) = data.time_range();
        let mid = (a + b) as f64 / 2.0;
        let span = (b - a) as f64;
        let views = [
            ("fit all (follow live)", TimelineView::default()),
            (
                "1% of the range",
                TimelineView {
                    start_ns: mid,
                    end_ns: mid + span / 100.0,
                    follow_live: false,
                },
            ),
            (
                "100 µs window",
                TimelineView {
                    start_ns: mid,
                    end_ns: mid + 100_000.0,
                    follow_live: false,
                },
            ),
        ];
        let frames = if n >= 1_000_000 { 20 } else { 50 };
        for (name, view) in views {
            let (mean, worst, prims) = frame_cost(&data, view, frames);
            println!(
                "{:>10}  {:<26} {:>9.3} {:>9.3} {:>8}",
                data.call_count(),
                name,
                mean,
                worst,
                prims
            );
        }
        println!(
            "{:>10}  built in {build_ms:.1} ms; resident: trace +{:.1} MB, timeline data +{:.1} MB, process {:.1} MB",
            data.call_count(),
            mb(rss1.saturating_sub(rss0)),
            mb(rss2.saturating_sub(rss1)),
            mb(rss2)
        );
        drop(data);
        drop(trace);
    }
}
