//! The whole-application smoke tour: with [`SCREENSHOTS_ENV`] set to a
//! folder, the real application (real window, real renderer, real monitor)
//! waits until its monitor listens, says so with a `ready` file in that
//! folder, waits for [`SESSIONS_ENV`] finished shutdown sessions to arrive
//! (a scenario streamed in by `mapi-shutdown simulate`), then opens every
//! panel in turn ([`Tab::ALL`]), saves a screenshot of each as
//! `<n>-<panel>.png`, and closes the window.
//!
//! The exit code says how it went: 0 when every panel was saved and none is
//! blank (a single colour: the renderer drew nothing), 1 otherwise, with
//! the reason on stderr and in `failed.txt` in the folder. `scripts/check`
//! (stage 6) runs it for the Linux build under Xvfb and for the Windows
//! build under Wine; see docs/gui.md.
//!
//! While the tour runs, the eframe storage (remembered panel, theme,
//! window size) is a file of its own inside [`SCREENSHOTS_ENV`]
//! ([`storage_file`]), so a tour neither depends on nor changes the user's.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::app::Tab;
use super::live::{ListenStatus, LiveConfig, LivePanel};
use crate::monitor::store::ConnState;

/// The folder to save the screenshots in; setting it starts the tour.
pub const SCREENSHOTS_ENV: &str = "MAPI_SHUTDOWN_SMOKE_SCREENSHOTS";
/// How many finished sessions the Live panel must hold before the tour
/// starts (default 0: start at once).
pub const SESSIONS_ENV: &str = "MAPI_SHUTDOWN_SMOKE_SESSIONS";
/// How long the whole tour may take, in seconds (default 120).
pub const TIMEOUT_ENV: &str = "MAPI_SHUTDOWN_SMOKE_TIMEOUT";
/// Written into the folder once the monitor listens; holds the endpoint.
pub const READY_FILE: &str = "ready";
/// Written into the folder when the tour fails; holds the reason.
pub const FAILED_FILE: &str = "failed.txt";

/// Frames drawn on a panel before its screenshot is taken (layout settles
/// over a frame or two: sizes measured in one pass are used in the next).
const SETTLE_FRAMES: u32 = 3;

/// Why the tour failed, for the exit code ([`failure`]).
static FAILURE: OnceLock<String> = OnceLock::new();

/// The tour's failure, if it ran and failed: [`super::run`] turns it into
/// exit code 1.
pub fn failure() -> Option<&'static str> {
    FAILURE.get().map(String::as_str)
}

/// The screenshots folder when a tour is asked for.
pub fn screenshots_dir() -> Option<PathBuf> {
    std::env::var_os(SCREENSHOTS_ENV)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
}

/// The eframe storage file used during a tour.
pub fn storage_file(dir: &Path) -> PathBuf {
    dir.join("eframe-storage.ron")
}

/// What the tour was asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmokeConfig {
    /// Where the screenshots go.
    pub dir: PathBuf,
    /// Finished sessions to wait for before the tour.
    pub sessions: usize,
    /// Limit for the whole run.
    pub timeout: Duration,
}

impl SmokeConfig {
    /// From [`SCREENSHOTS_ENV`], [`SESSIONS_ENV`] and [`TIMEOUT_ENV`];
    /// `Ok(None)` when no tour is asked for.
    ///
    /// Errors: a count or a timeout that is not a whole number.
    pub fn from_env() -> Result<Option<Self>, String> {
        let Some(dir) = screenshots_dir() else {
            return Ok(None);
        };
        let number = |name: &str, default: u64| -> Result<u64, String> {
            match std::env::var(name) {
                Ok(s) if !s.trim().is_empty() => s
                    .trim()
                    .parse()
                    .map_err(|_| format!("{name}={s:?} is not a whole number")),
                _ => Ok(default),
            }
        };
        Ok(Some(SmokeConfig {
            dir,
            sessions: usize::try_from(number(SESSIONS_ENV, 0)?).unwrap_or(usize::MAX),
            timeout: Duration::from_secs(number(TIMEOUT_ENV, 120)?),
        }))
    }
}

