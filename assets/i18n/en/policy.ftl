## policy: en

## Policy values: ADMX policy names and option labels (outlk16.adml).

policy-admx-fast-shutdown-providers = Configure fast shutdown behavior
policy-admx-fast-shutdown-addins = Configure fast shutdown behavior for add-ins
policy-admx-prevent-external-references = Prevent shutdown if external references exist
policy-admx-option-opt-out = MAPI provider does not support
policy-admx-option-opt-in = All MAPI providers support
policy-admx-option-never = Never
policy-admx-state-not-configured = Not Configured
policy-admx-state-enabled = Enabled
policy-admx-state-disabled = Disabled
policy-admx-state-enabled-option = Enabled, "{ $option }"
policy-admx-state-line = ADMX: { $state }
policy-admx-policy = ADMX: "{ $policy }"

## What each value controls, and the words `policy set` accepts.

policy-summary-fast-shutdown = how the MAPI subsystem answers a client's QueryFastShutdown
policy-summary-addins = whether Outlook calls its COM add-ins' OnBeginShutdown/OnDisconnection at shutdown
policy-summary-external-references = whether Outlook shuts down while other programs hold references to it (inverted: 0 prevents shutdown)
policy-summary-require-notification = whether this add-in gets the blocking shutdown callbacks (KB 2790282)
policy-choices-fast-shutdown = 0|opt-out, 1|opt-in or 2|disabled
policy-choices-addins = 1|on (call add-ins) or 0|off
policy-choices-external-references = 1|on|allow (shut down anyway) or 0|off|prevent (block shutdown)
policy-choices-require-notification = 1|on or 0|off

## What the subsystem or Outlook does under each setting.

policy-meaning-fast-shutdown-opt-out = opt-out: the subsystem answers S_OK unless a provider's QueryFastShutdown returns an error; providers without IMAPIProviderShutdown do not block
policy-meaning-fast-shutdown-opt-in = opt-in: S_OK only if every provider implements IMAPIProviderShutdown and answers S_OK; any other provider makes the answer MAPI_E_NO_SUPPORT
policy-meaning-fast-shutdown-disabled = disabled: the subsystem answers MAPI_E_NO_SUPPORT and never calls a provider's QueryFastShutdown or DoFastShutdown; Outlook takes the normal, slower path
policy-meaning-addins-off = Outlook skips OnBeginShutdown/OnDisconnection on its COM add-ins (fast)
policy-meaning-addins-on = Outlook calls OnBeginShutdown and OnDisconnection on every COM add-in (the Outlook 2007 behaviour, slower)
policy-meaning-external-references-prevent = Outlook does not shut down while other programs hold references to it
policy-meaning-external-references-allow = Outlook shuts down even while other programs hold references to it (external references are ignored)
policy-meaning-require-notification-off = no blocking shutdown callbacks for this add-in
policy-meaning-require-notification-on = Outlook gives this add-in the blocking shutdown callbacks; shutdown waits for it (slower, KB 2790282)
policy-meaning-not-configured = not configured, so { $meaning }
policy-meaning-invalid-subsystem = invalid data: the subsystem treats it as absent, so { $meaning }
policy-meaning-invalid-outlook = invalid data: Outlook's handling of it is undocumented; assumed ignored like an absent value, so { $meaning }

## Invalid data: why, and the fix.

policy-reason-out-of-range = DWORD { $value } is out of range: only 0 to { $max } are defined
policy-reason-wrong-type = { $data_type } is the wrong type: { $name } must be a REG_DWORD
policy-fix-require-notification = { $command } (a valid REG_DWORD for what is in force now; --require-shutdown-notification on writes 1)
policy-fix-policy = mapi-shutdown policy unset { $name }{ $office_arg } (back to not configured), or mapi-shutdown policy set { $name } <{ $choices }>{ $office_arg }
policy-error-unknown-value = `{ $name }` is not a shutdown policy value: use FastShutdownBehavior, AddinFastShutdownBehavior or allowshutdownwithexternalreferences (any case)
policy-error-bad-setting = `{ $given }` is not a valid { $name }: use { $choices }

## Registry data in words.

policy-data-absent = not configured (absent)
policy-data-invalid = { $data } (invalid)

## LoadBehavior of a COM add-in.

