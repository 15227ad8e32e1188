## Messages de la ligne de commande communs à plusieurs commandes.

cli-store-open-failed = impossible d’ouvrir le Registre { $store } : { $error }
cli-no-gui = cette version n’a pas de fenêtre (compilée sans la fonctionnalité `gui`) ; utilisez une sous-commande, voir `mapi-shutdown --help`.
cli-bad-scenario = scénario incorrect : { $error }
cli-warning = avertissement : { $message }
cli-simulate-killed = client arrêté de force { $ms } ms après le début de DoFastShutdown, comme le demandait le scénario (code de sortie { $code })
cli-summary-print-failed = impossible d’afficher le résumé : { $error }
cli-concurrent-change = Quelque chose d’autre l’a modifiée ; exécutez `mapi-shutdown policy show` et répétez la commande si vous voulez toujours la modifier.
cli-json-encode-failed = impossible d’encoder le JSON : { $error }
cli-bad-office = `{ $given }` n’est pas une version d’Office connue de cet outil : utilisez 14.0, 15.0 ou 16.0, ou le produit : 2010 (14.0), 2013 (15.0), 2016, 2019, 2021 ou 365 (16.0)
cli-bad-export-format = `{ $given }` n’est pas un format d’exportation : utilisez reg (un fichier regedit) ou pol (un fichier Registry.pol de stratégie de groupe)
cli-env-invalid = { $var }={ $value } : { $error }
cli-stdout-failed = impossible d’écrire sur la sortie standard : { $error }

## capture (src/cli/capture.rs)
capture-windows-only = l’agent de capture instrumente les clients MAPI Windows : lancez la version Windows de mapi-shutdown (sous Wine pour l’essayer sous Linux)
capture-not-loaded = impossible de charger l’agent de capture dans le processus { $pid } : { $reason }
capture-not-resumed = impossible de relancer le processus { $pid } après le chargement de l’agent : { $error }
capture-launched = capture de { $program } (pid { $pid }, { $bits } bits) depuis son démarrage : sa trace va au moniteur (mapi-shutdown watch, ou le panneau En direct), sinon au répertoire de spool
capture-client-exited = le client (pid { $pid }) s’est terminé avec le code { $code }
capture-attached = agent de capture chargé dans le processus { $pid } ({ $bits } bits). Attachement tardif : les sessions ouvertes et les fournisseurs chargés avant ce moment ne figurent pas dans sa trace ; l’arrêt des sessions ouvertes à partir de maintenant, si.
capture-already = l’agent de capture est déjà dans le processus { $pid } : rien à faire (un agent par processus)
capture-task-attach = capture du processus { $pid }
capture-task-launch = démarrage de { $program } avec capture
capture-client-ended = { $program } (pid { $pid }) s’est terminé avec le code de sortie { $code } ; sa séquence d’arrêt, s’il en a eu une, est sélectionnée ci-dessous
capture-client-ended-no-code = { $program } (pid { $pid }) s’est terminé ; sa séquence d’arrêt, s’il en a eu une, est sélectionnée ci-dessous
capture-client-wait-failed = impossible d’attendre la fin de { $program } (pid { $pid }) : { $error }. Son arrêt parvient tout de même au moniteur.
capture-task-running = { $program } (pid { $pid }) s’exécute avec capture
capture-watch-not-listening = le moniteur de --watch n’a pas commencé à écouter en 30 s
capture-watch-nothing = aucun arrêt MAPI n’a été capturé sur le client (il n’a ouvert aucune session MAPI, ou son sous-système n’a pas été trouvé)

## erreurs d’analyse de clap (src/cli/clap_text.rs)
cli-error-invalid-value = valeur « { $value } » invalide pour « { $arg } »
cli-error-possible-values = valeurs possibles : { $values }
cli-error-value-validation = valeur « { $value } » invalide pour « { $arg } » : { $reason }
cli-error-unknown-argument = argument inattendu « { $arg } »
cli-error-did-you-mean = vouliez-vous dire « { $suggestion } » ?
cli-error-unknown-command = commande inconnue « { $command } »
cli-error-missing-argument = arguments requis absents : { $args }
cli-error-missing-command = une commande est requise
cli-error-conflict = « { $arg } » ne peut pas être utilisé avec « { $other } »
cli-error-values-count = nombre de valeurs incorrect pour « { $arg } »
cli-usage = Utilisation : { $usage }
cli-more-help = Pour plus d’informations, essayez « --help ».
