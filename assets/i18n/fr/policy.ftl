## policy: fr

## Policy values: ADMX policy names and option labels (outlk16.adml).
## An administrator looks a policy up by the name the Group Policy editor
## shows, so these are the template's own names, letter for letter. The
## French outlk16.adml was not found in any source we could read (searched
## 2026-12-07: Microsoft Learn in French, admx.help, public repositories;
## docs/i18n.md), so the English template's names are shown, and every
## message that shows one says so ("nom du modèle anglais"). Replace them
## with the French template's strings only from that template itself.

policy-admx-fast-shutdown-providers = Configure fast shutdown behavior
policy-admx-fast-shutdown-addins = Configure fast shutdown behavior for add-ins
policy-admx-prevent-external-references = Prevent shutdown if external references exist
policy-admx-option-opt-out = MAPI provider does not support
policy-admx-option-opt-in = All MAPI providers support
policy-admx-option-never = Never
policy-admx-state-not-configured = Non configuré
policy-admx-state-enabled = Activé
policy-admx-state-disabled = Désactivé
policy-admx-state-enabled-option = Activé, « { $option } » (nom du modèle anglais)
policy-admx-state-line = ADMX : { $state }
policy-admx-policy = ADMX : « { $policy } » (nom du modèle anglais)

## What each value controls, and the words `policy set` accepts.

policy-summary-fast-shutdown = la réponse du sous-système MAPI à l’appel QueryFastShutdown d’un client
policy-summary-addins = si Outlook appelle OnBeginShutdown/OnDisconnection de ses compléments COM lors de l’arrêt
policy-summary-external-references = si Outlook s’arrête pendant que d’autres programmes détiennent des références vers lui (inversé : 0 empêche l’arrêt)
policy-summary-require-notification = si ce complément reçoit les rappels d’arrêt bloquants (KB 2790282)
policy-choices-fast-shutdown = 0|opt-out, 1|opt-in ou 2|disabled
policy-choices-addins = 1|on (appeler les compléments) ou 0|off
policy-choices-external-references = 1|on|allow (s’arrêter quand même) ou 0|off|prevent (bloquer l’arrêt)
policy-choices-require-notification = 1|on ou 0|off

## What the subsystem or Outlook does under each setting.

policy-meaning-fast-shutdown-opt-out = exclusion (opt-out) : le sous-système répond S_OK sauf si le QueryFastShutdown d’un fournisseur renvoie une erreur ; les fournisseurs sans IMAPIProviderShutdown ne bloquent pas
policy-meaning-fast-shutdown-opt-in = adhésion (opt-in) : S_OK seulement si chaque fournisseur implémente IMAPIProviderShutdown et répond S_OK ; tout autre fournisseur fait répondre MAPI_E_NO_SUPPORT
policy-meaning-fast-shutdown-disabled = désactivé : le sous-système répond MAPI_E_NO_SUPPORT et n’appelle jamais QueryFastShutdown ni DoFastShutdown d’un fournisseur ; Outlook suit le chemin normal, plus lent
policy-meaning-addins-off = Outlook n’appelle pas OnBeginShutdown/OnDisconnection sur ses compléments COM (rapide)
policy-meaning-addins-on = Outlook appelle OnBeginShutdown et OnDisconnection sur chaque complément COM (le comportement d’Outlook 2007, plus lent)
policy-meaning-external-references-prevent = Outlook ne s’arrête pas tant que d’autres programmes détiennent des références vers lui
policy-meaning-external-references-allow = Outlook s’arrête même si d’autres programmes détiennent des références vers lui (les références externes sont ignorées)
policy-meaning-require-notification-off = aucun rappel d’arrêt bloquant pour ce complément
policy-meaning-require-notification-on = Outlook donne à ce complément les rappels d’arrêt bloquants ; l’arrêt l’attend (plus lent, KB 2790282)
policy-meaning-not-configured = non configuré, donc { $meaning }
policy-meaning-invalid-subsystem = données non valides : le sous-système les traite comme absentes, donc { $meaning }
policy-meaning-invalid-outlook = données non valides : leur traitement par Outlook n’est pas documenté ; supposées ignorées comme une valeur absente, donc { $meaning }

## Invalid data: why, and the fix.

