## policy: zh-CN

## Policy values: ADMX policy names and option labels (outlk16.adml).
## The template's own names, letter for letter. The zh-CN outlk16.adml
## was not found in any source we could read (searched 2026-12-07:
## Microsoft Learn in Chinese, admx.help, public repositories;
## docs/i18n.md), so the English template's names are shown, and every
## message that shows one says so ("英文模板中的名称").

policy-admx-fast-shutdown-providers = Configure fast shutdown behavior
policy-admx-fast-shutdown-addins = Configure fast shutdown behavior for add-ins
policy-admx-prevent-external-references = Prevent shutdown if external references exist
policy-admx-option-opt-out = MAPI provider does not support
policy-admx-option-opt-in = All MAPI providers support
policy-admx-option-never = Never
policy-admx-state-not-configured = 未配置
policy-admx-state-enabled = 已启用
policy-admx-state-disabled = 已禁用
policy-admx-state-enabled-option = 已启用，“{ $option }”（英文模板中的名称）
policy-admx-state-line = ADMX：{ $state }
policy-admx-policy = ADMX：“{ $policy }”（英文模板中的名称）

## What each value controls, and the words `policy set` accepts.

policy-summary-fast-shutdown = MAPI 子系统如何答复客户端的 QueryFastShutdown
policy-summary-addins = Outlook 在关闭时是否调用其 COM 加载项的 OnBeginShutdown/OnDisconnection
policy-summary-external-references = 当其他程序持有对 Outlook 的引用时，Outlook 是否关闭（反向：0 阻止关闭）
policy-summary-require-notification = 此加载项是否接收阻塞式关闭回调（KB 2790282）
policy-choices-fast-shutdown = 0|opt-out、1|opt-in 或 2|disabled
policy-choices-addins = 1|on（调用加载项）或 0|off
policy-choices-external-references = 1|on|allow（仍然关闭）或 0|off|prevent（阻止关闭）
policy-choices-require-notification = 1|on 或 0|off

## What the subsystem or Outlook does under each setting.

policy-meaning-fast-shutdown-opt-out = 选择退出（opt-out）：除非某个提供程序的 QueryFastShutdown 返回错误，否则子系统答复 S_OK；未实现 IMAPIProviderShutdown 的提供程序不会阻止
policy-meaning-fast-shutdown-opt-in = 选择加入（opt-in）：仅当每个提供程序都实现 IMAPIProviderShutdown 并答复 S_OK 时才答复 S_OK；任何其他提供程序都会使答复变为 MAPI_E_NO_SUPPORT
policy-meaning-fast-shutdown-disabled = 已禁用：子系统答复 MAPI_E_NO_SUPPORT，从不调用提供程序的 QueryFastShutdown 或 DoFastShutdown；Outlook 走常规的、较慢的路径
policy-meaning-addins-off = Outlook 跳过对其 COM 加载项的 OnBeginShutdown/OnDisconnection 调用（快速）
policy-meaning-addins-on = Outlook 对每个 COM 加载项调用 OnBeginShutdown 和 OnDisconnection（Outlook 2007 的行为，较慢）
policy-meaning-external-references-prevent = 当其他程序持有对 Outlook 的引用时，Outlook 不会关闭
policy-meaning-external-references-allow = 即使其他程序持有对 Outlook 的引用，Outlook 也会关闭（忽略外部引用）
policy-meaning-require-notification-off = 此加载项不接收阻塞式关闭回调
policy-meaning-require-notification-on = Outlook 为此加载项提供阻塞式关闭回调；关闭过程会等待它（较慢，KB 2790282）
policy-meaning-not-configured = 未配置，因此{ $meaning }
policy-meaning-invalid-subsystem = 数据无效：子系统将其视为不存在，因此{ $meaning }
policy-meaning-invalid-outlook = 数据无效：Outlook 如何处理它未见文档记载；假定与不存在的值一样被忽略，因此{ $meaning }

## Invalid data: why, and the fix.

policy-reason-out-of-range = DWORD { $value } 超出范围：仅定义了 0 到 { $max }
policy-reason-wrong-type = { $data_type } 类型错误：{ $name } 必须是 REG_DWORD
policy-fix-require-notification = { $command }（按当前生效的值写入有效的 REG_DWORD；--require-shutdown-notification on 写入 1）
policy-fix-policy = mapi-shutdown policy unset { $name }{ $office_arg }（恢复为未配置），或 mapi-shutdown policy set { $name } <{ $choices }>{ $office_arg }
policy-error-unknown-value = `{ $name }` 不是关闭策略值：请使用 FastShutdownBehavior、AddinFastShutdownBehavior 或 allowshutdownwithexternalreferences（不区分大小写）
policy-error-bad-setting = `{ $given }` 不是有效的 { $name }：请使用 { $choices }

