//! The catalogue checks (every language has exactly `en`'s messages with
//! `en`'s variables, every message is used) and the language machinery.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;

use super::*;

/// Message and term ids of one language, each with the variables it uses.
fn ids_of(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    ids_in(lang, |_| true)
}

/// [`ids_of`] for the areas `keep` says yes to.
fn ids_in(lang: Lang, keep: impl Fn(&str) -> bool) -> BTreeMap<String, BTreeSet<String>> {
    let mut ids = BTreeMap::new();
    for c in CATALOGUES.iter().filter(|c| c.lang == lang && keep(c.area)) {
        let resource = match fluent_syntax::parser::parse(c.source) {
            Ok(r) => r,
            Err((_, errors)) => panic!(
                "assets/i18n/{}/{}.ftl does not parse: {errors:?}",
                lang.code(),
                c.area
            ),
        };
        for entry in &resource.body {
            let (id, value, attributes) = match entry {
                ast::Entry::Message(m) => (m.id.name.to_string(), m.value.as_ref(), &m.attributes),
                ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(&t.value), &t.attributes),
                ast::Entry::Junk { content } => panic!(
                    "assets/i18n/{}/{}.ftl: cannot parse {content:?}",
                    lang.code(),
                    c.area
                ),
                _ => continue,
            };
            assert!(
                attributes.is_empty(),
                "assets/i18n/{}/{}.ftl: {id} has attributes; use separate messages",
                lang.code(),
                c.area
            );
            let mut vars = BTreeSet::new();
            if let Some(p) = value {
                pattern_vars(p, &mut vars);
            }
            let previous = ids.insert(id.clone(), vars);
            assert!(
                previous.is_none(),
                "{id} is defined twice in the {} catalogues",
                lang.code()
            );
        }
    }
    ids
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
            for a in &arguments.named {
                inline_vars(&a.value, vars);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

fn has_english(area: &str) -> bool {
    !TRANSLATION_ONLY_AREAS.contains(&area)
}

#[test]
fn every_catalogue_has_exactly_the_english_messages_and_variables() {
    let en = ids_of(Lang::En);
    assert!(!en.is_empty(), "the English catalogue is empty");
    let mut problems = Vec::new();
    for lang in [Lang::Fr, Lang::ZhCn] {
        let other = ids_in(lang, has_english);
        for (id, vars) in &en {
            match other.get(id) {
                None => problems.push(format!("{}: missing {id}", lang.code())),
                Some(v) if v != vars => problems.push(format!(
                    "{}: {id} uses variables {v:?}, en uses {vars:?}",
                    lang.code()
                )),
                Some(_) => {}
            }
        }
        for id in other.keys().filter(|id| !en.contains_key(*id)) {
            problems.push(format!("{}: {id} is not in en", lang.code()));
        }
    }
    assert!(
        problems.is_empty(),
        "catalogue problems:\n{}",
        problems.join("\n")
    );
}

fn source_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_english_message_is_used_in_the_code() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let mut files = Vec::new();
    // The application (src/) and every crate's sources and templates.
    source_files(&root.join("src"), &mut files);
    source_files(&root.join("crates"), &mut files);
    let text: String = files
        .iter()
        .filter(|p| !p.starts_with(root.join("crates/core/src/i18n")))
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let unused: Vec<String> = ids_of(Lang::En)
        .into_keys()
        .filter(|id| !id.starts_with('-'))
        .filter(|id| !text.contains(&format!("\"{id}\"")))
        .collect();
    assert!(
        unused.is_empty(),
        "messages no code uses (remove them from every catalogue, or use them):\n{}",
        unused.join("\n")
    );
}

