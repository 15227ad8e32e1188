//! Timeline tests: view geometry (time to pixels, zoom around the cursor,
//! pan, fit), culling and merging decisions, and lane building from
//! hand-made records and the v1 fixture.

use super::*;
use crate::trace::{CallEnter, CallExit, Hello, ProviderDecl, Record};

const PLOT: Rangef = Rangef {
    min: 100.0,
    max: 1100.0,
};

fn view(start: f64, end: f64) -> TimelineView {
    TimelineView {
        start_ns: start,
        end_ns: end,
        follow_live: false,
    }
}

fn close(a: f64, b: f64, eps: f64) -> bool {
    (a - b).abs() <= eps
}

#[test]
fn time_maps_to_pixels_and_back() {
    let v = view(0.0, 1_000_000.0); // 1 ms over 1000 px: 1 µs per px
    assert_eq!(v.time_to_x(0.0, PLOT), 100.0);
    assert_eq!(v.time_to_x(1_000_000.0, PLOT), 1100.0);
    assert_eq!(v.time_to_x(250_000.0, PLOT), 350.0);
    assert!(close(v.x_to_time(350.0, PLOT), 250_000.0, 1e-6));
    assert!(close(v.ns_per_px(PLOT), 1000.0, 1e-9));
    for x in [100.0, 123.5, 777.0, 1100.0] {
        assert!(close(
            v.time_to_x(v.x_to_time(x, PLOT), PLOT) as f64,
            x as f64,
            1e-3
        ));
    }
}

#[test]
fn zoom_keeps_the_time_under_the_cursor() {
    let mut v = view(0.0, 1_000_000.0);
    let x = 350.0;
    let before = v.x_to_time(x, PLOT);
    v.zoom_around(x, 4.0, PLOT);
    assert!(close(v.duration_ns(), 250_000.0, 1e-6));
    assert!(close(v.x_to_time(x, PLOT), before, 1e-6));
    v.zoom_around(x, 0.5, PLOT);
    assert!(close(v.duration_ns(), 500_000.0, 1e-6));
    assert!(close(v.x_to_time(x, PLOT), before, 1e-6));
    // Nonsense factors change nothing.
    let same = v.clone();
    v.zoom_around(x, 0.0, PLOT);
    v.zoom_around(x, f32::NAN, PLOT);
    assert_eq!(v, same);
}

#[test]
fn zoom_stops_at_ten_nanoseconds() {
    let mut v = view(0.0, 1000.0);
    v.zoom_around(600.0, 1e6, PLOT);
    assert!(close(v.duration_ns(), MIN_VIEW_NS, 1e-9));
}

#[test]
fn pan_moves_content_with_the_pointer() {
    let mut v = view(0.0, 1_000_000.0);
    v.pan_px(100.0, PLOT); // drag right by 100 px: earlier times come in
    assert!(close(v.start_ns, -100_000.0, 1e-6));
    assert!(close(v.end_ns, 900_000.0, 1e-6));
    // The time that was at x = 200 is now at x = 300.
    assert_eq!(v.time_to_x(100_000.0, PLOT), 300.0);
}

#[test]
fn fit_adds_a_margin_and_handles_empty_ranges() {
    let mut v = TimelineView::default();
    v.fit((0, 1_000_000));
    assert!(close(v.start_ns, -20_000.0, 1e-6));
    assert!(close(v.end_ns, 1_020_000.0, 1e-6));
    v.fit((5000, 5000));
    assert!(close(v.start_ns, 4500.0, 1e-9));
    assert!(close(v.end_ns, 5500.0, 1e-9));
}

