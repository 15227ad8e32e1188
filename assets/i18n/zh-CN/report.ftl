## The HTML report: page header.

report-title = MAPI 快速关闭报告：{ $host }，{ $when } UTC
report-intro = MAPI 客户端快速关闭：在一台计算机上看到的策略、MAPI 进程和关闭会话。调用表中的时间从每个客户端跟踪的开始算起。
report-taken-at = 生成时间
report-host = 计算机
report-user = 用户
report-os = 操作系统
report-written-by = 生成者
report-schema = { $product }（报告架构 { $schema }）
report-contents = 内容
report-footer = 由 { $product } 于 { $taken_at } 生成。来源：Microsoft 的 Outlook MAPI 参考（“Client Shutdown in MAPI”、“Fast Shutdown User Options”、“Best Practices for Fast Shutdown”）、Office 2016 管理模板（outlk16.admx）、KB 2790282。

## Contents line.

report-content-policy = 策略和加载项
report-content-processes = MAPI 进程
report-content-all = 所有已录制的
report-content-selected = 选定的
report-content-pid = pid { $pid } 的
report-content-sessions = { $count } 个关闭会话（{ $which }）
report-content-nothing = 无

## Summary table.

report-summary = 摘要
report-col-session = 会话
report-col-process = 进程
report-col-outcome = 结果
report-col-shutdown-took = 关闭耗时
report-col-findings = 发现
report-col-trace-started = 跟踪开始时间
report-no-shutdown-call = 无关闭调用
report-count-errors = { $count } 个错误
report-count-warnings = { $count } 个警告
report-count-infos = { $count } 条信息
report-none = 无
report-unknown = 未知
report-outcome-fast = 快速关闭
report-outcome-normal = 正常关闭

## Policy section.

report-policy = 策略
report-policy-intro = 位于 <code>HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\&lt;version&gt;\Outlook\Options\Shutdown</code> 下的每用户策略值，从注册表存储 <code>{ $store }</code> 读取。原始数据按存储原样显示；无效数据从不强制转换。
report-installed = 已为此用户安装
report-not-installed = 未为此用户安装
report-key-present = 项存在
report-key-absent = 项不存在
report-key-error = 无法读取此项：{ $error }
report-col-value = 值
report-col-state = 状态
report-col-raw = 原始数据
report-col-in-force = 生效值
report-col-meaning = 含义
report-col-admx = ADMX 策略（英文模板中的名称）
report-fix = 修复：
report-state-not-configured = 未配置
report-state-valid = 有效
report-state-invalid = 无效
report-not-a-policy = 不是策略（按加载项）
report-admx-policy-state = { $policy }：{ $state }
report-absent = 不存在
report-addins-heading = 加载项：RequireShutdownNotification
report-no-addins = 未注册任何 Outlook COM 加载项。
report-col-addin = 加载项和项

## MAPI processes section.

report-processes = MAPI 进程
report-no-processes = 没有进程加载了 MAPI 子系统。
report-col-user = 用户
report-col-subsystem = 子系统
report-col-instrumented = 已检测
report-col-providers = 提供程序
report-yes = 是
report-no = 否
report-via-stub = （通过 mapi32.dll）
report-none-loaded = 未加载
report-declared-as = 声明为 { $kinds }
report-mapisvc-builtin = 无（仅内置目录）
report-uninspected = { $count } 个进程无法检查，因此也可能是 MAPI 进程：{ $names }

## A session.

