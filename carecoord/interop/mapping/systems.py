"""The canonical URLs the mapping writes: profiles, extensions and code systems."""

US_CORE = "http://hl7.org/fhir/us/core"

# meta.profile of each resource CareCoord produces (US Core 6.1.0-8.0.0 share these ids; see
# data/profiles.csv). US Core Practitioner is not in that table: its canonical follows the
# same pattern.
PROFILES = {
    "Patient": f"{US_CORE}/StructureDefinition/us-core-patient",
    "RelatedPerson": f"{US_CORE}/StructureDefinition/us-core-relatedperson",
    "Organization": f"{US_CORE}/StructureDefinition/us-core-organization",
    "Practitioner": f"{US_CORE}/StructureDefinition/us-core-practitioner",
    "CarePlan": f"{US_CORE}/StructureDefinition/us-core-careplan",
    "Goal": f"{US_CORE}/StructureDefinition/us-core-goal",
    "Condition": f"{US_CORE}/StructureDefinition/us-core-condition-problems-health-concerns",
}

US_CORE_RACE = f"{US_CORE}/StructureDefinition/us-core-race"
US_CORE_ETHNICITY = f"{US_CORE}/StructureDefinition/us-core-ethnicity"
CAREPLAN_CATEGORY = f"{US_CORE}/CodeSystem/careplan-category"
US_CORE_CONDITION_CATEGORY = f"{US_CORE}/CodeSystem/condition-category"
US_CORE_CATEGORY = f"{US_CORE}/CodeSystem/us-core-category"
SDOH_CATEGORY = ("http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/"
                 "SDOHCC-CodeSystemTemporaryCodes")

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

# CareCoord's own record numbers. A deployment that has an OID for them sets
# FHIR_CHILD_IDENTIFIER_SYSTEM; the default is a URN that names the product.
DEFAULT_CHILD_IDENTIFIER_SYSTEM = "urn:carecoord:child-record-number"
