## Mots et quantités communs à plusieurs panneaux et commandes.

common-sessions = { $count ->
    [one] { $count } session
   *[other] { $count } sessions
}
common-duration-ms = { $ms } ms
common-duration-unreturned = ≥ { $duration }, jamais revenu

## Types de fournisseurs MAPI (termes de Microsoft).
common-kind-transport = transport
common-kind-address-book = carnet d’adresses
common-kind-message-store = banque de messages

## Issues de l’arrêt (badges, sortie lisible ; le JSON garde les noms anglais).
common-outcome-fast = rapide
common-outcome-normal = normal
common-outcome-data-loss-risk = risque de perte de données
common-outcome-incomplete = incomplet
common-outcome-in-progress = en cours

## Gravité d’une constatation.
common-severity-info = info
common-severity-warning = avertissement
common-severity-error = erreur
