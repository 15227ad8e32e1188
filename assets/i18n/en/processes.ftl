## processes: en

## Processes panel: toolbar.
processes-heading = MAPI processes
processes-refresh = Refresh
processes-refresh-tooltip = Scan now (F5)
processes-resume = Resume auto-refresh
processes-pause = Pause auto-refresh
processes-every = every
processes-seconds = { $seconds } s
processes-interval = Refresh interval
processes-scanning = scanning…
processes-paused = Auto-refresh paused
processes-filter = Filter:
processes-filter-hint = name, pid, user or DLL
processes-all = All processes
processes-all-tooltip = Show every process, not only the MAPI ones
processes-find-dll = Find DLL:
processes-find-dll-hint = e.g. emsmdb32.dll
processes-find-dll-tooltip = Every process with this DLL loaded (the .dll may be left off)

## Processes panel: scan state and summary.
processes-cannot-start-thread = cannot start the scan thread: { $error }
processes-thread-stopped = the scan thread stopped
processes-cannot-scan = Processes cannot be scanned: { $error }.
processes-scan-failed = The last scan failed: { $error }.
processes-scan-failed-hint = The table shows the scan before it, if any. F5 tries again.
processes-scanning-first = Scanning processes and their loaded modules…
processes-summary = { $count ->
    [one] { $count } MAPI process
   *[other] { $count } MAPI processes
} among { $total }
processes-summary-tooltip = The last scan took { $took }; it repeats every { $seconds } s unless paused
processes-duration-s = { $seconds } s
processes-uninspected = { $count } could not be inspected ({ $denied } access denied)
processes-uninspected-tooltip = Their modules are unknown: a MAPI process among them is not shown. Run as administrator (Windows) or root (Linux) to inspect every user's processes; tick "All processes" to see them.
processes-unmatched-clients = { $count ->
    [one] { $count } instrumented client
   *[other] { $count } instrumented clients
} not in the process list
processes-unmatched-clients-tooltip = pid { $pids }: exited, or in another pid namespace
processes-catalog = Provider catalog: { $files ->
    [one] { $files } MAPISVC.INF file
   *[other] { $files } MAPISVC.INF files
}, { $warnings ->
    [one] { $warnings } warning
   *[other] { $warnings } warnings
}
processes-find-dll-results = Find DLL "{ $query }": { $count ->
    [one] { $count } process
   *[other] { $count } processes
}
processes-find-dll-none = No process has it loaded (processes that could not be inspected are not searched).
processes-name-pid = { $name } (pid { $pid })

## Processes panel: the table.
processes-col-pid = PID
processes-col-name = Name
processes-col-user = User
processes-col-subsystem = Subsystem
processes-col-transport = Transport
processes-col-address-book = Address book
processes-col-message-store = Message store
processes-col-instrumented = Instrumented
processes-col-memory = Memory
processes-col-started = Started
processes-sort-by = Sort by { $column }
processes-none-mapi = No process has a MAPI subsystem loaded (mapi32.dll, olmapi32.dll, msmapi32.dll, exmapi32.dll), and no instrumented client is connected. Start Outlook or another MAPI client, or tick "All processes".
processes-no-match = No process matches the filter.
processes-path-unknown = path unknown
processes-yes = yes
processes-no = no
processes-unknown = unknown

## Sizes (powers of 1024, as Task Manager).
processes-size-b = { $value } B
processes-size-kb = { $value } KB
processes-size-mb = { $value } MB
processes-size-gb = { $value } GB
processes-size-tb = { $value } TB

## Processes panel: the selected process.
processes-selected-exited = Process { $pid } has exited.
processes-select-hint = Select a process to see its providers and modules.
processes-instrumented = instrumented
processes-show-live = Show its live sessions
processes-show-live-tooltip = Open the Live panel filtered to this process
processes-disagree = the OS and the client's trace disagree on its providers
processes-path = Path:
processes-user = User:
processes-subsystem = Subsystem:
processes-version = version { $version }
processes-stub-loaded = (the System32 stub mapi32.dll is loaded too)
processes-none-loaded = none loaded
processes-modules = Modules
processes-modules-unreadable = Its modules cannot be read: { $error }.
processes-run-as-admin = Run as administrator (Windows) or root (Linux) to inspect another user's or an elevated process.
processes-modules-count = Modules ({ $shown } of { $total })
processes-module-filter-hint = name or path
processes-providers = Providers
processes-no-providers = No loaded DLL is a provider the catalog knows (assets/providers.toml and MAPISVC.INF), and the client declared none.
processes-providers-transport = Transport providers ({ $count })
processes-providers-address-book = Address book providers ({ $count })
processes-providers-message-store = Message store providers ({ $count })
processes-declared-as = Declared by the client as: { $names }

## What the OS and the client's trace say about a provider.
processes-loaded-not-declared = loaded, not declared by the client
processes-declared-not-loaded = declared by the client, not loaded

## Why a process's modules or the process list cannot be read.
processes-access-denied = access denied
processes-exited = process exited
processes-cannot-list = cannot list processes: { $error }

## MAPISVC.INF problems ($line: the line as written, quoted).
# A skipped line of MAPISVC.INF: `file:line` (or the file alone), then the problem.
processes-inf-warning = { $at }: { $problem }
processes-inf-cannot-read = cannot read { $file }: { $error }
processes-inf-not-text = { $file } is not a MAPISVC.INF: binary data on line { $line }, not text
processes-inf-malformed-section = malformed section header { $line }
processes-inf-not-an-entry = not a `key=value` entry or a [section]: { $line }
processes-inf-no-key = entry without a key: { $line }
processes-inf-before-first-section = entry before the first [section]: { $line }
processes-inf-service-without-section = service { $service } has no [{ $service }] section
processes-inf-provider-without-section = service { $service } lists provider { $provider }, which has no section
processes-inf-empty-dll-name = empty PR_PROVIDER_DLL_NAME
processes-inf-unknown-resource-type = unknown PR_RESOURCE_TYPE { $value }

## The processes command (human output; --json does not change).
processes-cli-warning = mapi-shutdown: warning: { $warning }
processes-cli-uninspected = mapi-shutdown: note: the modules of { $count ->
        [one] { $count } process
       *[other] { $count } processes
    } could not be read ({ $denied } access denied): they may be MAPI processes. Run as administrator (root on Linux) to inspect them, or use --all to list them.
processes-cli-uninspected-root = mapi-shutdown: note: the modules of { $count ->
        [one] { $count } process
       *[other] { $count } processes
    } could not be read ({ $denied } access denied), even as root (a process in another namespace or container, or one that exited meanwhile): they may be MAPI processes; --all lists them with the reason.
processes-cli-find-dll-empty = --find-dll needs a DLL name (mso.dll, or mso)
processes-cli-dll-not-loaded = No process has { $dll } loaded.
processes-cli-no-mapi = No MAPI process found (a process with a MAPI subsystem DLL loaded).
processes-cli-catalog-extended = Provider catalog extended from { $files }.
processes-cli-col-pid = PID
processes-cli-col-name = NAME
processes-cli-col-user = USER
processes-cli-col-memory = MEMORY
processes-cli-col-subsystem = SUBSYSTEM
processes-cli-col-providers = PROVIDERS
processes-cli-provider-counts = { $transport } xp / { $address_book } ab / { $message_store } ms
processes-cli-instrumented = { $providers }, instrumented
processes-capture = Capture shutdown
processes-capture-tooltip = Load the capture agent into this process: its MAPI sessions opened from now on, and their shutdown, appear in the Live panel. Sessions already open are not seen: to see everything, start the client with "Launch with capture…" in the Live panel (docs/capture.md).