#[test]
fn the_view_round_trips_through_serde_with_defaults() {
    let v = view(1.0, 2.0);
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(serde_json::from_str::<TimelineView>(&json).unwrap(), v);
    let partial: TimelineView = serde_json::from_str(r#"{"follow_live":false}"#).unwrap();
    assert_eq!(partial.end_ns, TimelineView::default().end_ns);
}

#[test]
fn ruler_steps_are_one_two_five() {
    assert_eq!(nice_step(0.7), 1.0);
    assert_eq!(nice_step(130.0), 200.0);
    assert_eq!(nice_step(300.0), 500.0);
    assert_eq!(nice_step(600.0), 1000.0);
    assert_eq!(nice_step(1_500_000.0), 2_000_000.0);
    assert_eq!(tick_label(400.0, 200.0), "400 ns");
    assert_eq!(tick_label(40_000.0, 20_000.0), "40 µs");
    assert_eq!(tick_label(3_000_000.0, 1_000_000.0), "3 ms");
    assert_eq!(tick_label(-2e9, 1e9), "-2 s");
    assert_eq!(tick_label(-0.0, 1e9), "0 s");
    assert_eq!(format_time(-1500), "-1.5 µs");
}

fn lane_of(spans: &[(i64, i64, bool)]) -> Lane {
    let mut lane = Lane::new(LaneKind::Client, "t".into(), String::new(), 0);
    for (i, &(a, b, failed)) in spans.iter().enumerate() {
        lane.spans.push(Span {
            start_ns: a,
            end_ns: b,
            key: i as u64 + 1,
            method: Method::QueryFastShutdown,
            hresult: Some(if failed {
                HRESULT::MAPI_E_NO_SUPPORT
            } else {
                HRESULT::S_OK
            }),
            open: false,
            caller: Caller::Client,
            interface: Interface::ClientShutdown,
        });
    }
    lane.finish();
    lane
}

fn keys<'a>(it: impl Iterator<Item = (usize, &'a Span)>) -> Vec<u64> {
    it.map(|(_, s)| s.key).collect()
}

#[test]
fn visible_spans_are_found_by_binary_search_even_when_they_overlap() {
    // A long span covering short ones, then a later one.
    let lane = lane_of(&[
        (0, 100, false),
        (10, 20, false),
        (30, 40, false),
        (200, 300, false),
    ]);
    assert_eq!(keys(lane.visible(50, 60)), vec![1]);
    assert_eq!(keys(lane.visible(35, 35)), vec![1, 3]);
    assert_eq!(keys(lane.visible(150, 250)), vec![4]);
    assert_eq!(keys(lane.visible(301, 400)), Vec::<u64>::new());
    assert_eq!(keys(lane.visible(-50, -1)), Vec::<u64>::new());
    // The candidates never start before the first span that can reach t0.
    let later = lane_of(&[(0, 5, false), (10, 20, false), (30, 40, false)]);
    assert_eq!(later.candidates(25, 50), 2..3);
}

#[test]
fn visible_matches_a_linear_scan() {
    // Pseudo-random overlapping spans.
    let mut x = 12345u64;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut spans: Vec<(i64, i64, bool)> = (0..500)
        .map(|_| {
            let a = (next() % 10_000) as i64;
            (a, a + (next() % 700) as i64, false)
        })
        .collect();
    spans.sort();
    let lane = lane_of(&spans);
    for _ in 0..200 {
        let t0 = (next() % 11_000) as i64 - 500;
        let t1 = t0 + (next() % 900) as i64;
        let fast = keys(lane.visible(t0, t1));
        let slow: Vec<u64> = lane
            .spans
            .iter()
            .filter(|s| s.end_ns >= t0 && s.start_ns <= t1)
            .map(|s| s.key)
            .collect();
        assert_eq!(fast, slow, "[{t0}, {t1}]");
    }
}

#[test]
fn spans_under_a_pixel_merge_into_one_mark_per_column() {
    // 1 µs per px; ten 100 ns spans in the first 1000 ns (one column),
    // one failed; then a wide span.
    let mut spans: Vec<(i64, i64, bool)> =
        (0..10).map(|i| (i * 100, i * 100 + 50, i == 3)).collect();
    spans.push((50_000, 150_000, false));
    let lane = lane_of(&spans);
    let v = view(0.0, 1_000_000.0);
    let marks = layout_lane(&lane, &v, PLOT);
    assert_eq!(marks.len(), 2, "{marks:?}");
    match &marks[0] {
        LaneMark::Merged {
            x0,
            x1,
            count,
            failed,
        } => {
            assert_eq!((*x0, *x1), (100.0, 101.0));
            assert_eq!(*count, 10);
            assert!(*failed);
        }
        m => panic!("{m:?}"),
    }
    match &marks[1] {
        LaneMark::Span {
            index,
            x0,
            x1,
            label,
        } => {
            assert_eq!(*index, 10);
            assert_eq!((*x0, *x1), (150.0, 250.0));
            assert!(*label);
        }
        m => panic!("{m:?}"),
    }
}

