//! `--lang` and `MAPI_SHUTDOWN_LANG` choose the language of the CLI's
//! human output; a language we do not have is refused with the list.

use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mapi-shutdown"));
    // Neither the machine's locale nor the caller's choice leaks in.
    c.env_remove("MAPI_SHUTDOWN_LANG")
        .env("LC_ALL", "C")
        .env("LANG", "C");
    c
}

fn bad_scenario() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "this is = not [ a scenario").unwrap();
    (dir, path)
}

fn stderr_of(c: &mut Command) -> (i32, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_default_without_a_locale_is_english() {
    let (_dir, path) = bad_scenario();
    let (code, err) = stderr_of(bin().arg("simulate").arg(&path));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad scenario"), "{err}");
}

#[test]
fn lang_flag_gives_french_and_chinese() {
    let (_dir, path) = bad_scenario();
    let (code, err) = stderr_of(bin().args(["--lang", "fr", "simulate"]).arg(&path));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("scénario incorrect"), "{err}");
    let (_, err) = stderr_of(bin().args(["simulate", "--lang", "zh-CN"]).arg(&path));
    assert!(err.contains("场景无效"), "{err}");
}

#[test]
fn the_environment_and_the_locale_choose_too() {
    let (_dir, path) = bad_scenario();
    let (_, err) = stderr_of(
        bin()
            .env("MAPI_SHUTDOWN_LANG", "zh_CN.UTF-8")
            .arg("simulate")
            .arg(&path),
    );
    assert!(err.contains("场景无效"), "{err}");
    // On Unix, the OS locale comes from LC_ALL / LANG.
    if cfg!(unix) {
        let (_, err) = stderr_of(
            bin()
                .env("LC_ALL", "fr_FR.UTF-8")
                .arg("simulate")
                .arg(&path),
        );
        assert!(err.contains("scénario incorrect"), "{err}");
    }
}

#[test]
fn an_unknown_language_is_refused_with_the_choices() {
    let (code, err) = stderr_of(bin().args(["--lang", "klingon", "processes"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("en, fr or zh-CN"), "{err}");
}

/// Options given by the environment (MAPI_SHUTDOWN_LANG,
/// MAPI_SHUTDOWN_REGISTRY, MAPI_SHUTDOWN_ENDPOINT) still apply, but usage
/// lines do not show them as if they were required; a bad value in the
/// environment names the variable.
#[test]
fn usage_lines_do_not_show_options_from_the_environment() {
    let (code, err) = stderr_of(
        bin()
            .env("MAPI_SHUTDOWN_LANG", "en")
            .env("MAPI_SHUTDOWN_REGISTRY", "memory")
            .env("MAPI_SHUTDOWN_ENDPOINT", "x")
            .arg("analyze"),
    );
    assert_eq!(code, 2, "{err}");
    // (`mapi-shutdown.exe` on Windows.)
    let usage = err
        .lines()
        .find(|l| l.starts_with("Usage: "))
        .unwrap_or_else(|| panic!("no usage line in {err}"));
    assert_eq!(
        usage.replace("mapi-shutdown.exe", "mapi-shutdown"),
        "Usage: mapi-shutdown analyze <FILE>...",
        "{err}"
    );
    for option in ["--lang", "--registry", "--endpoint"] {
        assert!(!err.contains(option), "{option} in {err}");
    }
    // The environment still chooses.
    let out = bin()
        .env("MAPI_SHUTDOWN_REGISTRY", "memory")
        .args(["policy", "show", "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"backend\": \"memory\""));
    let (code, err) = stderr_of(bin().env("MAPI_SHUTDOWN_LANG", "klingon").arg("processes"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("MAPI_SHUTDOWN_LANG=klingon"), "{err}");
    assert!(err.contains("en, fr or zh-CN"), "{err}");
}

/// Issue 17, item 12: clap's parse errors speak the language of the run
/// (`--lang`, else `MAPI_SHUTDOWN_LANG`), with clap's usage line and the
/// pointer to `--help`; English keeps clap's own words.
#[test]
fn parse_errors_speak_the_language() {
    let (code, err) = stderr_of(bin().args(["--lang", "fr", "policy", "show", "--office", "17.0"]));
    assert_eq!(code, 2, "{err}");
    // Our value parser's reason speaks French too.
    assert!(
        err.starts_with("mapi-shutdown: valeur « 17.0 » invalide pour « --office <VER> » : "),
        "{err}"
    );
    assert!(!err.contains("is not an Office version"), "{err}");
    assert!(err.contains("essayez « --help »"), "{err}");

    let (code, err) = stderr_of(
        bin()
            .env("MAPI_SHUTDOWN_LANG", "zh-CN")
            .args(["policy", "show", "--jsno"]),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("意外的参数“--jsno”"), "{err}");
    assert!(err.contains("您是否要使用“--json”？"), "{err}");
    assert!(err.contains("用法："), "{err}");

    let (code, err) = stderr_of(bin().env("MAPI_SHUTDOWN_LANG", "fr").arg("polciy"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("commande inconnue « polciy »"), "{err}");
    assert!(err.contains("vouliez-vous dire « policy » ?"), "{err}");

    let (code, err) = stderr_of(
        bin()
            .env("MAPI_SHUTDOWN_LANG", "en")
            .args(["policy", "show", "--jsno"]),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("mapi-shutdown: unexpected argument '--jsno'"),
        "{err}"
    );
}

fn stdout_of(c: &mut Command) -> (i32, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).replace("mapi-shutdown.exe", "mapi-shutdown"),
    )
}

fn has_all(text: &str, expected: &[&str], absent: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e:?} missing in:\n{text}");
    }
    for a in absent {
        assert!(!text.contains(a), "{a:?} found in:\n{text}");
    }
}

