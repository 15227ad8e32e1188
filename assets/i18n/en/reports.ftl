## The Reports panel.

reports-heading = Reports
reports-intro = A snapshot of this machine and user, for a ticket or an audit.
reports-show-in-folder = Show in folder

## Content.

reports-content = Content
reports-policy = Policy and add-ins
reports-policy-hint = FastShutdownBehavior and the other values of every Office version
reports-processes = MAPI processes and their providers
reports-scanning = Scanning processes…
reports-sessions = Shutdown sessions:
reports-sessions-all = All ({ $count })
reports-sessions-selected = Selected in the Live panel ({ $count })
reports-sessions-of-process = Of one process:
reports-choose = choose
reports-process-combo = Process of the report
reports-sessions-none = None

## Format and export.

reports-format = Format
reports-hint-html = One self-contained page: open, print or attach it
reports-hint-csv = One row per call, for Excel
reports-hint-json = The whole report, for scripts (docs/reports.md)
reports-hint-chrome = Opens in Perfetto (ui.perfetto.dev) and chrome://tracing
reports-bom = UTF-8 byte order mark (for Excel)
reports-export = Export…
reports-export-hint = Choose where to save the report ({ $shortcut })
reports-exporting = Exporting…
reports-dialog-title = Export the report as { $format }
reports-exported = Exported { $format } ({ $size }) to { $path }.
reports-not-written = The report was not written: { $error }. Nothing was left behind.
reports-cannot-start = Cannot start the export: { $error }

## Preview.

reports-preview-taken = Taken { $taken_at } on { $host } by { $user } ({ $os }), { $product }
reports-preview-policy = Policy ({ $store })
reports-preview-office = Office { $office } ({ $products }): { $values }
reports-preview-nothing-configured = nothing configured
reports-preview-addins = { $count ->
    [one] { $count } COM add-in
   *[other] { $count } COM add-ins
}
reports-preview-processes = MAPI processes ({ $count })
reports-preview-process = { $count ->
    [one] { $name } (pid { $pid }): { $count } provider
   *[other] { $name } (pid { $pid }): { $count } providers
}
reports-preview-sessions = Shutdown sessions ({ $count })
reports-preview-no-sessions = None chosen, or none received yet.
reports-preview-session = { $count ->
    [one] { $label }: { $count } call
   *[other] { $label }: { $count } calls
}
reports-preview-task = Report preview
reports-building = Updating the preview…
reports-format-leaves-out = { $format } leaves out: { $what }. Choose HTML or JSON to keep them.
