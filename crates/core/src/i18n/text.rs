//! Messages as data: [`Text`], a message id and its arguments (or a
//! sentence already written, read back from JSON) rendered in any language
//! at the edge: [`Text::render`] in a language chosen explicitly (reports,
//! tests), `Display` (`to_string()`, `format!("{text}")`) in the language
//! in force ([`crate::i18n::current`]) for the window and the CLI, and
//! `Serialize` in English for JSON. Also the one way durations are printed
//! ([`format_ns`]: `850 ns`, `12.5 µs`, `3.20 ms`, `1.50 s`; French writes
//! a decimal comma).

use std::fmt;

use super::Lang;

/// A sentence kept as data: a message id of the catalogues and its
/// arguments (texts, names, numbers, durations in ns, lists), so that one
/// value reads in English for JSON and in the user's language for people,
/// rendered at the edge ([`Text::render`], or `Display` in the language in
/// force). The analysis' reasons and findings, the policy's words, the
/// process scanner's warnings and simulate's summary are built of them.
///
/// A sentence that exists only as written (a verdict or finding read back
/// from JSON keeps only its English words) is a [`Text::plain`]: the same
/// in every language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text(Repr);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Repr {
    /// A message of the catalogues and its arguments.
    Message {
        id: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    /// Words already written, shown as they are in every language.
    Plain(String),
}

impl Default for Text {
    /// The empty text (renders as nothing).
    fn default() -> Text {
        Text(Repr::Plain(String::new()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Arg {
    /// Names, HRESULTs, versions: the same in every language.
    Str(String),
    /// A number (selects plural forms).
    Num(u64),
    /// A duration in ns, written with [`format_ns`].
    Ns(u64),
    /// A nested sentence.
    Text(Text),
    /// Sentences joined by a separator (a message id: `, ` or `; `).
    List(Vec<Text>, &'static str),
}

impl Text {
    /// The message `id` (of any catalogue), with no argument yet.
    pub fn new(id: &'static str) -> Text {
        Text(Repr::Message {
            id,
            args: Vec::new(),
        })
    }

    /// Words already written (a sentence read back from JSON, an OS error
    /// message), shown as they are in every language. Arguments added to
    /// it are ignored: it has no placeholders.
    pub fn plain(words: impl Into<String>) -> Text {
        Text(Repr::Plain(words.into()))
    }

    fn arg(mut self, name: &'static str, value: Arg) -> Text {
        if let Repr::Message { args, .. } = &mut self.0 {
            args.push((name, value));
        }
        self
    }

    /// Argument `name`: a string shown as it is (a name, a DLL, an HRESULT).
    pub fn str(self, name: &'static str, value: impl ToString) -> Text {
        self.arg(name, Arg::Str(value.to_string()))
    }

    /// Argument `name`: a count, which also picks the plural form.
    pub fn num(self, name: &'static str, value: u64) -> Text {
        self.arg(name, Arg::Num(value))
    }

    /// Argument `name`: a duration in ns, printed by [`format_ns`].
    pub fn ns(self, name: &'static str, value: u64) -> Text {
        self.arg(name, Arg::Ns(value))
    }

    /// Argument `name`: another text, rendered in the same language.
    pub fn text(self, name: &'static str, value: Text) -> Text {
        self.arg(name, Arg::Text(value))
    }

    /// Argument `name`: texts joined by the message `separator` (a
    /// list-separator message of the catalogues).
    pub fn list(self, name: &'static str, items: Vec<Text>, separator: &'static str) -> Text {
        self.arg(name, Arg::List(items, separator))
    }

    /// True for the empty text ([`Text::default`], or plain empty words).
    pub fn is_empty(&self) -> bool {
        matches!(&self.0, Repr::Plain(words) if words.is_empty())
    }

    /// The sentence in `lang` (plain words as they are).
    pub fn render(&self, lang: Lang) -> String {
        let (id, args) = match &self.0 {
            Repr::Plain(words) => return words.clone(),
            Repr::Message { id, args } => (id, args),
        };
        let mut fluent = crate::i18n::FluentArgs::new();
        for (name, arg) in args {
            match arg {
                Arg::Str(s) => fluent.set(*name, s.clone()),
                Arg::Num(n) => fluent.set(*name, *n),
                Arg::Ns(ns) => fluent.set(*name, format_ns(*ns, lang)),
                Arg::Text(t) => fluent.set(*name, t.render(lang)),
                Arg::List(items, separator) => {
                    let separator = crate::i18n::message(lang, separator, None);
                    let joined = items
                        .iter()
                        .map(|t| t.render(lang))
                        .collect::<Vec<_>>()
                        .join(&separator);
                    fluent.set(*name, joined);
                }
            }
        }
        crate::i18n::message(lang, id, Some(&fluent))
    }
}

/// The sentence in the language in force ([`crate::i18n::current`]): what
/// the window and the CLI's human output show.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(crate::i18n::current()))
    }
}

/// JSON keeps the English sentence, whatever the language in force.
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.render(Lang::En))
    }
}

/// `850 ns`, `12.5 µs`, `3.20 ms`, `1.50 s` for people reading `lang`:
/// French writes a decimal comma (`3,20 ms`); the units are the same in
/// every language (`Lang::En` for JSON-adjacent text and logs).
pub fn format_ns(ns: u64, lang: Lang) -> String {
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
