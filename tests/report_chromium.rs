//! The HTML report in a real browser: headless Chromium (Debian's
//! `chromium`, installed by `scripts/check deps`) renders the golden
//! report to a PNG, which must not be blank (enough non-white pixels, the
//! outcome badges' colours present), serializes its DOM, whose title must
//! be the report's, and prints it to PDF (the page is meant for paper).
//! The PNG and PDF are kept in the target's temp dir for people to look at.
//!
//! Skipped, saying so, only when Chromium is not installed and
//! `MAPI_SHUTDOWN_REQUIRE_CHROMIUM` is unset; `scripts/check` sets it, so
//! CI fails instead of skipping. Not on Windows (no Chromium in the Wine
//! stage).

#![cfg(not(windows))]

mod report_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use mapi_shutdown::i18n::Lang;
use mapi_shutdown::report::{self, Format, RenderOptions};

const REQUIRE_ENV: &str = "MAPI_SHUTDOWN_REQUIRE_CHROMIUM";

/// `chromium` (Debian) or `chromium-browser` on PATH.
fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Chromium, or `None` after printing why the test is skipped. Panics
/// when it is missing but required.
fn chromium_or_skip() -> Option<PathBuf> {
    match find_chromium() {
        Some(p) => Some(p),
        None if std::env::var_os(REQUIRE_ENV).is_some() => panic!(
            "{REQUIRE_ENV} is set but chromium is not installed: run `scripts/check deps` \
             (apt-get install chromium)"
        ),
        None => {
            eprintln!(
                "SKIPPED: chromium is not installed, so the HTML report is not rendered \
                 (install Debian's `chromium`, or set {REQUIRE_ENV}=1 to make this a failure)"
            );
            None
        }
    }
}

/// Run headless Chromium on `page` with `extra` flags; a fresh profile in
/// `profile`; killed after two minutes.
fn headless(bin: &Path, profile: &Path, page: &Path, extra: &[String]) -> Output {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(format!("file://{}", page.display()))
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let child = cmd.spawn().expect("start chromium");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(out) => out.expect("wait for chromium"),
        Err(_) => {
            // Only our own child, by its pid.
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("chromium did not finish within 2 minutes");
        }
    }
}

struct Image {
    width: u32,
    height: u32,
    /// RGB(A) samples, `channels` per pixel.
    data: Vec<u8>,
    channels: usize,
}

fn read_png(path: &Path) -> Image {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut data = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut data).unwrap();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    data.truncate(info.buffer_size());
    Image {
        width: info.width,
        height: info.height,
        data,
        channels,
    }
}

impl Image {
    fn pixels(&self) -> impl Iterator<Item = [u8; 3]> + '_ {
        self.data
            .chunks_exact(self.channels)
            .map(|p| [p[0], p[1], p[2]])
    }
}

/// Whether some pixel is within `tol` of `rgb` on every channel.
fn has_colour(img: &Image, rgb: [u8; 3], tol: u8) -> bool {
    img.pixels()
        .any(|p| (0..3).all(|i| p[i].abs_diff(rgb[i]) <= tol))
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(bin) = chromium_or_skip() else {
        return;
    };
    let model = report_support::full_model();
    let html = report::render(&model, Format::Html, &RenderOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR"));

    // Screenshot: not blank.
    let shot = dir.path().join("report.png");
    let out = headless(
        &bin,
        &dir.path().join("profile-shot"),
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2200".to_string(),
        ],
    );
    assert!(
        shot.is_file(),
        "no screenshot; chromium said: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::copy(&shot, keep.join("report-chromium.png"));
    let img = read_png(&shot);
    assert_eq!((img.width, img.height), (1280, 2200));
    let total = img.pixels().count();
    let inked = img.pixels().filter(|p| p.iter().any(|c| *c < 200)).count();
    assert!(
        inked * 100 > total,
        "the page looks blank: {inked} of {total} pixels are not near-white"
    );
    // The summary's badges (fast: green, data-loss risk: red) were painted.
    assert!(has_colour(&img, [0xda, 0xfb, 0xe1], 4), "no green badge");
    assert!(has_colour(&img, [0xff, 0xe3, 0xe0], 4), "no red badge");

    // The DOM: the title is the report's, the timelines are there.
    let out = headless(
        &bin,
        &dir.path().join("profile-dom"),
        &page,
        &["--dump-dom".to_string()],
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains(&format!(
            "<title>{}</title>",
            model.title().render(Lang::En)
        )),
        "title not found in the DOM: {}",
        dom.chars().take(400).collect::<String>()
    );
    assert_eq!(dom.matches("<svg class=\"timeline\"").count(), 2);

    // Paper: prints to a PDF of several pages.
    let pdf = dir.path().join("report.pdf");
    let out = headless(
        &bin,
        &dir.path().join("profile-pdf"),
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_string(),
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| {
        panic!(
            "no PDF ({e}); chromium said: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let pages = bytes.windows(10).filter(|w| w == b"/Type /Pag").count()
        + bytes.windows(9).filter(|w| w == b"/Type/Pag").count();
    assert!(
        pages >= 2,
        "expected several printed pages, found {pages} marks"
    );
    let _ = std::fs::copy(&pdf, keep.join("report-chromium.pdf"));
}
