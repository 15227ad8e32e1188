//! `.reg` import under load (issue 17, item 8): the time to read and plan
//! the import of files built to hit each path that used to be quadratic,
//! and the peak memory of reading a large regedit export.
//!
//! 1. **hex continuations**: one `REG_BINARY` value written as regedit
//!    writes it, 25 bytes per continuation line (`  00,01,…,\`), 1.3 MB of
//!    text; timed: `regfile::validate` and the whole read
//!    (`regfile::parse_bytes`: decode, validate, regashii).
//! 2. **empty sections**: 40,000 empty sections, none with a section
//!    below it (each is refused: "creates a key"); timed:
//!    `transfer::plan_import` against an empty memory store.
//! 3. **peak memory**: an 11 MB regedit export (UTF-16LE, the format
//!    regedit writes) of 2,000 keys, each with two `REG_DWORD`s, a string
//!    and a 1,000-byte `REG_BINARY` over 40 continuation lines; the peak
//!    RSS growth (`VmHWM` after resetting it through
//!    `/proc/self/clear_refs`, Linux) of `transfer::read_import_file` +
//!    `plan_import`, against the file's size.
//!
//! Also, each in a process of its own: 120,000 values in one key (7 MB),
//! 60,000 sections of one value each (9 MB), both now refused for holding
//! more than `transfer::MAX_IMPORT_ENTRIES` keys and values (the time and
//! peak memory of the refusal are printed), the largest accepted files of
//! that shape (19,999 values in one key; 10,000 one-value sections), and
//! 20 keys of 100 KB values.
//!
//! A plain `main` with manual timing, each timed case run 3 times (the
//! median is printed). Results and the command are in docs/benchmarks.md.

use std::path::Path;
use std::time::{Duration, Instant};

use mapi_shutdown::policy::memory::MemoryStore;
use mapi_shutdown::policy::{regfile, transfer};

const HEAD: &str = "Windows Registry Editor Version 5.00\r\n\r\n";
const RUNS: usize = 3;

/// A value of `bytes` bytes as regedit writes it: `hex:` then lines of 25
/// bytes ending `,\`, each continuation indented by two spaces.
fn hex_value(name: &str, bytes: usize) -> String {
    let mut out = format!("\"{name}\"=hex:");
    for i in 0..bytes {
        if i > 0 && i % 25 == 0 {
            out.push_str("\\\r\n  ");
        }
        out.push_str(&format!("{:02x}", i % 256));
        if i + 1 < bytes {
            out.push(',');
        }
    }
    out.push_str("\r\n");
    out
}

fn continuations_text(text_bytes: usize) -> String {
    // About 77 characters of text per 25 bytes of data.
    let bytes = text_bytes / 77 * 25;
    format!(
        "{HEAD}[HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\r\n{}",
        hex_value("Blob", bytes)
    )
}

fn empty_sections_text(n: usize) -> String {
    let mut out = String::from(HEAD);
    for i in 0..n {
        out.push_str(&format!(
            "[HKEY_CURRENT_USER\\Software\\Vendor\\Product\\Key{i:05}]\r\n\r\n"
        ));
    }
    out
}

fn export_text(keys: usize, blob: usize) -> String {
    let mut out = String::from(HEAD);
    for i in 0..keys {
        out.push_str(&format!(
            "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\Outlook\\Addins\\Vendor{i:04}.AddIn]\r\n\
             \"LoadBehavior\"=dword:00000003\r\n\
             \"RequireShutdownNotification\"=dword:00000001\r\n\
             \"FriendlyName\"=\"Vendor add-in number {i}\"\r\n"
        ));
        out.push_str(&hex_value("Settings", blob));
        out.push_str("\r\n");
    }
    out
}

/// One key with `n` `REG_DWORD` values.
fn values_text(n: usize) -> String {
    let mut out = format!("{HEAD}[HKEY_CURRENT_USER\\Software\\Vendor\\Many]\r\n");
    for i in 0..n {
        out.push_str(&format!("\"Value{i:06}\"=dword:{i:08x}\r\n"));
    }
    out
}

