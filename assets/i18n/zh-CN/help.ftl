## 命令行帮助（`--help`）的简体中文（src/cli/help_text.rs）。
## 英文是 src/main.rs 和 src/cli/ 中 clap 的文档注释；此目录只有法文和中文。
## 键：命令为 help[-子命令…]，参数再加 --参数（其 clap id，_ 改为 -）。
## 不加句末句号：clap 会去掉英文的句号。参见 docs/i18n.md“Command-line help”。

## clap 自己的文字。
clap-usage = 用法：
clap-commands = 命令：
clap-arguments = 参数：
clap-options = 选项：
clap-print-help = 显示帮助
clap-print-help-short = 显示帮助（使用“--help”查看详细内容）
clap-print-help-long = 显示帮助（使用“-h”查看摘要）
clap-print-version = 显示版本
clap-help-command = 显示此帮助或指定子命令的帮助
clap-help-command-argument = 显示指定子命令的帮助
clap-default = 默认值：
clap-possible-values = 可能的值：

## mapi-shutdown
help = 编辑、监视并解释 MAPI 客户端（Outlook 及其他 MAPI 客户端）的快速关闭
help--endpoint = 监视器在其上侦听、已检测的客户端与之连接的本地终结点的名称（默认：MAPI_SHUTDOWN_ENDPOINT，否则每个用户一个）
help--registry = 注册表：`windows`、`file:PATH` 或 `memory`（默认：MAPI_SHUTDOWN_REGISTRY，否则为平台的注册表）
help--renderer = 未指定子命令时窗口使用的渲染器：`auto`（Windows 上为 wgpu，Wine 下及其他平台为 OpenGL，第一个无法启动时使用另一个）、`wgpu` 或 `glow`。MAPI_SHUTDOWN_RENDERER 优先于此选项
help--lang = 窗口和供人阅读的输出所用的语言：en、fr 或 zh-CN（任何区域设置名称均可：fr-CA、zh_TW.UTF-8）。默认：MAPI_SHUTDOWN_LANG，否则为窗口记住的选择，否则为操作系统用户的语言。JSON 输出在所有语言中都相同

## simulate
help-simulate = 在本进程中，于已检测的子系统上运行由场景文件（TOML，参见 docs/scenarios.md）描述的 MAPI 客户端：其会话和提供程序、其执行的关闭、其写入的跟踪；然后输出每个调用的摘要，以及是否采用了快速关闭。退出代码为 0，场景无效时为 2，场景要求在 DoFastShutdown 期间终止客户端时为 137
help-simulate--scenario = 场景文件（TOML）
help-simulate--fast-shutdown-behavior = 强制使用 FastShutdownBehavior 策略：0|opt-out、1|opt-in、2|disabled。不指定时，从注册表（--registry）读取该场景 Office 版本的策略；无法读取该注册表时，采用文档规定的默认值（opt-out）
help-simulate--trace-out = 同时将跟踪（JSON Lines）写入 FILE。跟踪总会发送到终结点（--endpoint）上的监视器；没有监视器时，如果设置了 MAPI_SHUTDOWN_SPOOL_DIR，则暂存到该目录，否则丢弃
help-simulate--json = 将摘要输出为一个 JSON 文档，而不是文本

