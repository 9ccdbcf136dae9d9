"""Addresses of the discussions (German, under the network's address; mounted under i18n_patterns)."""

from django.urls import path

from networks.channel import views

app_name = "channel"

network = "netzwerke/<slug:slug>/"
base = network + "diskussionen/"
thread = base + "<int:pk>/"
post = base + "beitraege/<int:pk>/"

urlpatterns = [
    path(base, views.thread_list, name="thread-list"),
    path(base + "neu/", views.thread_create, name="thread-create"),
    path(base + "personen/", views.people, name="people"),
    path(base + "kategorien/", views.category_list, name="category-list"),
    path(base + "kategorien/<int:pk>/", views.category_edit, name="category-edit"),
    path(base + "kategorien/<int:pk>/loeschen/", views.category_delete, name="category-delete"),
    path(base + "meldungen/", views.report_list, name="report-list"),
    path(base + "meldungen/<int:pk>/erledigt/", views.report_resolve, name="report-resolve"),
    path(thread, views.thread_detail, name="thread-detail"),
    path(thread + "antworten/", views.post_create, name="post-create"),
    path(thread + "benachrichtigungen/", views.thread_follow, name="thread-follow"),
    path(thread + "anheften/", views.thread_pin, name="thread-pin"),
    path(thread + "schliessen/", views.thread_close, name="thread-close"),
    path(thread + "verschieben/", views.thread_move, name="thread-move"),
    path(thread + "in-faq/", views.faq_create, name="faq-create"),
    path(post + "bearbeiten/", views.post_edit, name="post-edit"),
    path(post + "versionen/", views.post_history, name="post-history"),
    path(post + "melden/", views.post_report, name="post-report"),
    path(post + "ausblenden/", views.post_hide, name="post-hide"),
    path(post + "einblenden/", views.post_unhide, name="post-unhide"),
    path(post + "antwort/", views.post_answer, name="post-answer"),
    path(network + "arbeitsgruppen/<int:pk>/beitreten/", views.group_join, name="group-join"),
    path(network + "arbeitsgruppen/<int:pk>/verlassen/", views.group_leave, name="group-leave"),
]
