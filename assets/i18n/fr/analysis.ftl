## analysis: fr

## Pieces of the verdict reasons and findings (monitor::analysis).
analysis-provider = le fournisseur « { $name } » ({ $kind }, { $dll })
analysis-provider-dll = le fournisseur « { $dll } » ({ $kind })
analysis-provider-undeclared = le fournisseur n° { $id } (non déclaré)
analysis-a-provider = un fournisseur
analysis-provider-returned = { $provider } a renvoyé { $hresult }
analysis-separator-comma = {", "}
analysis-separator-semicolon = {" ; "}

## Options of FastShutdownBehavior, and the policy in force.
analysis-behavior-opt-out = opt-out
analysis-behavior-opt-in = opt-in
analysis-behavior-disabled = désactivé
analysis-policy-valid = FastShutdownBehavior={ $dword } ({ $label }) pour Office { $office }
analysis-policy-not-configured = FastShutdownBehavior non configuré pour Office { $office } (par défaut : { $label })
analysis-policy-invalid = FastShutdownBehavior contient des données non valides ({ $raw }) pour Office { $office }, traité comme { $label }

## Findings.
analysis-do-after-failed-query = le client a appelé DoFastShutdown après que QueryFastShutdown a renvoyé { $hresult } : tous les fournisseurs chargés subiront une perte de données (« Best Practices for Fast Shutdown »)
analysis-do-without-query = le client a appelé DoFastShutdown sans appeler QueryFastShutdown d’abord
analysis-notify-after-failed-query = le client a appelé NotifyProcessShutdown après que QueryFastShutdown a renvoyé { $hresult } (les fournisseurs sont seulement invités à se préparer)
analysis-call-after-do = le client a appelé { $method } après DoFastShutdown
analysis-call-after-do-returned = le client a appelé { $method } après DoFastShutdown (l’appel a renvoyé { $hresult })
analysis-client-called-provider = le client a appelé IMAPIProviderShutdown::{ $method } directement sur { $provider } ; seul le sous-système MAPI peut le faire
analysis-provider-order = pendant { $method }, le sous-système MAPI a appelé { $provider } après { $previous } dans la session MAPI { $session } : au sein d’une session, l’ordre documenté est transport, carnet d’adresses, banque de messages
analysis-slow-provider = { $provider } a mis { $duration } dans { $method } (seuil { $threshold })
analysis-slow-provider-unreturned = { $provider } a mis { $duration } dans { $method } et n’est jamais revenu (seuil { $threshold })
analysis-exited-during-do = le processus s’est terminé avant le retour de DoFastShutdown
analysis-exited-during-do-providers = le processus s’est terminé avant que { $providers } revienne de DoFastShutdown
analysis-exited-unreached = { $base } ; jamais appelés : { $unreached }
analysis-dropped = { $count ->
    [one] le client a perdu { $count } enregistrement de trace
   *[other] le client a perdu { $count } enregistrements de trace
} : sa file d’attente était pleine ou sa destination a échoué ; des durées et des appels peuvent manquer
analysis-invalid-policy = FastShutdownBehavior pour Office { $office } contient { $raw } : { $reason } ; le sous-système MAPI a utilisé { $effective }