## policy
help-policy = 读取、检查和编辑 Office 14.0、15.0 和 16.0 在注册表（--registry）中的每用户快速关闭策略（FastShutdownBehavior、AddinFastShutdownBehavior、allowshutdownwithexternalreferences），支持备份、撤消以及 .reg 导入/导出（docs/policy.md）
help-policy-show = 显示每个 Office 版本（14.0、15.0、16.0）的快速关闭策略：每个值为未配置、有效或无效，并附其原始数据、子系统或 Outlook 如何处理它、其 ADMX 策略，以及无效数据的修复方法
help-policy-show--office = 仅此 Office 版本（14.0、15.0、16.0；或 2010、2013、2016、2019、2021、365）
help-policy-show--json = 输出一个 JSON 文档
help-policy-set = 先备份旧值，再写入策略值（REG_DWORD）。NAME：FastShutdownBehavior、AddinFastShutdownBehavior 或 allowshutdownwithexternalreferences（不区分大小写）。VALUE：FastShutdownBehavior 为 0|opt-out、1|opt-in、2|disabled；AddinFastShutdownBehavior 为 1|on（Outlook 调用其加载项的 OnBeginShutdown/OnDisconnection）或 0|off；allowshutdownwithexternalreferences 为 1|on|allow（即使存在外部引用也关闭；相当于 ADMX 策略“Prevent shutdown if external references exist”（英文模板中的名称）已禁用）或 0|off|prevent（阻止关闭；相当于该 ADMX 策略已启用）
help-policy-set--name = 值的名称
help-policy-set--value = 设置（数字或单词）
help-policy-set--office = Office 版本（默认 16.0）：14.0、15.0、16.0，或 2010、2013、2016、2019、2021、365
help-policy-set--expect = 仅当该值当前为 DATA（`absent`、数字或 `dword:XXXXXXXX`）时才写入；否则停止并显示两者
help-policy-unset = 先备份，再删除策略值（恢复为“未配置”）
help-policy-unset--name = 值的名称（不区分大小写）
help-policy-unset--office = Office 版本（默认 16.0）：14.0、15.0、16.0，或 2010、2013、2016、2019、2021、365
help-policy-unset--expect = 仅当该值当前为 DATA 时才删除（参见 `set`）
help-policy-export = 将关闭设置导出为 regedit .reg 文件（UTF-16LE，`reg import` 和 regedit 读取的格式）：所有 Office 版本以及加载项的 RequireShutdownNotification，或一个版本的策略项。使用 `--format pol`（或 FILE 以 .pol 结尾）时：将这三项策略导出为组策略 Registry.pol，用作 GPO 的 User\Registry.pol（加载项不是策略，不包含在内；无效数据不包含在内并会列出）
help-policy-export--file = 要写入的文件（.reg，或使用 --format pol 时为 Registry.pol）
help-policy-export--office = 仅此 Office 版本的策略项（14.0、15.0、16.0；或 2010、2013、2016、2019、2021、365）
help-policy-export--format = reg（regedit）或 pol（组策略 Registry.pol）。默认：FILE 以 .pol 结尾时为 pol，否则为 reg
help-policy-export--delete-unset = 仅 pol：为每个未配置的策略写入“删除”记录（**del.），使 GPO 删除之前设置的值
help-policy-import = 从 .reg 文件或组策略 Registry.pol（按内容识别）导入关闭设置：显示与当前值的差异，然后只应用关闭相关的值（Shutdown 项下的三个策略值，已注册加载项的项下的 RequireShutdownNotification）；其他内容都会列出并拒绝：无关的项和值，以及关闭设置的无效数据。Registry.pol 中的项应用于 HKEY_CURRENT_USER（GPO 的 User\Registry.pol）。全部导入时退出代码为 0，部分条目被拒绝（其余已导入）时为 3，全部无法导入时为 1
help-policy-import--file = .reg 文件（regedit 5 UTF-16 或 REGEDIT4）或 Registry.pol
help-policy-import--dry-run = 显示差异，不写入任何内容
help-policy-history = 列出此注册表（--registry）在写入前所做的备份，最新的在前
help-policy-history--json = 输出一个 JSON 文档
help-policy-history--all = 所有注册表的备份，而不仅是此注册表的
help-policy-undo = 还原此注册表中尚未撤消的最新备份，并将其标记为已撤消（更改创建的项如果为空，会被再次删除）；没有更早的更改时会给出提示
help-policy-redo = 重新应用此注册表上一次撤消所还原的内容，直到进行新的更改为止

## addins
help-addins = 列出 Outlook 的 COM 加载项并设置其 RequireShutdownNotification
help-addins-list = 列出 Outlook 的 COM 加载项（HKCU、HKLM、HKLM WOW6432Node）及其 RequireShutdownNotification、LoadBehavior 和 FriendlyName
help-addins-list--json = 输出一个 JSON 文档
help-addins-set = 先备份旧值，再设置加载项的 RequireShutdownNotification（1 使其获得阻塞式关闭回调并减慢关闭，KB 2790282）。该加载项的项必须存在
help-addins-set--prog-id = 加载项的 ProgID（其项的名称）
help-addins-set--require-shutdown-notification = on (1) 或 off (0)
help-addins-set--hive = hkcu 或 hklm
help-addins-set--view = 在 HKLM 下：native 或 wow6432node（64 位 Windows 上的 32 位 Office）；默认：加载项注册所在的位置

