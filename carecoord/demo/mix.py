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

# ---------------------------------------------------------------- care plans

PLAN_FOR_OPEN = 0.93  # open enrollments with a care plan once past their first weeks…
PLAN_FOR_NEW = 0.6  # …and in their first NEW_ENROLLMENT_DAYS (the plan is still to start)
NEW_ENROLLMENT_DAYS = 45
PLAN_FOR_DISCHARGED = 0.6  # closed enrollments of a month or more that had a plan
DAYS_TO_PLAN_START = (0, 10)  # from enrollment to the first plan conversation
DAYS_TO_FIRST_AGREEMENT = (10, 45)
# Open plans: agreed and untouched since; agreed, then edited (the draft of the next version),
# perhaps already gone through with the family; never agreed yet (family hard to reach).
OPEN_PLAN_STATE = weighted({"agreed": 66, "edited": 20, "edited_in_review": 5,
                            "never_agreed": 5, "first_in_review": 4})
NEW_PLAN_STATE = weighted({"draft": 75, "in_review": 25})  # too new to have been agreed
# Days from the last agreement to the as-of date. Reviews are due six months after agreement
# (settings.CAREPLAN_REVIEW_MONTHS): most plans are inside that, some due in the coming weeks,
# about a quarter overdue.
DAYS_SINCE_AGREEMENT = weighted({(0, 150): 60, (151, 183): 15, (184, 240): 17, (241, 330): 8})
DAYS_BEFORE_DISCHARGE = (0, 60)  # a discharged family's last agreement
# One to three versions: the first agreement, the last, and one between them when they are at
# least this far apart.
VERSION_SPAN_DAYS = 200
MIDDLE_VERSION = 0.8
AGREED_HOW = weighted({"in_person": 45, "phone": 30, "video": 10, "portal": 15})
AGREED_BY_SECOND_GUARDIAN = 0.12
YOUTH_AGREES = 0.7  # youths of 18 or more agreeing to their own plan
REVIEW_CALLED = 0.15  # edited plans whose review was called early (a big event)
PRIORITIES = weighted({1: 35, 2: 45, 3: 20})
STRENGTHS = weighted({1: 30, 2: 45, 3: 25})
SECOND_GUARDIAN_VOICES = 0.15
NEEDS = {
    "medically_complex": weighted({2: 20, 3: 35, 4: 30, 5: 15}),
    "behavioral": weighted({1: 25, 2: 40, 3: 25, 4: 10}),
    "social_needs": weighted({1: 15, 2: 35, 3: 35, 4: 15}),
    "mixed": weighted({2: 20, 3: 35, 4: 30, 5: 15}),
}
NEED_ADDED_AT_REVIEW = 0.25  # needs (after the first) that came up at a later version
NEW_NEED_SINCE_AGREEMENT = 0.35  # edited plans whose edit is a new need
GOALS_PER_NEED = weighted({1: 65, 2: 35})
ACTIONS_PER_GOAL = weighted({1: 25, 2: 45, 3: 30})

# Which needs a child's situation raises: weights per diagnosis group of the child's codes, a
# strong signal for the domain a social Z code names, and the basics for families on Medicaid.
DOMAIN_WEIGHTS = {
    "complex": {"medical": 10, "diagnosis_organization": 3, "financial": 3, "respite": 3,
                "peer_support": 2, "transportation": 2, "education": 2,
                "early_intervention": 3, "transition": 5, "child_care": 1, "housing": 0.5,
                "legal": 0.5},
    "tech": {"medical": 8, "respite": 3, "financial": 2, "child_care": 1, "housing": 1},
    "chronic": {"medical": 3, "education": 1.5, "financial": 1, "transition": 1},
    "behavioral": {"behavioral_health": 10, "education": 5, "peer_support": 2, "legal": 1.5,
                   "respite": 1.5, "transition": 2},
    "developmental": {"early_intervention": 8, "education": 6, "diagnosis_organization": 1},
    "social": {"food": 4, "housing": 3, "financial": 3, "transportation": 2.5,
               "child_care": 1.5, "behavioral_health": 1},
}
SOCIAL_CODE_DOMAINS = {
    "Z5941": "food", "Z5900": "housing", "Z5901": "housing", "Z59811": "housing",
    "Z5910": "housing", "Z596": "financial", "Z59869": "financial", "Z5982": "transportation",
    "Z553": "education", "Z603": "peer_support", "Z753": "transportation", "Z6221": "legal",
    "Z62810": "behavioral_health", "Z635": "behavioral_health", "Z6372": "behavioral_health",
    "Z77011": "housing", "R7871": "medical",
}
CODE_SIGNAL = 25
LOW_INCOME_SIGNAL = {"food": 2, "financial": 2, "transportation": 1.5, "housing": 1.5}
TRANSITION_AGE = 14  # from here every youth's plan may hold transition to adult care
TRANSITION_SIGNAL = 6
DOMAIN_AGES = {"early_intervention": (0, 2), "transition": (14, 21), "education": (3, 21),
               "child_care": (0, 12), "legal": (5, 21)}
