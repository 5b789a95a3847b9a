"""Demo data for the reverse-mentoring app: curriculum, a fictional company and enrollments.

Everything here is plain data built with the standard library only, so it can be used by a
seeding command, by tests or by benchmarks without an application context. The company,
Altamira Group, is generated deterministically from a seed: the same seed always gives the
same people, managers, sites and enrollments.
"""

import random
import re
import unicodedata

# ---------------------------------------------------------------------------------------------
# Curriculum
# ---------------------------------------------------------------------------------------------


def _goal(
    title: str,
    description: str,
    evidence_kind: str,
    evidence_hint: str,
    milestones: list[str],
) -> dict:
    return {
        "title": title,
        "description": description,
        "evidence_kind": evidence_kind,
        "evidence_hint": evidence_hint,
        "milestones": milestones,
    }


CURRICULUM: list[dict] = [
    {
        "name": "LinkedIn profile and network",
        "description": (
            "Build a credible executive presence on LinkedIn and use it to follow your "
            "industry, reach talent and stay in touch with clients and peers."
        ),
        "goal_templates": [
            _goal(
                "Set up a LinkedIn profile",
                "Create or refresh a complete profile that a client, a candidate or a "
                "journalist would find credible.",
                "url",
                "The public URL of your LinkedIn profile",
                [
                    "Professional photo and headline",
                    "About section written",
                    "50 relevant connections",
                    "First post published",
                ],
            ),
            _goal(
                "Grow a purposeful network",
                "Connect deliberately with the clients, peers, alumni and talent that matter "
                "for your role instead of accepting every invitation.",
                "note",
                "Which groups of people you connected with, and one conversation it led to",
                [
                    "List 20 people you should be connected to (clients, peers, alumni)",
                    "Send 20 connection requests, each with a personal note",
                    "Follow 10 industry voices and the pages of 5 competitors",
                    "Answer every message and comment within 48 hours for a month",
                ],
            ),
            _goal(
                "Share a job opening with a personal note",
                "Use your own network to help your team hire, which reaches candidates a "
                "company page never will.",
                "url",
                "The link to the post in which you shared the opening",
                [
                    "Pick an open role in your organisation with the recruiter",
                    "Write two sentences on why you would join this team",
                    "Share the job post from your own profile",
                    "Answer candidates' comments and messages",
                ],
            ),
        ],
    },
    {
        "name": "Posting and personal branding",
        "description": (
            "Find your own voice and a sustainable posting rhythm, so that employees, "
            "clients and candidates hear from you directly and not only through press releases."
        ),
        "goal_templates": [
            _goal(
                "Define your three signature themes",
                "Choose the few subjects you can speak about with authority and that serve "
                "both your role and Altamira's strategy.",
                "note",
                "Your three themes and the audience each one is for",
                [
                    "List the topics people ask you about most often",
                    "Pick three themes you can speak about with authority",
                    "Write down what you will never post about",
                    "Check the themes with Marketing & Communications",
                ],
            ),
            _goal(
                "Publish one post a month for a quarter",
                "Build the habit of posting regularly, with your mentor as a sparring partner "
                "for ideas, drafts and replies.",
                "url",
                "The link to your most recent post",
                [
                    "Draft the first post with your mentor",
                    "Publish post 1 and reply to the comments",
                    "Publish post 2 with a photo or a short video",
                    "Publish post 3 and compare the engagement of the three posts",
                ],
            ),
            _goal(
                "Write your first long-form article",
                "Develop one of your signature themes into an article that shows how you think, "
                "not just what the company does.",
                "url",
                "The link to the published article",
                [
                    "Choose a subject from your signature themes",
                    "Outline the article in five bullet points",
                    "Write 600 to 900 words and ask a colleague to review them",
                    "Publish on LinkedIn and share it on the internal network",
                ],
            ),
        ],
    },
    {
        "name": "X/Twitter basics",
        "description": (
            "Understand how X (formerly Twitter) works, from handles and threads to hashtags "
            "and lists, and decide whether to use it to speak or only to listen."
        ),
        "goal_templates": [
            _goal(
                "Open and secure an X account",
                "Claim a handle consistent with your other profiles before someone else does, "
                "and protect it properly.",
                "url",
                "The URL of your X profile",
                [
                    "Choose a handle consistent with your LinkedIn name",
                    "Add a bio, a photo and a link to altamira-group.com",
                    "Turn on two-factor authentication",
                    "Follow 30 accounts: journalists, analysts, clients and peers",
                ],
            ),
            _goal(
                "Follow your industry with X lists",
                "Use private lists to read what journalists, analysts and competitors say, "
                "without the noise of the main timeline.",
                "yes_no",
                "Have you created at least two lists and read them daily for a week?",
                [
                    "Create a private list of journalists who cover the sector",
                    "Create a private list of competitors and industry analysts",
                    "Read the lists for ten minutes a day for a week",
                ],
            ),
            _goal(
                "Publish a short thread",
                "Tell one story in four to six posts, the format that gets read and reshared on X.",
                "url",
                "The link to the first post of your thread",
                [
                    "Study three threads by leaders you admire",
                    "Draft a thread of four to six posts about a company milestone",
                    "Publish it and pin it to your profile",
                    "Note which posts were reshared and why",
                ],
            ),
        ],
    },
    {
        "name": "Social listening and monitoring",
        "description": (
            "Know what customers, employees and the press say about Altamira and its markets "
            "by using alerts and listening tools instead of waiting for the weekly press review."
        ),
        "goal_templates": [
            _goal(
                "Set up alerts for the company and your market",
                "Get the important mentions delivered to you every day, filtered so that they "
                "do not flood your inbox.",
                "yes_no",
                "Have your alerts been running and read daily for two weeks?",
                [
                    "Create Google Alerts for the company, your own name and two competitors",
                    "Turn on notifications for the company page and hashtag",
                    "Route the alerts to a dedicated folder",
                    "Read the alerts every day for two weeks",
                ],
            ),
            _goal(
                "Read the social listening dashboard",
                "Learn to read volume, reach and sentiment in the listening tool the "
                "Communications team already pays for.",
                "note",
                "Two insights you took from the dashboard and what you did with them",
                [
                    "Get a walkthrough of the listening tool from the social media team",
                    "Understand volume, reach and sentiment and how they are measured",
                    "Spot one emerging issue or opportunity",
                    "Raise it at your next leadership team meeting",
                ],
            ),
            _goal(
                "Learn from employee reviews online",
                "Read what current and former employees write on Glassdoor and Indeed, "
                "which candidates read before they apply.",
                "note",
                "Three recurring themes in the reviews and the action you agreed on",
                [
                    "Read the 30 most recent reviews of Altamira",
                    "Compare them with the reviews of two competitors",
                    "Discuss the recurring themes with your HR business partner",
                    "Agree on one visible action and who owns it",
                ],
            ),
        ],
    },
    {
        "name": "Answering critics and not feeding trolls",
        "description": (
            "Tell legitimate criticism apart from trolling, answer with facts and empathy when "
            "it helps, and know when ignoring, hiding or escalating is the better choice."
        ),
        "goal_templates": [
            _goal(
                "Apply the respond, ignore or escalate rules",
                "Learn the company's decision tree for negative comments so that you react "
                "the right way within minutes, not days.",
                "yes_no",
                "Can you classify a critical comment and pick the right response on your own?",
                [
                    "Read the company's social media response guidelines",
                    "Classify ten real past comments with your mentor",
                    "Save the contacts to call in Communications and Legal",
                ],
            ),
            _goal(
                "Draft replies to critical comments",
                "Practise short, factual and human replies on real comments before you face "
                "one under pressure.",
                "note",
                "Your best reply and what you learned writing it",
                [
                    "Collect three real critical comments from the company's pages",
                    "Draft a reply to each in fewer than 80 words",
                    "Review the tone with your mentor and the Communications team",
                    "Reply yourself the next time a real case comes up",
                ],
            ),
            _goal(
                "Set up moderation on your own posts",
                "Use the platform settings that keep abuse off your posts so that you can "
                "keep the conversation open for everyone else.",
                "yes_no",
                "Have you set who can comment and turned on offensive-word filters?",
                [
                    "Learn the difference between mute, restrict, hide and block",
                    "Choose who can comment on your posts",
                    "Turn on the filter for offensive words",
                    "Agree with Communications on whom you tell about harassment",
                ],
            ),
        ],
    },
    {
        "name": "Online crisis response",
        "description": (
            "Understand how a crisis spreads online within hours and what an executive must "
            "do, and not do, in the first 24 hours."
        ),
        "goal_templates": [
            _goal(
                "Know your role in the crisis playbook",
                "Walk through the crisis communication playbook so that you know who decides, "
                "who speaks and what you must never post yourself.",
                "yes_no",
                "Do you know your role, the crisis cell contacts and the approval path?",
                [
                    "Read the crisis playbook with the Communications team",
                    "Save the crisis cell contacts on your phone",
                    "Learn the approval path for a holding statement",
                ],
            ),
            _goal(
                "Take part in a crisis simulation",
                "Live through a realistic social media crisis in a safe exercise, with a fake "
                "feed, journalists calling and a clock running.",
                "note",
                "Your main takeaway from the simulation",
                [
                    "Review a real crisis in the sector that went viral",
                    "Take part in a 90-minute simulation with Communications",
                    "Draft a holding statement in under 30 minutes",
                    "Debrief on what you would do differently",
                ],
            ),
        ],
    },
    {
        "name": "Community building",
        "description": (
            "Learn how online communities of customers, partners or alumni are built and "
            "animated, and what an executive sponsor can do to make one grow."
        ),
        "goal_templates": [
            _goal(
                "Contribute to a professional community",
                "Take part in an online community in your field as a member first, to see "
                "what makes people come back.",
                "url",
                "The link to a contribution you made",
                [
                    "Pick a community in your field (LinkedIn group, Slack workspace or forum)",
                    "Introduce yourself to the members",
                    "Answer or comment on five discussions",
                    "Start a discussion yourself",
                ],
            ),
            _goal(
                "Sponsor an Altamira community",
                "Give visible support to one of the company's customer, partner or alumni "
                "communities.",
                "note",
                "Which community, how big it is and what you did for it",
                [
                    "Meet the community manager and learn the community's goals",
                    "Record a short welcome video or write a welcome post",
                    "Join one live session and answer members' questions",
                    "Review the engagement figures a month later",
                ],
            ),
            _goal(
                "Host a live online Q&A",
                "Run a LinkedIn Live or an online ask-me-anything session, the most direct way "
                "to meet a community.",
                "url",
                "The link to the event page or the recording",
                [
                    "Choose the theme and a co-host",
                    "Collect questions in advance",
                    "Rehearse with the streaming tools and your mentor",
                    "Host a 30-minute session and answer the follow-up questions",
                ],
            ),
        ],
    },
    {
        "name": "Internal social networks (Yammer/Teams/Slack)",
        "description": (
            "Use Viva Engage (Yammer), Teams and Slack to speak to employees directly, cut "
            "internal email and hear what the field is saying."
        ),
        "goal_templates": [
            _goal(
                "Post to the whole company on Viva Engage",
                "Share news and recognition where employees already talk, and take part in "
                "the conversation that follows.",
                "url",
                "The link to your post",
                [
                    "Join your department's community and two others",
                    "Post about a team success, with a photo",
                    "Reply to every comment within a day",
                    "Post again a month later",
                ],
            ),
            _goal(
                "Replace internal email with a team channel",
                "Move your leadership team's day-to-day exchanges to a Teams or Slack channel "
                "and agree on what still belongs in email.",
                "yes_no",
                "Has your team used a channel instead of email for at least a month?",
                [
                    "Create a channel with your direct reports",
                    "Agree on what goes to the channel and what goes to email",
                    "Use threads, mentions and reactions",
                    "Compare your internal email volume before and after",
                ],
            ),
            _goal(
                "Run an effective hybrid Teams meeting",
                "Master the Teams features that make remote participants as present as the "
                "people in the room.",
                "yes_no",
                "Have you run a hybrid meeting using these features yourself?",
                [
                    "Share your screen and hand over control to a colleague",
                    "Turn on live captions and the transcript",
                    "Run a workshop with breakout rooms",
                    "Share a recording and an AI-generated recap afterwards",
                ],
            ),
        ],
    },
    {
        "name": "Content with a call to action",
        "description": (
            "Write posts and messages that get people to do something, whether register, "
            "apply, share or give feedback, and check whether they did."
        ),
        "goal_templates": [
            _goal(
                "Write a post with one clear call to action",
                "Design a post around a single action and measure how many people took it.",
                "url",
                "The link to your post",
                [
                    "Pick one action: register, apply, download or comment",
                    "Write a hook that works in the first two lines",
                    "Get a tracked (UTM) link from Marketing",
                    "Count the clicks a week after publishing",
                ],
            ),
            _goal(
                "Promote an event on social media",
                "Help fill a webinar, trade show or recruiting event with a short campaign "
                "from your own profile.",
                "url",
                "The link to your main promotion post",
                [
                    "Get the event page and a tracked link",
                    "Post three weeks, one week and one day before the event",
                    "Tag the speakers and partners",
                    "Compare registrations from your posts with the other channels",
                ],
            ),
            _goal(
                "Turn a presentation into social content",
                "Reuse a keynote or an internal presentation as a carousel or a short video "
                "that sends people to the full content.",
                "url",
                "The link to the carousel or video",
                [
                    "Pick a recent talk or presentation",
                    "Extract its three key ideas",
                    "Make a carousel or a 60-second video with your mentor",
                    "Publish it with a link to the full content",
                ],
            ),
        ],
    },
    {
        "name": "Mobile-first habits",
        "description": (
            "Run your working day securely from a smartphone: approvals, meetings, reading "
            "and posting on the go, with notifications that serve you instead of interrupting."
        ),
        "goal_templates": [
            _goal(
                "Set up your phone as a work tool",
                "Install and configure the company apps so that travel and waiting time "
                "become useful time.",
                "yes_no",
                "Do mail, calendar, Teams and the expenses app all work on your phone?",
                [
                    "Install the company apps from the device management portal",
                    "Set up Outlook, Teams and the approvals app",
                    "Submit an expense claim from your phone",
                    "Join a meeting from your phone",
                ],
            ),
            _goal(
                "Tame your notifications",
                "Decide which apps may interrupt you, and when, instead of reacting to every "
                "badge and buzz.",
                "yes_no",
                "Have you set focus modes and kept them for two weeks?",
                [
                    "List the apps that notify you today",
                    "Set a focus mode for meetings and one for evenings",
                    "Turn off badges for non-urgent apps",
                    "Keep the settings for two weeks, then adjust",
                ],
            ),
            _goal(
                "Approve and sign on the go",
                "Stop holding up decisions while you travel by approving, signing and "
                "scanning from your phone.",
                "note",
                "The approvals and signatures you now handle on your phone",
                [
                    "Learn the e-signature app",
                    "Approve a purchase order from your phone",
                    "Sign a contract electronically",
                    "Scan a paper document with your phone",
                ],
            ),
        ],
    },
    {
        "name": "Generative AI tools at work",
        "description": (
            "Get hands-on with generative AI assistants such as Microsoft Copilot and ChatGPT "
            "Enterprise, learn what they do well and badly, and use them within the company's "
            "AI policy."
        ),
        "goal_templates": [
            _goal(
                "Use an AI assistant for a real task",
                "Try an approved AI assistant on a piece of your own work and judge the result "
                "honestly.",
                "note",
                "The task, the prompt you used and the time saved (or not)",
                [
                    "Read the company's generative AI policy",
                    "Summarise a long report with Copilot",
                    "Draft an email or a memo with AI and edit it yourself",
                    "Compare the result with doing it alone",
                ],
            ),
            _goal(
                "Learn to write effective prompts",
                "Learn to give an AI assistant a role, context, a task and a format, and to "
                "check what it gives back.",
                "yes_no",
                "Can you write a structured prompt and check its answer against sources?",
                [
                    "Learn the role, context, task and format pattern",
                    "Improve the same prompt three times and compare the answers",
                    "Build a personal library of five prompts you reuse",
                    "Catch a hallucination and check it against the source",
                ],
            ),
            _goal(
                "Find an AI use case for your team",
                "Identify where generative AI could remove repetitive work in your team, and "
                "what it would take to do it safely.",
                "note",
                "The use case, its expected benefit and its risks",
                [
                    "Interview two team members about their repetitive tasks",
                    "Shortlist three use cases",
                    "Check the data-privacy constraints with IT and Legal",
                    "Present one use case to your leadership team",
                ],
            ),
        ],
    },
    {
        "name": "Digital security and privacy",
        "description": (
            "Executives are prime targets for phishing, CEO fraud and impersonation; build the "
            "habits that protect your accounts, your devices and the company's data."
        ),
        "goal_templates": [
            _goal(
                "Secure your accounts",
                "Close the most common doors attackers use: weak, reused passwords and accounts "
                "without a second factor.",
                "yes_no",
                "Are multi-factor authentication and a password manager in place everywhere?",
                [
                    "Turn on multi-factor authentication on work and social media accounts",
                    "Install the company password manager",
                    "Replace every reused password",
                    "Review the apps and sessions connected to your accounts",
                ],
            ),
            _goal(
                "Spot phishing and CEO fraud",
                "Learn the signs of phishing and payment-fraud attempts that target senior "
                "people and their assistants.",
                "note",
                "A suspicious message you reported and how you spotted it",
                [
                    "Complete the phishing awareness module",
                    "Review three real phishing attempts with IT Security",
                    "Report a suspicious email with the report button",
                    "Agree on a verification procedure for urgent payment requests",
                ],
            ),
            _goal(
                "Reduce your public digital footprint",
                "Limit the personal information that makes you easy to impersonate or to target.",
                "yes_no",
                "Have you reviewed and cleaned what is public about you?",
                [
                    "Search for your name and review what is public",
                    "Remove your personal phone number and address from public profiles",
                    "Check the privacy settings of your Facebook and Instagram accounts",
                    "Stop sharing your travel plans in real time",
                ],
            ),
        ],
    },
    {
        "name": "Measuring social media results",
        "description": (
            "Read the numbers behind social media, such as reach, engagement, clicks and share "
            "of voice, and connect them to business results rather than vanity metrics."
        ),
        "goal_templates": [
            _goal(
                "Read your own post analytics",
                "Use the analytics of your own posts to learn what your audience values.",
                "note",
                "Your best post of the quarter and why you think it worked",
                [
                    "Open the analytics of your LinkedIn posts",
                    "Understand impressions, engagement rate and audience",
                    "Identify your best and your worst post",
                    "Set yourself a target for next quarter",
                ],
            ),
            _goal(
                "Understand the social media dashboard",
                "Be able to read, question and act on the monthly social media report that "
                "Marketing sends to the executive committee.",
                "yes_no",
                "Can you explain each indicator of the monthly social media report?",
                [
                    "Walk through the dashboard with the social media team",
                    "Learn the difference between reach, engagement and conversion",
                    "Compare Altamira's share of voice with two competitors",
                    "Ask one question about the data at the next business review",
                ],
            ),
            _goal(
                "Link a campaign to a business result",
                "Follow one campaign from impressions to leads, sales or applications, and "
                "work out what each result cost.",
                "note",
                "The campaign, the metric you followed and the business result",
                [
                    "Choose a recent campaign",
                    "Trace its clicks to leads, sales or applications",
                    "Estimate the cost per result",
                    "Present the result on a single slide",
                ],
            ),
        ],
    },
]

