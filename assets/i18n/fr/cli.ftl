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
cli-env-invalid = { $var }={ $value } : { $error }
cli-stdout-failed = impossible d’écrire sur la sortie standard : { $error }
