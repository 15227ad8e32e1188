## processes: fr

## Panneau Processus : barre d’outils.
processes-heading = Processus MAPI
processes-refresh = Actualiser
processes-refresh-tooltip = Analyser maintenant (F5)
processes-resume = Reprendre l’actualisation automatique
processes-pause = Suspendre l’actualisation automatique
processes-every = toutes les
processes-seconds = { $seconds } s
processes-interval = Intervalle d’actualisation
processes-scanning = analyse en cours…
processes-paused = Actualisation automatique suspendue
processes-filter = Filtrer :
processes-filter-hint = nom, PID, utilisateur ou DLL
processes-all = Tous les processus
processes-all-tooltip = Afficher tous les processus, pas seulement ceux de MAPI
processes-find-dll = Rechercher une DLL :
processes-find-dll-hint = par ex. emsmdb32.dll
processes-find-dll-tooltip = Tous les processus qui ont chargé cette DLL (l’extension .dll est facultative)

## Panneau Processus : état de l’analyse et résumé.
processes-cannot-start-thread = impossible de démarrer le thread d’analyse : { $error }
processes-thread-stopped = le thread d’analyse s’est arrêté
processes-cannot-scan = Impossible d’analyser les processus : { $error }.
processes-scan-failed = La dernière analyse a échoué : { $error }.
processes-scan-failed-hint = Le tableau montre l’analyse précédente, s’il y en a une. F5 pour réessayer.
processes-scanning-first = Analyse des processus et de leurs modules chargés…
processes-summary = { $count } processus MAPI sur { $total }
processes-summary-tooltip = La dernière analyse a duré { $took } ; elle se répète toutes les { $seconds } s sauf en pause
processes-duration-s = { $seconds } s
processes-uninspected = { $count ->
        [one] { $count } n’a pas pu être inspecté (dont { $denied } pour accès refusé)
       *[other] { $count } n’ont pas pu être inspectés (dont { $denied } pour accès refusé)
    }
processes-uninspected-tooltip = Leurs modules sont inconnus : un processus MAPI parmi eux n’est pas affiché. Exécutez en tant qu’administrateur (Windows) ou root (Linux) pour inspecter les processus de tous les utilisateurs ; cochez « Tous les processus » pour les voir.
processes-unmatched-clients = { $count ->
        [one] { $count } client instrumenté absent de la liste des processus
       *[other] { $count } clients instrumentés absents de la liste des processus
    }
processes-unmatched-clients-tooltip = PID { $pids } : terminé, ou dans un autre espace de noms de PID
processes-catalog = Catalogue des fournisseurs : { $files ->
        [one] { $files } fichier MAPISVC.INF
       *[other] { $files } fichiers MAPISVC.INF
    }, { $warnings ->
        [one] { $warnings } avertissement
       *[other] { $warnings } avertissements
    }
processes-find-dll-results = Rechercher la DLL « { $query } » : { $count } processus
processes-find-dll-none = Aucun processus ne l’a chargée (les processus qui n’ont pas pu être inspectés ne sont pas examinés).
processes-name-pid = { $name } (PID { $pid })

## Panneau Processus : le tableau.
processes-col-pid = PID
processes-col-name = Nom
processes-col-user = Utilisateur
processes-col-subsystem = Sous-système
processes-col-transport = Transport
processes-col-address-book = Carnet d’adresses
processes-col-message-store = Banque de messages
processes-col-instrumented = Instrumenté
processes-col-memory = Mémoire
processes-col-started = Démarré
processes-sort-by = Trier par { $column }
processes-none-mapi = Aucun processus n’a chargé de sous-système MAPI (mapi32.dll, olmapi32.dll, msmapi32.dll, exmapi32.dll), et aucun client instrumenté n’est connecté. Démarrez Outlook ou un autre client MAPI, ou cochez « Tous les processus ».
processes-no-match = Aucun processus ne correspond au filtre.
processes-path-unknown = chemin inconnu
processes-yes = oui
processes-no = non
processes-unknown = inconnu

## Tailles (puissances de 1024, comme le Gestionnaire des tâches).
processes-size-b = { $value } octets
processes-size-kb = { $value } Ko
processes-size-mb = { $value } Mo
processes-size-gb = { $value } Go
processes-size-tb = { $value } To