REVERSE_TOPIC: dict = {
    "name": "Business insight from executives",
    "description": (
        "The other direction of reverse mentoring: the executive shares how the company really "
        "works, from decisions and strategy to finance and stakeholders, so that the junior "
        "mentor grows in business acumen."
    ),
    "goal_templates": [
        _goal(
            "Understand how the executive committee decides",
            "Learn how decisions are prepared, argued and taken at the top of the company, and "
            "why some are reversed.",
            "note",
            "Three things you learned about how decisions are made",
            [
                "Go through a recent executive committee agenda with your mentee",
                "Learn the investment approval thresholds",
                "Discuss a decision that was reversed, and why",
                "Sit in on the preparation of a committee meeting",
            ],
        ),
        _goal(
            "Present to a board",
            "Learn how to present to senior decision-makers: short, structured and ready for "
            "the hard questions.",
            "yes_no",
            "Have you presented to a leadership team or a steering committee?",
            [
                "Learn how a board paper is structured",
                "Prepare a five-slide presentation about your project",
                "Rehearse it with your mentee and take the feedback",
                "Present to a leadership team or a steering committee",
            ],
        ),
        _goal(
            "Build a business case",
            "Turn an idea from your own work into a business case that a decision-maker could "
            "approve.",
            "note",
            "A summary of the case: cost, benefit, payback and main risk",
            [
                "Pick a digital idea from your own work",
                "Estimate its costs and benefits with a finance controller",
                "List the risks and the stakeholders to convince",
                "Get feedback from your mentee, playing the decision-maker",
            ],
        ),
    ],
}

