# The fleet summary: many machines' shutdown sessions together (HTML
# report, Reports panel, report command).
fleet-heading = Fleet summary
fleet-intro = { $machines ->
    [one] { $machines } machine
   *[other] { $machines } machines
}, { $sessions ->
    [one] { $sessions } shutdown session
   *[other] { $sessions } shutdown sessions
}{ $unknown ->
    [0] .
    [one] ; { $unknown } machine is unknown (its trace names no computer: it is counted by its file).
   *[other] ; { $unknown } machines are unknown (their traces name no computer: each is counted by its file).
}
fleet-col-outcome = Outcome
fleet-col-sessions = Sessions
fleet-col-machines = Machines
fleet-col-machine = Machine
fleet-providers-heading = Provider DLLs, the costliest first
fleet-chart-title = Fast shutdowns each provider DLL cost, out of the sessions it appeared in
fleet-chart-tooltip = { $dll }: cost { $cost } fast shutdowns, still in DoFastShutdown at the kill in { $kill }, appeared in { $sessions } sessions
fleet-legend-sessions = sessions it appeared in
fleet-legend-cost = fast shutdowns it cost
fleet-legend-kill = of them, still in DoFastShutdown at the kill
fleet-providers-explain = Cost: sessions that ended without a fast shutdown because of this DLL (it opted out, or lacked IMAPIProviderShutdown under opt-in, or was still in DoFastShutdown when the process ended or its trace stopped). Opted out: its QueryFastShutdown returned an error. Slow: a shutdown step took longer than { $threshold }. p50 and p95: of its DoFastShutdown calls (one that never returned counts until the trace ends).
fleet-col-dll = Provider DLL
fleet-col-cost = Fast shutdowns cost
fleet-col-running-at-kill = Running at the kill
fleet-col-opted-out = Opted out
fleet-col-no-interface = No IMAPIProviderShutdown
fleet-col-slow = Slow
fleet-col-do-p50 = DoFastShutdown p50
fleet-col-do-p95 = DoFastShutdown p95
fleet-groups-heading = Per Office version and policy
fleet-col-office = Office
fleet-col-policy = Policy
fleet-office-unknown = unknown
fleet-policy-unknown = not traced
fleet-sessions-heading = Sessions that did not end fast
fleet-sessions-note = { $count ->
    [0] Every session ended with a fast shutdown.
   *[other] { $shown } of { $count } (out of { $total } sessions); the JSON report lists every session.
}
fleet-col-cost-by = Cost by
fleet-col-reason = Reason
fleet-machine-unknown-file = unknown machine (file { $file })
fleet-machine-unknown-session = unknown machine (session { $session })
fleet-cli-progress = read { $done } of { $files } files, { $sessions ->
    [one] { $sessions } session
   *[other] { $sessions } sessions
}
fleet-cli-chrome-summary = --detail summary: a chrome trace holds every call and no summary; use --format html, csv or json for the fleet summary
fleet-cli-with-fleet = fleet summary of { $machines ->
    [one] { $machines } machine
   *[other] { $machines } machines
}
fleet-panel-task = fleet report of { $count ->
    [one] { $count } file or folder
   *[other] { $count } files and folders
}
fleet-panel-not-read = The files cannot be reported: { $error }
fleet-panel-detail = Detail:
fleet-panel-detail-auto = Auto
fleet-panel-detail-full = Every call
fleet-panel-detail-summary = Summary only
fleet-panel-detail-hint = Auto keeps every session in full up to { $count } sessions and only the fleet summary (one line per session) above; every call makes a large file of a large fleet.
fleet-panel-from-files = From files: { $count ->
    [0] none added
    [one] { $count } file or folder
   *[other] { $count } files and folders
}
fleet-panel-files-hint = Recordings, trace files and spool folders of many machines (a share where desktops drop their spool files); the report adds a fleet summary.
fleet-panel-more-files = … and { $count } more
fleet-panel-add-file = Add a recording…
fleet-panel-add-folder = Add a spool folder…
fleet-panel-clear = Clear the files
fleet-panel-reading = Reading { $done } of { $files } files…
fleet-panel-more-providers = … and { $count ->
    [one] { $count } more provider DLL in the report
   *[other] { $count } more provider DLLs in the report
}
fleet-report-intro = MAPI client fast shutdown across many machines: the fleet summary of the shutdown sessions read from their recordings and spool files. The host below is the machine that wrote this report.
fleet-summarized-note = { $count ->
    [one] { $count } session is summarized
   *[other] { $count } sessions are summarized
} (the fleet summary and one line per session): their calls, timelines and findings are left out; `--detail full`, or "Every call" in the Reports panel, keeps them.
