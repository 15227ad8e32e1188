//! Localisation: the three languages the product speaks (English, French,
//! Simplified Chinese), their Fluent message catalogues (`assets/i18n/<lang>/
//! <area>.ftl`, compiled into the binary), the language in force, and the
//! [`tr!`](crate::tr) / [`tr_lang!`](crate::tr_lang) macros that turn a
//! message id and its arguments into text.
//!
//! Every user-facing string of the window and of the CLI's human output
//! comes from here; JSON output, registry and API names
//! (`FastShutdownBehavior`, `QueryFastShutdown`, `MAPI_E_NO_SUPPORT`) stay
//! as they are in every language. Plural forms and number formatting are
//! Fluent's (CLDR plural rules per language).
//!
//! # The language in force
//! [`current`] is the calling thread's language when one was set on it
//! ([`set_thread_lang`]), else the process's ([`set_lang`], default
//! [`detect`]ed from the OS at first use). The window sets both when the
//! user picks a language; a test pins its own thread so that tests running
//! side by side in one process do not see each other's switches; a worker
//! thread that renders text for the window (a report export) is handed the
//! language and calls [`tr_lang!`](crate::tr_lang).
//!
//! # Catalogue rules
//! `en` is the reference. The unit tests fail when `fr` or `zh-CN` lacks a
//! message `en` has, has one `en` lacks, uses other variables than `en`, or
//! when a message id of `en` appears nowhere in `src/` or `templates/` as a
//! string literal (see `docs/i18n.md`). The [`TRANSLATION_ONLY_AREAS`]
//! (`help`: the translated `--help`) exist in French and Chinese only;
//! the two have the same ids, and no variables.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

pub use fluent_bundle::{FluentArgs, FluentValue};

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;

/// A language of the user interface.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    /// English (the reference catalogue).
    #[default]
    #[serde(rename = "en")]
    En,
    /// French.
    #[serde(rename = "fr")]
    Fr,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    /// Every language, in menu order.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::ZhCn];

    /// The BCP 47 tag: `en`, `fr`, `zh-CN` (also the catalogue folder).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language of a locale name as the OS gives it (`fr-FR`,
    /// `fr_CA.UTF-8`, `zh-Hans-CN`, `zh_TW`, `en-US`, `C`), or `None` when
    /// it is none of ours. Every Chinese locale maps to Simplified Chinese
    /// (the only Chinese catalogue).
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let base = locale
            .split(['.', '@'])
            .next()
            .unwrap_or("")
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match base.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "zh" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    fn index(self) -> u8 {
        match self {
            Lang::En => 0,
            Lang::Fr => 1,
            Lang::ZhCn => 2,
        }
    }

    fn from_index(i: u8) -> Option<Lang> {
        Lang::ALL.get(usize::from(i)).copied()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a `--lang` value is not a language of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a supported language: use en, fr or zh-CN")]
pub struct ParseLangError(pub String);

impl FromStr for Lang {
    type Err = ParseLangError;

    /// Accepts the codes and any locale [`Lang::from_locale`] knows.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_locale(s.trim()).ok_or_else(|| ParseLangError(s.to_string()))
    }
}

/// The language of the OS user: the first of the user's preferred
/// languages that we have (Windows: the user's UI languages; elsewhere
/// `LC_ALL`, `LC_MESSAGES`, `LANG`, through `sys-locale`), else English.
pub fn detect() -> Lang {
    detect_from(sys_locale::get_locales())
}

/// [`detect`] over a given list of locale names, most preferred first.
pub fn detect_from(locales: impl IntoIterator<Item = impl AsRef<str>>) -> Lang {
    locales
        .into_iter()
        .find_map(|l| Lang::from_locale(l.as_ref()))
        .unwrap_or_default()
}

/// No language set for the process yet.
const UNSET: u8 = u8::MAX;
static PROCESS_LANG: AtomicU8 = AtomicU8::new(UNSET);

