from django.urls import path

from . import views

app_name = "team"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("invite/", views.invite, name="invite"),
    path("<int:user_id>/", views.member, name="member"),
    path("<int:user_id>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:user_id>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:user_id>/invitation/", views.resend_invitation, name="resend_invitation"),
    path("<int:user_id>/second-factor/", views.second_factor_reset, name="second_factor_reset"),
    path("<int:user_id>/role/", views.role_change, name="role_change"),
    path("<int:user_id>/locations/", views.locations, name="locations"),
]