#[test]
fn adjacent_columns_merge_into_one_run_and_narrow_spans_get_no_label() {
    // 1 µs per px: spans of 200 ns every 1 µs for 50 µs (columns 0..50),
    // then a 10 px span (too narrow for a label).
    let mut spans: Vec<(i64, i64, bool)> =
        (0..50).map(|i| (i * 1000, i * 1000 + 200, false)).collect();
    spans.push((100_000, 110_000, false));
    let lane = lane_of(&spans);
    let marks = layout_lane(&lane, &view(0.0, 1_000_000.0), PLOT);
    assert_eq!(
        marks[0],
        LaneMark::Merged {
            x0: 100.0,
            x1: 150.0,
            count: 50,
            failed: false
        }
    );
    assert!(matches!(marks[1], LaneMark::Span { label: false, .. }));
}

#[test]
fn off_screen_spans_are_not_drawn() {
    let lane = lane_of(&[
        (0, 10_000, false),
        (500_000, 600_000, false),
        (2_000_000, 3_000_000, false),
    ]);
    let marks = layout_lane(&lane, &view(400_000.0, 1_400_000.0), PLOT);
    assert_eq!(marks.len(), 1);
    assert!(matches!(marks[0], LaneMark::Span { index: 1, .. }));
    // A span wider than the view is clamped to the plot.
    let marks = layout_lane(&lane, &view(2_100_000.0, 2_200_000.0), PLOT);
    assert_eq!(
        marks,
        vec![LaneMark::Span {
            index: 2,
            x0: 98.0,
            x1: 1102.0,
            label: true
        }]
    );
}

#[test]
fn a_lane_of_tiny_spans_is_drawn_column_by_column() {
    // 100 000 spans of 10 ns, one every 100 ns, 10 ms: 10 µs per px.
    let spans: Vec<(i64, i64, bool)> = (0..100_000)
        .map(|i| (i * 100, i * 100 + 10, i == 5_000))
        .collect();
    let lane = lane_of(&spans);
    let marks = layout_lane(&lane, &view(0.0, 10_000_000.0), PLOT);
    let total: usize = marks
        .iter()
        .map(|m| match m {
            LaneMark::Merged { count, .. } => *count,
            LaneMark::Span { .. } => 1,
        })
        .sum();
    assert_eq!(total, 100_000);
    // The failure at 500 µs shows as its own red column.
    assert!(marks.iter().any(|m| matches!(
        m,
        LaneMark::Merged { x0, failed: true, .. } if (*x0 - 150.0).abs() < 1.5
    )));
    assert!(marks.len() <= 3, "{}", marks.len());
}

#[test]
fn wide_spans_among_tiny_ones_are_kept_and_every_span_is_counted() {
    // 2 µs per px: 50 ns spans every 100 ns, and every 1000th one 50 µs long.
    let spans: Vec<(i64, i64, bool)> = (0..20_000)
        .map(|i| {
            let len = if i % 1000 == 500 { 50_000 } else { 50 };
            (i * 100, i * 100 + len, i == 7_777)
        })
        .collect();
    let lane = lane_of(&spans);
    let v = view(0.0, 2_000_000.0);
    let marks = layout_lane(&lane, &v, PLOT);
    let wide: Vec<usize> = marks
        .iter()
        .filter_map(|m| match m {
            LaneMark::Span { index, .. } => Some(*index),
            LaneMark::Merged { .. } => None,
        })
        .collect();
    assert_eq!(wide, (0..20).map(|k| k * 1000 + 500).collect::<Vec<_>>());
    let merged: usize = marks
        .iter()
        .map(|m| match m {
            LaneMark::Merged { count, .. } => *count,
            LaneMark::Span { .. } => 0,
        })
        .sum();
    assert_eq!(merged + wide.len(), 20_000);
    // The one failure (777.7 µs) is a red mark at x = 100 + 388.
    assert!(marks.iter().any(|m| matches!(
        m,
        LaneMark::Merged { x0, x1, failed: true, .. } if *x0 <= 488.0 && *x1 >= 489.0
    )));
}

