## live: fr

## Listening status (status bar and the panel).
live-listening = En écoute sur { $endpoint }
live-endpoint-in-use = Point de terminaison utilisé par un autre moniteur : { $endpoint }
live-not-listening = Pas en écoute : { $error }
live-monitor-not-listening = Le moniteur n’est pas en écoute

## Recording.
live-record-nothing = Rien à enregistrer : le moniteur n’est pas en écoute.
live-recording-started = Enregistrement de tout ce qui est reçu dans { $path } (clients connectés compris depuis leur début).
live-record-failed = Impossible d’enregistrer : { $error }
live-recording-stopped = Enregistrement arrêté ; il est dans { $path } (Ouvrir un enregistrement ou `mapi-shutdown analyze` le lisent).
live-recording-end-not-written = La fin de l’enregistrement n’a pas été écrite dans { $path } : { $error }
live-recording-failed = L’enregistrement dans { $path } a échoué et s’est arrêté : { $error }. Le fichier garde ce qui a été reçu avant ; la surveillance continue.
live-recording-interrupted = L’enregistrement dans { $path } s’est arrêté
live-stop-recording = Arrêter l’enregistrement
live-stop-recording-hover = Enregistrement dans { $path } ({ $shortcut })
live-rec-badge = ENR { $name }
live-record = Enregistrer…
live-record-hover = Enregistrer dans un fichier tout ce qui sera reçu à partir de maintenant, au format de `watch --out` ({ $shortcut })
live-record-dialog-title = Enregistrer tout ce qui est reçu dans
live-dialog-filter-recordings = Enregistrements

## Toolbar.
live-heading = Séquences d’arrêt en direct
live-dismiss = Fermer
live-pause = Suspendre
live-resume = Reprendre
live-pause-hover = La suspension continue de recevoir mais ne met plus la vue à jour
live-clear = Effacer
live-clear-hover = Oublier toutes les sessions terminées (les clients connectés restent)
live-cleared = { $count ->
    [one] { $count } session terminée effacée.
   *[other] { $count } sessions terminées effacées.
}
live-open-recording = Ouvrir un enregistrement…
live-open-recording-hover = Un enregistrement de `watch --out`, une trace de `simulate --trace-out` ou un fichier de spool
live-open-dialog-title = Ouvrir un enregistrement ou une trace
live-dialog-filter-traces = Traces et enregistrements
live-save-recording = Sauver l’enregistrement…
live-save-recording-hover = Sauver toutes les sessions affichées au format d’enregistrement de `watch --out`, pour `mapi-shutdown analyze` ou Ouvrir un enregistrement
live-save-dialog-title = Sauver les sessions comme enregistrement
live-saved = { $count ->
    [one] { $count } session sauvée dans { $path }.
   *[other] { $count } sessions sauvées dans { $path }.
}
live-save-failed = L’enregistrement n’a pas été sauvé ({ $path }) : { $error }
live-open-spool = Ouvrir un dossier de spool…
live-open-spool-hover = Le MAPI_SHUTDOWN_SPOOL_DIR des clients exécutés sans moniteur
live-open-spool-title = Ouvrir un dossier de spool
live-report = Rapport…
live-report-hover = Exporter les sessions sélectionnées en HTML, CSV, JSON ou trace Chrome (panneau Rapports)

## Scenarios.
live-no-scenarios = Aucun scénario à exécuter n’a été trouvé.
live-scenario-to-run = Scénario à exécuter
live-scenario-hover = Un scénario fourni (assets/scenarios)
live-run-scenario = Exécuter le scénario
live-run-scenario-hover = Lance `mapi-shutdown simulate` avec ce scénario et le FastShutdownBehavior actuel ; son arrêt apparaît ici
live-scenarios-running = { $count } en cours
live-cannot-start = Impossible de démarrer { $exe } : { $error }

## Opening files.
live-no-trace-record = il ne contient aucun enregistrement de trace
live-opened = { $path } ouvert : { $sessions }.
live-cannot-open = { $path } ne peut pas être ouvert : { $error }

## Sessions list.
live-filter = Filtre :
live-filter-hint = processus, pid ou raison
live-any-outcome = tout résultat
live-outcome-filter = Filtre de résultat
live-paused = Suspendu : les nouveaux événements sont reçus, pas affichés
live-no-session = Aucune session pour l’instant. Les clients MAPI instrumentés apparaissent ici lors de leur arrêt ; « Exécuter le scénario » en lance un.
live-sessions-shown = { $shown } sur { $sessions }. Ctrl+clic ajoute à la sélection (chronologies empilées).
live-connected = connecté

