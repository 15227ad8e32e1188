## L’aide de la ligne de commande (`--help`) en français (src/cli/help_text.rs).
## L’anglais est celui des commentaires de documentation clap de src/main.rs
## et de src/cli/ ; ce catalogue n’existe qu’en français et en chinois.
## Clés : help[-sous-commande…] pour une commande, puis --argument pour un
## argument (son id clap, _ en -). Pas de point final : clap l’enlève de
## l’anglais. Voir docs/i18n.md, « Aide de la ligne de commande ».

## Les mots de clap.
clap-usage = Utilisation :
clap-commands = Commandes :
clap-arguments = Arguments :
clap-options = Options :
clap-print-help = Afficher l’aide
clap-print-help-short = Afficher l’aide (plus de détails avec « --help »)
clap-print-help-long = Afficher l’aide (un résumé avec « -h »)
clap-print-version = Afficher la version
clap-help-command = Afficher ce message ou l’aide des sous-commandes indiquées
clap-help-command-argument = Afficher l’aide des sous-commandes indiquées
clap-default = par défaut :
clap-possible-values = valeurs possibles :

## mapi-shutdown
help = Modifier, surveiller et expliquer l’arrêt rapide des clients MAPI (Outlook et les autres clients MAPI)
help--endpoint = Nom du point de terminaison local sur lequel le moniteur écoute et auquel les clients instrumentés se connectent (par défaut : MAPI_SHUTDOWN_ENDPOINT, sinon un par utilisateur)
help--registry = Registre : `windows`, `file:PATH` ou `memory` (par défaut : MAPI_SHUTDOWN_REGISTRY, sinon celui de la plateforme)
help--renderer = Moteur de rendu de la fenêtre quand aucune sous-commande n’est donnée : `auto` (wgpu sous Windows, OpenGL sous Wine et ailleurs, l’autre quand le premier ne peut pas démarrer), `wgpu` ou `glow`. MAPI_SHUTDOWN_RENDERER a priorité sur cette option
help--lang = Langue de la fenêtre et de la sortie destinée aux personnes : en, fr ou zh-CN (tout nom de paramètres régionaux convient : fr-CA, zh_TW.UTF-8). Par défaut : MAPI_SHUTDOWN_LANG, sinon le choix mémorisé par la fenêtre, sinon la langue de l’utilisateur du système. La sortie JSON est la même dans toutes les langues

## simulate
help-simulate = Exécuter un client MAPI décrit par un fichier de scénario (TOML, voir docs/scenarios.md) sur le sous-système instrumenté, dans ce processus : ses sessions et ses fournisseurs, l’arrêt qu’il effectue, la trace qu’il écrit ; puis afficher un résumé de chaque appel et indiquer si l’arrêt rapide a eu lieu. Code de sortie 0, 2 pour un scénario incorrect, 137 quand le scénario fait arrêter le client de force pendant DoFastShutdown
help-simulate--scenario = Le fichier de scénario (TOML)
help-simulate--fast-shutdown-behavior = Imposer la stratégie FastShutdownBehavior : 0|opt-out, 1|opt-in, 2|disabled. Sans cette option, la stratégie est lue dans le Registre (--registry) pour la version d’Office du scénario ; quand ce Registre ne peut pas être lu, la valeur par défaut documentée s’applique (opt-out)
help-simulate--trace-out = Écrire aussi la trace (JSON Lines) dans FILE. La trace est envoyée dans tous les cas au moniteur sur le point de terminaison (--endpoint) ; sans moniteur, elle est mise en file d’attente dans MAPI_SHUTDOWN_SPOOL_DIR si cette variable est définie, sinon abandonnée
help-simulate--json = Afficher le résumé sous la forme d’un seul document JSON au lieu de texte