fn enter(t: u64, call: u64, parent: Option<u64>, method: Method, provider: Option<u32>) -> Record {
    Record::Enter(CallEnter {
        t_ns: t,
        call,
        parent,
        caller: if provider.is_some() {
            Caller::Subsystem
        } else {
            Caller::Client
        },
        interface: if provider.is_some() {
            Interface::ProviderShutdown
        } else {
            Interface::ClientShutdown
        },
        method,
        session: Some(1),
        provider,
    })
}

fn exit(t: u64, call: u64, hresult: HRESULT) -> Record {
    Record::Exit(CallExit {
        t_ns: t,
        call,
        hresult,
    })
}

fn provider(id: u32, name: &str, kind: ProviderKind, implements: bool) -> Record {
    Record::Provider(ProviderDecl {
        t_ns: 10,
        session: Some(1),
        provider: id,
        name: name.into(),
        kind,
        dll: format!("{}32.dll", name.to_lowercase()),
        implements_shutdown: implements,
    })
}

/// A store (declared first) and a transport; the query fails in the store;
/// the client goes on with DoFastShutdown, and the store never returns.
fn hand_made() -> ProcessTrace {
    ProcessTrace::from_records(&[
        Record::Hello(Hello {
            host: None,
            protocol: 1,
            pid: 7,
            exe: "CLIENT.EXE".into(),
            office_version: crate::policy::OfficeVersion::V16,
            subsystem: "olmapi32.dll".into(),
            started_at: "2026-11-20T09:30:00.000Z".into(),
            capture: None,
        }),
        provider(1, "Store", ProviderKind::MessageStore, true),
        provider(2, "Wire", ProviderKind::Transport, true),
        provider(3, "Book", ProviderKind::AddressBook, false),
        enter(1000, 1, None, Method::QueryFastShutdown, None),
        enter(1100, 2, Some(1), Method::QueryFastShutdown, Some(2)),
        exit(1200, 2, HRESULT::S_OK),
        enter(1300, 3, Some(1), Method::QueryFastShutdown, Some(1)),
        exit(1400, 3, HRESULT::MAPI_E_NO_SUPPORT),
        exit(1500, 1, HRESULT::MAPI_E_NO_SUPPORT),
        enter(2000, 4, None, Method::DoFastShutdown, None),
        enter(2100, 5, Some(4), Method::DoFastShutdown, Some(2)),
        exit(2200, 5, HRESULT::S_OK),
        enter(2300, 6, Some(4), Method::DoFastShutdown, Some(1)),
        Record::Dropped(crate::trace::Dropped {
            t_ns: 9000,
            count: 0,
        }),
    ])
}

#[test]
fn lanes_are_client_subsystem_then_providers_by_kind() {
    crate::i18n::set_thread_lang(Some(crate::i18n::Lang::En));
    let data = TimelineData::from_trace(&hand_made());
    let titles: Vec<&str> = data.lanes.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles, ["Client", "Subsystem", "Wire", "Book", "Store"]);
    assert_eq!(data.lanes[0].detail, "CLIENT.EXE (pid 7)");
    assert_eq!(data.lanes[1].detail, "olmapi32.dll");
    assert_eq!(data.lanes[2].detail, "transport · wire32.dll");
    assert_eq!(
        data.lanes[3].detail,
        "address book · book32.dll · no IMAPIProviderShutdown"
    );
    assert!(data.lanes[3].spans().is_empty());
    assert_eq!(data.call_count(), 6);
    assert_eq!(data.sessions[0].origin_ns, 1000);
    assert_eq!(data.time_range(), (0, 8000));
    assert_eq!(data.summary(), "Timeline: 5 lanes, 6 calls, 8.0 µs");
}

