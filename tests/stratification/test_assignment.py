"""Coordinator suggestions and rebalancing on teams where the right answer is known."""

import copy

import pytest
import yaml

from carecoord.stratification.assignment import (
    ASSIGNMENT_RULES_FILE,
    AssignmentRulesError,
    ChildToAssign,
    Coordinator,
    caseload_load,
    haversine_km,
    load_assignment_rules,
    load_town_centroids,
    parse_assignment_rules,
    rebalance,
    suggest_coordinators,
)
from carecoord.stratification.social import SocialFacts, social_complexity
from carecoord.stratification.tiers import MedicalFacts, acuity_tier, load_tier_matrix

TYPICAL = 2  # the tier whose caseload weight the tests scale capacities by


@pytest.fixture(scope="module")
def matrix():
    return load_tier_matrix()


@pytest.fixture(scope="module")
def rules():
    return load_assignment_rules()


@pytest.fixture(scope="module")
def point(matrix):
    """A capacity at which one typical child is one percentage point."""
    return 100 * matrix.caseload_weight(TYPICAL)


def nurse(id, children, capacity, languages=("en",), town="Hartford", discipline="nurse"):
    return Coordinator(id=id, name=f"coordinator {id}", discipline=discipline,
                       caseload_capacity=capacity, caseload_tiers=(TYPICAL,) * children,
                       languages=frozenset(languages), base_town=town)


def spanish_family_in_new_britain(discipline="nurse", tier=TYPICAL):
    return ChildToAssign(id=1, tier=tier, discipline=discipline, language="es",
                         town="New Britain", prefers_home_visits=True)


def test_new_britain_is_nearby_bristol_and_enfield_is_not(rules):
    centroids = load_town_centroids()
    assert len(centroids) == 169
    assert haversine_km(centroids["New Britain"], centroids["Bristol"]) < rules.nearby_km
    assert haversine_km(centroids["New Britain"], centroids["Enfield"]) > rules.nearby_km


def test_one_degree_of_latitude_is_about_111_km():
    assert haversine_km((41.0, -72.0), (42.0, -72.0)) == pytest.approx(111.2, abs=0.1)


def test_the_spanish_speaking_nurse_nearby_wins_within_the_language_tolerance(rules, point):
    within = int(rules.language_match_points) - 3
    english = nurse(1, children=40, capacity=point, town="New Britain")
    spanish = nurse(2, children=40 + within, capacity=point, languages=("en", "es"),
                    town="Bristol")
    ranked = suggest_coordinators(spanish_family_in_new_britain(), [english, spanish])
    assert [c.coordinator.id for c in ranked] == [2, 1]
    assert ranked[1].projected_load < ranked[0].projected_load  # the English nurse has less
    assert ranked[0].reasons[0] == "speaks Spanish"
    assert ranked[0].reasons[1].startswith("based in Bristol, 13 km from New Britain")
    assert ranked[1].reasons[0] == "does not speak Spanish: needs an interpreter"


def test_the_english_only_nurse_wins_beyond_the_language_tolerance(rules, point):
    beyond = int(rules.language_match_points) + 3
    english = nurse(1, children=40, capacity=point, town="New Britain")
    spanish = nurse(2, children=40 + beyond, capacity=point, languages=("en", "es"),
                    town="Bristol")
    ranked = suggest_coordinators(spanish_family_in_new_britain(), [english, spanish])
    assert [c.coordinator.id for c in ranked] == [1, 2]


def test_loads_are_acuity_weighted_and_shown_as_percent_of_capacity(matrix, point):
    coordinator = Coordinator(1, "A", "nurse", caseload_capacity=point,
                              caseload_tiers=(1, 4, 4, None), base_town="Hartford")
    rules = load_assignment_rules()
    expected = (matrix.caseload_weight(1) + 2 * matrix.caseload_weight(4)
                + rules.unstratified_weight)
    assert caseload_load(coordinator, matrix, rules) == pytest.approx(expected)
    child = ChildToAssign(9, 3, "nurse", "en", "Hartford")
    (candidate,) = suggest_coordinators(child, [coordinator])
    assert candidate.current_load == pytest.approx(expected)
    assert candidate.projected_load == pytest.approx(expected + matrix.caseload_weight(3))
    assert candidate.projected_percent == pytest.approx(100 * candidate.projected_load / point)
    assert candidate.reasons[-1] == (f"at {candidate.current_percent:.0f}% of capacity, "
                                     f"{candidate.projected_percent:.0f}% with this child")
    assert candidate.speaks_family_language is None  # English: the working language


