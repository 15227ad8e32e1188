//! The desktop application (the default `gui` feature): the shell
//! ([`app`]), one module per panel ([`policy`], [`processes`], [`live`],
//! [`reports`]) drawn with a [`PanelContext`], the one registry of
//! background work ([`tasks`]), the timeline widget ([`timeline`]), the look
//! ([`theme`]), capture from the window ([`capture`]), the file dialogs behind a trait ([`dialogs`]), the
//! screenshot tour of the smoke tests ([`smoke`]), and [`run`], which opens
//! the window (with the application icon, [`icon`]) with a renderer that
//! works on the machine.
//!
//! # Renderer choice
//! Admins run this on Windows Server over Remote Desktop, where there is
//! no GPU: Direct3D 12 still works there through WARP (the software
//! rasterizer), OpenGL beyond 1.1 does not. Under Wine, wgpu's Direct3D 12
//! fails (vkd3d) while OpenGL works. On Linux, Mesa's OpenGL (llvmpipe
//! without a GPU) is the most widely available. So [`Renderer::Auto`]
//! tries wgpu first on Windows and OpenGL (glow) first under Wine and
//! elsewhere; when the first one cannot start, the program starts itself
//! again with the other ([`RENDERER_ENV`]), and when neither works it says
//! so with both errors. Measured and explained in docs/gui.md.

pub mod app;
pub mod capture;
pub mod dialogs;
pub mod fonts;
pub mod live;
pub mod policy;
pub mod processes;
pub mod reports;
pub mod smoke;
pub mod tasks;
pub mod theme;
pub mod timeline;

use std::fmt;
use std::str::FromStr;

pub use app::{App, Backends, Tab, UiState};

/// What a panel gets from the shell to draw a frame: the backends it may
/// read and the task registry it starts background work in. Panels keep
/// no backend of their own, do no file, registry-write or process I/O on
/// the UI thread, and return commands for what concerns the shell.
pub struct PanelContext<'a> {
    /// The registry store (read: the policy a scenario runs with, the
    /// report's policy section, in tasks).
    pub registry: &'a std::sync::Arc<dyn crate::policy::store::RegistryStore>,
    /// File dialogs.
    pub dialogs: &'a dyn dialogs::FileDialogs,
    /// Where background work starts.
    pub tasks: &'a mut tasks::Tasks,
}

/// Environment variable that forces a renderer (`wgpu` or `glow`); also
/// set by [`run`] when it retries with the other renderer.
pub const RENDERER_ENV: &str = "MAPI_SHUTDOWN_RENDERER";

/// Set by [`run`] on the retry, so that the retry does not retry again.
const RETRY_ENV: &str = "MAPI_SHUTDOWN_RENDERER_RETRY";

/// Which renderer draws the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Renderer {
    /// Pick one that works here (see the module docs).
    #[default]
    Auto,
    /// wgpu: Direct3D 12 (WARP without a GPU), Vulkan, Metal or OpenGL ES.
    Wgpu,
    /// glow: OpenGL 2+ (Mesa, Wine).
    Glow,
}

/// Why a renderer name is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a renderer: use auto, wgpu or glow")]
pub struct ParseRendererError(pub String);

impl FromStr for Renderer {
    type Err = ParseRendererError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Ok(Renderer::Auto),
            "wgpu" | "d3d12" | "dx12" => Ok(Renderer::Wgpu),
            "glow" | "gl" | "opengl" => Ok(Renderer::Glow),
            _ => Err(ParseRendererError(s.to_string())),
        }
    }
}

impl fmt::Display for Renderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Renderer::Auto => "auto",
            Renderer::Wgpu => "wgpu",
            Renderer::Glow => "glow",
        })
    }
}

/// `s` with its first letter upper-cased (a sentence built from lower-case
/// phrases of the library).
pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// True when this Windows build runs under Wine (ntdll exports
/// `wine_get_version`); always false elsewhere.
pub fn running_under_wine() -> bool {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
        let ntdll: Vec<u16> = "ntdll.dll\0".encode_utf16().collect();
        // SAFETY: both strings are NUL-terminated; ntdll is always loaded,
        // and a null module handle is checked before use.
        unsafe {
            let module = GetModuleHandleW(ntdll.as_ptr());
            !module.is_null()
                && GetProcAddress(module, c"wine_get_version".as_ptr().cast()).is_some()
        }
    }
    #[cfg(not(windows))]
    {
        false
    }
}

/// The renderers to try, in order, for `choice` on this machine.
pub fn renderer_order(choice: Renderer, windows: bool, wine: bool) -> [Renderer; 2] {
    match choice {
        Renderer::Wgpu => [Renderer::Wgpu, Renderer::Glow],
        Renderer::Glow => [Renderer::Glow, Renderer::Wgpu],
        Renderer::Auto if windows && !wine => [Renderer::Wgpu, Renderer::Glow],
        Renderer::Auto => [Renderer::Glow, Renderer::Wgpu],
    }
}

