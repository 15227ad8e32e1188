## policy: fr