def test_a_coordinator_over_capacity_is_never_suggested_when_another_has_room(point):
    # The Spanish speaker nearby would win on language, but this child takes her over capacity.
    full = nurse(1, children=100, capacity=point, languages=("en", "es"), town="New Britain")
    busy = nurse(2, children=95, capacity=point, town="Enfield")
    ranked = suggest_coordinators(spanish_family_in_new_britain(), [full, busy])
    assert [c.coordinator.id for c in ranked] == [2, 1]
    assert ranked[0].has_room and not ranked[1].has_room
    assert ranked[1].reasons[-1].startswith("over capacity with this child")


def test_everyone_with_room_ranks_before_anyone_without(point):
    team = [nurse(i, children=children, capacity=point, languages=("en", "es"))
            for i, children in enumerate((100, 20, 99, 60, 101, 5), start=1)]
    ranked = suggest_coordinators(spanish_family_in_new_britain(), team)
    room = [c.has_room for c in ranked]
    assert room == sorted(room, reverse=True)
    assert [c.coordinator.id for c in ranked] == [6, 2, 4, 3, 1, 5]  # 99 + 1 is still room


def test_a_behavioral_health_led_child_gets_a_social_worker(point):
    anxiety = MedicalFacts("non_complex_chronic", {"mental_health"}, behavioral_health=True)
    tier = acuity_tier(anxiety, social_complexity(SocialFacts()))
    child = ChildToAssign(7, tier.tier.number, tier.discipline, "en", "Hartford")
    idle_nurse = nurse(1, children=0, capacity=point)
    social_worker = nurse(2, children=80, capacity=point, discipline="social_worker")
    community = nurse(3, children=0, capacity=point, discipline="community")
    ranked = suggest_coordinators(child, [idle_nurse, social_worker, community])
    assert [c.coordinator.discipline for c in ranked] == ["social_worker"]


def test_home_visits_make_distance_count_and_only_then(rules, point):
    near = nurse(1, children=50, capacity=point, town="Berlin")
    far = nurse(2, children=45, capacity=point, town="Norwich")
    visits = ChildToAssign(1, TYPICAL, "nurse", "en", "New Britain", prefers_home_visits=True)
    phone = ChildToAssign(1, TYPICAL, "nurse", "en", "New Britain", prefers_home_visits=False)
    ranked = suggest_coordinators(visits, [near, far])
    assert [c.coordinator.id for c in ranked] == [1, 2]
    assert ranked[1].travel_points == pytest.approx(
        (ranked[1].distance_km - rules.nearby_km) * rules.points_per_km_beyond)
    assert "km beyond nearby for home visits" in ranked[1].reasons[0]
    assert [c.coordinator.id for c in suggest_coordinators(phone, [near, far])] == [2, 1]


def test_equal_candidates_come_out_in_id_order_whatever_the_input_order(point):
    team = [nurse(i, children=30, capacity=point) for i in (5, 3, 9, 1)]
    child = ChildToAssign(1, TYPICAL, "nurse", "en", "Hartford")
    assert [c.coordinator.id for c in suggest_coordinators(child, team)] == [1, 3, 5, 9]
    assert [c.coordinator.id for c in suggest_coordinators(child, team[::-1])] == [1, 3, 5, 9]


def test_an_unknown_town_is_refused_by_name(point):
    child = ChildToAssign(1, TYPICAL, "nurse", "en", "Springfield", prefers_home_visits=True)
    with pytest.raises(ValueError, match="no centroid for town 'Springfield'"):
        suggest_coordinators(child, [nurse(1, 0, point)])


def test_an_undefined_tier_is_refused(point):
    with pytest.raises(ValueError, match="tier 7 is not defined"):
        suggest_coordinators(ChildToAssign(1, 7, "nurse", "en"), [nurse(1, 0, point)])


# ---------------------------------------------------------------- rebalancing


def leaver_children(count, tiers=(1, 2, 3, 4), discipline="nurse", language="en"):
    return [ChildToAssign(100 + i, tiers[i % len(tiers)], discipline, language, "Hartford")
            for i in range(count)]


