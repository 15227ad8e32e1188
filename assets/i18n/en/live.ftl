## live: en

## Listening status (status bar and the panel).
live-listening = Listening on { $endpoint }
live-endpoint-in-use = Endpoint in use by another monitor: { $endpoint }
live-not-listening = Not listening: { $error }
live-monitor-not-listening = The monitor is not listening

## Recording.
live-record-nothing = Nothing to record: the monitor is not listening.
live-recording-started = Recording everything received to { $path } (connected clients included from their start).
live-record-failed = Cannot record: { $error }
live-recording-stopped = Recording stopped; { $path } holds it (Open recording or `mapi-shutdown analyze` read it).
live-recording-end-not-written = The end of the recording was not written to { $path }: { $error }
live-recording-failed = Recording to { $path } failed and stopped: { $error }. What was received before is in the file; the monitor goes on receiving.
live-recording-interrupted = Recording to { $path } stopped
live-stop-recording = Stop recording
live-stop-recording-hover = Recording to { $path } ({ $shortcut })
live-rec-badge = REC { $name }
live-record = Record…
live-record-hover = Record everything received from now on to a file, in the `watch --out` format ({ $shortcut })
live-record-dialog-title = Record everything received to
live-dialog-filter-recordings = Recordings

## Toolbar.
live-heading = Live shutdown sequences
live-dismiss = Dismiss
live-pause = Pause
live-resume = Resume
live-pause-hover = Pause keeps receiving but stops updating the view
live-clear = Clear
live-clear-hover = Forget every finished session (connected clients stay)
live-cleared = { $count ->
    [one] Cleared { $count } finished session.
   *[other] Cleared { $count } finished sessions.
}
live-open-recording = Open recording…
live-open-recording-hover = A `watch --out` recording, a `simulate --trace-out` trace or a spool file
live-open-dialog-title = Open a recording or trace
live-dialog-filter-traces = Traces and recordings
live-save-recording = Save recording…
live-save-recording-hover = Save every session shown in the `watch --out` recording format, for `mapi-shutdown analyze` or Open recording
live-save-dialog-title = Save the sessions as a recording
live-saved = { $count ->
    [one] Saved { $count } session to { $path }.
   *[other] Saved { $count } sessions to { $path }.
}
live-save-failed = The recording was not saved ({ $path }): { $error }
live-open-spool = Open spool folder…
live-open-spool-hover = The MAPI_SHUTDOWN_SPOOL_DIR of clients that ran without a monitor
live-open-spool-title = Open a spool folder
live-report = Report…
live-report-hover = Export the selected sessions as HTML, CSV, JSON or a Chrome trace (Reports panel)

## Scenarios.
live-no-scenarios = No scenarios found to run.
live-scenario-to-run = Scenario to run
live-scenario-hover = A shipped scenario (assets/scenarios)
live-run-scenario = Run scenario
live-run-scenario-hover = Start `mapi-shutdown simulate` with this scenario and the current FastShutdownBehavior; its shutdown appears here
live-scenarios-running = { $count } running
live-cannot-start = Cannot start { $exe }: { $error }

## Opening files.
live-no-trace-record = it holds no trace record
live-opened = Opened { $path }: { $sessions }.
live-cannot-open = { $path } cannot be opened: { $error }

## Sessions list.
live-filter = Filter:
live-filter-hint = process, pid or reason
live-any-outcome = any outcome
live-outcome-filter = Outcome filter
live-paused = Paused: new events are received, not shown
live-no-session = No session yet. Instrumented MAPI clients appear here as they shut down; "Run scenario" starts one.
live-sessions-shown = { $shown } of { $sessions }. Ctrl+click adds to the selection (stacked timelines).
live-connected = connected

## Details of the selected sessions.
live-select-session = Select a session to see its verdict, timeline and calls.
live-sessions-stacked = { $sessions } stacked
live-stacked-title = { $process } (conn { $conn })
live-shutdown-took = shutdown took { $duration }
live-connection-error = Connection: { $error }
live-policy-in-force = Policy in force:
live-policy-not-reported = not reported yet
live-change-policy = Change it in the Policy panel
live-change-policy-hover = Then run the client (or the scenario) again to see the difference
live-findings = Findings
live-finding-hover = Select its calls in the timeline and the table
live-time-per-provider = Time per provider
live-column-provider = Provider
live-column-kind = Kind
live-column-share = Share
live-no-provider-shutdown = no IMAPIProviderShutdown

## The calls table.
live-calls = Calls
live-column-start = Start
live-column-caller = Caller
live-column-method = Method
live-column-duration = Duration
live-caller-client = client
live-caller-subsystem = subsystem
live-running = running

## The timeline widget.
live-timeline-help =
    Timeline controls
    Drag, Shift+wheel or a sideways swipe: pan
    Ctrl+wheel or pinch: zoom around the pointer
    + / -: zoom in / out
    Left / Right arrow: pan
    Double-click, 0 or Home: fit everything
    F: follow live (keep the newest events in view; panning or zooming stops it)
    Click: select a call; Shift+click or Ctrl+click: add or remove one
live-timeline-controls = Timeline controls
live-timeline-follow-on = ? Follow live: on (F)
live-timeline-follow-off = ? Follow live: off (F)
live-timeline-process = process
live-timeline-summary = Timeline: { $lanes ->
    [one] { $lanes } lane
   *[other] { $lanes } lanes
}, { $calls ->
    [one] { $calls } call
   *[other] { $calls } calls
}, { $duration }
live-timeline-summary-stacked = Timeline: { $sessions }, { $lanes ->
    [one] { $lanes } lane
   *[other] { $lanes } lanes
}, { $calls ->
    [one] { $calls } call
   *[other] { $calls } calls
}, { $duration }
live-timeline-client = Client
live-timeline-subsystem = Subsystem
live-timeline-mapi-subsystem = MAPI subsystem
live-timeline-provider-number = provider #{ $id }
live-timeline-not-declared = not declared
live-timeline-visible-calls = Visible calls ({ $count })
live-timeline-span = { $method }, { $who }, { $result }, start { $start }, { $duration }
live-timeline-tip-subsystem = The subsystem handling the client's { $call } (its calls to providers)
live-timeline-tip-called-by-client = { $interface }, called by the client
live-timeline-tip-called-by-subsystem = { $interface }, called by the subsystem
live-timeline-tip-provider = Provider: { $provider }
live-timeline-not-returned = Not returned (yet)
live-timeline-tip-time = Start: { $start }  Duration: { $duration }
live-timeline-tip-time-so-far = Start: { $start }  Duration: { $duration } so far
live-timeline-tip-origin = Call #{ $call }; time 0 is { $origin } ns into the trace
live-scenario-failed = The scenario { $scenario } did not run (simulate exit code { $code }): { $error }
live-recording-starting = Starting the recording to { $name }…
live-endpoint-squatted = Another user's process holds the endpoint { $endpoint } ({ $holder }): clients will not send it anything and this window cannot listen. Find and stop that process (an administrator can), or start with another --endpoint NAME.
live-pid-claim = Its trace claims pid { $claimed }; the OS reports pid { $pid } (shown).
live-launch-capture = Launch with capture…
live-launch-capture-hover = Start a MAPI client (Outlook, MFCMAPI…) with the capture agent loaded from its first instruction: its whole life, logon to shutdown, appears here (docs/capture.md)
live-launch-capture-title = Start a MAPI client with capture
live-dialog-filter-programs = Programs
live-origin-simulated = simulated
live-origin-captured = captured
live-origin-captured-late = captured (late attach)
