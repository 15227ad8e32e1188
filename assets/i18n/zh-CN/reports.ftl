## The Reports panel.

reports-heading = 报告
reports-intro = 本计算机和本用户的快照，用于工单或审核。
reports-show-in-folder = 在文件夹中显示

## Content.

reports-content = 内容
reports-policy = 策略和加载项
reports-policy-hint = 每个 Office 版本的 FastShutdownBehavior 和其他值
reports-processes = MAPI 进程及其提供程序
reports-scanning = 正在扫描进程…
reports-sessions = 关闭会话：
reports-sessions-all = 全部（{ $count }）
reports-sessions-selected = 在“实时”面板中选定的（{ $count }）
reports-sessions-of-process = 某个进程的：
reports-choose = 选择
reports-process-combo = 报告的进程
reports-sessions-none = 无

## Format and export.

reports-format = 格式
reports-hint-html = 一个独立的页面：可打开、打印或附加
reports-hint-csv = 每个调用一行，用于 Excel
reports-hint-json = 完整报告，用于脚本（docs/reports.md）
reports-hint-chrome = 可在 Perfetto（ui.perfetto.dev）和 chrome://tracing 中打开
reports-bom = UTF-8 字节顺序标记（用于 Excel）
reports-export = 导出…
reports-export-hint = 选择报告的保存位置（{ $shortcut }）
reports-exporting = 正在导出…
reports-dialog-title = 将报告导出为 { $format }
reports-exported = 已将 { $format }（{ $size }）导出到 { $path }。
reports-not-written = 未写入报告：{ $error }。未留下任何文件。
reports-cannot-start = 无法开始导出：{ $error }

## Preview.

reports-preview-taken = { $taken_at } 由 { $user } 在 { $host } 上生成（{ $os }），{ $product }
reports-preview-policy = 策略（{ $store }）
reports-preview-office = Office { $office }（{ $products }）：{ $values }
reports-preview-nothing-configured = 未配置任何值
reports-preview-addins = { $count } 个 COM 加载项
reports-preview-processes = MAPI 进程（{ $count }）
reports-preview-process = { $name }（pid { $pid }）：{ $count } 个提供程序
reports-preview-sessions = 关闭会话（{ $count }）
reports-preview-no-sessions = 未选择，或尚未收到任何会话。
reports-preview-session = { $label }：{ $count } 个调用
reports-preview-task = 报告预览
reports-building = 正在更新预览…
reports-format-leaves-out = { $format } 不包含：{ $what }。如需保留，请选择 HTML 或 JSON。