## watch, analyze
help-watch = 作为监视器在终结点（--endpoint）上侦听：每个已检测的客户端连接时输出它，其连接关闭时输出其关闭结论（结果、原因、发现、持续时间）；可选择录制每个流（--out）供 `analyze` 使用（docs/live-capture.md）
help-watch--json = 每个已完成的会话输出一个 JSON 对象，每行一个（JSON Lines），而不是文本
help-watch--out = 将收到的每个流录制到 FILE（`analyze` 可读取）
help-watch--count = 完成 N 个会话（其连接已关闭，无论结果如何）后退出（0）
help-watch--timeout = SECS 秒后退出（0），输出届时已收到的内容
help-watch--event-log = Windows：同时将每个已完成的关闭序列写成一个事件（每个警告或错误级别的发现也各写一个）到“应用程序”事件日志，来源为“MAPI Shutdown”（docs/fleet.md）
help-analyze = 输出已录制跟踪的关闭结论：跟踪文件（simulate --trace-out）、录制（watch --out）或假脱机目录（MAPI_SHUTDOWN_SPOOL_DIR）
help-analyze--files = 跟踪文件（`simulate --trace-out`）、录制（`watch --out`）或假脱机目录（`MAPI_SHUTDOWN_SPOOL_DIR`）
help-analyze--json = 输出一个 JSON 文档 `{"{"}"sessions":[…]{"}"}`

## processes
help-processes = 列出 MAPI 进程（加载了 MAPI 子系统 DLL：mapi32、olmapi32、msmapi32、exmapi32）及其子系统和已加载的 MAPI 提供程序；--all 列出所有进程，--find-dll 查找加载了某个 DLL 的进程（docs/processes.md）
help-processes--all = 列出所有进程，而不仅是 MAPI 进程（加载了 MAPI 子系统 DLL 的进程）；无法读取其模块的进程会与原因（“拒绝访问”）一起显示
help-processes--find-dll = 列出加载了此 DLL 的进程（文件名，不区分大小写；可省略 `.dll`），不论是何种进程
help-processes--json = 输出一个 JSON 数组：`[{"{"}"pid","name","path","user","subsystem","providers","instrumented","modules_error",…{"}"}]`
help-processes--mapisvc = 用此 MAPISVC.INF 扩展提供程序目录（默认：每个子系统 DLL 旁边的那个，否则为 System32 中的那个）

## report
help-report = 为工单或审核编写报告：跟踪、录制或假脱机目录中的关闭会话；使用 --policy 时包括每个 Office 版本的策略和加载项的设置，使用 --processes 时包括当前正在运行的 MAPI 进程；格式为 html、csv、json 或 chrome（供 Perfetto 使用的 Chrome 跟踪）（docs/reports.md）
help-report--traces = 跟踪文件（`simulate --trace-out`）、录制（`watch --out`）或假脱机目录：其中的关闭会话写入报告
help-report--format = 格式：html（一个独立的页面）、csv（每个调用一行）、json（整个报告）或 chrome（供 Perfetto 和 chrome://tracing 使用的 Chrome Trace Event JSON）
help-report--out = 要写入的文件（已存在则替换；先写到旁边，因此失败时不会留下任何内容）
help-report--policy = 包括从注册表（--registry）读取的每个 Office 版本的策略和加载项的 RequireShutdownNotification。不能用于 csv（其每行是一个调用）
help-report--processes = 包括当前正在运行的 MAPI 进程及其提供程序。仅限 html 和 json
help-report--bom = 仅限 CSV：在文件开头写入 UTF-8 字节顺序标记，使 Excel 以 UTF-8 读取
help-report--pid = 仅此进程 ID 的会话
help-report--detail = 每个会话保留多少内容：full（每个调用、时间线和发现）、summary（机群摘要，每个会话一行；此时 csv 为机群表）或 auto（200 个会话以内为 full，超过则为 summary）。只要会话涉及多台计算机（跟踪中的计算机名），以及使用 summary 时，都会添加机群摘要
help-report--progress = 即使 stderr 不是终端，也在其上显示读取进度（在终端上始终显示）
help-report--threads = 读取文件的线程数（默认：每个 CPU 一个，最多 8 个）

## capture
help-capture = 捕获真实的 MAPI 客户端：`launch` 启动客户端并从其第一条指令起加载捕获代理，`attach` 将代理加载到正在运行的客户端（Windows；docs/capture.md）。结论显示在 `watch` 和“实时”面板中
help-capture-launch = 启动 MAPI 客户端，并在其第一条指令之前加载捕获代理，从而捕获其整个过程（登录、提供程序、关闭）；等待其结束并以其退出代码退出。其跟踪发送到监视器（`mapi-shutdown watch` 或“实时”面板），否则写入假脱机目录（MAPI_SHUTDOWN_SPOOL_DIR）
help-capture-launch--watch = 同时作为此客户端的监视器：其关闭结束时像 `watch` 一样输出其结论（使用专用终结点，因此正在运行的 `watch` 或“实时”面板看不到它）
help-capture-launch--program = 客户端程序及其参数（在其前面加上 `--`）
help-capture-attach = 将捕获代理加载到正在运行的 MAPI 客户端。它能看到从现在起打开的会话和加载的提供程序，看不到之前打开的
help-capture-attach--pid = 客户端的进程 ID