## Verdict reasons.
analysis-with-policy = { $reason } ; stratégie : { $policy }
analysis-with-unknown-policy = { $reason } ; stratégie : inconnue ({ $subsystem } ne porte pas de version d’Office : on ne sait pas quelle clé de stratégie il lit)
analysis-reason-do-running = DoFastShutdown est en cours
analysis-reason-do-cut = le flux s’est terminé pendant DoFastShutdown ; la fin du processus n’est pas dans la trace (pas de client_exit, fermeture de la connexion non observée)
analysis-reason-do-cut-providers = le flux s’est terminé alors que { $providers } n’était pas revenu de DoFastShutdown ; la fin du processus n’est pas dans la trace (pas de client_exit, fermeture de la connexion non observée)
analysis-reason-fast = QueryFastShutdown a renvoyé S_OK et chaque fournisseur est revenu de DoFastShutdown ({ $count ->
    [one] { $count } fournisseur appelé
   *[other] { $count } fournisseurs appelés
})
analysis-reason-do-failed = DoFastShutdown a renvoyé { $hresult } : tous les fournisseurs ne sont pas prêts pour la sortie
analysis-reason-do-failed-providers = DoFastShutdown a renvoyé { $hresult } : tous les fournisseurs ne sont pas prêts pour la sortie ; { $failures }
analysis-reason-query-cut = le flux s’est terminé pendant l’exécution de QueryFastShutdown
analysis-reason-query-running = QueryFastShutdown est en cours
analysis-reason-normal = QueryFastShutdown a renvoyé { $hresult } car { $why } ; le client a pris le chemin d’arrêt normal (long)
analysis-reason-query-ok-cut = QueryFastShutdown a renvoyé S_OK mais le flux s’est terminé avant DoFastShutdown
analysis-reason-query-ok-waiting = QueryFastShutdown a renvoyé S_OK ; en attente de DoFastShutdown
analysis-reason-uninitialize = le client s’est arrêté sans demander d’arrêt rapide (MAPIUninitialize)
analysis-reason-no-shutdown-cut = le flux s’est terminé avant que le client ne commence un arrêt
analysis-reason-not-started = le client n’a pas encore commencé son arrêt

## Why the subsystem refused fast shutdown.
analysis-why-policy-disabled = la stratégie est désactivée
analysis-why-not-implemented = { $provider } n’implémente pas IMAPIProviderShutdown et la stratégie est en opt-in (1)
analysis-why-refused = le sous-système MAPI a refusé
analysis-why-list = { $reasons }

## The summary `simulate` prints: warnings (JSON keeps the English).
analysis-summary-severity-data-loss = perte de données

## The summary's headings (one column, padded to the widest).
analysis-summary-label-scenario = Scénario
analysis-summary-label-client = Client
analysis-summary-label-policy = Stratégie
analysis-summary-label-session = Session
analysis-summary-label-result = Résultat
analysis-summary-label-warnings = Alertes
analysis-summary-label-exit = Sortie
analysis-summary-label-trace = Trace
analysis-summary-label-calls = Appels
analysis-summary-none = aucun
analysis-summary-call = (appel { $call })

## The summary's lines.
analysis-summary-client = { $exe } (pid { $pid }), Office { $office } ({ $products }), sous-système { $subsystem }
analysis-summary-policy = { $effective } (FastShutdownBehavior { $dword }, « { $admx } », nom du modèle anglais), { $source } ; paramètre : { $setting }
analysis-summary-source-default = valeur par défaut (aucun Registre consulté)
analysis-summary-source-override = imposée par l’appelant (--fast-shutdown-behavior)
analysis-summary-source-registry = du Registre { $store } : { $key }\{ $value }
analysis-summary-setting-not-configured = non configuré
analysis-summary-setting-valid = { $value } (DWORD { $dword })
analysis-summary-setting-invalid = non valide { $raw } : { $reason }
analysis-summary-session = { $session } « { $profile } » : { $count ->
    [one] { $count } fournisseur
   *[other] { $count } fournisseurs
}
analysis-summary-session-without = { $session } « { $profile } » : { $count ->
    [one] { $count } fournisseur
   *[other] { $count } fournisseurs
} ({ $without } sans IMAPIProviderShutdown)
analysis-summary-trace-file = { $file } ({ $records ->
    [one] { $records } enregistrement
   *[other] { $records } enregistrements
})
analysis-summary-trace-unsaved = { $records ->
    [one] { $records } enregistrement
   *[other] { $records } enregistrements
} (non enregistrée : utilisez --trace-out FICHIER)
analysis-summary-delivery-monitor = trace envoyée au moniteur sur { $endpoint } ({ $records ->
    [one] { $records } enregistrement
   *[other] { $records } enregistrements
})
analysis-summary-delivery-spooled = { $reason } ; trace mise en file d’attente dans { $file } ({ $spooled ->
    [one] { $spooled } enregistrement
   *[other] { $spooled } enregistrements
})
analysis-summary-delivery-spooled-dropped = { $reason } ; trace mise en file d’attente dans { $file } ({ $spooled ->
    [one] { $spooled } enregistrement
   *[other] { $spooled } enregistrements
}), puis { $dropped ->
    [one] { $dropped } enregistrement perdu
   *[other] { $dropped } enregistrements perdus
}
analysis-summary-delivery-dropped = { $reason } ; { $dropped ->
    [one] { $dropped } enregistrement perdu
   *[other] { $dropped } enregistrements perdus
} (définissez { $env } pour les conserver)
analysis-summary-end-exited = terminé normalement avec le code { $code }
analysis-summary-end-killed = arrêté de force { $after_ms } ms après le début de DoFastShutdown, comme le scénario le demandait (code de sortie { $code }) ; pas d’enregistrement client_exit
analysis-summary-end-unknown = inconnu : pas d’enregistrement client_exit