/// Where the tour is.
enum Stage {
    /// Waiting for the monitor to listen.
    Listening,
    /// Waiting for enough finished sessions.
    Sessions,
    /// Showing panel `index` for `frames` frames so far.
    Settle { index: usize, frames: u32 },
    /// Screenshot of panel `index` asked for, not delivered yet.
    Capture { index: usize },
    /// Every panel saved: closing.
    Done,
    /// Failed: closing.
    Failed,
}

/// A delivered screenshot.
type Shot = Arc<Mutex<Option<Arc<egui::ColorImage>>>>;

/// The tour, driven once per frame by the application shell.
pub struct SmokeTour {
    config: Result<SmokeConfig, String>,
    started: Instant,
    stage: Stage,
    shot: Shot,
    saved: Vec<PathBuf>,
}

impl SmokeTour {
    /// The tour asked for by the environment, if any. A bad setting makes a
    /// tour that fails at its first frame, saying why.
    pub fn from_env() -> Option<Self> {
        let config = match SmokeConfig::from_env() {
            Ok(None) => return None,
            Ok(Some(c)) => Ok(c),
            Err(e) => Err(e),
        };
        Some(Self::new(config))
    }

    /// A tour with this configuration.
    pub fn new(config: Result<SmokeConfig, String>) -> Self {
        SmokeTour {
            config,
            started: Instant::now(),
            stage: Stage::Listening,
            shot: Arc::new(Mutex::new(None)),
            saved: Vec::new(),
        }
    }

    /// The screenshots saved so far.
    pub fn saved(&self) -> &[PathBuf] {
        &self.saved
    }

    /// One step, at the start of a frame. Returns the panel to show in this
    /// frame while the tour visits them.
    pub fn step(&mut self, ctx: &egui::Context, live: &LivePanel) -> Option<Tab> {
        if matches!(self.stage, Stage::Done | Stage::Failed) {
            return None;
        }
        // Keep frames coming: the tour advances one step per frame.
        ctx.request_repaint_after(Duration::from_millis(20));
        let config = match &self.config {
            Ok(c) => c.clone(),
            Err(e) => {
                let e = format!("smoke tour: {e}");
                self.fail(ctx, None, e);
                return None;
            }
        };
        if self.started.elapsed() > config.timeout {
            let what = match self.stage {
                Stage::Listening => format!(
                    "the monitor is not listening: {}",
                    live.status().describe().1
                ),
                Stage::Sessions => format!(
                    "{} finished session(s) arrived, {} expected: is `mapi-shutdown simulate` \
                     sending to this endpoint ({})?",
                    finished(live),
                    config.sessions,
                    live.status().describe().1
                ),
                Stage::Settle { index, .. } | Stage::Capture { index } => format!(
                    "no screenshot of the {} panel came back from the renderer",
                    Tab::ALL[index].id()
                ),
                Stage::Done | Stage::Failed => String::new(),
            };
            let e = format!(
                "smoke tour timed out after {} s ({TIMEOUT_ENV}): {what}",
                config.timeout.as_secs()
            );
            self.fail(ctx, Some(&config.dir), e);
            return None;
        }
        match self.stage {
            Stage::Listening => match live.status() {
                ListenStatus::Listening(endpoint) => {
                    if let Err(e) = std::fs::create_dir_all(&config.dir)
                        .and_then(|()| std::fs::write(config.dir.join(READY_FILE), endpoint))
                    {
                        let e = format!(
                            "smoke tour: cannot write {}: {e}",
                            config.dir.join(READY_FILE).display()
                        );
                        self.fail(ctx, None, e);
                        return None;
                    }
                    println!("smoke: monitor listening on {endpoint}");
                    // Where "Run scenario" finds the shipped scenarios (the
                    // installed layout: `scenarios` beside the exe).
                    let exe = std::env::current_exe().ok();
                    match LiveConfig::find_scenarios_dir(exe.as_deref()) {
                        Some(dir) => println!(
                            "smoke: scenarios folder {} ({} scenarios)",
                            dir.display(),
                            std::fs::read_dir(&dir)
                                .map(|d| d
                                    .filter_map(Result::ok)
                                    .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
                                    .count())
                                .unwrap_or(0)
                        ),
                        None => println!("smoke: scenarios folder: none found"),
                    }
                    self.stage = Stage::Sessions;
                    None
                }
                ListenStatus::InUse(_) | ListenStatus::Squatted(..) | ListenStatus::Error(_) => {
                    let e = format!("smoke tour: {}", live.status().describe().1);
                    self.fail(ctx, Some(&config.dir), e);
                    None
                }
            },
            Stage::Sessions => {
                if finished(live) >= config.sessions {
                    println!("smoke: {} finished session(s) received", finished(live));
                    self.stage = Stage::Settle {
                        index: 0,
                        frames: 0,
                    };
                    Some(Tab::ALL[0])
                } else {
                    None
                }
            }
            Stage::Settle { index, frames } => {
                if frames + 1 >= SETTLE_FRAMES {
                    let slot = self.shot.clone();
                    let waker = ctx.clone();
                    ctx.request_screenshot(move |image| {
                        if let Ok(mut s) = slot.lock() {
                            *s = Some(image);
                        }
                        waker.request_repaint();
                    });
                    self.stage = Stage::Capture { index };
                } else {
                    self.stage = Stage::Settle {
                        index,
                        frames: frames + 1,
                    };
                }
                Some(Tab::ALL[index])
            }
            Stage::Capture { index } => {
                let image = self.shot.lock().ok().and_then(|mut s| s.take());
                let Some(image) = image else {
                    return Some(Tab::ALL[index]);
                };
                let tab = Tab::ALL[index];
                let path = config.dir.join(file_name(index, tab));
                if let Err(e) = check_and_save(&image, &path, tab) {
                    self.fail(ctx, Some(&config.dir), e);
                    return None;
                }
                println!(
                    "smoke: saved {} ({}x{})",
                    path.display(),
                    image.size[0],
                    image.size[1]
                );
                self.saved.push(path);
                if index + 1 < Tab::ALL.len() {
                    self.stage = Stage::Settle {
                        index: index + 1,
                        frames: 0,
                    };
                    Some(Tab::ALL[index + 1])
                } else {
                    println!(
                        "smoke: all {} panels saved in {:.1} s; closing",
                        self.saved.len(),
                        self.started.elapsed().as_secs_f64()
                    );
                    self.stage = Stage::Done;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    // Back to the first panel for the last frames.
                    Some(Tab::ALL[0])
                }
            }
            Stage::Done | Stage::Failed => None,
        }
    }