MENTOR_GOAL_TEMPLATES: list[dict] = [
    {**template, "milestones": list(template["milestones"]), "topic": REVERSE_TOPIC["name"]}
    for template in REVERSE_TOPIC["goal_templates"]
]

# ---------------------------------------------------------------------------------------------
# The demo company
# ---------------------------------------------------------------------------------------------

COMPANY = "Altamira Group"
DOMAIN = "altamira-group.com"

DEPARTMENTS: list[str] = [
    "Executive Office",
    "Finance",
    "Sales",
    "Marketing & Communications",
    "Operations",
    "Human Resources",
    "IT & Digital",
    "Legal & Compliance",
    "Research & Development",
    "Customer Service",
]

SITE_TIMEZONES: dict[str, str] = {
    "Paris": "Europe/Paris",
    "Lyon": "Europe/Paris",
    "London": "Europe/London",
    "New York": "America/New_York",
    "Singapore": "Asia/Singapore",
}

_FRANCE = ("Paris", "Lyon")

DEMO_LOGINS: list[dict] = [
    {"role": "admin", "key": "hr-admin"},
    {"role": "mentor", "key": "demo-mentor"},
    {"role": "mentee", "key": "demo-mentee"},
    {"role": "leader", "key": "demo-leader"},
]


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


# origin -> (first names, last names, languages)
_ORIGINS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "french": (
        _names(
            "Camille, Julien, Claire, Thomas, Sophie, Nicolas, Émilie, Antoine, Manon, Hugo, "
            "Chloé, Maxime, Pauline, Guillaume, Céline, Mathieu, Élodie, Romain, Juliette, "
            "Baptiste, Aurélie, Lucas, Clément, Margaux, Théo, Laure, Olivier, Isabelle, "
            "François, Anne-Sophie, Jean-Baptiste, Bérénice, Arnaud, Sandrine, Vincent, "
            "Mélanie, Quentin, Valérie, Benoît, Agathe"
        ),
        _names(
            "Martin, Bernard, Dubois, Lefèvre, Moreau, Simon, Michel, Garnier, Fontaine, "
            "Chevalier, Mercier, Blanc, Guérin, Faure, Girard, Bonnet, Lambert, Perrin, Roux, "
            "Gauthier, Boyer, Lemoine, Carpentier, Barbier, Renaud, Picard, Vidal, Morel, "
            "Aubert, Lacroix, Dumont, Leclerc, Brunet, Caron, Masson, Duval"
        ),
        ("fr", "en"),
    ),
    "british": (
        _names(
            "Oliver, Charlotte, Harry, Amelia, James, Emily, George, Alistair, Fiona, Rory, "
            "Imogen, William, Hannah, Edward, Lucy, Callum, Eleanor, Rhys, Niamh, Freddie"
        ),
        _names(
            "Thompson, Clarke, Hughes, Walker, Wright, Evans, Harrison, Fletcher, Bennett, "
            "Morgan, Campbell, Davies, Robinson, Kennedy, O'Connor, Ashworth, Holloway, Pemberton"
        ),
        ("en",),
    ),
    "american": (
        _names(
            "Michael, Jennifer, David, Ashley, Christopher, Jessica, Ryan, Megan, Brandon, "
            "Lauren, Tyler, Kayla, Jordan, Madison, Andrew, Rachel, Kevin, Marcus, Taylor, Dana"
        ),
        _names(
            "Johnson, Miller, Anderson, Carter, Mitchell, Brooks, Sullivan, Reynolds, Hayes, "
            "Coleman, Parker, Bailey, Foster, Russell, Washington, Peterson, Fisher, Murphy, "
            "Henderson"
        ),
        ("en",),
    ),
    "spanish": (
        _names(
            "Lucía, Alejandro, María, Javier, Carmen, Pablo, Elena, Diego, Marta, Sergio, "
            "Paula, Álvaro, Irene, Adrián, Nuria, Iñigo"
        ),
        _names(
            "García, Fernández, López, Martínez, Sánchez, Romero, Navarro, Torres, Domínguez, "
            "Vázquez, Ruiz, Moreno, Jiménez, Herrera, Ortega, Castillo"
        ),
        ("es", "en"),
    ),
    "german": (
        _names(
            "Lukas, Anna, Felix, Lena, Jonas, Maximilian, Katharina, Tobias, Julia, Florian, "
            "Johanna, Sebastian, Miriam, Moritz, Franziska, Jan"
        ),
        _names(
            "Müller, Schmidt, Schneider, Fischer, Weber, Becker, Hoffmann, Schäfer, Koch, "
            "Richter, Wagner, Zimmermann, Braun, Hartmann, Krüger, Vogel"
        ),
        ("de", "en"),
    ),
    "italian": (
        _names(
            "Giulia, Marco, Francesca, Alessandro, Chiara, Lorenzo, Federica, Matteo, "
            "Valentina, Andrea, Davide, Elisa, Riccardo, Martina, Stefano, Silvia"
        ),
        _names(
            "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, "
            "Bruno, Gallo, Conti, De Luca, Mancini, Fabbri"
        ),
        ("it", "en"),
    ),
    "indian": (
        _names(
            "Priya, Arjun, Ananya, Rohan, Kavya, Vikram, Neha, Aditya, Meera, Siddharth, "
            "Pooja, Rahul, Divya, Karan, Shreya, Nikhil, Lakshmi, Varun"
        ),
        _names(
            "Sharma, Patel, Iyer, Reddy, Nair, Gupta, Mehta, Kapoor, Menon, Rao, Bhat, "
            "Chatterjee, Desai, Joshi, Krishnan, Banerjee"
        ),
        ("en", "hi"),
    ),
    "chinese": (
        _names(
            "Wei, Jing, Hao, Yan, Lei, Min, Jun, Xin, Tao, Fang, Ming, Qing, Hui, Yifan, "
            "Zihan, Xiaoyu, Haoran, Yuting"
        ),
        _names(
            "Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Hu, Guo"
        ),
        ("zh", "en"),
    ),
    "singaporean": (
        _names(
            "Darren, Jasmine, Kenneth, Sharon, Benjamin, Shu Min, Jun Wei, Li Ting, Kai Xiang, "
            "Wei Ling, Gabriel, Cheryl, Hui Min, Javier, Grace, Ryan"
        ),
        _names("Tan, Lim, Lee, Ng, Ong, Goh, Chua, Koh, Teo, Wong, Chan, Yeo, Tay, Sim"),
        ("en", "zh"),
    ),
    "malay": (
        _names("Nurul, Farhan, Siti, Hafiz, Aisyah, Irfan, Amirah, Haziq, Syafiqah, Danial"),
        _names("Rahman, Ismail, Hassan, Osman, Yusof, Salleh, Abdullah, Ibrahim, Kamal"),
        ("en", "ms"),
    ),
    "nigerian": (
        _names(
            "Chinedu, Adaeze, Oluwaseun, Ngozi, Emeka, Funmilayo, Tunde, Chioma, Ifeoma, "
            "Babajide, Amaka, Olumide, Kemi, Obinna"
        ),
        _names(
            "Okafor, Adeyemi, Okonkwo, Balogun, Eze, Adebayo, Nwosu, Ogunleye, Obi, Afolabi, "
            "Chukwu, Oyelaran"
        ),
        ("en",),
    ),
    "brazilian": (
        _names(
            "João, Ana, Pedro, Beatriz, Rafael, Larissa, Gabriel, Fernanda, Thiago, Camila, "
            "Felipe, Juliana, Bruno, Mariana, Gustavo, Letícia"
        ),
        _names(
            "Silva, Santos, Oliveira, Souza, Pereira, Costa, Almeida, Carvalho, Ribeiro, Rocha, "
            "Barbosa, Araújo, Cardoso, Nogueira, Teixeira, Moura"
        ),
        ("pt", "en"),
    ),
    "maghrebi": (
        _names(
            "Karim, Yasmine, Mehdi, Sofia, Nadia, Rachid, Leïla, Samir, Amina, Youssef, Sarah, "
            "Hakim, Myriam, Nassim"
        ),
        _names(
            "Benali, Haddad, Bouzid, Mansouri, Cherif, El Amrani, Belkacem, Saidi, Brahimi, "
            "Khelifi, Benyahia, Ziani"
        ),
        ("fr", "ar", "en"),
    ),
}