## The result of the shutdown.
analysis-summary-result = { $outcome } : { $reason }

## The providers and calls tables.
analysis-summary-providers-none = Fournisseurs : aucun
analysis-summary-providers-title = Fournisseurs (ordre de chargement)
analysis-summary-calls-title = Appels (dans l’ordre ; les appels aux fournisseurs sous l’appel du client)
analysis-summary-column-id = id
analysis-summary-column-session = session
analysis-summary-column-provider = fournisseur
analysis-summary-column-kind = type
analysis-summary-column-caller = appelant
analysis-summary-column-method = méthode
analysis-summary-column-duration = durée
analysis-summary-yes = oui
analysis-summary-no = non
analysis-summary-caller-client = client
analysis-summary-caller-subsystem = sous-système
analysis-summary-did-not-return = (pas de retour)

## The human output of `watch` and `analyze`.
analysis-live-label = { $exe } (pid { $pid })
analysis-live-label-pid = pid { $pid }
analysis-live-label-connection = connexion { $connection }
analysis-live-label-claim = { $exe } (pid { $pid } ; sa trace annonce le pid { $claimed })
analysis-live-head = { $label }, connexion { $connection }{ $from } : { $outcome }
analysis-live-head-duration = { $label }, connexion { $connection }{ $from } : { $outcome } en { $duration }
analysis-live-outcome-fast = rapide
analysis-live-outcome-normal = normal
analysis-live-outcome-data-loss-risk = risque de perte de données
analysis-live-outcome-incomplete = incomplet
analysis-live-outcome-in-progress = en cours
analysis-live-reason = {"  "}raison : { $reason }
analysis-live-stream = {"  "}flux : { $error }
analysis-recording-error = { $file } : { $error }
analysis-recording-invalid-line = { $file }, ligne { $line } : { $error }
analysis-decode-line-too-long = ligne { $line } : plus longue que la limite de { $limit } octets
analysis-decode-truncated = ligne { $line } : coupée ({ $bytes } octets sans saut de ligne à la fin du flux)
analysis-decode-invalid = ligne { $line } : pas un enregistrement valide : { $reason }
analysis-decode-missing-field = ligne { $line } : l’enregistrement `{ $record }` n’a pas son champ obligatoire `{ $field }`
analysis-decode-no-hello = ligne { $line } : le flux doit commencer par un enregistrement `hello`, trouvé : { $found }
analysis-decode-second-hello = ligne { $line } : un second enregistrement `hello` dans le même flux
analysis-decode-version-too-old = la version { $found } du protocole est trop ancienne : cette version lit les versions { $min } à { $max } ; enregistrez avec un sous-système instrumenté de version { $min } ou ultérieure
analysis-decode-version-too-new = la version { $found } du protocole est trop récente : cette version lit les versions { $min } à { $max } ; mettez mapi-shutdown à jour
analysis-recording-too-new = { $file } : la version { $found } du format d’enregistrement est trop récente (cette version lit la version { $supported }) ; mettez à jour mapi-shutdown
analysis-watch-bad-timeout = --timeout doit être un nombre de secondes >= 0
analysis-watch-interrupted-again = nouvelle interruption : sortie immédiate
analysis-watch-no-ctrl-c = impossible de gérer Ctrl-C ({ $error }) ; Ctrl-C arrêtera watch sans résumé
analysis-watch-cannot-listen = impossible d’écouter sur { $endpoint } : { $error }
analysis-watch-watching = écoute sur { $endpoint }
analysis-watch-recording = enregistrement dans { $file }
analysis-watch-event-log = écriture de chaque séquence d’arrêt terminée dans le journal d’événements { $log } (source « { $source } »)
analysis-watch-events-written = { $count ->
    [one] { $count } événement écrit
   *[other] { $count } événements écrits
} dans le journal d’événements { $log }{ $failed ->
    [0] {""}
    [one] ; { $failed } refusé
   *[other] ; { $failed } refusés
}
analysis-watch-connected = { $exe } (pid { $pid }) connecté : Office { $office }, { $subsystem }, connexion { $connection }
analysis-office-unknown = version inconnue
analysis-watch-stopping = interrompu : arrêt du moniteur
analysis-watch-interrupted = interrompu
analysis-watch-timeout = délai atteint après { $seconds } s
analysis-watch-end = { $stop } : { $count ->
    [one] { $count } session terminée
   *[other] { $count } sessions terminées
}
analysis-watch-end-still = { $stop } : { $count ->
    [one] { $count } session terminée
   *[other] { $count } sessions terminées
}, { $still ->
    [one] { $still } encore connectée
   *[other] { $still } encore connectées
} ({ $list })
analysis-analyze-json-error = impossible d’encoder le JSON : { $error }
analysis-analyze-no-sessions = aucune session

