# 机群摘要：多台计算机的关闭会话汇总（HTML 报告、“报告”面板、report 命令）。
fleet-heading = 机群摘要
fleet-intro = { $machines } 台计算机，{ $sessions } 个关闭会话{ $unknown ->
    [0] 。
   *[other] ；{ $unknown } 台计算机未知（其跟踪未记录计算机名：按文件计数）。
}
fleet-col-outcome = 结果
fleet-col-sessions = 会话
fleet-col-machines = 计算机
fleet-col-machine = 计算机
fleet-providers-heading = 提供程序 DLL（代价最高者在前）
fleet-chart-title = 每个提供程序 DLL 使快速关闭失败的次数（相对于其出现的会话）
fleet-chart-tooltip = { $dll }：使 { $cost } 次快速关闭失败，{ $kill } 次在终止时仍在 DoFastShutdown 中，出现在 { $sessions } 个会话中
fleet-legend-sessions = 出现的会话
fleet-legend-cost = 使快速关闭失败
fleet-legend-kill = 其中终止时仍在 DoFastShutdown 中
fleet-providers-explain = 代价：因该 DLL 而未能快速关闭的会话（它拒绝了，或在 opt-in 下未实现 IMAPIProviderShutdown，或在进程结束或跟踪停止时仍在 DoFastShutdown 中）。拒绝：其 QueryFastShutdown 返回了错误。缓慢：某个关闭步骤超过 { $threshold }。p50 和 p95：其 DoFastShutdown 调用的耗时（从未返回的调用计到跟踪结束）。
fleet-col-dll = 提供程序 DLL
fleet-col-cost = 快速关闭失败次数
fleet-col-running-at-kill = 终止时仍在运行
fleet-col-opted-out = 拒绝
fleet-col-no-interface = 未实现 IMAPIProviderShutdown
fleet-col-slow = 缓慢
fleet-col-do-p50 = DoFastShutdown p50
fleet-col-do-p95 = DoFastShutdown p95
fleet-groups-heading = 按 Office 版本和策略
fleet-col-office = Office
fleet-col-policy = 策略
fleet-office-unknown = 未知
fleet-policy-unknown = 未跟踪
fleet-sessions-heading = 未快速关闭的会话
fleet-sessions-note = { $count ->
    [0] 所有会话均以快速关闭结束。
   *[other] 显示 { $count } 个中的 { $shown } 个（共 { $total } 个会话）；JSON 报告列出所有会话。
}
fleet-col-cost-by = 原因 DLL
fleet-col-reason = 原因
fleet-machine-unknown-file = 未知计算机（文件 { $file }）
fleet-machine-unknown-session = 未知计算机（会话 { $session }）
fleet-cli-progress = 已读取 { $done }/{ $files } 个文件，{ $sessions } 个会话
fleet-cli-chrome-summary = --detail summary：chrome 跟踪包含每个调用而不含摘要；请使用 --format html、csv 或 json 获取机群摘要
fleet-cli-with-fleet = { $machines } 台计算机的机群摘要
fleet-panel-task = { $count } 个文件或文件夹的机群报告
fleet-panel-not-read = 无法为这些文件生成报告：{ $error }
fleet-panel-detail = 详细程度：
fleet-panel-detail-auto = 自动
fleet-panel-detail-full = 每个调用
fleet-panel-detail-summary = 仅摘要
fleet-panel-detail-hint = “自动”在不超过 { $count } 个会话时完整保留每个会话，超过时只保留机群摘要（每个会话一行）；大型机群的每个调用会生成很大的文件。
fleet-panel-from-files = 来自文件：{ $count ->
    [0] 尚未添加
   *[other] { $count } 个文件或文件夹
}
fleet-panel-files-hint = 多台计算机的录制、跟踪文件和假脱机文件夹（桌面存放假脱机文件的共享）；报告会加入机群摘要。
fleet-panel-more-files = … 另有 { $count } 个
fleet-panel-add-file = 添加录制…
fleet-panel-add-folder = 添加假脱机文件夹…
fleet-panel-clear = 清除文件
fleet-panel-reading = 正在读取第 { $done }/{ $files } 个文件…
fleet-panel-more-providers = … 报告中另有 { $count } 个提供程序 DLL
fleet-report-intro = 多台计算机上 MAPI 客户端的快速关闭：从其录制和假脱机文件读取的关闭会话的机群摘要。下面的主机是生成此报告的计算机。
fleet-summarized-note = 已汇总 { $count } 个会话（机群摘要和每个会话一行）：其调用、时间线和发现均省略；使用 `--detail full` 或“报告”面板中的“每个调用”可保留它们。
