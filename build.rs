//! Build script: on Windows targets, embeds the application icon
//! (`assets/icon.ico`) and the version information (from Cargo.toml) in
//! `mapi-shutdown.exe`, with `winresource`: `rc.exe` from the Windows SDK
//! for `*-windows-msvc`, MinGW's `windres` for `*-windows-gnu` (on Linux
//! `x86_64-w64-mingw32-windres`, Debian package `binutils-mingw-w64-x86-64`,
//! which `gcc-mingw-w64-x86-64` pulls in; `WINDRES=...` overrides it).
//! It also compiles the Event Log message table
//! (`assets/eventlog/messages.mc`: the messages of the "MAPI Shutdown"
//! source in English, French and Chinese; docs/fleet.md) with MinGW's
//! `windmc` (`x86_64-w64-mingw32-windmc` / `i686-w64-mingw32-windmc` on
//! Linux, from the same package; `WINDMC=...` overrides it) or the Windows
//! SDK's `mc.exe` for `*-windows-msvc`, and embeds it as MESSAGETABLE 1.
//! Other targets: nothing to do.

use std::path::Path;
use std::process::Command;

const MESSAGES_MC: &str = "assets/eventlog/messages.mc";

/// The message compiler for this target: `WINDMC`, else MinGW's
/// `<arch>-w64-mingw32-windmc` when cross-building, `windmc` on a Windows
/// host with the GNU toolchain, `mc.exe` with MSVC.
fn message_compiler(target: &str) -> (String, bool) {
    if let Ok(tool) = std::env::var("WINDMC") {
        return (tool, true);
    }
    if target.ends_with("-msvc") {
        return ("mc.exe".to_string(), false);
    }
    if cfg!(windows) {
        return ("windmc".to_string(), true);
    }
    let arch = target.split('-').next().unwrap_or("x86_64");
    (format!("{arch}-w64-mingw32-windmc"), true)
}

/// Compile the message table into `out` and return the resource script
/// lines that embed it (`LANGUAGE …` / `1 MESSAGETABLE "…"` per language,
/// the paths absolute).
fn message_table(target: &str, out: &Path) -> String {
    let (tool, gnu) = message_compiler(target);
    let mut cmd = Command::new(&tool);
    if gnu {
        // The .mc is UTF-8; the messages are stored as UTF-16.
        cmd.args(["-C", "65001", "-U"]);
    } else {
        cmd.arg("-U");
    }
    cmd.arg("-r").arg(out).arg("-h").arg(out).arg(MESSAGES_MC);
    let status = cmd.status().unwrap_or_else(|e| {
        panic!(
            "cannot run the message compiler `{tool}` for the Event Log messages ({MESSAGES_MC}): \
             {e}.\nCross-building on Debian/Ubuntu: `apt-get install binutils-mingw-w64-x86-64` \
             (x86_64-w64-mingw32-windmc), or set WINDMC to a windmc. With MSVC: install the \
             Windows SDK (mc.exe)."
        )
    });
    assert!(
        status.success(),
        "`{tool}` failed on {MESSAGES_MC} ({status}): see its messages above"
    );
    let rc = std::fs::read_to_string(out.join("messages.rc"))
        .unwrap_or_else(|e| panic!("`{tool}` wrote no messages.rc in {}: {e}", out.display()));
    let dir = out.display().to_string().replace('\\', "/");
    rc.replace("\"MSG", &format!("\"{dir}/MSG"))
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icon.ico");
    println!("cargo:rerun-if-changed={MESSAGES_MC}");
    println!("cargo:rerun-if-env-changed=WINDMC");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/icon.ico")
        .set("ProductName", "MAPI Shutdown")
        .set(
            "FileDescription",
            "MAPI Shutdown: edit, watch and explain Outlook/MAPI fast shutdown",
        )
        .set("CompanyName", "mapi-shutdown contributors")
        .set("LegalCopyright", "MIT License, mapi-shutdown contributors");
    let target = std::env::var("TARGET").unwrap_or_default();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    res.append_rc_content(&message_table(&target, &out));
    // Only the application: test and bench executables need no icon.
    if let Err(e) = res.compile_for("mapi-shutdown") {
        panic!(
            "cannot embed the icon and version information in mapi-shutdown.exe for {target}: \
             {e}.\nThe resource compiler is missing or failed. Cross-building on Debian/Ubuntu: \
             `apt-get install binutils-mingw-w64-x86-64` (x86_64-w64-mingw32-windres), or set \
             WINDRES to a windres. On Windows with the MSVC toolchain: install the Windows SDK \
             (rc.exe)."
        );
    }
}
