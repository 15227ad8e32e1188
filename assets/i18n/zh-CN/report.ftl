## report: zh-CN
