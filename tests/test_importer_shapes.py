"""
The importer on the shapes of real press releases and agency copy: statements without
quotation marks, quotations over paragraphs, speakers named in part, long roles, titles
in quotation marks, and events written as such copy writes them.

Each story here is invented, in the house style of a government, the European Commission
and Council, NATO, a UN agency or a news agency.
"""

import datetime

import pytest

from articles.importer import analyse

pytestmark = pytest.mark.django_db

JUNE_12 = datetime.date(2024, 6, 12)


def quotes(text, date=JUNE_12):
    """Each quote as (speaker, role, its first four words)."""
    return [(q.speaker, q.role, " ".join(q.text.split()[:4])) for q in analyse(text, date).quotes]


def events(text, date=JUNE_12):
    """Each dated event as (its name, first day, last day, precision)."""
    return {
        (e.name, e.starts_on, e.ends_on, e.date_precision)
        for e in analyse(text, date).events
        if e.starts_on
    }


# Statements without quotation marks


GOVUK_STATEMENTS = """\
Funding doubled for coastal rescue volunteers

Coastal rescue teams will receive twice as much funding from next April, the Department for
Transport announced today.

Maritime Minister Owen Radley said:

Our volunteers go out in all weathers so that others come home. They deserve kit that is
as good as their courage.

This money will buy new boats, new radios and training for 400 more volunteers.

Sally Brennan, Chief Executive of the Coastal Rescue Trust, said:

We have waited a long time for this, and it will save lives.

The funding will be paid to local teams from 1 April.

Notes to editors

We publish the allocations for each team on GOV.UK.
"""


def test_a_statement_after_said_colon_runs_to_the_next_speaker_as_one_quote():
    assert quotes(GOVUK_STATEMENTS) == [
        ("Owen Radley", "Maritime Minister", "Our volunteers go out"),
        ("Sally Brennan", "Chief Executive of the Coastal Rescue Trust", "We have waited a"),
    ]
    first = analyse(GOVUK_STATEMENTS, JUNE_12).quotes[0]
    assert first.text.endswith("training for 400 more volunteers.")


def test_a_statement_ends_at_the_story_s_own_words_and_at_the_notes():
    texts = [q.text for q in analyse(GOVUK_STATEMENTS, JUNE_12).quotes]
    assert not any("paid to local teams" in text for text in texts)
    assert not any("allocations" in text for text in texts)


def test_a_statement_ends_at_a_heading():
    story = (
        "Ministers agree new rules\n\nThe Council agreed its position today.\n\n"
        "Agriculture Minister Liesbeth Maas said:\n\nThis is a good day for farmers.\n\n"
        "Next steps\n\nThe Council will now negotiate with the Parliament."
    )
    (quote,) = analyse(story, JUNE_12).quotes
    assert (quote.speaker, quote.text) == ("Liesbeth Maas", "This is a good day for farmers.")


# Quotations over paragraphs, and one after another


def test_a_quotation_opened_mid_paragraph_runs_on_into_the_next():
    story = (
        "Envoy warns of famine\n\nThe UN envoy spoke in Geneva.\n\n"
        "Special Envoy Ruth Abena said the situation was grave: “We are running out of food. "
        "The convoys cannot reach the north.\n\n"
        "“Unless the crossings open this week, people will starve,” she said."
    )
    ((speaker, role, start),) = quotes(story)
    assert (speaker, role, start) == ("Ruth Abena", "Special Envoy", "We are running out")
    text = analyse(story, JUNE_12).quotes[0].text
    assert text.endswith("people will starve")


def test_a_second_quotation_after_the_attribution_has_the_same_speaker():
    story = (
        "Talks stall\n\nTalks on the treaty stalled on Monday.\n\n"
        "“We are further apart than we were,” said Swiss negotiator Anna Keller. "
        "“But nobody has walked away.”"
    )
    assert quotes(story) == [
        ("Anna Keller", "Swiss negotiator", "We are further apart"),
        ("Anna Keller", "Swiss negotiator", "But nobody has walked"),
    ]


