# Le résumé du parc : les sessions d'arrêt de nombreuses machines ensemble
# (rapport HTML, panneau Rapports, commande report).
fleet-heading = Résumé du parc
fleet-intro = { $machines ->
    [one] { $machines } machine
   *[other] { $machines } machines
}, { $sessions ->
    [one] { $sessions } session d'arrêt
   *[other] { $sessions } sessions d'arrêt
}{ $unknown ->
    [0] .
    [one] ; { $unknown } machine est inconnue (sa trace ne nomme pas d'ordinateur : elle est comptée par son fichier).
   *[other] ; { $unknown } machines sont inconnues (leurs traces ne nomment pas d'ordinateur : chacune est comptée par son fichier).
}
fleet-col-outcome = Issue
fleet-col-sessions = Sessions
fleet-col-machines = Machines
fleet-col-machine = Machine
fleet-providers-heading = DLL de fournisseurs, les plus coûteuses d'abord
fleet-chart-title = Arrêts rapides coûtés par chaque DLL de fournisseur, sur les sessions où elle figurait
fleet-chart-tooltip = { $dll } : { $cost } arrêts rapides coûtés, encore dans DoFastShutdown à l'arrêt forcé dans { $kill }, présente dans { $sessions } sessions
fleet-legend-sessions = sessions où elle figurait
fleet-legend-cost = arrêts rapides qu'elle a coûtés
fleet-legend-kill = dont encore dans DoFastShutdown à l'arrêt forcé
fleet-providers-explain = Coût : sessions terminées sans arrêt rapide à cause de cette DLL (elle a refusé, ou n'avait pas IMAPIProviderShutdown en opt-in, ou était encore dans DoFastShutdown quand le processus s'est terminé ou que sa trace s'est arrêtée). Refus : son QueryFastShutdown a renvoyé une erreur. Lente : une étape d'arrêt a duré plus de { $threshold }. p50 et p95 : de ses appels DoFastShutdown (un appel jamais revenu compte jusqu'à la fin de la trace).
fleet-col-dll = DLL de fournisseur
fleet-col-cost = Arrêts rapides coûtés
fleet-col-running-at-kill = En cours à l'arrêt forcé
fleet-col-opted-out = Refus
fleet-col-no-interface = Sans IMAPIProviderShutdown
fleet-col-slow = Lente
fleet-col-do-p50 = DoFastShutdown p50
fleet-col-do-p95 = DoFastShutdown p95
fleet-groups-heading = Par version d'Office et stratégie
fleet-col-office = Office
fleet-col-policy = Stratégie
fleet-office-unknown = inconnue
fleet-policy-unknown = non tracée
fleet-sessions-heading = Sessions sans arrêt rapide
fleet-sessions-note = { $count ->
    [0] Toutes les sessions se sont terminées par un arrêt rapide.
   *[other] { $shown } sur { $count } (parmi { $total } sessions) ; le rapport JSON liste toutes les sessions.
}
fleet-col-cost-by = Coûté par
fleet-col-reason = Raison
fleet-machine-unknown-file = machine inconnue (fichier { $file })
fleet-machine-unknown-session = machine inconnue (session { $session })
fleet-cli-progress = fichiers lus : { $done } sur { $files }, { $sessions ->
    [one] { $sessions } session
   *[other] { $sessions } sessions
}
fleet-cli-chrome-summary = --detail summary : une trace chrome contient chaque appel et aucun résumé ; utilisez --format html, csv ou json pour le résumé du parc
fleet-cli-with-fleet = résumé du parc de { $machines ->
    [one] { $machines } machine
   *[other] { $machines } machines
}
fleet-panel-task = rapport de parc de { $count ->
    [one] { $count } fichier ou dossier
   *[other] { $count } fichiers et dossiers
}
fleet-panel-not-read = Les fichiers ne peuvent pas être rapportés : { $error }
fleet-panel-detail = Détail :
fleet-panel-detail-auto = Auto
fleet-panel-detail-full = Chaque appel
fleet-panel-detail-summary = Résumé seul
fleet-panel-detail-hint = Auto garde chaque session en entier jusqu'à { $count } sessions, et seulement le résumé du parc (une ligne par session) au-delà ; chaque appel d'un grand parc fait un très gros fichier.
fleet-panel-from-files = Depuis des fichiers : { $count ->
    [0] aucun ajouté
    [one] { $count } fichier ou dossier
   *[other] { $count } fichiers et dossiers
}
fleet-panel-files-hint = Enregistrements, fichiers de trace et dossiers de spool de nombreuses machines (un partage où les postes déposent leurs fichiers de spool) ; le rapport ajoute un résumé du parc.
fleet-panel-more-files = … et { $count } de plus
fleet-panel-add-file = Ajouter un enregistrement…
fleet-panel-add-folder = Ajouter un dossier de spool…
fleet-panel-clear = Vider la liste
fleet-panel-reading = Lecture des fichiers : { $done } sur { $files }…
fleet-panel-more-providers = … et { $count ->
    [one] { $count } autre DLL de fournisseur dans le rapport
   *[other] { $count } autres DLL de fournisseurs dans le rapport
}
fleet-report-intro = Arrêt rapide des clients MAPI sur de nombreuses machines : le résumé du parc des sessions d'arrêt lues dans leurs enregistrements et fichiers de spool. L'hôte ci-dessous est la machine qui a écrit ce rapport.
fleet-summarized-note = { $count ->
    [one] { $count } session est résumée
   *[other] { $count } sessions sont résumées
} (le résumé du parc et une ligne par session) : leurs appels, chronologies et constats sont omis ; `--detail full`, ou « Chaque appel » dans le panneau Rapports, les garde.
