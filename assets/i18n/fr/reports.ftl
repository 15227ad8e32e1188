## reports: fr