def test_the_next_sentence_s_speaker_does_not_take_the_quotation_before_it():
    story = (
        "Minister visits camp\n\nHealth Minister Clara Osei visited the camp on Monday.\n\n"
        "Osei spoke to doctors there. “We saw children sleeping on the ground.” Interior "
        "Minister Tomas Berg, who travelled with her, said tents would be sent."
    )
    assert quotes(story) == [("Clara Osei", "Health Minister", "We saw children sleeping")]


# Speakers named in part: a role, a title and surname, a pronoun


def test_a_role_alone_is_the_person_named_with_it_earlier():
    story = (
        "Allies agree air defence plan\n\nNATO Secretary General Henrik Dahl chaired the "
        "meeting in Brussels.\n\n"
        "“This is the largest order the alliance has placed,” said the Secretary General."
    )
    assert quotes(story) == [("Henrik Dahl", "NATO Secretary General", "This is the largest")]


def test_a_role_nobody_was_named_with_is_the_speaker_itself():
    story = (
        "Commission opens inquiry\n\nThe Commission opened an inquiry on Monday.\n\n"
        "“We will look at every contract,” a Commission spokesperson said."
    )
    assert quotes(story) == [
        ("Commission spokesperson", "Commission spokesperson", "We will look at")
    ]


def test_an_organisation_speaking_is_not_someone_with_it_in_their_role():
    story = (
        "Plan\n\nPieter Jansen, Vice-President of the Commission, presented the plan. “The "
        "proposal will be published in June,” the Commission said.\n\n“We do not comment on "
        "intelligence matters,” the Foreign Office said."
    )
    assert quotes(story) == [
        ("Commission", "", "The proposal will be"),
        ("Foreign Office", "", "We do not comment"),
    ]


def test_a_title_and_surname_is_the_person_named_before():
    story = (
        "Presidents meet\n\nFrench President Claire Moreau received the Polish president "
        "at the Élysée.\n\nPresident Moreau said:\n\n“Our two countries have never been "
        "closer on defence.”"
    )
    assert quotes(story) == [("Claire Moreau", "French President", "Our two countries have")]


def test_mr_with_a_full_stop_does_not_end_the_sentence():
    story = (
        "Quota row\n\nSwedish Fisheries Minister Jens Holm criticised the cut.\n\n"
        "“Nobody asked us,” Mr. Holm told reporters. “We read it in a press release.”"
    )
    assert quotes(story) == [
        ("Jens Holm", "Swedish Fisheries Minister", "Nobody asked us"),
        ("Jens Holm", "Swedish Fisheries Minister", "We read it in"),
    ]


def test_pronouns_find_the_person_spoken_of_a_paragraph_earlier_and_keep_to_one_gender():
    story = (
        "Quota row\n\nNorway's Minister of Fisheries, Marit Dahl, defended the decision on "
        "Tuesday.\n\n“The science leaves us no choice,” she said.\n\n"
        "Danish Fisheries Minister Mr. Lars Birk disagreed.\n\n"
        "Dahl repeated that the cut would stand. “We cannot wait another year,” she said. "
        "Mr. Birk called that a mistake. “Nobody is against the science,” he added."
    )
    assert quotes(story) == [
        ("Marit Dahl", "Norway's Minister of Fisheries", "The science leaves us"),
        ("Marit Dahl", "Norway's Minister of Fisheries", "We cannot wait another"),
        ("Lars Birk", "Danish Fisheries Minister", "Nobody is against the"),
    ]


def test_a_pronoun_after_a_scene_setting_clause():
    story = (
        "Hearing\n\nThe regulator's chief executive, Mark Tully, appeared before MPs.\n\n"
        "Asked whether any firm would lose its licence, he said: “Nothing is off the table.”"
    )
    assert quotes(story) == [("Mark Tully", "chief executive", "Nothing is off the")]


# Attribution lines, “according to”, and quotations inside reported speech


def test_an_attribution_line_after_the_quotation():
    story = (
        "Appeal launched\n\nThe agency launched its winter appeal today.\n\n"
        "“Every blanket we send tonight is a life we may save by morning.”\n\n"
        "— Amira Haddad, UNHCR Representative in Lebanon"
    )
    assert quotes(story) == [
        ("Amira Haddad", "UNHCR Representative in Lebanon", "Every blanket we send")
    ]