#[test]
fn spans_carry_times_results_and_open_state() {
    let data = TimelineData::from_trace(&hand_made());
    let client = data.lanes[0].spans();
    assert_eq!(client.len(), 2);
    assert_eq!((client[0].start_ns, client[0].end_ns), (0, 500));
    assert!(client[0].failed());
    assert_eq!(client[0].call(), 1);
    // DoFastShutdown never returned: open, up to the last timestamp.
    assert!(client[1].open);
    assert_eq!(client[1].end_ns, 8000);
    assert_eq!(client[1].hresult, None);
    let store = data.lanes[4].spans();
    assert_eq!(store.len(), 2);
    assert!(store[0].failed());
    assert!(store[1].open);
    assert_eq!((store[1].start_ns, store[1].end_ns), (1300, 8000));
}

#[test]
fn the_subsystem_lane_shows_each_dispatch() {
    let data = TimelineData::from_trace(&hand_made());
    let sub = data.lanes[1].spans();
    assert_eq!(sub.len(), 2);
    // Query: first provider call at 1100 to last return at 1400.
    assert_eq!((sub[0].start_ns, sub[0].end_ns), (100, 400));
    assert_eq!(sub[0].hresult, Some(HRESULT::MAPI_E_NO_SUPPORT));
    assert_eq!(sub[0].key, 1);
    // Do: a provider call still open, so the dispatch is open.
    assert!(sub[1].open);
    assert_eq!((sub[1].start_ns, sub[1].end_ns), (1100, 8000));
    // Key 1 is drawn on the client and subsystem lanes.
    let lanes: Vec<usize> = data.find(1).map(|(l, _)| l).collect();
    assert_eq!(lanes, [0, 1]);
    assert_eq!(data.find(3).map(|(l, _)| l).collect::<Vec<_>>(), [4]);
    assert_eq!(data.find(99).count(), 0);
}

#[test]
fn stacked_sessions_align_on_their_own_shutdown_and_keep_keys_apart() {
    crate::i18n::set_thread_lang(Some(crate::i18n::Lang::En));
    let a = hand_made();
    let b = fixture();
    let data = TimelineData::stacked(&[("A".into(), &a), ("B".into(), &b)]);
    assert_eq!(data.sessions.len(), 2);
    assert_eq!(data.sessions[1].origin_ns, 1_000_000);
    assert_eq!(data.sessions[1].lanes, 5..11);
    let first_b = &data.lanes[5].spans()[0];
    assert_eq!(first_b.start_ns, 0);
    assert_eq!(split_key(first_b.key), (1, 1));
    assert_ne!(first_b.key, data.lanes[0].spans()[0].key);
    assert_eq!(data.find(span_key(1, 12)).count(), 1);
    assert!(
        data.summary()
            .starts_with("Timeline: 2 sessions, 11 lanes, 18 calls")
    );
}

fn fixture() -> ProcessTrace {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/trace-v1.jsonl");
    let file = std::fs::File::open(path).unwrap();
    let records = crate::trace::codec::read_all(std::io::BufReader::new(file)).unwrap();
    ProcessTrace::from_records(&records)
}

#[test]
fn the_v1_fixture_gives_six_lanes_in_documented_order() {
    crate::i18n::set_thread_lang(Some(crate::i18n::Lang::En));
    let data = TimelineData::from_trace(&fixture());
    let titles: Vec<&str> = data.lanes.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Client",
            "Subsystem",
            "Microsoft Exchange Transport",
            "Outlook Address Book",
            "Microsoft Exchange Message Store",
            "Contoso Archive"
        ]
    );
    assert_eq!(data.call_count(), 12);
    assert_eq!(data.lanes[0].spans().len(), 3);
    assert_eq!(data.lanes[1].spans().len(), 3);
    // The slow store DoFastShutdown: 42 ms.
    let store = data.lanes[4].spans();
    assert_eq!(store[2].duration_ns(), 42_000_000);
}

