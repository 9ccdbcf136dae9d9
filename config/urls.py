from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from api.api import api
from networks import seo_views
from networks.language import set_language
from networks.views import healthz
from observability import views as observability_views

# The admin logs in through allauth: same rate limits, same two-factor authentication.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Klimanetz administration")
admin.site.site_title = "Klimanetz"
admin.site.index_title = _("Operations")

# A 403 on a network's page offers a non-member the way in (request membership, or log in).
handler403 = "networks.errors.permission_denied"
# The 404 page offers the search and the public roadmaps; a measure whose slug changed answers 301 (measures.seo).
handler404 = "measures.seo.page_not_found"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("readyz", observability_views.readyz, name="readyz"),  # database, Redis, object store, migrations
    path("metrics", observability_views.metrics_view, name="metrics"),  # Prometheus; 404 without token/network
    path("robots.txt", seo_views.robots_txt, name="robots-txt"),
    path("sitemap.xml", seo_views.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo_views.sitemap_section, name="sitemap-section"),  # the index's files
    path("api/v1/", api.urls),  # the REST API (issue 18 §1): no language prefix, Accept-Language decides
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True)),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("networks.signin.urls")),  # /konto/organisation/: an organisation's own sign-in
    path("konto/", include("allauth.urls")),
    path("", include("networks.urls")),
    path("", include("networks.channel.urls")),
    path("", include("networks.announcements.urls")),
    path("", include("networks.inbound.urls")),
    path("", include("networks.digest.urls")),
    path("", include("networks.library.urls")),
    path("", include("networks.search.urls")),
    path("", include("networks.experts.urls")),
    path("", include("networks.campaigns.urls")),
    path("", include("networks.webhooks.urls")),  # webhooks of organisations and networks
    path("", include("events.urls")),
    path("", include("measures.urls")),
    path("", include("measures.funding.urls")),
    path("", include("measures.seo_urls")),  # preview images and the roadmap's Atom feed
    path("", include("measures.catalogue.urls")),  # the measure library
    path("", include("measures.council.urls")),  # council decisions through OParl
    path("", include("monitoring.urls")),
    path("", include("monitoring.comparison.urls")),  # comparison with similar municipalities
    path("", include("api.urls")),  # the profile's API tokens
    path("", include("monitoring.embeds.urls")),  # /einbetten/: frames for municipal websites, the badge
    path("", include("opendata.urls")),  # /katalog/: DCAT-AP.de catalogue for data portals
    prefix_default_language=False,
)

# Media are never served as public files, not even in development: event documents go out only
# through events:document-download, which checks who may see the event.