# The center's known tension: a referring provider asks for early intervention or therapy
# while the family's first concern is food or a place to live.
PROVIDER_ASK = 0.7  # referrals from a clinician that come with the clinician's own ask
TENSION = 0.7  # …in a family with basic needs, the family ranks food or housing first
BASIC_NEED = weighted({"food": 60, "housing": 40})
NEED_GROUP = {
    "medical": "clinical", "behavioral_health": "clinical", "early_intervention": "clinical",
    "transition": "clinical", "diagnosis_organization": "clinical", "education": "school",
    "legal": "school", "food": "social", "housing": "social", "transportation": "social",
    "financial": "social", "child_care": "social", "peer_support": "support",
    "respite": "support",
}
RAISED_BY = {
    "clinical": weighted({"family": 40, "coordinator": 22, "pcp": 18, "referrer": 8,
                          "school": 4, "screening": 8}),
    "school": weighted({"family": 40, "school": 30, "coordinator": 18, "pcp": 8,
                        "screening": 4}),
    "social": weighted({"family": 45, "screening": 30, "coordinator": 17, "pcp": 5,
                        "school": 3}),
    "support": weighted({"family": 55, "coordinator": 35, "screening": 10}),
}
FAMILY_PRIORITY = {
    "family": weighted({"high": 65, "medium": 30, "low": 5}),
    "other": weighted({"high": 35, "medium": 45, "low": 15, "not_now": 5}),
    "provider": weighted({"high": 45, "medium": 35, "low": 12, "not_now": 8}),
    "tension": weighted({"medium": 40, "low": 35, "not_now": 25}),
}
PROVIDER_PRIORITY = weighted({"high": 70, "medium": 25, "low": 5})
OUTSIDE_REACH = {"housing": 0.88, "child_care": 0.85}
OUTSIDE_REACH_OTHERWISE = 0.04  # a waitlist or an immigration question the center cannot fix
EXPECTATION_WITHIN_REACH = 0.35
# How the work goes: actions fall due within weeks and are done late or early; work on what is
# outside the center's reach gets done less often.
ACTION_DUE_DAYS = {"within_reach": (7, 75), "outside_control": (14, 120)}
ACTION_DONE = {"within_reach": 0.8, "outside_control": 0.45}
ACTION_DONE_GOALS_MET = 0.92  # families discharged because their goals were met
ACTION_DONE_LATE_DAYS = (-20, 30)  # done this many days after the due date
ACTION_CANCELLED = 0.04
STALE_DROPPED_AT_REVIEW = 0.75  # overdue, never done: cancelled at the next agreed version
ACTION_STARTED = 0.5
GOAL_MET = 0.85  # a goal whose actions are all done: met, else partly met
GOAL_GIVEN_UP = 0.25  # a month past its target with work left: closed as not met
GOAL_DISCONTINUED = 0.15  # …or discontinued
NEED_WITHDRAWN = 0.03

# ---------------------------------------------------------------- contacts

# Touches per year (calls, texts, visits, attempts and the retries after them) by profile, for
# about 18–24 contacts per child-year in all; each child's own pace varies around it.
CONTACTS_PER_YEAR = {"medically_complex": 13.5, "mixed": 13, "behavioral": 11.5,
                     "social_needs": 11.5}
