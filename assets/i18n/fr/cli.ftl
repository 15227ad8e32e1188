## cli: fr
