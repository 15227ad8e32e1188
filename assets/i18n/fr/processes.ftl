## processes: fr
