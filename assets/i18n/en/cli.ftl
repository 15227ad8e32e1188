## Messages of the command line shared by several commands.

cli-store-open-failed = cannot open the registry store { $store }: { $error }
cli-no-gui = this build has no window (built without the `gui` feature); use a subcommand, see `mapi-shutdown --help`.
cli-bad-scenario = bad scenario: { $error }
cli-warning = warning: { $message }
cli-simulate-killed = killed the client { $ms } ms into DoFastShutdown, as the scenario asked (exit code { $code })
cli-summary-print-failed = cannot print the summary: { $error }
cli-concurrent-change = Something else changed it; run `mapi-shutdown policy show` and repeat the command if you still want to change it.
cli-json-encode-failed = cannot encode JSON: { $error }
cli-stdout-failed = cannot write to standard output: { $error }