CONTACT_PACE = (0.7, 1.3)
FIRST_WEEKS_DAYS = 60  # contacts come faster in the first weeks (intake, the first plan)
FIRST_WEEKS_GAP = 0.55
CONTACT_GAP_SHAPE = 3  # gamma-distributed gaps: regular rather than bursty
CHANNEL_BASE = {"phone": 42, "text": 18, "email": 7, "video": 6, "home_visit": 10,
                "school_meeting": 4, "clinic_visit": 6, "in_center": 7}
PREFERRED_BOOST = (4.0, 2.5, 1.8)  # the family's first, second and third preferred channels
UNANSWERED = {"phone": 0.36, "text": 0.3, "email": 0.3, "video": 0.12, "home_visit": 0.1,
              "school_meeting": 0.06, "clinic_visit": 0.08, "in_center": 0.14}
RETRY_DAYS = (1, 4)
RETRY_OTHER_CHANNEL = 0.4
UNANSWERED_RUN = 0.03  # three unanswered attempts on one channel before trying another way
RUN_CHANNELS = ("phone", "text", "email")
LAPSED = 0.07  # open enrollments whose family stopped answering 30–100 days ago
LAPSE_DAYS = (30, 100)
LAPSED_ATTEMPT_GAP = (7, 21)
OTHER_PARTY = weighted({"": 86, "pcp": 5, "school_staff": 4, "agency_staff": 3,
                        "specialist": 2})
OTHER_PARTY_CHANNEL = {"pcp": weighted({"phone": 70, "email": 30}),
                       "specialist": weighted({"phone": 75, "email": 25}),
                       "school_staff": weighted({"phone": 50, "email": 35,
                                                 "school_meeting": 15}),
                       "agency_staff": weighted({"phone": 70, "email": 30})}
OTHER_PARTY_REACHED = 0.88
INBOUND = {"phone": 0.3, "text": 0.3, "email": 0.3, "in_center": 0.4}
OTHER_PARTY_INBOUND = 0.35
SECOND_GUARDIAN_CONTACT = 0.15
YOUTH_ALONE = 0.3  # contacts with a youth of 18 or more, without a guardian
CHILD_PRESENT = {"home_visit": 0.7, "in_center": 0.5, "clinic_visit": 1.0}
TEEN_PRESENT = {"phone": 0.2, "video": 0.3, "text": 0.2, "school_meeting": 0.5}
VISIT_EXTRA = weighted({"": 92, "agency_staff": 5, "peer_family": 3})
DURATION_MINUTES = {  # (low, high, mode) of a contact that happened
    "phone": (3, 45, 12), "text": (1, 10, 3), "email": (3, 20, 8), "video": (15, 60, 30),
    "home_visit": (40, 120, 70), "school_meeting": (45, 120, 60),
    "clinic_visit": (20, 90, 40), "in_center": (20, 90, 45),
}
OFFICE_HOURS = (8, 17)
ACTION_LINK = 0.3  # contacts that happened and moved an open action (and its goal) forward

# ---------------------------------------------------------------- domain workflows

SCHOOL_PLAN_KIND = weighted({"iep": 70, "504": 25, "not_sure": 5})
SCHOOL_ELIGIBLE = 0.8  # found eligible at the eligibility meeting
SCHOOL_EVALUATION_DAYS = (25, 50)  # from the written request to the eligibility PPT
SCHOOL_COORDINATOR_ATTENDS = 0.6
SCHOOL_ADVOCACY = 0.08  # supports referred to legal help for educational advocacy
ADVOCACY_ORGANIZATIONS = weighted({"Center for Children's Advocacy": 50,
                                   "Connecticut Parent Advocacy Center (CPAC)": 40,
                                   "Disability Rights Connecticut": 10})
# Each Six Core Element done while the youth was enrolled and of age for it.
TRANSITION_DONE = {"transition_policy": 0.85, "tracking_monitoring": 0.8,
                   "transition_readiness": 0.7, "transition_planning": 0.6,
                   "transfer_of_care": 0.55, "transfer_completion": 0.7}
