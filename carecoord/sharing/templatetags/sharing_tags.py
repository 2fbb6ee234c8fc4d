"""The link from the care plan page to its share page, with the providers' answers still to
read; shown only to who may open it."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from carecoord.accounts import policy
from carecoord.contacts.models import Task

from ..models import ProviderComment

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_share_link(context, child):
    request = context.get("request")
    if request is None or not policy.can_see_plan_shares(request.user, child):
        return ""
    unread = ProviderComment.objects.filter(child=child, task__status=Task.Status.OPEN).count()
    note = format_html(' <span class="badge badge-referred">{} provider answer{} to read</span>',
                       unread, "" if unread == 1 else "s") if unread else ""
    return format_html(' · <a href="{}">Share with the care team</a>{}',
                       reverse("plan-share", args=[child.pk]), note)
