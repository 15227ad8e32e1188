## live: zh-CN
