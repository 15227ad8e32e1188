## policy: en
