"""Medical complexity (CCC v2, PMCA) and the behavioral health flag, from diagnosis codes.

Plain Python and Ibis only: nothing here imports Django.
"""
