## The Reports panel.

reports-heading = Rapports
reports-intro = Un instantané de cet ordinateur et de cet utilisateur, pour un ticket ou un audit.
reports-show-in-folder = Afficher dans le dossier

## Content.

reports-content = Contenu
reports-policy = Stratégie et compléments
reports-policy-hint = FastShutdownBehavior et les autres valeurs de chaque version d’Office
reports-processes = Processus MAPI et leurs fournisseurs
reports-scanning = Analyse des processus…
reports-sessions = Sessions d’arrêt :
reports-sessions-all = Toutes ({ $count })
reports-sessions-selected = Sélectionnées dans le panneau En direct ({ $count })
reports-sessions-of-process = D’un processus :
reports-choose = choisir
reports-process-combo = Processus du rapport
reports-sessions-none = Aucune

## Format and export.

reports-format = Format
reports-hint-html = Une page autonome : à ouvrir, imprimer ou joindre
reports-hint-csv = Une ligne par appel, pour Excel
reports-hint-json = Le rapport complet, pour les scripts (docs/reports.md)
reports-hint-chrome = S’ouvre dans Perfetto (ui.perfetto.dev) et chrome://tracing
reports-bom = Marque d’ordre d’octet UTF-8 (pour Excel)
reports-export = Exporter…
reports-export-hint = Choisir où enregistrer le rapport ({ $shortcut })
reports-exporting = Exportation…
reports-dialog-title = Exporter le rapport en { $format }
reports-exported = { $format } exporté ({ $size }) vers { $path }.
reports-not-written = Le rapport n’a pas été écrit : { $error }. Aucun fichier n’a été laissé.
reports-cannot-start = Impossible de démarrer l’exportation : { $error }

## Preview.

reports-preview-taken = Pris le { $taken_at } sur { $host } par { $user } ({ $os }), { $product }
reports-preview-policy = Stratégie ({ $store })
reports-preview-office = Office { $office } ({ $products }) : { $values }
reports-preview-nothing-configured = rien de configuré
reports-preview-addins = { $count ->
    [one] { $count } complément COM
   *[other] { $count } compléments COM
}
reports-preview-processes = Processus MAPI ({ $count })
reports-preview-process = { $count ->
    [one] { $name } (pid { $pid }) : { $count } fournisseur
   *[other] { $name } (pid { $pid }) : { $count } fournisseurs
}
reports-preview-sessions = Sessions d’arrêt ({ $count })
reports-preview-no-sessions = Aucune choisie, ou aucune reçue pour l’instant.
reports-preview-session = { $count ->
    [one] { $label } : { $count } appel
   *[other] { $label } : { $count } appels
}
reports-preview-task = Aperçu du rapport
reports-building = Mise à jour de l’aperçu…
reports-format-leaves-out = { $format } ne contient pas : { $what }. Choisissez HTML ou JSON pour les garder.
