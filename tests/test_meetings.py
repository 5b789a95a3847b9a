"""Meeting services: scheduling rules and bad input, the state machine, overlaps,
series, DST gaps and folds, logs, and the cadence of many pairs in few queries."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from mentoring.audit.models import AuditEvent
from mentoring.curriculum.models import Topic
from mentoring.domain import RuleViolation
from mentoring.extensions import db as _db
from mentoring.matching.models import Pair
from mentoring.meetings.logs import LogEntry, edit_log, log_meeting
from mentoring.meetings.models import Meeting, MeetingLog, MeetingSeries
from mentoring.meetings.overview import cadence_status, overdue_pairs, pair_meeting_summaries
from mentoring.meetings.scheduling import (
    MeetingDetails,
    cancel_future_meetings,
    cancel_meeting,
    confirm_meeting,
    confirm_series,
    propose_meeting,
    propose_series,
    reschedule_meeting,
)
from mentoring.meetings.timezones import (
    AmbiguousLocalTime,
    NonexistentLocalTime,
    UnknownTimeZone,
    local_to_utc,
)

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday morning
PARIS = "Europe/Paris"


def details(**changes) -> MeetingDetails:
    values = {
        "start_date": date(2027, 1, 11),
        "start_time": time(10, 0),
        "timezone": PARIS,
        "duration_minutes": 60,
        "location": "Room 4",
    }
    values.update(changes)
    return MeetingDetails(**values)


HELD = LogEntry(outcome="held", actual_minutes=55, rating=4)
NO_SHOW = LogEntry(outcome="no_show")


@pytest.fixture
def pair(db, make_pair) -> Pair:
    ids = make_pair(created_at=datetime(2026, 9, 1, tzinfo=UTC))
    return db.session.get(Pair, ids["pair"])


def members(pair: Pair):
    return pair.mentor.person, pair.mentee.person


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def confirmed(db, pair, **changes) -> Meeting:
    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(**changes), actor=mentee, now=NOW)
    confirm_meeting(meeting, actor=mentor, now=NOW)
    db.session.commit()
    return meeting


# -- local times ------------------------------------------------------------------------


def test_local_times_convert_to_utc_in_winter_and_summer():
    assert local_to_utc(date(2027, 1, 11), time(10, 0), PARIS) == datetime(
        2027, 1, 11, 9, 0, tzinfo=UTC
    )
    assert local_to_utc(date(2027, 7, 12), time(10, 0), PARIS) == datetime(
        2027, 7, 12, 8, 0, tzinfo=UTC
    )
    assert local_to_utc(date(2027, 7, 12), time(10, 0), "America/New_York") == datetime(
        2027, 7, 12, 14, 0, tzinfo=UTC
    )


def test_a_time_skipped_by_the_clocks_is_refused_naming_it():
    with pytest.raises(NonexistentLocalTime, match="Sun 28 Mar 2027 at 02:30 in Europe/Paris"):
        local_to_utc(date(2027, 3, 28), time(2, 30), PARIS)
    # Either side of the gap is fine.
    assert local_to_utc(date(2027, 3, 28), time(1, 59), PARIS).hour == 0
    assert local_to_utc(date(2027, 3, 28), time(3, 0), PARIS).hour == 1


def test_a_time_repeated_by_the_clocks_is_refused_naming_it():
    with pytest.raises(AmbiguousLocalTime, match="Sun 31 Oct 2027 at 02:30 .* happens twice"):
        local_to_utc(date(2027, 10, 31), time(2, 30), PARIS)
    assert local_to_utc(date(2027, 10, 31), time(3, 0), PARIS) == datetime(
        2027, 10, 31, 2, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd", "europe/paris"])
def test_unknown_time_zones_are_refused(zone):
    with pytest.raises(UnknownTimeZone):
        local_to_utc(date(2027, 1, 11), time(10, 0), zone)


# -- proposing --------------------------------------------------------------------------


def test_a_proposal_is_stored_in_utc_with_a_stable_uid(db, pair):
    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(timezone="America/New_York"), actor=mentee, now=NOW)
    db.session.commit()
    assert meeting.start_at == datetime(2027, 1, 11, 15, 0, tzinfo=UTC)
    assert meeting.end_at == datetime(2027, 1, 11, 16, 0, tzinfo=UTC)
    assert meeting.status == "proposed"
    assert meeting.sequence == 0
    assert meeting.proposed_by_id == mentee.id
    assert meeting.uid.endswith("@reverse-mentoring") and len(meeting.uid) > 36
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).start_at.tzinfo is not None


BAD_INPUT = [
    ({"start_date": date(2027, 1, 3)}, "start_date", "has already passed"),
    ({"start_date": date(2027, 1, 4), "start_time": time(8, 0)}, "start_date", "already passed"),
    ({"start_date": date(2029, 6, 1)}, "start_date", "more than two years"),
    ({"duration_minutes": 0}, "duration_minutes", "must end after it starts"),
    ({"duration_minutes": -30}, "duration_minutes", "must end after it starts"),
    ({"duration_minutes": 481}, "duration_minutes", "at most 8 hours"),
    ({"duration_minutes": None}, "duration_minutes", "Give the duration"),
    ({"timezone": "Mars/Olympus"}, "timezone", "'Mars/Olympus' is not a known time zone"),
    (
        {"start_date": date(2027, 3, 28), "start_time": time(2, 30)},
        "start_time",
        "02:30 in Europe/Paris does not exist",
    ),
    (
        {"start_date": date(2027, 10, 31), "start_time": time(2, 30)},
        "start_time",
        "02:30 in Europe/Paris happens twice",
    ),
    ({"start_date": None}, "start_date", "Choose the date"),
    ({"start_time": None}, "start_time", "Choose the start time"),
    ({"video_url": "javascript:alert(1)"}, "video_url", "https://"),
    ({"video_url": "ftp://files.example/x"}, "video_url", "https://"),
    ({"video_url": "meet.example/abc"}, "video_url", "https://"),
    ({"video_url": "https://meet.example/a b"}, "video_url", "spaces"),
    ({"location": "", "video_url": ""}, "location", "Say where you meet"),
    ({"location": "x" * 201}, "location", "too long"),
    ({"agenda": "x" * 4001}, "agenda", "too long"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_gets_a_message_on_its_field_and_writes_nothing(
    db, pair, changes, field, message
):
    mentor, _ = members(pair)
    with pytest.raises(RuleViolation) as caught:
        propose_meeting(pair, details(**changes), actor=mentor, now=NOW)
    db.session.rollback()
    assert caught.value.field == field
    assert message in caught.value.message
    assert count(db, Meeting) == 0


def test_a_video_link_alone_is_a_place(db, pair):
    mentor, _ = members(pair)
    meeting = propose_meeting(
        pair,
        details(location="", video_url="https://meet.example/abc-defg"),
        actor=mentor,
        now=NOW,
    )
    assert meeting.video_url == "https://meet.example/abc-defg"


def test_line_breaks_in_a_place_become_spaces(db, pair):
    mentor, _ = members(pair)
    meeting = propose_meeting(pair, details(location="x\r\nATTENDEE:evil"), actor=mentor, now=NOW)
    assert meeting.location == "x ATTENDEE:evil"


def test_only_members_of_the_pair_can_propose(db, pair, make_person):
    from mentoring.people.models import Person

    stranger = db.session.get(Person, make_person(roles=("mentor",)))
    with pytest.raises(RuleViolation, match="Only the mentor and the mentee"):
        propose_meeting(pair, details(), actor=stranger, now=NOW)


def test_an_ended_pair_plans_no_meeting(db, pair):
    mentor, _ = members(pair)
    pair.status, pair.ended_at, pair.end_reason = "ended", NOW, "completed"
    db.session.commit()
    with pytest.raises(RuleViolation, match="has ended"):
        propose_meeting(pair, details(), actor=mentor, now=NOW)


# -- the state machine --------------------------------------------------------------------


def test_the_other_member_confirms_and_the_sequence_grows(db, pair):
    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(), actor=mentee, now=NOW)
    with pytest.raises(RuleViolation, match="You proposed this time"):
        confirm_meeting(meeting, actor=mentee, now=NOW)
    confirm_meeting(meeting, actor=mentor, now=NOW)
    assert (meeting.status, meeting.sequence, meeting.confirmed_at) == ("confirmed", 1, NOW)
    with pytest.raises(RuleViolation, match="already confirmed"):
        confirm_meeting(meeting, actor=mentor, now=NOW)


def test_a_proposal_whose_time_has_passed_cannot_be_confirmed(db, pair):
    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(), actor=mentee, now=NOW)
    with pytest.raises(RuleViolation, match="time has passed"):
        confirm_meeting(meeting, actor=mentor, now=datetime(2027, 1, 12, tzinfo=UTC))


def test_moving_a_confirmed_meeting_asks_the_other_member_again(db, pair):
    mentor, mentee = members(pair)
    meeting = confirmed(db, pair)
    uid = meeting.uid
    moved = reschedule_meeting(meeting, details(start_time=time(14, 0)), actor=mentor, now=NOW)
    assert moved is True
    assert meeting.status == "proposed"
    assert meeting.proposed_by_id == mentor.id
    assert meeting.confirmed_at is None
    assert meeting.start_at == datetime(2027, 1, 11, 13, 0, tzinfo=UTC)
    assert meeting.sequence == 2
    assert meeting.uid == uid
    with pytest.raises(RuleViolation, match="You proposed this time"):
        confirm_meeting(meeting, actor=mentor, now=NOW)
    confirm_meeting(meeting, actor=mentee, now=NOW)
    assert (meeting.status, meeting.sequence) == ("confirmed", 3)


def test_a_new_place_keeps_the_confirmation_and_a_new_agenda_keeps_the_sequence(db, pair):
    mentor, _ = members(pair)
    meeting = confirmed(db, pair)
    assert reschedule_meeting(meeting, details(location="Room 9"), actor=mentor, now=NOW) is False
    assert (meeting.status, meeting.sequence, meeting.location) == ("confirmed", 2, "Room 9")
    later = NOW + timedelta(hours=1)
    reschedule_meeting(
        meeting, details(location="Room 9", agenda="LinkedIn"), actor=mentor, now=later
    )
    assert (meeting.sequence, meeting.agenda, meeting.updated_at) == (2, "LinkedIn", later)
    with pytest.raises(RuleViolation, match="Nothing changed"):
        reschedule_meeting(
            meeting, details(location="Room 9", agenda="LinkedIn"), actor=mentor, now=NOW
        )


def test_cancelling_needs_a_reason_and_is_final(db, pair):
    mentor, mentee = members(pair)
    meeting = confirmed(db, pair)
    with pytest.raises(RuleViolation) as caught:
        cancel_meeting(meeting, "  ", actor=mentee, now=NOW)
    assert caught.value.field == "reason"
    cancel_meeting(meeting, "Board meeting moved", actor=mentee, now=NOW)
    db.session.commit()
    assert meeting.status == "cancelled"
    assert (meeting.cancelled_by_id, meeting.cancel_reason) == (mentee.id, "Board meeting moved")
    assert meeting.declined is False
    assert meeting.sequence == 2
    for attempt in (
        lambda: confirm_meeting(meeting, actor=mentor, now=NOW),
        lambda: reschedule_meeting(meeting, details(start_time=time(15, 0)), actor=mentor, now=NOW),
        lambda: cancel_meeting(meeting, "again", actor=mentor, now=NOW),
        lambda: log_meeting(meeting, HELD, actor=mentor, now=NOW + timedelta(days=30)),
    ):
        with pytest.raises(RuleViolation):
            attempt()
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "meeting.cancelled"))
    assert audit.subject_id == meeting.id
    assert "Board meeting" not in repr(audit.details)


def test_declining_a_proposal_cancels_it_as_declined(db, pair):
    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(), actor=mentee, now=NOW)
    cancel_meeting(meeting, "I am travelling that week", actor=mentor, now=NOW)
    assert (meeting.status, meeting.declined) == ("cancelled", True)


def test_a_held_meeting_cannot_be_cancelled_or_moved(db, pair):
    mentor, mentee = members(pair)
    meeting = confirmed(db, pair)
    log_meeting(meeting, HELD, actor=mentor, now=datetime(2027, 1, 12, tzinfo=UTC))
    with pytest.raises(RuleViolation, match="held meeting cannot be cancelled"):
        cancel_meeting(meeting, "oops", actor=mentee, now=NOW)
    with pytest.raises(RuleViolation, match="held meeting cannot be changed"):
        reschedule_meeting(meeting, details(start_time=time(15, 0)), actor=mentee, now=NOW)


def test_ending_a_pair_cancels_its_future_meetings_only(db, pair):
    mentor, mentee = members(pair)
    past = confirmed(db, pair)
    future = propose_meeting(pair, details(start_date=date(2027, 2, 1)), actor=mentee, now=NOW)
    later = datetime(2027, 1, 20, tzinfo=UTC)
    assert cancel_future_meetings(pair, "The pair ended", actor=None, now=later) == 1
    assert (past.status, future.status) == ("confirmed", "cancelled")


def test_a_pair_ended_through_end_pair_has_its_future_meetings_cancelled(db, pair):
    from mentoring.matching.models import EndReason
    from mentoring.matching.services import end_pair
    from mentoring.matching.signals import pair_ended

    # matching only sends a signal; the meetings package connected its receiver on import.
    assert pair_ended.receivers
    mentor, mentee = members(pair)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.date()
    earlier = now - timedelta(days=30)
    past = propose_meeting(
        pair, details(start_date=today - timedelta(days=20)), actor=mentee, now=earlier
    )
    confirm_meeting(past, actor=mentor, now=earlier)
    future = propose_meeting(
        pair, details(start_date=today + timedelta(days=7)), actor=mentee, now=now
    )
    confirm_meeting(future, actor=mentor, now=now)
    proposed = propose_meeting(
        pair, details(start_date=today + timedelta(days=14)), actor=mentor, now=now
    )
    db.session.commit()

    end_pair(pair, EndReason.NOT_A_FIT, actor=mentor)
    db.session.commit()

    assert (past.status, future.status, proposed.status) == ("confirmed", "cancelled", "cancelled")
    # The other member is told only that the pair ended, never why (issue 12).
    assert future.cancel_reason == "The pair has ended."
    assert "fit" not in proposed.cancel_reason
    assert future.cancelled_by_id == mentor.id
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["meeting.cancelled", "meeting.cancelled", "pair.ended"]


def test_a_receiver_that_refuses_leaves_the_pair_and_its_meetings_as_they_were(db, pair):
    from mentoring.matching.models import EndReason
    from mentoring.matching.services import end_pair
    from mentoring.matching.signals import pair_ended

    mentor, mentee = members(pair)
    now = datetime.now(UTC)
    future = propose_meeting(
        pair, details(start_date=now.date() + timedelta(days=7)), actor=mentee, now=now
    )
    db.session.commit()

    def refuse(sender, **_):
        raise RuleViolation("not now")

    pair_ended.connect(refuse)
    try:
        with pytest.raises(RuleViolation):
            end_pair(pair, EndReason.OTHER, actor=mentor)
    finally:
        pair_ended.disconnect(refuse)
    db.session.rollback()
    assert (pair.status, future.status) == ("active", "proposed")


# -- overlaps -----------------------------------------------------------------------------


def test_a_pair_cannot_have_two_overlapping_meetings(db, pair):
    mentor, mentee = members(pair)
    first = propose_meeting(pair, details(), actor=mentee, now=NOW)  # 10:00-11:00 Paris
    with pytest.raises(RuleViolation) as caught:
        propose_meeting(pair, details(start_time=time(10, 30)), actor=mentor, now=NOW)
    assert caught.value.field == "start_time"
    assert "overlaps your pair's meeting of Mon 11 Jan 2027, 10:00 CET" in caught.value.message
    with pytest.raises(RuleViolation, match="overlaps"):
        propose_meeting(
            pair, details(start_time=time(9, 0), duration_minutes=240), actor=mentor, now=NOW
        )
    # Back to back is fine, and a meeting may move within its own slot.
    propose_meeting(pair, details(start_time=time(11, 0)), actor=mentor, now=NOW)
    reschedule_meeting(first, details(start_time=time(9, 30)), actor=mentee, now=NOW)
    # A cancelled meeting frees its slot.
    cancel_meeting(first, "No longer needed", actor=mentee, now=NOW)
    propose_meeting(pair, details(start_time=time(10, 0)), actor=mentor, now=NOW)


def test_another_pairs_meetings_do_not_block(db, pair, make_pair):
    other = db.session.get(Pair, make_pair()["pair"])
    propose_meeting(pair, details(), actor=pair.mentor.person, now=NOW)
    propose_meeting(other, details(), actor=other.mentor.person, now=NOW)
    assert count(db, Meeting) == 2


def test_moving_onto_another_meeting_is_refused(db, pair):
    mentor, mentee = members(pair)
    propose_meeting(pair, details(), actor=mentee, now=NOW)
    second = propose_meeting(pair, details(start_time=time(14, 0)), actor=mentee, now=NOW)
    with pytest.raises(RuleViolation, match="overlaps"):
        reschedule_meeting(second, details(start_time=time(10, 15)), actor=mentor, now=NOW)


# -- series -------------------------------------------------------------------------------


def test_a_series_keeps_the_local_time_across_a_dst_change(db, pair):
    mentor, mentee = members(pair)
    series = propose_series(
        pair,
        details(start_date=date(2027, 3, 15)),
        every_weeks=2,
        occurrences=4,
        actor=mentee,
        now=NOW,
    )
    db.session.commit()
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.start_at)
    ).all()
    assert [m.start_at for m in meetings] == [
        datetime(2027, 3, 15, 9, 0, tzinfo=UTC),  # CET
        datetime(2027, 3, 29, 8, 0, tzinfo=UTC),  # CEST: still 10:00 in Paris
        datetime(2027, 4, 12, 8, 0, tzinfo=UTC),
        datetime(2027, 4, 26, 8, 0, tzinfo=UTC),
    ]
    assert [m.series_position for m in meetings] == [1, 2, 3, 4]
    assert len({m.uid for m in meetings}) == 4
    assert all(m.status == "proposed" for m in meetings)
    # Each meeting lives alone: one moves, one is cancelled, the rest are confirmed at once.
    reschedule_meeting(meetings[1], details(start_date=date(2027, 3, 30)), actor=mentee, now=NOW)
    cancel_meeting(meetings[2], "Holidays", actor=mentor, now=NOW)
    assert confirm_series(series, actor=mentor, now=NOW) == 3
    assert [m.status for m in meetings] == ["confirmed", "confirmed", "cancelled", "confirmed"]
    with pytest.raises(RuleViolation, match="No meeting of this series"):
        confirm_series(series, actor=mentor, now=NOW)


def test_a_series_with_one_impossible_date_writes_nothing(db, pair):
    mentor, _ = members(pair)
    with pytest.raises(RuleViolation) as caught:
        propose_series(
            pair,
            details(start_date=date(2027, 3, 14), start_time=time(2, 30)),
            every_weeks=2,
            occurrences=3,
            actor=mentor,
            now=NOW,
        )
    assert caught.value.field == "start_time"
    assert caught.value.message.startswith("Meeting 2 of the series: Sun 28 Mar 2027 at 02:30")
    db.session.rollback()
    assert count(db, Meeting) == 0 and count(db, MeetingSeries) == 0


def test_a_series_overlapping_a_meeting_writes_nothing(db, pair):
    mentor, mentee = members(pair)
    propose_meeting(pair, details(start_date=date(2027, 1, 25)), actor=mentee, now=NOW)
    db.session.commit()
    with pytest.raises(RuleViolation, match="Meeting 3 of the series: This overlaps"):
        propose_series(pair, details(), every_weeks=1, occurrences=4, actor=mentor, now=NOW)
    db.session.rollback()
    assert count(db, Meeting) == 1 and count(db, MeetingSeries) == 0


@pytest.mark.parametrize(
    ("every_weeks", "occurrences", "field"),
    [(0, 4, "every_weeks"), (13, 4, "every_weeks"), (2, 1, "occurrences"), (2, 27, "occurrences")],
)
def test_series_bounds(db, pair, every_weeks, occurrences, field):
    with pytest.raises(RuleViolation) as caught:
        propose_series(
            pair,
            details(),
            every_weeks=every_weeks,
            occurrences=occurrences,
            actor=pair.mentor.person,
            now=NOW,
        )
    assert caught.value.field == field


# -- logs ---------------------------------------------------------------------------------

AFTER = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)  # the meeting ended at 10:00 UTC


def test_logging_before_the_meeting_ends_is_refused(db, pair):
    mentor, _ = members(pair)
    meeting = confirmed(db, pair)
    with pytest.raises(RuleViolation, match="once it has ended, after Mon 11 Jan 2027, 11:00 CET"):
        log_meeting(meeting, HELD, actor=mentor, now=AFTER - timedelta(minutes=1))
    assert count(db, MeetingLog) == 0


def test_a_proposal_never_confirmed_cannot_be_logged(db, pair):
    mentor, mentee = members(pair)
    meeting = propose_meeting(pair, details(), actor=mentee, now=NOW)
    with pytest.raises(RuleViolation, match="never confirmed"):
        log_meeting(meeting, HELD, actor=mentor, now=AFTER)


def test_both_members_log_and_held_wins(db, pair, make_person):
    mentor, mentee = members(pair)
    topic = Topic(name="LinkedIn")
    db.session.add(topic)
    pair.cohort.topics.append(topic)
    meeting = confirmed(db, pair)
    log = log_meeting(
        meeting,
        replace(HELD, topic_ids=[topic.id], private_notes="He fears TikTok\r\nline 2"),
        actor=mentor,
        now=AFTER,
    )
    db.session.commit()
    assert (meeting.status, meeting.sequence) == ("held", 2)
    assert log.topics == [topic]
    assert log.private_notes == "He fears TikTok\nline 2"
    log_meeting(meeting, NO_SHOW, actor=mentee, now=AFTER)
    assert meeting.status == "held"
    assert {entry.outcome for entry in meeting.logs} == {"held", "no_show"}


def test_a_no_show_becomes_held_when_the_other_says_it_was_held(db, pair):
    mentor, mentee = members(pair)
    meeting = confirmed(db, pair)
    log_meeting(meeting, NO_SHOW, actor=mentee, now=AFTER)
    assert (meeting.status, meeting.sequence) == ("no_show", 2)
    log_meeting(meeting, HELD, actor=mentor, now=AFTER)
    assert (meeting.status, meeting.sequence) == ("held", 3)


def test_logging_twice_is_refused(db, pair):
    mentor, _ = members(pair)
    meeting = confirmed(db, pair)
    log_meeting(meeting, HELD, actor=mentor, now=AFTER)
    db.session.commit()
    with pytest.raises(RuleViolation, match="already logged"):
        log_meeting(meeting, HELD, actor=mentor, now=AFTER)
    assert count(db, MeetingLog) == 1


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (replace(HELD, rating=0), "rating", "from 1 to 5"),
        (replace(HELD, rating=6), "rating", "from 1 to 5"),
        (replace(HELD, rating=None), "rating", "from 1 to 5"),
        (replace(NO_SHOW, rating=9), "rating", "from 1 to 5"),
        (replace(HELD, actual_minutes=None), "actual_minutes", "how long"),
        (replace(HELD, actual_minutes=0), "actual_minutes", "at least 1 minute"),
        (replace(HELD, actual_minutes=481), "actual_minutes", "at most 8 hours"),
        (LogEntry(outcome="maybe"), "outcome", "held or was a no-show"),
        (replace(HELD, topic_ids=[999_999]), "topic_ids", "cohort's curriculum"),
        (replace(HELD, goal_ids=[1]), "goal_ids", "goals"),
    ],
)
def test_bad_logs_are_refused_and_write_nothing(db, pair, entry, field, message):
    mentor, _ = members(pair)
    meeting = confirmed(db, pair)
    with pytest.raises(RuleViolation) as caught:
        log_meeting(meeting, entry, actor=mentor, now=AFTER)
    db.session.rollback()
    assert caught.value.field == field
    assert message in caught.value.message
    assert count(db, MeetingLog) == 0
    assert db.session.get(Meeting, meeting.id).status == "confirmed"


def test_topics_outside_the_cohort_are_refused(db, pair):
    mentor, _ = members(pair)
    inside, outside = Topic(name="LinkedIn"), Topic(name="Crisis")
    db.session.add_all([inside, outside])
    pair.cohort.topics.append(inside)
    meeting = confirmed(db, pair)
    with pytest.raises(RuleViolation, match="curriculum"):
        log_meeting(meeting, replace(HELD, topic_ids=[outside.id]), actor=mentor, now=AFTER)


def test_a_log_is_editable_for_14_days_by_its_author_only(db, pair):
    mentor, mentee = members(pair)
    meeting = confirmed(db, pair)
    log = log_meeting(meeting, HELD, actor=mentor, now=AFTER)
    theirs = log_meeting(meeting, HELD, actor=mentee, now=AFTER)
    edit_log(log, replace(HELD, rating=5), actor=mentor, now=AFTER + timedelta(days=13))
    assert log.rating == 5
    with pytest.raises(RuleViolation, match="Only its author"):
        edit_log(theirs, replace(HELD, rating=1), actor=mentor, now=AFTER)
    with pytest.raises(RuleViolation, match="edited for 14 days; this one was written on 11 Jan"):
        edit_log(
            log, replace(HELD, rating=1), actor=mentor, now=AFTER + timedelta(days=14, seconds=1)
        )
    assert (log.rating, theirs.rating) == (5, 4)


def test_editing_the_only_log_can_turn_held_into_a_no_show(db, pair):
    mentor, _ = members(pair)
    meeting = confirmed(db, pair)
    log = log_meeting(meeting, HELD, actor=mentor, now=AFTER)
    edit_log(log, NO_SHOW, actor=mentor, now=AFTER)
    assert (meeting.status, log.actual_minutes, log.rating) == ("no_show", None, None)


def test_feedback_is_shareable_only_when_there_is_feedback(db, pair):
    mentor, _ = members(pair)
    meeting = confirmed(db, pair)
    log = log_meeting(meeting, replace(HELD, feedback_shareable=True), actor=mentor, now=AFTER)
    assert log.feedback_shareable is False


# -- the database keeps the invariants too --------------------------------------------------


def _raw_meeting(pair, **changes) -> Meeting:
    values = {
        "pair_id": pair.id,
        "uid": f"raw-{len(changes)}-{id(changes)}@test",
        "start_at": NOW,
        "end_at": NOW + timedelta(hours=1),
        "duration_minutes": 60,
        "status": "proposed",
    }
    values.update(changes)
    return Meeting(**values)


@pytest.mark.parametrize(
    "changes",
    [
        {"end_at": NOW},
        {"duration_minutes": 0},
        {"duration_minutes": 481},
        {"status": "postponed"},
        {"status": "cancelled"},  # without cancelled_at
        {"sequence": -1},
    ],
)
def test_the_database_refuses_impossible_meetings(db, pair, changes):
    db.session.add(_raw_meeting(pair, **changes))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_database_refuses_a_second_log_and_bad_ratings(db, pair):
    mentor, _ = members(pair)
    meeting = confirmed(db, pair)
    db.session.add(MeetingLog(meeting_id=meeting.id, author_id=mentor.id, outcome="no_show"))
    db.session.flush()
    db.session.add(MeetingLog(meeting_id=meeting.id, author_id=mentor.id, outcome="no_show"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    for bad in ({"outcome": "no_show", "rating": 6}, {"outcome": "held", "rating": 3}):
        db.session.add(MeetingLog(meeting_id=meeting.id, author_id=mentor.id, **bad))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


# -- cadence and summaries --------------------------------------------------------------------


def _held(db, pair, day: date, *, logs=(HELD,)) -> Meeting:
    mentor, mentee = members(pair)
    before = datetime.combine(day - timedelta(days=7), time(8, 0), tzinfo=UTC)
    meeting = propose_meeting(pair, details(start_date=day), actor=mentee, now=before)
    confirm_meeting(meeting, actor=mentor, now=before)
    after = datetime.combine(day + timedelta(days=1), time(8, 0), tzinfo=UTC)
    for person, entry in zip((mentor, mentee), logs, strict=False):
        log_meeting(meeting, entry, actor=person, now=after)
    db.session.commit()
    return meeting


def test_a_pair_without_meetings_is_overdue_from_its_start(db, pair):
    status = cadence_status(pair, NOW)
    assert status.next_due == date(2026, 9, 15)  # pair published 1 Sep, cadence 14 days
    assert status.overdue is True
    assert status.days_overdue == (date(2027, 1, 4) - date(2026, 9, 15)).days
    assert status.last_meeting is None


def test_a_recent_meeting_sets_the_next_due_date(db, pair):
    _held(db, pair, date(2026, 12, 28))
    status = cadence_status(pair, NOW)
    assert status.last_meeting == datetime(2026, 12, 28, 9, 0, tzinfo=UTC)
    assert (status.next_due, status.overdue) == (date(2027, 1, 11), False)
    assert cadence_status(pair, datetime(2027, 1, 12, 8, 0, tzinfo=UTC)).overdue is True


def test_no_shows_and_cancellations_do_not_keep_the_cadence(db, pair):
    _held(db, pair, date(2026, 12, 1))
    _held(db, pair, date(2026, 12, 28), logs=(NO_SHOW,))
    mentor, mentee = members(pair)
    cancelled = propose_meeting(
        pair,
        details(start_date=date(2026, 12, 30)),
        actor=mentee,
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )
    cancel_meeting(cancelled, "ill", actor=mentor, now=datetime(2026, 12, 2, tzinfo=UTC))
    status = cadence_status(pair, NOW)
    assert status.last_meeting == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert status.overdue is True


def test_a_confirmed_meeting_not_yet_logged_counts(db, pair):
    confirmed(db, pair)  # 11 Jan, never logged
    status = cadence_status(pair, datetime(2027, 1, 13, tzinfo=UTC))
    assert status.next_due == date(2027, 1, 25)
    summary = pair_meeting_summaries([pair.id], now=datetime(2027, 1, 13, tzinfo=UTC))[pair.id]
    assert summary.awaiting_log == 1


def test_ended_pairs_and_closed_cohorts_are_never_overdue(db, pair):
    pair.status, pair.ended_at, pair.end_reason = "ended", NOW, "completed"
    db.session.commit()
    status = cadence_status(pair, NOW)
    assert (status.next_due, status.overdue) == (None, False)


def test_summaries_count_meetings_and_logs(db, pair):
    mentor, mentee = members(pair)
    _held(db, pair, date(2026, 11, 2), logs=(replace(HELD, rating=2), replace(HELD, rating=5)))
    _held(db, pair, date(2026, 11, 16), logs=(NO_SHOW, NO_SHOW))
    upcoming = propose_meeting(pair, details(), actor=mentee, now=NOW)
    another = propose_meeting(pair, details(start_date=date(2027, 1, 18)), actor=mentee, now=NOW)
    cancel_meeting(another, "clash", actor=mentor, now=NOW)
    db.session.commit()
    summary = pair_meeting_summaries([pair.id], now=NOW)[pair.id]
    assert (summary.held, summary.no_show, summary.cancelled, summary.upcoming) == (1, 1, 1, 1)
    assert (summary.logged_no_shows, summary.ratings, summary.low_ratings) == (2, 2, 1)
    assert summary.average_rating == 3.5
    assert summary.next_meeting == upcoming.start_at
    assert summary.last_meeting == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_summaries_of_many_pairs_take_a_fixed_number_of_queries(db, pair, make_pair, make_cohort):
    published = datetime(2026, 9, 1, tzinfo=UTC)
    pairs = [pair] + [
        db.session.get(Pair, make_pair(created_at=published)["pair"]) for _ in range(5)
    ]
    for other in pairs[::2]:
        _held(db, other, date(2026, 12, 28))
    ids = [p.id for p in pairs]
    statements: list[str] = []

    def count_statements(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count_statements)
    try:
        few = pair_meeting_summaries([ids[0]], now=NOW)
        used_for_one = len(statements)
        statements.clear()
        many = pair_meeting_summaries([*ids, 999_999], now=NOW)
        used_for_many = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count_statements)
    assert used_for_one == used_for_many == 1
    assert set(many) == set(ids)
    assert few[ids[0]] == many[ids[0]]
    assert [many[pair_id].cadence.overdue for pair_id in ids] == [False, True] * 3
    assert pair_meeting_summaries([], now=NOW) == {}


def test_overdue_pairs_for_everyone_a_cohort_or_a_person(db, pair, make_pair, make_cohort):
    late_cohort = make_cohort(status="active")
    late = db.session.get(
        Pair, make_pair(cohort_id=late_cohort, created_at=datetime(2026, 9, 1, tzinfo=UTC))["pair"]
    )
    _held(db, pair, date(2026, 12, 28))
    assert [pair_id for pair_id, _ in overdue_pairs(now=NOW)] == [late.id]
    assert overdue_pairs(now=NOW, cohort_id=pair.cohort_id) == []
    assert [p for p, _ in overdue_pairs(now=NOW, person_id=late.mentee.person_id)] == [late.id]
    assert overdue_pairs(now=NOW, person_id=pair.mentee.person_id) == []


def test_two_overlapping_proposals_at_the_same_moment_keep_one(app, make_pair):
    # Real concurrent connections, on PostgreSQL and on the file-backed SQLite database.
    ids = make_pair()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    day = (datetime.now(UTC) + timedelta(days=5)).date()

    def propose(person_id: int, start: time) -> None:
        from mentoring.people.models import Person

        with app.app_context():
            pair = _db.session.get(Pair, ids["pair"])
            actor = _db.session.get(Person, person_id)
            barrier.wait()
            try:
                propose_meeting(pair, details(start_date=day, start_time=start), actor=actor)
                threading.Event().wait(0.3)  # hold the transaction open a moment
                _db.session.commit()
                outcomes.append("proposed")
            except RuleViolation as error:
                _db.session.rollback()
                outcomes.append(error.message)

    threads = [
        threading.Thread(target=propose, args=(ids["mentor"], time(10, 0))),
        threading.Thread(target=propose, args=(ids["mentee"], time(10, 30))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[1] == "proposed"
    assert "overlaps" in sorted(outcomes)[0]
    with app.app_context():
        assert _db.session.scalar(select(func.count(Meeting.id))) == 1


def test_a_planned_meeting_is_late_by_the_days_after_the_due_date_on_the_viewers_calendar():
    from mentoring.meetings.overview import CadenceStatus

    due = date(2027, 1, 10)
    late_evening = datetime(2027, 1, 13, 23, 30, tzinfo=UTC)  # already the 14th in Paris
    status = CadenceStatus(
        next_due=due, overdue=False, last_meeting=None, next_meeting=late_evening
    )
    assert status.planned_days_late("UTC") == 3
    assert status.planned_days_late(PARIS) == 4
    on_time = replace(status, next_meeting=datetime(2027, 1, 10, 9, 0, tzinfo=UTC))
    assert on_time.planned_days_late(PARIS) == 0
    assert replace(status, next_meeting=None).planned_days_late(PARIS) == 0
    assert replace(status, next_due=None).planned_days_late(PARIS) == 0