def test_according_to_a_role_and_name():
    story = (
        "Harvest fails\n\nThe harvest failed for a third year.\n\n"
        "According to WFP Country Director Daniel Obi, “families are now eating one meal "
        "a day, and many are skipping even that.”"
    )
    assert quotes(story) == [("Daniel Obi", "WFP Country Director", "families are now eating")]


def test_a_partial_quotation_in_reported_speech_is_the_reported_speaker_s():
    story = (
        "Floods\n\nRegional Director Lucía Ferrer visited the shelters.\n\n"
        "Ms. Ferrer said the region “had become the forgotten emergency” of the hemisphere."
    )
    assert quotes(story) == [("Lucía Ferrer", "Regional Director", "had become the forgotten")]


# Long roles


def test_a_long_role_before_the_name_does_not_leak_into_it():
    story = (
        "Aid released\n\nEuropean Commissioner for Humanitarian Aid and Crisis Management "
        "Anna Kowalczyk said: “Europe will not look away from the Sahel.”"
    )
    assert quotes(story) == [
        (
            "Anna Kowalczyk",
            "European Commissioner for Humanitarian Aid and Crisis Management",
            "Europe will not look",
        )
    ]


def test_a_role_with_commas_after_the_name_is_kept_whole():
    story = (
        "Red tape cut\n\nThe Commission proposed a package today.\n\n"
        "Pieter Jansen, Executive Vice-President of the Commission, responsible for Jobs, "
        "Growth and Competitiveness, said: “Small firms will spend less time on forms.”"
    )
    assert quotes(story) == [
        (
            "Pieter Jansen",
            "Executive Vice-President of the Commission, responsible for Jobs, Growth and "
            "Competitiveness",
            "Small firms will spend",
        )
    ]


def test_a_role_given_with_as_in_a_relative_clause():
    story = (
        "Appeal\n\nIn Geneva, Tom Ishida, who took up his post as UN Emergency Relief "
        "Coordinator in March, urged donors to act. “Every dollar now does the work of ten "
        "later,” he said."
    )
    assert quotes(story) == [
        ("Tom Ishida", "UN Emergency Relief Coordinator", "Every dollar now does")
    ]


def test_a_role_before_the_name_with_a_comma_is_not_cut_at_it():
    story = (
        "Floods\n\nThe appeal opened today.\n\n"
        "“Many families had only just rebuilt their homes,” said the agency’s Regional "
        "Director for Latin America and the Caribbean, Lucía Ferrer."
    )
    assert quotes(story) == [
        (
            "Lucía Ferrer",
            "Regional Director for Latin America and the Caribbean",
            "Many families had only",
        )
    ]


def test_a_role_at_an_institution_is_kept_and_the_scene_after_it_dropped():
    story = (
        "Banks\n\nThe scheme has stalled for years.\n\n"
        "“I was told it would take two years,” said Claudia Roth, a former senior official "
        "at the European Commission, speaking in Frankfurt."
    )
    assert quotes(story) == [
        ("Claudia Roth", "former senior official at the European Commission", "I was told it")
    ]


def test_a_role_with_commas_before_the_name_is_kept_whole():
    story = (
        "Climate law\n\nExecutive Vice-President for a Clean, Just and Competitive Transition, "
        "Teresa Ribera, said: “This law gives industry the certainty it asked for.”"
    )
    assert quotes(story) == [
        (
            "Teresa Ribera",
            "Executive Vice-President for a Clean, Just and Competitive Transition",
            "This law gives industry",
        )
    ]


def test_a_role_in_a_relative_clause_after_the_name():
    story = (
        "Trade deal\n\nJan Novák, who is also the Czech Minister for Industry and Trade, said "
        "the deal was balanced. “It protects our producers without closing the market.”"
    )
    assert quotes(story) == [
        ("Jan Novák", "Czech Minister for Industry and Trade", "It protects our producers")
    ]