ADULT_CLINICIAN_NAMED_FROM_AGE = 17
SUPPORT_PARENTS = 0.02  # households with a year of enrollment whose parent volunteers
SUPPORT_PARENT_MATCHES = weighted({1: 30, 2: 50, 3: 20})  # families each can support at once
PEER_MATCH_DECLINED = 0.12

# ---------------------------------------------------------------- coverage and financial help

# Programs a financial need leads to, by the child's coverage: families on HUSKY mostly need
# help renewing it, commercially insured families help with bills and denied claims, uninsured
# children an application for HUSKY. A disabling condition (a complex or technology code) adds
# SSI for families on HUSKY and the Katie Beckett waiver for those above the Medicaid limits.
COVERAGE_GROUP = {"husky_a": "husky", "husky_b": "husky", "husky_c": "husky",
                  "husky_d": "husky", "commercial": "commercial", "uninsured": "uninsured",
                  "other": "other"}
PROGRAMS = {
    "husky": {"husky-renewal": 62, "medical-bill-plan": 14, "cmhi-respite-funds": 8},
    "commercial": {"hospital-financial-assistance": 32, "medical-bill-plan": 25,
                   "health-plan-appeal": 28, "cmhi-respite-funds": 10},
    "uninsured": {"husky-a": 60, "husky-b": 15, "hospital-financial-assistance": 20,
                  "access-health-ct": 5},
    "other": {"hospital-financial-assistance": 40, "medical-bill-plan": 40, "husky-a": 20},
}
DISABILITY_PROGRAMS = {
    "husky": {"ssi-child": 40},
    "commercial": {"katie-beckett": 55},
    "uninsured": {"ssi-child": 10},
    "other": {"katie-beckett": 20},
}
YOUNG_ADULT_HUSKY = {"husky-c": 30}  # a disabled youth of 18 or more on HUSKY, at transition
YOUNG_ADULT_UNINSURED = {"husky-d": 70, "access-health-ct": 30}  # 19 and over: no HUSKY A/B
# The need's own words point to a kind of program ("HUSKY renewal paperwork is due"): the
# kinds of programs.csv named here weigh this many times more.
NEED_WORDS_KIND = {"husky": ("health_coverage",), "bill": ("bill_help",),
                   "ssi": ("income_support", "family_funds")}
NEED_WORDS_BOOST = 6
APPLICATIONS_PER_NEED = weighted({1: 75, 2: 25})
DAYS_TO_ELIGIBILITY_CHECK = (0, 21)  # from the need being raised
SECOND_APPLICATION_DAYS = (14, 90)
ELIGIBILITY_FINDING = weighted({"likely_eligible": 78, "unsure": 16, "not_eligible": 6})
NOT_ELIGIBLE_DAYS = (0, 7)  # from the check to closing the application as not eligible
STOPPED_BEFORE_SUBMITTING = 0.05
STOPPED_DAYS = (3, 30)
DAYS_TO_SUBMISSION = (1, 30)
SUBMITTED_HOW = {
    "health_coverage": weighted({"online": 50, "paper": 20, "in_person": 15, "phone": 15}),
    "income_support": weighted({"in_person": 45, "phone": 35, "online": 20}),
    "bill_help": weighted({"paper": 45, "phone": 35, "online": 20}),
    "family_funds": weighted({"paper": 60, "online": 40}),
}
HELPED_BY = {
    "health_coverage": weighted({"coordinator": 65, "family": 20, "assister": 12, "other": 3}),
    "income_support": weighted({"coordinator": 70, "family": 25, "other": 5}),
    "bill_help": weighted({"coordinator": 50, "family": 15, "financial_counselor": 32,
                           "other": 3}),
    "family_funds": weighted({"coordinator": 85, "family": 15}),
}
CONFIRMATION_NUMBER = 0.7
# The agency asks for more: income proof at DSS, medical records and a teacher questionnaire
# for a child's disability decision at SSA, tax returns at a hospital.
DOCUMENTS_REQUESTED = {"health_coverage": 0.35, "income_support": 0.65, "bill_help": 0.3,
                       "family_funds": 0.2}
