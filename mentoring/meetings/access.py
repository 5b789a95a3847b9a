"""Meetings and series belong to a pair: their access is the pair's (see matching.access).

view         times and states: the two members and HR
participate  propose, confirm, move, cancel, log, download: the two members only
private      agendas, private notes, logs in full: the two members only, never HR
"""

from __future__ import annotations

from mentoring.matching.access import pair_rule
from mentoring.meetings.models import Meeting, MeetingSeries
from mentoring.people.models import Person
from mentoring.permissions import Access, object_rule


@object_rule(Meeting)
def meeting_rule(person: Person, meeting: Meeting, action: str) -> Access:
    """A meeting is seen and handled as its pair is."""
    return pair_rule(person, meeting.pair, action)


@object_rule(MeetingSeries)
def series_rule(person: Person, series: MeetingSeries, action: str) -> Access:
    """A series is seen and handled as its pair is."""
    return pair_rule(person, series.pair, action)
