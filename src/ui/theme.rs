//! The look of the application in one place: the light/dark choice (the
//! system's by default), spacing, and the colours that carry meaning
//! ([`Tone`]). Panels ask for a tone's colour and draw badges and cards
//! through the helpers here; no panel hard-codes a colour. Every coloured
//! mark also carries an icon and a word, so nothing relies on colour alone.

use egui::{Color32, CornerRadius, Frame, Margin, Response, RichText, Stroke, Ui, Visuals};
use serde::{Deserialize, Serialize};

/// Light, dark, or whatever the OS says (the default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the operating system's setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ThemeChoice {
    /// Every choice, in menu order.
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// The menu label.
    pub fn label(self) -> String {
        match self {
            ThemeChoice::System => crate::tr!("app-theme-system"),
            ThemeChoice::Light => crate::tr!("app-theme-light"),
            ThemeChoice::Dark => crate::tr!("app-theme-dark"),
        }
    }

    fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// What a coloured mark means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Fine: a valid setting, a successful write, a fast shutdown.
    Good,
    /// Worth a look: not configured, a slow path, pending changes.
    Warning,
    /// Wrong: invalid data, a failed write, a data-loss risk.
    Error,
    /// Neutral information.
    Info,
    /// Secondary text.
    Muted,
}

impl Tone {
    /// The icon drawn beside the colour (so colour is never the only cue).
    pub fn icon(self) -> &'static str {
        match self {
            Tone::Good => "✔",
            Tone::Warning => "⚠",
            Tone::Error => "✖",
            Tone::Info => "ℹ",
            Tone::Muted => "•",
        }
    }

    /// The tone's colour in these visuals (darker shades on light
    /// backgrounds, lighter ones on dark, for contrast).
    pub fn color(self, visuals: &Visuals) -> Color32 {
        let dark = visuals.dark_mode;
        match (self, dark) {
            (Tone::Good, false) => Color32::from_rgb(0x1b, 0x7f, 0x3b),
            (Tone::Good, true) => Color32::from_rgb(0x6c, 0xd0, 0x8a),
            (Tone::Warning, false) => Color32::from_rgb(0x9a, 0x5b, 0x00),
            (Tone::Warning, true) => Color32::from_rgb(0xf0, 0xb4, 0x4c),
            (Tone::Error, false) => Color32::from_rgb(0xb3, 0x26, 0x1e),
            (Tone::Error, true) => Color32::from_rgb(0xff, 0x7b, 0x72),
            (Tone::Info, false) => Color32::from_rgb(0x1f, 0x5f, 0xb0),
            (Tone::Info, true) => Color32::from_rgb(0x7a, 0xb7, 0xff),
            (Tone::Muted, _) => visuals.weak_text_color(),
        }
    }

    /// A faint fill of the tone, for banners.
    pub fn fill(self, visuals: &Visuals) -> Color32 {
        let c = self.color(visuals);
        let alpha = if visuals.dark_mode { 40 } else { 28 };
        Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha)
    }
}

/// Icons used on buttons (all in egui's bundled fonts; a test checks).
pub mod icon {
    /// Read again.
    pub const RELOAD: &str = "⟳";
    /// Undo.
    pub const UNDO: &str = "↺";
    /// Open / import a file.
    pub const OPEN: &str = "📂";
    /// Save / export a file.
    pub const SAVE: &str = "💾";
    /// Close / dismiss.
    pub const CLOSE: &str = "🗙";
    /// "becomes", in a diff (the text font has no U+2192).
    pub const ARROW: &str = "➡";
    /// Start recording.
    pub const RECORD: &str = "⏺";
    /// Stop recording.
    pub const STOP: &str = "⏹";
    /// Pause a live view.
    pub const PAUSE: &str = "⏸";
    /// Resume a live view; run.
    pub const PLAY: &str = "▶";
    /// Sorted ascending.
    pub const SORT_UP: &str = "⏶";
    /// Sorted descending.
    pub const SORT_DOWN: &str = "⏷";
    /// The language menu.
    pub const LANGUAGE: &str = "🌐";
}

/// Space between sections, in points.
pub const SECTION_GAP: f32 = 12.0;
/// Inner margin of a card, in points.
pub const CARD_MARGIN: i8 = 12;
/// Width of the explanatory text column, in points.
pub const TEXT_WIDTH: f32 = 720.0;

/// Set the theme choice and the spacing of both light and dark styles.
pub fn install(ctx: &egui::Context, choice: ThemeChoice) {
    ctx.options_mut(|o| o.theme_preference = choice.preference());
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        style.spacing.interact_size.y = 22.0;
    });
}

/// Switch between system, light and dark at run time.
pub fn set_choice(ctx: &egui::Context, choice: ThemeChoice) {
    ctx.options_mut(|o| o.theme_preference = choice.preference());
}

/// A card: a framed group with a title row.
pub fn card<R>(ui: &mut Ui, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    Frame::group(ui.style())
        .inner_margin(Margin::same(CARD_MARGIN))
        .corner_radius(CornerRadius::same(6))
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add_contents(ui)
        })
        .inner
}