policy-reason-out-of-range = le DWORD { $value } est hors plage : seules les valeurs 0 à { $max } sont définies
policy-reason-wrong-type = { $data_type } n’est pas le bon type : { $name } doit être un REG_DWORD
policy-fix-require-notification = { $command } (un REG_DWORD valide pour ce qui s’applique maintenant ; --require-shutdown-notification on écrit 1)
policy-fix-policy = mapi-shutdown policy unset { $name }{ $office_arg } (retour à « non configuré »), ou mapi-shutdown policy set { $name } <{ $choices }>{ $office_arg }
policy-error-unknown-value = `{ $name }` n’est pas une valeur de stratégie d’arrêt : utilisez FastShutdownBehavior, AddinFastShutdownBehavior ou allowshutdownwithexternalreferences (casse indifférente)
policy-error-bad-setting = `{ $given }` n’est pas une valeur valide de { $name } : utilisez { $choices }

## Registry data in words.

policy-data-absent = non configuré (absent)
policy-data-invalid = { $data } (non valide)

## LoadBehavior of a COM add-in.

policy-load-behavior-0 = 0 : déchargé, non chargé au démarrage
policy-load-behavior-1 = 1 : chargé, non chargé au démarrage
policy-load-behavior-2 = 2 : chargé au démarrage, actuellement non chargé
policy-load-behavior-3 = 3 : chargé au démarrage
policy-load-behavior-8 = 8 : chargé à la demande, non chargé
policy-load-behavior-9 = 9 : chargé à la demande, chargé
policy-load-behavior-16 = 16 : chargé la première fois, puis à la demande
policy-load-behavior-undocumented = { $value } : valeur de LoadBehavior non documentée
policy-load-behavior-wrong-type = { $data_type } : LoadBehavior doit être un REG_DWORD

## Import: what is refused, and why.

policy-refused-key-deletion = la suppression d’une clé entière est refusée : supprimez les valeurs une à une avec "Name"=-
policy-refused-hive = ni sous HKEY_CURRENT_USER ni sous HKEY_LOCAL_MACHINE
policy-refused-per-user = la stratégie d’arrêt est par utilisateur : seule la clé Shutdown de HKEY_CURRENT_USER est importée
policy-refused-not-shutdown-key = pas une clé de paramètres d’arrêt
policy-refused-with-values = { $what } ({ $count ->
    [one] { $count } valeur non importée
   *[other] { $count } valeurs non importées
})
policy-refused-addin-missing = ce complément n’est pas inscrit dans le Registre (sa clé n’existe pas) ; l’importation ne crée pas de clés de complément
policy-refused-not-policy-value = pas une valeur de stratégie d’arrêt (seules FastShutdownBehavior, AddinFastShutdownBehavior et allowshutdownwithexternalreferences sont importées)
policy-refused-addin-value = seule RequireShutdownNotification est importée pour un complément
policy-refused-invalid-data = données non valides { $data } : { $reason }
policy-refused-pol-instruction = l’instruction de stratégie de groupe { $instruction } n’est pas appliquée par une importation (seules les valeurs définies, et les suppressions par **del., **DeleteValues ou **delvals., le sont)

## Access denied.

policy-access-denied-advice =
    Écrire ici demande plus de droits (HKCU\Software\Policies n’est en général accessible en écriture qu’aux administrateurs). Autres possibilités :
    {"  "}- exécutez mapi-shutdown en tant qu’administrateur (« Exécuter en tant qu’administrateur ») et relancez la commande ;
    {"  "}- écrivez les valeurs dans un fichier .reg (`mapi-shutdown policy export FILE`, modifiez-le), puis importez-le avec élévation : `reg import FILE` ou double-cliquez dessus en tant qu’administrateur ;
    {"  "}- déployez le paramètre par stratégie de groupe : outlk16.admx, Configuration utilisateur > Modèles d’administration > Microsoft Outlook 2016 > Miscellaneous > Miscellaneous, « Configure fast shutdown behavior » (nom du modèle anglais ; voir docs/policy.md).

## Policy panel: toolbar.

