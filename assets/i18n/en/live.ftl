## live: en