def test_letters_after_a_name_peers_and_particles_are_read_as_names():
    story = (
        "Partnership\n\nMinister for Europe Stephen Doughty MP said: “Poland and the UK stand "
        "together.”\n\nLord Collins of Highbury, Minister for Africa, said: “We will not forget "
        "Sudan.”\n\nPresident von der Leyen said: “Today we deliver on our promise.”"
    )
    assert quotes(story) == [
        ("Stephen Doughty", "Minister for Europe", "Poland and the UK"),
        ("Lord Collins", "Minister for Africa", "We will not forget"),
        ("von der Leyen", "President", "Today we deliver on"),
    ]


def test_a_quote_box_labelled_with_its_speaker():
    story = (
        "Water strategy\n\nThe Commission adopted its water strategy today.\n\n"
        "Quote from Commissioner Jessika Roswall:\n\n“Water is life, and we will never take "
        "it for granted again.”"
    )
    assert quotes(story) == [("Jessika Roswall", "Commissioner", "Water is life, and")]


def test_a_fragment_of_reported_speech_is_a_quote_from_four_words():
    story = (
        "Sanctions\n\nHungarian Prime Minister Viktor Orbán said the sanctions had “failed "
        "completely”. He called them “a gift to our competitors”."
    )
    assert quotes(story) == [("Viktor Orbán", "Hungarian Prime Minister", "a gift to our")]


def test_people_spoken_of_as_a_group_are_not_taken_for_a_person():
    story = (
        "Report\n\nThe report was published on Monday. Critics described it as “a step in "
        "the right direction, but only a step”."
    )
    assert quotes(story) == [("Critics", "Critics", "a step in the")]


def test_a_role_with_commas_before_a_name_in_the_story_s_own_words():
    story = (
        "Rule of law\n\nThe Commission's Vice-President for Democracy, Justice and the Rule of "
        "Law, Věra Holub, presented the report.\n\n“Democracy does not defend itself,” Ms. "
        "Holub told MEPs."
    )
    assert quotes(story) == [
        (
            "Věra Holub",
            "Commission's Vice-President for Democracy, Justice and the Rule of Law",
            "Democracy does not defend",
        )
    ]


def test_speakers_listed_together_are_one_speaker_named_by_their_role():
    story = (
        "Escalation\n\nIn a joint statement, the foreign ministers of France, Germany and "
        "Poland said they were “deeply concerned by the escalation”."
    )
    ((speaker, _, _),) = quotes(story)
    assert speaker == "foreign ministers of France, Germany and Poland"


def test_a_rank_is_a_form_of_address_and_of_gives_the_role_s_body():
    story = (
        "Rescue\n\n“I am proud of this crew,” said Admiral Pieter Vos, Chair of the NATO "
        "Military Committee.\n\n“We did everything we could,” Captain Ana Ruiz of the "
        "coastguard vessel Orion said."
    )
    assert quotes(story) == [
        ("Pieter Vos", "Chair of the NATO Military Committee", "I am proud of"),
        ("Ana Ruiz", "Captain of the coastguard vessel Orion", "We did everything we"),
    ]


# What is not a quotation


def test_titles_in_quotation_marks_are_not_quotes():
    story = (
        "Review published\n\nThe review, “Closing the Gap: Digital Skills for Every Worker”, "
        "was published today alongside a plan called “Skills for Life”.\n\n"
        "The strategy “Fit for the Future” follows next year."
    )
    assert quotes(story) == []


def test_a_term_in_quotation_marks_is_not_a_quote():
    story = (
        "Coalition\n\nThe so-called “coalition of the willing” met in Paris. The review, "
        "“Skills for every worker in the country”, was welcomed."
    )
    assert quotes(story) == []


def test_a_quotation_inside_a_quotation_does_not_split_it():
    story = (
        "Banking union\n\nThe scheme is still blocked.\n\n"
        "“A minister told me “we will have it within two years”, and I believed him,” said "
        "economist Jonas Weber."
    )
    ((speaker, _, start),) = quotes(story)
    assert (speaker, start) == ("Jonas Weber", "A minister told me")
    assert "and I believed him" in analyse(story, JUNE_12).quotes[0].text


def test_an_unattributed_quotation_stays_without_a_speaker():
    story = (
        "Storm warning\n\nForecasters issued a warning today.\n\n"
        "“Stay away from the sea front and do not drive through flood water.”"
    )
    assert quotes(story) == [("", "", "Stay away from the")]


# Events and their dates