policy-title = Stratégie d’arrêt rapide
policy-reload = Recharger
policy-reload-hover = Relire le Registre ({ $shortcut })
policy-import = Importer un .reg ou un .pol…
policy-import-hover = Examiner et appliquer les valeurs d’arrêt d’un fichier regedit ou d’un Registry.pol de stratégie de groupe ({ $shortcut })
policy-export = Exporter en .reg…
policy-export-hover = Enregistrer les valeurs d’arrêt de chaque version et les paramètres des compléments dans un fichier regedit ({ $shortcut })
policy-gpo-menu = Stratégie de groupe
policy-export-pol = Exporter un Registry.pol…
policy-export-pol-hover = Enregistrer les trois stratégies de chaque version d’Office qui en a dans un Registry.pol de stratégie de groupe, pour le User\Registry.pol d’un GPO (seulement ce qui est configuré)
policy-export-pol-delete = Exporter un Registry.pol qui supprime ce qui n’est pas configuré…
policy-export-pol-delete-hover = De même, avec un enregistrement de suppression (**del.) pour chaque stratégie non configurée, afin que le GPO retire une valeur définie auparavant
policy-export-pol-one-version = Une seule version d’Office
policy-export-pol-version = Office { $version }…
policy-export-pol-version-delete = Office { $version }, en supprimant ce qui n’est pas configuré…
policy-gpo-menu-import-hint = Pour voir ce que définit un GPO, importez son User\Registry.pol avec « Importer un .reg ou un .pol… ».
policy-gpo-note = Sous Software\Policies : sur un ordinateur joint à un domaine, la stratégie de groupe possède ces valeurs et les réécrit à sa prochaine actualisation. Éditeur de stratégie de groupe : Configuration utilisateur > Modèles d’administration > { $product } > Miscellaneous > Miscellaneous ({ $template } ; noms du modèle anglais).
policy-report = Rapport…
policy-report-hover = Un rapport de stratégie (les valeurs de chaque version et leur signification, les compléments) en HTML, CSV, JSON ou trace Chrome (panneau Rapports)
policy-undo = Annuler la dernière modification
policy-undo-hover = Restaurer les valeurs sauvegardées avant la dernière modification appliquée
policy-undo-disabled-hover = Aucune modification appliquée à ce Registre à annuler

## Policy panel: message banner.

policy-dismiss = Fermer
policy-export-pending = Exporter les modifications en attente en .reg…
policy-export-pending-hover = Les enregistrer dans un fichier à importer en tant qu’administrateur

## Policy panel: import review.

policy-import-title = Importer { $path }
policy-import-pol-title = Importer le fichier de stratégie de groupe { $path } (ses clés s’appliquent à HKEY_CURRENT_USER)
policy-import-group-version = Office { $version }
policy-import-group-addins = Compléments
policy-import-nothing = Rien à modifier : le fichier correspond au Registre.
policy-import-changes = { $count ->
    [one] L’importation modifie { $count } valeur :
   *[other] L’importation modifie { $count } valeurs :
}
policy-import-same = { $count ->
    [one] { $count } valeur contient déjà les données du fichier.
   *[other] { $count } valeurs contiennent déjà les données du fichier.
}
policy-import-refused = { $count ->
    [one] { $count } entrée non importée (seules les valeurs d’arrêt le sont) :
   *[other] { $count } entrées non importées (seules les valeurs d’arrêt le sont) :
}
policy-import-refused-entry = { $what } : { $reason }
policy-apply-import = Appliquer l’importation
policy-cancel-import = Annuler l’importation

## Policy panel: pending changes.

policy-pending-title = { $count ->
    [one] { $count } modification en attente, pas encore écrite
   *[other] { $count } modifications en attente, pas encore écrites
}
policy-apply = Appliquer
policy-apply-hover = Sauvegarder les valeurs actuelles, puis écrire celles-ci ({ $shortcut })
policy-revert = Rétablir
policy-revert-hover = Abandonner ces modifications ({ $shortcut })
policy-pending-badge = En attente : { $change }
policy-pending-badge-lower = en attente : { $change }

## Policy panel: one card per Office version.

policy-read-error = Impossible de lire la stratégie
policy-version-title = Office { $version } · { $products }
policy-outlook-installed = Outlook installé pour cet utilisateur
policy-outlook-not-found = Outlook introuvable pour cet utilisateur
policy-radio-name = Office { $version } { $name } : { $label }
policy-not-configured = Non configuré
policy-not-configured-hover = ADMX : Non configuré ; la valeur est supprimée
policy-option-opt-out = Exclusion (0)
policy-option-opt-in = Adhésion (1)
policy-option-disabled = Désactivé (2)
policy-option-addins-off = Désactivé (0) : ignorer les rappels des compléments
policy-option-addins-on = Activé (1) : appeler les compléments à l’arrêt
policy-option-prevent = Empêcher l’arrêt (0)
policy-option-allow = Autoriser l’arrêt (1)
policy-state-configured = Configuré
policy-state-invalid = Données non valides
policy-stored-data = Données stockées : { $data } — { $reason }
policy-not-valid = pas un paramètre valide
policy-fix-delete = Corriger : supprimer la valeur non valide { $name } (retour à « non configuré »)
policy-fix-hover = Écrit immédiatement, avec une sauvegarde ; Annuler restaure les données non valides

