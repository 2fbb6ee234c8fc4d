"""The one way services write a record."""


def save_checked(instance):
    """Validate the record (its fields and its model's clean()) and save it: every service
    writes through this, so the database never holds what a form would have refused. Raises
    ValidationError naming the field."""
    instance.full_clean()
    instance.save()
    return instance