# site -> origin weights
_SITE_ORIGINS: dict[str, dict[str, int]] = {
    "Paris": {
        "french": 58,
        "maghrebi": 7,
        "spanish": 5,
        "italian": 5,
        "german": 4,
        "british": 4,
        "indian": 4,
        "chinese": 4,
        "brazilian": 4,
        "nigerian": 3,
        "american": 2,
    },
    "Lyon": {
        "french": 66,
        "maghrebi": 9,
        "italian": 6,
        "spanish": 5,
        "german": 4,
        "brazilian": 3,
        "nigerian": 3,
        "chinese": 2,
        "indian": 2,
    },
    "London": {
        "british": 48,
        "indian": 15,
        "nigerian": 10,
        "french": 8,
        "spanish": 5,
        "italian": 5,
        "chinese": 4,
        "german": 3,
        "american": 2,
    },
    "New York": {
        "american": 55,
        "indian": 10,
        "spanish": 8,
        "chinese": 7,
        "brazilian": 7,
        "nigerian": 6,
        "french": 5,
        "british": 2,
    },
    "Singapore": {
        "singaporean": 40,
        "malay": 8,
        "chinese": 15,
        "indian": 18,
        "french": 8,
        "british": 6,
        "american": 5,
    },
}

# Sites where each department's people work, with weights, for juniors not co-located.
_DEPARTMENT_SITES: dict[str, dict[str, int]] = {
    "Executive Office": {"Paris": 1},
    "Finance": {"Paris": 70, "Lyon": 10, "London": 15, "New York": 5},
    "Sales": {"Paris": 35, "Lyon": 5, "London": 20, "New York": 20, "Singapore": 20},
    "Marketing & Communications": {"Paris": 65, "London": 15, "New York": 10, "Singapore": 10},
    "Operations": {"Lyon": 55, "Paris": 25, "Singapore": 20},
    "Human Resources": {"Paris": 70, "Lyon": 20, "London": 10},
    "IT & Digital": {"Paris": 50, "Lyon": 25, "London": 15, "Singapore": 10},
    "Legal & Compliance": {"Paris": 75, "London": 15, "New York": 10},
    "Research & Development": {"Lyon": 60, "Paris": 20, "Singapore": 20},
    "Customer Service": {"Lyon": 65, "Paris": 15, "Singapore": 10, "New York": 10},
}

# Fixed people: key -> (name, site, languages). Their names are reserved before drawing others.
_FIXED_PEOPLE: dict[str, tuple[str, str, list[str]]] = {
    "ceo": ("Hélène Marchand", "Paris", ["fr", "en", "de"]),
    "demo-leader": ("Nathalie Rousseau", "Paris", ["fr", "en"]),
    "demo-mentee": ("Marc Delacroix", "Paris", ["fr", "en", "it"]),
    "hr-admin": ("Camille Laurent", "Paris", ["fr", "en", "es"]),
    "demo-mentor": ("Inès Haddad", "Paris", ["fr", "en", "ar"]),
}

_CEO_TITLE = "Chief Executive Officer"

# Executive committee: (department, title, site, fixed key or None)
_EXCO: list[tuple[str, str, str, str | None]] = [
    ("Finance", "Chief Financial Officer", "Paris", None),
    ("Sales", "Chief Sales Officer", "London", None),
    ("Marketing & Communications", "Chief Marketing & Communications Officer", "Paris", None),
    ("Operations", "Chief Operating Officer", "Paris", None),
    ("Human Resources", "Chief Human Resources Officer", "Paris", "demo-leader"),
    ("IT & Digital", "Chief Digital Officer", "Paris", None),
    ("Legal & Compliance", "General Counsel", "Paris", None),
    ("Research & Development", "Chief Innovation Officer", "Lyon", None),
]

