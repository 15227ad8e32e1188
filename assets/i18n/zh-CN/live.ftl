## live: zh-CN

## Listening status (status bar and the panel).
live-listening = 正在侦听 { $endpoint }
live-endpoint-in-use = 终结点已被另一个监视器使用：{ $endpoint }
live-not-listening = 未在侦听：{ $error }
live-monitor-not-listening = 监视器未在侦听

## Recording.
live-record-nothing = 没有可录制的内容：监视器未在侦听。
live-recording-started = 正在将收到的所有内容录制到 { $path }（已连接的客户端从其开始处一并录制）。
live-record-failed = 无法录制：{ $error }
live-recording-stopped = 录制已停止；录制保存在 { $path } 中（可用“打开录制”或 `mapi-shutdown analyze` 读取）。
live-recording-end-not-written = 录制的结尾未写入 { $path }：{ $error }
live-recording-failed = 录制到 { $path } 失败，已停止：{ $error }。之前收到的内容已在文件中；监视器继续接收。
live-recording-interrupted = 到 { $path } 的录制已停止
live-stop-recording = 停止录制
live-stop-recording-hover = 正在录制到 { $path }（{ $shortcut }）
live-rec-badge = 录制 { $name }
live-record = 录制…
live-record-hover = 将从现在起收到的所有内容录制到文件，采用 `watch --out` 格式（{ $shortcut }）
live-record-dialog-title = 将收到的所有内容录制到
live-dialog-filter-recordings = 录制

## Toolbar.
live-heading = 实时关闭序列
live-dismiss = 关闭
live-pause = 暂停
live-resume = 继续
live-pause-hover = 暂停时仍继续接收，但不再更新视图
live-clear = 清除
live-clear-hover = 清除所有已结束的会话（已连接的客户端保留）
live-cleared = 已清除 { $count } 个已结束的会话。
live-open-recording = 打开录制…
live-open-recording-hover = `watch --out` 录制、`simulate --trace-out` 跟踪或后台处理文件
live-open-dialog-title = 打开录制或跟踪
live-dialog-filter-traces = 跟踪和录制
live-save-recording = 保存录制…
live-save-recording-hover = 以 `watch --out` 录制格式保存显示的所有会话，供 `mapi-shutdown analyze` 或“打开录制”使用
live-save-dialog-title = 将会话另存为录制
live-saved = 已将 { $count } 个会话保存到 { $path }。
live-save-failed = 未保存录制（{ $path }）：{ $error }
live-open-spool = 打开后台处理文件夹…
live-open-spool-hover = 在没有监视器的情况下运行的客户端的 MAPI_SHUTDOWN_SPOOL_DIR
live-open-spool-title = 打开后台处理文件夹
live-report = 报告…
live-report-hover = 将所选会话导出为 HTML、CSV、JSON 或 Chrome 跟踪（“报告”面板）

## Scenarios.
live-no-scenarios = 未找到可运行的方案。
live-scenario-to-run = 要运行的方案
live-scenario-hover = 随附的方案（assets/scenarios）
live-run-scenario = 运行方案
live-run-scenario-hover = 使用此方案和当前的 FastShutdownBehavior 启动 `mapi-shutdown simulate`；其关闭过程将显示在此处
live-scenarios-running = { $count } 个正在运行
live-cannot-start = 无法启动 { $exe }：{ $error }

## Opening files.
live-no-trace-record = 其中没有任何跟踪记录
live-opened = 已打开 { $path }：{ $sessions }。
live-cannot-open = 无法打开 { $path }：{ $error }

## Sessions list.
live-filter = 筛选：
live-filter-hint = 进程、pid 或原因
live-any-outcome = 任意结果
live-outcome-filter = 结果筛选器
live-paused = 已暂停：仍接收新事件，但不显示
live-no-session = 尚无会话。已检测的 MAPI 客户端关闭时会显示在此处；“运行方案”可启动一个。
live-sessions-shown = { $shown } / { $sessions }。按住 Ctrl 单击可添加到所选内容（堆叠的时间线）。
live-connected = 已连接

