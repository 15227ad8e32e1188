## 应用程序框架：选项卡、菜单、状态栏。

app-tab-policy = 策略
app-tab-processes = 进程
app-tab-live = 实时
app-tab-reports = 报告

app-theme-menu = 主题
app-theme-system = 跟随系统
app-theme-light = 浅色
app-theme-dark = 深色

app-language-menu = 窗口语言（会被记住；--lang 仅为单次运行选择语言）
app-language-system = 系统语言（{ $language }）

app-status-registry = 注册表：
app-status-registry-hint = 使用 --registry windows|file:路径|memory 选择其他存储
app-status-endpoint-hint = 已插桩的 MAPI 客户端将其关闭跟踪发送到此处
app-font-missing = 未找到中文字体：中文文本显示为方框。请安装 Microsoft YaHei、Noto Sans CJK 或文泉驿字体。

## 窗口无法打开的原因（输出到控制台）。
app-error-no-renderer = 无法打开窗口：此计算机上没有可用的渲染器。
    { $first }：{ $first_error }
    { $second }：{ $second_error }
    在通过远程桌面连接的 Windows 上需要 Direct3D 12 (WARP)：请检查“Microsoft 基本呈现驱动程序”是否存在。没有显示器时（SSH、服务），请使用命令行：`mapi-shutdown --help`。
app-error-no-display = 没有显示器：未设置 DISPLAY 和 WAYLAND_DISPLAY，因此没有可以打开窗口的窗口系统。请在桌面会话中（或在 `xvfb-run` 下）运行，或使用子命令：`mapi-shutdown --help`。
app-error-retry = { $renderer } 渲染器失败（{ $error }），使用另一个渲染器重新启动也失败：{ $retry }

## 文件对话框。
app-dialog-reg-files = 注册文件
app-dialog-pol-files = 组策略文件
app-dialog-reg-pol-files = 注册文件和组策略文件
app-dialog-all-files = 所有文件
app-dialog-file-manager-failed = 无法启动文件管理器：{ $error }
app-task-running = 正在处理：{ $task }
app-tasks-running = 正在处理：{ $task } 及另外 { $more } 项任务
app-task-failed = { $task } 失败：{ $error }。之前已保存的内容未改变；请重试，如果再次失败，请报告此消息。
app-task-not-started = 无法在后台开始工作：{ $error }