def test_rebalance_spreads_a_caseload_without_exceeding_capacity(matrix, rules):
    leaving = nurse(1, children=0, capacity=110)
    team = [nurse(2, children=55, capacity=110), nurse(3, children=44, capacity=88),
            nurse(4, children=25, capacity=50), nurse(5, children=20, capacity=40,
                                                      discipline="community")]
    children = leaver_children(40)
    plan = rebalance(leaving, children, [leaving, *team])
    assert plan.unplaced == ()
    assert sorted(move.child.id for move in plan.moves) == [c.id for c in children]
    assert {move.to.coordinator.id for move in plan.moves} == {2, 3, 4}  # nurses only
    after = {load.coordinator.id: load for load in plan.loads_after}
    assert 1 not in after
    assert all(load.percent <= rules.full_at_percent for load in after.values())
    # Everyone started at the same share of capacity; placing the heaviest first on the least
    # loaded keeps the nurses within one child of each other.
    nurses = [after[i].percent for i in (2, 3, 4)]
    heaviest = max(100 * matrix.caseload_weight(4) / after[i].coordinator.caseload_capacity
                   for i in (2, 3, 4))
    assert max(nurses) - min(nurses) <= heaviest
    assert after[5].load == caseload_load(team[3], matrix, rules)  # the community coordinator


def test_rebalance_places_the_heaviest_children_first(matrix):
    leaving = nurse(1, children=0, capacity=110)
    plan = rebalance(leaving, leaver_children(12), [nurse(2, 10, 110), nurse(3, 10, 110)])
    weights = [matrix.caseload_weight(move.child.tier) for move in plan.moves]
    assert weights == sorted(weights, reverse=True)


def test_rebalance_lists_children_nobody_has_room_for(rules):
    leaving = nurse(1, children=0, capacity=110)
    team = [nurse(2, children=95, capacity=100), nurse(3, children=97, capacity=100)]
    plan = rebalance(leaving, leaver_children(20), team)
    assert plan.moves and plan.unplaced
    assert all(load.percent <= rules.full_at_percent for load in plan.loads_after)
    assert plan.unplaced[0].reason.startswith("no remaining nurse coordinator has room")
    placed = len(plan.moves) + len(plan.unplaced)
    assert placed == 20


def test_rebalance_with_no_one_of_the_discipline_says_so():
    leaving = nurse(1, children=0, capacity=110, discipline="community")
    plan = rebalance(leaving, leaver_children(2, discipline="community"),
                     [nurse(2, 10, 110)])
    assert plan.moves == ()
    assert [u.reason for u in plan.unplaced] == ["no remaining community coordinator"] * 2


def test_rebalance_keeps_spanish_speaking_families_with_spanish_speakers(rules, point):
    leaving = nurse(1, children=0, capacity=point, languages=("en", "es"))
    spanish = nurse(2, children=30, capacity=point, languages=("en", "es"))
    english = nurse(3, children=30, capacity=point)
    children = leaver_children(6, tiers=(TYPICAL,), language="es")
    plan = rebalance(leaving, children, [spanish, english])
    # Each typical child is one point; the speaker takes them while within the tolerance.
    assert all(move.to.coordinator.id == 2 for move in plan.moves)
    assert all(move.to.reasons[0] == "speaks Spanish" for move in plan.moves)


def test_an_edited_rule_file_changes_the_tolerance(point):
    document = yaml.safe_load(ASSIGNMENT_RULES_FILE.read_text(encoding="utf-8"))
    document["language"]["match_points"] = 0
    no_tolerance = parse_assignment_rules(document)
    english = nurse(1, children=40, capacity=point, town="New Britain")
    spanish = nurse(2, children=41, capacity=point, languages=("en", "es"), town="Bristol")
    child = spanish_family_in_new_britain()
    assert suggest_coordinators(child, [english, spanish])[0].coordinator.id == 2
    assert suggest_coordinators(child, [english, spanish],
                                rules=no_tolerance)[0].coordinator.id == 1


@pytest.mark.parametrize("edit, key", [
    (lambda d: d["language"].update(match_points="a lot"), "language.match_points"),
    (lambda d: d["home_visits"].pop("nearby_km"), "home_visits.nearby_km: None"),
    (lambda d: d["capacity"].update(full_at_percent=0), "capacity.full_at_percent"),
    (lambda d: d["language"].pop("working_language"), "language.working_language"),
    (lambda d: d.update(travel={}), "travel: unknown section"),
])
def test_a_malformed_rule_file_is_refused_naming_the_key(edit, key):
    document = copy.deepcopy(yaml.safe_load(ASSIGNMENT_RULES_FILE.read_text(encoding="utf-8")))
    edit(document)
    with pytest.raises(AssignmentRulesError) as refused:
        parse_assignment_rules(document, source="edited.yaml")
    assert any(key in problem for problem in refused.value.problems), refused.value.problems


def test_coordinators_without_capacity_or_discipline_are_refused():
    with pytest.raises(ValueError, match="caseload_capacity must be above 0"):
        Coordinator(1, "A", "nurse", caseload_capacity=0)
    with pytest.raises(ValueError, match="discipline 'doctor'"):
        Coordinator(1, "A", "doctor", caseload_capacity=10)
