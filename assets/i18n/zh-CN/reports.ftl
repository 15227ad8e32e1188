## reports: zh-CN