    fn fail(&mut self, ctx: &egui::Context, dir: Option<&Path>, reason: String) {
        eprintln!("mapi-shutdown: {reason}");
        if let Some(dir) = dir {
            // Best effort: the message is on stderr in any case.
            let _ = std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(dir.join(FAILED_FILE), format!("{reason}\n")));
        }
        let _ = FAILURE.set(reason);
        self.stage = Stage::Failed;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// Finished (closed) sessions in the Live panel.
fn finished(live: &LivePanel) -> usize {
    live.sessions()
        .iter()
        .filter(|s| s.state == ConnState::Closed)
        .count()
}

/// `1-policy.png`, `2-processes.png`, …
pub fn file_name(index: usize, tab: Tab) -> String {
    format!("{}-{}.png", index + 1, tab.id())
}

/// Refuse a blank screenshot (one colour), else save it as PNG.
fn check_and_save(image: &egui::ColorImage, path: &Path, tab: Tab) -> Result<(), String> {
    let [w, h] = image.size;
    if w == 0 || h == 0 || image.pixels.is_empty() {
        return Err(format!(
            "smoke tour: the screenshot of the {} panel is empty ({w}x{h})",
            tab.id()
        ));
    }
    if let Some(colour) = single_colour(image) {
        return Err(format!(
            "smoke tour: the screenshot of the {} panel is blank: every pixel is {colour:?} \
             ({w}x{h}); the renderer drew nothing",
            tab.id()
        ));
    }
    let rgba: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|p| p.to_srgba_unmultiplied())
        .collect();
    let (Ok(wu), Ok(hu)) = (u32::try_from(w), u32::try_from(h)) else {
        return Err(format!("smoke tour: screenshot too large ({w}x{h})"));
    };
    let buffer = image::RgbaImage::from_raw(wu, hu, rgba)
        .ok_or_else(|| format!("smoke tour: screenshot size {w}x{h} does not match its pixels"))?;
    buffer
        .save_with_format(path, image::ImageFormat::Png)
        .map_err(|e| format!("smoke tour: cannot write {}: {e}", path.display()))
}

