## The HTML report: page header.

report-title = Rapport d’arrêt rapide MAPI : { $host }, { $when } UTC
report-intro = Arrêt rapide des clients MAPI : la stratégie, les processus MAPI et les sessions d’arrêt observés sur un ordinateur. Dans les tableaux des appels, les temps partent du début de la trace de chaque client.
report-taken-at = Pris le
report-host = Ordinateur
report-user = Utilisateur
report-os = Système
report-written-by = Écrit par
report-schema = { $product } (schéma de rapport { $schema })
report-contents = Contenu
report-footer = Écrit par { $product } le { $taken_at }. Sources : la référence MAPI d’Outlook de Microsoft (« Client Shutdown in MAPI », « Fast Shutdown User Options », « Best Practices for Fast Shutdown »), le modèle d’administration d’Office 2016 (outlk16.admx), KB 2790282.

## Contents line.

report-content-policy = stratégie et compléments
report-content-processes = processus MAPI
report-content-all = toutes celles enregistrées
report-content-selected = sélectionnées
report-content-pid = du pid { $pid }
report-content-sessions = { $count ->
    [one] { $count } session d’arrêt ({ $which })
   *[other] { $count } sessions d’arrêt ({ $which })
}
report-content-nothing = rien

## Summary table.

report-summary = Résumé
report-col-session = Session
report-col-process = Processus
report-col-outcome = Résultat
report-col-shutdown-took = Durée de l’arrêt
report-col-findings = Constatations
report-col-trace-started = Début de la trace
report-no-shutdown-call = aucun appel d’arrêt
report-count-errors = { $count ->
    [one] { $count } erreur
   *[other] { $count } erreurs
}
report-count-warnings = { $count ->
    [one] { $count } avertissement
   *[other] { $count } avertissements
}
report-count-infos = { $count ->
    [one] { $count } information
   *[other] { $count } informations
}
report-none = aucune
report-unknown = inconnu
report-outcome-fast = arrêt rapide
report-outcome-normal = arrêt normal

## Policy section.

report-policy = Stratégie
report-policy-intro = Valeurs de stratégie par utilisateur sous <code>HKEY_CURRENT_USER\Software\Policies\Microsoft\Office\&lt;version&gt;\Outlook\Options\Shutdown</code>, lues dans le Registre <code>{ $store }</code>. Les données brutes sont affichées telles qu’elles sont stockées ; les données non valides ne sont jamais converties.
report-installed = installé pour cet utilisateur
report-not-installed = non installé pour cet utilisateur
report-key-present = clé présente
report-key-absent = clé absente
report-key-error = Impossible de lire cette clé : { $error }
report-col-value = Valeur
report-col-state = État
report-col-raw = Données brutes
report-col-in-force = En vigueur
report-col-meaning = Signification
report-col-admx = Stratégie ADMX (noms du modèle anglais)
report-fix = Correction :
report-state-not-configured = non configuré
report-state-valid = valide
report-state-invalid = non valide
report-not-a-policy = pas une stratégie (par complément)
report-admx-policy-state = { $policy } : { $state }
report-absent = absente
report-addins-heading = Compléments : RequireShutdownNotification
report-no-addins = Aucun complément COM Outlook n’est inscrit.
report-col-addin = Complément et clé

## MAPI processes section.

report-processes = Processus MAPI
report-no-processes = Aucun processus n’a chargé de sous-système MAPI.
report-col-user = Utilisateur
report-col-subsystem = Sous-système
report-col-instrumented = Instrumenté
report-col-providers = Fournisseurs
report-yes = oui
report-no = non
report-via-stub = (via mapi32.dll)
report-none-loaded = aucun chargé
report-declared-as = déclaré comme { $kinds }
report-mapisvc-builtin = aucun (catalogue intégré seulement)
report-uninspected = { $count ->
    [one] { $count } processus n’a pas pu être inspecté et peut donc aussi être un processus MAPI : { $names }
   *[other] { $count } processus n’ont pas pu être inspectés et peuvent donc aussi être des processus MAPI : { $names }
}

## A session.