SECOND_DOCUMENT_REQUEST = 0.15
DAYS_TO_DOCUMENT_REQUEST = (5, 30)
DOCUMENTS_DUE_DAYS = (10, 30)
DOCUMENTS_SENT = 0.85
DAYS_TO_SEND = (1, 25)
DAYS_TO_NOTICE_AFTER_DOCUMENTS = (7, 30)
DAYS_TO_NOTICE_AFTER_DUE = (5, 20)  # never sent: denied for missing verification
# Days from submission to the notice: DSS decides HUSKY within 45 days; a child's SSI
# disability decision takes three to six months.
DAYS_TO_NOTICE = {
    "husky-a": (20, 45), "husky-b": (20, 45), "husky-c": (45, 90), "husky-d": (20, 45),
    "husky-renewal": (10, 45), "katie-beckett": (60, 180), "access-health-ct": (3, 20),
    "ssi-child": (90, 180), "hospital-financial-assistance": (20, 60),
    "medical-bill-plan": (7, 30), "health-plan-appeal": (15, 45), "cmhi-respite-funds": (20, 60),
}
APPROVED = {
    "husky-a": 0.85, "husky-b": 0.85, "husky-c": 0.65, "husky-d": 0.85, "husky-renewal": 0.9,
    "katie-beckett": 0.7, "access-health-ct": 0.95, "ssi-child": 0.45,
    "hospital-financial-assistance": 0.8, "medical-bill-plan": 0.9, "health-plan-appeal": 0.5,
    "cmhi-respite-funds": 0.85,
}
APPROVED_IF_NEED_MET = 0.9  # a need met usually means the help came through
APPROVED_IF_NEED_UNMET = 0.5  # …and one that could not be met halves the chance
BILL_SETTLED_DAYS = (0, 21)  # bill help approved: closed as help given
RENEWED_DAYS = (-45, 10)  # the renewal recorded around its due date
RENEWAL_MISSED = 0.08  # a renewal the family let pass; coverage lapsed and the help ended
LAPSED_CLOSED_DAYS = (20, 75)
# Denials appealed: a DSS fair hearing, an SSA reconsideration (children's SSI denials are
# often reversed there), a hospital's reconsideration, a health plan's external review.
APPEALED = {
    "husky-a": 0.35, "husky-b": 0.35, "husky-c": 0.45, "husky-d": 0.35, "husky-renewal": 0.35,
    "katie-beckett": 0.4, "access-health-ct": 0.1, "ssi-child": 0.55,
    "hospital-financial-assistance": 0.2, "medical-bill-plan": 0, "health-plan-appeal": 0.3,
    "cmhi-respite-funds": 0.05,
}
DAYS_TO_APPEAL = (5, 55)  # inside the 60 days of the notice
HEARING_DAYS = (20, 60)  # a DSS fair hearing is scheduled when the appeal is filed
DAYS_FROM_HEARING = (7, 45)
DAYS_TO_APPEAL_OUTCOME = (60, 150)  # an SSA reconsideration, with no hearing
DAYS_TO_WITHDRAW_APPEAL = (5, 30)
APPEAL_OUTCOME = weighted({"reversed": 45, "upheld": 35, "withdrawn": 20})
DENIAL_CLOSED = 0.75  # denials closed once the appeal window or the appeal is over
DENIAL_CLOSED_DAYS = (61, 90)  # from the notice, when not appealed
APPEAL_CLOSED_DAYS = (0, 30)

# ---------------------------------------------------------------- organizations

CONNECTIONS_PER_NEED = weighted({1: 60, 2: 30, 3: 10})
DAYS_TO_SUGGESTION = (0, 14)
NEXT_ORGANIZATION_DAYS = (0, 7)  # a second or third organization suggested soon after
# From each open step, what happens next ("" = nothing yet: the family has not acted).
CONNECTION_NEXT = {
    "suggested": weighted({"information_shared": 90, "declined": 5, "not_a_fit": 2, "": 3}),
    "information_shared": weighted({"family_contacted": 68, "declined": 12, "not_a_fit": 5,
                                    "": 15}),
    "family_contacted": weighted({"connected": 78, "declined": 5, "not_a_fit": 9, "": 8}),
}
CONNECTION_DAYS = {"information_shared": (0, 10), "family_contacted": (5, 45),
                   "connected": (7, 60), "declined": (3, 30), "not_a_fit": (7, 45)}
