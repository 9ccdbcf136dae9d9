from django.urls import path

from events import announcements, views
from events.views import guest_data as guest_data_views
from events.views import guests as guest_views
from events.views import tasks as task_views
from networks.cache import network_scopes, public_page

app_name = "events"

network = "netzwerke/<slug:slug>/"
event = network + "termine/<int:pk>/"

urlpatterns = [
    # Across networks and personal
    path("veranstaltungen/", views.event_list, name="event-list"),
    path("profil/kalender/", views.my_calendar, name="my-calendar"),
    path("profil/kalender/erneuern/", views.calendar_token_renew, name="calendar-token-renew"),
    path("profil/benachrichtigungen/", views.notification_settings, name="notification-settings"),
    path("kalender/<slug:token>.ics", views.personal_feed, name="personal-feed"),
    # A network's calendar, feed, FAQ and action items
    path(network + "termine/", public_page(network_scopes)(views.network_calendar), name="network-calendar"),
    path(network + "kalender.ics", views.network_feed, name="network-feed"),
    path(network + "termine/neu/", views.event_create, name="event-create"),
    path(network + "faq/", views.faq, name="faq"),
    path(network + "fragen/<int:pk>/beantworten/", views.question_answer, name="question-answer"),
    path(network + "fragen/<int:pk>/bearbeiten/", views.question_edit, name="question-edit"),
    path(network + "fragen/<int:pk>/zurueckziehen/", views.question_delete, name="question-delete"),
    path(network + "fragen/<int:pk>/entfernen/", views.question_remove, name="question-remove"),
    path(network + "aufgaben/", views.action_items, name="action-items"),
    path(network + "aufgaben/<int:pk>/status/", views.action_item_status, name="action-item-status"),
    path(network + "terminreihen/neu/", views.series_create, name="series-create"),
    path(network + "terminreihen/<int:pk>/", views.series_detail, name="series-detail"),
    path(network + "terminreihen/<int:pk>/bearbeiten/", views.series_edit, name="series-edit"),
    path(network + "terminreihen/<int:pk>/beenden/", views.series_cancel, name="series-cancel"),
    # One event
    path(event, views.event_detail, name="event-detail"),
    path(event + "termin.ics", views.event_ics, name="event-ics"),
    path(event + "bearbeiten/", views.event_edit, name="event-edit"),
    path(event + "kopieren/", views.event_copy, name="event-copy"),
    path(event + "absagen/", views.event_cancel, name="event-cancel"),
    path(event + "einladen/", announcements.event_invite, name="event-invite"),
    path(event + "anmelden/", views.register, name="register"),
    path(event + "abmelden/", views.unregister, name="unregister"),
    path(event + "teilnehmende/", views.participant_list, name="participant-list"),
    path(event + "teilnehmende.csv", views.participant_export, {"fmt": "csv"}, name="participant-csv"),
    path(event + "teilnehmende.xlsx", views.participant_export, {"fmt": "xlsx"}, name="participant-xlsx"),
    path(event + "anwesenheit/", views.attendance, name="attendance"),
    path(event + "protokoll/", views.minutes_edit, name="minutes-edit"),
    path(event + "ergebnisse/neu/", views.outcome_create, name="outcome-create"),
    path(event + "ergebnisse/<int:outcome>/loeschen/", views.outcome_delete, name="outcome-delete"),
    path(event + "dokumente/neu/", views.document_upload, name="document-upload"),
    path(event + "dokumente/<int:doc>/", views.document_download, name="document-download"),
    path(event + "dokumente/<int:doc>/loeschen/", views.document_delete, name="document-delete"),
    path(event + "fragen/", views.question_create, name="question-create"),
]

# Outcomes and action items (issue 15 §4): one outcome's page, its comments, editing; action items without event
urlpatterns += [
    path(network + "aufgaben/neu/", task_views.action_item_create, name="action-item-create"),
    path(network + "ergebnisse/<int:pk>/", task_views.outcome_detail, name="outcome-detail"),
    path(network + "ergebnisse/<int:pk>/bearbeiten/", task_views.outcome_edit, name="outcome-edit"),
    path(network + "ergebnisse/<int:pk>/kommentare/", task_views.outcome_comment, name="outcome-comment"),
]

# Public events for people without an account (issue 16 §1, §3): registration by email, walk-ins, the Atom feed
urlpatterns += [
    path(event + "anmeldung-ohne-konto/", guest_views.guest_register, name="guest-register"),
    path("veranstaltungen/anmeldung/<slug:token>/", guest_views.guest_confirm, name="guest-confirm"),
    path("veranstaltungen/anmeldung/<slug:token>/abmelden/", guest_views.guest_cancel, name="guest-cancel"),
    path("veranstaltungen/anmeldung/<slug:token>/meine-daten/", guest_data_views.guest_data, name="guest-data"),
    path(
        "veranstaltungen/anmeldung/<slug:token>/meine-daten.json",
        guest_data_views.guest_data_download,
        name="guest-data-download",
    ),
    path(event + "anwesenheit/nachtragen/", guest_views.walk_in_add, name="walk-in-add"),
    path(event + "anwesenheit/<int:registration>/entfernen/", guest_views.walk_in_remove, name="walk-in-remove"),
    path(network + "termine/feed.atom", guest_views.network_events_atom, name="network-events-atom"),
]
