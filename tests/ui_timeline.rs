//! The timeline widget alone in an egui_kittest harness (no GPU) with the
//! v1 fixture trace: its accessible summary, its visible spans as list
//! items, clicking one selects it (Shift+click adds another, a click on
//! empty space clears), hovering one reports it, and the keyboard fits and
//! toggles follow-live.

#![cfg(feature = "gui")]

use std::collections::BTreeSet;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mapi_shutdown::monitor::analysis::ProcessTrace;
use mapi_shutdown::ui::timeline::{self, TimelineData, TimelineView};

struct State {
    data: TimelineData,
    view: TimelineView,
    selection: BTreeSet<u64>,
    hovered: Option<u64>,
}

fn fixture() -> ProcessTrace {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/trace-v1.jsonl");
    let file = std::fs::File::open(path).unwrap();
    let records = mapi_shutdown::trace::codec::read_all(std::io::BufReader::new(file)).unwrap();
    ProcessTrace::from_records(&records)
}

fn harness() -> Harness<'static, State> {
    let state = State {
        data: TimelineData::from_trace(&fixture()),
        view: TimelineView::default(),
        selection: BTreeSet::new(),
        hovered: None,
    };
    let mut h = Harness::builder()
        .with_size([1280.0, 400.0])
        .build_ui_state(
            |ui, s: &mut State| {
                let r = timeline::show(ui, &s.data, &mut s.view, &mut s.selection);
                s.hovered = r.hovered;
            },
            state,
        );
    h.run();
    h
}

const STORE_DO: &str = "DoFastShutdown, Microsoft Exchange Message Store, 0x00000000 (S_OK)";

#[test]
fn the_widget_has_a_summary_and_lists_its_visible_calls() {
    let h = harness();
    h.get_by_label("Timeline: 6 lanes, 12 calls, 44.01 ms");
    h.get_by_label("Timeline controls");
    // Fitted: the 42 ms store DoFastShutdown is wide enough to be listed.
    let items = h.get_all_by_role(Role::ListItem).count();
    assert!(items >= 1, "{items}");
    h.get_by_label_contains(STORE_DO);
}

#[test]
fn clicking_a_span_selects_it_and_shift_click_adds() {
    let mut h = harness();
    h.get_by_label_contains(STORE_DO).click();
    h.run();
    assert_eq!(h.state().selection, BTreeSet::from([12]));
    assert_eq!(h.state().hovered, Some(12));

    // The client's DoFastShutdown (call 9) shares the zoomed-out view.
    h.get_by_label_contains("DoFastShutdown, client, ")
        .click_modifiers(egui::Modifiers::SHIFT);
    h.run();
    assert_eq!(h.state().selection, BTreeSet::from([9, 12]));

    // A plain click on the same span again leaves only it.
    h.get_by_label_contains(STORE_DO).click();
    h.run();
    assert_eq!(h.state().selection, BTreeSet::from([12]));
}

#[test]
fn keys_zoom_fit_and_toggle_follow_live() {
    let mut h = harness();
    assert!(h.state().view.follow_live);
    let fitted = h.state().view.clone();
    // Hover the widget so it takes the keys.
    h.get_by_label_contains(STORE_DO).hover();
    h.run();
    h.key_press(egui::Key::Plus);
    h.run();
    assert!(!h.state().view.follow_live, "zooming stops following");
    assert!(h.state().view.duration_ns() < fitted.duration_ns());
    h.key_press(egui::Key::Home);
    h.run();
    assert_eq!(
        h.state().view,
        TimelineView {
            follow_live: false,
            ..fitted.clone()
        }
    );
    h.key_press(egui::Key::F);
    h.run();
    assert!(h.state().view.follow_live);
}

fn wheel(h: &mut Harness<'static, State>, delta: egui::Vec2, modifiers: egui::Modifiers) {
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers,
    });
    h.run();
}

#[test]
fn the_plain_wheel_is_left_to_the_panel_and_shift_wheel_pans() {
    let mut h = harness();
    h.get_by_label_contains(STORE_DO).hover();
    h.run();
    let fitted = h.state().view.clone();
    // Vertical: not the timeline's (the panel around it scrolls).
    wheel(&mut h, egui::vec2(0.0, -120.0), egui::Modifiers::NONE);
    assert_eq!(h.state().view, fitted);
    // Shift+wheel: egui turns it horizontal; the timeline pans.
    wheel(&mut h, egui::vec2(0.0, -120.0), egui::Modifiers::SHIFT);
    assert_ne!(h.state().view.start_ns, fitted.start_ns);
    // Same zoom (to rounding).
    let ratio = h.state().view.duration_ns() / fitted.duration_ns();
    assert!((ratio - 1.0).abs() < 1e-9, "{ratio}");
    assert!(!h.state().view.follow_live, "panning stops following");
}