def test_an_event_of_a_month_and_year_has_month_precision():
    story = (
        "Banking union\n\nWhen leaders gathered for the Euro Summit of October 2014, they "
        "were told the hardest part was done."
    )
    assert ("Euro Summit", datetime.date(2014, 10, 1), datetime.date(2014, 10, 31), "month") in (
        events(story)
    )


def test_an_event_of_two_days_and_the_same_body_on_another_date_are_two_events():
    story = (
        "Leaders agree on defence\n\nThe European Council of 18-19 February agreed to buy air "
        "defence together. Leaders will return to energy prices at the European Council of "
        "26-27 March."
    )
    assert events(story, datetime.date(2026, 2, 20)) >= {
        ("European Council", datetime.date(2026, 2, 18), datetime.date(2026, 2, 19), "day"),
        ("European Council", datetime.date(2026, 3, 26), datetime.date(2026, 3, 27), "day"),
    }


def test_a_body_meeting_twice_in_one_sentence_is_two_events():
    story = (
        "Ministers to review\n\nMinisters will take stock at the Competitiveness Council on "
        "2 March, and again when the Competitiveness Council meets on 26 May."
    )
    dates = {e[1] for e in events(story, datetime.date(2026, 2, 20))}
    assert dates == {datetime.date(2026, 3, 2), datetime.date(2026, 5, 26)}


def test_dates_written_after_scheduling_words_and_places():
    story = (
        "Allies prepare\n\nNATO ministers met as the alliance prepares for a leaders' summit "
        "starting on 29 November in Ankara. The last round, which took place in Bergen on "
        "2-4 December 2024, ended without agreement. Talks are due to resume on 29 April. "
        "The conference, scheduled to run from 10 to 21 November, opened in Nairobi."
    )
    found = {(start, end) for _, start, end, _ in events(story, datetime.date(2025, 10, 16))}
    assert found >= {
        (datetime.date(2025, 11, 29), None),
        (datetime.date(2024, 12, 2), datetime.date(2024, 12, 4)),
        (datetime.date(2026, 4, 29), None),
        (datetime.date(2025, 11, 10), datetime.date(2025, 11, 21)),
    }


def test_a_date_after_another_verb_is_not_the_event_s():
    story = (
        "Overtime\n\nUN climate talks in Nairobi ran into an extra day on Saturday as "
        "negotiators remained deadlocked."
    )
    assert events(story, datetime.date(2025, 11, 22)) == set()


def test_a_far_day_is_read_by_the_tense_and_a_near_one_as_the_nearest():
    story = (
        "Flood money\n\nFurther schemes will be announced at the Flood and Coast Conference "
        "in Telford on 3-5 June. The review was presented to the Education Select Committee "
        "on 5 November."
    )
    found = events(story, datetime.date(2025, 11, 19))
    assert ("Flood and Coast Conference", datetime.date(2026, 6, 3), datetime.date(2026, 6, 5),
            "day") in found  # fmt: skip
    assert ("Education Select Committee", datetime.date(2025, 11, 5), None, "day") in found


def test_the_story_s_opening_date_is_the_hearing_it_reports():
    story = (
        "Regulator grilled\n\nThe regulator's chief executive was questioned for three hours "
        "by MPs on Tuesday (27 June 2023) over sewage spills.\n\nAppearing before the Public "
        "Accounts Committee, he defended the regulator's record.\n\nThe committee will hold a "
        "further hearing with the chief executives of three water companies on 11 July."
    )
    dates = {e[1] for e in events(story, datetime.date(2023, 6, 28))}
    assert dates == {datetime.date(2023, 6, 27), datetime.date(2023, 7, 11)}


def test_a_meeting_written_as_a_verb_is_named_after_the_body():
    story = (
        "Deposit insurance\n\nThe President of the Eurogroup said he would put a compromise "
        "to finance ministers when they meet on 4 November."
    )
    assert events(story, datetime.date(2024, 10, 10)) == {
        ("Eurogroup meeting", datetime.date(2024, 11, 4), None, "day")
    }


def test_the_institution_alone_is_not_a_meeting():
    story = "Gas storage\n\nThe Council today agreed its position on gas storage."
    assert events(story, datetime.date(2025, 6, 16)) == set()