## Details of the selected sessions.
live-select-session = 选择一个会话以查看其结论、时间线和调用。
live-sessions-stacked = 已堆叠 { $sessions }
live-stacked-title = { $process }（连接 { $conn }）
live-shutdown-took = 关闭耗时 { $duration }
live-connection-error = 连接：{ $error }
live-policy-in-force = 生效的策略：
live-policy-not-reported = 尚未报告
live-change-policy = 在“策略”面板中更改
live-change-policy-hover = 然后再次运行客户端（或方案）以查看差异
live-findings = 发现
live-finding-hover = 在时间线和表格中选择其调用
live-time-per-provider = 每个提供程序的时间
live-column-provider = 提供程序
live-column-kind = 类型
live-column-share = 占比
live-no-provider-shutdown = 无 IMAPIProviderShutdown

## The calls table.
live-calls = 调用
live-column-start = 开始
live-column-caller = 调用方
live-column-method = 方法
live-column-duration = 持续时间
live-caller-client = 客户端
live-caller-subsystem = 子系统
live-running = 正在运行

## The timeline widget.
live-timeline-help =
    时间线控制
    拖动、Shift+滚轮或横向轻扫：平移
    Ctrl+滚轮或捏合：围绕指针缩放
    + / -：放大 / 缩小
    向左 / 向右箭头：平移
    双击、0 或 Home：显示全部
    F：跟随实时（使最新事件保持可见；平移或缩放会停止跟随）
    单击：选择调用；Shift+单击或 Ctrl+单击：添加或移除调用
live-timeline-controls = 时间线控制
live-timeline-follow-on = ? 跟随实时：开 (F)
live-timeline-follow-off = ? 跟随实时：关 (F)
live-timeline-process = 进程
live-timeline-summary = 时间线：{ $lanes } 个通道，{ $calls } 个调用，{ $duration }
live-timeline-summary-stacked = 时间线：{ $sessions }，{ $lanes } 个通道，{ $calls } 个调用，{ $duration }
live-timeline-client = 客户端
live-timeline-subsystem = 子系统
live-timeline-mapi-subsystem = MAPI 子系统
live-timeline-provider-number = 提供程序 #{ $id }
live-timeline-not-declared = 未声明
live-timeline-visible-calls = 可见调用（{ $count }）
live-timeline-span = { $method }，{ $who }，{ $result }，开始 { $start }，{ $duration }
live-timeline-tip-subsystem = 处理客户端 { $call } 调用的子系统（其对提供程序的调用）
live-timeline-tip-called-by-client = { $interface }，由客户端调用
live-timeline-tip-called-by-subsystem = { $interface }，由子系统调用
live-timeline-tip-provider = 提供程序：{ $provider }
live-timeline-not-returned = （尚未）返回
live-timeline-tip-time = 开始：{ $start }  持续时间：{ $duration }
live-timeline-tip-time-so-far = 开始：{ $start }  目前持续时间：{ $duration }
live-timeline-tip-origin = 调用 #{ $call }；时间 0 位于跟踪开始后 { $origin } ns 处
live-scenario-failed = 场景 { $scenario } 未能运行（simulate 退出代码 { $code }）：{ $error }
live-recording-starting = 正在开始录制到 { $name }…
live-endpoint-squatted = 另一个用户的进程占用了端点 { $endpoint }（{ $holder }）：客户端不会向其发送任何内容，此窗口无法监听。请找到并停止该进程（管理员可以），或使用其他 --endpoint 名称启动。
live-pid-claim = 其跟踪声称 pid { $claimed }；操作系统报告 pid { $pid }（已显示）。
live-launch-capture = 带捕获启动…
live-launch-capture-hover = 启动 MAPI 客户端（Outlook、MFCMAPI…），并从其第一条指令起加载捕获代理：从登录到关闭的整个过程都会显示在这里（docs/capture.md）
live-launch-capture-title = 带捕获启动 MAPI 客户端
live-dialog-filter-programs = 程序
live-origin-simulated = 模拟
live-origin-captured = 已捕获
live-origin-captured-late = 已捕获（后期附加）
