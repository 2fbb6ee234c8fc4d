"""The proportions the demo network aims for, in one place so they can be read against the
center profile (shared/domain/center-profile.txt) and changed without touching the generator.
Weights are relative; they need not add up to 100. Language, town and diagnosis mixes are data
files (see data/README.md); these are the shape of the caseload around them."""

from .chance import weighted

# ---------------------------------------------------------------- households and people

CHILDREN_PER_HOUSEHOLD = weighted({1: 82, 2: 14, 3: 4})  # about 18% of households have siblings
TWINS = 0.03  # share of younger siblings born the same day as an older one

# Age in whole years on the as-of date: the centers see mostly children of 2 to 12.
AGE_YEARS = weighted({
    0: 2, 1: 3, 2: 5, 3: 6, 4: 7, 5: 7, 6: 7, 7: 7, 8: 7, 9: 7, 10: 7, 11: 6, 12: 6,
    13: 5, 14: 5, 15: 4, 16: 4, 17: 3, 18: 2, 19: 1.5, 20: 1, 21: 0.5,
})
YOUNGEST_DAYS = 60  # nobody is referred in their first weeks of life here
SEX = weighted({"M": 52.7, "F": 47.0, "UNK": 0.3})  # CYSHCN are more often boys
MIDDLE_NAME = 0.45

PRIMARY_GUARDIAN = weighted({
    "mother": 70, "father": 12, "grandparent": 8, "foster": 4, "legal_guardian": 2.5,
    "aunt_uncle": 2.5, "stepparent": 1,
})
SECOND_GUARDIAN_RATE = {
    "mother": 0.6, "father": 0.6, "grandparent": 0.35, "foster": 0.5, "legal_guardian": 0.2,
    "aunt_uncle": 0.3, "stepparent": 0.9,
}
SECOND_GUARDIAN = {
    "mother": weighted({"father": 80, "stepparent": 10, "grandparent": 10}),
    "father": weighted({"mother": 70, "stepparent": 15, "grandparent": 15}),
    "grandparent": weighted({"grandparent": 70, "aunt_uncle": 30}),
    "foster": weighted({"foster": 100}),
    "legal_guardian": weighted({"legal_guardian": 60, "other": 40}),
    "aunt_uncle": weighted({"aunt_uncle": 100}),
    "stepparent": weighted({"mother": 60, "father": 40}),
}
FEMALE_SHARE = {
    "mother": 1.0, "father": 0.0, "grandparent": 0.75, "aunt_uncle": 0.65, "foster": 0.7,
    "legal_guardian": 0.7, "stepparent": 0.4, "other": 0.6,
}
LEGAL_GUARDIAN_SHARE = {
    "mother": 0.98, "father": 0.95, "grandparent": 0.5, "aunt_uncle": 0.4, "foster": 0.0,
    "legal_guardian": 1.0, "stepparent": 0.0, "other": 0.0,
}
KEEPS_FAMILY_NAME = {  # a guardian carrying the child's surname
    "mother": 0.75, "father": 0.9, "grandparent": 0.55, "aunt_uncle": 0.4, "foster": 0.0,
    "legal_guardian": 0.2, "stepparent": 0.3, "other": 0.2,
}
SPEAKS_ENGLISH_TOO = 0.45  # a guardian who prefers another language but also speaks English
INTERPRETER_ANYWAY = 0.15  # ...and still asks for an interpreter at medical conversations
SPEAKS_SPANISH_TOO = 0.3  # English-preferring Latino guardians who also speak Spanish

HAS_PHONE = 0.96
PHONE_CAN_TEXT = 0.8
HAS_EMAIL = {"en": 0.6, "other": 0.35}
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
CHANNELS = weighted({
    "phone": 40, "text": 25, "email": 10, "video": 5, "home_visit": 10, "school_meeting": 4,
    "clinic_visit": 6,
})
CHANNEL_COUNT = weighted({1: 35, 2: 45, 3: 20})
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
BEST_DAY_COUNT = weighted({0: 25, 1: 15, 2: 25, 3: 20, 5: 15})
SATURDAY_TOO = 0.08
BEST_TIME = weighted({None: 30, (9, 12): 20, (12, 15): 15, (15, 18): 20, (17, 19): 15})
APARTMENT = 0.3