/// The translation-only areas (`help`: `--help` in French and Chinese,
/// whose English is the clap doc comments) have the same ids in French and
/// Chinese, and no variables: [`lookup`] formats them without arguments.
/// Whether they match the command tree is the app's test
/// (`src/cli/help_text.rs`).
#[test]
fn translation_only_areas_match_in_french_and_chinese() {
    let only = |area: &str| !has_english(area);
    let fr = ids_in(Lang::Fr, only);
    let zh = ids_in(Lang::ZhCn, only);
    assert!(!fr.is_empty(), "the help catalogue is empty");
    let mut problems = Vec::new();
    for (id, vars) in &fr {
        if !zh.contains_key(id) {
            problems.push(format!("zh-CN: missing {id}"));
        }
        if !vars.is_empty() {
            problems.push(format!("fr: {id} uses variables {vars:?}"));
        }
    }
    for (id, vars) in &zh {
        if !fr.contains_key(id) {
            problems.push(format!("fr: missing {id}"));
        }
        if !vars.is_empty() {
            problems.push(format!("zh-CN: {id} uses variables {vars:?}"));
        }
    }
    for id in fr.keys() {
        for lang in [Lang::Fr, Lang::ZhCn] {
            if lookup(lang, id).is_none_or(|t| t.trim().is_empty()) {
                problems.push(format!("{}: {id} does not format", lang.code()));
            }
        }
    }
    assert_eq!(lookup(Lang::En, "help"), None, "no English help catalogue");
    assert!(
        problems.is_empty(),
        "help catalogue problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_message_formats_in_every_language_without_errors() {
    for lang in Lang::ALL {
        let bundle = &bundles()[usize::from(lang.index())];
        for (id, vars) in ids_of(lang) {
            if id.starts_with('-') {
                continue;
            }
            let mut args = FluentArgs::new();
            for v in &vars {
                args.set(v.as_str(), 2);
            }
            let message = bundle.get_message(&id).expect("message in bundle");
            let pattern = message.value().expect("message has a value");
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
            assert!(errors.is_empty(), "{}: {id}: {errors:?}", lang.code());
            assert!(!text.trim().is_empty(), "{}: {id} is empty", lang.code());
        }
    }
}

#[test]
fn locales_map_to_our_languages() {
    assert_eq!(Lang::from_locale("fr-FR"), Some(Lang::Fr));
    assert_eq!(Lang::from_locale("fr_CA.UTF-8"), Some(Lang::Fr));
    assert_eq!(Lang::from_locale("zh-Hans-CN"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_locale("zh_TW"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_locale("en-US"), Some(Lang::En));
    assert_eq!(Lang::from_locale("C"), None);
    assert_eq!(Lang::from_locale("de-DE"), None);
    assert_eq!(detect_from(["de-DE", "fr-BE", "en-US"]), Lang::Fr);
    assert_eq!(detect_from(["de-DE"]), Lang::En);
    assert_eq!(detect_from(Vec::<String>::new()), Lang::En);
    assert_eq!("zh-CN".parse::<Lang>(), Ok(Lang::ZhCn));
    assert!("klingon".parse::<Lang>().is_err());
}

#[test]
fn a_pinned_thread_keeps_its_language() {
    let handle = std::thread::spawn(|| {
        set_thread_lang(Some(Lang::Fr));
        let before = current();
        set_thread_lang(None);
        before
    });
    assert_eq!(handle.join().ok(), Some(Lang::Fr));
}

#[test]
fn plurals_and_numbers_follow_the_language() {
    let one = tr_lang!(Lang::En, "common-sessions", count = 1);
    let many = tr_lang!(Lang::En, "common-sessions", count = 3);
    assert_ne!(one, many, "English has a singular and a plural");
    assert!(many.contains('3'));
    let fr = tr_lang!(Lang::Fr, "common-duration-ms", ms = 12.5);
    assert!(fr.contains("12,5"), "French decimal comma: {fr}");
    let zh = tr_lang!(Lang::ZhCn, "common-sessions", count = 3);
    assert!(zh.contains('3'), "{zh}");
}

#[test]
fn a_missing_message_falls_back_to_its_id() {
    assert_eq!(
        message(Lang::Fr, "no-such-message", None),
        "no-such-message"
    );
}

/// No "(s)" plurals: a count picks its form through Fluent (issue 16: the
/// fast reason said "(5 provider(s) called)").
#[test]
fn no_message_spells_a_plural_with_parentheses() {
    for lang in Lang::ALL {
        for id in ids_of(lang).keys() {
            for count in [1u64, 5] {
                let mut args = crate::i18n::FluentArgs::new();
                args.set("count", crate::i18n::arg(count));
                let text = crate::i18n::message(lang, id, Some(&args));
                assert!(!text.contains("(s)"), "{lang:?}: {id}: {text}");
            }
        }
    }
    assert!(tr_lang!(Lang::En, "analysis-reason-fast", count = 1).contains("(1 provider called)"));
    assert!(tr_lang!(Lang::En, "analysis-reason-fast", count = 5).contains("(5 providers called)"));
}

/// The name of the function a line declares, if it declares a public one.
fn public_fn_name(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("pub ")?;
    let rest = rest.strip_prefix("(crate) ").unwrap_or(rest);
    let rest = rest.strip_prefix("const ").unwrap_or(rest);
    let rest = rest.strip_prefix("fn ")?;
    rest.split(['(', '<']).next()
}

/// Messages as data (issue 16): a message is a [`text::Text`] (or a value
/// that renders itself) shown at the edge, never a pair of functions, one
/// in English or the language in force and one `_in(lang)` /
/// `_localized()`. A public function with either suffix fails this test.
#[test]
fn no_public_function_comes_in_a_language_pair() {
    assert_eq!(
        public_fn_name("    pub fn reason_in(&self)"),
        Some("reason_in")
    );
    assert_eq!(public_fn_name("pub fn f<T>(x: T)"), Some("f"));
    assert_eq!(public_fn_name("    fn private_in(&self)"), None);
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let mut files = Vec::new();
    source_files(&root.join("src"), &mut files);
    source_files(&root.join("crates"), &mut files);
    assert!(files.len() > 50, "the sources were found: {}", files.len());
    let mut pairs = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            if let Some(name) = public_fn_name(line)
                && (name.ends_with("_in") || name.ends_with("_localized"))
            {
                pairs.push(format!("{}:{}: {name}", path.display(), n + 1));
            }
        }
    }
    assert!(
        pairs.is_empty(),
        "return a Text and render it at the edge (`render(lang)`, `Display`):\n{}",
        pairs.join("\n")
    );
}

/// Issue 17, item 12: ADMX policy and option names are the template's
/// own, letter for letter. No French or Chinese outlk16.adml could be
/// read (docs/i18n.md), so every language shows the English template's
/// names, and the French and Chinese messages that show one say that it
/// is the English template's name.
#[test]
fn admx_names_are_the_english_templates_and_say_so() {
    use crate::policy::AdmxLabel;
    use crate::trace::model::FastShutdownBehavior;
    let names = [
        (
            "policy-admx-fast-shutdown-providers",
            "Configure fast shutdown behavior",
        ),
        (
            "policy-admx-fast-shutdown-addins",
            "Configure fast shutdown behavior for add-ins",
        ),
        (
            "policy-admx-prevent-external-references",
            "Prevent shutdown if external references exist",
        ),
        (
            "policy-admx-option-opt-out",
            "MAPI provider does not support",
        ),
        ("policy-admx-option-opt-in", "All MAPI providers support"),
        ("policy-admx-option-never", "Never"),
    ];
    for lang in Lang::ALL {
        for (id, name) in names {
            assert_eq!(message(lang, id, None), name, "{lang:?} {id}");
        }
        for b in [
            FastShutdownBehavior::OptOut,
            FastShutdownBehavior::OptIn,
            FastShutdownBehavior::Disabled,
        ] {
            assert_eq!(b.admx_label_text().render(lang), b.admx_label());
        }
    }
    for (lang, said) in [
        (Lang::Fr, "nom du modèle anglais"),
        (Lang::ZhCn, "英文模板中的名称"),
    ] {
        let mut args = FluentArgs::new();
        args.set("policy", "P");
        args.set("option", "O");
        args.set("state", "S");
        for id in [
            "policy-admx-policy",
            "policy-admx-state-enabled-option",
            "policy-cli-admx",
            "policy-cli-admx-state",
        ] {
            let text = message(lang, id, Some(&args));
            assert!(text.contains(said), "{lang:?} {id}: {text}");
        }
    }
}

/// Issue 17, item 12: "magasin du Registre" read as a shop; the French
/// catalogues say "Registre", as Microsoft does.
#[test]
fn french_says_registre_not_magasin() {
    for (id, _) in ids_of(Lang::Fr) {
        let text = message(Lang::Fr, &id, None);
        assert!(!text.to_lowercase().contains("magasin"), "{id}: {text}");
    }
}
