## Le cadre de l’application : onglets, menus, barre d’état.

app-tab-policy = Stratégie
app-tab-processes = Processus
app-tab-live = En direct
app-tab-reports = Rapports

app-theme-menu = Thème
app-theme-system = Suivre le système
app-theme-light = Clair
app-theme-dark = Sombre

app-language-menu = Langue de la fenêtre (mémorisée ; --lang en choisit une pour une seule exécution)
app-language-system = Langue du système ({ $language })

app-status-registry = Registre :
app-status-registry-hint = Choisissez-en un autre avec --registry windows|file:CHEMIN|memory
app-status-endpoint-hint = Les clients MAPI instrumentés envoient ici les traces de leur arrêt
app-font-missing = Aucune police chinoise trouvée : le texte chinois s’affiche sous forme de cases. Installez Microsoft YaHei, Noto Sans CJK ou WenQuanYi.

## Pourquoi la fenêtre ne peut pas s’ouvrir (affiché dans la console).
app-error-no-renderer = impossible d’ouvrir la fenêtre : aucun moteur de rendu ne fonctionne sur cet ordinateur.
    { $first } : { $first_error }
    { $second } : { $second_error }
    Sous Windows via le Bureau à distance, Direct3D 12 (WARP) est nécessaire : vérifiez que le « Pilote de rendu de base Microsoft » est présent. Sans affichage (SSH, un service), utilisez la ligne de commande : `mapi-shutdown --help`.
app-error-no-display = pas d’affichage : ni DISPLAY ni WAYLAND_DISPLAY n’est défini, il n’y a donc aucun système de fenêtres où ouvrir la fenêtre. Lancez-la dans une session de bureau (ou sous `xvfb-run`), ou utilisez une sous-commande : `mapi-shutdown --help`.
app-error-retry = le moteur de rendu { $renderer } a échoué ({ $error }), et le redémarrage avec un autre a échoué : { $retry }

## Boîtes de dialogue de fichiers.
app-dialog-reg-files = Fichiers d’inscription
app-dialog-pol-files = Fichiers de stratégie de groupe
app-dialog-reg-pol-files = Fichiers d’inscription et de stratégie de groupe
app-dialog-all-files = Tous les fichiers
app-dialog-file-manager-failed = impossible de lancer le gestionnaire de fichiers : { $error }
app-task-running = En cours : { $task }
app-tasks-running = En cours : { $task } et { $more ->
    [one] une autre tâche
   *[other] { $more } autres tâches
}
app-task-failed = { $task } a échoué : { $error }. Ce qui était déjà enregistré n’a pas changé ; réessayez, et si l’échec se répète, signalez ce message.
app-task-not-started = Impossible de lancer le travail en arrière-plan : { $error }
