"""The canonical URLs the mapping writes: profiles, extensions and code systems."""

US_CORE = "http://hl7.org/fhir/us/core"
SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare"

# meta.profile of each resource CareCoord produces, by default (US Core 6.1.0-8.0.0 share these
# ids; see data/profiles.csv). US Core Practitioner and Encounter are not in that table: their
# canonicals follow the same pattern. A Task claims no profile (see mapping/task.py); an
# Observation of an SDOH screening claims Gravity's SDOHCC_SCREENING_RESPONSE instead, and a
# referral for a social need SDOHCC_SERVICE_REQUEST.
PROFILES = {
    "Patient": f"{US_CORE}/StructureDefinition/us-core-patient",
    "RelatedPerson": f"{US_CORE}/StructureDefinition/us-core-relatedperson",
    "Organization": f"{US_CORE}/StructureDefinition/us-core-organization",
    "Practitioner": f"{US_CORE}/StructureDefinition/us-core-practitioner",
    "CarePlan": f"{US_CORE}/StructureDefinition/us-core-careplan",
    "Goal": f"{US_CORE}/StructureDefinition/us-core-goal",
    "Condition": f"{US_CORE}/StructureDefinition/us-core-condition-problems-health-concerns",
    "PractitionerRole": f"{US_CORE}/StructureDefinition/us-core-practitionerrole",
    "Encounter": f"{US_CORE}/StructureDefinition/us-core-encounter",
    "Observation": f"{US_CORE}/StructureDefinition/us-core-observation-screening-assessment",
    "QuestionnaireResponse": f"{US_CORE}/StructureDefinition/us-core-questionnaireresponse",
    "Consent": f"{SDOHCC}/StructureDefinition/SDOHCC-Consent",
    "ServiceRequest": f"{US_CORE}/StructureDefinition/us-core-servicerequest",
}
SDOHCC_SERVICE_REQUEST = f"{SDOHCC}/StructureDefinition/SDOHCC-ServiceRequest"
SDOHCC_SCREENING_RESPONSE = f"{SDOHCC}/StructureDefinition/SDOHCC-ObservationScreeningResponse"

US_CORE_RACE = f"{US_CORE}/StructureDefinition/us-core-race"
US_CORE_ETHNICITY = f"{US_CORE}/StructureDefinition/us-core-ethnicity"
CAREPLAN_CATEGORY = f"{US_CORE}/CodeSystem/careplan-category"
US_CORE_CONDITION_CATEGORY = f"{US_CORE}/CodeSystem/condition-category"
US_CORE_CATEGORY = f"{US_CORE}/CodeSystem/us-core-category"
SDOH_CATEGORY = f"{SDOHCC}/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"

CDC_RACE_ETHNICITY = "urn:oid:2.16.840.1.113883.6.238"
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
BCP_47 = "urn:ietf:bcp:47"
NPI = "http://hl7.org/fhir/sid/us-npi"
ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD_9_CM = "http://hl7.org/fhir/sid/icd-9-cm"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass"
V2_CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
NUCC = "http://nucc.org/provider-taxonomy"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
OBSERVATION_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
PERTAINS_TO_GOAL = "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/participant-type"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_POLICY = "http://terminology.hl7.org/CodeSystem/consentpolicycodes"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"

# CareCoord's own record numbers. A deployment that has an OID for them sets
# FHIR_CHILD_IDENTIFIER_SYSTEM; the default is a URN that names the product.
DEFAULT_CHILD_IDENTIFIER_SYSTEM = "urn:carecoord:child-record-number"

# CareCoord's own codes, where no published code system has the concept (binding strengths
# allow them: extensible or weaker). URNs that name the product, like the identifier above.
CONTACT_CHANNEL = "urn:carecoord:contact-channel"
CONTACT_PARTICIPANT = "urn:carecoord:contact-participant"
TASK_KIND = "urn:carecoord:task-kind"
SHARING_SCOPE = "urn:carecoord:consent-scope"
INSTRUMENT = "urn:carecoord:instrument"


def instrument_codes(instrument_id: str, part: str) -> str:
    """The code system of one instrument's items, answers or groups (domains, subscales), for
    instruments without LOINC codes."""
    return f"{INSTRUMENT}:{instrument_id}:{part}"


def questionnaire(instrument_id: str) -> str:
    """The canonical of an instrument as a Questionnaire (QuestionnaireResponse.questionnaire)."""
    return f"urn:carecoord:questionnaire:{instrument_id}"
