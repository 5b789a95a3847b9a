"""Who may see and change a goal: the pair's rule, then the goal's owner.

Actions on a goal:
    view      see it (titles, status, milestones): the pair's members and HR
    evidence  read its evidence (link, note, attestation): the pair's members only
    edit      tick milestones, add evidence, change status, edit: the owner only
    accept    accept a goal proposed to them: the owner (mentee), while it is pending
    discard   decline (owner) or withdraw (proposer) a pending proposal

Someone else's goal is hidden (404) from a member who tries to change it, as the issue
asks; HR, who may know the pair, gets 403 for every change.
"""

from __future__ import annotations

from mentoring.goals.models import Goal
from mentoring.matching.access import pair_rule
from mentoring.people.models import Person
from mentoring.permissions import Access, object_rule


@object_rule(Goal)
def goal_rule(person: Person, goal: Goal, action: str) -> Access:
    """Members and HR see a goal; only its owner works on it; members alone read evidence."""
    if action == "view":
        return pair_rule(person, goal.pair, "view")
    membership = pair_rule(person, goal.pair, "participate")
    if membership is not Access.ALLOW:
        return membership
    if action == "evidence":
        return Access.ALLOW
    owner = goal.owner.person_id == person.id
    if action == "edit":
        return Access.ALLOW if owner else Access.HIDE
    if action == "accept":
        return Access.ALLOW if owner and goal.is_pending else Access.HIDE
    if action == "discard":
        proposer = goal.proposed_by is not None and goal.proposed_by.person_id == person.id
        return Access.ALLOW if goal.is_pending and (owner or proposer) else Access.HIDE
    return Access.HIDE
