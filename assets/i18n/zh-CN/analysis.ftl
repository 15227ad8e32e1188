## analysis: zh-CN

## Pieces of the verdict reasons and findings (monitor::analysis).
analysis-provider = 提供程序“{ $name }”（{ $kind }，{ $dll }）
analysis-provider-dll = 提供程序“{ $dll }”（{ $kind }）
analysis-provider-undeclared = 提供程序 #{ $id }（未声明）
analysis-a-provider = 某个提供程序
analysis-provider-returned = { $provider } 返回了 { $hresult }
analysis-separator-comma = {"、"}
analysis-separator-semicolon = {"；"}

## Options of FastShutdownBehavior, and the policy in force.
analysis-behavior-opt-out = 选择退出（opt-out）
analysis-behavior-opt-in = 选择加入（opt-in）
analysis-behavior-disabled = 已禁用
analysis-policy-valid = Office { $office } 的 FastShutdownBehavior={ $dword }（{ $label }）
analysis-policy-not-configured = Office { $office } 的 FastShutdownBehavior 未配置（默认：{ $label }）
analysis-policy-invalid = Office { $office } 的 FastShutdownBehavior 包含无效数据（{ $raw }），按 { $label } 处理

## Findings.
analysis-do-after-failed-query = QueryFastShutdown 返回 { $hresult } 后客户端仍调用了 DoFastShutdown：所有已加载的提供程序都将发生数据丢失（“Best Practices for Fast Shutdown”）
analysis-do-without-query = 客户端未先调用 QueryFastShutdown 就调用了 DoFastShutdown
analysis-notify-after-failed-query = QueryFastShutdown 返回 { $hresult } 后客户端仍调用了 NotifyProcessShutdown（提供程序只会收到准备通知）
analysis-call-after-do = 客户端在 DoFastShutdown 之后调用了 { $method }
analysis-call-after-do-returned = 客户端在 DoFastShutdown 之后调用了 { $method }（返回 { $hresult }）
analysis-client-called-provider = 客户端直接对 { $provider } 调用了 IMAPIProviderShutdown::{ $method }；只有 MAPI 子系统可以这样做
analysis-provider-order = 在 { $method } 期间，MAPI 子系统在 MAPI 会话 { $session } 中于 { $previous } 之后调用了 { $provider }：在同一会话内，文档规定的顺序是传输、通讯簿、邮件存储
analysis-slow-provider = { $provider } 在 { $method } 中耗时 { $duration }（阈值 { $threshold }）
analysis-slow-provider-unreturned = { $provider } 在 { $method } 中耗时 { $duration } 且一直未返回（阈值 { $threshold }）
analysis-exited-during-do = 进程在 DoFastShutdown 返回之前就结束了
analysis-exited-during-do-providers = 进程在 { $providers } 从 DoFastShutdown 返回之前就结束了
analysis-exited-unreached = { $base }；从未调用：{ $unreached }
analysis-dropped = 客户端丢弃了 { $count } 条跟踪记录：其队列已满或输出失败；计时和调用可能不完整
analysis-invalid-policy = Office { $office } 的 FastShutdownBehavior 包含 { $raw }：{ $reason }；MAPI 子系统使用了 { $effective }

## Verdict reasons.
analysis-with-policy = { $reason }；策略：{ $policy }
analysis-with-unknown-policy = { $reason }；策略：未知（{ $subsystem } 不带 Office 版本信息，因此不知道它读取哪个版本的策略项）
analysis-reason-do-running = DoFastShutdown 正在运行
analysis-reason-do-cut = 数据流在 DoFastShutdown 运行期间结束；跟踪中没有进程的结束（没有 client_exit，也未观察到连接关闭）
analysis-reason-do-cut-providers = 数据流在 { $providers } 尚未从 DoFastShutdown 返回时结束；跟踪中没有进程的结束（没有 client_exit，也未观察到连接关闭）
analysis-reason-fast = QueryFastShutdown 返回了 S_OK，且每个提供程序都已从 DoFastShutdown 返回（调用了 { $count } 个提供程序）
analysis-reason-do-failed = DoFastShutdown 返回了 { $hresult }：并非每个提供程序都已准备好退出
analysis-reason-do-failed-providers = DoFastShutdown 返回了 { $hresult }：并非每个提供程序都已准备好退出；{ $failures }
analysis-reason-query-cut = QueryFastShutdown 运行期间数据流已结束
analysis-reason-query-running = QueryFastShutdown 正在运行
analysis-reason-normal = QueryFastShutdown 返回了 { $hresult }，原因是{ $why }；客户端采用了正常（较慢的）关闭路径
analysis-reason-query-ok-cut = QueryFastShutdown 返回了 S_OK，但数据流在 DoFastShutdown 之前就结束了
analysis-reason-query-ok-waiting = QueryFastShutdown 返回了 S_OK；正在等待 DoFastShutdown
analysis-reason-uninitialize = 客户端未请求快速关闭就关闭了（MAPIUninitialize）
analysis-reason-no-shutdown-cut = 数据流在客户端开始关闭之前就结束了
analysis-reason-not-started = 客户端尚未开始关闭

