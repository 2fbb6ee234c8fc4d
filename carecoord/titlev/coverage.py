"""How a child's insurance as CareCoord records it becomes the state's coverage fields. Pure
Python: the export's rows, its counts (in SQL) and the data dictionary all read these tables.

Title V Form 5a splits the people served by primary coverage: Title XIX (Medicaid), Title XXI
(CHIP), private/other, none, unknown. Connecticut's default rule (../shared/reference/
connecticut/ct_programs.csv): HUSKY A, C and D are Medicaid (Title XIX), HUSKY B is CHIP
(Title XXI). Some HUSKY A children are paid for with CHIP money; the programme alone cannot
tell, so `coverage_program` keeps the raw HUSKY letter for the state to re-split with DSS."""

TITLE_XIX, TITLE_XXI, PRIVATE_OTHER, NONE, UNKNOWN = (
    "title_xix", "title_xxi", "private_other", "none", "unknown")

CATEGORIES = {
    TITLE_XIX: "Title XIX (Medicaid)",
    TITLE_XXI: "Title XXI (CHIP)",
    PRIVATE_OTHER: "Private/other",
    NONE: "None (uninsured)",
    UNKNOWN: "Unknown",
}

# CareCoord's Child.insurance_type → (the state's coverage_program, coverage_category).
# "other" is coverage that is neither HUSKY nor commercial (TRICARE, out-of-state Medicaid,
# a plan CareCoord has no code for): Form 5a's column is "private/other", so it counts there,
# and coverage_program says "other" so the state can see how many.
BY_INSURANCE = {
    "husky_a": ("HUSKY_A", TITLE_XIX),
    "husky_b": ("HUSKY_B", TITLE_XXI),
    "husky_c": ("HUSKY_C", TITLE_XIX),
    "husky_d": ("HUSKY_D", TITLE_XIX),
    "commercial": ("private", PRIVATE_OTHER),
    "other": ("other", PRIVATE_OTHER),
    "uninsured": ("none", NONE),
}
# An empty or unrecognised insurance type: counted, and reported as a validation problem.
UNRECORDED = ("unknown", UNKNOWN)

# The programmes CareCoord can give, and the category each counts under.
PROGRAM_CATEGORY = {program: category for program, category in BY_INSURANCE.values()} | {
    UNRECORDED[0]: UNRECORDED[1]}
# The state's list, TRICARE included (CareCoord records TRICARE as "other").
PROGRAMS = ("HUSKY_A", "HUSKY_B", "HUSKY_C", "HUSKY_D", "private", "TRICARE", "other", "none",
            "unknown")


def program(insurance_type: str) -> str:
    return BY_INSURANCE.get(insurance_type, UNRECORDED)[0]


def category(insurance_type: str) -> str:
    return BY_INSURANCE.get(insurance_type, UNRECORDED)[1]
