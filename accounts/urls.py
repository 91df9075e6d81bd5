from django.urls import path

from accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("notifications/", views.notifications, name="notifications"),
    path("sign-out-everywhere/", views.sign_out_everywhere_view, name="sign_out_everywhere"),
]