/// `n` sections with one `REG_DWORD` each.
fn sections_text(n: usize) -> String {
    let mut out = String::from(HEAD);
    for i in 0..n {
        out.push_str(&format!(
            "[HKEY_CURRENT_USER\\Software\\Vendor\\Product\\Key{i:06}]\r\n\"V\"=dword:00000001\r\n\r\n"
        ));
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> T) -> Duration {
    let runs = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    median(runs)
}

/// Peak resident memory since the last reset, bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Reset the peak to the current RSS (Linux 4.0 and later).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn current_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    // `cargo bench` passes `--bench`; any filter is ignored.
    if let Ok(case) = std::env::var("REGFILE_BENCH_MEMORY") {
        memory_case(&case);
        return;
    }
    let path = Path::new("bench.reg");

    let text = continuations_text(1_300_000);
    let lines = text.lines().count();
    let validate = time(|| regfile::validate(&text).expect("valid"));
    let parse = time(|| regfile::parse_bytes(text.as_bytes(), path, false).expect("valid"));
    println!(
        "hex continuations: {:.2} MB, {lines} lines: validate {:.1} ms, parse_bytes {:.1} ms",
        text.len() as f64 / 1e6,
        validate.as_secs_f64() * 1e3,
        parse.as_secs_f64() * 1e3,
    );

    let text = empty_sections_text(40_000);
    let reg = regfile::parse_bytes(text.as_bytes(), path, false).expect("valid");
    let store = MemoryStore::new();
    let plan = time(|| transfer::plan_import(&store, &reg).expect("plan"));
    let parse = time(|| regfile::parse_bytes(text.as_bytes(), path, false).expect("valid"));
    println!(
        "empty sections: 40,000 ({:.2} MB): parse_bytes {:.1} ms, plan_import {:.1} ms",
        text.len() as f64 / 1e6,
        parse.as_secs_f64() * 1e3,
        plan.as_secs_f64() * 1e3,
    );

    // Each memory case in a process of its own: a peak measured after
    // other cases would reuse the memory they freed.
    for case in [
        "blobs-1k",
        "blobs-100k",
        "values",
        "sections",
        "values-at-limit",
        "sections-at-limit",
    ] {
        let status = std::process::Command::new(std::env::current_exe().expect("bench exe"))
            .env("REGFILE_BENCH_MEMORY", case)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            println!("{case}: the memory case failed");
        }
    }
}

/// The memory case named by `REGFILE_BENCH_MEMORY`, in this process.
fn memory_case(case: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = MemoryStore::new();
    let text = match case {
        "blobs-1k" => export_text(2_000, 1_000),
        "blobs-100k" => export_text(20, 100_000),
        "values" => values_text(120_000),
        "values-at-limit" => values_text(transfer::MAX_IMPORT_ENTRIES - 1),
        "sections-at-limit" => sections_text(transfer::MAX_IMPORT_ENTRIES / 2),
        _ => sections_text(60_000),
    };
    memory(dir.path(), &store, case, &text);
}

/// Read and plan an export of `keys` add-in keys, each with a `blob`-byte
/// binary value; print the time and the peak RSS growth.
fn memory(dir: &Path, store: &MemoryStore, name: &str, text: &str) {
    let file = dir.join(format!("{name}.reg"));
    let bytes = regfile::encode_regedit5(text);
    std::fs::write(&file, &bytes).expect("write the export");
    let size = bytes.len();
    drop(bytes);
    let before = current_rss();
    let reset = reset_peak_rss();
    let started = Instant::now();
    let reg = match transfer::read_import_file(&file) {
        Ok(reg) => reg,
        Err(e) => {
            let took = started.elapsed();
            let grew = peak_rss()
                .zip(before)
                .map(|(p, b)| format!("peak RSS +{:.1} MB", p.saturating_sub(b) as f64 / 1e6));
            println!(
                "{name}: {:.1} MB (UTF-16): refused in {:.0} ms, {}: {e}",
                size as f64 / 1e6,
                took.as_secs_f64() * 1e3,
                grew.unwrap_or_else(|| "peak RSS not measured here".into())
            );
            return;
        }
    };
    let read_peak = peak_rss();
    let plan = transfer::plan_import(store, &reg).expect("plan");
    let took = started.elapsed();
    let peak = peak_rss();
    std::hint::black_box((&reg, &plan));
    let what = format!("{name}: {:.1} MB (UTF-16)", size as f64 / 1e6);
    match (reset, before, peak) {
        (true, Some(before), Some(peak)) => println!(
            "{what}: read + plan {:.0} ms, peak RSS +{:.0} MB after the read, +{:.0} MB after the plan ({:.1}x the file)",
            took.as_secs_f64() * 1e3,
            read_peak.unwrap_or(before).saturating_sub(before) as f64 / 1e6,
            peak.saturating_sub(before) as f64 / 1e6,
            peak.saturating_sub(before) as f64 / size as f64,
        ),
        _ => println!(
            "{what}: read + plan {:.0} ms (peak RSS not measured here)",
            took.as_secs_f64() * 1e3
        ),
    }
}
