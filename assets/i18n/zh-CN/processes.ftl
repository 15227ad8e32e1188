## processes: zh-CN

## “进程”面板：工具栏。
processes-heading = MAPI 进程
processes-refresh = 刷新
processes-refresh-tooltip = 立即扫描 (F5)
processes-resume = 恢复自动刷新
processes-pause = 暂停自动刷新
processes-every = 每隔
processes-seconds = { $seconds } 秒
processes-interval = 刷新间隔
processes-scanning = 正在扫描…
processes-paused = 自动刷新已暂停
processes-filter = 筛选：
processes-filter-hint = 名称、PID、用户或 DLL
processes-all = 所有进程
processes-all-tooltip = 显示所有进程，而不仅是 MAPI 进程
processes-find-dll = 查找 DLL：
processes-find-dll-hint = 例如 emsmdb32.dll
processes-find-dll-tooltip = 已加载此 DLL 的所有进程（可省略 .dll）

## “进程”面板：扫描状态和摘要。
processes-cannot-start-thread = 无法启动扫描线程：{ $error }
processes-thread-stopped = 扫描线程已停止
processes-cannot-scan = 无法扫描进程：{ $error }。
processes-scan-failed = 上次扫描失败：{ $error }。
processes-scan-failed-hint = 表格显示的是之前的扫描结果（如果有）。按 F5 重试。
processes-scanning-first = 正在扫描进程及其已加载的模块…
processes-summary = { $total } 个进程中有 { $count } 个 MAPI 进程
processes-summary-tooltip = 上次扫描耗时 { $took }；除非暂停，每隔 { $seconds } 秒重复一次
processes-duration-s = { $seconds } 秒
processes-uninspected = { $count } 个无法检查（其中 { $denied } 个拒绝访问）
processes-uninspected-tooltip = 其模块未知：其中的 MAPI 进程不会显示。以管理员身份运行 (Windows) 或以 root 身份运行 (Linux) 可检查所有用户的进程；勾选“所有进程”可查看它们。
processes-unmatched-clients = { $count } 个已检测的客户端不在进程列表中
processes-unmatched-clients-tooltip = PID { $pids }：已退出，或位于其他 PID 命名空间中
processes-catalog = 提供程序目录：{ $files } 个 MAPISVC.INF 文件，{ $warnings } 个警告
processes-find-dll-results = 查找 DLL“{ $query }”：{ $count } 个进程
processes-find-dll-none = 没有进程加载它（无法检查的进程不会被搜索）。
processes-name-pid = { $name } (PID { $pid })

## “进程”面板：表格。
processes-col-pid = PID
processes-col-name = 名称
processes-col-user = 用户
processes-col-subsystem = 子系统
processes-col-transport = 传输
processes-col-address-book = 通讯簿
processes-col-message-store = 邮件存储
processes-col-instrumented = 已检测
processes-col-memory = 内存
processes-col-started = 启动时间
processes-sort-by = 按{ $column }排序
processes-none-mapi = 没有进程加载 MAPI 子系统 (mapi32.dll、olmapi32.dll、msmapi32.dll、exmapi32.dll)，也没有已连接的已检测客户端。请启动 Outlook 或其他 MAPI 客户端，或勾选“所有进程”。
processes-no-match = 没有与筛选条件匹配的进程。
processes-path-unknown = 路径未知
processes-yes = 是
processes-no = 否
processes-unknown = 未知

## 大小（以 1024 为基数，与任务管理器相同）。
processes-size-b = { $value } B
processes-size-kb = { $value } KB
processes-size-mb = { $value } MB
processes-size-gb = { $value } GB
processes-size-tb = { $value } TB

