"""The product's copies of the code lists are the reference lists."""

import ast
from pathlib import Path

import pytest

from carecoord.stratification import codes

from .reference import CCC, PMCA, ROOT, rows

COPIES = {
    "ccc_v2_icd10cm.csv": CCC, "ccc_v2_icd10pcs.csv": CCC, "ccc_v2_icd9cm.csv": CCC,
    "ccc_v2_icd9pcs.csv": CCC, "pmca_icd10cm.csv": PMCA, "pmca_icd9cm.csv": PMCA,
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copies_equal_the_reference(name):
    assert (codes.DATA_DIR / name).read_bytes() == (COPIES[name] / name).read_bytes()
    assert name in (codes.DATA_DIR / "PROVENANCE.md").read_text()


def test_the_corrections_are_the_reference_corrections_with_their_code_system():
    ours = codes.read_rows("ccc_v2_corrections_published.csv")
    theirs = rows(CCC / "corrections_published.csv")
    assert [{k: v for k, v in row.items() if k != "code_system"} for row in ours] == theirs
    assert {row["code_system"] for row in ours} == {"ICD-10-CM"}


def test_no_django_in_the_stratification_package():
    package = ROOT / "carecoord" / "stratification"
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(Path(module).read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), module