## Registry data in words.

policy-data-absent = 未配置（不存在）
policy-data-invalid = { $data }（无效）

## LoadBehavior of a COM add-in.

policy-load-behavior-0 = 0：已卸载，启动时不加载
policy-load-behavior-1 = 1：已加载，启动时不加载
policy-load-behavior-2 = 2：启动时加载，当前未加载
policy-load-behavior-3 = 3：启动时加载
policy-load-behavior-8 = 8：按需加载，未加载
policy-load-behavior-9 = 9：按需加载，已加载
policy-load-behavior-16 = 16：首次加载，之后按需加载
policy-load-behavior-undocumented = { $value }：未见文档记载的 LoadBehavior
policy-load-behavior-wrong-type = { $data_type }：LoadBehavior 必须是 REG_DWORD

## Import: what is refused, and why.

policy-refused-key-deletion = 拒绝删除整个项：请用 "Name"=- 逐个删除值
policy-refused-hive = 不在 HKEY_CURRENT_USER 或 HKEY_LOCAL_MACHINE 下
policy-refused-per-user = 关闭策略按用户设置：仅导入 HKEY_CURRENT_USER 的 Shutdown 项
policy-refused-not-shutdown-key = 不是关闭设置项
policy-refused-with-values = { $what }（{ $count } 个值未导入）
policy-refused-addin-missing = 此加载项未在存储中注册（其项不存在）；导入不会创建加载项的项
policy-refused-not-policy-value = 不是关闭策略值（仅导入 FastShutdownBehavior、AddinFastShutdownBehavior 和 allowshutdownwithexternalreferences）
policy-refused-addin-value = 对于加载项，仅导入 RequireShutdownNotification
policy-refused-invalid-data = 数据无效 { $data }：{ $reason }
policy-refused-pol-instruction = 导入不应用组策略指令 { $instruction }（只应用设置的值，以及 **del.、**DeleteValues 或 **delvals. 的删除）

## Access denied.

policy-access-denied-advice =
    在此写入需要更多权限（HKCU\Software\Policies 通常只有管理员可写）。其他办法：
    {"  "}- 以管理员身份运行 mapi-shutdown（“以管理员身份运行”）并重新执行命令；
    {"  "}- 将值写入 .reg 文件（`mapi-shutdown policy export FILE`，编辑它），然后以管理员身份导入：`reg import FILE`，或以管理员身份双击该文件；
    {"  "}- 通过组策略部署该设置：outlk16.admx，用户配置 > 管理模板 > Microsoft Outlook 2016 > Miscellaneous > Miscellaneous，“Configure fast shutdown behavior”（英文模板中的名称；参见 docs/policy.md）。

## Policy panel: toolbar.

policy-title = 快速关闭策略
policy-reload = 重新加载
policy-reload-hover = 重新读取注册表（{ $shortcut }）
policy-import = 导入 .reg 或 .pol…
policy-import-hover = 检查并应用 regedit 文件或组策略 Registry.pol 中的关闭值（{ $shortcut }）
policy-export = 导出 .reg…
policy-export-hover = 将每个版本的关闭值和加载项的设置保存为 regedit 文件（{ $shortcut }）
policy-gpo-menu = 组策略
policy-export-pol = 导出 Registry.pol…
policy-export-pol-hover = 将每个具有这些策略的 Office 版本的三个策略保存为组策略 Registry.pol，用于 GPO 的 User\Registry.pol（仅已配置的）
policy-export-pol-delete = 导出 Registry.pol，并删除未配置的策略…
policy-export-pol-delete-hover = 同上，并为每个未配置的策略写入“删除”记录（**del.），使 GPO 删除先前设置的值
policy-export-pol-one-version = 单个 Office 版本
policy-export-pol-version = Office { $version }…
policy-export-pol-version-delete = Office { $version }，并删除未配置的策略…
policy-gpo-menu-import-hint = 要查看 GPO 设置了什么，请用“导入 .reg 或 .pol…”导入其 User\Registry.pol。
policy-gpo-note = 位于 Software\Policies 下：在加入域的计算机上，组策略拥有这些值，并在下次刷新时重写它们。组策略编辑器：用户配置 > 管理模板 > { $product } > Miscellaneous > Miscellaneous（{ $template }；英文模板中的名称）。
policy-report = 报告…
policy-report-hover = 策略报告（每个版本的值及其含义、加载项），格式为 HTML、CSV、JSON 或 Chrome 跟踪（“报告”面板）
policy-undo = 撤消上次更改
policy-undo-hover = 还原上次应用更改之前保存的值
policy-undo-disabled-hover = 此注册表没有可撤消的已应用更改