## policy
help-policy = Lire, vérifier et modifier la stratégie d’arrêt rapide par utilisateur (FastShutdownBehavior, AddinFastShutdownBehavior, allowshutdownwithexternalreferences) d’Office 14.0, 15.0 et 16.0 dans le Registre (--registry), avec sauvegardes, annulation et importation/exportation .reg (docs/policy.md)
help-policy-show = Afficher la stratégie d’arrêt rapide de chaque version d’Office (14.0, 15.0, 16.0) : chaque valeur non configurée, valide ou non valide, avec ses données brutes, ce que le sous-système ou Outlook en fait, sa stratégie ADMX et une correction pour les données non valides
help-policy-show--office = Seulement cette version d’Office (14.0, 15.0, 16.0 ; ou 2010, 2013, 2016, 2019, 2021, 365)
help-policy-show--json = Afficher un seul document JSON
help-policy-set = Écrire une valeur de stratégie (un REG_DWORD), après avoir sauvegardé l’ancienne. NAME : FastShutdownBehavior, AddinFastShutdownBehavior ou allowshutdownwithexternalreferences (casse indifférente). VALUE : FastShutdownBehavior 0|opt-out, 1|opt-in, 2|disabled ; AddinFastShutdownBehavior 1|on (Outlook appelle OnBeginShutdown/OnDisconnection de ses compléments) ou 0|off ; allowshutdownwithexternalreferences 1|on|allow (arrêter même s’il existe des références externes ; la stratégie ADMX « Prevent shutdown if external references exist » (nom du modèle anglais) Désactivée) ou 0|off|prevent (bloquer l’arrêt ; cette stratégie ADMX Activée)
help-policy-set--name = Le nom de la valeur
help-policy-set--value = Le paramètre (nombre ou mot)
help-policy-set--office = La version d’Office (par défaut 16.0) : 14.0, 15.0, 16.0, ou 2010, 2013, 2016, 2019, 2021, 365
help-policy-set--expect = N’écrire que si la valeur vaut actuellement DATA (`absent`, un nombre ou `dword:XXXXXXXX`) ; sinon s’arrêter et afficher les deux
help-policy-unset = Supprimer une valeur de stratégie (retour à « non configuré »), après l’avoir sauvegardée
help-policy-unset--name = Le nom de la valeur (casse indifférente)
help-policy-unset--office = La version d’Office (par défaut 16.0) : 14.0, 15.0, 16.0, ou 2010, 2013, 2016, 2019, 2021, 365
help-policy-unset--expect = Ne supprimer que si la valeur vaut actuellement DATA (voir `set`)
help-policy-export = Exporter les paramètres d’arrêt dans un fichier .reg de regedit (UTF-16LE, ce que lisent `reg import` et regedit) : chaque version d’Office et RequireShutdownNotification des compléments, ou la clé de stratégie d’une seule version. Avec `--format pol` (ou un FILE qui se termine par .pol) : les trois stratégies dans un Registry.pol de stratégie de groupe, pour le User\Registry.pol d’un GPO (les compléments ne sont pas des stratégies et sont omis ; les données non valides sont omises et listées)
help-policy-export--file = Le fichier à écrire (.reg, ou Registry.pol avec --format pol)
help-policy-export--office = Seulement la clé de stratégie de cette version d’Office (14.0, 15.0, 16.0 ; ou 2010, 2013, 2016, 2019, 2021, 365)
help-policy-export--format = reg (regedit) ou pol (Registry.pol de stratégie de groupe). Par défaut : pol quand FILE se termine par .pol, sinon reg
help-policy-export--delete-unset = pol seulement : écrire un enregistrement de suppression (**del.) pour chaque stratégie non configurée, afin que le GPO retire une valeur définie auparavant
help-policy-import = Importer des paramètres d’arrêt depuis un fichier .reg ou un Registry.pol de stratégie de groupe (reconnu à son contenu) : afficher les différences avec les valeurs actuelles, puis n’appliquer que les valeurs d’arrêt (les trois valeurs de stratégie sous une clé Shutdown, RequireShutdownNotification sous la clé d’un complément inscrit) ; tout le reste est listé et refusé : les clés et valeurs étrangères et, en plus, les données non valides pour un paramètre d’arrêt. Les clés d’un Registry.pol s’appliquent à HKEY_CURRENT_USER (le User\Registry.pol d’un GPO). Code de sortie 0 quand tout a été importé, 3 quand des entrées ont été refusées (le reste importé), 1 quand rien n’a pu l’être
help-policy-import--file = Le fichier .reg (regedit 5 UTF-16 ou REGEDIT4) ou Registry.pol
help-policy-import--dry-run = Afficher les différences, ne rien écrire
help-policy-history = Lister les sauvegardes de ce Registre (--registry) faites avant les écritures, les plus récentes d’abord
help-policy-history--json = Afficher un seul document JSON
help-policy-history--all = Les sauvegardes de tous les Registres, pas seulement de celui-ci
help-policy-undo = Restaurer la sauvegarde la plus récente de ce Registre qui n’est pas encore annulée et la marquer comme annulée (une clé créée par la modification est de nouveau supprimée si elle est vide) ; indique quand il ne reste aucune modification plus ancienne
help-policy-redo = Réappliquer ce que la dernière annulation dans ce Registre a restauré, tant qu’aucune nouvelle modification n’est faite

