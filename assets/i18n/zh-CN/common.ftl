## 多个面板和命令共用的词语和数量。

common-sessions = { $count } 个会话
common-duration-ms = { $ms } 毫秒
common-duration-unreturned = ≥ { $duration }，从未返回

## MAPI 提供程序类型（Microsoft 术语）。
common-kind-transport = 传输
common-kind-address-book = 通讯簿
common-kind-message-store = 邮件存储

## 关闭结果（徽章、可读输出；JSON 保留英文名称）。
common-outcome-fast = 快速
common-outcome-normal = 正常
common-outcome-data-loss-risk = 数据丢失风险
common-outcome-incomplete = 不完整
common-outcome-in-progress = 进行中

## 发现的严重性。
common-severity-info = 信息
common-severity-warning = 警告
common-severity-error = 错误