/// The one colour of an image that has only one, if so.
pub fn single_colour(image: &egui::ColorImage) -> Option<egui::Color32> {
    let first = *image.pixels.first()?;
    image.pixels.iter().all(|p| *p == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_colour_image_is_blank_and_one_pixel_more_is_not() {
        let mut image = egui::ColorImage::filled([8, 4], egui::Color32::from_rgb(27, 27, 27));
        assert_eq!(
            single_colour(&image),
            Some(egui::Color32::from_rgb(27, 27, 27))
        );
        image.pixels[31] = egui::Color32::WHITE;
        assert_eq!(single_colour(&image), None);
    }

    #[test]
    fn blank_screenshots_are_refused_and_others_saved_as_png() {
        let dir = tempfile::tempdir().unwrap();
        let blank = egui::ColorImage::filled([4, 4], egui::Color32::BLACK);
        let path = dir.path().join("blank.png");
        let err = check_and_save(&blank, &path, Tab::Live).unwrap_err();
        assert!(err.contains("live panel is blank"), "{err}");
        assert!(!path.exists());

        let mut drawn = egui::ColorImage::filled([4, 3], egui::Color32::BLACK);
        drawn.pixels[5] = egui::Color32::from_rgb(200, 10, 10);
        let path = dir.path().join("drawn.png");
        check_and_save(&drawn, &path, Tab::Live).unwrap();
        let back = image::open(&path).unwrap().into_rgba8();
        assert_eq!(back.dimensions(), (4, 3));
        assert_eq!(back.get_pixel(1, 1).0, [200, 10, 10, 255]);
        assert_eq!(back.get_pixel(0, 0).0, [0, 0, 0, 255]);
    }

    #[test]
    fn a_monitor_that_cannot_listen_fails_the_tour_with_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let live = LivePanel::start(
            LiveConfig {
                endpoint: Err("no endpoint in this test".into()),
                endpoint_name: None,
                scenarios_dir: None,
                simulate_exe: None,
            },
            None,
        );
        let mut tour = SmokeTour::new(Ok(SmokeConfig {
            dir: dir.path().to_path_buf(),
            sessions: 1,
            timeout: Duration::from_secs(60),
        }));
        let ctx = egui::Context::default();
        assert_eq!(tour.step(&ctx, &live), None);
        let failed = std::fs::read_to_string(dir.path().join(FAILED_FILE)).unwrap();
        assert!(failed.contains("no endpoint in this test"), "{failed}");
        assert!(!dir.path().join(READY_FILE).exists());
        assert!(failure().is_some());
        // Failed stays failed: no panel is shown, nothing is saved.
        assert_eq!(tour.step(&ctx, &live), None);
        assert!(tour.saved().is_empty());
    }

    #[test]
    fn a_bad_setting_fails_the_tour_at_once() {
        let live = LivePanel::start(
            LiveConfig {
                endpoint: Err("unused".into()),
                endpoint_name: None,
                scenarios_dir: None,
                simulate_exe: None,
            },
            None,
        );
        let mut tour = SmokeTour::new(Err(
            "MAPI_SHUTDOWN_SMOKE_SESSIONS=\"x\" is not a whole number".into(),
        ));
        let ctx = egui::Context::default();
        assert_eq!(tour.step(&ctx, &live), None);
        assert!(matches!(tour.stage, Stage::Failed));
    }

    #[test]
    fn file_names_follow_the_tab_order() {
        let names: Vec<_> = Tab::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| file_name(i, *t))
            .collect();
        assert_eq!(
            names,
            [
                "1-policy.png",
                "2-processes.png",
                "3-live.png",
                "4-reports.png"
            ]
        );
    }
}
