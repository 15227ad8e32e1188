## The HTML report: page header.

report-title = MAPI fast shutdown report: { $host }, { $when } UTC
report-intro = MAPI client fast shutdown: the policy, the MAPI processes and the shutdown sessions seen on one machine. Times in the calls tables count from the start of each client's trace.
report-taken-at = Taken at
report-host = Host
report-user = User
report-os = OS
report-written-by = Written by
report-schema = { $product } (report schema { $schema })
report-contents = Contents
report-footer = Written by { $product } at { $taken_at }. Sources: Microsoft's Outlook MAPI reference ("Client Shutdown in MAPI", "Fast Shutdown User Options", "Best Practices for Fast Shutdown"), the Office 2016 administrative template (outlk16.admx), KB 2790282.

## Contents line.

report-content-policy = policy and add-ins
report-content-processes = MAPI processes
report-content-all = all recorded
report-content-selected = selected
report-content-pid = of pid { $pid }
report-content-sessions = { $count ->
    [one] { $count } shutdown session ({ $which })
   *[other] { $count } shutdown sessions ({ $which })
}
report-content-nothing = nothing

## Summary table.

report-summary = Summary
report-col-session = Session
report-col-process = Process
report-col-outcome = Outcome
report-col-shutdown-took = Shutdown took
report-col-findings = Findings
report-col-trace-started = Trace started
report-no-shutdown-call = no shutdown call
report-count-errors = { $count ->
    [one] { $count } error
   *[other] { $count } errors
}
report-count-warnings = { $count ->
    [one] { $count } warning
   *[other] { $count } warnings
}
report-count-infos = { $count ->
    [one] { $count } info
   *[other] { $count } infos
}
report-none = none
report-unknown = unknown
report-outcome-fast = fast shutdown
report-outcome-normal = normal shutdown

## Policy section.

report-policy = Policy
report-policy-intro = Per-user policy values under <code>HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\&lt;version&gt;\Outlook\Options\Shutdown</code>, read from the registry store <code>{ $store }</code>. Raw data is shown as stored; invalid data is never coerced.
report-installed = installed for this user
report-not-installed = not installed for this user
report-key-present = key present
report-key-absent = key absent
report-key-error = Cannot read this key: { $error }
report-col-value = Value
report-col-state = State
report-col-raw = Raw data
report-col-in-force = In force
report-col-meaning = Meaning
report-col-admx = ADMX policy
report-fix = Fix:
report-state-not-configured = not configured
report-state-valid = valid
report-state-invalid = invalid
report-not-a-policy = not a policy (per add-in)
report-admx-policy-state = { $policy }: { $state }
report-absent = absent
report-addins-heading = Add-ins: RequireShutdownNotification
report-no-addins = No Outlook COM add-in is registered.
report-col-addin = Add-in and key

## MAPI processes section.

report-processes = MAPI processes
report-no-processes = No process has a MAPI subsystem loaded.
report-col-user = User
report-col-subsystem = Subsystem
report-col-instrumented = Instrumented
report-col-providers = Providers
report-yes = yes
report-no = no
report-via-stub = (via mapi32.dll)
report-none-loaded = none loaded
report-declared-as = declared as { $kinds }
report-mapisvc-builtin = none (builtin catalog only)
report-uninspected = { $count ->
    [one] { $count } process could not be inspected, so may be MAPI processes too: { $names }
   *[other] { $count } processes could not be inspected, so may be MAPI processes too: { $names }
}

## A session.

report-fact-trace-started = Trace started
report-fact-office = Office version
report-fact-subsystem = Subsystem
report-fact-policy = Policy used
report-not-traced = not traced
report-fact-profiles = Profiles
report-profile = { $profile } (MAPI session { $session })
report-fact-shutdown-took = Shutdown took
report-fact-exit = Client exit
report-exit-code = exited with code { $code }
report-exit-none = no exit recorded (killed, or the stream was cut)
report-still-running = still running
report-fact-stream = Stream
report-stream-records = { $records } records
report-stream-ended = , ended
report-stream-open = , still open
report-stream-lost = , { $count } lost
report-fact-stream-error = Stream error
report-fact-read-from = Read from
report-calls-note = The first { $shown } of { $total } calls are listed; the CSV and JSON reports hold every call.
report-findings = Findings
report-timeline = Timeline
report-legend-other = other MAPI call
report-legend-failed = failed
report-legend-open = never returned
report-timeline-of = Timeline of { $label }
report-merged = { $count ->
    [one] { $count } call shorter than a pixel overlaps drawn ones and is not drawn separately.
   *[other] { $count } calls shorter than a pixel overlap drawn ones and are not drawn separately.
}
report-no-call = No call was recorded.
report-provider-timings = Provider timings
report-col-provider = Provider
report-col-kind = Kind
report-col-total = Total
report-col-share = Share
report-calls = Calls
report-col-start = Start
report-col-duration = Duration
report-col-caller = Caller
report-col-callee = Callee
report-col-method = Method
report-anomaly = Trace anomaly: { $anomaly }

## Calls and the timeline.

report-client = client
report-subsystem = subsystem
report-provider-undeclared = provider { $provider } (not declared)
report-provider-n = provider { $provider }
report-not-declared = not declared in the trace
report-client-lane = client (IMAPIClientShutdown)
report-no-provider-shutdown = no IMAPIProviderShutdown
report-no-return = no return
report-target-client = client → { $dll }
report-target-provider = subsystem → { $name } ({ $kind }, { $dll })
report-target-undeclared = subsystem → provider { $provider } (not declared)
report-bar-returned = { $method } on { $target }: start { $start } µs, { $duration }, returned { $hresult }
report-bar-open = { $method } on { $target }: start { $start } µs, { $duration }

## Names of a session.

report-label-exe = { $exe } (pid { $pid })
report-label-pid = pid { $pid }
report-label-session = session { $session }

## Report formats (menus, messages).

report-format-html = HTML page
report-format-csv = CSV (one row per call)
report-format-json = JSON (whole report)
report-format-chrome = Chrome trace (Perfetto)

## The report command.

report-cli-truncated = { $file }: { $why }: the trace is cut short (a killed client or recorder); `mapi-shutdown analyze` shows what it holds
report-cli-truncated-why = truncated
report-cli-not-a-trace = { $file }: not a trace: it holds no trace record
report-cli-source-connection = { $file }, connection { $conn }
report-cli-bom-csv-only = --bom applies to --format csv only (not { $format })
report-cli-cannot-hold = { $options }: a { $format } report cannot hold that, it holds { $holds }; use --format html or json for it (docs/reports.md)
report-cli-holds-csv = only the calls, one row each
report-cli-holds-chrome = the calls and the policy (otherData), not the processes
report-cli-nothing = nothing to report: give TRACE files, --policy or --processes
report-cli-pid-needs-traces = --pid chooses among the sessions of TRACE files: give some
report-cli-calls = { $count ->
    [one] { $count } call
   *[other] { $count } calls
}
report-cli-with-policy = policy
report-cli-with-processes = processes
report-cli-wrote = wrote { $path } ({ $what })
report-cli-note = note: { $note }
report-fact-origin = Origin
report-origin-simulated = simulated (mapi-shutdown's own subsystem)
report-origin-captured = { $attach ->
        [late] captured from a real client by the capture agent, attached late ({ $bits }-bit): sessions opened before it are not in the trace
       *[other] captured from a real client by the capture agent, from its start ({ $bits }-bit)
    }
