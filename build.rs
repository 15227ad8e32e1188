//! Build script: on Windows targets, embeds the application icon
//! (`assets/icon.ico`) and the version information (from Cargo.toml) in
//! `mapi-shutdown.exe`, with `winresource`: `rc.exe` from the Windows SDK
//! for `*-windows-msvc`, MinGW's `windres` for `*-windows-gnu` (on Linux
//! `x86_64-w64-mingw32-windres`, Debian package `binutils-mingw-w64-x86-64`,
//! which `gcc-mingw-w64-x86-64` pulls in; `WINDRES=...` overrides it).
//! Other targets: nothing to do.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icon.ico");
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
    // Only the application: test and bench executables need no icon.
    if let Err(e) = res.compile_for("mapi-shutdown") {
        let target = std::env::var("TARGET").unwrap_or_default();
        panic!(
            "cannot embed the icon and version information in mapi-shutdown.exe for {target}: \
             {e}.\nThe resource compiler is missing or failed. Cross-building on Debian/Ubuntu: \
             `apt-get install binutils-mingw-w64-x86-64` (x86_64-w64-mingw32-windres), or set \
             WINDRES to a windres. On Windows with the MSVC toolchain: install the Windows SDK \
             (rc.exe)."
        );
    }
}