## Details of the selected sessions.
live-select-session = Sélectionnez une session pour voir son verdict, sa chronologie et ses appels.
live-sessions-stacked = { $sessions } empilées
live-stacked-title = { $process } (connexion { $conn })
live-shutdown-took = arrêt en { $duration }
live-connection-error = Connexion : { $error }
live-policy-in-force = Stratégie en vigueur :
live-policy-not-reported = pas encore signalée
live-change-policy = La modifier dans le panneau Stratégie
live-change-policy-hover = Puis exécutez à nouveau le client (ou le scénario) pour voir la différence
live-findings = Constatations
live-finding-hover = Sélectionner ses appels dans la chronologie et le tableau
live-time-per-provider = Temps par fournisseur
live-column-provider = Fournisseur
live-column-kind = Type
live-column-share = Part
live-no-provider-shutdown = pas d’IMAPIProviderShutdown

## The calls table.
live-calls = Appels
live-column-start = Début
live-column-caller = Appelant
live-column-method = Méthode
live-column-duration = Durée
live-caller-client = client
live-caller-subsystem = sous-système
live-running = en cours

## The timeline widget.
live-timeline-help =
    Commandes de la chronologie
    Glisser, Maj+molette ou balayage latéral : défiler
    Ctrl+molette ou pincement : zoomer autour du pointeur
    + / - : zoom avant / arrière
    Flèche gauche / droite : défiler
    Double-clic, 0 ou Origine : tout afficher
    F : suivre le direct (garder les derniers événements visibles ; défiler ou zoomer l’arrête)
    Clic : sélectionner un appel ; Maj+clic ou Ctrl+clic : en ajouter ou en retirer un
live-timeline-controls = Commandes de la chronologie
live-timeline-follow-on = ? Suivre le direct : oui (F)
live-timeline-follow-off = ? Suivre le direct : non (F)
live-timeline-process = processus
live-timeline-summary = Chronologie : { $lanes ->
    [one] { $lanes } piste
   *[other] { $lanes } pistes
}, { $calls ->
    [one] { $calls } appel
   *[other] { $calls } appels
}, { $duration }
live-timeline-summary-stacked = Chronologie : { $sessions }, { $lanes ->
    [one] { $lanes } piste
   *[other] { $lanes } pistes
}, { $calls ->
    [one] { $calls } appel
   *[other] { $calls } appels
}, { $duration }
live-timeline-client = Client
live-timeline-subsystem = Sous-système
live-timeline-mapi-subsystem = sous-système MAPI
live-timeline-provider-number = fournisseur n° { $id }
live-timeline-not-declared = non déclaré
live-timeline-visible-calls = Appels visibles ({ $count })
live-timeline-span = { $method }, { $who }, { $result }, début { $start }, { $duration }
live-timeline-tip-subsystem = Le sous-système traitant l’appel { $call } du client (ses appels aux fournisseurs)
live-timeline-tip-called-by-client = { $interface }, appelé par le client
live-timeline-tip-called-by-subsystem = { $interface }, appelé par le sous-système
live-timeline-tip-provider = Fournisseur : { $provider }
live-timeline-not-returned = Pas (encore) retourné
live-timeline-tip-time = Début : { $start }  Durée : { $duration }
live-timeline-tip-time-so-far = Début : { $start }  Durée : { $duration } jusqu’ici
live-timeline-tip-origin = Appel n° { $call } ; le temps 0 est à { $origin } ns du début de la trace
live-scenario-failed = Le scénario { $scenario } ne s’est pas exécuté (code de sortie de simulate { $code }) : { $error }
live-recording-starting = Démarrage de l’enregistrement dans { $name }…
live-endpoint-squatted = Un processus d’un autre utilisateur détient le point de connexion { $endpoint } ({ $holder }) : les clients ne lui envoient rien et cette fenêtre ne peut pas écouter. Trouvez ce processus et arrêtez-le (un administrateur le peut), ou démarrez avec une autre valeur de --endpoint.
live-pid-claim = Sa trace annonce le pid { $claimed } ; le système indique le pid { $pid } (affiché).
live-launch-capture = Lancer avec capture…
live-launch-capture-hover = Démarrer un client MAPI (Outlook, MFCMAPI…) avec l’agent de capture chargé dès sa première instruction : toute sa vie, de l’ouverture de session à l’arrêt, apparaît ici (docs/capture.md)
live-launch-capture-title = Démarrer un client MAPI avec capture
live-dialog-filter-programs = Programmes
live-origin-simulated = simulée
live-origin-captured = capturée
live-origin-captured-late = capturée (attachement tardif)