thread_local! {
    static THREAD_LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language in force on this thread (see the module docs).
pub fn current() -> Lang {
    if let Some(lang) = THREAD_LANG.with(Cell::get) {
        return lang;
    }
    match Lang::from_index(PROCESS_LANG.load(Ordering::Relaxed)) {
        Some(lang) => lang,
        None => {
            let lang = detect();
            // Another thread may have set one meanwhile: keep theirs.
            let _ = PROCESS_LANG.compare_exchange(
                UNSET,
                lang.index(),
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
            Lang::from_index(PROCESS_LANG.load(Ordering::Relaxed)).unwrap_or(lang)
        }
    }
}

/// Sets the process's language, and this thread's when it has one pinned.
pub fn set_lang(lang: Lang) {
    PROCESS_LANG.store(lang.index(), Ordering::Relaxed);
    THREAD_LANG.with(|t| {
        if t.get().is_some() {
            t.set(Some(lang));
        }
    });
}

static FORCED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets the process's language from the command line (`--lang`,
/// `MAPI_SHUTDOWN_LANG`): it then wins over the window's remembered
/// choice for this run ([`is_forced`]).
pub fn force_lang(lang: Lang) {
    FORCED.store(true, Ordering::Relaxed);
    set_lang(lang);
}

/// Whether the command line chose the language of this run.
pub fn is_forced() -> bool {
    FORCED.load(Ordering::Relaxed)
}

/// Pins this thread's language (tests; worker threads), `None` to follow
/// the process's again.
pub fn set_thread_lang(lang: Option<Lang>) {
    THREAD_LANG.with(|t| t.set(lang));
}

/// One catalogue file: its language, its area and its Fluent source.
pub struct Catalogue {
    /// The language.
    pub lang: Lang,
    /// The area (`app`, `policy`, …): the file stem.
    pub area: &'static str,
    /// The Fluent source text.
    pub source: &'static str,
}

macro_rules! catalogues {
    ($($area:literal),+ ; translations only: $($t_area:literal),+ $(,)?) => {
        /// Every catalogue file compiled into the binary, per language and
        /// area; the areas of [`TRANSLATION_ONLY_AREAS`] in French and
        /// Chinese only.
        pub static CATALOGUES: &[Catalogue] = &[
            $(
                Catalogue { lang: Lang::En, area: $area, source: include_str!(concat!("../../../../assets/i18n/en/", $area, ".ftl")) },
                Catalogue { lang: Lang::Fr, area: $area, source: include_str!(concat!("../../../../assets/i18n/fr/", $area, ".ftl")) },
                Catalogue { lang: Lang::ZhCn, area: $area, source: include_str!(concat!("../../../../assets/i18n/zh-CN/", $area, ".ftl")) },
            )+
            $(
                Catalogue { lang: Lang::Fr, area: $t_area, source: include_str!(concat!("../../../../assets/i18n/fr/", $t_area, ".ftl")) },
                Catalogue { lang: Lang::ZhCn, area: $t_area, source: include_str!(concat!("../../../../assets/i18n/zh-CN/", $t_area, ".ftl")) },
            )+
        ];

        /// The areas with no English catalogue, because their English is
        /// written elsewhere: `help`, the translations of the command
        /// line's `--help` (the English is the clap doc comments of
        /// `src/main.rs` and `src/cli/`; the app's tests check the French
        /// and Chinese messages against the command tree). Look their
        /// messages up with [`lookup`], which does not fall back to English.
        pub const TRANSLATION_ONLY_AREAS: &[&str] = &[$($t_area),+];
    };
}

catalogues!(
    "common",
    "app",
    "policy",
    "processes",
    "live",
    "reports",
    "analysis",
    "report",
    "cli",
    "fleet";
    translations only: "help",
);

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 3] {
    static BUNDLES: OnceLock<[Bundle; 3]> = OnceLock::new();
    BUNDLES.get_or_init(|| Lang::ALL.map(build_bundle))
}

/// French writes a decimal comma.
fn format_number(
    value: &FluentValue,
    _: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    match value {
        FluentValue::Number(n)
            if n.value.fract() != 0.0 || n.options.minimum_fraction_digits.is_some() =>
        {
            Some(n.as_string().replace('.', ","))
        }
        _ => None,
    }
}

fn build_bundle(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang
        .code()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // egui and terminals have no use for Unicode bidi isolation marks
    // (they would show as boxes).
    bundle.set_use_isolating(false);
    if lang == Lang::Fr {
        bundle.set_formatter(Some(format_number));
    }
    for c in CATALOGUES.iter().filter(|c| c.lang == lang) {
        // A catalogue with a syntax error keeps the messages it could
        // parse; the unit tests fail on any error.
        let resource = FluentResource::try_new(c.source.to_string()).unwrap_or_else(|(r, _)| r);
        // Duplicate ids across areas: the first wins (a test forbids them).
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// The text of message `id` in `lang` with `args`: the one lookup under
/// [`tr!`](crate::tr) (which passes [`current`]), [`tr_lang!`](crate::tr_lang)
/// and [`text::Text`]. A message missing in `lang` falls back to English;
/// one missing everywhere gives its id (the catalogue tests make both
/// impossible for ids the code uses).
pub fn message(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let all = bundles();
    for bundle in [&all[usize::from(lang.index())], &all[0]] {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            return text.into_owned();
        }
    }
    id.to_string()
}

/// The text of message `id` in `lang` only, without arguments: `None`
/// when that language's catalogue lacks it (no English fallback, no id).
/// For the [`TRANSLATION_ONLY_AREAS`], whose English lives elsewhere.
pub fn lookup(lang: Lang, id: &str) -> Option<String> {
    let bundle = &bundles()[usize::from(lang.index())];
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, None, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// An argument for [`tr!`](crate::tr): strings, numbers, `Option`s of them.
pub fn arg<'a>(value: impl Into<FluentValue<'a>>) -> FluentValue<'a> {
    value.into()
}

/// Text as a `Cow`, for APIs that take one.
pub fn cow(s: String) -> Cow<'static, str> {
    Cow::Owned(s)
}