## Policy panel: message banner.

policy-dismiss = 关闭
policy-export-pending = 将挂起的更改导出为 .reg…
policy-export-pending-hover = 将它们保存到可以以管理员身份导入的文件中

## Policy panel: import review.

policy-import-title = 导入 { $path }
policy-import-pol-title = 导入组策略文件 { $path }（其项应用于 HKEY_CURRENT_USER）
policy-import-group-version = Office { $version }
policy-import-group-addins = 加载项
policy-import-nothing = 无需更改：文件与注册表一致。
policy-import-changes = 导入将更改 { $count } 个值：
policy-import-same = { $count } 个值已包含文件中的数据。
policy-import-refused = { $count } 个条目未导入（仅导入关闭值）：
policy-import-refused-entry = { $what }：{ $reason }
policy-apply-import = 应用导入
policy-cancel-import = 取消导入

## Policy panel: pending changes.

policy-pending-title = { $count } 个挂起的更改，尚未写入
policy-apply = 应用
policy-apply-hover = 先备份当前值，然后写入这些值（{ $shortcut }）
policy-revert = 还原
policy-revert-hover = 放弃这些更改（{ $shortcut }）
policy-pending-badge = 挂起：{ $change }
policy-pending-badge-lower = 挂起：{ $change }

## Policy panel: one card per Office version.

policy-read-error = 无法读取策略
policy-version-title = Office { $version } · { $products }
policy-outlook-installed = 已为此用户安装 Outlook
policy-outlook-not-found = 未找到此用户的 Outlook
policy-radio-name = Office { $version } { $name }：{ $label }
policy-not-configured = 未配置
policy-not-configured-hover = ADMX：未配置；该值将被删除
policy-option-opt-out = 选择退出 (0)
policy-option-opt-in = 选择加入 (1)
policy-option-disabled = 已禁用 (2)
policy-option-addins-off = 关 (0)：跳过加载项回调
policy-option-addins-on = 开 (1)：关闭时调用加载项
policy-option-prevent = 阻止关闭 (0)
policy-option-allow = 允许关闭 (1)
policy-state-configured = 已配置
policy-state-invalid = 数据无效
policy-stored-data = 存储的数据：{ $data } — { $reason }
policy-not-valid = 不是有效的设置
policy-fix-delete = 修复：删除无效的 { $name }（恢复为未配置）
policy-fix-hover = 立即写入，并进行备份；撤消可还原无效数据

## Policy panel: COM add-ins.

policy-addins-title = COM 加载项
policy-addins-intro = HKCU 和 HKLM 下 Software\Microsoft\Office\Outlook\Addins 中的 Outlook 加载项。RequireShutdownNotification=1 为加载项提供阻塞式关闭回调（KB 2790282）。
policy-addins-read-error = 无法读取加载项
policy-addins-none = 此注册表中没有为 Outlook 注册的 COM 加载项。
policy-addins-warning = 启用 RequireShutdownNotification 会使 Outlook 在每次关闭时等待该加载项：关闭会变慢。仅对必须在 Outlook 关闭时保存数据的加载项启用它。
policy-addins-col-addin = 加载项
policy-addins-col-registered = 注册位置
policy-addins-col-notification = 关闭通知
policy-addin-place-wow64 = { $hive }（32 位 Office）
policy-not-set = 未设置
policy-on = 开
policy-off = 关
policy-addin-checkbox-name = { $prog_id } 的 RequireShutdownNotification（{ $place }）
policy-fix-delete-value = 修复：删除无效值
policy-fix-value-hover = 存储的数据：{ $data }。立即写入，并进行备份。

## Policy panel: history and undo.

policy-history-title = 历史记录和撤消
policy-history-intro = 每次写入前，都会先将要更改的值以 .reg 文件形式保存到 { $dir }。
policy-history-empty = 尚未对此注册表进行任何更改。
policy-history-note = 最新的在前。“撤消上次更改”（面板顶部）会还原最新的尚未撤消的更改。
policy-history-undone = { $command }（已撤消）
policy-history-was = { $name } 原为 { $data }

