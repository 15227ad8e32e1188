## Messages of the command line shared by several commands.

cli-store-open-failed = cannot open the registry store { $store }: { $error }
cli-no-gui = this build has no window (built without the `gui` feature); use a subcommand, see `mapi-shutdown --help`.
cli-bad-scenario = bad scenario: { $error }
cli-warning = warning: { $message }
cli-simulate-killed = killed the client { $ms } ms into DoFastShutdown, as the scenario asked (exit code { $code })
cli-summary-print-failed = cannot print the summary: { $error }
cli-concurrent-change = Something else changed it; run `mapi-shutdown policy show` and repeat the command if you still want to change it.
cli-json-encode-failed = cannot encode JSON: { $error }
cli-bad-office = `{ $given }` is not an Office version this tool knows: use 14.0, 15.0 or 16.0, or the product: 2010 (14.0), 2013 (15.0), 2016, 2019, 2021 or 365 (16.0)
cli-bad-export-format = `{ $given }` is not an export format: use reg (a regedit file) or pol (a Group Policy Registry.pol)
cli-env-invalid = { $var }={ $value }: { $error }
cli-stdout-failed = cannot write to standard output: { $error }

## capture (src/cli/capture.rs)
capture-windows-only = the capture agent instruments Windows MAPI clients: run the Windows build of mapi-shutdown (under Wine to try it on Linux)
capture-not-loaded = the capture agent could not be loaded into process { $pid }: { $reason }
capture-not-resumed = process { $pid } could not be resumed after loading the agent: { $error }
capture-launched = capturing { $program } (pid { $pid }, { $bits }-bit) from its start: its trace goes to the monitor (mapi-shutdown watch, or the Live panel), else to the spool directory
capture-client-exited = the client (pid { $pid }) exited with code { $code }
capture-attached = capture agent loaded into process { $pid } ({ $bits }-bit). Late attach: sessions opened and providers loaded before now are not in its trace; the shutdown of sessions opened from now on is.
capture-already = the capture agent is already in process { $pid }: nothing to do (one agent per process)
capture-task-attach = capturing process { $pid }
capture-task-launch = starting { $program } with capture
capture-client-ended = { $program } (pid { $pid }) ended with exit code { $code }; its shutdown sequence, when it had one, is selected below
capture-client-ended-no-code = { $program } (pid { $pid }) ended; its shutdown sequence, when it had one, is selected below
capture-client-wait-failed = { $program } (pid { $pid }) could not be waited for: { $error }. Its shutdown still reaches the monitor.
capture-task-running = { $program } (pid { $pid }) runs with capture
capture-watch-not-listening = the monitor for --watch did not start listening within 30 s
capture-watch-nothing = no MAPI shutdown was captured from the client (it opened no MAPI session, or its subsystem was not found)

## clap's parse errors (src/cli/clap_text.rs; English keeps clap's own text)
cli-error-invalid-value = invalid value '{ $value }' for '{ $arg }'
cli-error-possible-values = possible values: { $values }
cli-error-value-validation = invalid value '{ $value }' for '{ $arg }': { $reason }
cli-error-unknown-argument = unexpected argument '{ $arg }'
cli-error-did-you-mean = did you mean '{ $suggestion }'?
cli-error-unknown-command = unknown command '{ $command }'
cli-error-missing-argument = required arguments were not given: { $args }
cli-error-missing-command = a command is required
cli-error-conflict = '{ $arg }' cannot be used with '{ $other }'
cli-error-values-count = wrong number of values for '{ $arg }'
cli-usage = Usage: { $usage }
cli-more-help = For more information, try '--help'.
