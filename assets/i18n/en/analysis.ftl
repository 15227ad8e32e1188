## analysis: en

## Pieces of the verdict reasons and findings (monitor::analysis).
analysis-provider = provider '{ $name }' ({ $kind }, { $dll })
analysis-provider-dll = provider '{ $dll }' ({ $kind })
analysis-provider-undeclared = provider #{ $id } (not declared)
analysis-a-provider = a provider
analysis-provider-returned = { $provider } returned { $hresult }
analysis-separator-comma = {", "}
analysis-separator-semicolon = {"; "}

## Options of FastShutdownBehavior, and the policy in force.
analysis-behavior-opt-out = opt-out
analysis-behavior-opt-in = opt-in
analysis-behavior-disabled = disabled
analysis-policy-valid = FastShutdownBehavior={ $dword } ({ $label }) for Office { $office }
analysis-policy-not-configured = FastShutdownBehavior not configured for Office { $office } (default: { $label })
analysis-policy-invalid = FastShutdownBehavior holds invalid data ({ $raw }) for Office { $office }, treated as { $label }

## Findings.
analysis-do-after-failed-query = the client called DoFastShutdown after QueryFastShutdown returned { $hresult }: all loaded providers will have data loss ("Best Practices for Fast Shutdown")
analysis-do-without-query = the client called DoFastShutdown without calling QueryFastShutdown first
analysis-notify-after-failed-query = the client called NotifyProcessShutdown after QueryFastShutdown returned { $hresult } (providers are only told to prepare)
analysis-call-after-do = the client called { $method } after DoFastShutdown
analysis-call-after-do-returned = the client called { $method } after DoFastShutdown (it returned { $hresult })
analysis-client-called-provider = the client called IMAPIProviderShutdown::{ $method } on { $provider } directly; only the subsystem may
analysis-provider-order = during { $method } the subsystem called { $provider } after { $previous } in MAPI session { $session }: within a session the documented order is transport, address book, message store
analysis-slow-provider = { $provider } took { $duration } in { $method } (threshold { $threshold })
analysis-slow-provider-unreturned = { $provider } took { $duration } in { $method } and never returned (threshold { $threshold })
analysis-exited-during-do = the process ended before DoFastShutdown returned
analysis-exited-during-do-providers = the process ended before { $providers } returned from DoFastShutdown
analysis-exited-unreached = { $base }; never called: { $unreached }
analysis-dropped = the client dropped { $count ->
    [one] { $count } trace record
   *[other] { $count } trace records
}: its queue was full or its sink failed; timings and calls may be missing
analysis-invalid-policy = FastShutdownBehavior for Office { $office } holds { $raw }: { $reason }; the subsystem used { $effective }

