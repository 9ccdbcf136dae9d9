"""URLs of participation both ways (issue 16 §2): answers and states of proposals, replies and reports, follows,
feedback without an account, participation phases. Included by measures/urls.py (namespace "measures")."""

from django.urls import path

from measures.views import participation as views

roadmap = "klima-roadmaps/<slug:slug>/"
editor = roadmap + "redaktion/"

urlpatterns = [
    path(roadmap + "folgen/", views.follow, {"kind": "roadmap"}, name="follow-roadmap"),
    path(roadmap + "massnahmen/<slug:key>/folgen/", views.follow, {"kind": "measure"}, name="follow-measure"),
    path(roadmap + "massnahmen/<slug:measure>/rueckmeldung/", views.feedback_create, name="feedback-create"),
    path(roadmap + "vorschlaege/<int:key>/folgen/", views.follow, {"kind": "proposal"}, name="follow-proposal"),
    path(roadmap + "vorschlaege/<int:pk>/kommentieren/", views.proposal_comment_create, name="proposal-comment-create"),
    path(
        roadmap + "vorschlaege/<int:pk>/unterstuetzung-zuruecknehmen/",
        views.proposal_unsupport,
        name="proposal-unsupport",
    ),
    path(roadmap + "kommentare/<int:pk>/melden/", views.comment_report, name="comment-report"),
    path(editor + "vorschlaege/<int:pk>/antwort/", views.proposal_answer, name="proposal-answer"),
    path(editor + "rueckmeldungen/<int:pk>/moderieren/", views.feedback_moderate, name="feedback-moderate"),
    path(editor + "beteiligung/", views.phases_edit, name="phases"),
    path(editor + "beteiligung/<int:pk>/loeschen/", views.phase_delete, name="phase-delete"),
    path("folgen/", views.follows, name="follows"),
    path("folgen/abbestellen/<str:token>/", views.follow_unsubscribe, name="follow-unsubscribe"),
    path("rueckmeldung/bestaetigen/<str:token>/", views.feedback_verify, name="feedback-verify"),
]