report-fact-trace-started = Début de la trace
report-fact-office = Version d’Office
report-fact-subsystem = Sous-système
report-fact-policy = Stratégie utilisée
report-not-traced = non tracée
report-fact-profiles = Profils
report-profile = { $profile } (session MAPI { $session })
report-fact-shutdown-took = Durée de l’arrêt
report-fact-exit = Sortie du client
report-exit-code = terminé avec le code { $code }
report-exit-none = aucune sortie enregistrée (tué, ou flux coupé)
report-still-running = toujours en cours d’exécution
report-fact-stream = Flux
report-stream-records = { $records } enregistrements
report-stream-ended = , terminé
report-stream-open = , toujours ouvert
report-stream-lost = , { $count } perdus
report-fact-stream-error = Erreur de flux
report-fact-read-from = Lu depuis
report-calls-note = Les { $shown } premiers des { $total } appels sont listés ; les rapports CSV et JSON contiennent tous les appels.
report-findings = Constatations
report-timeline = Chronologie
report-legend-other = autre appel MAPI
report-legend-failed = échec
report-legend-open = jamais revenu
report-timeline-of = Chronologie de { $label }
report-merged = { $count ->
    [one] { $count } appel plus court qu’un pixel chevauche des appels dessinés et n’est pas dessiné séparément.
   *[other] { $count } appels plus courts qu’un pixel chevauchent des appels dessinés et ne sont pas dessinés séparément.
}
report-no-call = Aucun appel n’a été enregistré.
report-provider-timings = Durées par fournisseur
report-col-provider = Fournisseur
report-col-kind = Type
report-col-total = Total
report-col-share = Part
report-calls = Appels
report-col-start = Début
report-col-duration = Durée
report-col-caller = Appelant
report-col-callee = Appelé
report-col-method = Méthode
report-anomaly = Anomalie de trace : { $anomaly }

## Calls and the timeline.

report-client = client
report-subsystem = sous-système
report-provider-undeclared = fournisseur { $provider } (non déclaré)
report-provider-n = fournisseur { $provider }
report-not-declared = non déclaré dans la trace
report-client-lane = client (IMAPIClientShutdown)
report-no-provider-shutdown = pas d’IMAPIProviderShutdown
report-no-return = aucun retour
report-target-client = client → { $dll }
report-target-provider = sous-système → { $name } ({ $kind }, { $dll })
report-target-undeclared = sous-système → fournisseur { $provider } (non déclaré)
report-bar-returned = { $method } sur { $target } : début { $start } µs, { $duration }, a renvoyé { $hresult }
report-bar-open = { $method } sur { $target } : début { $start } µs, { $duration }

## Names of a session.

report-label-exe = { $exe } (pid { $pid })
report-label-pid = pid { $pid }
report-label-session = session { $session }

## Report formats (menus, messages).

report-format-html = Page HTML
report-format-csv = CSV (une ligne par appel)
report-format-json = JSON (rapport complet)
report-format-chrome = Trace Chrome (Perfetto)

## The report command.

report-cli-truncated = { $file } : { $why } : la trace est tronquée (client ou enregistreur tué) ; `mapi-shutdown analyze` montre ce qu’elle contient
report-cli-truncated-why = tronquée
report-cli-not-a-trace = { $file } : pas une trace : il ne contient aucun enregistrement de trace
report-cli-source-connection = { $file }, connexion { $conn }
report-cli-bom-csv-only = --bom ne s’applique qu’à --format csv (pas à { $format })
report-cli-cannot-hold = { $options } : un rapport { $format } ne peut pas le contenir, il contient { $holds } ; utilisez --format html ou json pour cela (docs/reports.md)
report-cli-holds-csv = uniquement les appels, une ligne chacun
report-cli-holds-chrome = les appels et la stratégie (otherData), pas les processus
report-cli-nothing = rien à signaler : indiquez des fichiers TRACE, --policy ou --processes
report-cli-pid-needs-traces = --pid choisit parmi les sessions des fichiers TRACE : indiquez-en
report-cli-calls = { $count ->
    [one] { $count } appel
   *[other] { $count } appels
}
report-cli-with-policy = stratégie
report-cli-with-processes = processus
report-cli-wrote = { $path } écrit ({ $what })
report-cli-note = remarque : { $note }
report-fact-origin = Origine
report-origin-simulated = simulée (le sous-système de mapi-shutdown)
report-origin-captured = { $attach ->
        [late] capturée sur un vrai client par l’agent de capture, attaché en cours de route ({ $bits } bits) : les sessions ouvertes avant lui ne figurent pas dans la trace
       *[other] capturée sur un vrai client par l’agent de capture, dès son démarrage ({ $bits } bits)
    }