## addins
help-addins = Lister les compléments COM d’Outlook et définir leur RequireShutdownNotification
help-addins-list = Lister les compléments COM d’Outlook (HKCU, HKLM, HKLM WOW6432Node) avec RequireShutdownNotification, LoadBehavior et FriendlyName
help-addins-list--json = Afficher un seul document JSON
help-addins-set = Définir la valeur RequireShutdownNotification d’un complément (1 lui donne les rappels d’arrêt bloquants et ralentit l’arrêt, KB 2790282), après avoir sauvegardé l’ancienne valeur. La clé du complément doit exister
help-addins-set--prog-id = Le ProgID du complément (le nom de sa clé)
help-addins-set--require-shutdown-notification = on (1) ou off (0)
help-addins-set--hive = hkcu ou hklm
help-addins-set--view = Sous HKLM : native ou wow6432node (Office 32 bits sur Windows 64 bits) ; par défaut : là où le complément est inscrit

## watch, analyze
help-watch = Écouter sur le point de terminaison (--endpoint) en tant que moniteur : afficher chaque client instrumenté quand il se connecte, puis son verdict d’arrêt quand sa connexion se ferme (résultat, raison, constatations, durée) ; éventuellement, enregistrer chaque flux (--out) pour `analyze` (docs/live-capture.md)
help-watch--json = Afficher un objet JSON par session terminée, un par ligne (JSON Lines), au lieu de texte
help-watch--out = Enregistrer chaque flux reçu dans FILE (`analyze` le lit)
help-watch--count = Quitter (0) après N sessions terminées (leur connexion fermée, quel que soit le résultat)
help-watch--timeout = Quitter (0) après SECS secondes avec ce qui est arrivé jusque-là
help-watch--event-log = Windows : écrire aussi un événement par séquence d’arrêt terminée (et un par constatation d’avertissement ou d’erreur) dans le journal d’événements Application, source « MAPI Shutdown » (docs/fleet.md)
help-analyze = Afficher les verdicts d’arrêt de traces enregistrées : un fichier de trace (simulate --trace-out), un enregistrement (watch --out) ou un répertoire de spool (MAPI_SHUTDOWN_SPOOL_DIR)
help-analyze--files = Fichiers de trace (`simulate --trace-out`), enregistrements (`watch --out`) ou répertoires de spool (`MAPI_SHUTDOWN_SPOOL_DIR`)
help-analyze--json = Afficher un seul document `{"{"}"sessions":[…]{"}"}`

