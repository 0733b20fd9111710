from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "needlepoint.followups"
    label = "followups"
    verbose_name = "Follow-ups (outcome visits, maintenance recalls, missed visits)"