/// A MAPI provider kind in the user's language (Microsoft's terms:
/// « fournisseur de transport », « 传输提供程序 »…); the trace crate's
/// `ProviderKind::label` is the English word and carries no catalogue.
pub trait KindText {
    /// The kind's words in the language in force.
    fn localized(self) -> String;
}

impl KindText for crate::trace::model::ProviderKind {
    fn localized(self) -> String {
        use crate::trace::model::ProviderKind;
        match self {
            ProviderKind::Transport => crate::tr!("common-kind-transport"),
            ProviderKind::AddressBook => crate::tr!("common-kind-address-book"),
            ProviderKind::MessageStore => crate::tr!("common-kind-message-store"),
        }
    }
}

/// The text of a message in the [`current`](crate::i18n::current)
/// language: `tr!("policy-apply")`, or with arguments
/// `tr!("live-sessions", count = n, name = &name)` (numbers select plural
/// forms; anything else must be a string: call `.to_string()` on it).
#[macro_export]
macro_rules! tr {
    ($id:literal $(,)?) => {
        $crate::i18n::message($crate::i18n::current(), $id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $( args.set(stringify!($name), $crate::i18n::arg($value)); )+
        $crate::i18n::message($crate::i18n::current(), $id, Some(&args))
    }};
}

/// [`tr!`] in a given language: `tr_lang!(lang, "report-title")`.
#[macro_export]
macro_rules! tr_lang {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::i18n::message($lang, $id, None)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $( args.set(stringify!($name), $crate::i18n::arg($value)); )+
        $crate::i18n::message($lang, $id, Some(&args))
    }};
}

pub mod text;

#[cfg(test)]
mod tests;