# ---------------------------------------------------------------- coverage and medical home

HOUSEHOLD_COVERAGE = weighted({
    "husky_a": 51, "husky_b": 6.5, "commercial": 35.5, "uninsured": 3, "other": 2,
})
HUSKY_C_IF_COMPLEX = 0.2  # Medicaid-covered children with complex needs on HUSKY C (disability)
OTHER_HAS_MEMBER_ID = 0.5
HAS_PCP = 0.92
FQHC_SHARE = {"medicaid": 0.45, "commercial": 0.15}
SIBLING_SAME_PCP = 0.7

# ---------------------------------------------------------------- needs

PROFILE = weighted({"medically_complex": 25, "behavioral": 30, "social_needs": 30, "mixed": 15})
PROFILE_UNDER_3 = weighted({"medically_complex": 35, "social_needs": 50, "mixed": 15})
BEHAVIORAL_CODES = weighted({1: 55, 2: 35, 3: 10})  # behavioral diagnoses per behavioral child
MIXED_WITH_COMPLEX = 0.35  # a mixed child whose medical condition is a complex one (→ nurse)

# ---------------------------------------------------------------- referral, enrollment, consent

STATUS = weighted({
    "enrolled": 75, "discharged": 8, "received": 3, "screening": 4, "accepted": 3, "declined": 7,
})
HISTORY_YEARS = 3
RETURNING = 0.05  # enrolled children with an earlier, discharged episode
RETURNING_TRANSFERRED = 0.25  # ...of which the earlier one was at another center
REASSIGNED = 0.04  # open enrollments whose coordinator changed once
SOURCE = {
    "medically_complex": weighted({"pcp": 35, "specialist": 30, "hospital": 20, "school": 3,
                                   "family": 5, "state_program": 4, "early_intervention": 3}),
    "behavioral": weighted({"pcp": 45, "specialist": 8, "hospital": 5, "school": 22,
                            "family": 10, "state_program": 8, "early_intervention": 2}),
    "social_needs": weighted({"pcp": 45, "specialist": 2, "hospital": 5, "school": 12,
                              "family": 12, "state_program": 14, "early_intervention": 10}),
    "mixed": weighted({"pcp": 45, "specialist": 15, "hospital": 8, "school": 12, "family": 8,
                       "state_program": 8, "early_intervention": 4}),
}
URGENCY = {
    "medically_complex": weighted({"routine": 55, "priority": 33, "urgent": 12}),
    "other": weighted({"routine": 80, "priority": 17, "urgent": 3}),
}
DAYS_TO_FIRST_CONTACT = {"urgent": (0, 2), "priority": (1, 7), "routine": (2, 21)}
DAYS_TO_DECISION = (2, 20)
DAYS_TO_ENROLLMENT = (0, 14)
DECLINE_REASON = weighted({
    "family_declined": 30, "unable_to_reach": 25, "not_eligible": 15, "served_elsewhere": 12,
    "out_of_region": 8, "duplicate": 5, "other": 5,
})
DISCHARGE_REASON = weighted({
    "goals_met": 42, "family_declined": 13, "moved": 10, "aged_out": 8, "unable_to_contact": 17,
    "other": 10,
})
DISCHARGE_NOTE = 0.4  # a note besides the reason ("other" always has one)
CONSENT = 0.88  # enrolled children with a PCP practice whose family consents to share
CONSENT_RENEWED = 0.8
CONSENT_REVOKED = 0.03
DIAGNOSIS_SOURCE = weighted({"Referral": 50, "PCP": 25, "Specialist": 15, "Claims": 10})

# ---------------------------------------------------------------- the provider directory

CLINICIAN_NAME_GROUP = weighted({
    "us": 55, "hispanic": 10, "south_asian": 12, "chinese": 6, "arabic": 4, "polish": 3,
    "haitian": 3, "portuguese": 2, "vietnamese": 2, "russian": 3,
})
CLINICIAN_HAS_EMAIL = 0.5