def test_meetings_written_as_verbs_are_a_body_s_sittings_named_after_it():
    story = (
        "Ministers agree\n\nThe Humanitarian Country Team met in Port Sudan this morning. "
        "Finance ministers will take it up when they meet in Luxembourg on 26 June. Ministers "
        "met reporters on Monday. Holt met Dubois on Monday to discuss the plan. The target "
        "may be met at any point between 1 October and 1 December."
    )
    found = {(name, start) for name, start, _, _ in events(story, datetime.date(2025, 6, 24))}
    assert ("Humanitarian Country Team meeting", datetime.date(2025, 6, 24)) in found
    assert {start for _, start in found} == {datetime.date(2025, 6, 24), datetime.date(2025, 6, 26)}


def test_a_weekday_before_the_event_dates_it():
    story = "Spending\n\nLeaders agreed at Thursday's summit to raise defence spending."
    assert events(story, datetime.date(2025, 6, 10)) == {
        ("Summit", datetime.date(2025, 6, 5), None, "day")
    }


def test_a_scheduling_verb_is_not_part_of_the_event_s_name():
    story = "Talks\n\nThe second round of talks took place in Istanbul on 2 June."
    (event,) = analyse(story, datetime.date(2025, 6, 10)).events
    assert (event.name, event.starts_on, event.location) == (
        "Second round of talks",
        datetime.date(2025, 6, 2),
        "Istanbul",
    )


def test_the_opening_day_goes_to_the_meeting_the_story_reports():
    story = (
        "Air defence pledges\n\nNATO Secretary General Mark Rutte welcomed on Thursday new "
        "pledges by allies.\n\nSpeaking after the meeting of NATO Defence Ministers, the "
        "Secretary General said:\n\nAllies have committed to buy more air defence, faster."
        "\n\nSwedish Fisheries Minister Jens Holm called for emergency talks."
    )
    proposal = analyse(story, datetime.date(2025, 6, 5))
    assert [(e.name, e.starts_on) for e in proposal.events] == [
        ("Meeting of NATO Defence Ministers", datetime.date(2025, 6, 5))
    ]
    assert quotes(story, datetime.date(2025, 6, 5)) == [
        ("Mark Rutte", "NATO Secretary General", "Allies have committed to")
    ]


def test_an_event_known_to_the_month_gives_way_to_its_day():
    story = (
        "Budget clash\n\nThe row sets up a clash ahead of an EU summit later this month.\n\n"
        "EU leaders will discuss defence financing at a summit in Brussels on March 20-21."
    )
    assert events(story, datetime.date(2025, 3, 3)) == {
        ("Summit", datetime.date(2025, 3, 20), datetime.date(2025, 3, 21), "day")
    }


def test_a_dateline_paragraph_of_its_own_is_the_dateline():
    story = "Aid released\n\nBrussels, 12 June 2024\n\nThe Commission announced new aid today."
    proposal = analyse(story, JUNE_12)
    assert (proposal.dateline, proposal.standfirst) == (
        "Brussels",
        "The Commission announced new aid today.",
    )
    story = "Cholera\n\nNEW YORK/JUBA, 3 September 2024 – Cholera is spreading, UNICEF said."
    assert analyse(story, JUNE_12).dateline == "New York/Juba"


def test_an_attribution_line_describing_the_speaker_gives_the_description_as_role():
    story = (
        "Cholera\n\nThe outbreak is spreading.\n\n“My daughter was sick for three days "
        "before we could reach the clinic.”\n\n— Nyakuoth, a mother of four in Bentiu"
    )
    assert quotes(story) == [("Nyakuoth", "mother of four in Bentiu", "My daughter was sick")]


def test_what_took_place_or_will_be_held_is_an_event_whatever_its_noun():
    story = (
        "Baltic exercise\n\nTroops will take part in exercise Iron Tide 2026, which will be "
        "held in Latvia from 3 to 14 March. It follows Northern Lantern, which took place in "
        "Poland on 10-21 November last year. A day for accredited journalists will be held "
        "at the Adazi training area on 11 March."
    )
    assert events(story, datetime.date(2026, 2, 20)) == {
        ("Exercise Iron Tide 2026", datetime.date(2026, 3, 3), datetime.date(2026, 3, 14),
         "day"),
        ("Northern Lantern", datetime.date(2025, 11, 10), datetime.date(2025, 11, 21), "day"),
        ("Day for accredited journalists", datetime.date(2026, 3, 11), None, "day"),
    }  # fmt: skip


