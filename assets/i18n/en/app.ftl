## The application shell: tabs, menus, status bar.

app-tab-policy = Policy
app-tab-processes = Processes
app-tab-live = Live
app-tab-reports = Reports

app-theme-menu = Theme
app-theme-system = Follow the system
app-theme-light = Light
app-theme-dark = Dark

app-language-menu = Language of the window (remembered; --lang chooses one for a single run)
app-language-system = System language ({ $language })

app-status-registry = Registry:
app-status-registry-hint = Choose another with --registry windows|file:PATH|memory
app-status-endpoint-hint = Instrumented MAPI clients send their shutdown traces here
app-font-missing = No Chinese font found: Chinese text shows as boxes. Install Microsoft YaHei, Noto Sans CJK or WenQuanYi.

## Why the window cannot open (printed on the console).
app-error-no-renderer = the window cannot be opened: no renderer works on this machine.
    { $first }: { $first_error }
    { $second }: { $second_error }
    On Windows over Remote Desktop, Direct3D 12 (WARP) is needed: check that the "Microsoft Basic Render Driver" is present. Without a display (SSH, a service), use the command line: `mapi-shutdown --help`.
app-error-no-display = no display: neither DISPLAY nor WAYLAND_DISPLAY is set, so there is no window system to open the window on. Run it in a desktop session (or under `xvfb-run`), or use a subcommand: `mapi-shutdown --help`.
app-error-retry = the { $renderer } renderer failed ({ $error }), and restarting with another failed: { $retry }

## File dialogs.
app-dialog-reg-files = Registry files
app-dialog-pol-files = Group Policy files
app-dialog-reg-pol-files = Registry and Group Policy files
app-dialog-all-files = All files
app-dialog-file-manager-failed = cannot start the file manager: { $error }
app-task-running = Working: { $task }
app-tasks-running = Working: { $task } and { $more ->
    [one] one more task
   *[other] { $more } more tasks
}
app-task-failed = { $task } failed: { $error }. What was saved before is unchanged; try again, and if it fails again report this message.
app-task-not-started = Cannot start the work in the background: { $error }