## Policy panel: what a command did.

policy-reverted = 已放弃 { $count } 个挂起的更改；未写入任何内容。
policy-restored = 已从 { $created } 的备份中还原 { $count } 个值。
policy-undid = 已撤消：{ $command }
policy-export-dialog = 导出关闭策略
policy-exported = 已导出到 { $path }
policy-exported-detail = 每个 Office 版本的关闭值和加载项的 RequireShutdownNotification，与 regedit 写入的格式相同（UTF-16）。
policy-export-failed = 导出失败；未写入任何文件。
policy-export-pol-dialog = 为组策略导出关闭策略
policy-exported-pol = 已将 { $values } 个策略值和 { $deletions } 个删除记录导出到 { $path }
policy-exported-pol-detail = 将其作为 User\Registry.pol 放入 GPO（\\域\SYSVOL\域\Policies\{"{"}GUID{"}"}\User\Registry.pol），或在另一台计算机上导入。加载项的 RequireShutdownNotification 不是策略，不在其中。
policy-exported-pol-skipped = 已省略 { $count } 个数据无效的值；请先修复：{ $list }
policy-save-pending-dialog = 将挂起的更改保存为 .reg 文件
policy-saved-pending = 已将 { $count } 个挂起的更改保存到 { $path }
policy-saved-pending-detail = 以管理员身份导入它：在提升的命令提示符中运行 `reg import "{ $path }"`，或双击该文件并接受 UAC 提示。这些更改在此处仍保持挂起。
policy-file-not-written = 无法写入该文件。
policy-import-dialog = 从 .reg 文件或组策略 Registry.pol 导入关闭设置
policy-import-failed = 无法导入 { $path }。
policy-nothing-to-write = 无需写入：注册表已包含这些值。
policy-written = 已写入 { $count } 个值并已回读验证。
policy-written-backup = 之前的值已保存在 { $path } 中；“撤消上次更改”可还原它们。
policy-access-denied = 拒绝访问：未写入任何内容。
policy-concurrent-change = 自显示以来，另一个程序更改了此值：未写入任何内容。
policy-concurrent-detail = 重新加载 (F5) 会显示当前值；挂起的更改会保留，并以这些值为起点。
policy-nothing-to-undo = 没有可撤消的内容。
policy-write-failed = 写入失败。

## `policy` and `addins` commands (human output).