/// A banner: a full-width frame tinted with `tone`, its icon first.
pub fn banner<R>(ui: &mut Ui, tone: Tone, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    let visuals = ui.visuals().clone();
    Frame::new()
        .inner_margin(Margin::same(10))
        .corner_radius(CornerRadius::same(6))
        .fill(tone.fill(&visuals))
        .stroke(Stroke::new(1.0, tone.color(&visuals)))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_top(|ui| {
                ui.label(
                    RichText::new(tone.icon())
                        .color(tone.color(&visuals))
                        .strong(),
                );
                ui.vertical(|ui| add_contents(ui)).inner
            })
            .inner
        })
        .inner
}

/// A small badge: the tone's icon and `text`, in the tone's colour.
pub fn badge(ui: &mut Ui, tone: Tone, text: &str) -> Response {
    let color = tone.color(ui.visuals());
    ui.label(RichText::new(format!("{} {text}", tone.icon())).color(color))
}

/// Secondary text.
pub fn muted(ui: &mut Ui, text: impl Into<String>) -> Response {
    let color = Tone::Muted.color(ui.visuals());
    ui.label(RichText::new(text.into()).color(color))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tones_differ_between_light_and_dark_and_keep_an_icon() {
        for tone in [Tone::Good, Tone::Warning, Tone::Error, Tone::Info] {
            assert_ne!(
                tone.color(&Visuals::light()),
                tone.color(&Visuals::dark()),
                "{tone:?}"
            );
            assert!(!tone.icon().is_empty());
        }
    }

    /// Regression: egui 0.37's default fonts dropped the emoji fonts, and
    /// every status icon rendered as an empty box.
    #[test]
    fn every_icon_is_in_the_bundled_fonts() {
        let ctx = egui::Context::default();
        let mut out = ctx.run_ui(Default::default(), |_ui| {});
        out.textures_delta.clear();
        let tones = [
            Tone::Good,
            Tone::Warning,
            Tone::Error,
            Tone::Info,
            Tone::Muted,
        ];
        let icons = tones.iter().map(|t| t.icon()).chain([
            icon::RELOAD,
            icon::UNDO,
            icon::OPEN,
            icon::SAVE,
            icon::CLOSE,
            icon::ARROW,
            icon::RECORD,
            icon::STOP,
            icon::PAUSE,
            icon::PLAY,
            icon::SORT_UP,
            icon::SORT_DOWN,
            icon::LANGUAGE,
        ]);
        for i in icons {
            let has = ctx.fonts_mut(|f| f.has_glyphs(&egui::FontId::proportional(14.0), i));
            assert!(
                has,
                "{i} (U+{:04X}) is not in the fonts",
                i.chars().next().unwrap() as u32
            );
        }
    }
}

/// The fill of a timeline span for `method` in these visuals: one hue per
/// method (none of them the error red, which marks failures), light fills
/// under dark text on light backgrounds, deep fills under light text on dark
/// ones. Never the only cue: the timeline writes the method name on the span
/// and in its hover.
pub fn method_color(method: crate::trace::Method, visuals: &Visuals) -> Color32 {
    use crate::trace::Method;
    let dark = visuals.dark_mode;
    match (method, dark) {
        (Method::QueryFastShutdown, false) => Color32::from_rgb(0xa8, 0xc8, 0xf0),
        (Method::QueryFastShutdown, true) => Color32::from_rgb(0x2c, 0x55, 0x8a),
        (Method::NotifyProcessShutdown, false) => Color32::from_rgb(0xcd, 0xb8, 0xf0),
        (Method::NotifyProcessShutdown, true) => Color32::from_rgb(0x5b, 0x43, 0x8c),
        (Method::DoFastShutdown, false) => Color32::from_rgb(0x9f, 0xdc, 0xcf),
        (Method::DoFastShutdown, true) => Color32::from_rgb(0x1f, 0x6b, 0x5e),
        (Method::MapiLogonEx, false) => Color32::from_rgb(0xe3, 0xd0, 0xb2),
        (Method::MapiLogonEx, true) => Color32::from_rgb(0x6e, 0x58, 0x3a),
        (Method::MapiUninitialize, false) => Color32::from_rgb(0xc8, 0xcd, 0xd4),
        (Method::MapiUninitialize, true) => Color32::from_rgb(0x4a, 0x52, 0x5e),
    }
}

/// The text colour to write on a [`method_color`] fill.
pub fn method_text_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(0xf2, 0xf4, 0xf8)
    } else {
        Color32::from_rgb(0x10, 0x14, 0x1c)
    }
}

#[cfg(test)]
mod method_color_tests {
    use super::*;
    use crate::trace::Method;

    #[test]
    fn every_method_has_its_own_colour_in_light_and_dark() {
        let methods = [
            Method::QueryFastShutdown,
            Method::NotifyProcessShutdown,
            Method::DoFastShutdown,
            Method::MapiLogonEx,
            Method::MapiUninitialize,
        ];
        for visuals in [Visuals::light(), Visuals::dark()] {
            let colours: std::collections::HashSet<Color32> =
                methods.iter().map(|m| method_color(*m, &visuals)).collect();
            assert_eq!(colours.len(), methods.len());
            assert!(!colours.contains(&Tone::Error.color(&visuals)));
        }
    }
}