## The monitor's log (watch prints it; the Live panel's log too).

monitor-log-listening = à l’écoute sur { $endpoint }
monitor-log-stale-replaced = socket périmé remplacé sur { $endpoint }, laissé par un moniteur qui ne s’est pas arrêté proprement
monitor-log-recording = enregistrement dans { $file }
monitor-log-recording-stopped = enregistrement dans { $file } arrêté
monitor-log-recording-failed = l’enregistrement dans { $file } a échoué, enregistrement arrêté : { $error }
monitor-log-connected = connexion { $conn } : client connecté
monitor-log-connected-pid = connexion { $conn } : client connecté (pid { $pid })
monitor-log-closed = connexion { $conn } : { $label } fermée après { $records ->
    [one] { $records } enregistrement
   *[other] { $records } enregistrements
}
monitor-log-closed-cap = { $max } sessions fermées conservées : les plus anciennes sont désormais évincées, d’abord { $label }
monitor-log-store-full-refused = stockage plein ({ $records } enregistrements, { $bytes } octets au plus) : les enregistrements de { $label } ne sont plus conservés
monitor-log-store-full-evicted = stockage plein : flux terminé de { $label } évincé ({ $records ->
    [one] { $records } enregistrement
   *[other] { $records } enregistrements
})
monitor-log-pid-claim = connexion { $conn } : sa trace annonce le pid { $claimed }, le système indique le pid { $os } ; affiché comme pid { $os }
monitor-log-accept-failed = l’acceptation d’un client a échoué : { $error }
monitor-log-stopped-listening = fin de l’écoute sur { $endpoint }
monitor-log-refused-other-user = client refusé, exécuté sous l’uid { $uid } (pid { $pid }) : pas cet utilisateur
monitor-log-refused-no-user = client refusé (pid { $pid }) : le système n’a pas dit sous quel utilisateur il s’exécute
monitor-log-refused-unidentified = client refusé, que le système n’a pas pu identifier (ni identifiant de processus ni utilisateur)
monitor-log-refused-full = client refusé (pid { $pid }) : { $max } clients déjà connectés, qui ont tous envoyé quelque chose
monitor-log-refused-error = client refusé : { $error }
monitor-log-connection-ended = connexion { $conn } : { $reason }
monitor-log-reason-idle = rien envoyé dans les { $after } suivant la connexion : déconnecté
monitor-log-reason-yielded = rien envoyé alors que { $max } clients étaient connectés : déconnecté pour faire de la place à un nouveau client
monitor-reason-disconnected = déconnecté : { $error }
monitor-reason-ended-badly = le flux s’est mal terminé : { $error }
monitor-reason-read-error = erreur de lecture : { $error }
monitor-reason-store-stopped = le stockage du moniteur s’est arrêté
monitor-reason-stopped = le moniteur s’est arrêté pendant que le client était connecté
monitor-reason-no-reader = impossible de démarrer un thread de lecture : { $error }
