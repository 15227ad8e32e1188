## reports: en
