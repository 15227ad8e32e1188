## 多个命令共用的命令行消息。

cli-store-open-failed = 无法打开注册表存储 { $store }：{ $error }
cli-no-gui = 此版本没有窗口（编译时未启用 `gui` 功能）；请使用子命令，参见 `mapi-shutdown --help`。
cli-bad-scenario = 场景无效：{ $error }
cli-warning = 警告：{ $message }
cli-simulate-killed = 按场景要求，在 DoFastShutdown 开始 { $ms } 毫秒后终止了客户端（退出代码 { $code }）
cli-summary-print-failed = 无法输出摘要：{ $error }
cli-concurrent-change = 其他程序更改了该值；如果仍要更改，请运行 `mapi-shutdown policy show` 并重复该命令。
cli-json-encode-failed = 无法编码 JSON：{ $error }
cli-bad-office = `{ $given }` 不是本工具已知的 Office 版本：请使用 14.0、15.0 或 16.0，或产品名：2010（14.0）、2013（15.0）、2016、2019、2021 或 365（16.0）
cli-bad-export-format = `{ $given }` 不是导出格式：请使用 reg（regedit 文件）或 pol（组策略 Registry.pol 文件）
cli-env-invalid = { $var }={ $value }：{ $error }
cli-stdout-failed = 无法写入标准输出：{ $error }

## capture (src/cli/capture.rs)
capture-windows-only = 捕获代理用于检测 Windows MAPI 客户端：请运行 Windows 版 mapi-shutdown（在 Linux 上可通过 Wine 试用）
capture-not-loaded = 无法将捕获代理加载到进程 { $pid }：{ $reason }
capture-not-resumed = 加载代理后无法恢复进程 { $pid }：{ $error }
capture-launched = 正在从启动开始捕获 { $program }（pid { $pid }，{ $bits } 位）：其跟踪发送到监视器（mapi-shutdown watch 或“实时”面板），否则写入假脱机目录
capture-client-exited = 客户端（pid { $pid }）已退出，退出代码 { $code }
capture-attached = 捕获代理已加载到进程 { $pid }（{ $bits } 位）。后期附加：此前打开的会话和加载的提供程序不在其跟踪中；从现在起打开的会话的关闭会被捕获。
capture-already = 捕获代理已在进程 { $pid } 中：无需操作（每个进程一个代理）
capture-task-attach = 正在捕获进程 { $pid }
capture-task-launch = 正在带捕获启动 { $program }
capture-client-ended = { $program }（pid { $pid }）已结束，退出代码 { $code }；其关闭序列（如有）已在下方选中
capture-client-ended-no-code = { $program }（pid { $pid }）已结束；其关闭序列（如有）已在下方选中
capture-client-wait-failed = 无法等待 { $program }（pid { $pid }）结束：{ $error }。其关闭过程仍会发送到监视器。
capture-task-running = { $program }（pid { $pid }）正在带捕获运行
capture-watch-not-listening = --watch 的监视器未在 30 秒内开始侦听
capture-watch-nothing = 未从客户端捕获到 MAPI 关闭过程（它没有打开 MAPI 会话，或未找到其子系统）

## clap 的解析错误（src/cli/clap_text.rs）
cli-error-invalid-value = “{ $arg }”的值“{ $value }”无效
cli-error-possible-values = 可用的值：{ $values }
cli-error-value-validation = “{ $arg }”的值“{ $value }”无效：{ $reason }
cli-error-unknown-argument = 意外的参数“{ $arg }”
cli-error-did-you-mean = 您是否要使用“{ $suggestion }”？
cli-error-unknown-command = 未知命令“{ $command }”
cli-error-missing-argument = 缺少必需的参数：{ $args }
cli-error-missing-command = 需要一个命令
cli-error-conflict = “{ $arg }”不能与“{ $other }”一起使用
cli-error-values-count = “{ $arg }”的值的个数不正确
cli-usage = 用法：{ $usage }
cli-more-help = 更多信息请使用“--help”。
