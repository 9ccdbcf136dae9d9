"""URLs of questions to experts: under wer-weiss-was/ (mounted under i18n_patterns)."""

from django.urls import path

from networks.experts import views

app_name = "experts"

urlpatterns = [
    path("wer-weiss-was/<int:person>/frage/", views.ask, name="ask"),
    path("wer-weiss-was/anfragen/", views.question_list, name="questions"),
    path("wer-weiss-was/anfragen/<int:pk>/", views.question_detail, name="question-detail"),
    path("wer-weiss-was/anfragen/<int:pk>/blockieren/", views.block_toggle, name="block"),
]
