//! `--help` in the user's language. English is clap's own help, built
//! from the doc comments of `src/main.rs` and `src/cli/` (the single source
//! of the English text). For French and Chinese, [`localize`] rewrites the
//! command tree before it parses: each command's about and each argument's
//! help come from the `help` catalogue (`assets/i18n/{fr,zh-CN}/help.ftl`),
//! and clap's own words (the `Usage:`, `Commands:`, `Arguments:` and
//! `Options:` headings, the help and version flags, the `help` command,
//! `[default: …]`, `[possible values: …]`) from its `clap-…` messages.
//!
//! # Keys
//! A command's about is `help` followed by `-<name>` for each subcommand on
//! its path: `help` (the program), `help-policy`, `help-policy-export`. An
//! argument's help is its command's key, `--`, then its clap id in
//! kebab-case (the field name, `_` as `-`): `help--lang`,
//! `help-policy-export--format`, `help-policy-export--delete-unset`,
//! `help-policy-export--file` (a positional argument). A global argument
//! has the key of the command that declares it (`help--registry`).
//!
//! A command or argument without a translation keeps its English text;
//! the test `every_command_and_argument_has_french_and_chinese_help` lists
//! the missing keys (with their English) and the keys nothing uses.

use clap::builder::StyledStr;
use clap::{Arg, Command};

use mapi_shutdown::i18n::{self, Lang};

/// The catalogue key of a command's about, from its path below the
/// program (`[]` for the program, `["policy", "export"]`).
pub fn command_key<S: AsRef<str>>(path: &[S]) -> String {
    let mut key = String::from("help");
    for name in path {
        key.push('-');
        key.push_str(name.as_ref());
    }
    key
}

/// The catalogue key of the help of argument `id` of the command at `path`.
pub fn arg_key<S: AsRef<str>>(path: &[S], id: &str) -> String {
    format!("{}--{}", command_key(path), id.replace('_', "-"))
}

/// clap's word `key` in `lang`, its English when the catalogue lacks it
/// (the tests make that impossible).
fn word(lang: Lang, key: &str, english: &str) -> String {
    i18n::lookup(lang, key).unwrap_or_else(|| english.to_string())
}

/// [`word`] ready to be followed by what it introduces: a space after a
/// colon, none after Chinese's full-width one.
fn label(lang: Lang, key: &str, english: &str) -> String {
    let word = word(lang, key, english);
    if word.ends_with('：') {
        word
    } else {
        word + " "
    }
}

/// `cmd` (the program's command, not built yet) with its help in `lang`:
/// unchanged for English; otherwise built ([`Command::build`]) and
/// translated, generated help and version flags and `help` command
/// included. The arguments parse exactly as before.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    let mut cmd = translate(cmd, lang, &[]);
    // The help flags, the version flag and the `help` command exist once
    // the command is built; global arguments are copied down then, already
    // translated.
    cmd.build();
    finish(cmd, lang)
}

/// The doc-comment texts: each command's about and argument's help.
fn translate(cmd: Command, lang: Lang, path: &[String]) -> Command {
    let mut cmd = match i18n::lookup(lang, &command_key(path)) {
        Some(text) => cmd.about(text).long_about(None),
        None => cmd,
    };
    cmd = cmd.mut_args(
        |arg| match i18n::lookup(lang, &arg_key(path, arg.get_id().as_str())) {
            Some(text) => arg.help(text).long_help(None),
            None => arg,
        },
    );
    cmd.mut_subcommands(|sub| {
        let mut path = path.to_vec();
        path.push(sub.get_name().to_string());
        translate(sub, lang, &path)
    })
}