#[test]
fn every_timeline_glyph_is_in_the_bundled_fonts() {
    let ctx = egui::Context::default();
    let mut out = ctx.run_ui(Default::default(), |_ui| {});
    out.textures_delta.clear();
    let text = format!(
        "{}{}{}µ·?",
        Tone::Error.icon(),
        crate::tr_lang!(crate::i18n::Lang::En, "live-timeline-help"),
        crate::tr_lang!(crate::i18n::Lang::Fr, "live-timeline-help")
    );
    for ch in text.chars().filter(|c| !c.is_whitespace()) {
        let s = ch.to_string();
        let has = ctx.fonts_mut(|f| f.has_glyphs(&FontId::proportional(12.0), &s));
        assert!(has, "{ch} (U+{:04X})", ch as u32);
    }
}

#[test]
fn show_paints_and_labels_the_widget() {
    crate::i18n::set_thread_lang(Some(crate::i18n::Lang::En));
    let ctx = egui::Context::default();
    ctx.enable_accesskit();
    let data = TimelineData::from_trace(&fixture());
    let mut v = TimelineView::default();
    let mut sel = BTreeSet::new();
    let input = egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(1280.0, 800.0))),
        ..Default::default()
    };
    let mut out = ctx.run_ui(input, |ui| {
        let r = show(ui, &data, &mut v, &mut sel);
        assert_eq!(r.hovered, None);
    });
    out.textures_delta.clear();
    // follow_live fitted the view to the data.
    assert!(v.start_ns < 0.0 && v.end_ns > 44_000_000.0);
    let update = out.platform_output.accesskit_update.expect("accesskit");
    let labels: Vec<String> = update
        .nodes
        .iter()
        .filter_map(|(_, n)| n.label().map(str::to_string))
        .collect();
    assert!(
        labels
            .iter()
            .any(|l| l == "Timeline: 6 lanes, 12 calls, 44.01 ms"),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l
            .starts_with("DoFastShutdown, Microsoft Exchange Message Store, 0x00000000 (S_OK)")),
        "{labels:?}"
    );
}

#[test]
fn the_galloping_search_agrees_with_a_binary_search() {
    let spans: Vec<(i64, i64, bool)> = (0..1000)
        .map(|i| (i * 10 / 3, i * 10 / 3 + 1, false))
        .collect();
    let lane = lane_of(&spans);
    for from in [0usize, 1, 17, 500, 999, 1000, 2000] {
        for t in [-5i64, 0, 1, 3, 400, 1666, 3329, 3330, 5000] {
            let expect = lane
                .spans
                .partition_point(|s| s.start_ns < t)
                .max(from.min(1000));
            assert_eq!(lane.first_start_at(from, t), expect, "from {from}, t {t}");
        }
    }
}

#[test]
fn lane_titles_and_the_summary_speak_the_language_in_force() {
    use crate::i18n::{Lang, set_thread_lang};
    set_thread_lang(Some(Lang::Fr));
    let data = TimelineData::from_trace(&hand_made());
    let titles: Vec<&str> = data.lanes.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles[..2], ["Client", "Sous-système"]);
    assert_eq!(data.lanes[2].detail, "transport · wire32.dll");
    assert_eq!(
        data.summary(),
        "Chronologie\u{a0}: 5 pistes, 6 appels, 8,0 µs"
    );
    assert!(help().starts_with("Commandes de la chronologie"));
    set_thread_lang(Some(Lang::ZhCn));
    let data = TimelineData::from_trace(&hand_made());
    assert_eq!(data.lanes[0].title, "客户端");
    assert_eq!(data.lanes[2].detail, "传输 · wire32.dll");
    assert_eq!(data.summary(), "时间线：5 个通道，6 个调用，8.0 µs");
    set_thread_lang(None);
}