policy-cli-bad-expect = `{ $text }` 不是预期值：请使用 absent、数字或 dword:XXXXXXXX
policy-cli-expect-mismatch = { $at } 的值为 { $found }，而不是 --expect 所说的 { $expected }：未写入任何内容
policy-cli-expect-again = 如仍要更改，请使用 --expect { $expect } 重新运行该命令。
policy-cli-expect-again-without = 如仍要更改，请不带 --expect 重新运行该命令。
policy-cli-state-not-configured = 未配置（生效值：{ $effective }）
policy-cli-state-invalid = 无效 { $data }（生效值：{ $effective }）
policy-cli-installed = 已安装
policy-cli-not-installed = 未为此用户安装（没有 { $key }）
policy-cli-version = Office { $version }（{ $products }）：{ $installed }
policy-cli-key-absent = { $key }（项不存在）
policy-cli-why-invalid = 无效原因：{ $reason }
policy-cli-admx = ADMX“{ $policy }”（英文模板中的名称）
policy-cli-admx-state = ADMX“{ $policy }”（英文模板中的名称）：{ $state }
policy-cli-fix = 修复：{ $fix }
policy-cli-store = 注册表存储：{ $store }
policy-cli-unchanged-value = { $data }（未更改）
policy-cli-backup = 之前值的备份：{ $path }（`mapi-shutdown policy undo` 可还原）
policy-cli-nothing-to-write-in = 无需写入 { $store }：每个值都已包含该数据。
policy-cli-written-to = 已写入 { $store }（已回读验证）：
policy-cli-unchanged = 未更改：
policy-cli-changes = 更改：
policy-cli-note-not-installed = 注意：未为此用户安装 Outlook { $version }（没有 { $key }）；仍将写入其策略
policy-cli-exported = 已从 { $store } 导出 { $keys } 个项中的 { $values } 个值到 { $path }
policy-cli-import-title = 将 { $path } 导入 { $store }：
policy-cli-import-pol-title = 将组策略文件 { $path }（其项位于 HKEY_CURRENT_USER 下）导入到 { $store }：
policy-cli-exported-pol = 已从 { $store } 导出 { $values } 个策略值和 { $deletions } 个删除记录到组策略文件 { $path }（用于 GPO 的 User\Registry.pol）
policy-cli-pol-skipped-invalid = 警告：{ $at } 的数据无效（{ $data }）：未导出；请先修复（`mapi-shutdown policy show`）
policy-cli-delete-unset-pol-only = --delete-unset 写入组策略“删除”记录：请与 --format pol 一起使用（或以 .pol 结尾的文件）
policy-cli-import-empty = 文件中没有关闭设置
policy-cli-refused-foreign-title = 已拒绝，不是关闭设置（外部键和值；未导入）：
policy-cli-refused-invalid-title = 已拒绝，关闭设置的数据无效（未导入）：
policy-cli-refused-not-writable-title = 已拒绝，导入不以此方式写入的关闭键（未导入）：
policy-cli-refused-value = { $key } 值 "{ $value }"：{ $reason }
policy-cli-refused-warning = 警告：{ $path } 中有 { $count } 个条目被拒绝（见上方列表）
policy-cli-nothing-imported = 未导入任何内容：{ $path } 的每个条目都被拒绝（见上方列表）
policy-cli-dry-run = 试运行：未写入任何内容。
policy-cli-nothing-to-write = 无需写入：每个值都已包含该数据。
policy-cli-imported = 已将 { $count } 个值导入 { $store }（已回读验证）。
policy-cli-no-backups = { $dir } 中没有备份。
policy-cli-no-backups-of = { $dir } 中没有 { $store } 的备份。
policy-cli-backups-in = { $dir } 中的备份（最新的在前）：
policy-cli-backups-of = { $dir } 中 { $store } 的备份（最新的在前）：
policy-cli-backups-other = 另有 { $count } 个其他注册表存储的备份：`mapi-shutdown policy history --all` 会列出它们。
policy-cli-backup-undone = 已撤消
policy-cli-backup-redone = 已重做
policy-cli-backup-by-undo = 由撤消创建
policy-cli-backup-by-redo = 由重做创建
policy-cli-restored = 已在 { $store } 中还原备份 { $id }（{ $command }）：
policy-cli-already-as-backup = 已与备份一致：
policy-cli-marked-undone = 已标记为撤消：{ $path }
policy-cli-marked-redone = 已标记为重做：{ $path }
policy-cli-undo-backup = 此次撤消替换的值：{ $path }（`mapi-shutdown policy redo` 可还原）
policy-cli-redo-backup = 此次重做替换的值：{ $path }（`mapi-shutdown policy undo` 可还原）
policy-cli-undo-removed-key = 已删除 { $key }：该键由那次更改创建，现在又为空
policy-cli-undo-last = 这是 { $store } 记录中最早的更改：没有更早的更改可撤消。
policy-cli-redo-last = 这是 { $store } 的最后一次撤消：没有更多可重做的内容。
policy-cli-nothing-to-undo = { $store } 中没有可撤消的内容：{ $dir } 中没有它的更改备份
policy-cli-nothing-to-undo-all-undone = { $store } 中没有可撤消的内容：{ $dir } 中备份的 { $count } 个更改都已撤消；`mapi-shutdown policy redo` 会重新应用最后撤消的那个
policy-cli-nothing-to-redo = { $store } 中没有可重做的内容：自上次更改以来没有撤消
policy-cli-undo-refused-title = 未还原（不是关闭设置）：
policy-cli-undo-refused-warning = 警告：备份 { $path } 中有 { $count } 个条目未还原（见上方列表）：撤消只写入关闭设置
policy-cli-warning = 警告：{ $message }
policy-cli-addins-none = 没有为 Outlook 注册的 COM 加载项。
policy-cli-absent = 不存在
policy-cli-view-hkcu = --view wow6432node 仅存在于 --hive hklm 下（HKCU 由两个视图共享）
policy-cli-or = {" "}或{" "}
policy-cli-no-addin = 在 { $store } 中的 { $places } 下没有加载项 { $prog_id }（参见 `mapi-shutdown addins list`）
policy-cli-addin-elsewhere = 它注册在 { $key }：请添加 { $args }。
policy-cli-both-views = { $prog_id } 在 HKLM 的两个视图中均已注册：请选择 --view native 或 --view wow6432node
policy-cli-addin-written = { $before } -> { $after }（已回读验证），位于 { $store }
policy-cli-addin-backup = 之前值的备份：{ $path }（`mapi-shutdown policy undo` 可还原）
policy-cli-addin-already = { $at } 已包含 { $data }：未写入任何内容
