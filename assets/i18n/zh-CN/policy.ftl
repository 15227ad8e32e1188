## policy: zh-CN
