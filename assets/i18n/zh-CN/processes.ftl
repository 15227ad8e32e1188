## processes: zh-CN
