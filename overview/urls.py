"""URLs of the overview pages: the dashboard at the root, follow-ups and gaps."""

from django.urls import path

from overview import views

# No namespace: every page links to "home", and the menu to "follow_ups".
urlpatterns = [
    path("", views.home, name="home"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("gaps/", views.GapListView.as_view(), name="gaps"),
]
