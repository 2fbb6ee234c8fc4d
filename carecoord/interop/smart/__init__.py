"""SMART Backend Services: the client-credentials grant with a signed JWT assertion, by which a
practice's EMR (a registered client) gets a short-lived token to read the FHIR API."""
