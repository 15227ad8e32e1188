## app: zh-CN