/// clap's English words, none of which a French or Chinese help shows.
const CLAP_ENGLISH: &[&str] = &[
    "Usage:",
    "Commands:",
    "Arguments:",
    "Options:",
    "Print help",
    "Print version",
    "Print this message",
    "[default:",
];

/// Issue 17, item 12: `--help` speaks the language of the run: the
/// commands' and options' texts, clap's headings and flags; option and
/// value names stay as they are; it still exits 0.
#[test]
fn help_speaks_french_and_chinese() {
    let (code, out) = stdout_of(bin().args(["--lang", "fr", "--help"]));
    assert_eq!(code, 0, "{out}");
    has_all(
        &out,
        &[
            "Modifier, surveiller et expliquer l’arrêt rapide des clients MAPI",
            "Utilisation\u{a0}: mapi-shutdown [OPTIONS] [COMMAND]",
            "Commandes\u{a0}:\n",
            "Options\u{a0}:\n",
            "Lire, vérifier et modifier la stratégie d’arrêt rapide",
            "--lang <en|fr|zh-CN>",
            "[par défaut\u{a0}: auto]",
            "Afficher l’aide",
            "Afficher la version",
            "Afficher ce message ou l’aide des sous-commandes indiquées",
        ],
        CLAP_ENGLISH,
    );
    assert!(!out.contains("Edit, watch and explain"), "{out}");

    let (code, out) = stdout_of(bin().args(["--lang", "zh-CN", "policy", "export", "--help"]));
    assert_eq!(code, 0, "{out}");
    has_all(
        &out,
        &[
            "将关闭设置导出为 regedit .reg 文件",
            "用法：mapi-shutdown policy export [OPTIONS] <FILE>",
            "参数：\n",
            "选项：\n",
            "<FILE>",
            "--format <reg|pol>",
            "--delete-unset",
            "仅 pol：为每个未配置的策略写入“删除”记录（**del.）",
            "--registry <SPEC>",
            "注册表：`windows`、`file:PATH` 或 `memory`",
            "显示帮助",
        ],
        CLAP_ENGLISH,
    );

    let (code, out) = stdout_of(
        bin()
            .env("MAPI_SHUTDOWN_LANG", "fr")
            .args(["watch", "--help"]),
    );
    assert_eq!(code, 0, "{out}");
    has_all(
        &out,
        &[
            "Écouter sur le point de terminaison (--endpoint) en tant que moniteur",
            "Utilisation\u{a0}: mapi-shutdown watch [OPTIONS]",
            "--event-log",
            "journal d’événements Application, source «\u{a0}MAPI Shutdown\u{a0}»",
            "--timeout <SECS>",
        ],
        CLAP_ENGLISH,
    );

    // `help <command>` and `-h` too.
    let (code, out) = stdout_of(bin().args(["--lang", "fr", "help", "report"]));
    assert_eq!(code, 0, "{out}");
    has_all(
        &out,
        &[
            "Écrire un rapport pour un ticket ou un audit",
            "--out <FILE>",
        ],
        CLAP_ENGLISH,
    );
    let (code, out) = stdout_of(bin().args(["--lang", "zh-CN", "-h"]));
    assert_eq!(code, 0, "{out}");
    has_all(
        &out,
        &[
            "编辑、监视并解释 MAPI 客户端（Outlook 及其他 MAPI 客户端）的快速关闭",
            "命令：",
        ],
        CLAP_ENGLISH,
    );
}

/// A missing command shows the help of its parent, translated, on stderr
/// (exit 2).
#[test]
fn the_help_of_a_missing_command_is_translated() {
    let (code, err) = stderr_of(bin().args(["--lang", "fr", "policy"]));
    assert_eq!(code, 2, "{err}");
    has_all(
        &err,
        &[
            "Lire, vérifier et modifier",
            "Commandes\u{a0}:",
            "Restaurer la sauvegarde la plus récente",
        ],
        &["Usage:", "Commands:"],
    );
}

/// English `--help` is clap's own, from the doc comments, as before.
#[test]
fn english_help_is_clap_own() {
    let (code, out) = stdout_of(bin().args(["--lang", "en", "--help"]));
    assert_eq!(code, 0, "{out}");
    has_all(
        &out,
        &[
            "Edit, watch and explain MAPI client fast shutdown (Outlook and other MAPI clients)\n\nUsage: mapi-shutdown [OPTIONS] [COMMAND]\n\nCommands:\n",
            "  policy     Read, check and edit the per-user fast-shutdown policy",
            "\nOptions:\n",
            "[default: auto]",
            "  -h, --help",
            "Print help",
            "Print version",
            "Print this message or the help of the given subcommand(s)",
        ],
        &["Utilisation", "Afficher"],
    );
    let (_, out) = stdout_of(bin().args(["policy", "export", "--help"]));
    has_all(
        &out,
        &[
            "Usage: mapi-shutdown policy export [OPTIONS] <FILE>\n\nArguments:\n  <FILE>  The file to write",
            "--delete-unset",
        ],
        &[],
    );
}
