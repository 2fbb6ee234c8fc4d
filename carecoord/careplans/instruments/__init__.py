"""Screening and assessment instruments kept as data, with a pure-Python scoring engine.

No Django here: definitions are read from the YAML files in ``data/`` (provenance in
``data/README.md``), checked, and scored by plain functions over dataclasses, so a clinician can
check every result by hand against the instrument's own rules and worked examples.

Modules: ``definitions`` (the dataclasses), ``parsing`` and ``validation`` (YAML to a checked
definition), ``loader`` and ``licensed`` (files, and a center's licensed PFS-2 item text),
``answers`` (checking a set of answers), ``screening`` (AHC HRSN and CSHCN Screener rules),
``subscales`` (mean subscale scores), ``scoring`` (one entry point), ``comparison``,
``social_needs`` and ``transition`` (Got Transition's age-based steps).
"""