def test_a_date_before_the_talks_it_is_for():
    story = (
        "Visit\n\nThe Foreign Secretary travels to Ottawa today (4 March) for talks with "
        "Canada's Foreign Minister."
    )
    assert events(story, datetime.date(2026, 3, 4)) == {
        ("Talks", datetime.date(2026, 3, 4), None, "day")
    }


def test_strikes_and_votes_written_as_verbs_and_a_headline_s_infinitive_is_to_come():
    story = (
        "Rail drivers to strike from Sunday\n\nThe drivers' union said on Thursday it would "
        "stop work after talks broke down. The committee will vote on the report on 28 May."
    )
    found = events(story, datetime.date(2023, 5, 11))
    assert {(start, end) for _, start, end, _ in found} == {
        (datetime.date(2023, 5, 14), None),
        (datetime.date(2023, 5, 28), None),
    }


def test_a_deadline_is_not_an_event():
    story = (
        "Budgets\n\nMember states submit their plans to the Commission and the Eurogroup by "
        "15 October. The Eurogroup today discussed them."
    )
    assert events(story, datetime.date(2025, 12, 9)) == {
        ("Eurogroup", datetime.date(2025, 12, 9), None, "day")
    }


def test_several_dates_listed_after_one_event_are_several_events():
    story = (
        "Conferences\n\nBoth parties will hold their annual conferences before polling day, "
        "the Conservatives in Manchester on 1-4 October and Labour in Liverpool on "
        "8-11 October."
    )
    dates = {(start, end) for _, start, end, _ in events(story, datetime.date(2023, 9, 27))}
    assert dates == {
        (datetime.date(2023, 10, 1), datetime.date(2023, 10, 4)),
        (datetime.date(2023, 10, 8), datetime.date(2023, 10, 11)),
    }


def test_the_same_gathering_named_by_its_kind_on_its_days_is_one_event():
    story = (
        "Defence fund\n\nLeaders agreed early on Friday to create a fund, after an all-night "
        "summit.\n\nThe meeting of 12-13 December had been expected to focus on Ukraine. One "
        "leader spoke on his way into the summit on Thursday."
    )
    assert events(story, datetime.date(2024, 12, 13)) == {
        ("Meeting", datetime.date(2024, 12, 12), datetime.date(2024, 12, 13), "day")
    }


def test_more_gatherings_and_ways_of_scheduling_them():
    story = (
        "Week ahead\n\nFinance ministers will take up the issue when they gather in Luxembourg "
        "on 19 June. The committee took evidence from the minister on Tuesday (3 June 2025). "
        "The hearing with the chief executive has been postponed to 9 July. Protesters plan a "
        "march through central London on Saturday. The by-election was called after the MP "
        "resigned in April."
    )
    dates = {start for _, start, _, _ in events(story, datetime.date(2025, 6, 10))}
    assert dates == {
        datetime.date(2025, 6, 19),
        datetime.date(2025, 6, 3),
        datetime.date(2025, 7, 9),
        datetime.date(2025, 6, 14),
    }


def test_a_round_in_a_month_gives_way_to_the_same_round_on_its_day():
    story = (
        "Talks\n\nThe ministers agreed on Thursday to hold another round of talks next month. "
        "Officials said the next round would take place in Istanbul on 20 February."
    )
    assert events(story, datetime.date(2025, 1, 23)) == {
        ("Round", datetime.date(2025, 2, 20), None, "day")
    }


def test_a_possessive_before_a_role_is_not_part_of_it():
    story = (
        "Dialogue\n\nEU foreign policy chief Kaja Kallas welcomed the meeting. “Dialogue "
        "between allies is always good news,” her spokesperson, Anitta Hipper, said."
    )
    assert quotes(story) == [("Anitta Hipper", "spokesperson", "Dialogue between allies is")]