## Policy panel: COM add-ins.

policy-addins-title = Compléments COM
policy-addins-intro = Les compléments d’Outlook sous HKCU et HKLM Software\Microsoft\Office\Outlook\Addins. RequireShutdownNotification=1 donne à un complément les rappels d’arrêt bloquants (KB 2790282).
policy-addins-read-error = Impossible de lire les compléments
policy-addins-none = Aucun complément COM n’est inscrit pour Outlook dans ce Registre.
policy-addins-warning = Activer RequireShutdownNotification fait attendre ce complément par Outlook à chaque arrêt : l’arrêt devient plus lent. Ne l’activez que pour un complément qui doit enregistrer des données à la fermeture d’Outlook.
policy-addins-col-addin = Complément
policy-addins-col-registered = Inscrit dans
policy-addins-col-notification = Notification d’arrêt
policy-addin-place-wow64 = { $hive } (Office 32 bits)
policy-not-set = non défini
policy-on = Activé
policy-off = Désactivé
policy-addin-checkbox-name = RequireShutdownNotification de { $prog_id } ({ $place })
policy-fix-delete-value = Corriger : supprimer la valeur non valide
policy-fix-value-hover = Stocké : { $data }. Écrit immédiatement, avec une sauvegarde.

## Policy panel: history and undo.

policy-history-title = Historique et annulation
policy-history-intro = Chaque écriture sauvegarde d’abord les valeurs qu’elle modifie dans un fichier .reg dans { $dir }.
policy-history-empty = Aucune modification n’a encore été apportée à ce Registre.
policy-history-note = Les plus récentes d’abord. « Annuler la dernière modification » (en haut du panneau) restaure la modification la plus récente qui n’est pas encore annulée.
policy-history-undone = { $command } (annulée)
policy-history-was = { $name } valait { $data }

## Policy panel: what a command did.

policy-reverted = { $count ->
    [one] { $count } modification en attente abandonnée ; rien n’a été écrit.
   *[other] { $count } modifications en attente abandonnées ; rien n’a été écrit.
}
policy-restored = { $count ->
    [one] { $count } valeur restaurée depuis la sauvegarde du { $created }.
   *[other] { $count } valeurs restaurées depuis la sauvegarde du { $created }.
}
policy-undid = Annulé : { $command }
policy-export-dialog = Exporter la stratégie d’arrêt
policy-exported = Exporté vers { $path }
policy-exported-detail = Les valeurs d’arrêt de chaque version d’Office et le RequireShutdownNotification des compléments, tels que regedit les écrit (UTF-16).
policy-export-failed = L’exportation a échoué ; aucun fichier n’a été écrit.
policy-export-pol-dialog = Exporter les stratégies d’arrêt pour la stratégie de groupe
policy-exported-pol = { $values ->
    [one] { $values } valeur de stratégie exportée
   *[other] { $values } valeurs de stratégie exportées
} et { $deletions ->
    [one] { $deletions } suppression
   *[other] { $deletions } suppressions
} vers { $path }
policy-exported-pol-detail = Placez-le dans le GPO comme User\Registry.pol (\\DOMAINE\SYSVOL\DOMAINE\Policies\{"{"}GUID{"}"}\User\Registry.pol), ou importez-le sur un autre ordinateur. Le RequireShutdownNotification des compléments n’est pas une stratégie et n’y figure pas.
policy-exported-pol-skipped = { $count ->
    [one] { $count } valeur aux données non valides a été omise ; corrigez-la d’abord :
   *[other] { $count } valeurs aux données non valides ont été omises ; corrigez-les d’abord :
} { $list }
policy-save-pending-dialog = Enregistrer les modifications en attente dans un fichier .reg
policy-saved-pending = { $count ->
    [one] { $count } modification en attente enregistrée dans { $path }
   *[other] { $count } modifications en attente enregistrées dans { $path }
}
policy-saved-pending-detail = Importez-le en tant qu’administrateur : `reg import "{ $path }"` dans une invite de commandes avec élévation, ou double-cliquez dessus et acceptez l’invite du contrôle de compte d’utilisateur. Les modifications restent en attente ici.
policy-file-not-written = Impossible d’écrire le fichier.
policy-import-dialog = Importer des paramètres d’arrêt depuis un fichier .reg ou un Registry.pol de stratégie de groupe
policy-import-failed = { $path } ne peut pas être importé.
policy-nothing-to-write = Rien à écrire : le Registre contient déjà ces valeurs.
policy-written = { $count ->
    [one] { $count } valeur écrite et relue.
   *[other] { $count } valeurs écrites et relues.
}
policy-written-backup = Les valeurs précédentes sont sauvegardées dans { $path } ; « Annuler la dernière modification » les restaure.
policy-access-denied = Accès refusé : rien n’a été écrit.
policy-concurrent-change = Un autre programme a modifié cette valeur depuis son affichage : rien n’a été écrit.
policy-concurrent-detail = Recharger (F5) affiche les valeurs actuelles ; vos modifications en attente sont conservées et partent de celles-ci.
policy-nothing-to-undo = Rien à annuler.
policy-write-failed = L’écriture a échoué.