## processes
help-processes = Lister les processus MAPI (une DLL de sous-système MAPI chargée : mapi32, olmapi32, msmapi32, exmapi32) avec leur sous-système et les fournisseurs MAPI qu’ils ont chargés ; --all pour tous les processus, --find-dll pour trouver les processus qui ont chargé une DLL (docs/processes.md)
help-processes--all = Lister tous les processus, pas seulement les processus MAPI (ceux qui ont chargé une DLL de sous-système MAPI) ; les processus dont les modules ne peuvent pas être lus sont affichés avec la raison (« accès refusé »)
help-processes--find-dll = Lister les processus qui ont chargé cette DLL (nom de fichier, casse indifférente ; `.dll` peut être omis), quels qu’ils soient
help-processes--json = Afficher un seul tableau JSON : `[{"{"}"pid","name","path","user","subsystem","providers","instrumented","modules_error",…{"}"}]`
help-processes--mapisvc = Compléter le catalogue des fournisseurs avec ce MAPISVC.INF (par défaut : celui qui se trouve à côté de chaque DLL de sous-système, sinon celui de System32)

## report
help-report = Écrire un rapport pour un ticket ou un audit : les sessions d’arrêt de traces, d’enregistrements ou de répertoires de spool, avec --policy la stratégie de chaque version d’Office et les paramètres des compléments, avec --processes les processus MAPI en cours d’exécution ; au format html, csv, json ou chrome (une trace Chrome pour Perfetto) (docs/reports.md)
help-report--traces = Fichiers de trace (`simulate --trace-out`), enregistrements (`watch --out`) ou répertoires de spool : leurs sessions d’arrêt entrent dans le rapport
help-report--format = Le format : html (une page autonome), csv (une ligne par appel), json (le rapport entier) ou chrome (JSON Chrome Trace Event pour Perfetto et chrome://tracing)
help-report--out = Le fichier à écrire (remplacé s’il existe ; écrit d’abord à côté, de sorte qu’un échec ne laisse rien derrière lui)
help-report--policy = Inclure la stratégie de chaque version d’Office et la valeur RequireShutdownNotification des compléments, lues dans le Registre (--registry). Pas avec csv (ses lignes sont des appels)
help-report--processes = Inclure les processus MAPI en cours d’exécution et leurs fournisseurs. html et json seulement
help-report--bom = CSV seulement : commencer le fichier par une marque d’ordre d’octets UTF-8, pour qu’Excel le lise en UTF-8
help-report--pid = Seulement les sessions de cet identificateur de processus
help-report--detail = Quelle part de chaque session garder : full (chaque appel, la chronologie et les constatations), summary (le résumé du parc et une ligne par session ; le csv est alors le tableau du parc) ou auto (full jusqu’à 200 sessions, summary au-delà). Le résumé du parc est ajouté dès que les sessions nomment plus d’une machine (les noms d’ordinateur des traces), et toujours avec summary
help-report--progress = Afficher la progression de la lecture sur stderr même quand ce n’est pas un terminal (sur un terminal, elle est toujours affichée)
help-report--threads = Threads qui lisent les fichiers (par défaut : un par processeur, 8 au plus)

## capture
help-capture = Capturer de vrais clients MAPI : `launch` démarre un client avec l’agent de capture chargé dès sa première instruction, `attach` le charge dans un client en cours d’exécution (Windows ; docs/capture.md). Les verdicts apparaissent dans `watch` et dans le panneau En direct
help-capture-launch = Démarrer un client MAPI avec l’agent de capture chargé avant sa première instruction, pour capturer toute sa vie (ouverture de session, fournisseurs, arrêt) ; attend sa fin et quitte avec son code de sortie. Sa trace va au moniteur (`mapi-shutdown watch` ou le panneau En direct), sinon au répertoire de spool (MAPI_SHUTDOWN_SPOOL_DIR)
help-capture-launch--watch = Être aussi le moniteur de ce client : afficher son verdict comme le fait `watch` quand son arrêt est terminé (un point de terminaison privé, de sorte qu’un `watch` ou un panneau En direct en cours ne le voit pas)
help-capture-launch--program = Le programme client et ses arguments (mettez `--` devant)
help-capture-attach = Charger l’agent de capture dans un client MAPI en cours d’exécution. Il voit les sessions ouvertes et les fournisseurs chargés à partir de maintenant, pas ceux ouverts avant
help-capture-attach--pid = L’identificateur de processus du client
