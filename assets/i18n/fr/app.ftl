## app: fr