report-fact-trace-started = 跟踪开始时间
report-fact-office = Office 版本
report-fact-subsystem = 子系统
report-fact-policy = 使用的策略
report-not-traced = 未跟踪
report-fact-profiles = 配置文件
report-profile = { $profile }（MAPI 会话 { $session }）
report-fact-shutdown-took = 关闭耗时
report-fact-exit = 客户端退出
report-exit-code = 已退出，代码为 { $code }
report-exit-none = 未记录退出（被终止，或流被切断）
report-still-running = 仍在运行
report-fact-stream = 流
report-stream-records = { $records } 条记录
report-stream-ended = ，已结束
report-stream-open = ，仍处于打开状态
report-stream-lost = ，丢失 { $count } 条
report-fact-stream-error = 流错误
report-fact-read-from = 读取自
report-calls-note = 列出了 { $total } 个调用中的前 { $shown } 个；CSV 和 JSON 报告包含所有调用。
report-findings = 发现
report-timeline = 时间线
report-legend-other = 其他 MAPI 调用
report-legend-failed = 失败
report-legend-open = 从未返回
report-timeline-of = { $label } 的时间线
report-merged = { $count } 个短于一个像素的调用与已绘制的调用重叠，未单独绘制。
report-no-call = 未录制任何调用。
report-provider-timings = 提供程序耗时
report-col-provider = 提供程序
report-col-kind = 类型
report-col-total = 总计
report-col-share = 占比
report-calls = 调用
report-col-start = 开始
report-col-duration = 持续时间
report-col-caller = 调用方
report-col-callee = 被调用方
report-col-method = 方法
report-anomaly = 跟踪异常：{ $anomaly }

## Calls and the timeline.

report-client = 客户端
report-subsystem = 子系统
report-provider-undeclared = 提供程序 { $provider }（未声明）
report-provider-n = 提供程序 { $provider }
report-not-declared = 跟踪中未声明
report-client-lane = 客户端（IMAPIClientShutdown）
report-no-provider-shutdown = 无 IMAPIProviderShutdown
report-no-return = 未返回
report-target-client = 客户端 → { $dll }
report-target-provider = 子系统 → { $name }（{ $kind }，{ $dll }）
report-target-undeclared = 子系统 → 提供程序 { $provider }（未声明）
report-bar-returned = { $target } 上的 { $method }：开始于 { $start } µs，{ $duration }，返回 { $hresult }
report-bar-open = { $target } 上的 { $method }：开始于 { $start } µs，{ $duration }

## Names of a session.

report-label-exe = { $exe }（pid { $pid }）
report-label-pid = pid { $pid }
report-label-session = 会话 { $session }

## Report formats (menus, messages).

report-format-html = HTML 页面
report-format-csv = CSV（每个调用一行）
report-format-json = JSON（完整报告）
report-format-chrome = Chrome 跟踪（Perfetto）

## The report command.

report-cli-truncated = { $file }：{ $why }：跟踪被截断（客户端或录制器被终止）；`mapi-shutdown analyze` 可显示其内容
report-cli-truncated-why = 已截断
report-cli-not-a-trace = { $file }：不是跟踪：其中没有任何跟踪记录
report-cli-source-connection = { $file }，连接 { $conn }
report-cli-bom-csv-only = --bom 仅适用于 --format csv（不适用于 { $format }）
report-cli-cannot-hold = { $options }：{ $format } 报告无法包含这些内容，它只包含{ $holds }；请改用 --format html 或 json（docs/reports.md）
report-cli-holds-csv = 调用，每个调用一行
report-cli-holds-chrome = 调用和策略（otherData），不含进程
report-cli-nothing = 没有可报告的内容：请提供 TRACE 文件、--policy 或 --processes
report-cli-pid-needs-traces = --pid 在 TRACE 文件的会话中选择：请提供 TRACE 文件
report-cli-calls = { $count } 个调用
report-cli-with-policy = 策略
report-cli-with-processes = 进程
report-cli-wrote = 已写入 { $path }（{ $what }）
report-cli-note = 注意：{ $note }
report-fact-origin = 来源
report-origin-simulated = 模拟（mapi-shutdown 自带的子系统）
report-origin-captured = { $attach ->
        [late] 由捕获代理从真实客户端捕获，后期附加（{ $bits } 位）：附加前打开的会话不在跟踪中
       *[other] 由捕获代理从真实客户端捕获，自启动起（{ $bits } 位）
    }
