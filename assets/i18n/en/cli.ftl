## cli: en
