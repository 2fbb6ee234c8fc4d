"""The organization catalog and which organizations a child's diagnoses suggest."""

import re

from carecoord.connections import catalog


def codes(suggestions):
    return [s.organization.code for s in suggestions]


def test_codes_match_by_prefix_or_range_of_categories():
    assert catalog.matches("Q90.9", "Q90") and catalog.matches("q909", "Q90")
    assert catalog.matches("Q21.0", "Q20-Q26") and catalog.matches("Q26", "Q20-Q26")
    assert not catalog.matches("Q27.0", "Q20-Q26") and not catalog.matches("Q19", "Q20-Q26")
    assert catalog.matches("Q87.11", "Q8711") and not catalog.matches("Q87.19", "Q8711")
    assert not catalog.matches("F84.0", "*")  # "every family" is not a diagnosis match


def test_down_syndrome_suggests_the_state_groups_before_the_national_one():
    found = catalog.suggest([(7, "Q909", "Down syndrome, unspecified")], set())
    down = [s for s in found if s.diagnosis_id == 7]
    assert codes(down) == ["ct-down-syndrome-congress", "ds-act", "ndss"]
    assert down[0].diagnosis_code == "Q909"
    # Then the Connecticut groups for every family of a child with special health care needs.
    assert {"path-parent-to-parent", "cpac"} <= set(codes(found[3:]))
    assert all(s.diagnosis_id is None for s in found[3:])


def test_each_organization_is_suggested_once_and_not_when_already_on_the_list():
    found = catalog.suggest([(1, "F840", "Autistic disorder"), (2, "F845", "Asperger's")],
                            {"autism-speaks", "cpac"})
    assert codes(found).count("asrc-ct") == 1
    assert "autism-speaks" not in codes(found) and "cpac" not in codes(found)
    assert [s.diagnosis_id for s in found if s.organization.code == "asrc-ct"] == [1]


def test_conditions_of_the_issue_find_their_organizations():
    expected = {"E84.0": "cff-connecticut", "E10.9": "breakthrough-t1d",
                "G40.909": "epilepsy-foundation-ct", "D57.1": "scdaa", "Q05.4":
                "spina-bifida-association", "G80.0": "ucp", "F90.0": "chadd",
                "Q21.1": "conquering-chd", "F84.0": "autism-speaks"}
    for code, organization in expected.items():
        assert organization in codes(catalog.suggest([(1, code, "")], set())), code
    rett = codes(catalog.suggest([(1, "F84.2", "Rett syndrome")], set()))
    assert "rett-syndrome" in rett and "autism-speaks" not in rett


def test_the_catalog_holds_names_and_domains_only():
    phone = re.compile(r"\d{3}[-. )]\d{3}[-. ]\d{4}")
    seen = set()
    for organization in catalog.catalog().values():
        assert organization.code not in seen
        seen.add(organization.code)
        assert organization.level in catalog.LEVELS
        assert organization.basis in ("seen", "verify")
        assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", organization.website), organization
        for text in (organization.name, organization.condition):
            assert not phone.search(text) and "@" not in text
        for pattern in organization.icd10:
            assert pattern == "*" or re.fullmatch(r"[A-Z]\d[0-9A-Z]*(-[A-Z]\d\d)?", pattern)
