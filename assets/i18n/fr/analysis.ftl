## analysis: fr
