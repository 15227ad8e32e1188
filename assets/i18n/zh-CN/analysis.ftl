## analysis: zh-CN
