//! The window's languages and its keyboard reach (issue 9): the language
//! menu switches every label at run time and is remembered, a remembered
//! language applies at start, and the Tab key reaches every control of
//! each panel.

mod ui_support;

use std::collections::BTreeSet;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use mapi_shutdown::i18n::{self, Lang};
use mapi_shutdown::ui::{App, UiState};
use ui_support::Fixture;

#[test]
fn the_language_menu_switches_the_labels_at_run_time_and_is_remembered() {
    let fx = Fixture::new();
    let mut h = fx.harness();
    assert!(h.query_by_label("Policy").is_some());

    h.get_by_label("🌐 English").click();
    h.run();
    h.get_by_label("Français").click();
    h.run();
    assert_eq!(i18n::current(), Lang::Fr);
    assert_eq!(h.state().state().lang, Some(Lang::Fr));
    for label in ["Stratégie", "Processus", "En direct", "Rapports", "Thème"] {
        assert!(
            h.query_by_label(label).is_some(),
            "{label} after switching to French"
        );
    }
    assert!(h.query_by_label("Policy").is_none());

    h.get_by_label("🌐 Français").click();
    h.run();
    h.get_by_label("简体中文").click();
    h.run();
    for label in ["策略", "进程", "实时", "报告", "主题"] {
        assert!(
            h.query_by_label(label).is_some(),
            "{label} after switching to Chinese"
        );
    }
    assert_eq!(h.state().state().lang, Some(Lang::ZhCn));

    // Back to following the system's language.
    h.get_by_label("🌐 简体中文").click();
    h.run();
    h.get_by_label_contains("系统语言").click();
    h.run();
    assert_eq!(h.state().state().lang, None);
    assert_eq!(i18n::current(), i18n::detect());
}

#[test]
fn a_remembered_language_applies_at_start() {
    let fx = Fixture::new();
    let h = fx.harness_with_state(UiState {
        lang: Some(Lang::Fr),
        ..UiState::default()
    });
    assert!(h.query_by_label("Stratégie").is_some());
    assert!(h.query_by_label("🌐 Français").is_some());
}

#[test]
fn tabs_switch_in_every_language() {
    let fx = Fixture::new();
    let mut h = fx.harness();
    for (lang, tab) in [
        (Lang::Fr, "Processus"),
        (Lang::ZhCn, "报告"),
        (Lang::En, "Live"),
    ] {
        i18n::set_thread_lang(Some(lang));
        h.run();
        // The top bar comes first in the tree (a panel may use the word too).
        h.get_all_by_label(tab).next().expect("the tab").click();
        h.run();
        assert!(h.query_all_by_label(tab).next().is_some(), "{tab}");
    }
    assert_eq!(h.state().state().tab, mapi_shutdown::ui::Tab::Live);
}

/// The labels of the controls the Tab key must reach.
fn controls(h: &Harness<'static, App>) -> BTreeSet<String> {
    let mut labels = BTreeSet::new();
    for role in [
        Role::Button,
        Role::CheckBox,
        Role::RadioButton,
        Role::ComboBox,
        Role::TextInput,
    ] {
        for node in h.query_all_by_role(role) {
            let label = node.accesskit_node().label().unwrap_or_default();
            if !label.is_empty() && !node.accesskit_node().is_disabled() {
                labels.insert(label);
            }
        }
    }
    labels
}

/// Presses Tab until focus comes back to where it started (or 400
/// times), and gives the labels of every control that had the focus.
fn tab_through(h: &mut Harness<'static, App>) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut first = None;
    for _ in 0..400 {
        h.key_press(egui::Key::Tab);
        h.run_steps(2);
        let focused = h
            .query_all_by(|n| n.is_focused())
            .next()
            .map(|n| n.accesskit_node().label().unwrap_or_default());
        let Some(label) = focused else { continue };
        if first.as_ref() == Some(&label) && reached.len() > 1 {
            break;
        }
        first.get_or_insert_with(|| label.clone());
        reached.insert(label);
    }
    reached
}

fn keyboard_reaches_every_control(tab: &str) {
    let fx = Fixture::new();
    fx.add_addin();
    let mut h = fx.harness();
    h.get_by_label(tab).click();
    h.run_steps(3);
    if tab == "Processes" {
        // A still list: the scan done, auto-refresh paused, a row selected.
        ui_support::wait_for_scan(&mut h);
        h.get_by_label("⏸ Pause auto-refresh").click();
        h.run_steps(2);
        h.get_by_label("OUTLOOK.EXE").click();
        h.run_steps(3);
    }
    let want = controls(&h);
    assert!(want.len() >= 8, "too few controls found on {tab}: {want:?}");
    let reached = tab_through(&mut h);
    eprintln!(
        "{tab}: {} controls, {} reached by Tab",
        want.len(),
        reached.len()
    );
    let missed: Vec<_> = want.difference(&reached).collect();
    assert!(
        missed.is_empty(),
        "the Tab key never reaches, on the {tab} panel: {missed:?}\nreached: {reached:?}"
    );
}

#[test]
fn the_keyboard_reaches_every_control_of_the_policy_panel() {
    keyboard_reaches_every_control("Policy");
}

#[test]
fn the_keyboard_reaches_every_control_of_the_live_panel() {
    keyboard_reaches_every_control("Live");
}

#[test]
fn the_keyboard_reaches_every_control_of_the_processes_panel() {
    keyboard_reaches_every_control("Processes");
}

#[test]
fn the_keyboard_reaches_every_control_of_the_reports_panel() {
    keyboard_reaches_every_control("Reports");
}