## `policy` and `addins` commands (human output).

policy-cli-bad-expect = `{ $text }` n’est pas une valeur attendue : utilisez absent, un nombre ou dword:XXXXXXXX
policy-cli-expect-mismatch = { $at } vaut { $found }, et non { $expected } comme l’indiquait --expect : rien n’a été écrit
policy-cli-expect-again = Pour le modifier malgré tout, relancez la commande avec --expect { $expect }.
policy-cli-expect-again-without = Pour le modifier malgré tout, relancez la commande sans --expect.
policy-cli-state-not-configured = non configuré (en vigueur : { $effective })
policy-cli-state-invalid = NON VALIDE { $data } (en vigueur : { $effective })
policy-cli-installed = installé
policy-cli-not-installed = non installé pour cet utilisateur (pas de { $key })
policy-cli-version = Office { $version } ({ $products }) : { $installed }
policy-cli-key-absent = { $key } (clé absente)
policy-cli-why-invalid = pourquoi non valide : { $reason }
policy-cli-admx = ADMX « { $policy } » (nom du modèle anglais)
policy-cli-admx-state = ADMX « { $policy } » (nom du modèle anglais) : { $state }
policy-cli-fix = correction : { $fix }
policy-cli-store = Registre : { $store }
policy-cli-unchanged-value = { $data } (inchangé)
policy-cli-backup = Sauvegarde des valeurs précédentes : { $path } (`mapi-shutdown policy undo` les restaure)
policy-cli-nothing-to-write-in = Rien à écrire dans { $store } : chaque valeur contient déjà ces données.
policy-cli-written-to = Écrit dans { $store } (vérifié par relecture) :
policy-cli-unchanged = Inchangées :
policy-cli-changes = Modifications :
policy-cli-note-not-installed = remarque : Outlook { $version } n’est pas installé pour cet utilisateur (pas de { $key }) ; sa stratégie est écrite quand même
policy-cli-exported = { $values ->
    [one] { $values } valeur
   *[other] { $values } valeurs
} dans { $keys ->
    [one] { $keys } clé
   *[other] { $keys } clés
} exportées de { $store } vers { $path }
policy-cli-import-title = Importation de { $path } dans { $store } :
policy-cli-import-pol-title = Importation du fichier de stratégie de groupe { $path } (ses clés sous HKEY_CURRENT_USER) dans { $store } :
policy-cli-exported-pol = { $values ->
    [one] { $values } valeur de stratégie exportée
   *[other] { $values } valeurs de stratégie exportées
} et { $deletions ->
    [one] { $deletions } suppression
   *[other] { $deletions } suppressions
} de { $store } vers le fichier de stratégie de groupe { $path } (pour le User\Registry.pol d’un GPO)
policy-cli-pol-skipped-invalid = avertissement : { $at } contient des données non valides ({ $data }) : non exportées ; corrigez-les d’abord (`mapi-shutdown policy show`)
policy-cli-delete-unset-pol-only = --delete-unset écrit des enregistrements « delete » de stratégie de groupe : utilisez-le avec --format pol (ou un FICHIER se terminant par .pol)
policy-cli-import-empty = aucun paramètre d’arrêt dans le fichier
policy-cli-refused-foreign-title = Refusé, pas des paramètres d’arrêt (clés et valeurs étrangères ; non importé) :
policy-cli-refused-invalid-title = Refusé, données non valides pour un paramètre d’arrêt (non importé) :
policy-cli-refused-not-writable-title = Refusé, clés d’arrêt que l’importation n’écrit pas ainsi (non importé) :
policy-cli-refused-value = { $key } valeur "{ $value }" : { $reason }
policy-cli-refused-warning = avertissement : { $count ->
    [one] { $count } entrée de { $path } refusée
   *[other] { $count } entrées de { $path } refusées
} (voir la liste ci-dessus)
policy-cli-nothing-imported = rien n’a été importé : chaque entrée de { $path } a été refusée (voir la liste ci-dessus)
policy-cli-dry-run = Simulation : rien n’a été écrit.
policy-cli-nothing-to-write = Rien à écrire : chaque valeur contient déjà ces données.
policy-cli-imported = { $count ->
    [one] { $count } valeur importée dans { $store } (vérifiée par relecture).
   *[other] { $count } valeurs importées dans { $store } (vérifiées par relecture).
}
policy-cli-no-backups = Aucune sauvegarde dans { $dir }.
policy-cli-no-backups-of = Aucune sauvegarde de { $store } dans { $dir }.
policy-cli-backups-in = Sauvegardes dans { $dir } (les plus récentes d’abord) :
policy-cli-backups-of = Sauvegardes de { $store } dans { $dir } (les plus récentes d’abord) :
policy-cli-backups-other = { $count ->
    [one] { $count } autre sauvegarde, d’un autre Registre : `mapi-shutdown policy history --all` l’affiche.
   *[other] { $count } autres sauvegardes, d’autres Registres : `mapi-shutdown policy history --all` les affiche.
}
policy-cli-backup-undone = annulée
policy-cli-backup-redone = rétablie
policy-cli-backup-by-undo = prise par une annulation
policy-cli-backup-by-redo = prise par un rétablissement
policy-cli-restored = Sauvegarde { $id } ({ $command }) restaurée dans { $store } :
policy-cli-already-as-backup = Déjà comme dans la sauvegarde :
policy-cli-marked-undone = Marquée comme annulée : { $path }
policy-cli-marked-redone = Marquée comme rétablie : { $path }
policy-cli-undo-backup = Les valeurs que cette annulation a remplacées : { $path } (`mapi-shutdown policy redo` les restaure)
policy-cli-redo-backup = Les valeurs que ce rétablissement a remplacées : { $path } (`mapi-shutdown policy undo` les restaure)
policy-cli-undo-removed-key = { $key } supprimée : la modification l’avait créée et elle est de nouveau vide
policy-cli-undo-last = C’était la plus ancienne modification enregistrée de { $store } : rien de plus ancien à annuler.
policy-cli-redo-last = C’était la dernière annulation de { $store } : plus rien à rétablir.
policy-cli-nothing-to-undo = rien à annuler dans { $store } : aucune modification n’en est sauvegardée dans { $dir }
policy-cli-nothing-to-undo-all-undone = rien à annuler dans { $store } : { $count ->
    [one] sa seule modification sauvegardée dans { $dir } est annulée
   *[other] ses { $count } modifications sauvegardées dans { $dir } sont toutes annulées
} ; `mapi-shutdown policy redo` rétablit la dernière annulée
policy-cli-nothing-to-redo = rien à rétablir dans { $store } : aucune annulation depuis la dernière modification
policy-cli-undo-refused-title = Non restauré (pas des paramètres d’arrêt) :
policy-cli-undo-refused-warning = avertissement : { $count ->
    [one] { $count } entrée de la sauvegarde { $path } non restaurée
   *[other] { $count } entrées de la sauvegarde { $path } non restaurées
} (voir la liste ci-dessus) : l’annulation n’écrit que des paramètres d’arrêt
policy-cli-warning = avertissement : { $message }
policy-cli-addins-none = Aucun complément COM inscrit pour Outlook.
policy-cli-absent = absent
policy-cli-view-hkcu = --view wow6432node n’existe que sous --hive hklm (HKCU est partagé par les deux vues)
policy-cli-or = {" "}ou{" "}
policy-cli-no-addin = aucun complément { $prog_id } sous { $places } dans { $store } (voir `mapi-shutdown addins list`)
policy-cli-addin-elsewhere = Il est inscrit sous { $key } : ajoutez { $args }.
policy-cli-both-views = { $prog_id } est inscrit dans les deux vues de HKLM : choisissez --view native ou --view wow6432node
policy-cli-addin-written = { $before } -> { $after } (vérifié par relecture) dans { $store }
policy-cli-addin-backup = Sauvegarde de la valeur précédente : { $path } (`mapi-shutdown policy undo` la restaure)
policy-cli-addin-already = { $at } contient déjà { $data } : rien n’a été écrit
