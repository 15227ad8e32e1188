## processes: en
