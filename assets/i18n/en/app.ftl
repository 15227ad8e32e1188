## app: en