/// clap's `[default: …]` and `[possible values: …]` in `lang`: hidden from
/// clap and written at the end of the help. On a built argument (a flag's
/// implied `false` is no default to show; possible values are known).
fn value_notes(arg: Arg, lang: Lang) -> Arg {
    if !arg.get_action().takes_values() {
        return arg;
    }
    let mut notes = Vec::new();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let show_default = !defaults.is_empty() && !arg.is_hide_default_value_set();
    if show_default {
        notes.push(format!(
            "[{}{}]",
            label(lang, "clap-default", "default:"),
            defaults.join(" ")
        ));
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let show_values = !values.is_empty() && !arg.is_hide_possible_values_set();
    if show_values {
        notes.push(format!(
            "[{}{}]",
            label(lang, "clap-possible-values", "possible values:"),
            values.join(", ")
        ));
    }
    if notes.is_empty() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = format!("{help} {}", notes.join(" ")).trim().to_string();
    arg.help(help)
        .hide_default_value(show_default)
        .hide_possible_values(show_values)
}

/// What exists once built: the template (headings), the help and version
/// flags, the `help` command.
fn finish(cmd: Command, lang: Lang) -> Command {
    let template = template(&cmd, lang);
    let mut cmd = cmd
        .help_template(template)
        .mut_args(|arg| value_notes(arg, lang));
    if cmd.get_arguments().any(|a| a.get_id() == "help") {
        cmd = cmd.mut_arg("help", |arg| {
            if arg.get_long_help().is_some() {
                arg.help(word(
                    lang,
                    "clap-print-help-short",
                    "Print help (see more with '--help')",
                ))
                .long_help(word(
                    lang,
                    "clap-print-help-long",
                    "Print help (see a summary with '-h')",
                ))
            } else {
                arg.help(word(lang, "clap-print-help", "Print help"))
            }
        });
    }
    if cmd.get_arguments().any(|a| a.get_id() == "version") {
        cmd = cmd.mut_arg("version", |arg| {
            arg.help(word(lang, "clap-print-version", "Print version"))
        });
    }
    cmd.mut_subcommands(|sub| {
        let sub = if sub.get_name() == "help" && is_generated_help(&sub) {
            let about = word(
                lang,
                "clap-help-command",
                "Print this message or the help of the given subcommand(s)",
            );
            let sub = sub.about(about);
            if sub.get_arguments().any(|a| a.get_id() == "subcommand") {
                sub.mut_arg("subcommand", |arg| {
                    arg.help(word(
                        lang,
                        "clap-help-command-argument",
                        "Print help for the subcommand(s)",
                    ))
                })
            } else {
                sub
            }
        } else {
            sub
        };
        finish(sub, lang)
    })
}

/// Whether `sub`, named `help`, is clap's generated `help` command (ours
/// would have an about of its own).
fn is_generated_help(sub: &Command) -> bool {
    sub.get_about()
        .is_some_and(|a| a.to_string().starts_with("Print this message"))
}

/// The help template of a built command: clap's default layout with the
/// headings in `lang`, styled as clap styles its own.
fn template(cmd: &Command, lang: Lang) -> StyledStr {
    let styles = cmd.get_styles();
    let header = styles.get_header();
    let usage = styles.get_usage();
    let heading = |key: &str, english: &str| {
        format!(
            "{}{}{}\n",
            header.render(),
            word(lang, key, english),
            header.render_reset()
        )
    };
    let mut sections = Vec::new();
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        sections.push(heading("clap-commands", "Commands:") + "{subcommands}");
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        sections.push(heading("clap-arguments", "Arguments:") + "{positionals}");
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        sections.push(heading("clap-options", "Options:") + "{options}");
    }
    let mut text = format!(
        "{{before-help}}{{about-with-newline}}\n{}{}{}{{usage}}",
        usage.render(),
        label(lang, "clap-usage", "Usage:"),
        usage.render_reset()
    );
    if !sections.is_empty() {
        text.push_str("\n\n");
        text.push_str(&sections.join("\n\n"));
    }
    text.push_str("{after-help}");
    StyledStr::from(text)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use clap::CommandFactory;

    use super::*;

    /// The `clap-…` messages this module uses: clap's own words.
    const TEMPLATE_KEYS: &[&str] = &[
        "clap-usage",
        "clap-commands",
        "clap-arguments",
        "clap-options",
        "clap-print-help",
        "clap-print-help-short",
        "clap-print-help-long",
        "clap-print-version",
        "clap-help-command",
        "clap-help-command-argument",
        "clap-default",
        "clap-possible-values",
    ];

    /// Every key the command tree needs, with its English text.
    fn tree_keys() -> BTreeMap<String, String> {
        fn walk(cmd: &Command, path: &mut Vec<String>, out: &mut BTreeMap<String, String>) {
            let about = cmd
                .get_long_about()
                .or(cmd.get_about())
                .map(ToString::to_string)
                .unwrap_or_default();
            out.insert(command_key(path), about);
            for arg in cmd.get_arguments() {
                let help = arg
                    .get_long_help()
                    .or(arg.get_help())
                    .map(ToString::to_string)
                    .unwrap_or_default();
                out.insert(arg_key(path, arg.get_id().as_str()), help);
            }
            for sub in cmd.get_subcommands() {
                path.push(sub.get_name().to_string());
                walk(sub, path, out);
                path.pop();
            }
        }
        // Not built: clap's generated help, version and `help` are not in
        // it (their words are the `clap-…` messages).
        let mut out = BTreeMap::new();
        walk(&crate::Cli::command(), &mut Vec::new(), &mut out);
        out
    }

    /// The message ids of the `help` catalogue of `lang`.
    fn catalogue_keys(lang: Lang) -> BTreeSet<String> {
        i18n::CATALOGUES
            .iter()
            .filter(|c| c.lang == lang && c.area == "help")
            .flat_map(|c| c.source.lines())
            .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
            .collect()
    }

    /// Issue 17, item 12: `--help` speaks French and Chinese. Every
    /// command and every argument has a translation in both, and every
    /// `help…` message is a command's or an argument's: a new option
    /// without its translation fails here, naming the key and its English.
    #[test]
    fn every_command_and_argument_has_french_and_chinese_help() {
        let tree = tree_keys();
        assert!(tree.len() > 50, "the tree was walked: {}", tree.len());
        assert!(tree.contains_key("help-policy-export--format"));
        let mut problems = Vec::new();
        for lang in [Lang::Fr, Lang::ZhCn] {
            let file = format!("assets/i18n/{}/help.ftl", lang.code());
            let have = catalogue_keys(lang);
            for (key, english) in &tree {
                if !have.contains(key) {
                    let english = english.replace('\n', " ");
                    problems.push(format!("{file}: missing {key} = {english}"));
                }
            }
            for key in &have {
                let known = tree.contains_key(key) || TEMPLATE_KEYS.contains(&key.as_str());
                if !known {
                    problems.push(format!(
                        "{file}: {key} is no command's or argument's (renamed or removed?)"
                    ));
                }
            }
            for key in TEMPLATE_KEYS {
                // Once in this list, once (at least) where it is used.
                let uses = include_str!("help_text.rs")
                    .matches(&format!("\"{key}\""))
                    .count();
                assert!(uses >= 2, "{key} is not used");
                if !have.contains(*key) {
                    problems.push(format!("{file}: missing {key} (clap's own words)"));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "--help translations (docs/i18n.md, \"Command-line help\"):\n{}",
            problems.join("\n")
        );
    }

    /// The names a translation must keep as they are: options
    /// (`--registry`), environment variables (`MAPI_SHUTDOWN_SPOOL_DIR`),
    /// registry and API names (`FastShutdownBehavior`, `WOW6432Node`) and
    /// documentation paths (`docs/policy.md`).
    fn names(text: &str) -> BTreeSet<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_./".contains(c)))
            .map(|w| w.trim_end_matches(['.', '/']))
            .filter(|w| {
                let caps = w.chars().filter(char::is_ascii_uppercase).count();
                let lower = w.chars().any(|c| c.is_ascii_lowercase());
                (w.starts_with("--") && w.len() > 2)
                    || (w.contains('_') && caps > 1 && !lower)
                    || (caps >= 2 && lower && !w.contains('_'))
                    || (w.starts_with("docs/") && w.ends_with(".md"))
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn names_are_found_in_english() {
        let found = names(
            "Set FastShutdownBehavior (--registry, MAPI_SHUTDOWN_SPOOL_DIR) \
             under WOW6432Node; see docs/policy.md. Trace files, JSON, HKCU.",
        );
        let expected = [
            "--registry",
            "FastShutdownBehavior",
            "MAPI_SHUTDOWN_SPOOL_DIR",
            "WOW6432Node",
            "docs/policy.md",
        ];
        assert_eq!(found, expected.iter().map(|s| s.to_string()).collect());
    }

    /// Option, variable, registry, API and file names stay untranslated:
    /// each one the English help names is in the French and the Chinese.
    #[test]
    fn translations_keep_the_names_of_the_english() {
        let mut problems = Vec::new();
        for (key, english) in tree_keys() {
            for lang in [Lang::Fr, Lang::ZhCn] {
                let Some(text) = i18n::lookup(lang, &key) else {
                    continue;
                };
                for name in names(&english) {
                    if !text.contains(&name) {
                        problems.push(format!("{}: {key} lacks {name}", lang.code()));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    fn help_of(lang: Lang, args: &[&str]) -> String {
        let err = localize(crate::Cli::command(), lang)
            .try_get_matches_from(args)
            .err()
            .unwrap_or_else(|| panic!("{args:?} did not ask for help"));
        err.render().to_string()
    }

    #[test]
    fn french_help_has_french_headings_and_flags() {
        let help = help_of(Lang::Fr, &["mapi-shutdown", "policy", "export", "--help"]);
        for expected in [
            "Utilisation\u{a0}: mapi-shutdown policy export",
            "Arguments\u{a0}:\n",
            "Options\u{a0}:\n",
            "Afficher l’aide",
            "--delete-unset",
        ] {
            assert!(help.contains(expected), "{expected:?} in:\n{help}");
        }
        for english in ["Usage:", "Options:", "Print help", "Only this Office"] {
            assert!(!help.contains(english), "{english:?} in:\n{help}");
        }
        let top = help_of(Lang::Fr, &["mapi-shutdown", "--help"]);
        assert!(top.contains("Commandes\u{a0}:\n"), "{top}");
        assert!(top.contains("[par défaut\u{a0}: auto]"), "{top}");
        assert!(!top.contains("[default:"), "{top}");
        assert!(top.contains("Afficher la version"), "{top}");
        assert!(!top.contains("Print this message"), "{top}");
    }

    #[test]
    fn chinese_help_has_chinese_headings() {
        let help = help_of(Lang::ZhCn, &["mapi-shutdown", "addins", "set", "-h"]);
        for expected in ["用法：", "参数：", "选项：", "显示帮助", "[默认值：hkcu]"]
        {
            assert!(help.contains(expected), "{expected:?} in:\n{help}");
        }
        assert!(!help.contains("help-"), "a key leaked:\n{help}");
        assert!(!help.contains("clap-"), "a key leaked:\n{help}");
    }

    /// English is clap's own help, untouched.
    #[test]
    fn english_is_untouched() {
        let help = help_of(Lang::En, &["mapi-shutdown", "--help"]);
        for expected in [
            "Usage: mapi-shutdown",
            "Commands:",
            "Options:",
            "Print help",
        ] {
            assert!(help.contains(expected), "{expected:?} in:\n{help}");
        }
        assert!(help.contains("[default: auto]"), "{help}");
    }

    /// Translated, the command line still parses as before.
    #[test]
    fn a_translated_command_parses_the_same() {
        use clap::FromArgMatches;
        for lang in Lang::ALL {
            let mut m = localize(crate::Cli::command(), lang)
                .try_get_matches_from([
                    "mapi-shutdown",
                    "--lang",
                    "fr",
                    "policy",
                    "export",
                    "x.pol",
                    "--delete-unset",
                ])
                .unwrap_or_else(|e| panic!("{lang:?}: {e}"));
            let cli = crate::Cli::from_arg_matches_mut(&mut m).expect("matches");
            assert_eq!(cli.lang, Some(Lang::Fr));
            assert!(matches!(cli.command, Some(crate::Command::Policy(_))));
        }
    }
}