# Department -> executive-committee department its directors report to.
_REPORTS_TO_EXCO_OF: dict[str, str] = {"Customer Service": "Operations"}

# Directors: department -> [(title, level, site, fixed key or None)]. A level-7 director reports
# to a level-8 one of the same department when there is one, otherwise to the department head.
_DIRECTORS: dict[str, list[tuple[str, int, str, str | None]]] = {
    "Executive Office": [("Chief of Staff to the CEO", 8, "Paris", None)],
    "Finance": [
        ("Group Financial Controller", 8, "Paris", None),
        ("Director of Financial Planning & Analysis", 7, "Paris", None),
        ("Director of Treasury", 7, "London", None),
        ("Director of Tax", 7, "Paris", None),
    ],
    "Sales": [
        ("Vice President, Sales Europe", 8, "Paris", "demo-mentee"),
        ("Vice President, Sales Americas", 8, "New York", None),
        ("Vice President, Sales Asia-Pacific", 8, "Singapore", None),
        ("Director of Sales Operations", 7, "Paris", None),
    ],
    "Marketing & Communications": [
        ("Vice President, Brand & Communications", 8, "Paris", None),
        ("Director of Corporate Communications", 7, "Paris", None),
        ("Director of Digital Marketing", 7, "Paris", None),
        ("Director of Public Affairs", 7, "London", None),
    ],
    "Operations": [
        ("Vice President, Supply Chain", 8, "Lyon", None),
        ("Director of Manufacturing", 7, "Lyon", None),
        ("Director of Procurement", 7, "Paris", None),
    ],
    "Customer Service": [
        ("Vice President, Customer Experience", 8, "Lyon", None),
        ("Director of Customer Service Operations", 7, "Lyon", None),
    ],
    "Human Resources": [
        ("Vice President, Talent & Learning", 8, "Paris", None),
        ("Director of Compensation & Benefits", 7, "Paris", None),
        ("Director of HR Business Partners", 7, "Lyon", None),
    ],
    "IT & Digital": [
        ("Vice President, Digital Transformation", 8, "Paris", None),
        ("Chief Information Security Officer", 8, "Paris", None),
        ("Director of IT Infrastructure", 7, "Lyon", None),
        ("Director of Data & Analytics", 7, "London", None),
    ],
    "Legal & Compliance": [
        ("Deputy General Counsel", 8, "Paris", None),
        ("Director of Compliance, Americas", 7, "New York", None),
    ],
    "Research & Development": [
        ("Vice President, Research", 8, "Lyon", None),
        ("Director of Product Development", 7, "Lyon", None),
        ("Director, Innovation Lab", 7, "Paris", None),
        ("Director, Asia R&D Centre", 7, "Singapore", None),
    ],
}

# Managers: department -> [(title, level, site, director title they report to, fixed key)]
_MANAGERS: dict[str, list[tuple[str, int, str, str, str | None]]] = {
    "Finance": [
        (
            "Senior Manager, Management Reporting",
            6,
            "Paris",
            "Director of Financial Planning & Analysis",
            None,
        ),
        ("Accounts Payable Team Lead", 4, "Lyon", "Group Financial Controller", None),
    ],
    "Sales": [
        ("Regional Sales Manager, France", 6, "Paris", "Vice President, Sales Europe", None),
        ("Sales Manager, North America", 5, "New York", "Vice President, Sales Americas", None),
        (
            "Sales Manager, Southeast Asia",
            5,
            "Singapore",
            "Vice President, Sales Asia-Pacific",
            None,
        ),
    ],
    "Marketing & Communications": [
        ("Head of Social Media", 6, "Paris", "Director of Digital Marketing", None),
        ("Content Marketing Manager", 5, "Paris", "Director of Corporate Communications", None),
        (
            "Brand Manager, Asia-Pacific",
            5,
            "Singapore",
            "Vice President, Brand & Communications",
            None,
        ),
    ],
    "Operations": [
        ("Plant Operations Manager", 6, "Lyon", "Director of Manufacturing", None),
        ("Logistics Manager, Asia", 5, "Singapore", "Vice President, Supply Chain", None),
    ],
    "Customer Service": [
        ("Customer Care Manager", 5, "Lyon", "Director of Customer Service Operations", None),
        ("Social Customer Care Lead", 4, "Lyon", "Vice President, Customer Experience", None),
    ],
    "Human Resources": [
        (
            "Reverse Mentoring Program Manager",
            6,
            "Paris",
            "Vice President, Talent & Learning",
            "hr-admin",
        ),
        ("HR Operations Manager", 5, "Lyon", "Director of Compensation & Benefits", None),
    ],
    "IT & Digital": [
        (
            "Engineering Manager, Digital Products",
            6,
            "Paris",
            "Vice President, Digital Transformation",
            None,
        ),
        ("IT Service Desk Manager", 5, "Lyon", "Director of IT Infrastructure", None),
        ("Data Engineering Lead", 5, "London", "Director of Data & Analytics", None),
    ],
    "Legal & Compliance": [
        ("Senior Legal Counsel", 6, "Paris", "Deputy General Counsel", None),
    ],
    "Research & Development": [
        ("Product Development Manager", 6, "Lyon", "Director of Product Development", None),
        ("Materials Lab Manager", 5, "Lyon", "Vice President, Research", None),
    ],
}

# Juniors: department -> (how many, [(title, level)]). Level-3 titles repeat to weigh the draw.
_JUNIORS: dict[str, tuple[int, list[tuple[str, int]]]] = {
    "Finance": (
        6,
        [
            ("Finance Intern", 1),
            ("Graduate Trainee, Finance", 2),
            ("Financial Analyst", 3),
            ("Junior Accountant", 3),
            ("FP&A Analyst", 3),
            ("Treasury Analyst", 3),
        ],
    ),
    "Sales": (
        8,
        [
            ("Sales Intern", 1),
            ("Graduate Trainee, Sales", 2),
            ("Sales Development Representative", 3),
            ("Inside Sales Associate", 3),
            ("Sales Operations Analyst", 3),
            ("Junior Account Executive", 3),
        ],
    ),
    "Marketing & Communications": (
        10,
        [
            ("Marketing Intern", 1),
            ("Communications Apprentice", 2),
            ("Community Manager", 3),
            ("Marketing Analyst", 3),
            ("Content Creator", 3),
            ("Social Media Associate", 3),
            ("Digital Marketing Associate", 3),
        ],
    ),
    "Operations": (
        5,
        [
            ("Operations Intern", 1),
            ("Graduate Trainee, Operations", 2),
            ("Supply Chain Analyst", 3),
            ("Logistics Coordinator", 3),
            ("Procurement Associate", 3),
        ],
    ),
    "Customer Service": (
        6,
        [
            ("Customer Service Intern", 1),
            ("Customer Service Apprentice", 2),
            ("Customer Support Associate", 3),
            ("Customer Insights Analyst", 3),
            ("Social Customer Care Agent", 3),
        ],
    ),
    "Human Resources": (
        5,
        [
            ("HR Intern", 1),
            ("Graduate Trainee, Human Resources", 2),
            ("HR Analyst", 3),
            ("Talent Acquisition Associate", 3),
            ("Employer Branding Associate", 3),
        ],
    ),
    "IT & Digital": (
        10,
        [
            ("IT Intern", 1),
            ("Apprentice Developer", 2),
            ("Junior Software Developer", 3),
            ("Data Analyst", 3),
            ("Cloud Engineer", 3),
            ("UX Designer", 3),
            ("Cybersecurity Analyst", 3),
            ("Junior Software Developer", 3),
        ],
    ),
    "Legal & Compliance": (
        3,
        [
            ("Legal Intern", 1),
            ("Paralegal", 2),
            ("Compliance Analyst", 3),
            ("Junior Legal Counsel", 3),
        ],
    ),
    "Research & Development": (
        7,
        [
            ("R&D Intern", 1),
            ("Graduate Trainee, R&D", 2),
            ("Lab Technician", 2),
            ("Research Associate", 3),
            ("Junior Product Engineer", 3),
            ("Data Scientist", 3),
        ],
    ),
}

_DEMO_MENTOR_JOB = ("Marketing & Communications", "Community Manager", 3)

