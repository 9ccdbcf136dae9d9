from django.urls import path

from networks import account_views, affiliation_views, mail_views, membership_requests, views
from networks.cache import home_scopes, public_page

app_name = "networks"

network = "netzwerke/<slug:slug>/"

urlpatterns = [
    path("", public_page(home_scopes)(views.home), name="home"),
    path("start/", views.dashboard, name="dashboard"),
    path("impressum/", views.static_page, {"template": "imprint"}, name="imprint"),
    path("datenschutz/", views.static_page, {"template": "privacy"}, name="privacy"),
    path("barrierefreiheit/", views.static_page, {"template": "accessibility"}, name="accessibility"),
    path("leichte-sprache/", views.static_page, {"template": "easy_read"}, name="easy-read"),
    path("wer-weiss-was/", views.expertise_search, name="expertise-search"),
    path("profil/", views.profile, name="profile"),
    path("profil/meine-daten.json", views.profile_export, name="profile-export"),
    path("profil/konto-loeschen/", views.account_delete, name="account-delete"),
    path("konto/bestaetigung-erneut-senden/", account_views.verification_resend, name="verification-resend"),
    # Belonging to an organisation: asked for on the profile, decided by its editors and network coordinators
    path("profil/organisation/", affiliation_views.affiliation_change, name="affiliation-change"),
    path("profil/organisation/zurueckziehen/", affiliation_views.affiliation_withdraw, name="affiliation-withdraw"),
    path("zugehoerigkeiten/", affiliation_views.affiliation_requests, name="affiliation-requests"),
    path("zugehoerigkeiten/<int:pk>/", affiliation_views.affiliation_decide, name="affiliation-decide"),
    path("einladung/<slug:token>/", views.invitation_accept, name="invitation-accept"),
    path("netzwerke/", public_page(home_scopes)(views.network_list), name="network-list"),
    path(network, views.network_detail, name="network-detail"),
    path(network + "intern/", views.network_space, name="network-space"),
    path(network + "mitgliedschaft-anfragen/", membership_requests.membership_request, name="membership-request"),
    path(network + "mitglieder/", views.member_list, name="member-list"),
    path(network + "bearbeiten/", views.network_edit, name="network-edit"),
    path(network + "organisationen/", views.membership_list, name="membership-list"),
    path(network + "organisationen/<int:pk>/beenden/", views.membership_end, name="membership-end"),
    path(network + "personen/", views.people_manage, name="people-manage"),
    path(network + "personen/<int:pk>/rolle/", views.role_change, name="role-change"),
    path(network + "personen/<int:pk>/entfernen/", views.role_remove, name="role-remove"),
    path(network + "einladungen/neu/", views.invitation_create, name="invitation-create"),
    path(network + "einladungen/<int:pk>/zurueckziehen/", views.invitation_revoke, name="invitation-revoke"),
    path(network + "einladungen/<int:pk>/erneut-senden/", views.invitation_resend, name="invitation-resend"),
    path(network + "arbeitsgruppen/", views.working_group_list, name="working-group-list"),
    path(network + "arbeitsgruppen/neu/", views.working_group_edit, name="working-group-create"),
    path(network + "arbeitsgruppen/<int:pk>/", views.working_group_detail, name="working-group-detail"),
    path(network + "arbeitsgruppen/<int:pk>/bearbeiten/", views.working_group_edit, name="working-group-edit"),
    path(network + "kampagnen/", views.campaign_list, name="campaign-list"),
    path(network + "kampagnen/neu/", views.campaign_edit, name="campaign-create"),
    path(network + "kampagnen/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path(network + "kampagnen/<int:pk>/bearbeiten/", views.campaign_edit, name="campaign-edit"),
    # Member lists as spreadsheets: export, import of people (invitations) with a preview
    path(network + "personen/export.csv", views.member_export, {"fmt": "csv"}, name="member-export-csv"),
    path(network + "personen/export.xlsx", views.member_export, {"fmt": "xlsx"}, name="member-export-xlsx"),
    path(network + "organisationen/export.csv", views.membership_export, name="membership-export-csv"),
    path(network + "personen/import/", views.member_import, name="member-import"),
    path(
        network + "personen/importvorlage.csv",
        views.member_import_template,
        {"fmt": "csv"},
        name="member-import-template-csv",
    ),
    path(
        network + "personen/importvorlage.xlsx",
        views.member_import_template,
        {"fmt": "xlsx"},
        name="member-import-template-xlsx",
    ),
    # Email settings and the personal switch-off link of every email (networks.mail)
    path("profil/e-mails/", mail_views.mail_settings, name="mail-settings"),
    path("e-mails/abbestellen/<str:token>/", mail_views.mail_unsubscribe, name="mail-unsubscribe"),
]
