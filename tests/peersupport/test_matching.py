"""The ranking of support parents for a family, on its own."""

from carecoord.peersupport.matching import Candidate, Seeker, suggest

FAMILY = Seeker(categories=frozenset({"Q90"}), languages=frozenset({"es", "en"}),
                town="New Britain", region="North Central")


def parent(pk, name, categories=(), languages=("en",), town="Hartford", region="North Central",
           load=0, room=2):
    return Candidate(pk, name, frozenset(categories), frozenset(languages), town, region, load,
                     room)


def test_shared_condition_and_language_lead():
    ranked = suggest(FAMILY, [
        parent(1, "Near, other condition", ["E84"], town="New Britain"),
        parent(2, "Same condition, Spanish", ["Q90"], ["es"], town="Norwich", region="Eastern"),
        parent(3, "Related chapter", ["Q21"], ["es"]),
    ])
    assert [s.candidate.name for s in ranked] == [
        "Same condition, Spanish", "Related chapter", "Near, other condition"]
    assert ranked[0].reasons[:2] == ("same condition category (Q90)", "speaks es")
    assert "related conditions (chapter Q)" in ranked[1].reasons


def test_a_parent_without_room_is_never_suggested_and_ties_go_to_the_less_busy():
    ranked = suggest(FAMILY, [parent(1, "Full", ["Q90"], load=2, room=2),
                              parent(2, "Busy", ["Q90"], load=1),
                              parent(3, "Free", ["Q90"], load=0)])
    assert [s.candidate.name for s in ranked] == ["Free", "Busy"]
