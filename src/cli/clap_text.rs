//! clap's parse errors in the user's language. English keeps clap's own
//! wording; French and Chinese get our sentence for the error kinds a user
//! meets (an invalid or unknown value, an unknown option or command, a
//! missing argument, a conflict), built from the facts clap records (the
//! argument, the value, the valid values, its suggestion), then clap's
//! usage line and the pointer to `--help`. A kind we do not word keeps
//! clap's English. `--help` itself speaks the same language
//! ([`super::help_text`]; docs/i18n.md).
//!
//! The language is the one the run will have: `--lang` (read from the
//! arguments as given: the parse failed), else `MAPI_SHUTDOWN_LANG`, else
//! the OS user's ([`early_lang`]).

use clap::error::{ContextKind, ContextValue, ErrorKind};

use mapi_shutdown::i18n::{self, Lang};
use mapi_shutdown::tr_lang;

/// The language of a run whose arguments did not parse: `--lang X` or
/// `--lang=X` among `args`, else `env_lang` (`MAPI_SHUTDOWN_LANG`), else
/// the OS user's.
pub fn early_lang(args: &[String], env_lang: Option<&str>) -> Lang {
    let from_args = args.iter().enumerate().find_map(|(i, a)| {
        if a == "--lang" {
            args.get(i + 1).and_then(|v| v.parse::<Lang>().ok())
        } else {
            a.strip_prefix("--lang=")
                .and_then(|v| v.parse::<Lang>().ok())
        }
    });
    from_args
        .or_else(|| {
            env_lang
                .filter(|v| !v.is_empty())
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or_else(i18n::detect)
}

fn text(value: Option<&ContextValue>) -> Option<String> {
    match value? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The error as the user should read it, without the `error: ` prefix
/// (the caller adds `mapi-shutdown: `).
pub fn render(e: &clap::Error, lang: Lang) -> String {
    let english = e.render().to_string();
    let english = english
        .strip_prefix("error: ")
        .unwrap_or(&english)
        .trim_end();
    if lang == Lang::En {
        return english.to_string();
    }
    let get = |kind| text(e.get(kind));
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut lines = Vec::new();
    match e.kind() {
        ErrorKind::InvalidValue => {
            lines.push(tr_lang!(
                lang,
                "cli-error-invalid-value",
                value = value,
                arg = arg
            ));
            if let Some(valid) = get(ContextKind::ValidValue) {
                lines.push(tr_lang!(lang, "cli-error-possible-values", values = valid));
            }
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_default();
            lines.push(tr_lang!(
                lang,
                "cli-error-value-validation",
                value = value,
                arg = arg,
                reason = reason
            ));
        }
        ErrorKind::UnknownArgument => {
            lines.push(tr_lang!(lang, "cli-error-unknown-argument", arg = arg));
            if let Some(s) = get(ContextKind::SuggestedArg) {
                lines.push(tr_lang!(lang, "cli-error-did-you-mean", suggestion = s));
            }
        }
        ErrorKind::InvalidSubcommand => {
            let command = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            lines.push(tr_lang!(
                lang,
                "cli-error-unknown-command",
                command = command
            ));
            if let Some(s) = get(ContextKind::SuggestedSubcommand) {
                lines.push(tr_lang!(lang, "cli-error-did-you-mean", suggestion = s));
            }
        }
        ErrorKind::MissingRequiredArgument => {
            lines.push(tr_lang!(lang, "cli-error-missing-argument", args = arg));
        }
        ErrorKind::MissingSubcommand => {
            lines.push(tr_lang!(lang, "cli-error-missing-command"));
        }
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg).unwrap_or_default();
            lines.push(tr_lang!(
                lang,
                "cli-error-conflict",
                arg = arg,
                other = other
            ));
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            lines.push(tr_lang!(lang, "cli-error-values-count", arg = arg));
        }
        _ => return english.to_string(),
    }
    // clap's usage line: the syntax is the same in every language.
    if let Some(usage) = english.lines().find_map(|l| l.strip_prefix("Usage: ")) {
        lines.push(String::new());
        lines.push(tr_lang!(lang, "cli-usage", usage = usage));
    }
    lines.push(String::new());
    lines.push(tr_lang!(lang, "cli-more-help"));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_of_a_failed_parse() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(early_lang(&args(&["x", "--lang", "fr"]), None), Lang::Fr);
        assert_eq!(
            early_lang(&args(&["x", "--lang=zh-CN"]), Some("fr")),
            Lang::ZhCn
        );
        assert_eq!(early_lang(&args(&["x"]), Some("fr_FR.UTF-8")), Lang::Fr);
        // An unknown --lang value falls through to the environment.
        assert_eq!(
            early_lang(&args(&["x", "--lang", "tlh"]), Some("zh")),
            Lang::ZhCn
        );
    }
}