## “进程”面板：所选进程。
processes-selected-exited = 进程 { $pid } 已退出。
processes-select-hint = 选择一个进程以查看其提供程序和模块。
processes-instrumented = 已检测
processes-show-live = 显示其实时会话
processes-show-live-tooltip = 打开按此进程筛选的“实时”面板
processes-disagree = 操作系统与客户端跟踪对其提供程序的记录不一致
processes-path = 路径：
processes-user = 用户：
processes-subsystem = 子系统：
processes-version = 版本 { $version }
processes-stub-loaded = （System32 中的存根 mapi32.dll 也已加载）
processes-none-loaded = 未加载
processes-modules = 模块
processes-modules-unreadable = 无法读取其模块：{ $error }。
processes-run-as-admin = 以管理员身份运行 (Windows) 或以 root 身份运行 (Linux)，以检查其他用户的进程或提升的进程。
processes-modules-count = 模块（{ $total } 个中的 { $shown } 个）
processes-module-filter-hint = 名称或路径
processes-providers = 提供程序
processes-no-providers = 没有已加载的 DLL 是目录已知的提供程序 (assets/providers.toml 和 MAPISVC.INF)，客户端也未声明任何提供程序。
processes-providers-transport = 传输提供程序 ({ $count })
processes-providers-address-book = 通讯簿提供程序 ({ $count })
processes-providers-message-store = 邮件存储提供程序 ({ $count })
processes-declared-as = 客户端声明为：{ $names }

## 操作系统和客户端跟踪对提供程序的记录。
processes-loaded-not-declared = 已加载，但客户端未声明
processes-declared-not-loaded = 客户端已声明，但未加载

## 无法读取进程模块或进程列表的原因。
processes-access-denied = 拒绝访问
processes-exited = 进程已退出
processes-cannot-list = 无法列出进程：{ $error }

## MAPISVC.INF 问题（$line：按原样书写并加引号的行）。
# A skipped line of MAPISVC.INF: `file:line` (or the file alone), then the problem.
processes-inf-warning = { $at }: { $problem }
processes-inf-cannot-read = 无法读取 { $file }：{ $error }
processes-inf-not-text = { $file } 不是 MAPISVC.INF：第 { $line } 行是二进制数据，不是文本
processes-inf-malformed-section = 节标题格式错误 { $line }
processes-inf-not-an-entry = 既不是 `键=值` 条目也不是 [节]：{ $line }
processes-inf-no-key = 条目缺少键：{ $line }
processes-inf-before-first-section = 条目位于第一个 [节] 之前：{ $line }
processes-inf-service-without-section = 服务 { $service } 没有 [{ $service }] 节
processes-inf-provider-without-section = 服务 { $service } 列出了提供程序 { $provider }，但该提供程序没有节
processes-inf-empty-dll-name = PR_PROVIDER_DLL_NAME 为空
processes-inf-unknown-resource-type = 未知的 PR_RESOURCE_TYPE { $value }

## processes 命令（可读输出；--json 不变）。
processes-cli-warning = mapi-shutdown: 警告：{ $warning }
processes-cli-uninspected = mapi-shutdown: 注意：无法读取 { $count } 个进程的模块（其中 { $denied } 个拒绝访问）：它们可能是 MAPI 进程。以管理员身份运行（Linux 上以 root 身份运行）可检查它们，或使用 --all 列出它们。
processes-cli-uninspected-root = mapi-shutdown: 注意：即使以 root 身份运行，也无法读取 { $count } 个进程的模块（其中 { $denied } 个拒绝访问；可能是其他命名空间或容器中的进程，或已在此期间退出的进程）：它们可能是 MAPI 进程；--all 会列出它们及原因。
processes-cli-find-dll-empty = --find-dll 需要一个 DLL 名称（mso.dll 或 mso）
processes-cli-dll-not-loaded = 没有进程加载 { $dll }。
processes-cli-no-mapi = 未找到 MAPI 进程（即已加载 MAPI 子系统 DLL 的进程）。
processes-cli-catalog-extended = 已根据 { $files } 扩展提供程序目录。
processes-cli-col-pid = PID
processes-cli-col-name = 名称
processes-cli-col-user = 用户
processes-cli-col-memory = 内存
processes-cli-col-subsystem = 子系统
processes-cli-col-providers = 提供程序
processes-cli-provider-counts = { $transport } xp / { $address_book } ab / { $message_store } ms
processes-cli-instrumented = { $providers }，已检测
processes-capture = 捕获关闭过程
processes-capture-tooltip = 将捕获代理加载到此进程：从现在起打开的 MAPI 会话及其关闭过程会显示在“实时”面板中。已打开的会话不会被看到：要看到全部，请在“实时”面板中用“带捕获启动…”启动客户端（docs/capture.md）。