_SITES: list[str] = ["Paris", "Lyon", "London", "New York", "Singapore"]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z-]", "", ascii_text.lower())


def _email_local(name: str) -> str:
    first, _, last = name.partition(" ")
    return f"{_slug(first)}.{_slug(last)}"


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    options = sorted(weights)
    return rng.choices(options, weights=[weights[o] for o in options])[0]


class _Identities:
    """Draws unique names and emails, with languages consistent with origin and site."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.locals: set[str] = set()
        self.keys: set[str] = set(_FIXED_PEOPLE)

    def reserve(self, name: str) -> str:
        self.names.add(name)
        return self._unique_local(_email_local(name))

    def _unique_local(self, local: str) -> str:
        candidate, number = local, 1
        while candidate in self.locals:
            number += 1
            candidate = f"{local}{number}"
        self.locals.add(candidate)
        return candidate

    def key_for(self, local: str) -> str:
        base = local.replace(".", "-")
        key, number = base, 1
        while key in self.keys:
            number += 1
            key = f"{base}-{number}"
        self.keys.add(key)
        return key

    def draw(self, site: str, executive: bool) -> tuple[str, str, list[str]]:
        rng = self.rng
        origin = _weighted(rng, _SITE_ORIGINS[site])
        firsts, lasts, native = _ORIGINS[origin]
        name = local = ""
        for _ in range(60):
            first, last = rng.choice(firsts), rng.choice(lasts)
            name = f"{first} {last}"
            local = f"{_slug(first)}.{_slug(last)}"
            if name not in self.names and local not in self.locals:
                break
        self.names.add(name)
        local = self._unique_local(local)
        return name, local, self._languages(origin, native, site, executive)

    def _languages(
        self, origin: str, native: tuple[str, ...], site: str, executive: bool
    ) -> list[str]:
        rng = self.rng
        languages = list(native)
        if origin == "french" and site in _FRANCE and not executive and rng.random() < 0.1:
            languages = ["fr"]
        if site in _FRANCE and "fr" not in languages and rng.random() < 0.7:
            languages.append("fr")
        if site not in _FRANCE and "en" not in languages:
            languages.append("en")
        if rng.random() < 0.15:
            extra = rng.choice(["es", "de", "it", "fr"])
            if extra not in languages:
                languages.append(extra)
        return languages


def build_demo_org(seed: int = 2026) -> dict:
    """Return the deterministic demo company Altamira Group: departments, sites and people."""
    rng = random.Random(seed)  # noqa: S311
    identities = _Identities(rng)
    fixed_locals = {key: identities.reserve(name) for key, (name, _, _) in _FIXED_PEOPLE.items()}
    people: list[dict] = []

    def add(
        department: str,
        title: str,
        level: int,
        manager_key: str | None,
        site: str,
        fixed_key: str | None = None,
    ) -> dict:
        if fixed_key is not None:
            name, site, languages = _FIXED_PEOPLE[fixed_key]
            local, key = fixed_locals[fixed_key], fixed_key
        else:
            name, local, languages = identities.draw(site, executive=level >= 7)
            key = identities.key_for(local)
        group = "executive" if level >= 7 else "other" if level >= 4 else "junior"
        person = {
            "key": key,
            "email": f"{local}@{DOMAIN}",
            "name": name,
            "department": department,
            "title": title,
            "seniority_level": level,
            "manager_key": manager_key,
            "timezone": SITE_TIMEZONES[site],
            "site": site,
            "languages": list(languages),
            "group": group,
        }
        people.append(person)
        return person

    ceo = add("Executive Office", _CEO_TITLE, 10, None, "Paris", "ceo")
    heads: dict[str, dict] = {"Executive Office": ceo}
    for department, title, site, fixed_key in _EXCO:
        heads[department] = add(department, title, 9, ceo["key"], site, fixed_key)
    for department, head_of in _REPORTS_TO_EXCO_OF.items():
        heads[department] = heads[head_of]

    directors: dict[str, dict] = {}
    for department, specs in _DIRECTORS.items():
        vice_presidents: list[dict] = []
        for index, (title, level, site, fixed_key) in enumerate(specs):
            if level == 8 or not vice_presidents:
                manager = heads[department]
            else:
                manager = vice_presidents[index % len(vice_presidents)]
            person = add(department, title, level, manager["key"], site, fixed_key)
            if level == 8:
                vice_presidents.append(person)
            directors[title] = person

    managers: dict[str, list[dict]] = {}
    for department, specs in _MANAGERS.items():
        for title, level, site, director_title, fixed_key in specs:
            boss = directors[director_title]
            person = add(department, title, level, boss["key"], site, fixed_key)
            managers.setdefault(department, []).append(person)

    for department, (count, titles) in _JUNIORS.items():
        team = managers[department]
        for index in range(count):
            manager = team[index % len(team)]
            if (department, index) == (_DEMO_MENTOR_JOB[0], 0):
                _, title, level = _DEMO_MENTOR_JOB
                add(department, title, level, manager["key"], "Paris", "demo-mentor")
                continue
            title, level = rng.choice(titles)
            if rng.random() < 0.6:
                site = manager["site"]
            else:
                site = _weighted(rng, _DEPARTMENT_SITES[department])
            add(department, title, level, manager["key"], site)

    return {
        "company": COMPANY,
        "domain": DOMAIN,
        "departments": list(DEPARTMENTS),
        "sites": list(_SITES),
        "people": people,
    }


# ---------------------------------------------------------------------------------------------
# Enrollments
# ---------------------------------------------------------------------------------------------

_MENTEE_COUNT = 36
_MENTOR_COUNT = 50

# How much executives ask for each topic, and how many juniors feel able to teach it.
_MENTEE_TOPIC_WEIGHTS: dict[str, float] = {
    "Generative AI tools at work": 6,
    "LinkedIn profile and network": 5,
    "Posting and personal branding": 4,
    "Digital security and privacy": 3,
    "Online crisis response": 3,
    "Internal social networks (Yammer/Teams/Slack)": 2.5,
    "Social listening and monitoring": 2,
    "Answering critics and not feeding trolls": 2,
    "Mobile-first habits": 2,
    "Measuring social media results": 1.5,
    "Content with a call to action": 1.5,
    "X/Twitter basics": 1,
    "Community building": 1,
}
_MENTOR_TOPIC_WEIGHTS: dict[str, float] = {
    "LinkedIn profile and network": 5,
    "Generative AI tools at work": 5,
    "Mobile-first habits": 4,
    "Internal social networks (Yammer/Teams/Slack)": 3,
    "Posting and personal branding": 3,
    "X/Twitter basics": 2.5,
    "Content with a call to action": 2,
    "Digital security and privacy": 2,
    "Community building": 1.5,
    "Social listening and monitoring": 1.5,
    "Measuring social media results": 1.5,
    "Answering critics and not feeding trolls": 1,
    "Online crisis response": 1,
}
_DEPARTMENT_TOPICS: dict[str, tuple[str, ...]] = {
    "Finance": ("Generative AI tools at work", "Measuring social media results"),
    "Sales": ("LinkedIn profile and network", "Content with a call to action"),
    "Marketing & Communications": (
        "Posting and personal branding",
        "Social listening and monitoring",
        "Online crisis response",
        "Measuring social media results",
        "Community building",
        "Content with a call to action",
        "X/Twitter basics",
    ),
    "Operations": ("Mobile-first habits", "Internal social networks (Yammer/Teams/Slack)"),
    "Customer Service": (
        "Answering critics and not feeding trolls",
        "Social listening and monitoring",
        "Community building",
    ),
    "Human Resources": (
        "LinkedIn profile and network",
        "Internal social networks (Yammer/Teams/Slack)",
        "Posting and personal branding",
    ),
    "IT & Digital": (
        "Generative AI tools at work",
        "Digital security and privacy",
        "Mobile-first habits",
    ),
    "Legal & Compliance": (
        "Digital security and privacy",
        "Answering critics and not feeding trolls",
        "Online crisis response",
    ),
    "Research & Development": ("Generative AI tools at work", "Community building"),
    "Executive Office": ("Online crisis response", "Posting and personal branding"),
}

_DEMO_MENTEE_TOPICS = [
    "Generative AI tools at work",
    "LinkedIn profile and network",
    "Posting and personal branding",
    "Online crisis response",
]
_DEMO_MENTOR_TOPICS = [
    "LinkedIn profile and network",
    "Posting and personal branding",
    "Generative AI tools at work",
    "Community building",
]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _draw_topics(
    rng: random.Random,
    topic_names: list[str],
    base: dict[str, float],
    department: str,
) -> list[str]:
    if not topic_names:
        return []
    boosted = set(_DEPARTMENT_TOPICS.get(department, ()))
    pool = list(dict.fromkeys(topic_names))
    weights = [base.get(name, 1.5) * (2.5 if name in boosted else 1) for name in pool]
    chosen: list[str] = []
    for _ in range(min(rng.randint(3, 5), len(pool))):
        index = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(index))
        weights.pop(index)
    return chosen


def _fixed_topics(rng: random.Random, wanted: list[str], topic_names: list[str]) -> list[str]:
    topics = [name for name in wanted if name in topic_names]
    rest = [name for name in topic_names if name not in topics]
    while len(topics) < 3 and rest:
        topics.append(rest.pop(rng.randrange(len(rest))))
    return topics


def _availability(rng: random.Random, executive: bool) -> list[dict]:
    """Two to four weekday windows in local working hours, on distinct days."""
    windows = []
    for day in sorted(rng.sample(range(5), rng.randint(2, 4))):
        if executive:
            # Busy diaries: an hour or ninety minutes early, at lunch or at the end of the day.
            start = rng.choice([8 * 60, 8 * 60 + 30, 12 * 60, 12 * 60 + 30, 17 * 60, 17 * 60 + 30])
            end = start + rng.choice([60, 60, 90])
        else:
            start = rng.randrange(9 * 60, 16 * 60 + 1, 30)
            end = min(start + rng.randrange(60, 181, 30), 18 * 60 + 30)
        windows.append({"day": day, "start": _hhmm(start), "end": _hhmm(end)})
    return windows


def build_demo_enrollments(org: dict, topic_names: list[str], seed: int = 2026) -> dict:
    """Return deterministic demo mentor and mentee enrollments for an org from build_demo_org."""
    rng = random.Random(seed)  # noqa: S311
    people = org["people"]
    order = {person["key"]: index for index, person in enumerate(people)}

    excluded = {person["key"] for person in people if person["manager_key"] is None}
    excluded.add("demo-leader")
    executives = [
        person
        for person in people
        if person["group"] == "executive" and person["key"] not in excluded
    ]
    juniors = [person for person in people if person["group"] == "junior"]

    def pick(candidates: list[dict], demo_key: str, count: int) -> list[dict]:
        forced = [person for person in candidates if person["key"] == demo_key]
        others = [person for person in candidates if person["key"] != demo_key]
        chosen = forced + rng.sample(others, max(0, min(count - len(forced), len(others))))
        return sorted(chosen, key=lambda person: order[person["key"]])

    mentees = []
    for person in pick(executives, "demo-mentee", _MENTEE_COUNT):
        if person["key"] == "demo-mentee":
            topics = _fixed_topics(rng, _DEMO_MENTEE_TOPICS, topic_names)
            availability = [
                {"day": 1, "start": "08:00", "end": "09:00"},
                {"day": 3, "start": "12:30", "end": "13:30"},
                {"day": 4, "start": "17:00", "end": "18:00"},
            ]
        else:
            topics = _draw_topics(rng, topic_names, _MENTEE_TOPIC_WEIGHTS, person["department"])
            availability = _availability(rng, executive=True)
        mentees.append({"key": person["key"], "topics": topics, "availability": availability})

    mentors = []
    for person in pick(juniors, "demo-mentor", _MENTOR_COUNT):
        if person["key"] == "demo-mentor":
            topics = _fixed_topics(rng, _DEMO_MENTOR_TOPICS, topic_names)
            capacity = 2
            availability = [
                {"day": 1, "start": "08:00", "end": "10:00"},
                {"day": 2, "start": "14:00", "end": "16:00"},
                {"day": 3, "start": "12:00", "end": "14:00"},
            ]
        else:
            topics = _draw_topics(rng, topic_names, _MENTOR_TOPIC_WEIGHTS, person["department"])
            capacity = 2 if rng.random() < 0.25 else 1
            availability = _availability(rng, executive=False)
        mentors.append(
            {
                "key": person["key"],
                "topics": topics,
                "capacity": capacity,
                "availability": availability,
            }
        )

    return {"mentors": mentors, "mentees": mentees}


# ---------------------------------------------------------------------------------------------
# What pairs talk about: agendas and log notes drawn from each topic
# ---------------------------------------------------------------------------------------------

# topic -> [(what the pair does, what the executive takes away, what the junior observes)]
TOPIC_TALK: dict[str, list[tuple[str, str, str]]] = {
    "LinkedIn profile and network": [
        (
            "Rewrite the LinkedIn headline and About section",
            "my headline now says what I do for clients, not just my title",
            "the first draft was a CV; the second one sounds like a person",
        ),
        (
            "Sort the pending connection requests",
            "I accepted 30 requests and ignored the recruiters I do not know",
            "we agreed on a rule for whom to accept; it took ten minutes to apply",
        ),
        (
            "Find 20 clients and peers worth connecting with",
            "the list of 20 people is done, with a personal note for each",
            "the list was strong on clients, weak on peers in other industries",
        ),
        (
            "Look at who viewed the profile and why",
            "three of last week's visitors were candidates for the open roles",
            "profile views doubled after the new photo and headline",
        ),
    ],
    "Posting and personal branding": [
        (
            "Choose three signature themes",
            "supply-chain resilience, mentoring and our plants are my three themes",
            "the themes are clear; the hard part will be saying no to the rest",
        ),
        (
            "Draft the next post together",
            "the draft is shorter than I wanted and better for it",
            "we cut the draft from 400 words to 120 and kept one strong photo",
        ),
        (
            "Review the last post's comments and reach",
            "2,900 views and 40 comments; the question at the end worked",
            "the post did best in its first two hours: posting at 8:00 helps",
        ),
        (
            "Plan a posting calendar for the quarter",
            "one post a month, written the week before, feels sustainable",
            "the calendar is realistic; we kept two weeks free for news",
        ),
    ],
    "X/Twitter basics": [
        (
            "Tour of X: handles, threads, lists and hashtags",
            "I finally understand the difference between a reply and a quote",
            "the vocabulary was new; by the end the timeline made sense",
        ),
        (
            "Build a list of journalists and analysts to follow",
            "a private list of 25 accounts replaces my morning press review",
            "the list is the most useful thing we set up so far",
        ),
        (
            "Secure the account and claim the handle",
            "the handle matches my LinkedIn name and two-factor is on",
            "we found an old unused account to close first",
        ),
    ],
    "Social listening and monitoring": [
        (
            "Set up saved searches on our brand and two competitors",
            "I now get a daily digest instead of hearing news from the press office",
            "the searches needed exclusions: half the hits were a football club",
        ),
        (
            "Read a month of mentions and spot the patterns",
            "most complaints are about delivery times, not the product",
            "the mentions tell a clearer story than the last survey",
        ),
        (
            "Compare the alerts with what customer service hears",
            "social and the call centre say the same thing two days apart",
            "we should share the digest with customer service",
        ),
    ],
    "Answering critics and not feeding trolls": [
        (
            "Practise answering a hostile comment",
            "answer once, with facts, then take it to a private message",
            "the second answer was calm and short; the first one was defensive",
        ),
        (
            "Tell a critic from a troll on real examples",
            "a critic has a point and a name; a troll wants an audience",
            "we sorted twelve real comments and agreed on eleven",
        ),
        (
            "Write reply templates for the three usual complaints",
            "three reply templates, in my own words, ready to adapt",
            "templates help, as long as each answer still sounds personal",
        ),
    ],
    "Online crisis response": [
        (
            "Walk through last year's product recall as it unfolded online",
            "the first hour online matters more than the press release",
            "the timeline showed a four-hour silence that made things worse",
        ),
        (
            "Rehearse a crisis scenario with a fake viral post",
            "I know who to call first and what not to post",
            "the holding statement took 20 minutes; the target is 10",
        ),
        (
            "Read the crisis playbook and mark what is out of date",
            "the playbook still names Facebook groups we no longer use",
            "we listed five changes for the communications team",
        ),
    ],
    "Community building": [
        (
            "Map the communities our clients already belong to",
            "two user groups meet without us; we should be there",
            "the map showed more communities than either of us expected",
        ),
        (
            "Plan a first meetup with the user group",
            "a small breakfast for 15 clients is the right first step",
            "the plan is modest and doable, which is the point",
        ),
        (
            "Look at why people stay in an online group",
            "people stay for each other, not for our announcements",
            "we counted: the best groups have a member post for each brand post",
        ),
    ],
    "Internal social networks (Yammer/Teams/Slack)": [
        (
            "Tour the internal network and its busiest channels",
            "the plant teams talk there every day; I never looked",
            "the busiest channel is the one about the canteen, and that is fine",
        ),
        (
            "Write a first internal post to the whole division",
            "my first post got 120 reactions and six real questions",
            "answering the questions mattered more than the post itself",
        ),
        (
            "Replace a monthly e-mail with a Teams update",
            "the update reached more people and got replies the same day",
            "we set up a channel so the replies do not flood anyone's inbox",
        ),
    ],
    "Content with a call to action": [
        (
            "Turn a job opening into a post with a clear ask",
            "one sentence on why I would join the team did more than the ad",
            "the post brought 14 applications in a week",
        ),
        (
            "Rewrite an event invitation so people sign up",
            "the ask now comes first and the link is in the first line",
            "we tested two versions; the short one won",
        ),
        (
            "Look at which posts led to an action and why",
            "posts with a question or a link to act on did three times better",
            "the numbers convinced more than my advice did",
        ),
    ],
    "Mobile-first habits": [
        (
            "Set up the phone for the apps that matter",
            "notifications only for people, not for every like",
            "the home screen is down to one page of apps",
        ),
        (
            "Answer messages from the phone in five minutes a day",
            "five minutes after lunch clears the LinkedIn inbox",
            "the habit stuck better than the calendar reminder did",
        ),
        (
            "Record and edit a short video on the phone",
            "a 40-second video from the plant floor, filmed in one take",
            "the sound was the problem, not the image: a clip-on microphone fixes it",
        ),
    ],
    "Generative AI tools at work": [
        (
            "Try the AI assistant on a real board memo",
            "a good summary in a minute, but I had to check every number",
            "the prompt got better once we gave it the audience and the length",
        ),
        (
            "Write prompts for the weekly reporting",
            "three saved prompts now draft my weekly note",
            "the best prompt asks the tool to list what it is unsure about",
        ),
        (
            "Go through what may and may not go into an AI tool",
            "client names and unpublished figures stay out; the policy is clear",
            "we checked the company policy together; it is stricter than the tools",
        ),
        (
            "Use AI to prepare a difficult conversation",
            "a role-play of the meeting helped me find the right first sentence",
            "the tool played a sceptical client surprisingly well",
        ),
    ],
    "Digital security and privacy": [
        (
            "Turn on two-factor authentication everywhere",
            "every account now asks for a code; the password manager is installed",
            "three accounts still used the same password; not any more",
        ),
        (
            "Check what the internet knows about me",
            "my home address was on an old event page; it is removed now",
            "the search found more than expected, mostly old and harmless",
        ),
        (
            "Spot the phishing e-mails in a real inbox",
            "the fake invoice looked real until we checked the sender",
            "the check takes ten seconds once you know where to look",
        ),
    ],
    "Measuring social media results": [
        (
            "Read the analytics of the last three posts",
            "reach is not the point; comments from clients are",
            "we picked two numbers to watch and ignored the rest",
        ),
        (
            "Set a goal for the quarter and how to measure it",
            "the goal is ten conversations with clients that started online",
            "a goal in conversations is better than one in followers",
        ),
        (
            "Compare the company page with personal posts",
            "my posts reach four times more people than the company page",
            "personal posts win on reach; the page wins on clicks to the site",
        ),
    ],
    "Business insight from executives": [
        (
            "How the executive committee prepares a decision",
            "explaining the committee's calendar made me see how decisions really happen",
            "I learned why a decision takes three meetings and who speaks first",
        ),
        (
            "Read the last annual results together",
            "walking through the results helped me explain our margins simply",
            "I can now read the results page and explain the margin to my team",
        ),
        (
            "How a large client negotiation is run",
            "telling the story of the negotiation reminded me what matters",
            "the negotiation is mostly preparation; the meeting itself is short",
        ),
    ],
}

# How an agenda reads, around what the pair will work on.
AGENDA_PHRASES: list[str] = [
    "{activity}.",
    "{activity}; then the homework for next time.",
    "First the questions from last time, then: {activity_lower}.",
    "{topic}: {activity_lower}.",
    "{activity}, and agree on the next step for \u201c{goal}\u201d.",
    "Quick check on \u201c{goal}\u201d, then {activity_lower}.",
]

# How a log note reads, from each side (the executive writes the mentee's, the junior the
# mentor's).
MENTEE_NOTE_PHRASES: list[str] = [
    "{activity} with {other}: {takeaway}.",
    "We worked on {topic_lower}. Main point: {takeaway}.",
    "{takeaway_cap}. Next time we go on with {topic_lower}.",
    "Useful hour. {takeaway_cap}.",
]
MENTOR_NOTE_PHRASES: list[str] = [
    "{activity} with {other}: {observation}.",
    "{topic}: {observation}.",
    "{observation_cap}. Homework agreed for next time.",
    "Good session with {other}; {observation}.",
]
# What each side says to HR: an executive about the junior's teaching, a junior about
# the executive and what they learn in return (both lists the same length, so either
# draws the same random numbers).
FEEDBACK_PHRASES: list[str] = [
    "Very practical, I use what we did every week.",
    "Would like more time on measuring results.",
    "Great energy; we should meet in person more often.",
    "The hour goes fast: a written summary after each meeting would help.",
    "I finally understand what my team posts about.",
    "Clear, patient and well prepared.",
]
MENTOR_FEEDBACK_PHRASES: list[str] = [
    "I learn as much about the business as I teach.",
    "They practise between meetings, and it shows.",
    "Great energy; we should meet in person more often.",
    "The hour goes fast: a written summary after each meeting would help.",
    "Hearing how decisions are taken at the top is worth the hour.",
    "Open to trying things, even when it feels awkward at first.",
]
LOW_FEEDBACK_PHRASES: list[str] = [
    "Hard to find time; we keep moving the meeting.",
    "We did not prepare enough and it showed.",
    "Not sure we are working on the right topic.",
]


def build_other_enrollments(
    org: dict,
    topic_names: list[str],
    *,
    seed: int,
    mentee_count: int,
    mentor_count: int,
    exclude: frozenset[str] = frozenset(),
    prefer: frozenset[str] = frozenset(),
    include: frozenset[str] = frozenset(),
) -> dict:
    """Return deterministic enrollments for another demo cohort (last year's or the next).

    Nobody in `exclude` takes part, everybody in `include` does, and people in `prefer`
    are chosen before the others; mentors have a capacity of 1.
    """
    rng = random.Random(seed)  # noqa: S311
    people = org["people"]
    order = {person["key"]: index for index, person in enumerate(people)}
    excluded = set(exclude) | {p["key"] for p in people if p["manager_key"] is None}
    excluded.add("demo-leader")

    def pick(group: str, count: int) -> list[dict]:
        pool = [p for p in people if p["group"] == group and p["key"] not in excluded]
        forced = [p for p in pool if p["key"] in include]
        first = [p for p in pool if p["key"] in prefer and p["key"] not in include]
        rest = [p for p in pool if p["key"] not in prefer and p["key"] not in include]
        rng.shuffle(first)
        rng.shuffle(rest)
        chosen = (forced + first + rest)[: max(count, len(forced))]
        return sorted(chosen, key=lambda person: order[person["key"]])

    mentees = [
        {
            "key": person["key"],
            "topics": _draw_topics(rng, topic_names, _MENTEE_TOPIC_WEIGHTS, person["department"]),
            "availability": _availability(rng, executive=True),
        }
        for person in pick("executive", mentee_count)
    ]
    mentors = [
        {
            "key": person["key"],
            "topics": _draw_topics(rng, topic_names, _MENTOR_TOPIC_WEIGHTS, person["department"]),
            "capacity": 1,
            "availability": _availability(rng, executive=False),
        }
        for person in pick("junior", mentor_count)
    ]
    return {"mentors": mentors, "mentees": mentees}