## Why the subsystem refused fast shutdown.
analysis-why-policy-disabled = 策略已禁用
analysis-why-not-implemented = { $provider } 未实现 IMAPIProviderShutdown，而策略为选择加入（1）
analysis-why-refused = MAPI 子系统拒绝了
analysis-why-list = { $reasons }

## The summary `simulate` prints: warnings (JSON keeps the English).
analysis-summary-severity-data-loss = 数据丢失

## The summary's headings (one column, padded to the widest).
analysis-summary-label-scenario = 场景
analysis-summary-label-client = 客户端
analysis-summary-label-policy = 策略
analysis-summary-label-session = 会话
analysis-summary-label-result = 结果
analysis-summary-label-warnings = 警告
analysis-summary-label-exit = 退出
analysis-summary-label-trace = 跟踪
analysis-summary-label-calls = 调用
analysis-summary-none = 无
analysis-summary-call = （调用 { $call }）

## The summary's lines.
analysis-summary-client = { $exe }（pid { $pid }），Office { $office }（{ $products }），子系统 { $subsystem }
analysis-summary-policy = { $effective }（FastShutdownBehavior { $dword }，“{ $admx }”，英文模板中的名称），{ $source }；设置：{ $setting }
analysis-summary-source-default = 来自默认值（未查询任何策略存储）
analysis-summary-source-override = 由调用方强制指定（--fast-shutdown-behavior）
analysis-summary-source-registry = 来自注册表存储 { $store }：{ $key }\{ $value }
analysis-summary-setting-not-configured = 未配置
analysis-summary-setting-valid = { $value }（DWORD { $dword }）
analysis-summary-setting-invalid = 无效 { $raw }：{ $reason }
analysis-summary-session = { $session }“{ $profile }”：{ $count } 个提供程序
analysis-summary-session-without = { $session }“{ $profile }”：{ $count } 个提供程序（{ $without } 个未实现 IMAPIProviderShutdown）
analysis-summary-trace-file = { $file }（{ $records } 条记录）
analysis-summary-trace-unsaved = { $records } 条记录（未保存：请使用 --trace-out FILE）
analysis-summary-delivery-monitor = 跟踪已发送到 { $endpoint } 上的监视器（{ $records } 条记录）
analysis-summary-delivery-spooled = { $reason }；跟踪已暂存到 { $file }（{ $spooled } 条记录）
analysis-summary-delivery-spooled-dropped = { $reason }；跟踪已暂存到 { $file }（{ $spooled } 条记录），之后丢弃了 { $dropped } 条记录
analysis-summary-delivery-dropped = { $reason }；丢弃了 { $dropped } 条记录（设置 { $env } 可保留它们）
analysis-summary-end-exited = 正常退出，代码 { $code }
analysis-summary-end-killed = 按场景要求在 DoFastShutdown 开始 { $after_ms } ms 后被终止（退出代码 { $code }）；没有 client_exit 记录
analysis-summary-end-unknown = 未知：没有 client_exit 记录

## The result of the shutdown.
analysis-summary-result = { $outcome }：{ $reason }

## The providers and calls tables.
analysis-summary-providers-none = 提供程序：无
analysis-summary-providers-title = 提供程序（加载顺序）
analysis-summary-calls-title = 调用（按顺序；提供程序调用嵌套在客户端调用之下）
analysis-summary-column-id = ID
analysis-summary-column-session = 会话
analysis-summary-column-provider = 提供程序
analysis-summary-column-kind = 类型
analysis-summary-column-caller = 调用方
analysis-summary-column-method = 方法
analysis-summary-column-duration = 持续时间
analysis-summary-yes = 是
analysis-summary-no = 否
analysis-summary-caller-client = 客户端
analysis-summary-caller-subsystem = 子系统
analysis-summary-did-not-return = （未返回）