policy-load-behavior-0 = 0: unloaded, not loaded at startup
policy-load-behavior-1 = 1: loaded, not loaded at startup
policy-load-behavior-2 = 2: load at startup, currently not loaded
policy-load-behavior-3 = 3: loaded at startup
policy-load-behavior-8 = 8: loaded on demand, not loaded
policy-load-behavior-9 = 9: loaded on demand, loaded
policy-load-behavior-16 = 16: loaded the first time, then on demand
policy-load-behavior-undocumented = { $value }: not a documented LoadBehavior
policy-load-behavior-wrong-type = { $data_type }: LoadBehavior must be a REG_DWORD

## Import: what is refused, and why.

policy-refused-key-deletion = deleting a whole key is refused: delete single values with "Name"=-
policy-refused-hive = not under HKEY_CURRENT_USER or HKEY_LOCAL_MACHINE
policy-refused-per-user = the shutdown policy is per user: only HKEY_CURRENT_USER's Shutdown key is imported
policy-refused-not-shutdown-key = not a shutdown settings key
policy-refused-with-values = { $what } ({ $count ->
    [one] { $count } value
   *[other] { $count } values
} not imported)
policy-refused-addin-missing = this add-in is not registered in the store (its key does not exist); import does not create add-in keys
policy-refused-not-policy-value = not a shutdown policy value (only FastShutdownBehavior, AddinFastShutdownBehavior and allowshutdownwithexternalreferences are imported)
policy-refused-addin-value = only RequireShutdownNotification is imported for an add-in
policy-refused-invalid-data = invalid data { $data }: { $reason }
policy-refused-pol-instruction = the Group Policy instruction { $instruction } is not applied by an import (only values set, and deletions with **del., **DeleteValues or **delvals., are)

## Access denied.

policy-access-denied-advice =
    Writing here needs more rights (HKCU\Software\Policies is usually writable only by administrators). Alternatives:
    {"  "}- run mapi-shutdown elevated ("Run as administrator") and repeat the command;
    {"  "}- write the values to a .reg file (`mapi-shutdown policy export FILE`, edit it), then import it elevated: `reg import FILE` or double-click it as an administrator;
    {"  "}- deploy the setting by Group Policy: outlk16.admx, User Configuration > Administrative Templates > Microsoft Outlook 2016 > Miscellaneous > Miscellaneous, "Configure fast shutdown behavior" (see docs/policy.md).

## Policy panel: toolbar.

