"""The French text of the demo curriculum, beside the English of mentoring/demo_data.py.

Keyed by the English topic name or goal template title; each goal template gives its
French title, description, evidence hint and milestones (one per English milestone).
"""

from __future__ import annotations

from typing import Any

# English topic name -> (French name, French description)
TOPICS_FR: dict[str, tuple[str, str]] = {
    "LinkedIn profile and network": (
        "Profil et réseau LinkedIn",
        "Construire une présence de dirigeant crédible sur LinkedIn et s’en servir pour suivre "
        "son secteur, attirer des talents et garder le contact avec clients et pairs.",
    ),
    "Posting and personal branding": (
        "Publier et développer sa marque personnelle",
        "Trouver sa propre voix et un rythme de publication tenable, pour que collaborateurs, "
        "clients et candidats vous entendent directement, et pas seulement par communiqué.",
    ),
    "X/Twitter basics": (
        "Les bases de X (Twitter)",
        "Comprendre le fonctionnement de X (ex-Twitter), des pseudos aux fils en passant par "
        "les hashtags et les listes, et décider de s’en servir pour parler ou seulement pour "
        "écouter.",
    ),
    "Social listening and monitoring": (
        "Veille et écoute des réseaux sociaux",
        "Savoir ce que clients, collaborateurs et journalistes disent d’Altamira et de ses "
        "marchés grâce aux alertes et aux outils d’écoute, sans attendre la revue de presse "
        "hebdomadaire.",
    ),
    "Answering critics and not feeding trolls": (
        "Répondre aux critiques sans nourrir les trolls",
        "Distinguer la critique légitime du trolling, répondre avec des faits et de l’empathie "
        "quand c’est utile, et savoir quand il vaut mieux ignorer, masquer ou faire remonter.",
    ),
    "Online crisis response": (
        "Gérer une crise en ligne",
        "Comprendre comment une crise se propage en ligne en quelques heures, et ce qu’un "
        "dirigeant doit faire, et ne pas faire, dans les 24 premières heures.",
    ),
    "Community building": (
        "Animer une communauté",
        "Découvrir comment se construisent et s’animent les communautés en ligne de clients, "
        "de partenaires ou d’anciens, et ce qu’un dirigeant sponsor peut faire pour les "
        "développer.",
    ),
    "Internal social networks (Yammer/Teams/Slack)": (
        "Réseaux sociaux internes (Yammer, Teams, Slack)",
        "Utiliser Viva Engage (Yammer), Teams et Slack pour s’adresser directement aux "
        "collaborateurs, réduire les e-mails internes et entendre ce que dit le terrain.",
    ),
    "Content with a call to action": (
        "Des contenus qui font agir",
        "Rédiger des publications et des messages qui poussent à agir (s’inscrire, postuler, "
        "partager, donner son avis) et vérifier que c’est bien le cas.",
    ),
    "Mobile-first habits": (
        "Réflexes mobiles",
        "Piloter sa journée de travail depuis son smartphone en toute sécurité : validations, "
        "réunions, lecture et publication en déplacement, avec des notifications qui vous "
        "servent au lieu de vous interrompre.",
    ),
    "Generative AI tools at work": (
        "L’IA générative au travail",
        "Prendre en main des assistants d’IA générative comme Microsoft Copilot et ChatGPT "
        "Enterprise, comprendre ce qu’ils font bien et mal, et les utiliser dans le respect de "
        "la charte IA de l’entreprise.",
    ),
    "Digital security and privacy": (
        "Sécurité numérique et vie privée",
        "Les dirigeants sont des cibles de choix pour l’hameçonnage, la fraude au président et "
        "l’usurpation d’identité : adoptez les réflexes qui protègent vos comptes, vos appareils "
        "et les données de l’entreprise.",
    ),
    "Measuring social media results": (
        "Mesurer les résultats sur les réseaux sociaux",
        "Lire les chiffres des réseaux sociaux (portée, engagement, clics, part de voix) et les "
        "relier aux résultats de l’entreprise plutôt qu’à des indicateurs de vanité.",
    ),
    "Business insight from executives": (
        "La vision business des dirigeants",
        "L’autre sens du mentorat inversé : le dirigeant partage la réalité du fonctionnement de "
        "l’entreprise, des décisions et de la stratégie jusqu’à la finance et aux parties "
        "prenantes, pour que le jeune mentor gagne en sens des affaires.",
    ),
}