## Panneau Processus : le processus sélectionné.
processes-selected-exited = Le processus { $pid } s’est terminé.
processes-select-hint = Sélectionnez un processus pour voir ses fournisseurs et ses modules.
processes-instrumented = instrumenté
processes-show-live = Afficher ses sessions en direct
processes-show-live-tooltip = Ouvrir le panneau En direct filtré sur ce processus
processes-disagree = le système d’exploitation et la trace du client ne s’accordent pas sur ses fournisseurs
processes-path = Chemin :
processes-user = Utilisateur :
processes-subsystem = Sous-système :
processes-version = version { $version }
processes-stub-loaded = (le stub mapi32.dll de System32 est chargé aussi)
processes-none-loaded = aucun chargé
processes-modules = Modules
processes-modules-unreadable = Impossible de lire ses modules : { $error }.
processes-run-as-admin = Exécutez en tant qu’administrateur (Windows) ou root (Linux) pour inspecter le processus d’un autre utilisateur ou un processus élevé.
processes-modules-count = Modules ({ $shown } sur { $total })
processes-module-filter-hint = nom ou chemin
processes-providers = Fournisseurs
processes-no-providers = Aucune DLL chargée n’est un fournisseur connu du catalogue (assets/providers.toml et MAPISVC.INF), et le client n’en a déclaré aucun.
processes-providers-transport = Fournisseurs de transport ({ $count })
processes-providers-address-book = Fournisseurs de carnet d’adresses ({ $count })
processes-providers-message-store = Fournisseurs de banque de messages ({ $count })
processes-declared-as = Déclaré par le client comme : { $names }

## Ce que disent le système et la trace du client d’un fournisseur.
processes-loaded-not-declared = chargé, non déclaré par le client
processes-declared-not-loaded = déclaré par le client, non chargé

## Pourquoi les modules d’un processus ou la liste des processus sont illisibles.
processes-access-denied = accès refusé
processes-exited = processus terminé
processes-cannot-list = impossible de lister les processus : { $error }

## Problèmes de MAPISVC.INF ($line : la ligne telle qu’écrite, entre guillemets).
# A skipped line of MAPISVC.INF: `file:line` (or the file alone), then the problem.
processes-inf-warning = { $at }: { $problem }
processes-inf-cannot-read = impossible de lire { $file } : { $error }
processes-inf-not-text = { $file } n’est pas un MAPISVC.INF : données binaires à la ligne { $line }, pas du texte
processes-inf-malformed-section = en-tête de section mal formé { $line }
processes-inf-not-an-entry = ni une entrée `clé=valeur` ni une [section] : { $line }
processes-inf-no-key = entrée sans clé : { $line }
processes-inf-before-first-section = entrée avant la première [section] : { $line }
processes-inf-service-without-section = le service { $service } n’a pas de section [{ $service }]
processes-inf-provider-without-section = le service { $service } cite le fournisseur { $provider }, qui n’a pas de section
processes-inf-empty-dll-name = PR_PROVIDER_DLL_NAME vide
processes-inf-unknown-resource-type = PR_RESOURCE_TYPE inconnu { $value }

## La commande processes (sortie lisible ; --json ne change pas).
processes-cli-warning = mapi-shutdown : avertissement : { $warning }
processes-cli-uninspected = mapi-shutdown : remarque : les modules de { $count } processus n’ont pas pu être lus (dont { $denied } pour accès refusé) : il peut s’agir de processus MAPI. Exécutez en tant qu’administrateur (root sous Linux) pour les inspecter, ou utilisez --all pour les lister.
processes-cli-uninspected-root = mapi-shutdown : remarque : les modules de { $count } processus n’ont pas pu être lus (dont { $denied } pour accès refusé), même en tant que root (un processus d’un autre espace de noms ou conteneur, ou qui s’est terminé entre-temps) : il peut s’agir de processus MAPI ; --all les liste avec la raison.
processes-cli-find-dll-empty = --find-dll attend un nom de DLL (mso.dll, ou mso)
processes-cli-dll-not-loaded = Aucun processus n’a chargé { $dll }.
processes-cli-no-mapi = Aucun processus MAPI trouvé (un processus ayant chargé une DLL de sous-système MAPI).
processes-cli-catalog-extended = Catalogue des fournisseurs complété par { $files }.
processes-cli-col-pid = PID
processes-cli-col-name = NOM
processes-cli-col-user = UTILISATEUR
processes-cli-col-memory = MÉMOIRE
processes-cli-col-subsystem = SOUS-SYSTÈME
processes-cli-col-providers = FOURNISSEURS
processes-cli-provider-counts = { $transport } xp / { $address_book } ab / { $message_store } ms
processes-cli-instrumented = { $providers }, instrumenté
processes-capture = Capturer l’arrêt
processes-capture-tooltip = Charger l’agent de capture dans ce processus : ses sessions MAPI ouvertes à partir de maintenant, et leur arrêt, apparaissent dans le panneau En direct. Les sessions déjà ouvertes ne sont pas vues : pour tout voir, démarrez le client avec « Lancer avec capture… » dans le panneau En direct (docs/capture.md).