SHARED_THE_SAME_DAY = 0.4
CONNECTED_HOW = weighted({"joined": 50, "attended_event": 25, "receiving_support": 25})
OUTCOME_NOTE = 0.5  # a note on a connection or a decline (a poor fit always has one)

# ---------------------------------------------------------------- screenings

AHC_AT_INTAKE = 0.85  # enrollments screened for health-related social needs at intake
INTAKE_SCREENING_DAYS = (0, 14)  # from the enrollment's start
SIBLING_SAME_ANSWERS_DAYS = 60  # one household screen recorded for each enrolled sibling
# Chance of each AHC core domain screening positive: for families on HUSKY or uninsured, and
# for the others. Food and living situation (which counts pests, mold, lead and no heat) come
# first, interpersonal safety last, as pediatric social-needs screening usually finds.
AHC_POSITIVE = {
    "low_income": {"living_situation": 0.12, "food": 0.12, "transportation": 0.06,
                   "utilities": 0.06, "safety": 0.025},
    "other": {"living_situation": 0.035, "food": 0.03, "transportation": 0.015,
              "utilities": 0.015, "safety": 0.01},
}
# A social code makes its domain likely positive (a code naming the need itself more than one
# that only hints at it, like low income for the utilities); a need the family raised does
# too, and a need raised by a screening comes from this one.
AHC_CODE_SIGNALS = {
    "Z5941": ("food", 0.8), "Z5900": ("living_situation", 0.85),
    "Z5901": ("living_situation", 0.85), "Z59811": ("living_situation", 0.8),
    "Z5910": ("living_situation", 0.6), "Z77011": ("living_situation", 0.4),
    "R7871": ("living_situation", 0.4), "Z5982": ("transportation", 0.75),
    "Z753": ("transportation", 0.3), "Z596": ("utilities", 0.3), "Z59869": ("utilities", 0.35),
    "Z6372": ("safety", 0.15), "Z62810": ("safety", 0.1),
}
AHC_NEED_DOMAINS = {"housing": "living_situation", "food": "food",
                    "transportation": "transportation"}
AHC_FAMILY_NEED_SIGNAL = 0.3
# A positive living situation: worried about losing the home, no steady place, or a steady
# place with problems (pests, mold, lead, no heat…, by these weights; one to three of them).
HOUSING_UNSTABLE = weighted({"worried": 45, "not_steady": 12, "conditions": 43})
HOUSING_PROBLEMS = {"pests": 30, "mold": 25, "lead": 8, "no_heat": 12, "oven_stove": 6,
                    "smoke_detectors": 8, "water_leaks": 20}
HOUSING_PROBLEM_COUNT = weighted({1: 50, 2: 30, 3: 20})
PROBLEMS_IF_WORRIED = 0.3
UTILITIES_SHUT_OFF = 0.2  # of positive utilities answers: already shut off, not threatened
SAFETY_SOME_CONFLICT = 0.2  # negative safety screens with some insults or screaming
AHC_ITEM_SKIPPED = 0.01
SAFETY_DECLINED = 0.03  # the four safety questions left unanswered: the domain incomplete
PROTECTIVE_FACTORS_AT_INTAKE = 0.35
PROTECTIVE_FACTORS_AT_REVIEW = 0.85  # …and again at each agreed review of the plan
# The check-in's factor levels on its 1–5 scale: a family's own level around the mean, each
# statement around that; lower concrete support where the AHC screen was positive, fewer
# social connections for a single caregiver; a little stronger at each review.
FACTOR_MEAN = 3.8
FACTOR_SPREAD = 0.55
STATEMENT_SPREAD = 0.75
CONCRETE_SUPPORT_IF_POSITIVE = -0.6
CONNECTIONS_IF_SINGLE_CAREGIVER = -0.3
REVIEW_GAIN = 0.2
STATEMENT_SKIPPED = 0.03