policy-title = Fast-shutdown policy
policy-reload = Reload
policy-reload-hover = Read the registry again ({ $shortcut })
policy-import = Import .reg or .pol…
policy-import-hover = Review and apply the shutdown values of a regedit file or of a Group Policy Registry.pol ({ $shortcut })
policy-export = Export .reg…
policy-export-hover = Save every version's shutdown values and the add-ins' settings as a regedit file ({ $shortcut })
policy-gpo-menu = Group Policy
policy-export-pol = Export Registry.pol…
policy-export-pol-hover = Save the three policies of every Office version that has them as a Group Policy Registry.pol, for a GPO's User\Registry.pol (only what is configured)
policy-export-pol-delete = Export Registry.pol, deleting what is not configured…
policy-export-pol-delete-hover = The same, plus a "delete" record (**del.) for each policy that is not configured, so that the GPO removes a value set earlier
policy-export-pol-one-version = One Office version
policy-export-pol-version = Office { $version }…
policy-export-pol-version-delete = Office { $version }, deleting what is not configured…
policy-gpo-menu-import-hint = To see what a GPO sets, import its User\Registry.pol with "Import .reg or .pol…".
policy-gpo-note = Under Software\Policies: on a domain-joined machine Group Policy owns these values and rewrites them at its next refresh. Group Policy editor: User Configuration > Administrative Templates > { $product } > Miscellaneous > Miscellaneous ({ $template }).
policy-report = Report…
policy-report-hover = A policy report (every version's values and their meaning, the add-ins) as HTML, CSV, JSON or a Chrome trace (Reports panel)
policy-undo = Undo last change
policy-undo-hover = Restore the values saved before the last applied change
policy-undo-disabled-hover = No applied change of this registry to undo

## Policy panel: message banner.

policy-dismiss = Dismiss
policy-export-pending = Export the pending changes as .reg…
policy-export-pending-hover = Save them to a file you can import as an administrator

## Policy panel: import review.

policy-import-title = Import { $path }
policy-import-pol-title = Import the Group Policy file { $path } (its keys apply to HKEY_CURRENT_USER)
policy-import-group-version = Office { $version }
policy-import-group-addins = Add-ins
policy-import-nothing = Nothing to change: the file matches the registry.
policy-import-changes = Importing changes { $count ->
    [one] { $count } value
   *[other] { $count } values
}:
policy-import-same = { $count ->
    [one] { $count } value already holds
   *[other] { $count } values already hold
} the file's data.
policy-import-refused = { $count ->
    [one] { $count } entry not imported (only shutdown values are):
   *[other] { $count } entries not imported (only shutdown values are):
}
policy-import-refused-entry = { $what }: { $reason }
policy-apply-import = Apply import
policy-cancel-import = Cancel import

## Policy panel: pending changes.

policy-pending-title = { $count ->
    [one] { $count } pending change
   *[other] { $count } pending changes
}, not written yet
policy-apply = Apply
policy-apply-hover = Back up the current values, then write these ({ $shortcut })
policy-revert = Revert
policy-revert-hover = Forget these changes ({ $shortcut })
policy-pending-badge = Pending: { $change }
policy-pending-badge-lower = pending: { $change }

## Policy panel: one card per Office version.

policy-read-error = The policy cannot be read
policy-version-title = Office { $version } · { $products }
policy-outlook-installed = Outlook installed for this user
policy-outlook-not-found = Outlook not found for this user
policy-radio-name = Office { $version } { $name }: { $label }
policy-not-configured = Not configured
policy-not-configured-hover = ADMX: Not Configured; the value is deleted
policy-option-opt-out = Opt-out (0)
policy-option-opt-in = Opt-in (1)
policy-option-disabled = Disabled (2)
policy-option-addins-off = Off (0): skip add-in callbacks
policy-option-addins-on = On (1): call add-ins at shutdown
policy-option-prevent = Prevent shutdown (0)
policy-option-allow = Allow shutdown (1)
policy-state-configured = Configured
policy-state-invalid = Invalid data
policy-stored-data = Stored data: { $data } — { $reason }
policy-not-valid = not a valid setting
policy-fix-delete = Fix: delete the invalid { $name } (back to not configured)
policy-fix-hover = Writes now, with a backup; Undo restores the invalid data

## Policy panel: COM add-ins.

policy-addins-title = COM add-ins
policy-addins-intro = Outlook's add-ins under HKCU and HKLM Software\Microsoft\Office\Outlook\Addins. RequireShutdownNotification=1 gives an add-in the blocking shutdown callbacks (KB 2790282).
policy-addins-read-error = The add-ins cannot be read
policy-addins-none = No COM add-in is registered for Outlook in this registry.
policy-addins-warning = Turning RequireShutdownNotification on makes Outlook wait for that add-in at every shutdown: shutdown gets slower. Turn it on only for an add-in that must save data when Outlook closes.
policy-addins-col-addin = Add-in
policy-addins-col-registered = Registered in
policy-addins-col-notification = Shutdown notification
policy-addin-place-wow64 = { $hive } (32-bit Office)
policy-not-set = not set
policy-on = On
policy-off = Off
policy-addin-checkbox-name = RequireShutdownNotification of { $prog_id } ({ $place })
policy-fix-delete-value = Fix: delete the invalid value
policy-fix-value-hover = Stored: { $data }. Writes now, with a backup.

## Policy panel: history and undo.

policy-history-title = History and undo
policy-history-intro = Every write first saves the values it changes as a .reg file in { $dir }.
policy-history-empty = No change has been made to this registry yet.
policy-history-note = Newest first. "Undo last change" (top of the panel) restores the newest change that is not undone yet.
policy-history-undone = { $command } (undone)
policy-history-was = { $name } was { $data }

## Policy panel: what a command did.

policy-reverted = Reverted { $count ->
    [one] { $count } pending change
   *[other] { $count } pending changes
}; nothing was written.
policy-restored = Restored { $count ->
    [one] { $count } value
   *[other] { $count } values
} from the backup of { $created }.
policy-undid = Undid: { $command }
policy-export-dialog = Export the shutdown policy
policy-exported = Exported to { $path }
policy-exported-detail = Every Office version's shutdown values and the add-ins' RequireShutdownNotification, as regedit writes them (UTF-16).
policy-export-failed = The export failed; no file was written.
policy-export-pol-dialog = Export the shutdown policies for Group Policy
policy-exported-pol = Exported { $values ->
    [one] { $values } policy value
   *[other] { $values } policy values
} and { $deletions ->
    [one] { $deletions } deletion
   *[other] { $deletions } deletions
} to { $path }
policy-exported-pol-detail = Put it in the GPO as User\Registry.pol (\\DOMAIN\SYSVOL\DOMAIN\Policies\{"{"}GUID{"}"}\User\Registry.pol), or import it on another machine. The add-ins' RequireShutdownNotification is not a policy and is not in it.
policy-exported-pol-skipped = { $count ->
    [one] { $count } value with invalid data was left out; fix it first:
   *[other] { $count } values with invalid data were left out; fix them first:
} { $list }
policy-save-pending-dialog = Save the pending changes as a .reg file
policy-saved-pending = Saved { $count ->
    [one] { $count } pending change
   *[other] { $count } pending changes
} to { $path }
policy-saved-pending-detail = Import it as an administrator: `reg import "{ $path }"` in an elevated prompt, or double-click it and accept the UAC prompt. The changes stay pending here.
policy-file-not-written = The file could not be written.
policy-import-dialog = Import shutdown settings from a .reg file or a Group Policy Registry.pol
policy-import-failed = { $path } cannot be imported.
policy-nothing-to-write = Nothing to write: the registry already holds these values.
policy-written = Wrote { $count ->
    [one] { $count } value
   *[other] { $count } values
} and read { $count ->
    [one] it
   *[other] them
} back.
policy-written-backup = The previous values are saved in { $path }; "Undo last change" restores them.
policy-access-denied = Access denied: nothing was written.
policy-concurrent-change = Another program changed this value since it was shown: nothing was written.
policy-concurrent-detail = Reload (F5) shows the current values; your pending changes are kept and start from them.
policy-nothing-to-undo = Nothing to undo.
policy-write-failed = The write failed.

## `policy` and `addins` commands (human output).

policy-cli-bad-expect = `{ $text }` is not an expected value: use absent, a number, or dword:XXXXXXXX
policy-cli-expect-mismatch = { $at } is { $found }, not { $expected } as --expect said: nothing was written
policy-cli-expect-again = To change it anyway, run the command again with --expect { $expect }.
policy-cli-expect-again-without = To change it anyway, run the command again without --expect.
policy-cli-state-not-configured = not configured (in force: { $effective })
policy-cli-state-invalid = INVALID { $data } (in force: { $effective })
policy-cli-installed = installed
policy-cli-not-installed = not installed for this user (no { $key })
policy-cli-version = Office { $version } ({ $products }): { $installed }
policy-cli-key-absent = { $key } (key absent)
policy-cli-why-invalid = why invalid: { $reason }
policy-cli-admx = ADMX "{ $policy }"
policy-cli-admx-state = ADMX "{ $policy }": { $state }
policy-cli-fix = fix: { $fix }
policy-cli-store = Registry store: { $store }
policy-cli-unchanged-value = { $data } (unchanged)
policy-cli-backup = Backup of the previous values: { $path } (`mapi-shutdown policy undo` restores them)
policy-cli-nothing-to-write-in = Nothing to write in { $store }: every value already holds that data.
policy-cli-written-to = Written to { $store } (verified by reading back):
policy-cli-unchanged = Unchanged:
policy-cli-changes = Changes:
policy-cli-note-not-installed = note: Outlook { $version } is not installed for this user (no { $key }); writing its policy anyway
policy-cli-exported = Exported { $values ->
    [one] { $values } value
   *[other] { $values } values
} in { $keys ->
    [one] { $keys } key
   *[other] { $keys } keys
} from { $store } to { $path }
policy-cli-import-title = Import of { $path } into { $store }:
policy-cli-import-pol-title = Import of the Group Policy file { $path } (its keys under HKEY_CURRENT_USER) into { $store }:
policy-cli-exported-pol = Exported { $values ->
    [one] { $values } policy value
   *[other] { $values } policy values
} and { $deletions ->
    [one] { $deletions } deletion
   *[other] { $deletions } deletions
} from { $store } to the Group Policy file { $path } (for a GPO's User\Registry.pol)
policy-cli-pol-skipped-invalid = warning: { $at } holds invalid data ({ $data }): not exported; fix it first (`mapi-shutdown policy show`)
policy-cli-delete-unset-pol-only = --delete-unset writes Group Policy "delete" records: use it with --format pol (or a FILE ending in .pol)
policy-cli-import-empty = no shutdown settings in the file
policy-cli-refused-foreign-title = Refused, not shutdown settings (foreign keys and values; not imported):
policy-cli-refused-invalid-title = Refused, invalid data for a shutdown setting (not imported):
policy-cli-refused-not-writable-title = Refused, shutdown keys that import does not write this way (not imported):
policy-cli-refused-value = { $key } value "{ $value }": { $reason }
policy-cli-refused-warning = warning: { $count ->
    [one] { $count } entry
   *[other] { $count } entries
} of { $path } refused (see the list above)
policy-cli-nothing-imported = nothing imported: every entry of { $path } was refused (see the list above)
policy-cli-dry-run = Dry run: nothing written.
policy-cli-nothing-to-write = Nothing to write: every value already holds that data.
policy-cli-imported = Imported { $count ->
    [one] { $count } value
   *[other] { $count } values
} into { $store } (verified by reading back).
policy-cli-no-backups = No backups in { $dir }.
policy-cli-no-backups-of = No backups of { $store } in { $dir }.
policy-cli-backups-in = Backups in { $dir } (newest first):
policy-cli-backups-of = Backups of { $store } in { $dir } (newest first):
policy-cli-backups-other = { $count ->
    [one] { $count } more backup, of another registry store: `mapi-shutdown policy history --all` lists it.
   *[other] { $count } more backups, of other registry stores: `mapi-shutdown policy history --all` lists them.
}
policy-cli-backup-undone = undone
policy-cli-backup-redone = redone
policy-cli-backup-by-undo = taken by undo
policy-cli-backup-by-redo = taken by redo
policy-cli-restored = Restored backup { $id } ({ $command }) in { $store }:
policy-cli-already-as-backup = Already as in the backup:
policy-cli-marked-undone = Marked undone: { $path }
policy-cli-marked-redone = Marked redone: { $path }
policy-cli-undo-backup = The values this undo replaced: { $path } (`mapi-shutdown policy redo` restores them)
policy-cli-redo-backup = The values this redo replaced: { $path } (`mapi-shutdown policy undo` restores them)
policy-cli-undo-removed-key = Removed { $key }: the change had created it and it is empty again
policy-cli-undo-last = That was the oldest change of { $store } on record: nothing older to undo.
policy-cli-redo-last = That was the last undo of { $store }: nothing more to redo.
policy-cli-nothing-to-undo = nothing to undo in { $store }: no change to it is backed up in { $dir }
policy-cli-nothing-to-undo-all-undone = nothing to undo in { $store }: { $count ->
    [one] its one change backed up in { $dir } is undone
   *[other] its { $count } changes backed up in { $dir } are all undone
}; `mapi-shutdown policy redo` reapplies the last one undone
policy-cli-nothing-to-redo = nothing to redo in { $store }: no undo since the last change
policy-cli-undo-refused-title = Not restored (not shutdown settings):
policy-cli-undo-refused-warning = warning: { $count ->
    [one] { $count } entry
   *[other] { $count } entries
} of backup { $path } not restored (see the list above): undo writes only shutdown settings
policy-cli-warning = warning: { $message }
policy-cli-addins-none = No COM add-ins registered for Outlook.
policy-cli-absent = absent
policy-cli-view-hkcu = --view wow6432node exists only under --hive hklm (HKCU is shared by both views)
policy-cli-or = {" "}or{" "}
policy-cli-no-addin = no add-in { $prog_id } under { $places } in { $store } (see `mapi-shutdown addins list`)
policy-cli-addin-elsewhere = It is registered as { $key }: add { $args }.
policy-cli-both-views = { $prog_id } is registered in both HKLM views: choose --view native or --view wow6432node
policy-cli-addin-written = { $before } -> { $after } (verified by reading back) in { $store }
policy-cli-addin-backup = Backup of the previous value: { $path } (`mapi-shutdown policy undo` restores it)
policy-cli-addin-already = { $at } already holds { $data }: nothing written
