//! Messages as data: [`Text`], a message id and its arguments rendered in
//! any language at the edge, and the one way durations are printed
//! ([`format_ns_in`]: `850 ns`, `12.5 µs`, `3.20 ms`, `1.50 s`; French
//! writes a decimal comma).

use super::Lang;

/// A sentence kept as data: a message id of the catalogues and its
/// arguments (texts, names, numbers, durations in ns, lists), so that one
/// value reads in English for JSON and in the user's language for people,
/// rendered at the edge ([`Text::render`]). The analysis' reasons and
/// findings and simulate's summary are built of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Arg {
    /// Names, HRESULTs, versions: the same in every language.
    Str(String),
    /// A number (selects plural forms).
    Num(u64),
    /// A duration in ns, written with [`format_ns_in`].
    Ns(u64),
    /// A nested sentence.
    Text(Text),
    /// Sentences joined by a separator (a message id: `, ` or `; `).
    List(Vec<Text>, &'static str),
}

impl Text {
    /// The message `id` (of any catalogue), with no argument yet.
    pub fn new(id: &'static str) -> Text {
        Text {
            id,
            args: Vec::new(),
        }
    }

    /// Argument `name`: a string shown as it is (a name, a DLL, an HRESULT).
    pub fn str(mut self, name: &'static str, value: impl ToString) -> Text {
        self.args.push((name, Arg::Str(value.to_string())));
        self
    }

    /// Argument `name`: a count, which also picks the plural form.
    pub fn num(mut self, name: &'static str, value: u64) -> Text {
        self.args.push((name, Arg::Num(value)));
        self
    }

    /// Argument `name`: a duration in ns, printed by [`format_ns_in`].
    pub fn ns(mut self, name: &'static str, value: u64) -> Text {
        self.args.push((name, Arg::Ns(value)));
        self
    }

    /// Argument `name`: another text, rendered in the same language.
    pub fn text(mut self, name: &'static str, value: Text) -> Text {
        self.args.push((name, Arg::Text(value)));
        self
    }

    /// Argument `name`: texts joined by the message `separator` (a
    /// list-separator message of the catalogues).
    pub fn list(mut self, name: &'static str, items: Vec<Text>, separator: &'static str) -> Text {
        self.args.push((name, Arg::List(items, separator)));
        self
    }

    /// True for the empty text (a verdict or finding read back from JSON).
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// The sentence in `lang`; empty for the empty text.
    pub fn render(&self, lang: Lang) -> String {
        if self.is_empty() {
            return String::new();
        }
        let mut args = crate::i18n::FluentArgs::new();
        for (name, arg) in &self.args {
            match arg {
                Arg::Str(s) => args.set(*name, s.clone()),
                Arg::Num(n) => args.set(*name, *n),
                Arg::Ns(ns) => args.set(*name, format_ns_in(*ns, lang)),
                Arg::Text(t) => args.set(*name, t.render(lang)),
                Arg::List(items, separator) => {
                    let separator = crate::i18n::message_in(lang, separator, None);
                    let joined = items
                        .iter()
                        .map(|t| t.render(lang))
                        .collect::<Vec<_>>()
                        .join(&separator);
                    args.set(*name, joined);
                }
            }
        }
        crate::i18n::message_in(lang, self.id, Some(&args))
    }
}

/// `850 ns`, `12.5 µs`, `3.20 ms`, `1.50 s`.
pub fn format_ns(ns: u64) -> String {
    format_ns_in(ns, Lang::En)
}

/// [`format_ns`] for people reading `lang`: French writes a decimal comma
/// (`3,20 ms`); the units are the same in every language.
pub fn format_ns_in(ns: u64, lang: Lang) -> String {
    let text = format_ns_en(ns);
    if lang == Lang::Fr {
        text.replace('.', ",")
    } else {
        text
    }
}

fn format_ns_en(ns: u64) -> String {
    match ns {
        0..1_000 => format!("{ns} ns"),
        1_000..1_000_000 => format!("{:.1} µs", ns as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.2} ms", ns as f64 / 1e6),
        _ => format!("{:.2} s", ns as f64 / 1e9),
    }
}