## The human output of `watch` and `analyze`.
analysis-live-label = { $exe }（pid { $pid }）
analysis-live-label-pid = pid { $pid }
analysis-live-label-connection = 连接 { $connection }
analysis-live-label-claim = { $exe }（pid { $pid }；其跟踪声称 pid { $claimed }）
analysis-live-head = { $label }，连接 { $connection }{ $from }：{ $outcome }
analysis-live-head-duration = { $label }，连接 { $connection }{ $from }：{ $outcome }，用时 { $duration }
analysis-live-outcome-fast = 快速
analysis-live-outcome-normal = 正常
analysis-live-outcome-data-loss-risk = 数据丢失风险
analysis-live-outcome-incomplete = 不完整
analysis-live-outcome-in-progress = 进行中
analysis-live-reason = {"  "}原因：{ $reason }
analysis-live-stream = {"  "}数据流：{ $error }
analysis-recording-error = { $file }：{ $error }
analysis-recording-invalid-line = { $file }，第 { $line } 行：{ $error }
analysis-decode-line-too-long = 第 { $line } 行：超过 { $limit } 字节的限制
analysis-decode-truncated = 第 { $line } 行：被截断（流末尾有 { $bytes } 字节没有换行符）
analysis-decode-invalid = 第 { $line } 行：不是有效的记录：{ $reason }
analysis-decode-missing-field = 第 { $line } 行：`{ $record }` 记录缺少必需字段 `{ $field }`
analysis-decode-no-hello = 第 { $line } 行：流必须以 `hello` 记录开头，但找到的是 { $found }
analysis-decode-second-hello = 第 { $line } 行：同一流中出现第二个 `hello` 记录
analysis-decode-version-too-old = 协议版本 { $found } 太旧：此版本读取版本 { $min } 到 { $max }；请使用版本 { $min } 或更高版本的检测子系统录制
analysis-decode-version-too-new = 协议版本 { $found } 太新：此版本读取版本 { $min } 到 { $max }；请更新 mapi-shutdown
analysis-recording-too-new = { $file }：录制格式版本 { $found } 太新（此版本读取版本 { $supported }）；请更新 mapi-shutdown
analysis-watch-bad-timeout = --timeout 必须是大于或等于 0 的秒数
analysis-watch-interrupted-again = 再次中断：立即退出
analysis-watch-no-ctrl-c = 无法处理 Ctrl-C（{ $error }）；按 Ctrl-C 将结束 watch 且不显示摘要
analysis-watch-cannot-listen = 无法在 { $endpoint } 上侦听：{ $error }
analysis-watch-watching = 正在监视 { $endpoint }
analysis-watch-recording = 正在录制到 { $file }
analysis-watch-event-log = 将每个已完成的关闭序列写入 { $log } 事件日志（源“{ $source }”）
analysis-watch-events-written = 已向 { $log } 事件日志写入 { $count } 个事件{ $failed ->
    [0] {""}
   *[other] ；{ $failed } 个被拒绝
}
analysis-watch-connected = { $exe }（pid { $pid }）已连接：Office { $office }，{ $subsystem }，连接 { $connection }
analysis-office-unknown = 版本未知
analysis-watch-stopping = 已中断：正在停止监视器
analysis-watch-interrupted = 已中断
analysis-watch-timeout = { $seconds } 秒后超时
analysis-watch-end = { $stop }：{ $count } 个会话已完成
analysis-watch-end-still = { $stop }：{ $count } 个会话已完成，{ $still } 个仍在连接（{ $list }）
analysis-analyze-json-error = 无法编码 JSON：{ $error }
analysis-analyze-no-sessions = 没有会话

## The monitor's log (watch prints it; the Live panel's log too).

monitor-log-listening = 正在 { $endpoint } 上侦听
monitor-log-stale-replaced = 已替换 { $endpoint } 上未正常退出的监视器留下的过时套接字
monitor-log-recording = 正在录制到 { $file }
monitor-log-recording-stopped = 到 { $file } 的录制已停止
monitor-log-recording-failed = 录制到 { $file } 失败，录制已停止：{ $error }
monitor-log-connected = 连接 { $conn }：客户端已连接
monitor-log-connected-pid = 连接 { $conn }：客户端已连接（pid { $pid }）
monitor-log-closed = 连接 { $conn }：{ $label } 在 { $records } 条记录后关闭
monitor-log-closed-cap = 已保留 { $max } 个已关闭的会话：从现在起逐出最旧的，首先是 { $label }
monitor-log-store-full-refused = 存储已满（最多 { $records } 条记录、{ $bytes } 字节）：不再保留 { $label } 的记录
monitor-log-store-full-evicted = 存储已满：已逐出 { $label } 的已完成数据流（{ $records } 条记录）
monitor-log-pid-claim = 连接 { $conn }：其跟踪声称 pid { $claimed }，操作系统报告 pid { $os }；显示为 pid { $os }
monitor-log-accept-failed = 接受客户端失败：{ $error }
monitor-log-stopped-listening = 已停止在 { $endpoint } 上侦听
monitor-log-refused-other-user = 已拒绝以 uid { $uid } 运行的客户端（pid { $pid }）：不是此用户
monitor-log-refused-no-user = 已拒绝客户端（pid { $pid }）：操作系统未说明运行它的用户
monitor-log-refused-unidentified = 已拒绝操作系统无法识别的客户端（没有进程 ID 或用户）
monitor-log-refused-full = 已拒绝客户端（pid { $pid }）：已有 { $max } 个客户端连接，且每个都已发送数据
monitor-log-refused-error = 已拒绝客户端：{ $error }
monitor-log-connection-ended = 连接 { $conn }：{ $reason }
monitor-log-reason-idle = 连接后 { $after } 内未发送任何内容：已断开
monitor-log-reason-yielded = 在 { $max } 个客户端已连接时未发送任何内容：已断开以便为新客户端腾出位置
monitor-reason-disconnected = 已断开：{ $error }
monitor-reason-ended-badly = 流异常结束：{ $error }
monitor-reason-read-error = 读取错误：{ $error }
monitor-reason-store-stopped = 监视器的存储已停止
monitor-reason-stopped = 客户端连接期间监视器已停止
monitor-reason-no-reader = 无法启动读取线程：{ $error }
