from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/complexity/", views.complexity, name="complexity"),
    path("children/<int:child_id>/complexity/recheck/", views.recheck,
         name="complexity-recheck"),
    path("center/assign/", views.queue, name="assignment-queue"),
    path("center/assign/<int:child_id>/", views.assign, name="assignment-assign"),
    path("center/rebalance/<int:coordinator_id>/", views.rebalance, name="rebalance"),
    path("network/population/", views.population, name="population"),
    path("network/population/<int:run_id>/", views.population, name="population-run"),
    path("network/population/<int:run_id>/<str:name>", views.population_file,
         name="population-file"),
]
