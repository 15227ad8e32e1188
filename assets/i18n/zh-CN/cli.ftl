## cli: zh-CN
