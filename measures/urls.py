from django.urls import path

from measures import views
from measures.urls_participation import urlpatterns as participation_urlpatterns
from networks.cache import home_scopes, public_page, roadmap_scopes

app_name = "measures"

roadmap = "klima-roadmaps/<slug:slug>/"
editor = roadmap + "redaktion/"
pledges = "netzwerke/<slug:slug>/selbstverpflichtungen/"

urlpatterns = [
    # Public
    path("klima-roadmaps/", public_page(home_scopes)(views.roadmap_list), name="roadmap-list"),
    # Citizens: what they can do themselves (all roadmaps, one roadmap) and their own participation
    path("mitmachen/", public_page(home_scopes)(views.participate), name="participate"),
    path(roadmap + "mitmachen/", public_page(roadmap_scopes)(views.roadmap_participate), name="roadmap-participate"),
    path("mein-bereich/", views.my_participation, name="my-participation"),
    path("klima-roadmaps/neu/", views.roadmap_create, name="roadmap-create"),
    path(roadmap, public_page(roadmap_scopes)(views.roadmap_detail), name="roadmap"),
    path(roadmap + "massnahmen/", public_page(roadmap_scopes)(views.measure_list), name="measure-list"),
    path(roadmap + "massnahmen.csv", views.open_data, {"fmt": "csv"}, name="open-data-csv"),
    path(roadmap + "massnahmen.json", views.open_data, {"fmt": "json"}, name="open-data-json"),
    path(roadmap + "massnahmen.xlsx", views.open_data, {"fmt": "xlsx"}, name="open-data-xlsx"),
    path(roadmap + "datapackage.json", views.datapackage, name="datapackage"),
    path(roadmap + "massnahmen/<slug:measure>/", public_page(roadmap_scopes)(views.measure_detail), name="measure"),
    path(roadmap + "massnahmen/<slug:measure>/kommentieren/", views.comment_create, name="comment-create"),
    path(roadmap + "massnahmen/<slug:measure>/kontakt/", views.measure_contact, name="measure-contact"),
    path(roadmap + "vorschlaege/", views.proposal_list, name="proposal-list"),
    path(roadmap + "vorschlaege/neu/", views.proposal_create, name="proposal-create"),
    path(roadmap + "vorschlaege/<int:pk>/", views.proposal_detail, name="proposal"),
    path(roadmap + "vorschlaege/<int:pk>/unterstuetzen/", views.proposal_support, name="proposal-support"),
    # Editors of the roadmap's organisation
    path(editor, views.editor_dashboard, name="editor-dashboard"),
    path(editor + "bearbeiten/", views.roadmap_edit, name="roadmap-edit"),
    path(editor + "massnahmen/neu/", views.measure_create, name="measure-create"),
    path(editor + "massnahmen/<int:pk>/", views.measure_edit, name="measure-edit"),
    path(editor + "massnahmen/<int:pk>/meilensteine/", views.milestones_edit, name="milestones-edit"),
    path(editor + "massnahmen/<int:pk>/links/", views.measure_links_edit, name="measure-links"),
    path(editor + "massnahmen/<int:pk>/sachstand/", views.update_create, name="update-create"),
    path(editor + "massnahmen/<int:pk>/verlauf/", views.measure_history, name="measure-history"),
    path(editor + "status/", views.bulk_status, name="bulk-status"),
    path(editor + "import/", views.measure_import, name="measure-import"),
    path(editor + "import/<int:pk>/", views.import_job, name="import-job"),
    path(editor + "import/<int:pk>/status.json", views.import_job_status, name="import-job-status"),
    path(editor + "export.csv", views.measure_export, {"fmt": "csv"}, name="measure-export-csv"),
    path(editor + "export.xlsx", views.measure_export, {"fmt": "xlsx"}, name="measure-export-xlsx"),
    path(editor + "moderation/", views.moderation_queue, name="moderation"),
    path(editor + "vorschlaege/<int:pk>/moderieren/", views.proposal_moderate, name="proposal-moderate"),
    path(editor + "vorschlaege/<int:pk>/massnahme/", views.proposal_to_measure, name="proposal-to-measure"),
    path(editor + "kommentare/<int:pk>/moderieren/", views.comment_moderate, name="comment-moderate"),
    # Pledges of a network's member organisations
    path(pledges, views.pledge_list, name="pledge-list"),
    path(pledges + "<slug:organisation>/bearbeiten/", views.pledge_edit, name="pledge-edit"),
    path(pledges + "<slug:organisation>/bericht/", views.pledge_report, name="pledge-report"),
]
urlpatterns += participation_urlpatterns  # answers, replies, follows, feedback, phases (issue 16 §2)