# English goal template title -> French title, description, evidence hint, milestones
GOAL_TEMPLATES_FR: dict[str, dict[str, Any]] = {
    "Set up a LinkedIn profile": {
        "title_fr": "Créer son profil LinkedIn",
        "description_fr": "Créer ou rafraîchir un profil complet qu’un client, un candidat ou un "
        "journaliste trouverait crédible.",
        "evidence_hint_fr": "L’adresse publique de votre profil LinkedIn",
        "milestones_fr": [
            "Photo professionnelle et titre",
            "Section « Infos » rédigée",
            "50 relations pertinentes",
            "Première publication en ligne",
        ],
    },
    "Grow a purposeful network": {
        "title_fr": "Développer un réseau choisi",
        "description_fr": "Se connecter délibérément aux clients, pairs, anciens et talents qui "
        "comptent pour votre fonction, au lieu d’accepter toutes les invitations.",
        "evidence_hint_fr": "Les groupes de personnes avec qui vous vous êtes connecté, et une "
        "conversation qui en est née",
        "milestones_fr": [
            "Lister 20 personnes avec qui vous devriez être en relation (clients, pairs, anciens)",
            "Envoyer 20 invitations, chacune avec un mot personnel",
            "Suivre 10 voix du secteur et les pages de 5 concurrents",
            "Répondre à chaque message et commentaire sous 48 heures pendant un mois",
        ],
    },
    "Share a job opening with a personal note": {
        "title_fr": "Partager une offre d’emploi avec un mot personnel",
        "description_fr": "Mettre votre propre réseau au service du recrutement de votre équipe : "
        "il touche des candidats qu’une page entreprise n’atteindra jamais.",
        "evidence_hint_fr": "Le lien vers la publication où vous avez partagé l’offre",
        "milestones_fr": [
            "Choisir un poste ouvert dans votre organisation avec le recruteur",
            "Écrire deux phrases sur ce qui vous donnerait envie de rejoindre cette équipe",
            "Partager l’offre depuis votre propre profil",
            "Répondre aux commentaires et messages des candidats",
        ],
    },
    "Define your three signature themes": {
        "title_fr": "Définir vos trois thèmes de prédilection",
        "description_fr": "Choisir les quelques sujets sur lesquels vous parlez avec autorité et "
        "qui servent à la fois votre fonction et la stratégie d’Altamira.",
        "evidence_hint_fr": "Vos trois thèmes et le public visé par chacun",
        "milestones_fr": [
            "Lister les sujets sur lesquels on vous interroge le plus souvent",
            "Retenir trois thèmes sur lesquels vous parlez avec autorité",
            "Écrire ce sur quoi vous ne publierez jamais",
            "Valider les thèmes avec le service Marketing & Communication",
        ],
    },
    "Publish one post a month for a quarter": {
        "title_fr": "Publier une fois par mois pendant un trimestre",
        "description_fr": "Prendre l’habitude de publier régulièrement, avec votre mentor comme "
        "partenaire d’entraînement pour les idées, les brouillons et les réponses.",
        "evidence_hint_fr": "Le lien vers votre publication la plus récente",
        "milestones_fr": [
            "Rédiger la première publication avec votre mentor",
            "Publier la publication 1 et répondre aux commentaires",
            "Publier la publication 2 avec une photo ou une courte vidéo",
            "Publier la publication 3 et comparer l’engagement des trois",
        ],
    },
    "Write your first long-form article": {
        "title_fr": "Écrire votre premier article de fond",
        "description_fr": "Développer l’un de vos thèmes de prédilection en un article qui montre "
        "votre façon de penser, pas seulement ce que fait l’entreprise.",
        "evidence_hint_fr": "Le lien vers l’article publié",
        "milestones_fr": [
            "Choisir un sujet parmi vos thèmes de prédilection",
            "Construire le plan de l’article en cinq points",
            "Écrire 600 à 900 mots et les faire relire par un collègue",
            "Publier sur LinkedIn et partager sur le réseau interne",
        ],
    },
    "Open and secure an X account": {
        "title_fr": "Ouvrir et sécuriser un compte X",
        "description_fr": "Réserver un pseudo cohérent avec vos autres profils avant que quelqu’un "
        "d’autre ne le fasse, et le protéger correctement.",
        "evidence_hint_fr": "L’adresse de votre profil X",
        "milestones_fr": [
            "Choisir un pseudo cohérent avec votre nom sur LinkedIn",
            "Ajouter une bio, une photo et un lien vers altamira-group.com",
            "Activer la double authentification",
            "Suivre 30 comptes : journalistes, analystes, clients et pairs",
        ],
    },
    "Follow your industry with X lists": {
        "title_fr": "Suivre votre secteur avec les listes X",
        "description_fr": "Utiliser des listes privées pour lire ce que disent journalistes, "
        "analystes et concurrents, sans le bruit du fil principal.",
        "evidence_hint_fr": "Avez-vous créé au moins deux listes et les avez-vous lues chaque "
        "jour pendant une semaine ?",
        "milestones_fr": [
            "Créer une liste privée des journalistes qui couvrent le secteur",
            "Créer une liste privée des concurrents et des analystes du secteur",
            "Lire les listes dix minutes par jour pendant une semaine",
        ],
    },
    "Publish a short thread": {
        "title_fr": "Publier un court fil",
        "description_fr": "Raconter une histoire en quatre à six publications, le format qui se "
        "lit et se partage sur X.",
        "evidence_hint_fr": "Le lien vers la première publication de votre fil",
        "milestones_fr": [
            "Étudier trois fils de dirigeants que vous admirez",
            "Rédiger un fil de quatre à six publications sur une étape clé de l’entreprise",
            "Le publier et l’épingler sur votre profil",
            "Noter quelles publications ont été partagées, et pourquoi",
        ],
    },
    "Set up alerts for the company and your market": {
        "title_fr": "Créer des alertes sur l’entreprise et votre marché",
        "description_fr": "Recevoir chaque jour les mentions importantes, filtrées pour ne pas "
        "inonder votre messagerie.",
        "evidence_hint_fr": "Vos alertes fonctionnent-elles, et les lisez-vous chaque jour, "
        "depuis deux semaines ?",
        "milestones_fr": [
            "Créer des alertes Google sur l’entreprise, votre nom et deux concurrents",
            "Activer les notifications de la page et du hashtag de l’entreprise",
            "Diriger les alertes vers un dossier dédié",
            "Lire les alertes chaque jour pendant deux semaines",
        ],
    },
    "Read the social listening dashboard": {
        "title_fr": "Lire le tableau de bord de veille sociale",
        "description_fr": "Apprendre à lire le volume, la portée et la tonalité dans l’outil de "
        "veille que l’équipe Communication utilise déjà.",
        "evidence_hint_fr": "Deux enseignements tirés du tableau de bord et ce que vous en avez "
        "fait",
        "milestones_fr": [
            "Se faire présenter l’outil de veille par l’équipe réseaux sociaux",
            "Comprendre le volume, la portée et la tonalité, et comment ils sont mesurés",
            "Repérer un sujet émergent ou une opportunité",
            "Le soulever lors de votre prochain comité de direction",
        ],
    },
    "Learn from employee reviews online": {
        "title_fr": "Tirer des leçons des avis de salariés en ligne",
        "description_fr": "Lire ce qu’écrivent salariés et anciens salariés sur Glassdoor et "
        "Indeed, que les candidats consultent avant de postuler.",
        "evidence_hint_fr": "Trois thèmes récurrents des avis et l’action décidée",
        "milestones_fr": [
            "Lire les 30 avis les plus récents sur Altamira",
            "Les comparer aux avis de deux concurrents",
            "Discuter des thèmes récurrents avec votre HR business partner",
            "Décider d’une action visible et de son responsable",
        ],
    },
    "Apply the respond, ignore or escalate rules": {
        "title_fr": "Appliquer la règle répondre, ignorer ou faire remonter",
        "description_fr": "Connaître l’arbre de décision de l’entreprise face aux commentaires "
        "négatifs, pour réagir correctement en quelques minutes et non en quelques jours.",
        "evidence_hint_fr": "Savez-vous classer seul un commentaire critique et choisir la bonne "
        "réponse ?",
        "milestones_fr": [
            "Lire la charte de réponse sur les réseaux sociaux de l’entreprise",
            "Classer dix commentaires réels passés avec votre mentor",
            "Enregistrer les contacts à appeler à la Communication et au Juridique",
        ],
    },
    "Draft replies to critical comments": {
        "title_fr": "Rédiger des réponses aux commentaires critiques",
        "description_fr": "S’entraîner à des réponses courtes, factuelles et humaines sur de vrais "
        "commentaires avant d’y être confronté sous pression.",
        "evidence_hint_fr": "Votre meilleure réponse et ce que sa rédaction vous a appris",
        "milestones_fr": [
            "Réunir trois vrais commentaires critiques publiés sur les pages de l’entreprise",
            "Rédiger une réponse à chacun en moins de 80 mots",
            "Revoir le ton avec votre mentor et l’équipe Communication",
            "Répondre vous-même au prochain cas réel",
        ],
    },
    "Set up moderation on your own posts": {
        "title_fr": "Modérer vos propres publications",
        "description_fr": "Utiliser les réglages des plateformes qui tiennent les abus à l’écart "
        "de vos publications, pour garder la conversation ouverte à tous les autres.",
        "evidence_hint_fr": "Avez-vous choisi qui peut commenter et activé le filtre des mots "
        "offensants ?",
        "milestones_fr": [
            "Comprendre la différence entre masquer, restreindre, cacher et bloquer",
            "Choisir qui peut commenter vos publications",
            "Activer le filtre des mots offensants",
            "Convenir avec la Communication de qui prévenir en cas de harcèlement",
        ],
    },
    "Know your role in the crisis playbook": {
        "title_fr": "Connaître votre rôle dans le plan de crise",
        "description_fr": "Parcourir le plan de communication de crise pour savoir qui décide, "
        "qui s’exprime et ce que vous ne devez jamais publier vous-même.",
        "evidence_hint_fr": "Connaissez-vous votre rôle, les contacts de la cellule de crise et "
        "le circuit de validation ?",
        "milestones_fr": [
            "Lire le plan de crise avec l’équipe Communication",
            "Enregistrer les contacts de la cellule de crise dans votre téléphone",
            "Connaître le circuit de validation d’une déclaration d’attente",
        ],
    },
    "Take part in a crisis simulation": {
        "title_fr": "Participer à une simulation de crise",
        "description_fr": "Vivre une crise réaliste sur les réseaux sociaux dans un exercice sans "
        "risque, avec un faux fil d’actualité, des journalistes au téléphone et le chrono qui "
        "tourne.",
        "evidence_hint_fr": "Votre principal enseignement de la simulation",
        "milestones_fr": [
            "Analyser une vraie crise du secteur devenue virale",
            "Participer à une simulation de 90 minutes avec la Communication",
            "Rédiger une déclaration d’attente en moins de 30 minutes",
            "Faire le bilan de ce que vous feriez autrement",
        ],
    },
    "Contribute to a professional community": {
        "title_fr": "Contribuer à une communauté professionnelle",
        "description_fr": "Participer d’abord comme membre à une communauté en ligne de votre "
        "domaine, pour voir ce qui donne envie d’y revenir.",
        "evidence_hint_fr": "Le lien vers l’une de vos contributions",
        "milestones_fr": [
            "Choisir une communauté de votre domaine (groupe LinkedIn, espace Slack ou forum)",
            "Vous présenter aux membres",
            "Répondre ou réagir à cinq discussions",
            "Lancer vous-même une discussion",
        ],
    },
    "Sponsor an Altamira community": {
        "title_fr": "Parrainer une communauté Altamira",
        "description_fr": "Soutenir visiblement l’une des communautés de clients, de partenaires "
        "ou d’anciens de l’entreprise.",
        "evidence_hint_fr": "Quelle communauté, sa taille et ce que vous avez fait pour elle",
        "milestones_fr": [
            "Rencontrer le community manager et comprendre les objectifs de la communauté",
            "Enregistrer une courte vidéo ou écrire un message de bienvenue",
            "Participer à une session en direct et répondre aux questions des membres",
            "Examiner les chiffres d’engagement un mois plus tard",
        ],
    },
    "Host a live online Q&A": {
        "title_fr": "Animer une séance de questions-réponses en direct",
        "description_fr": "Animer un LinkedIn Live ou une séance « posez-moi vos questions » en "
        "ligne, le moyen le plus direct d’aller à la rencontre d’une communauté.",
        "evidence_hint_fr": "Le lien vers la page de l’événement ou l’enregistrement",
        "milestones_fr": [
            "Choisir le thème et un co-animateur",
            "Recueillir les questions à l’avance",
            "Répéter avec les outils de diffusion et votre mentor",
            "Animer une séance de 30 minutes et répondre aux questions de suivi",
        ],
    },
    "Post to the whole company on Viva Engage": {
        "title_fr": "Publier pour toute l’entreprise sur Viva Engage",
        "description_fr": "Partager actualités et remerciements là où les collaborateurs "
        "échangent déjà, et prendre part à la conversation qui suit.",
        "evidence_hint_fr": "Le lien vers votre publication",
        "milestones_fr": [
            "Rejoindre la communauté de votre direction et deux autres",
            "Publier sur une réussite d’équipe, avec une photo",
            "Répondre à chaque commentaire dans la journée",
            "Publier de nouveau un mois plus tard",
        ],
    },
    "Replace internal email with a team channel": {
        "title_fr": "Remplacer les e-mails internes par un canal d’équipe",
        "description_fr": "Faire passer les échanges quotidiens de votre comité de direction sur "
        "un canal Teams ou Slack, et convenir de ce qui relève encore de l’e-mail.",
        "evidence_hint_fr": "Votre équipe a-t-elle utilisé un canal plutôt que l’e-mail pendant "
        "au moins un mois ?",
        "milestones_fr": [
            "Créer un canal avec vos collaborateurs directs",
            "Convenir de ce qui passe par le canal et de ce qui passe par l’e-mail",
            "Utiliser les fils, les mentions et les réactions",
            "Comparer votre volume d’e-mails internes avant et après",
        ],
    },
    "Run an effective hybrid Teams meeting": {
        "title_fr": "Animer une réunion Teams hybride efficace",
        "description_fr": "Maîtriser les fonctions de Teams qui rendent les participants à "
        "distance aussi présents que ceux de la salle.",
        "evidence_hint_fr": "Avez-vous animé vous-même une réunion hybride avec ces fonctions ?",
        "milestones_fr": [
            "Partager votre écran et passer la main à un collègue",
            "Activer les sous-titres en direct et la transcription",
            "Animer un atelier en sous-groupes",
            "Partager ensuite un enregistrement et un compte rendu généré par l’IA",
        ],
    },
    "Write a post with one clear call to action": {
        "title_fr": "Rédiger une publication avec un seul appel à l’action",
        "description_fr": "Construire une publication autour d’une seule action et mesurer "
        "combien de personnes l’ont accomplie.",
        "evidence_hint_fr": "Le lien vers votre publication",
        "milestones_fr": [
            "Choisir une action : s’inscrire, postuler, télécharger ou commenter",
            "Écrire une accroche qui fonctionne dès les deux premières lignes",
            "Obtenir un lien suivi (UTM) auprès du Marketing",
            "Compter les clics une semaine après la publication",
        ],
    },
    "Promote an event on social media": {
        "title_fr": "Promouvoir un événement sur les réseaux sociaux",
        "description_fr": "Aider à remplir un webinaire, un salon ou un événement de recrutement "
        "par une courte campagne depuis votre propre profil.",
        "evidence_hint_fr": "Le lien vers votre principale publication de promotion",
        "milestones_fr": [
            "Obtenir la page de l’événement et un lien suivi",
            "Publier trois semaines, une semaine et un jour avant l’événement",
            "Mentionner les intervenants et les partenaires",
            "Comparer les inscriptions venues de vos publications à celles des autres canaux",
        ],
    },
    "Turn a presentation into social content": {
        "title_fr": "Transformer une présentation en contenu pour les réseaux",
        "description_fr": "Réutiliser une intervention ou une présentation interne sous forme de "
        "carrousel ou de courte vidéo qui renvoie vers le contenu complet.",
        "evidence_hint_fr": "Le lien vers le carrousel ou la vidéo",
        "milestones_fr": [
            "Choisir une intervention ou une présentation récente",
            "En extraire les trois idées clés",
            "Réaliser un carrousel ou une vidéo de 60 secondes avec votre mentor",
            "Le publier avec un lien vers le contenu complet",
        ],
    },
    "Set up your phone as a work tool": {
        "title_fr": "Faire de votre téléphone un outil de travail",
        "description_fr": "Installer et configurer les applications de l’entreprise pour que "
        "déplacements et temps d’attente deviennent du temps utile.",
        "evidence_hint_fr": "Messagerie, agenda, Teams et notes de frais fonctionnent-ils tous "
        "sur votre téléphone ?",
        "milestones_fr": [
            "Installer les applications de l’entreprise depuis le portail de gestion des appareils",
            "Configurer Outlook, Teams et l’application de validation",
            "Déposer une note de frais depuis votre téléphone",
            "Rejoindre une réunion depuis votre téléphone",
        ],
    },
    "Tame your notifications": {
        "title_fr": "Maîtriser vos notifications",
        "description_fr": "Décider quelles applications peuvent vous interrompre, et quand, au "
        "lieu de réagir à chaque pastille et à chaque vibration.",
        "evidence_hint_fr": "Avez-vous réglé des modes de concentration et les avez-vous gardés "
        "deux semaines ?",
        "milestones_fr": [
            "Lister les applications qui vous envoient des notifications aujourd’hui",
            "Régler un mode de concentration pour les réunions et un pour le soir",
            "Désactiver les pastilles des applications non urgentes",
            "Garder ces réglages deux semaines, puis les ajuster",
        ],
    },
    "Approve and sign on the go": {
        "title_fr": "Valider et signer en déplacement",
        "description_fr": "Ne plus bloquer les décisions pendant vos déplacements : validez, "
        "signez et numérisez depuis votre téléphone.",
        "evidence_hint_fr": "Les validations et signatures que vous traitez désormais sur votre "
        "téléphone",
        "milestones_fr": [
            "Prendre en main l’application de signature électronique",
            "Valider un bon de commande depuis votre téléphone",
            "Signer un contrat électroniquement",
            "Numériser un document papier avec votre téléphone",
        ],
    },
    "Use an AI assistant for a real task": {
        "title_fr": "Utiliser un assistant IA pour une vraie tâche",
        "description_fr": "Essayer un assistant IA autorisé sur une partie de votre propre "
        "travail et juger honnêtement le résultat.",
        "evidence_hint_fr": "La tâche, la consigne utilisée et le temps gagné (ou non)",
        "milestones_fr": [
            "Lire la charte de l’entreprise sur l’IA générative",
            "Résumer un long rapport avec Copilot",
            "Rédiger un e-mail ou une note avec l’IA et le retravailler vous-même",
            "Comparer le résultat avec un travail fait seul",
        ],
    },
    "Learn to write effective prompts": {
        "title_fr": "Apprendre à rédiger des consignes efficaces",
        "description_fr": "Apprendre à donner à un assistant IA un rôle, un contexte, une tâche "
        "et un format, et à vérifier ce qu’il renvoie.",
        "evidence_hint_fr": "Savez-vous rédiger une consigne structurée et vérifier la réponse "
        "auprès des sources ?",
        "milestones_fr": [
            "Apprendre la structure rôle, contexte, tâche et format",
            "Améliorer trois fois la même consigne et comparer les réponses",
            "Constituer une bibliothèque personnelle de cinq consignes réutilisables",
            "Repérer une hallucination et la vérifier auprès de la source",
        ],
    },
    "Find an AI use case for your team": {
        "title_fr": "Trouver un cas d’usage de l’IA pour votre équipe",
        "description_fr": "Repérer où l’IA générative pourrait supprimer du travail répétitif "
        "dans votre équipe, et ce qu’il faudrait pour le faire en toute sécurité.",
        "evidence_hint_fr": "Le cas d’usage, son bénéfice attendu et ses risques",
        "milestones_fr": [
            "Interroger deux membres de l’équipe sur leurs tâches répétitives",
            "Retenir trois cas d’usage",
            "Vérifier les contraintes de protection des données avec la DSI et le Juridique",
            "Présenter un cas d’usage à votre comité de direction",
        ],
    },
    "Secure your accounts": {
        "title_fr": "Sécuriser vos comptes",
        "description_fr": "Fermer les portes que les attaquants empruntent le plus souvent : mots "
        "de passe faibles ou réutilisés et comptes sans second facteur.",
        "evidence_hint_fr": "L’authentification multifacteur et un gestionnaire de mots de passe "
        "sont-ils en place partout ?",
        "milestones_fr": [
            "Activer l’authentification multifacteur sur vos comptes professionnels et sociaux",
            "Installer le gestionnaire de mots de passe de l’entreprise",
            "Remplacer chaque mot de passe réutilisé",
            "Passer en revue les applications et sessions connectées à vos comptes",
        ],
    },
    "Spot phishing and CEO fraud": {
        "title_fr": "Repérer l’hameçonnage et la fraude au président",
        "description_fr": "Reconnaître les signes des tentatives d’hameçonnage et de fraude au "
        "paiement qui visent les dirigeants et leurs assistants.",
        "evidence_hint_fr": "Un message suspect que vous avez signalé et comment vous l’avez "
        "repéré",
        "milestones_fr": [
            "Suivre le module de sensibilisation à l’hameçonnage",
            "Analyser trois vraies tentatives d’hameçonnage avec la sécurité informatique",
            "Signaler un e-mail suspect avec le bouton de signalement",
            "Convenir d’une procédure de vérification des demandes de paiement urgentes",
        ],
    },
    "Reduce your public digital footprint": {
        "title_fr": "Réduire votre empreinte numérique publique",
        "description_fr": "Limiter les informations personnelles qui rendent facile l’usurpation "
        "de votre identité ou font de vous une cible.",
        "evidence_hint_fr": "Avez-vous passé en revue et nettoyé ce qui est public sur vous ?",
        "milestones_fr": [
            "Rechercher votre nom et passer en revue ce qui est public",
            "Retirer votre numéro de téléphone et votre adresse personnels des profils publics",
            "Vérifier les paramètres de confidentialité de vos comptes Facebook et Instagram",
            "Cesser de partager vos déplacements en temps réel",
        ],
    },
    "Read your own post analytics": {
        "title_fr": "Lire les statistiques de vos publications",
        "description_fr": "Utiliser les statistiques de vos propres publications pour comprendre "
        "ce qui intéresse votre audience.",
        "evidence_hint_fr": "Votre meilleure publication du trimestre et pourquoi elle a "
        "fonctionné selon vous",
        "milestones_fr": [
            "Ouvrir les statistiques de vos publications LinkedIn",
            "Comprendre les impressions, le taux d’engagement et l’audience",
            "Identifier votre meilleure et votre moins bonne publication",
            "Vous fixer un objectif pour le trimestre suivant",
        ],
    },
    "Understand the social media dashboard": {
        "title_fr": "Comprendre le tableau de bord des réseaux sociaux",
        "description_fr": "Savoir lire, questionner et exploiter le rapport mensuel sur les "
        "réseaux sociaux que le Marketing envoie au comité exécutif.",
        "evidence_hint_fr": "Savez-vous expliquer chaque indicateur du rapport mensuel ?",
        "milestones_fr": [
            "Parcourir le tableau de bord avec l’équipe réseaux sociaux",
            "Comprendre la différence entre portée, engagement et conversion",
            "Comparer la part de voix d’Altamira à celle de deux concurrents",
            "Poser une question sur les données à la prochaine revue d’activité",
        ],
    },
    "Link a campaign to a business result": {
        "title_fr": "Relier une campagne à un résultat business",
        "description_fr": "Suivre une campagne des impressions jusqu’aux prospects, ventes ou "
        "candidatures, et calculer le coût de chaque résultat.",
        "evidence_hint_fr": "La campagne, l’indicateur suivi et le résultat obtenu",
        "milestones_fr": [
            "Choisir une campagne récente",
            "Suivre ses clics jusqu’aux prospects, ventes ou candidatures",
            "Estimer le coût par résultat",
            "Présenter le résultat sur une seule diapositive",
        ],
    },
    "Understand how the executive committee decides": {
        "title_fr": "Comprendre comment décide le comité exécutif",
        "description_fr": "Découvrir comment les décisions sont préparées, argumentées et prises "
        "au sommet de l’entreprise, et pourquoi certaines sont remises en cause.",
        "evidence_hint_fr": "Trois choses apprises sur la façon dont les décisions sont prises",
        "milestones_fr": [
            "Parcourir avec votre mentoré l’ordre du jour d’un comité exécutif récent",
            "Connaître les seuils d’approbation des investissements",
            "Discuter d’une décision remise en cause, et pourquoi",
            "Assister à la préparation d’une réunion du comité",
        ],
    },
    "Present to a board": {
        "title_fr": "Présenter devant un comité de direction",
        "description_fr": "Apprendre à présenter devant des décideurs : court, structuré et prêt "
        "pour les questions difficiles.",
        "evidence_hint_fr": "Avez-vous présenté devant un comité de direction ou un comité de "
        "pilotage ?",
        "milestones_fr": [
            "Comprendre la structure d’une note au conseil",
            "Préparer une présentation de cinq diapositives sur votre projet",
            "La répéter avec votre mentoré et recueillir ses retours",
            "Présenter devant un comité de direction ou un comité de pilotage",
        ],
    },
    "Build a business case": {
        "title_fr": "Construire un business case",
        "description_fr": "Transformer une idée tirée de votre propre travail en un business "
        "case qu’un décideur pourrait approuver.",
        "evidence_hint_fr": "Une synthèse du dossier : coût, bénéfice, retour sur investissement "
        "et risque principal",
        "milestones_fr": [
            "Choisir une idée numérique tirée de votre travail",
            "Estimer ses coûts et bénéfices avec un contrôleur de gestion",
            "Lister les risques et les parties prenantes à convaincre",
            "Recueillir l’avis de votre mentoré, dans le rôle du décideur",
        ],
    },
}


def with_french(topics: list[dict]) -> list[dict]:
    """The curriculum specs with their French text added (the English is unchanged)."""
    result = []
    for topic in topics:
        name_fr, description_fr = TOPICS_FR.get(topic["name"], ("", ""))
        result.append(
            {
                **topic,
                "name_fr": name_fr,
                "description_fr": description_fr,
                "goal_templates": [
                    {**template, **GOAL_TEMPLATES_FR.get(template["title"], {})}
                    for template in topic["goal_templates"]
                ],
            }
        )
    return result