/// Why the window could not be opened (its text in the user's language).
#[derive(Debug)]
pub enum RunError {
    /// No renderer could start (both tried).
    NoRenderer {
        /// The renderer tried first.
        first: Renderer,
        /// Its error.
        first_error: String,
        /// The renderer tried second.
        second: Renderer,
        /// Its error.
        second_error: String,
    },
    /// Linux/BSD: no window system to talk to (neither `DISPLAY` nor
    /// `WAYLAND_DISPLAY` nor `WAYLAND_SOCKET` is set).
    NoDisplay,
    /// The first renderer failed and the retry with the second could not
    /// be started.
    Retry {
        /// The renderer that failed.
        renderer: Renderer,
        /// Its error.
        error: String,
        /// Why the retry did not start.
        retry: std::io::Error,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            RunError::NoRenderer {
                first,
                first_error,
                second,
                second_error,
            } => crate::tr!(
                "app-error-no-renderer",
                first = first.to_string(),
                first_error = first_error.as_str(),
                second = second.to_string(),
                second_error = second_error.as_str()
            ),
            RunError::NoDisplay => crate::tr!("app-error-no-display"),
            RunError::Retry {
                renderer,
                error,
                retry,
            } => crate::tr!(
                "app-error-retry",
                renderer = renderer.to_string(),
                error = error.as_str(),
                retry = retry.to_string()
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Retry { retry, .. } => Some(retry),
            _ => None,
        }
    }
}

/// The application icon (`assets/icon.png`, 256 x 256; drawn from
/// `assets/icon.svg` by `scripts/make-icons`).
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// The window icon, decoded from [`ICON_PNG`].
pub fn icon() -> Result<egui::IconData, String> {
    eframe::icon_data::from_png_bytes(ICON_PNG).map_err(|e| e.to_string())
}

fn native_options(renderer: Renderer) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(app::TITLE)
        .with_app_id("mapi-shutdown")
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([640.0, 420.0]);
    match icon() {
        Ok(icon) => viewport = viewport.with_icon(icon),
        // Cannot happen with the bundled file (a unit test decodes it); the
        // window still opens, with the system's default icon.
        Err(e) => eprintln!("mapi-shutdown: the bundled icon does not decode: {e}"),
    }
    let mut options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    // A smoke tour keeps its own storage: it neither reads nor changes the
    // user's remembered panel, theme and window size.
    if let Some(dir) = smoke::screenshots_dir() {
        options.persistence_path = Some(smoke::storage_file(&dir));
    }
    options.renderer = match renderer {
        Renderer::Glow => eframe::Renderer::Glow,
        Renderer::Wgpu | Renderer::Auto => eframe::Renderer::Wgpu,
    };
    options
}

/// Open the window and run until it is closed, with `choice` of renderer
/// (or [`RENDERER_ENV`] when set). A renderer that cannot start is retried
/// once with the other one in a new process (a window system cannot be
/// initialised twice in one process); the exit code of that process is
/// returned as `Ok(Some(code))`.
///
/// Errors: [`RunError`] when no renderer works, with both reasons.
pub fn run(
    make_backends: impl FnOnce() -> Backends,
    choice: Renderer,
) -> Result<Option<i32>, RunError> {
    if cfg!(all(unix, not(target_os = "macos")))
        && ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
            .iter()
            .all(|v| std::env::var_os(v).is_none_or(|s| s.is_empty()))
    {
        return Err(RunError::NoDisplay);
    }
    let forced = std::env::var(RENDERER_ENV)
        .ok()
        .and_then(|s| s.parse::<Renderer>().ok())
        .filter(|r| *r != Renderer::Auto);
    let order = renderer_order(
        forced.unwrap_or(choice),
        cfg!(windows),
        running_under_wine(),
    );
    let retry = std::env::var(RETRY_ENV).ok();
    let first = order[0];
    let backends = make_backends();
    let result = eframe::run_native(
        app::TITLE,
        native_options(first),
        Box::new(move |cc| Ok(Box::new(App::new(cc, backends)))),
    );
    let Err(error) = result else {
        // A smoke tour that failed has said why; its exit code is 1.
        return Ok(smoke::failure().map(|_| 1));
    };
    let error = error.to_string();
    if let Some(previous) = retry {
        return Err(RunError::NoRenderer {
            first: order[1],
            first_error: previous,
            second: first,
            second_error: error,
        });
    }
    // Start again with the other renderer; that process reports for both.
    let second = order[1];
    let status = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(RENDERER_ENV, second.to_string())
            .env(RETRY_ENV, &error)
            .status()
    });
    match status {
        Ok(s) => Ok(Some(s.code().unwrap_or(1))),
        Err(retry) => Err(RunError::Retry {
            renderer: first,
            error,
            retry,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_prefers_wgpu_on_windows_and_glow_under_wine_and_elsewhere() {
        assert_eq!(
            renderer_order(Renderer::Auto, true, false),
            [Renderer::Wgpu, Renderer::Glow]
        );
        assert_eq!(
            renderer_order(Renderer::Auto, true, true),
            [Renderer::Glow, Renderer::Wgpu]
        );
        assert_eq!(
            renderer_order(Renderer::Auto, false, false),
            [Renderer::Glow, Renderer::Wgpu]
        );
        assert_eq!(
            renderer_order(Renderer::Wgpu, false, false),
            [Renderer::Wgpu, Renderer::Glow]
        );
    }

    #[test]
    fn renderer_names() {
        assert_eq!("GL".parse::<Renderer>(), Ok(Renderer::Glow));
        assert_eq!("dx12".parse::<Renderer>(), Ok(Renderer::Wgpu));
        assert_eq!("".parse::<Renderer>(), Ok(Renderer::Auto));
        assert!("vulkan".parse::<Renderer>().is_err());
    }

    #[test]
    fn the_bundled_icon_decodes_to_256_square() {
        let icon = icon().unwrap();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        // Transparent corners, opaque centre: a drawn icon, not a blank.
        assert_eq!(icon.rgba[3], 0);
        let centre = (128 * 256 + 128) * 4;
        assert_eq!(icon.rgba[centre + 3], 255);
    }

    #[test]
    fn not_wine_off_windows() {
        if !cfg!(windows) {
            assert!(!running_under_wine());
        }
    }
}