## Verdict reasons.
analysis-with-policy = { $reason }; policy: { $policy }
analysis-with-unknown-policy = { $reason }; policy: unknown ({ $subsystem } carries no Office version, so which version's policy key it reads is unknown)
analysis-reason-do-running = DoFastShutdown is running
analysis-reason-do-cut = the stream ended while DoFastShutdown was running; the process's end is not in the trace (no client_exit, connection not seen closing)
analysis-reason-do-cut-providers = the stream ended while { $providers } had not returned from DoFastShutdown; the process's end is not in the trace (no client_exit, connection not seen closing)
analysis-reason-fast = QueryFastShutdown returned S_OK and every provider returned from DoFastShutdown ({ $count ->
    [one] { $count } provider called
   *[other] { $count } providers called
})
analysis-reason-do-failed = DoFastShutdown returned { $hresult }: not every provider is ready for exit
analysis-reason-do-failed-providers = DoFastShutdown returned { $hresult }: not every provider is ready for exit; { $failures }
analysis-reason-query-cut = the stream ended while QueryFastShutdown was running
analysis-reason-query-running = QueryFastShutdown is running
analysis-reason-normal = QueryFastShutdown returned { $hresult } because { $why }; the client took the normal (long) shutdown path
analysis-reason-query-ok-cut = QueryFastShutdown returned S_OK but the stream ended before DoFastShutdown
analysis-reason-query-ok-waiting = QueryFastShutdown returned S_OK; waiting for DoFastShutdown
analysis-reason-uninitialize = the client shut down without asking for fast shutdown (MAPIUninitialize)
analysis-reason-no-shutdown-cut = the stream ended before the client started a shutdown
analysis-reason-not-started = the client has not started its shutdown

## Why the subsystem refused fast shutdown.
analysis-why-policy-disabled = the policy is disabled
analysis-why-not-implemented = { $provider } does not implement IMAPIProviderShutdown and the policy is opt-in (1)
analysis-why-refused = the subsystem refused
analysis-why-list = { $reasons }

## The summary `simulate` prints: warnings (JSON keeps the English).
analysis-summary-severity-data-loss = data-loss

## The summary's headings (one column, padded to the widest).
analysis-summary-label-scenario = Scenario
analysis-summary-label-client = Client
analysis-summary-label-policy = Policy
analysis-summary-label-session = Session
analysis-summary-label-result = Result
analysis-summary-label-warnings = Warnings
analysis-summary-label-exit = Exit
analysis-summary-label-trace = Trace
analysis-summary-label-calls = Calls
analysis-summary-none = none
analysis-summary-call = (call { $call })

## The summary's lines.
analysis-summary-client = { $exe } (pid { $pid }), Office { $office } ({ $products }), subsystem { $subsystem }
analysis-summary-policy = { $effective } (FastShutdownBehavior { $dword }, "{ $admx }"), { $source }; setting: { $setting }
analysis-summary-source-default = from the default (no policy store consulted)
analysis-summary-source-override = forced by the caller (--fast-shutdown-behavior)
analysis-summary-source-registry = from registry store { $store }: { $key }\{ $value }
analysis-summary-setting-not-configured = not configured
analysis-summary-setting-valid = { $value } (DWORD { $dword })
analysis-summary-setting-invalid = invalid { $raw }: { $reason }
analysis-summary-session = { $session } "{ $profile }": { $count ->
    [one] { $count } provider
   *[other] { $count } providers
}
analysis-summary-session-without = { $session } "{ $profile }": { $count ->
    [one] { $count } provider
   *[other] { $count } providers
} ({ $without } without IMAPIProviderShutdown)
analysis-summary-trace-file = { $file } ({ $records ->
    [one] { $records } record
   *[other] { $records } records
})
analysis-summary-trace-unsaved = { $records ->
    [one] { $records } record
   *[other] { $records } records
} (not saved: use --trace-out FILE)
analysis-summary-delivery-monitor = trace sent to the monitor at { $endpoint } ({ $records ->
    [one] { $records } record
   *[other] { $records } records
})
analysis-summary-delivery-spooled = { $reason }; trace spooled to { $file } ({ $spooled ->
    [one] { $spooled } record
   *[other] { $spooled } records
})
analysis-summary-delivery-spooled-dropped = { $reason }; trace spooled to { $file } ({ $spooled ->
    [one] { $spooled } record
   *[other] { $spooled } records
}), then { $dropped ->
    [one] { $dropped } record
   *[other] { $dropped } records
} dropped
analysis-summary-delivery-dropped = { $reason }; { $dropped ->
    [one] { $dropped } record
   *[other] { $dropped } records
} dropped (set { $env } to keep them)
analysis-summary-end-exited = exited normally with code { $code }
analysis-summary-end-killed = killed { $after_ms } ms into DoFastShutdown, as the scenario asked (exit code { $code }); no client_exit record
analysis-summary-end-unknown = unknown: no client_exit record

## The result of the shutdown.
analysis-summary-result = { $outcome }: { $reason }

## The providers and calls tables.
analysis-summary-providers-none = Providers none
analysis-summary-providers-title = Providers (load order)
analysis-summary-calls-title = Calls (in order; provider calls nested under the client call)
analysis-summary-column-id = id
analysis-summary-column-session = session
analysis-summary-column-provider = provider
analysis-summary-column-kind = kind
analysis-summary-column-caller = caller
analysis-summary-column-method = method
analysis-summary-column-duration = duration
analysis-summary-yes = yes
analysis-summary-no = no
analysis-summary-caller-client = client
analysis-summary-caller-subsystem = subsystem
analysis-summary-did-not-return = (did not return)

## The human output of `watch` and `analyze`.
analysis-live-label = { $exe } (pid { $pid })
analysis-live-label-pid = pid { $pid }
analysis-live-label-connection = connection { $connection }
analysis-live-label-claim = { $exe } (pid { $pid }; its trace claims pid { $claimed })
analysis-live-head = { $label }, connection { $connection }{ $from }: { $outcome }
analysis-live-head-duration = { $label }, connection { $connection }{ $from }: { $outcome } in { $duration }
analysis-live-outcome-fast = fast
analysis-live-outcome-normal = normal
analysis-live-outcome-data-loss-risk = data-loss-risk
analysis-live-outcome-incomplete = incomplete
analysis-live-outcome-in-progress = in-progress
analysis-live-reason = {"  "}reason: { $reason }
analysis-live-stream = {"  "}stream: { $error }
analysis-recording-error = { $file }: { $error }
analysis-recording-invalid-line = { $file }, line { $line }: { $error }
analysis-decode-line-too-long = line { $line }: longer than the { $limit }-byte limit
analysis-decode-truncated = line { $line }: truncated ({ $bytes } bytes without a newline at the end of the stream)
analysis-decode-invalid = line { $line }: invalid record: { $reason }
analysis-decode-missing-field = line { $line }: `{ $record }` record is missing the required field `{ $field }`
analysis-decode-no-hello = line { $line }: the stream must start with a `hello` record, found { $found }
analysis-decode-second-hello = line { $line }: a second `hello` record in the same stream
analysis-decode-version-too-old = protocol version { $found } is too old: this build reads versions { $min } to { $max }; record with an instrumented subsystem of version { $min } or later
analysis-decode-version-too-new = protocol version { $found } is too new: this build reads versions { $min } to { $max }; update mapi-shutdown
analysis-recording-too-new = { $file }: recording format version { $found } is too new (this build reads version { $supported }); update mapi-shutdown
analysis-watch-bad-timeout = --timeout must be a number of seconds >= 0
analysis-watch-interrupted-again = interrupted again: exiting at once
analysis-watch-no-ctrl-c = cannot handle Ctrl-C ({ $error }); Ctrl-C will end watch without a summary
analysis-watch-cannot-listen = cannot listen on { $endpoint }: { $error }
analysis-watch-watching = watching { $endpoint }
analysis-watch-recording = recording to { $file }
analysis-watch-event-log = writing each completed shutdown sequence to the { $log } event log (source "{ $source }")
analysis-watch-events-written = { $count ->
    [one] { $count } event
   *[other] { $count } events
} written to the { $log } event log{ $failed ->
    [0] {""}
    [one] ; { $failed } refused
   *[other] ; { $failed } refused
}
analysis-watch-connected = { $exe } (pid { $pid }) connected: Office { $office }, { $subsystem }, connection { $connection }
analysis-office-unknown = version unknown
analysis-watch-stopping = interrupted: stopping the monitor
analysis-watch-interrupted = interrupted
analysis-watch-timeout = timeout reached after { $seconds } s
analysis-watch-end = { $stop }: { $count ->
    [one] { $count } session completed
   *[other] { $count } sessions completed
}
analysis-watch-end-still = { $stop }: { $count ->
    [one] { $count } session completed
   *[other] { $count } sessions completed
}, { $still } still connected ({ $list })
analysis-analyze-json-error = cannot encode JSON: { $error }
analysis-analyze-no-sessions = no sessions

## The monitor's log (watch prints it; the Live panel's log too).

monitor-log-listening = listening on { $endpoint }
monitor-log-stale-replaced = replaced a stale socket at { $endpoint } left by a monitor that did not exit cleanly
monitor-log-recording = recording to { $file }
monitor-log-recording-stopped = recording to { $file } stopped
monitor-log-recording-failed = recording to { $file } failed, recording stopped: { $error }
monitor-log-connected = connection { $conn }: client connected
monitor-log-connected-pid = connection { $conn }: client connected (pid { $pid })
monitor-log-closed = connection { $conn }: { $label } closed after { $records ->
    [one] { $records } record
   *[other] { $records } records
}
monitor-log-closed-cap = { $max } closed sessions held: the oldest are evicted from now on, first { $label }
monitor-log-store-full-refused = store full ({ $records } records, { $bytes } bytes max): records of { $label } are no longer kept
monitor-log-store-full-evicted = store full: evicted the completed stream of { $label } ({ $records ->
    [one] { $records } record
   *[other] { $records } records
})
monitor-log-pid-claim = connection { $conn }: its trace claims pid { $claimed }, the OS reports pid { $os }; shown as pid { $os }
monitor-log-accept-failed = accepting a client failed: { $error }
monitor-log-stopped-listening = stopped listening on { $endpoint }
monitor-log-refused-other-user = refused a client running as uid { $uid } (pid { $pid }): not this user
monitor-log-refused-no-user = refused a client (pid { $pid }): the OS did not say which user runs it
monitor-log-refused-unidentified = refused a client the OS could not identify (no process id or user)
monitor-log-refused-full = refused a client (pid { $pid }): { $max } clients already connected, each of which has sent something
monitor-log-refused-error = refused a client: { $error }
monitor-log-connection-ended = connection { $conn }: { $reason }
monitor-log-reason-idle = sent nothing in { $after } after connecting: disconnected
monitor-log-reason-yielded = sent nothing while { $max } clients were connected: disconnected to make room for a new client
monitor-reason-disconnected = disconnected: { $error }
monitor-reason-ended-badly = the stream ended badly: { $error }
monitor-reason-read-error = read error: { $error }
monitor-reason-store-stopped = the monitor's store stopped
monitor-reason-stopped = the monitor stopped while the client was connected
monitor-reason-no-reader = cannot start a reader thread: { $error }
