## live: fr
